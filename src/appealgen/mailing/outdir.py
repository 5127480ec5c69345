"""What an OUTDIR holds: the record of the finished mailing in it, and the per-recipient files
of earlier runs that the new mailing does not have.

The record (``.appealgen-mailing.json``) holds a fingerprint of the mailing's plan (every
document's view model, the templates and software, and the options that decide how the files
are put together) and the sha256 of every file written. A rerun whose plan has the same
fingerprint, with every file still as written, has nothing to do.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from appealgen.output.files import write_atomic

RECORD = ".appealgen-mailing.json"
LETTERS_TITLE = "Appeal letters"
"""The title appealgen gives every letters PDF it writes: with the name, how its files are told
from a user's."""
_RECIPIENT_NAME = re.compile(r"\d{4,}-[A-Za-z0-9._-]+\.pdf")
"""``recipient_file_name``'s names: ``NNNN-slug.pdf``."""


def plan_fingerprint(parts: Iterable[object]) -> str:
    """A hash of everything that decides a mailing's files, given as ``repr``-able parts."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def finished_letters(outdir: Path, fingerprint: str) -> int | None:
    """The number of letters of the mailing in ``outdir`` if it is this plan's and complete
    (every file it wrote still there, unchanged); otherwise None."""
    try:
        record = json.loads((outdir / RECORD).read_bytes())
        if record["fingerprint"] != fingerprint or (outdir / "INCOMPLETE.txt").exists():
            return None
        for name, digest in record["files"].items():
            if _sha256(outdir / name) != digest:
                return None
        return int(record["letters"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # none, unreadable or not ours
        return None


def forget(outdir: Path) -> None:
    """Remove the record: the files are about to be replaced."""
    (outdir / RECORD).unlink(missing_ok=True)


def remember(outdir: Path, fingerprint: str, letters: int, files: Iterable[str]) -> None:
    """Write the record of the finished mailing: its fingerprint, letters and files' hashes."""
    record = {"fingerprint": fingerprint, "letters": letters,
              "files": {name: _sha256(outdir / name) for name in files}}
    write_atomic(outdir / RECORD, json.dumps(record, indent=1).encode())


def remove_stale_recipient_files(folder: Path, keep: set[str]) -> int:
    """Remove the per-recipient files in ``folder`` (``letters/``) that earlier runs wrote and
    the new mailing has not (not in ``keep``); the folder too if that empties it. Only files
    named as appealgen names them and titled as it titles them are removed; return how many
    other files are left there (the user's: never touched)."""
    if not folder.is_dir():
        return 0
    others = 0
    for path in sorted(folder.iterdir()):
        if path.name in keep:
            continue
        if _RECIPIENT_NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink() and _ours(path):
            path.unlink()
        else:
            others += 1
    if not keep and not others:
        folder.rmdir()
    return others


def _ours(path: Path) -> bool:
    """Whether ``path`` is a letters PDF appealgen wrote (its title)."""
    try:
        metadata = PdfReader(path).metadata
    except (OSError, PyPdfError, ValueError):
        return False
    return metadata is not None and metadata.title == LETTERS_TITLE
