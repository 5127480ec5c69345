"""Mailings: supporter lists read (``supporters``), every row checked and composed (``rows``),
rendered in chunks by worker processes that a rerun resumes (``run``), and the manifest
(``manifest``)."""
