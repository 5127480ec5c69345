"""Issue 15, helper D: text, locales and what reaches the terminal.

Every test drives the CLI. Each one failed on the code before its fix (a traceback, a supporter's
value in an error, a raw escape sequence on the terminal, a bidi control accepted, a formula
cell in the manifest).
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from babel import Locale

from .conftest import Run, page_size, pdf_text
from .test_batch import CASE, batch, write_csv

OPEN_DAY = ("--today", "2023-06-20")  # kamile-wayit is still open
LATE_DAY = ("--today", "2026-11-21")
ROW_HINT = "Hint: fix this row, or add --skip-invalid to print the good rows and list the bad ones in the manifest"
ROWS_HINT = "Hint: fix these rows, or add --skip-invalid to print the good rows and list the bad ones in the manifest"


A4_WIDTH, LETTER_WIDTH = 595.28, 612.0  # points


# --- item 7: every CLDR locale and territory works, or is a clear error / a row problem ---------------


@pytest.mark.parametrize(("locale", "date", "width"), [
    ("es_MX", "20 June 2023", LETTER_WIDTH),  # named in the README; Mexico uses Letter paper
    ("pt_BR", "20 June 2023", A4_WIDTH),
    ("ja_JP", "20 June 2023", A4_WIDTH),
    ("ru_RU", "20 June 2023", A4_WIDTH),
    ("zh_CN", "20 June 2023", A4_WIDTH),
    ("es_419", "20 June 2023", A4_WIDTH),  # a region, not a country
    ("ja", "20 June 2023", A4_WIDTH),  # no territory
    ("en_US", "June 20, 2023", LETTER_WIDTH),
    ("en_GB", "20 June 2023", A4_WIDTH),
    ("en_IN", "20 June 2023", A4_WIDTH),
])
def test_letter_accepts_any_cldr_sender_locale(locale: str, date: str, width: float, run: Run,
                                              tmp_path: Path) -> None:
    """The English letter's date is written as English in the sender's country writes it where
    CLDR has en_<territory>, else as CLDR's international English (en_001)."""
    path = tmp_path / "letter.pdf"
    result = run(*OPEN_DAY, "letter", "kamile-wayit", "--lang", "en", "--no-labels", "--sender-name", "Jane Doe",
                 "--sender-locale", locale, "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert date in pdf_text(path)
    assert page_size(path)[0] == width


def test_english_locale_cldr_lacks_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    result = run(*OPEN_DAY, "letter", "kamile-wayit", "--sender-locale", "en_JP", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr == ("Error: unknown locale 'en_JP'\n"
                             "Hint: CLDR has no en_JP; write ja_JP for Japan: the locale sets the date format "
                             "and paper, not the letter's language\n")
    assert not (tmp_path / "x.pdf").exists()


def test_rows_from_anywhere_are_planned_or_are_row_problems(run: Run, tmp_path: Path) -> None:
    """A ja_JP locale, the Canary Islands and Sark (CLDR territories with no postal data of their
    own) are printed; the European Union is a row problem, not a crash."""
    path = write_csv(tmp_path / "places.csv", [
        ["name", "address", "city", "postcode", "country", "locale"],
        ["Aiko", "1-1 Chiyoda", "Tokyo", "", "", "ja_JP"],
        ["Bea", "Calle Mayor 1", "Las Palmas", "35001", "IC", ""],
        ["Cai", "Calle Triana 2", "Las Palmas", "35002", "Canary Islands", ""],
        ["Dee", "La Seigneurie", "Sark", "GY10 1SF", "Sark", ""],
        ["Eli", "Rue Wiertz 60", "Brussels", "", "EU", ""],
    ])
    code, stderr = batch(run, path, tmp_path / "out", *CASE)
    assert code == 1
    assert stderr == ["Error: places.csv: row 6: country names a region or a place without a postal service: "
                      "write the supporter's country, as an ISO code (GB) or English name", ROW_HINT]
    assert not (tmp_path / "out").exists()
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--skip-invalid", "--lang", "en")
    assert code == 0, stderr
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert text.count("SPAIN") == 2 and "SARK" in text and "CHANNEL ISLANDS" in text


def test_every_cldr_territory_is_a_country_or_a_row_problem(run: Run, tmp_path: Path) -> None:
    """Every territory Babel knows, by code and by English name, passes the row checks (its letter
    is composed) or is a row problem: regions, groups and places without a post are refused."""
    names = Locale("en").territories
    regions = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "CP"}  # groupings, pseudo-regions, Clipperton
    rows = [["name", "country"], ["", "GB"]]  # row 2 is bad on purpose, so nothing is rendered
    expected: dict[int, str] = {2: "name is empty"}
    unknown = "country is not a country appealgen knows: write its ISO code (GB) or English name"
    region = ("country names a region or a place without a postal service: write the supporter's country, "
              "as an ISO code (GB) or English name")
    for code, name in sorted(names.items()):
        for value in (code, str(name)):
            rows.append(["Jo", value])
            if not (len(code) == 2 and code.isalpha()):
                expected[len(rows)] = unknown
            elif code in regions:
                expected[len(rows)] = region
    path = write_csv(tmp_path / "world.csv", rows)
    code, stderr = batch(run, path, tmp_path / "out", *CASE)
    assert code == 1
    found: dict[int, str] = {}
    for line in stderr[:-1]:
        match = re.fullmatch(r"Error: world\.csv: rows? ([\d, -]+): (.*)", line)
        assert match, line
        for span in match[1].split(", "):
            first, _, last = span.partition("-")
            for number in range(int(first), int(last or first) + 1):
                assert number not in found, line
                found[number] = match[2]
    assert found == expected
    assert stderr[-1] == ROWS_HINT


# --- item 12: supporter data never appears in error output -------------------------------------------


def test_row_problems_name_the_column_not_the_value(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [
        ["name", "address", "postcode", "country", "locale", "lang", "case", "target"],
        ["Jane", "12 Secret Road", "ZZ99 SECRET", "GB", "", "", "kamile-wayit", "chen-xiaojiang"],
        ["Bob", "", "", "Secretland", "", "", "kamile-wayit", "chen-xiaojiang"],
        ["Eve", "", "", "GB", "secret_LOCALE", "", "kamile-wayit", "chen-xiaojiang"],
        ["Ann", "", "", "GB", "", "secretlang", "kamile-wayit", "chen-xiaojiang"],
        ["Tom", "", "", "GB", "", "", "secret-case", ""],
        ["Kim", "", "", "GB", "", "", "kamile-wayit", "secret-target"],
        ["Liz", "", "", "GB", "", "", "kamile-wayit", "chen-xiaojiang"],
    ])
    code, stderr = batch(run, path, tmp_path / "out", "--after-deadline")
    assert code == 1
    assert stderr == [
        "Error: s.csv: row 2: postcode is not valid for GB (for example EC1Y 8SY)",
        "Error: s.csv: row 3: country is not a country appealgen knows: write its ISO code (GB) or English name",
        "Error: s.csv: row 4: locale is not a locale appealgen knows: write a language and country such as "
        "en_GB, en_US or de_DE",
        "Error: s.csv: row 5: lang is not one of auto, en, zh, en+zh, zh+en",
        "Error: s.csv: row 6: case is not a case appealgen knows (see `appealgen cases`)",
        "Error: s.csv: row 7: target is not an official appealgen knows (see `appealgen targets`)",
        ROWS_HINT,
    ]
    code, stderr = batch(run, path, tmp_path / "out", "--after-deadline", "--skip-invalid")
    assert code == 0, stderr
    assert "secret" not in "\n".join(stderr).lower()


def test_unknown_case_option_is_named_once(run: Run, tmp_path: Path) -> None:
    """An option's value is not supporter data: an unknown --case is one error, before any row."""
    path = write_csv(tmp_path / "s.csv", [["name"], ["Jane"], ["Bob"]])
    code, stderr = batch(run, path, tmp_path / "out", "--case", "nope")
    assert code == 1
    assert stderr == ["Error: unknown case 'nope'", "Hint: run `appealgen cases` to list the known ones"]


def test_file_without_a_header_row_does_not_echo_the_first_row(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("Jane Doe,12 Secret Road,Oxford\n", encoding="utf-8")
    code, stderr = batch(run, path, tmp_path / "out", *CASE)
    assert code == 1
    assert stderr == [f"Error: {path}: row 1: no name column",
                      "Hint: the first row must name the columns; one of them must be name or full name "
          "(or first name and last name)"]


def test_unreadable_workbook_does_not_echo_a_cell(run: Run, tmp_path: Path) -> None:
    """A numeric cell holding text makes openpyxl raise with the cell's value in the message."""
    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["name", "postcode"])
    book.active.append(["Jane", "OX1 1AA"])
    book.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="B2" t="inlineStr"><is><t>OX1 1AA</t></is></c>',
                              b'<c r="B2" t="n"><v>ZZ99 SECRET</v></c>', data)
                assert b"SECRET" in data
            target.writestr(item, data)
    code, stderr = batch(run, bad, tmp_path / "out", *CASE)
    assert code == 1
    assert stderr == [f"Error: {bad}: not an Excel workbook that can be read (ValueError)",
                      "Hint: save it from Excel as .xlsx, or export CSV UTF-8"]


