"""Hostile or broken input costs little: memory bombs, endless files, huge counts and long text are
refused with one line naming the file, row, key or option, before they are read or run.

The bombs run the CLI in a child process whose address space is capped (``RLIMIT_AS``), so code
that falls for one fails with a MemoryError instead of taking the machine's memory; a timeout
guards against a hang. Nothing here measures speed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from .conftest import Run, appealgen, edit
from .test_batch import CASE, TODAY

MEMORY_CAP = 2_000_000_000
"""Bytes of address space for a child process: plenty for appealgen, far less than a bomb takes."""
HANG_GUARD = 120
"""Seconds; a run this long is hung (each of these takes a few seconds)."""
DATA_HINT = "Hint: fix the file named above, then run `appealgen validate`"
ROW_HINT = "Hint: fix this row, or add --skip-invalid to print the good rows and list the bad ones in the manifest"
XLSX_HINT = "Hint: save it from Excel as .xlsx, or export CSV UTF-8"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def capped(*args: str) -> tuple[int, list[str]]:
    """``appealgen ARGS`` in a child process with capped memory: exit code and stderr lines."""
    try:
        done = appealgen(*args, timeout=HANG_GUARD, preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"appealgen {next(a for a in args if not a.startswith('-'))} was still running after "
                    f"{HANG_GUARD} s")
    return done.returncode, done.stderr.splitlines()


def xlsx(path: Path, rows: list[list[str]],
         edit: Callable[[str, bytes], bytes | None] = lambda name, data: data) -> Path:
    """A workbook of ``rows`` on its first sheet, each part passed through ``edit`` (None drops it)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = edit(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item.filename, data)
    plain.unlink()
    return path


SHEET = "xl/worksheets/sheet1.xml"


# Item 5: memory bombs ------------------------------------------------------------------------

