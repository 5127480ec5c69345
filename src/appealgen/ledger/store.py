"""The ledger file: an SQLite database in WAL mode that several processes (and, after a merge,
several laptops) write to without losing or double counting a row.

Each row is one kind of thing produced at one go: case, official, channel, language, how many,
the day (the command's ``today``), the station (host name) and a uuid4 that keys the row, so a
merge adds each row once however often it is run. No supporter's name, address or note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from appealgen.errors import AppealgenError

LEDGER_ENV = "APPEALGEN_LEDGER"
ACTION_CHANNELS = ("letter", "handwritten", "email", "fax", "call", "post")
"""What a supporter did: the report-back counts these."""
SUPPLY_CHANNELS = ("label", "envelope")
"""What was printed to send the letters: kept, shown by ``tally``, not counted as actions."""
CHANNELS = ACTION_CHANNELS + SUPPLY_CHANNELS

# Written into the file's header (PRAGMA application_id): "AGLD". A file without it is not ours.
APPLICATION_ID = 0x41474C44
BUSY_MS = 30_000  # another process holds the write lock only for one short transaction

# Each entry takes the schema from version N to N + 1; a newer appealgen appends, never edits.
MIGRATIONS: tuple[str, ...] = (
    f"""
    CREATE TABLE actions (
        id       TEXT PRIMARY KEY,
        case_id  TEXT NOT NULL,
        target   TEXT NOT NULL DEFAULT '',
        channel  TEXT NOT NULL CHECK (channel IN ({", ".join(repr(c) for c in CHANNELS)})),
        lang     TEXT NOT NULL DEFAULT '',
        count    INTEGER NOT NULL CHECK (count > 0),
        day      TEXT NOT NULL,
        station  TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX actions_case_day ON actions (case_id, day);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Action:
    """Something produced: ``count`` items on ``channel`` about ``case_id`` to ``target``."""

    case_id: str
    target: str
    channel: str
    lang: str
    count: int
    day: dt.date
    station: str = ""
    id: str = ""


Record = Callable[[Sequence[Action]], None]
"""Told what a job produced, after its file is written (the CLI's records into the ledger)."""


def no_record(_actions: Sequence[Action]) -> None:
    """The default ``record``: a program that does not ask keeps no ledger."""


def default_ledger_path() -> Path:
    """``APPEALGEN_LEDGER``, else ``ledger.sqlite`` in the user's data folder."""
    if os.environ.get(LEDGER_ENV):
        return Path(os.environ[LEDGER_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("appealgen", appauthor=False)) / "ledger.sqlite"


def station() -> str:
    """This computer's name: which laptop at an event made the row."""
    return socket.gethostname()


class Ledger:
    """An open ledger file; ``Ledger.open(path)`` checks it is appealgen's and brings its
    schema up to date."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._version = SCHEMA_VERSION

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Ledger:
        """Open (or, unless ``read_only``, create) the ledger at ``path``. A file that is not an
        appealgen ledger, a damaged one or one from a newer appealgen is refused unchanged."""
        if path.is_dir():
            raise AppealgenError(f"ledger {path} is a folder", "give --ledger a file name, e.g. ledger.sqlite")
        if read_only and not path.exists():
            raise AppealgenError(f"ledger {path} does not exist", "give the path of a ledger file")
        if not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AppealgenError(f"cannot create the folder for ledger {path}: {exc.strerror}") from None
        # Reading opens read-write where it may (with query_only, so nothing is written): the last
        # connection to close then removes the -wal and -shm files that a read-only one leaves.
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        mode = "rwc" if not read_only else "rw" if writable else "ro"
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_MS / 1000,
                                 isolation_level=None)
            if read_only:
                db.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise AppealgenError(f"cannot open ledger {path}: {exc}") from None
        ledger = cls(path, db)
        try:
            ledger._check_and_prepare(read_only)
        except sqlite3.Error as exc:
            db.close()
            raise _damaged(path, exc) from None
        except BaseException:
            db.close()
            raise
        return ledger

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _check_and_prepare(self, read_only: bool) -> None:
        """``_check`` then, to write, ``_prepare``. Two processes that open a new ledger at the
        same moment meet a lock the busy timeout does not wait for (changing the journal mode
        takes the file whole): the later one tries again until the first is done."""
        deadline = time.monotonic() + BUSY_MS / 1000
        while True:
            try:
                self._check()
                if not read_only:
                    self._prepare()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _check(self) -> None:
        """Refuse, before anything is written, a file that is not ours, damaged or too new."""
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        # One statement, so one snapshot: read apart, a second process creating the ledger in
        # between would make a new ledger look like another program's database.
        app_id, version, tables = db.execute(
            "SELECT (SELECT application_id FROM pragma_application_id),"
            " (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)").fetchone()
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            raise AppealgenError(f"{self.path} is not an appealgen ledger (it is another program's database)",
                                 "give --ledger the path of a new or an appealgen ledger file")
        self._version = version
        if version > SCHEMA_VERSION:
            raise AppealgenError(f"ledger {self.path} was written by a newer appealgen (schema {version})",
                                 "update appealgen to read it")
        if tables and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")

    def _prepare(self) -> None:
        """WAL mode (readers never wait for the writer), then the schema migrated forward, in a
        transaction that a second process starting at the same moment waits for."""
        db = self._db
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        with self._transaction():
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for step in MIGRATIONS[version:]:
                for statement in step.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._version = SCHEMA_VERSION

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def record(self, actions: Iterable[Action]) -> int:
        """Add ``actions`` (each given a station and a new id if it has none); return how many."""
        rows = [(a.id or str(uuid.uuid4()), a.case_id, a.target, a.channel, a.lang, a.count, a.day.isoformat(),
                 a.station or station()) for a in actions if a.count > 0]
        try:
            with self._transaction():
                self._db.executemany("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise self._unwritable(exc) from None
        return len(rows)

    def _unwritable(self, exc: sqlite3.Error) -> AppealgenError:
        return AppealgenError(f"cannot write to ledger {self.path}: {exc}",
                              "what was made is on disk but not counted: add it with `appealgen tally add`")

    def actions(self, case_id: str | None = None, since: dt.date | None = None,
                until: dt.date | None = None) -> list[Action]:
        """The rows, oldest day first, optionally of one case and between two days (inclusive)."""
        if self._version == 0:  # an empty file, opened to read: nothing recorded yet
            return []
        query, args = "SELECT case_id, target, channel, lang, count, day, station, id FROM actions WHERE 1", []
        for clause, value in (("case_id = ?", case_id), ("day >= ?", since and since.isoformat()),
                              ("day <= ?", until and until.isoformat())):
            if value:
                query += f" AND {clause}"
                args.append(value)
        try:
            found = self._db.execute(query + " ORDER BY day, case_id, target, channel, lang", args).fetchall()
        except sqlite3.Error as exc:
            raise _damaged(self.path, exc) from None
        return [Action(c, t, ch, lang, n, dt.date.fromisoformat(day), st, i) for c, t, ch, lang, n, day, st, i in found]

    def merge(self, other: Ledger) -> tuple[int, int]:
        """Add the rows of ``other`` that this ledger does not hold (by id); return (added, known)."""
        theirs = other.actions()
        try:
            with self._transaction():
                before = self._db.total_changes
                self._db.executemany(
                    "INSERT OR IGNORE INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(a.id, a.case_id, a.target, a.channel, a.lang, a.count, a.day.isoformat(), a.station)
                     for a in theirs])
                added = self._db.total_changes - before
        except sqlite3.Error as exc:
            raise AppealgenError(f"cannot merge {other.path} into ledger {self.path}: {exc}",
                                 "nothing of it was merged") from None
        return added, len(theirs) - added


def _damaged(path: Path, exc: sqlite3.Error) -> AppealgenError:
    if "not a database" in str(exc):
        return AppealgenError(f"{path} is not an appealgen ledger (not an SQLite database)",
                              "give --ledger the path of a new or an appealgen ledger file")
    return AppealgenError(f"ledger {path} is damaged ({exc}); it was left as it is",
                          "keep a copy, then give --ledger a new file and merge what can be read")


def recorder(path: Path) -> Record:
    """A ``record`` that appends to the ledger at ``path``. An existing file is checked now, before
    any job writes a file; a new one is made only when there is something to record."""
    if path.exists():
        Ledger.open(path, read_only=True).close()

    def record(actions: Sequence[Action]) -> None:
        with Ledger.open(path) as ledger:
            ledger.record(actions)

    return record
