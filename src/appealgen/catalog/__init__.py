"""The data folder: its models (``models``), label and envelope geometry (``geometry``), and
reading and checking it (``loading``); ``shipped`` finds the data and templates that ship.

Importing this package loads nothing: the prewarmed render process imports ``shipped`` alone.
"""