def test_xlsx_whose_dimension_claims_the_whole_sheet_is_read_by_its_cells(tmp_path: Path) -> None:
    """5 KB that claims 16,384 columns and ends at row 30,000: openpyxl's read-only mode pads every
    row to the claimed width (3.9 GB before); the real cells are read instead."""
    def lie(name: str, data: bytes) -> bytes:
        if name == SHEET:
            data = data.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD30000"/>')
            data = data.replace(b"</sheetData>", b'<row r="30000"/></sheetData>')
            assert b"XFD30000" in data and b'r="30000"' in data
        return data

    path = xlsx(tmp_path / "dim.xlsx", [["name", "case"], ["Jane Doe", "nope"]], lie)
    assert path.stat().st_size < 10_000
    result = capped(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"))
    assert result[0] == 1
    assert result[1] == ["Error: dim.xlsx: row 2: case is not a case appealgen knows (see `appealgen cases`)", ROW_HINT]
    assert not (tmp_path / "out").exists()


def test_xlsx_with_rows_past_the_limit_is_refused(tmp_path: Path) -> None:
    """A cell at row 1,048,576 makes openpyxl yield every row above it."""
    def far(name: str, data: bytes) -> bytes:
        if name == SHEET:
            data = data.replace(b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>')
            data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Late'
                                b"</t></is></c></row></sheetData>")
            assert b"XFD1048576" in data and b"A1048576" in data
        return data

    path = xlsx(tmp_path / "far.xlsx", [["name"], ["Jane Doe"]], far)
    result = capped(*TODAY, "batch", str(path), *CASE, "-o", str(tmp_path / "out"))
    assert result[0] == 1
    assert result[1] == [f"Error: {path}: more than 100000 rows; a supporter list may have at most 100000",
                              "Hint: split the list into several files"]
    assert not (tmp_path / "out").exists()


def test_xlsx_that_unpacks_to_too_much_is_refused_before_parsing(tmp_path: Path) -> None:
    """300 MB of whitespace in the sheet's XML packs into 300 KB; it is refused from the zip's
    directory, before any of it is unpacked."""
    good = xlsx(tmp_path / "good.xlsx", [["name"], ["Jane Doe"]])
    path = tmp_path / "spaces.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != SHEET:
                target.writestr(item.filename, data)
                continue
            head, tail = data.split(b"<sheetData>")
            with target.open(SHEET, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                chunk = b" " * (1 << 20)
                for _ in range(299):
                    stream.write(chunk)
                stream.write(b" " * ((1 << 20) - (64 << 10)) + tail)
    assert path.stat().st_size < 2_000_000
    result = capped(*TODAY, "batch", str(path), *CASE, "-o", str(tmp_path / "out"))
    assert result[0] == 1
    assert result[1] == [f"Error: {path}: unpacks to 300 MB; a supporter workbook may unpack to at most 200 MB",
                              "Hint: save it from Excel again, or export CSV UTF-8"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("rows = 7\n", "rows = 1000000000000\n", "sheet.L7160: rows: Input should be less than or equal to 50"),
    ("columns = 3\n", "columns = 10000\n", "sheet.L7160: columns: Input should be less than or equal to 20"),
])
def test_label_sheet_with_too_many_rows_or_columns_is_a_problem(old: str, new: str, message: str,
                                                                data_copy: Path) -> None:
    """10¹² rows took every byte of memory, 10,000 columns hours of pairwise overlap checks."""
    edit(data_copy / "labels.toml", old, new)
    result = capped("--data-dir", str(data_copy), "validate")
    assert result[0] == 1
    assert result[1] == [f"Error: labels.toml: {message}", DATA_HINT]


def test_label_overlaps_are_found_without_comparing_every_pair(data_copy: Path) -> None:
    """The largest grid allowed, its pitch smaller than its labels: one problem per direction,
    not one per pair of cells."""
    edit(data_copy / "labels.toml",
               "label_width = 63.5\nlabel_height = 38.1\npitch_x = 66.04\npitch_y = 38.1\n"
               "margin_left = 7.2\nmargin_top = 15.15\ncolumns = 3\nrows = 7\n",
               "label_width = 10\nlabel_height = 5\npitch_x = 9\npitch_y = 4\n"
               "margin_left = 10\nmargin_top = 10\ncolumns = 20\nrows = 50\n")
    result = capped("--data-dir", str(data_copy), "validate")
    assert result[0] == 1
    assert result[1] == [
        "Error: labels.toml: sheet.L7160: cell 1 (row 1, column 1) and cell 2 (row 1, column 2) overlap "
        "(pitch_x 9 mm is less than label_width 10 mm)",
        "Error: labels.toml: sheet.L7160: cell 1 (row 1, column 1) and cell 21 (row 2, column 1) overlap "
        "(pitch_y 4 mm is less than label_height 5 mm)",
        DATA_HINT]


def test_label_count_is_bounded(tmp_path: Path) -> None:
    """--count 100000000 built a hundred million labels in memory before rendering any."""
    result = capped(*TODAY, "labels", "--target", "chen-xiaojiang", "--count", "100000000",
                    "-o", str(tmp_path / "labels.pdf"))
    assert result[0] == 1
    assert result[1] == ["Error: --count 100000000 needs 4761905 sheets of L7160; at most 100 sheets are "
                              "printed at once", "Hint: give --count 2100 or less"]
    assert list(tmp_path.iterdir()) == []


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _huge(path: Path) -> None:
    """A link to a sparse 4 GB file (it takes no disk)."""
    huge = path.with_name(f"{path.name}.huge")
    with huge.open("wb") as stream:
        stream.truncate(4 << 30)
    path.symlink_to(huge)


@pytest.mark.parametrize(("make", "message"), [
    (_fifo, "it is a FIFO (named pipe), not a file"),
    (_huge, "too large (4096 MB; a data file may have at most 4 MB)"),
], ids=["fifo", "huge"])
def test_case_file_that_is_no_file_or_huge_is_refused_without_reading(
        make: Callable[[Path], None], message: str, data_copy: Path) -> None:
    """A named pipe waited for a writer forever; a huge file (or /dev/zero) filled the memory."""
    make(data_copy / "cases" / "odd.toml")
    result = capped("--data-dir", str(data_copy), "validate")
    assert result[0] == 1
    assert result[1] == [f"Error: cases/odd.toml: {message}", DATA_HINT]


@pytest.mark.parametrize(("make", "message", "hint"), [
    (_fifo, "it is a FIFO (named pipe), not a file", "save the list as a file and give its path"),
    (_huge, "too large (4096 MB; a supporter list may have at most 64 MB)", "split the list into several files"),
], ids=["fifo", "huge"])
def test_supporter_list_that_is_no_file_or_huge_is_refused_without_reading(
        make: Callable[[Path], None], message: str, hint: str, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    make(path)
    result = capped(*TODAY, "batch", str(path), *CASE, "-o", str(tmp_path / "out"))
    assert result[0] == 1
    assert result[1] == [f"Error: {path}: {message}", f"Hint: {hint}"]
    assert not (tmp_path / "out").exists()


# Item 6: long text ---------------------------------------------------------------------------

def test_a_long_word_in_the_sender_address_is_refused(tmp_path: Path) -> None:
    """A 4,000-character word kept label fitting busy for minutes."""
    result = capped(*TODAY, "labels", "--target", "chen-xiaojiang", "--sender-name", "Jane Doe",
                    "--sender-address", "x" * 4000, "-o", str(tmp_path / "labels.pdf"))
    assert result[0] == 1
    assert result[1] == ["Error: --sender-address line 1 is too long (4000 characters; at most 200)",
                              "Hint: shorten it"]
    assert "x" * 20 not in "\n".join(result[1])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--sender-name", "Jane" * 750, "--sender-name is too long (3000 characters; at most 200)"),
    ("--sender-address", "1 High Street\n" + "Oxford " * 30, "--sender-address line 2 is too long "
     "(209 characters; at most 200)"),
    ("--note", "I care. " * 200, "--note is too long (1599 characters; at most 1000)"),
])
def test_long_typed_text_is_refused(option: str, value: str, message: str, run: Run, tmp_path: Path) -> None:
    result = run(*TODAY, "letter", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline",
                 option, value, "-o", str(tmp_path / "letter.pdf"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {message}", "Hint: shorten it"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("column", "value", "message"), [
    ("name", "Ann" * 1000, "name is too long (3000 characters; at most 200)"),
    ("address", "x" * 201, "address line 1 is too long (201 characters; at most 200)"),
    ("city", "Leeds" * 50, "city is too long (250 characters; at most 200)"),
    ("note", "n" * 1001, "note is too long (1001 characters; at most 1000)"),
])
def test_long_supporter_text_is_a_row_problem(column: str, value: str, message: str, tmp_path: Path) -> None:
    """A 3,000-character name took a batch of one row 105 s; the value is never echoed."""
    path = tmp_path / "list.csv"
    header = ["name", column] if column != "name" else ["name"]
    cells = ["Jane Doe", value] if column != "name" else [value]
    path.write_text(",".join(header) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    result = capped(*TODAY, "batch", str(path), *CASE, "-o", str(tmp_path / "out"))
    assert result[0] == 1
    assert result[1] == [f"Error: list.csv: row 2: {message}", ROW_HINT]
    assert value[:20] not in "\n".join(result[1])
    assert not (tmp_path / "out").exists()


# Item 8: tracebacks ----------------------------------------------------------------------------

@pytest.mark.parametrize("nested", ["[" * 1000 + "1" + "]" * 1000, "{a = " * 1000 + "1" + "}" * 1000])
def test_deeply_nested_toml_is_a_problem(nested: str, data_copy: Path, run: Run) -> None:
    (data_copy / "cases" / "deep.toml").write_text(f"x = {nested}\n", encoding="utf-8")
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: cases/deep.toml: nested too deeply to read (arrays or tables inside each other)", DATA_HINT]


def _chart_sheet_only(path: Path) -> Path:
    book = openpyxl.Workbook()
    data = book.active
    data.append(["name"])
    data.append([1])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet().add_chart(chart)
    book.remove(data)
    book.save(path)
    return path


@pytest.mark.parametrize("make", [
    _chart_sheet_only,
    lambda path: xlsx(path, [["name"], ["Jane Doe"]], lambda name, data: None if name == SHEET else data),
], ids=["chart-sheet-only", "worksheet-part-removed"])
def test_xlsx_without_a_worksheet_is_refused(make: Callable[[Path], Path], run: Run, tmp_path: Path) -> None:
    path = make(tmp_path / "list.xlsx")
    result = run(*TODAY, "batch", str(path), *CASE, "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {path}: the workbook has no worksheet",
                                          "Hint: save the list on a worksheet from Excel, or export CSV UTF-8"]
    assert not (tmp_path / "out").exists()


# Item 15: validate misses ----------------------------------------------------------------------

def test_a_successor_that_is_the_official_itself_is_a_problem(data_copy: Path, run: Run) -> None:
    edit(data_copy / "targets.toml", 'successor = "chen-xiaojiang"', 'successor = "ma-xingrui"')
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: targets.toml: ma-xingrui.successor: 'ma-xingrui' is the official itself; give the one who took "
        "over", DATA_HINT]


def test_successors_that_go_round_in_a_loop_are_a_problem(data_copy: Path, run: Run) -> None:
    edit(data_copy / "targets.toml", "in_office_since = 2025-07-01 ",
         'left_office = 2026-01-01\nsuccessor = "ma-xingrui"\nin_office_since = 2025-07-01 ')
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: targets.toml: ma-xingrui.successor: the successors go round in a loop (ma-xingrui → "
        "chen-xiaojiang → ma-xingrui); give the one who took over", DATA_HINT]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("width = 220.0", "width = 1e300", "envelope.DL: width: Input should be less than or equal to 1000"),
    ("width = 220.0", "width = inf", "envelope.DL: width: Input should be a finite number"),
    ("height = 110.0", "height = nan", "envelope.DL: height: Input should be a finite number"),
    ("margin_left = 7.2", "margin_left = inf", "sheet.L7160: margin_left: Input should be a finite number"),
    ("label_width = 63.5", "label_width = 1e300", "sheet.L7160: label_width: Input should be less than or equal "
     "to 1000"),
])
def test_sizes_must_be_physical(old: str, new: str, message: str, data_copy: Path, run: Run) -> None:
    edit(data_copy / "labels.toml", old, new)
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: labels.toml: {message}", DATA_HINT]
