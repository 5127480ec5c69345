"""Writing results: a file appears complete or not at all."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from appealgen.errors import AppealgenError

_UNSAFE = re.compile(r"[^\w.-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 120


def safe_filename(stem: str, suffix: str = ".pdf") -> str:
    """A file name safe on every system: no separators, no reserved names, bounded length."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_stem).strip(".-_")[:MAX_NAME] or "letter"
    if cleaned.split(".")[0].lower() in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned + suffix


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, then rename it into place."""
    folder = path.parent
    if not folder.is_dir():
        raise AppealgenError(f"cannot write {path}: folder {folder} does not exist",
                             "create the folder or choose another -o")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise AppealgenError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_output(target: str, data: bytes) -> str:
    """Write to ``target`` (``-`` is standard output); return where it went."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "standard output"
    path = Path(target)
    write_atomic(path, data)
    return str(path)
