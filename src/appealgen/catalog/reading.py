"""Reading a file someone named, at a bounded cost: the data folder's TOML here, supporter lists
in ``mailing``. Only a regular file (or a link to one) is read, and only if it is no larger than
a limit, both checked before the first byte is read: a named pipe would wait for a writer
forever, and /dev/zero or a huge file would fill the memory.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

NOT_FILES = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
"""What a path is when it is not a regular file, as a message names it."""


class FileRefused(Exception):
    """Why a file is not read, without its path (the caller names it as it names files)."""


class NotAFile(FileRefused):
    """The path is a folder, a FIFO, a socket or a device."""


class TooLarge(FileRefused):
    """The file is larger than its limit."""


def not_a_file(mode: int) -> str | None:
    """``it is a FIFO (named pipe), not a file`` (or a folder, socket, device), or None for a
    regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((kind for test, kind in NOT_FILES if test(mode)), "something else")
    return f"it is {kind}, not a file"


def megabytes(size: int) -> int:
    """``size`` bytes in MB (2²⁰ bytes), rounded up: a file just over a limit is not shown at it."""
    return math.ceil(size / (1 << 20))


def too_large(size: int, limit: int, what: str) -> str:
    """``too large (N MB; WHAT may have at most L MB)``."""
    return f"too large ({megabytes(size)} MB; {what} may have at most {megabytes(limit)} MB)"


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; ``what`` names such a
    file in the refusal ("a data file"). Raise ``NotAFile`` or ``TooLarge`` for anything else,
    ``OSError`` when the file cannot be opened."""
    _check(os.stat(path), limit, what)  # first, through a link: a socket cannot even be opened
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        # What was opened is checked again: a FIFO put in its place opens without waiting
        # (O_NONBLOCK) and is refused here.
        _check(os.fstat(fd), limit, what)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)  # a file that grew since is still read only so far
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(too_large(len(data), limit, what))
    return data


def _check(info: os.stat_result, limit: int, what: str) -> None:
    if (reason := not_a_file(info.st_mode)) is not None:
        raise NotAFile(reason)
    if info.st_size > limit:
        raise TooLarge(too_large(info.st_size, limit, what))