# --- item 13: no control character from a file reaches the terminal ----------------------------------


def test_control_characters_from_files_are_escaped_on_the_terminal(run: Run, tmp_path: Path) -> None:
    title = "\x1b]0;owned\x07"
    escaped = "\\x1b]0;owned\\x07"
    clipboard = "\x1b]52;c;ZWNobyBvd25lZA==\x07"
    path = write_csv(tmp_path / f"list{title}.csv", [["name", f"Phone{title}", clipboard, "\x9b31m"],
                                                     ["Jane Doe", "1", "2", "3"]])
    result = run(*LATE_DAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    shown = str(path).replace(title, escaped)
    assert lines[0] == f"Read 1 row from {shown} (encoding: utf-8)"
    assert lines[1] == f"Columns: name ← name; ignored: Phone{escaped}, \\x1b]52;c;ZWNobyBvd25lZA==\\x07, \\x9b31m"
    for char in "\x1b\x07\x9b":
        assert char not in result.stderr and char not in result.stdout
    missing = tmp_path / f"data{title}"
    result = run("--data-dir", str(missing), "cases")
    assert result.exit_code == 1
    shown = str(missing).replace(title, escaped)
    assert result.stderr.splitlines()[0] == f"Error: data directory {shown} does not exist"
    assert "\x1b" not in result.stderr


# --- item 8 (subset): one-line errors for --encoding and --data-dir ------------------------------------


@pytest.mark.parametrize(("encoding", "problem"), [
    ("base64", "not a text encoding"),
    ("rot13", "not a text encoding"),
    ("zlib", "not a text encoding"),
    ("hex", "not a text encoding"),
    ("undefined", "not a text encoding"),
    ("nonsense", "no such encoding"),
])
@pytest.mark.parametrize("content", [b"name,city\nJ\xfcrgen,K\xf6ln\n", b"name,city\nJane,Oxford\n"])
def test_encoding_option_must_be_a_text_encoding(encoding: str, problem: str, content: bytes, run: Run,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--encoding", encoding)
    assert code == 1
    assert stderr == [f"Error: --encoding {encoding!r}: {problem}",
                      "Hint: give a text encoding such as cp1252, latin-1, gbk or big5"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_data_dir_that_is_a_file_is_a_one_line_error(how: str, run: Run, tmp_path: Path) -> None:
    """A path that exists but is a file is bad input (exit 1), like a folder that does not exist;
    exit 2 stays for a malformed command line."""
    path = tmp_path / "targets.toml"
    path.write_text("", encoding="utf-8")
    if how == "option":
        result = run("--data-dir", str(path), "cases")
    else:
        result = run("cases", env={"APPEALGEN_DATA_DIR": str(path)})
    assert result.exit_code == 1
    assert result.stderr == (f"Error: data directory {path} is a file, not a folder\n"
                             "Hint: pass the folder that holds targets.toml and cases/ with --data-dir or "
                             "APPEALGEN_DATA_DIR\n")
    assert result.stdout == ""


# --- item 15 (subset): bidi controls are refused; the manifest is formula-safe in every Excel locale ---

BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]


@pytest.mark.parametrize("code", BIDI_CONTROLS, ids=[f"U+{c:04X}" for c in BIDI_CONTROLS])
def test_bidi_controls_in_typed_text_are_refused(code: int, run: Run, tmp_path: Path) -> None:
    """Jane, U+202E, eoD would print as "Jane Doe"."""
    path = tmp_path / "letter.pdf"
    result = run(*OPEN_DAY, "letter", "kamile-wayit", "--sender-name", f"Jane{chr(code)}eoD", "-o", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: --sender-name contains a bidirectional control (U+{code:04X}); remove it\n"
    assert not path.exists()


def test_bidi_control_in_a_supporter_row_is_a_row_problem(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["name", "city"], ["Jane\u202eeoD", "Oxford"], ["Bob", "\u200fLeeds"]])
    code, stderr = batch(run, path, tmp_path / "out", *CASE)
    assert code == 1
    assert stderr == ["Error: s.csv: row 2: name contains a bidirectional control (U+202E); remove it",
                      "Error: s.csv: row 3: city contains a bidirectional control (U+200F); remove it",
                      ROWS_HINT]


FORMULA_START = re.compile(r'^["\s]*[=+\-@]')


def test_manifest_is_formula_safe_whatever_excel_splits_on(run: Run, tmp_path: Path) -> None:
    """Excel opens a CSV with the list separator of the user's locale (, or ;) or a tab: no part
    of any line, split on any of them, may start as a formula."""
    path = write_csv(tmp_path / "s.csv", [
        ["name", "case", "target", "lang"],
        ["Ann;=1+1", "kamile-wayit", "chen-xiaojiang", ""],
        ["Bob,+cmd|' /C calc'!A0", "kamile-wayit", "chen-xiaojiang", ""],
        ["Cy\t@SUM(1)", "kamile-wayit", "chen-xiaojiang", ""],
        ["Di; -2+3", "x;=HYPERLINK(\"http://evil\")", "t;@A1", "zh;-1"],
    ])
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--skip-invalid", "--lang", "en")
    assert code == 0, stderr
    text = (tmp_path / "out" / "manifest.csv").read_bytes().decode("utf-8-sig")
    for line in text.splitlines():
        for separator in (",", ";", "\t"):
            for part in line.split(separator):
                assert not FORMULA_START.match(part), (separator, line)
    rows = list(csv.DictReader(text.splitlines()))
    assert [row["name"] for row in rows] == ["Ann;'=1+1", "Bob,'+cmd|' /C calc'!A0", "Cy\t'@SUM(1)", "Di; '-2+3"]
