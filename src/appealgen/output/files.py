"""Writing results: a file appears complete or not at all, only where a file belongs.

A result goes to a regular file (replaced, keeping its mode) or a new path (created as
``open()`` would, under the umask), never onto a FIFO, socket, device or folder. It is written
to a temp file beside it (``.NAME.XXXXXXXX.part``, locked while it is written) and renamed
into place; a temp file that no running write holds is an older run's, and is removed.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from appealgen.catalog.reading import NOT_FILES
from appealgen.errors import AppealgenError

if sys.platform != "win32":
    import fcntl

_UNSAFE = re.compile(r"[^\w.-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 120
HOLD_ENV = "APPEALGEN_TEST_HOLD_PARTS"
"""For the signal tests: a write waits (up to a minute, or until its parent process is gone)
once its temp file is complete, so a real signal can be sent at a known point instead of a
guessed time."""

ANOTHER_O = "choose another -o"
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_RANDOM = 8  # hex digits in a temp file's name
_TEMP = re.compile(rf"[0-9a-z_]{{{_RANDOM}}}\.part")  # also mkstemp's names, from older versions


def safe_filename(stem: str, suffix: str = ".pdf", fallback: str = "letter", limit: int = MAX_NAME) -> str:
    """A file name safe on every system: no separators, no reserved names, bounded length;
    ``fallback`` when nothing of ``stem`` is left (a name in Chinese script)."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_stem).strip(".-_")[:limit].strip(".-_") or fallback
    if cleaned.split(".")[0].lower() in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned + suffix


def write_error(path: Path | str, exc: OSError) -> AppealgenError:
    """``cannot write PATH: reason``, with a hint to make room when the disk is full."""
    hint = "make room on the disk or choose another -o" if exc.errno in _DISK_FULL else ANOTHER_O
    return AppealgenError(f"cannot write {path}: {exc.strerror or exc}", hint)


def _file_in_the_way(folder: Path) -> Path | None:
    """The nearest existing ancestor of ``folder`` (or itself) if it is not a folder."""
    for ancestor in (folder, *folder.parents):
        if os.path.lexists(ancestor):
            return None if ancestor.is_dir() else ancestor
    return None


def check_target(path: Path) -> int | None:
    """Refuse to write ``path`` unless it is a regular file or a new name in an existing folder;
    return the mode of the file it would replace (None for a new one)."""
    try:
        mode = os.stat(path).st_mode  # through a link: a link to /dev/null is a device
    except (FileNotFoundError, NotADirectoryError):
        if path.parent.is_dir():
            return None
        if (blocker := _file_in_the_way(path.parent)) is not None:
            raise AppealgenError(f"cannot write {path}: {blocker} is a file, not a folder", ANOTHER_O) from None
        raise AppealgenError(f"cannot write {path}: folder {path.parent} does not exist",
                             "create the folder or choose another -o") from None
    except OSError as exc:
        raise write_error(path, exc) from None
    for test, kind in NOT_FILES:
        if test(mode):
            raise AppealgenError(f"cannot write {path}: it is {kind}, not a file", ANOTHER_O)
    return stat.S_IMODE(mode)


