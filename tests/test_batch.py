"""The batch command on real supporter files, in each format and encoding, read back from the
PDFs and the manifest it writes; a real batch process is killed and resumed."""

from __future__ import annotations

import csv
import signal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from appealgen.mailing.run import KILL_AFTER_ENV

from .conftest import Run, appealgen, pdf_pages, pdf_text

TODAY = ("--today", "2026-11-21")
CASE = ("--case", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline")
HEADER = ["Full Name", "Address", "Town", "Zip", "Country", "Note"]
ROWS = [
    ["Jane Doe", "12 High Street", "Oxford", "OX1 1AA", "United Kingdom", "I am a teacher."],
    ["李伟", "", "北京", "100000", "CN", ""],
    ["Jürgen Müller", "Hauptstraße 5", "Köln", "50667", "DE", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def batch(run: Run, supporters: Path, outdir: Path, *args: str) -> tuple[int, list[str]]:
    result = run(*TODAY, "batch", str(supporters), "-o", str(outdir), *args)
    return result.exit_code, result.stderr.splitlines()


def manifest(outdir: Path) -> list[dict[str, str]]:
    raw = (outdir / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


@pytest.mark.parametrize(("name", "encoding", "delimiter", "reported"), [
    ("utf8.csv", "utf-8", ",", "utf-8"),
    ("bom.csv", "utf-8-sig", ",", "UTF-8 (with BOM)"),
    ("excel-china.csv", "gbk", ",", "gb18030, guessed: 李伟, 北京, 王芳"),
    ("semicolons.csv", "utf-8", ";", "utf-8, semicolon-separated"),
    ("unicode-text.txt", "utf-16", "\t", "UTF-16"),
])
def test_text_files_in_each_encoding(name: str, encoding: str, delimiter: str, reported: str, run: Run,
                                     tmp_path: Path) -> None:
    rows = ROWS if encoding != "gbk" else [ROWS[1], ["王芳", "", "上海", "200000", "CN", "我是老师。"]]
    path = write_csv(tmp_path / name, [HEADER, *rows], encoding, delimiter)
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--lang", "en")
    assert code == 0, stderr
    assert stderr[0] == f"Read {len(rows)} rows from {path} (encoding: {reported})"
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    for row in rows:
        assert row[0] in text
    assert [line["name"] for line in manifest(tmp_path / "out")] == [row[0] for row in rows]


def test_western_excel_csv_needs_no_guessing_with_encoding(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "excel.csv", [HEADER, ROWS[2]], "cp1252")
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--lang", "en", "--encoding", "cp1252")
    assert code == 0, stderr
    assert stderr[0] == f"Read 1 row from {path} (encoding: cp1252)"
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert "Jürgen Müller" in text and "Hauptstraße 5" in text and "50667 KÖLN" in text.upper()


def test_xlsx_cells_are_read_as_text(run: Run, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "City", "Postcode", "Country"])
    sheet.append(["Maria Rossi", "Roma", "00184", "IT"])  # text: keeps its zeros
    sheet.append(["Marco Bianchi", "Milano", 20121, "IT"])  # a number
    sheet.append(["Ana Lima", "Lisboa", 1100.0, "PT"])  # a float that is a whole number
    sheet["C2"].number_format = "@"
    sheet.append(["Luca Verdi", "Roma", 184, "IT"])
    sheet["C5"].number_format = "00000"  # Excel's zero-padded "special" format
    path = tmp_path / "list.xlsx"
    book.save(path)
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--lang", "en", "--skip-invalid")
    assert code == 0, stderr
    assert stderr[0] == f'Read 4 rows from {path}, sheet "Sheet"'
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert "00184 ROMA" in text and "20121 MILANO" in text and "00184" in text.split("Luca Verdi")[1]
    assert [(line["row"], line["status"]) for line in manifest(tmp_path / "out")] == [
        ("2", "ok"), ("3", "ok"), ("4", "skipped"), ("5", "ok")]
    assert manifest(tmp_path / "out")[2]["problem"] == "postcode is not valid for PT (for example 2725-079)"


def test_every_bad_row_is_listed_and_nothing_is_written(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [
        ["name", "city", "postcode", "country", "case", "target", "lang"],
        ["", "Oxford", "OX1 1AA", "GB", "", "", ""],
        ["Jane", "Oxford", "XXX", "GB", "kamile-wayit", "", ""],
        ["Bob", "Paris", "75001", "Narnia", "nope", "", "xx"],
        ["Eve \U00013000", "Rome", "00100", "IT", "kamile-wayit", "chen-xiaojiang", "zh"],
        ["Ok", "Rome", "00100", "IT", "kamile-wayit", "chen-xiaojiang", "zh"],
        ["Ann", "Rome", "00100", "IT", "kamile-wayit", "ghost", ""],
    ])
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 1
    former = ("Ma Xingrui (ma-xingrui) left office on 2025-07-01; the successor is Chen Xiaojiang "
              "(chen-xiaojiang); write to the successor with --target chen-xiaojiang, or add --allow-former")
    assert stderr == [
        "Error: bad.csv: row 2: name is empty",
        "Error: bad.csv: row 2: no case: give --case or a case column",
        "Error: bad.csv: rows 3, 5-7: case 'kamile-wayit' passed its deadline on 2023-08-29 (1180 days ago); "
        "check with your section office, then add --after-deadline",
        f"Error: bad.csv: row 3: {former}",
        "Error: bad.csv: row 3: postcode is not valid for GB (for example EC1Y 8SY)",
        "Error: bad.csv: row 4: case is not a case appealgen knows (see `appealgen cases`)",
        "Error: bad.csv: row 4: lang is not one of auto, en, zh, en+zh, zh+en",
        "Error: bad.csv: row 4: country is not a country appealgen knows: write its ISO code (GB) or English name",
        "Error: bad.csv: row 5: name contains U+13000, a character no installed font can draw",
        "Error: bad.csv: row 7: target is not an official appealgen knows (see `appealgen targets`)",
        "Hint: fix these rows, or add --skip-invalid to print the good rows and list the bad ones in the manifest",
    ]
    assert not (tmp_path / "out").exists()


def test_skip_invalid_prints_the_good_rows_and_lists_the_bad(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mixed.csv", [
        ["name", "town", "case", "target"],
        ["Jane Doe", "Oxford", "kamile-wayit", "chen-xiaojiang"],
        ["", "Leeds", "kamile-wayit", "chen-xiaojiang"],
        ["Bob Roe", "York", "kamile-wayit", "zheng-zeguang"],
    ])
    code, stderr = batch(run, path, tmp_path / "out", "--skip-invalid", "--after-deadline")
    assert code == 0, stderr
    assert "Warning: skipping row 3: name is empty" in stderr
    assert manifest(tmp_path / "out") == [
        {"row": "2", "name": "Jane Doe", "case": "kamile-wayit", "target": "chen-xiaojiang", "lang": "en+zh",
         "status": "ok", "pages": "2", "first_page": "1", "last_page": "2", "file": "letters.pdf", "label": "",
         "problem": ""},
        {"row": "3", "name": "", "case": "kamile-wayit", "target": "chen-xiaojiang", "lang": "auto",
         "status": "skipped", "pages": "0", "first_page": "", "last_page": "", "file": "", "label": "",
         "problem": "name is empty"},
        {"row": "4", "name": "Bob Roe", "case": "kamile-wayit", "target": "zheng-zeguang", "lang": "en+zh",
         "status": "ok", "pages": "2", "first_page": "3", "last_page": "4", "file": "letters.pdf", "label": "",
         "problem": ""},
    ]
    pages = pdf_pages(tmp_path / "out" / "letters.pdf")
    assert len(pages) == 4
    assert "Dear Secretary Chen," in pages[0] and "Jane Doe" in pages[0]
    assert "尊敬的陈小江书记：" in pages[1]
    assert "Dear Ambassador Zheng," in pages[2] and "Bob Roe" in pages[2]
    labels = pdf_text(tmp_path / "out" / "labels.pdf")
    assert labels.count("陈小江书记 收") == 1 and labels.count("Mr Zheng Zeguang") == 1


def test_injection_prints_literally_and_the_manifest_is_formula_safe(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "evil.csv", [
        ["name", "note"],
        ['=HYPERLINK("http://evil.example","x")', "<img src=file:///etc/passwd> {{ 7*7 }}"],
        ["+1 Jane", "@SUM(A1)"],
        ["-Bob", "ok"],
    ])
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--lang", "en")
    assert code == 0, stderr
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert "<img src=file:///etc/passwd> {{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
    assert '=HYPERLINK("http://evil.example","x")' in text
    rows = manifest(tmp_path / "out")
    assert [line["name"] for line in rows] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1 Jane", "'-Bob"]


def test_per_recipient_files_have_safe_unique_names(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "names.csv", [
        ["name"], ["Jane Doe"], ["Jane Doe"], ["../../etc/passwd"], ["CON"], ["李伟"], [" ".join(["Longname"] * 15)]])
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--per-recipient")
    assert code == 0, stderr
    files = sorted(p.name for p in (tmp_path / "out" / "letters").iterdir())
    assert files == ["0002-Jane-Doe.pdf", "0003-Jane-Doe.pdf", "0004-etc-passwd.pdf", "0005-_CON.pdf",
                     "0006-supporter.pdf", "0007-Longname-Longname-Longname-Longname-Longname-Longname-Longna.pdf"]
    assert [line["file"] for line in manifest(tmp_path / "out")] == [f"letters/{name}" for name in files]
    one = pdf_pages(tmp_path / "out" / "letters" / "0006-supporter.pdf")
    assert len(one) == 2 and "李伟" in one[0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".appealgen-mailing.json", "labels.pdf",
                                                                    "letters", "letters.pdf", "manifest.csv"]


def test_labels_carry_the_return_address_where_it_fits(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "two.csv", [["name", "address", "city", "postcode", "country"],
                                           ["Jane Doe", "1 High St", "Oxford", "OX1 1AA", "GB"],
                                           ["Bob Roe", "2 Low Rd", "Leeds", "LS1 1AA", "GB"]])
    code, stderr = batch(run, path, tmp_path / "big", *CASE, "--sheet", "L7163")
    assert code == 0, stderr
    labels = pdf_text(tmp_path / "big" / "labels.pdf")
    assert "From: Jane Doe, 1 High St, OXFORD, OX1 1AA, UNITED KINGDOM" in labels
    assert "From: Bob Roe, 2 Low Rd, LEEDS, LS1 1AA, UNITED KINGDOM" in labels
    # A one-inch label has no room for it beside the official's address: the address stays legible.
    code, stderr = batch(run, path, tmp_path / "small", *CASE, "--sheet", "5160")
    assert code == 0, stderr
    labels = pdf_text(tmp_path / "small" / "labels.pdf")
    assert "From:" not in labels and labels.count("陈小江书记 收") == 2


def test_an_official_address_too_long_for_the_labels_is_a_row_problem(data_copy: Path, run: Run,
                                                                       tmp_path: Path) -> None:
    targets = data_copy / "targets.toml"
    targets.write_text(targets.read_text(encoding="utf-8").replace(
        'street = "479 Zhongshan Lu"', f'street = "{"Zhongshan Lu " * 40}"', 1), encoding="utf-8")
    path = write_csv(tmp_path / "two.csv", [["name", "target"], ["Jane Doe", "chen-xiaojiang"],
                                           ["Bob Roe", "ma-xingrui"]])
    result = run(*TODAY, "--data-dir", str(data_copy), "batch", str(path), "--case", "kamile-wayit",
                 "--after-deadline", "--allow-former", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: two.csv: row 3: the address of Ma Xingrui (ma-xingrui) does not fit on a L7160 label "
        "(63.5 × 38.1 mm) even at 6 pt, the smallest legible size",
        "Hint: fix this row, or add --skip-invalid to print the good rows and list the bad ones in the manifest"]
    assert not (tmp_path / "out").exists()


def test_duplex_starts_every_letter_on_an_odd_page(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "two.csv", [["name"], ["Jane Doe"], ["Bob Roe"]])
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--duplex")
    assert code == 0, stderr
    pages = pdf_pages(tmp_path / "out" / "letters.pdf")
    assert len(pages) == 8
    starts = [n for n, page in enumerate(pages, 1) if "Dear Secretary Chen," in page or "尊敬的陈小江书记：" in page]
    assert starts == [1, 3, 5, 7]
    assert all(not pages[n].strip() for n in (1, 3, 5, 7))


def test_same_inputs_give_the_same_bytes(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, *ROWS])
    for name in ("a", "b"):
        code, stderr = batch(run, path, tmp_path / name, *CASE, "--per-recipient", "--jobs", "2")
        assert code == 0, stderr
    for name in ("letters.pdf", "labels.pdf", "manifest.csv", "letters/0002-Jane-Doe.pdf"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    info = PdfReader(tmp_path / "a" / "letters.pdf").metadata
    assert info is not None and dict(info) == {"/Title": "Appeal letters", "/Subject": "6 appeal letters"}


@pytest.mark.parametrize(("content", "message"), [
    ('name,city\n"Jane,Oxford\nBob,Leeds\n',
     ["Error: {path}: line 3: a quoted value is not closed (unterminated quote)",
      "Hint: fix the quotes on that line, or re-save the file from your spreadsheet"]),
    ("town,zip\nOxford,OX1\n",
     ["Error: {path}: row 1: no name column",
      "Hint: the first row must name the columns; one of them must be name or full name "
          "(or first name and last name)"]),
    ("name,full name\nA,B\n",
     ["Error: {path}: row 1: columns 'name' and 'full name' both give the name",
          'Hint: keep one of them, or give one another field with --map "full name=FIELD"']),
    ("name\n", ["Error: {path}: no supporters below the header row", "Hint: add one row per supporter"]),
    ("name,city\nJane,Oxford,extra\n",
     ["Error: list.csv: row 2: 1 more value than the header has columns (a delimiter inside a value that is "
      "not quoted?)",
      "Hint: fix this row, or add --skip-invalid to print the good rows and list the bad ones in the manifest"]),
])
def test_unreadable_files_are_refused_with_the_line(content: str, message: list[str], run: Run,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(content, encoding="utf-8")
    code, stderr = batch(run, path, tmp_path / "out", *CASE)
    assert code == 1
    assert stderr == [line.format(path=path) for line in message]
    assert not (tmp_path / "out").exists()


def test_unknown_columns_are_reported_and_ignored(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "crm.csv", [["Supporter ID", "Full Name", "Email"], ["17", "Jane Doe", "j@x"]])
    code, stderr = batch(run, path, tmp_path / "out", *CASE)
    assert code == 0, stderr
    assert stderr[1] == "Columns: name ← Full Name; ignored: Supporter ID, Email"
    assert "j@x" not in pdf_text(tmp_path / "out" / "letters.pdf")


def test_killed_batch_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    """A real batch process kills itself and its workers with SIGKILL once its first part is
    rendered; the rerun finishes the job, reuses what was rendered, and gives the bytes of a run
    that never stopped."""
    path = write_csv(tmp_path / "many.csv", [["name"], *([f"Supporter {n}"] for n in range(60))])
    command = [*TODAY, "batch", str(path), *CASE, "--jobs", "1", "--per-recipient"]
    killed = tmp_path / "killed"
    process = appealgen(*command, "-o", str(killed), start_new_session=True, env={KILL_AFTER_ENV: "1"})
    assert process.returncode == -signal.SIGKILL
    assert not (killed / "letters.pdf").exists()
    assert len(list((killed / ".appealgen-work").glob("*.pdf"))) == 1
    resumed = appealgen(*command, "-o", str(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert "Resumed: 1 of 4 parts were rendered by an earlier run" in resumed.stderr
    whole = appealgen(*command, "-o", str(tmp_path / "whole"))
    assert whole.returncode == 0, whole.stderr
    for name in ("letters.pdf", "labels.pdf", "manifest.csv", "letters/0059-Supporter-57.pdf"):
        assert (killed / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    left = [p.name for p in killed.rglob("*") if p.name.startswith(".")]
    assert left == [".appealgen-mailing.json"]  # the record of the finished mailing, no work files
    assert len(list((killed / "letters").iterdir())) == 60


def test_xlsx_with_an_entity_bomb_is_refused(run: Run, tmp_path: Path) -> None:
    """openpyxl parses with defusedxml (a dependency): entity expansion is refused, not run."""
    import zipfile

    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["name"])
    book.active.append(["Jane Doe"])
    book.save(good)
    bomb = tmp_path / "bomb.xlsx"
    entities = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)) + "]>"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = entities.encode() + data
            target.writestr(item, data)
    code, stderr = batch(run, bomb, tmp_path / "out", *CASE)
    assert code == 1
    assert stderr == [f"Error: {bomb}: not an Excel workbook that can be read (EntitiesForbidden)",
                      "Hint: save it from Excel as .xlsx, or export CSV UTF-8"]
    assert not (tmp_path / "out").exists()


def test_repeated_supporters_and_rows_without_an_address_are_printed_and_pointed_out(run: Run,
                                                                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "crm.csv", [
        ["Name", "Address", "City", "Postcode", "Country"],
        ["Ana Lopez", "Calle Mayor 1", "Madrid", "28013", "ES"],
        ["Tom Hill", "1 High St", "Oxford", "OX1 1AA", "GB"],
        ["ana  lopez", "Calle Mayor 1", "Madrid", "28013", "España"],  # the same contact, exported twice
        ["No Address", "", "", "", ""],
    ])
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--lang", "en")
    assert code == 0, stderr
    warnings = [line for line in stderr if line.startswith("Warning: crm.csv")]
    assert warnings == [
        "Warning: crm.csv: rows 2, 4: the same supporter and the same letter; each row is printed (delete the "
        "copies to print it once)",
        "Warning: crm.csv: row 5: no address; its letter carries the name only"]
    assert len(pdf_pages(tmp_path / "out" / "letters.pdf")) == 4


def test_a_name_cell_with_a_line_break_is_a_row_problem(run: Run, tmp_path: Path) -> None:
    """A quoted cell may hold a line break; a name printed over two lines under a signature is
    not the supporter's name as they sign it."""
    path = write_csv(tmp_path / "list.csv", [["Name", "City", "Country"], ["Multi\nLine Name", "Oxford", "GB"],
                                             ["Tom Hill", "Leeds", "GB"]])
    code, stderr = batch(run, path, tmp_path / "out", *CASE, "--lang", "en")
    assert code == 1
    assert stderr[-2:] == ["Error: list.csv: row 2: name is on 2 lines; it must be one line",
                           "Hint: fix this row, or add --skip-invalid to print the good rows and list the bad ones "
                           "in the manifest"]
