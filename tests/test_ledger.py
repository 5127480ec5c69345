"""The action ledger: what letter, labels, envelope and batch produce is counted; real processes
write it at once; ledgers merge without double counting; a file that is not a sound appealgen
ledger is refused and left as it was; tally reads it back as a table, CSV, JSON and the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from appealgen.ledger import store
from appealgen.ledger.store import Action, Ledger
from appealgen.ledger.tally import date_range

from .conftest import Run
from .test_batch import HEADER, ROWS, write_csv

UA = ("--case", "zhanargul-zhumatai")


def add(run: Run, *args: str) -> None:
    result = run("tally", "add", *args)
    assert result.exit_code == 0, result.stderr


def tally_json(run: Run, *args: str) -> list[dict[str, object]]:
    result = run("tally", "--json", *args)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_tally_add_and_report_text(run: Run) -> None:
    add(run, *UA, "--target", "chen-xiaojiang", "--letters", "30", "--emails", "5", "--today", "2023-05-01")
    add(run, *UA, "--target", "qin-gang", "--letters", "7", "--calls", "2", "--today", "2023-05-15")
    result = run("tally", "report", *UA)
    assert result.exit_code == 0
    assert result.stdout == "UA 26/23: 37 letters, 5 emails, 2 calls to Chen Xiaojiang and Qin Gang, 1–15 May 2023\n"
    assert run("tally", "report", *UA, "--until", "2023-05-10").stdout == (
        "UA 26/23: 30 letters, 5 emails to Chen Xiaojiang, 1 May 2023\n")
    assert run("tally", "report", "--case", "xinjiang-detainees").stdout.endswith(": no actions recorded\n")


def test_tally_add_says_what_it_added_and_refuses_nothing_or_unknown(run: Run, ledger: Path) -> None:
    result = run("tally", "add", *UA, "--handwritten", "12", "--posts", "1", "--today", "2023-05-02")
    assert result.stderr == f"Added 12 handwritten letters, 1 post on zhanargul-zhumatai to {ledger}\n"
    nothing = run("tally", "add", *UA)
    assert (nothing.exit_code, nothing.stderr.splitlines()) == (
        1, ["Error: nothing to add", "Hint: give a count, e.g. --handwritten 12"])
    unknown = run("tally", "add", "--case", "no-such-case", "--letters", "1")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("Error: ")
    assert [row["count"] for row in tally_json(run)] == [12, 1]


def test_tally_csv_and_json_parse_back(run: Run) -> None:
    add(run, *UA, "--target", "chen-xiaojiang", "--letters", "3", "--calls", "1", "--today", "2023-05-01")
    add(run, *UA, "--letters", "2", "--today", "2023-05-03")
    expected = [{"case": "zhanargul-zhumatai", "day": "2023-05-01", "channel": "letter", "count": 3},
                {"case": "zhanargul-zhumatai", "day": "2023-05-01", "channel": "call", "count": 1},
                {"case": "zhanargul-zhumatai", "day": "2023-05-03", "channel": "letter", "count": 2}]
    assert tally_json(run, "--by", "day") == expected
    as_csv = run("tally", "--csv", "--by", "day").stdout
    assert list(csv.DictReader(io.StringIO(as_csv))) == [{**row, "count": str(row["count"])} for row in expected]
    assert tally_json(run, "--by", "channel", "--since", "2023-05-02") == [
        {"case": "zhanargul-zhumatai", "channel": "letter", "count": 2}]
    table = run("tally").stdout
    assert "chen-xiaojiang" in table and "call" in table
    bad = run("tally", "--since", "May")
    assert (bad.exit_code, bad.stderr) == (1, "Error: --since must be a date as YYYY-MM-DD, not 'May'\n")


def test_tally_after_a_batch_counts_each_letter_per_official_and_language(run: Run, tmp_path: Path) -> None:
    supporters = write_csv(tmp_path / "supporters.csv", [HEADER, *ROWS])
    result = run("--today", "2026-11-21", "batch", str(supporters), "-o", str(tmp_path / "out"),
                 "--case", "kamile-wayit", "--target", "chen-xiaojiang", "--target", "zheng-zeguang",
                 "--after-deadline")
    assert result.exit_code == 0, result.stderr
    rows = tally_json(run, "--by", "target", "--by", "lang")
    counts = {(row["target"], row["lang"], row["channel"]): row["count"] for row in rows}
    assert counts == {(target, lang, "letter"): len(ROWS) for target in ("chen-xiaojiang", "zheng-zeguang")
                      for lang in ("en", "zh")} | {(target, "", "label"): len(ROWS)
                                                    for target in ("chen-xiaojiang", "zheng-zeguang")}
    assert {row["case"] for row in rows} == {"kamile-wayit"}


def test_a_letter_is_counted_and_a_refused_one_makes_no_ledger(run: Run, ledger: Path, tmp_path: Path) -> None:
    refused = run("--today", "2026-11-21", "letter", "kamile-wayit", "-o", str(tmp_path / "x.pdf"))
    assert refused.exit_code == 1
    assert not ledger.exists()
    written = run("--today", "2026-11-21", "letter", "kamile-wayit", "--target", "chen-xiaojiang", "--lang", "zh",
                  "--after-deadline", "-o", str(tmp_path / "x.pdf"))
    assert written.exit_code == 0, written.stderr
    with Ledger.open(ledger, read_only=True) as opened:
        [action] = opened.actions()
    assert (action.case_id, action.target, action.channel, action.lang, action.count, action.day) == (
        "kamile-wayit", "chen-xiaojiang", "letter", "zh", 1, dt.date(2026, 11, 21))
    assert len(action.id) == 36 and action.station


def test_merging_the_same_ledger_twice_counts_nothing_twice(run: Run, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.sqlite"
    result = run("tally", "add", *UA, "--letters", "4", "--calls", "1", "--today", "2023-05-02",
                 "--ledger", str(laptop))
    assert result.exit_code == 0, result.stderr
    add(run, *UA, "--letters", "1", "--today", "2023-05-01")
    first = run("tally", "merge", str(laptop), str(laptop))
    assert first.stderr.splitlines() == [f"Merged {laptop}: 2 new, 0 already counted",
                                         f"Merged {laptop}: 0 new, 2 already counted"]
    again = run("tally", "merge", str(laptop))
    assert again.stderr == f"Merged {laptop}: 0 new, 2 already counted\n"
    assert run("tally", "report", *UA).stdout == "UA 26/23: 5 letters, 1 call, 1–2 May 2023\n"
    assert run("tally", "report", *UA, "--ledger", str(laptop)).stdout == "UA 26/23: 4 letters, 1 call, 2 May 2023\n"


def _sql(path: Path, statement: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(statement)
    db.close()  # the last connection closing writes the WAL back into the file


def _foreign(path: Path) -> None:
    _sql(path, "CREATE TABLE contacts (name TEXT)")


def _ledger(path: Path) -> None:
    with Ledger.open(path) as ledger:
        ledger.record([Action("kamile-wayit", "chen-xiaojiang", "letter", "en", 1, dt.date(2023, 5, 1))
                       for _ in range(300)])


def _truncated(path: Path) -> None:
    _ledger(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _zeroed(path: Path) -> None:
    _ledger(path)
    data = path.read_bytes()
    path.write_bytes(data[:-4096] + bytes(4096))


def _newer(path: Path) -> None:
    _ledger(path)
    _sql(path, "PRAGMA user_version = 99")


NOT_OURS = "Hint: give --ledger the path of a new or an appealgen ledger file"
DAMAGED = "Hint: keep a copy, then give --ledger a new file and merge what can be read"


@pytest.mark.parametrize(("make", "lines"), [
    (lambda path: path.write_text("names and addresses\n"),
     ["Error: {path} is not an appealgen ledger (not an SQLite database)", NOT_OURS]),
    (_foreign, ["Error: {path} is not an appealgen ledger (it is another program's database)", NOT_OURS]),
    (_truncated, ["Error: ledger {path} is damaged (database disk image is malformed); it was left as it is",
                  DAMAGED]),
    (_zeroed, ["Error: ledger {path} is damaged (database disk image is malformed); it was left as it is",
               DAMAGED]),
    (_newer, ["Error: ledger {path} was written by a newer appealgen (schema 99)",
              "Hint: update appealgen to read it"]),
], ids=["text", "foreign", "truncated", "zeroed", "newer"])
def test_a_ledger_not_sound_and_ours_is_refused_and_left_as_it_was(make: Callable[[Path], object], lines: list[str],
                                                                     run: Run, tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    make(path)
    before = path.read_bytes()
    expected = [line.format(path=path) for line in lines]
    for args in (("tally",), ("tally", "add", *UA, "--letters", "1"),
                 ("--today", "2026-11-21", "envelope", "--target", "chen-xiaojiang", "-o", str(tmp_path / "e.pdf"))):
        result = run("--ledger", str(path), *args)
        assert (result.exit_code, result.stderr.splitlines()) == (1, expected), args
    merged = run("tally", "merge", str(path))
    assert (merged.exit_code, merged.stderr.splitlines()) == (1, expected)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.sqlite"]


def test_an_older_ledger_migrates_forward_and_keeps_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.sqlite"
    _ledger(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (1,)
    # a later appealgen's schema: one more step
    monkeypatch.setattr(store, "MIGRATIONS", (*store.MIGRATIONS, "ALTER TABLE actions ADD COLUMN outcome TEXT"))
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    with Ledger.open(path) as ledger:
        assert len(ledger.actions()) == 300
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (2,)
    assert "outcome" in [column[1] for column in db.execute("PRAGMA table_info(actions)")]
    db.close()


WRITER = textwrap.dedent("""
    import datetime as dt, sys, time
    from pathlib import Path
    from appealgen.ledger.store import Action, Ledger
    path, name = Path(sys.argv[1]), sys.argv[2]
    while not Path(sys.argv[3]).exists():  # both start writing at the same moment
        time.sleep(0.001)
    for n in range(40):
        with Ledger.open(path) as ledger:
            ledger.record([Action("kamile-wayit", name, "letter", "en", 1, dt.date(2023, 5, 1))])