def make_folders(outdir: Path, *inside: str) -> None:
    """Create ``outdir`` and the folders ``inside`` it (if missing) for a job's files."""
    for folder in (outdir, *(outdir / name for name in inside)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            blocker = _file_in_the_way(folder)
            reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror or str(exc)
            raise AppealgenError(f"cannot write in {outdir}: {reason}", write_error(folder, exc).hint) from None


@contextmanager
def hold_folder(folder: Path) -> Iterator[None]:
    """Hold ``folder`` for one job: another process asking while it is held is refused. The
    lock is the folder's own (``flock``), so it leaves no file and the system drops it when the
    process ends, even by ``kill -9``."""
    if sys.platform == "win32":
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise write_error(folder, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AppealgenError(f"{folder}: another appealgen batch is writing in this folder",
                                 "wait for it to finish, or choose another -o") from None
        yield
    finally:
        os.close(fd)


def _hold() -> None:
    """For the signal tests (``HOLD_ENV``): wait up to a minute, or until the process that
    started this one is gone (a render worker whose run was killed must not outlive it by a
    minute; its parent is the forkserver, which waits for it)."""
    from multiprocessing import parent_process

    starter, parent, deadline = parent_process(), os.getppid(), time.monotonic() + 60
    while time.monotonic() < deadline and os.getppid() == parent and (starter is None or starter.is_alive()):
        time.sleep(0.05)


def _temp_prefix(path: Path) -> str:
    """``.NAME.``, with NAME cut short so the temp name fits wherever NAME itself fits."""
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    name = path.name
    while name and len(os.fsencode(f".{name}.{'0' * _RANDOM}.part")) > limit:
        name = name[:-1]
    return f".{name}."


def _remove_stale_temps(path: Path, prefix: str) -> None:
    """Remove the temp files of ``path`` that older runs left (killed, or out of power): those
    that no running write holds locked."""
    if sys.platform == "win32":
        return
    with suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and _TEMP.fullmatch(entry.name[len(prefix):])):
                continue
            with suppress(OSError):
                fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a write holds it
                    if stat.S_ISREG(os.fstat(fd).st_mode):
                        os.unlink(entry.path)
                finally:
                    os.close(fd)


def _create_temp(path: Path, prefix: str) -> tuple[int, Path]:
    """A new temp file beside ``path``, created as ``open()`` would (mode 0666 less the umask)
    and locked, so another run's clean-up leaves it alone."""
    while True:
        temp = path.parent / f"{prefix}{secrets.token_hex(_RANDOM // 2)}.part"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        if sys.platform == "win32":
            return fd, temp
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # not removed by a clean-up before it was locked
            return fd, temp
        os.close(fd)


@contextmanager
def atomic_path(path: Path, swept: bool = False) -> Iterator[Path]:
    """A temp file beside ``path`` to write; renamed to ``path`` when the block ends without an
    error, removed when it fails or the program is stopped. An ``OSError`` (disk full, no
    permission) becomes ``cannot write PATH: reason``. Older runs' temp files of ``path`` are
    removed first, unless the caller has ``swept`` the folder of them already (the folder is
    read through each time: a mailing writing thousands of files in one folder sweeps once)."""
    mode = check_target(path)
    prefix = _temp_prefix(path)
    if not swept:
        _remove_stale_temps(path, prefix)
    try:
        fd, temp = _create_temp(path, prefix)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        yield temp
        os.fsync(fd)
        if os.environ.get(HOLD_ENV):
            _hold()
        check_target(path)  # nothing special appeared meanwhile
        os.replace(temp, path)
    except BaseException as exc:
        with suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise write_error(path, exc) from None
        raise
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, then rename it into place."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)


def output_path(output: str | None, default_name: str) -> str:
    """Where a one-file job writes: ``output`` (``-`` is standard output), the default name
    inside ``output`` if it is a folder, else the default name in the current folder."""
    if output is None:
        return default_name
    if output != "-" and os.path.isdir(output):
        return str(Path(output) / default_name)
    return output


def check_output(target: str) -> None:
    """Refuse, before anything is rendered, a ``target`` that ``write_output`` would refuse."""
    if target != "-":
        check_target(Path(target))
    elif sys.stdout is not None and sys.stdout.isatty():  # a PDF is not for reading on a screen
        raise AppealgenError("will not write a PDF to the terminal (-o -)",
                             "give -o a file name, or send standard output elsewhere: -o - | lp")


def write_output(target: str, data: bytes) -> str:
    """Write to ``target`` (``-`` is standard output); return where it went."""
    if target == "-":
        write_stdout(data)
        return "standard output"
    path = Path(target)
    write_atomic(path, data)
    return str(path)


def write_stdout(data: bytes) -> None:
    """Write all of ``data`` to standard output, or say why not in one line."""
    stream = sys.stdout
    if stream is None:
        raise AppealgenError("cannot write to standard output: it is closed", "give -o a file name")
    try:
        stream.flush()
        try:
            fd = stream.fileno()
        except (OSError, ValueError):  # not a file (a test's capture): its own buffer
            stream.buffer.write(data)
            stream.buffer.flush()
            return
        # A buffered writer repeats a short write until all is written or it fails: with
        # PYTHONUNBUFFERED=1, sys.stdout.buffer is a raw file whose short write is silent.
        with open(fd, "wb", closefd=False) as raw:
            raw.write(data)
    except OSError as exc:
        raise write_error("to standard output", exc) from None
