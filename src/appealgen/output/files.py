"""Writing results: a file appears complete or not at all."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from appealgen.errors import AppealgenError

_UNSAFE = re.compile(r"[^\w.-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 120


def safe_filename(stem: str, suffix: str = ".pdf", fallback: str = "letter", limit: int = MAX_NAME) -> str:
    """A file name safe on every system: no separators, no reserved names, bounded length;
    ``fallback`` when nothing of ``stem`` is left (a name in Chinese script)."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_stem).strip(".-_")[:limit].strip(".-_") or fallback
    if cleaned.split(".")[0].lower() in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned + suffix


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temp file beside ``path`` (``.NAME.XXXX.part``) to write; renamed to ``path`` when the
    block ends without an error, removed when it fails."""
    folder = path.parent
    if not folder.is_dir():
        raise AppealgenError(f"cannot write {path}: folder {folder} does not exist",
                             "create the folder or choose another -o")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise AppealgenError(f"cannot write {path}: {exc.strerror}") from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        with temp.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, then rename it into place."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)


def write_output(target: str, data: bytes) -> str:
    """Write to ``target`` (``-`` is standard output); return where it went."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "standard output"
    path = Path(target)
    write_atomic(path, data)
    return str(path)