""")


def test_two_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    path, go = tmp_path / "new" / "ledger.sqlite", tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(go)])
               for name in ("first", "second")]
    go.touch()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    with Ledger.open(path, read_only=True) as ledger:
        actions = ledger.actions()
    assert len(actions) == 80 and len({a.id for a in actions}) == 80
    assert sorted(a.target for a in actions) == ["first"] * 40 + ["second"] * 40


@pytest.mark.parametrize(("first", "last", "text"), [
    ("2023-05-01", "2023-05-01", "1 May 2023"),
    ("2023-05-01", "2023-05-15", "1–15 May 2023"),
    ("2023-04-28", "2023-05-15", "28 April – 15 May 2023"),
    ("2022-12-30", "2023-01-02", "30 December 2022 – 2 January 2023"),
])
def test_date_range(first: str, last: str, text: str) -> None:
    assert date_range(dt.date.fromisoformat(first), dt.date.fromisoformat(last)) == text


def test_an_empty_file_is_a_new_ledger(run: Run, ledger: Path) -> None:
    ledger.write_bytes(b"")
    empty = run("tally")
    assert (empty.exit_code, empty.stderr) == (0, f"Nothing recorded in {ledger}\n")
    add(run, *UA, "--calls", "1", "--today", "2023-05-01")
    assert run("tally", "report", *UA).stdout == "UA 26/23: 1 call, 1 May 2023\n"
