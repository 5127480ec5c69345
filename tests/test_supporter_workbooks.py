"""Supporter workbooks as spreadsheets make them: several sheets, title rows above the header,
formulas, merged cells. Real .xlsx files written by the tests, run through batch."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from appealgen.mailing.workbooks import fill_merged, has_layout

from .conftest import Run, pdf_pages, pdf_text

CASE = ("--case", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline", "--lang", "en")
HEADER = ["Name", "City", "Postcode", "Country"]


def batch(run: Run, path: Path, out: Path, *args: str) -> tuple[int, list[str]]:
    result = run("--today", "2026-11-21", "batch", str(path), "-o", str(out), *CASE, *args)
    return result.exit_code, result.stderr.splitlines()


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return book


THREE_SHEETS = {
    "Supporters": [HEADER, ["Jane Doe", "Oxford", "OX1 1AA", "GB"], ["Ana Lima", "Lisboa", "1100-148", "PT"]],
    "Donations": [["Name", "Amount"], ["Max Mustermann", "10"]],
    "Notes": [["Comment"], ["call back"]],
}


def test_first_of_several_sheets_is_read_and_named(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook(path, THREE_SHEETS)
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert stderr[0] == f'Read 2 rows from {path}, sheet "Supporters" (of 3: Supporters, Donations, Notes)'


def test_worksheet_option_picks_the_sheet(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook(path, THREE_SHEETS)
    code, stderr = batch(run, path, tmp_path / "out", "--worksheet", "donations")
    assert code == 0, stderr
    assert stderr[0] == f'Read 1 row from {path}, sheet "Donations" (of 3: Supporters, Donations, Notes)'
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert "Max Mustermann" in text and "Jane Doe" not in text


def test_unknown_worksheet_lists_the_sheets(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook(path, THREE_SHEETS)
    code, stderr = batch(run, path, tmp_path / "out", "--worksheet", "Members")
    assert code == 1
    assert stderr == [f"Error: --worksheet 'Members': {path} has no such worksheet; its worksheets: "
                      "Supporters, Donations, Notes", "Hint: give --worksheet one of these names"]
    assert not (tmp_path / "out").exists()


def test_worksheet_option_on_a_csv_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name\nJane Doe\n", encoding="utf-8")
    code, stderr = batch(run, path, tmp_path / "out", "--worksheet", "Supporters")
    assert (code, stderr) == (1, [f"Error: --worksheet: {path} is not a workbook",
                                  "Hint: leave out --worksheet, or give an .xlsx file"])


def test_title_rows_above_the_header_are_skipped_and_reported(run: Run, tmp_path: Path) -> None:
    """Defect 6: a title row above the header stopped the run ("no name column")."""
    path = tmp_path / "list.xlsx"
    workbook(path, {"Sheet1": [["Write for Rights 2026: supporters"], ["exported 1 Nov 2026", None, None],
                               [], HEADER, ["Jane Doe", "Oxford", "OX1 1AA", "GB"]]})
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert stderr[0] == f'Read 1 row from {path}, sheet "Sheet1", header on row 4'
    assert "Jane Doe" in pdf_text(tmp_path / "out" / "letters.pdf")


def saved_results(path: Path, results: dict[str, str]) -> None:
    """Give formula cells the results a spreadsheet saves with them (openpyxl writes none)."""
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, result in results.items():
        xml = re.sub(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>', rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{result}</v>',
                     xml)
        xml = re.sub(rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(<v></v>)?</c>',
                     rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{result}</v></c>', xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def formula_book(path: Path) -> None:
    workbook(path, {"Sheet1": [["First", "Last", "Name", "City", "Postcode", "Country"],
                               ["Jane", "Doe", '=A2&" "&B2', "Oxford", "OX1 1AA", "GB"]]})


def test_formula_cells_read_their_saved_results(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    formula_book(path)
    saved_results(path, {"C2": "Jane Doe"})
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert "Jane Doe" in pdf_text(tmp_path / "out" / "letters.pdf")


def test_formula_without_a_saved_result_is_refused_not_read_as_empty(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    formula_book(path)
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 1
    assert stderr == [f'Error: {path}: sheet "Sheet1", cell C2: a formula whose result was never saved',
                      "Hint: open the workbook in Excel or LibreOffice and save it, or export CSV UTF-8"]


def merged_book(path: Path) -> None:
    book = workbook(path, {"Sheet1": [
        ["Name", "City", "Postcode", "Country", "Note"],
        ["Jane Doe", "Oxford", "OX1 1AA", "GB", "Free them now."],
        ["John Roe", None, "OX2 6GG", "GB"],
        ["Ana Lima", "Lisboa", "1100-148", "PT"],
    ]})
    sheet: Worksheet = book["Sheet1"]
    sheet.merge_cells("B2:B3")  # one city for two supporters
    sheet.merge_cells("D4:E4")  # a country spread over the note column
    book.save(path)


def test_merged_cells_fill_down_a_column_and_never_shift_columns(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    merged_book(path)
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    jane, john, ana = pdf_pages(tmp_path / "out" / "letters.pdf")
    assert "Jane Doe" in jane and "John Roe" in john and "Ana Lima" in ana
    assert "OXFORD" in john  # the city merged over his row and Jane's
    assert "Free them now." in jane and "Free them now." not in john
    assert "PT" not in ana.split()  # the country merged across the note column is not a note


def test_fill_merged_fills_down_only_rows_with_values_and_skips_overlaps() -> None:
    rows = [(1, ["Name", "City"]), (2, ["Jane", "Oxford"]), (3, ["John"]), (5, ["Ana", ""]), (6, ["Max", "Bonn"])]
    fill_merged(rows, [(2, 2, 2, 1_048_576), (2, 3, 2, 6), (1, 1, 2, 1)])
    assert rows == [(1, ["Name", "City"]), (2, ["Jane", "Oxford"]), (3, ["John", "Oxford"]), (5, ["Ana", "Oxford"]),
                    (6, ["Max", "Bonn"])]


def test_layout_scan_finds_merges_and_formulas_only_where_they_are() -> None:
    plain = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lt;f&gt;</t></is></c></row></sheetData>'
    assert not has_layout(io.BytesIO(plain + b"</worksheet>"))
    assert has_layout(io.BytesIO(plain + b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'))
    assert has_layout(io.BytesIO(b'<x:worksheet><x:c r="A1"><x:f>1+1</x:f></x:c></x:worksheet>'))


def test_a_workbook_of_many_sheets_names_the_first_ten(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook(path, {f"S{number}": [HEADER, ["Jane Doe", "Oxford", "OX1 1AA", "GB"]] for number in range(1, 13)})
    code, stderr = batch(run, path, tmp_path / "out", "--worksheet", "nope")
    assert code == 1
    assert stderr[0] == (f"Error: --worksheet 'nope': {path} has no such worksheet; its worksheets: "
                         "S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, … (2 more)")


def test_rows_and_columns_a_filter_hid_are_read_and_said_to_be(run: Run, tmp_path: Path) -> None:
    """A list filtered in Excel hides the rows the filter left out: a batch reads every row, as a
    CSV export of the sheet would, and says which were hidden, so that the user can delete them."""
    path = tmp_path / "list.xlsx"
    book = workbook(path, {"All": [[*HEADER, "Region"], ["Jane Doe", "Oxford", "OX1 1AA", "GB", "South"],
                                   ["Tom Hill", "Leeds", "LS1 1AA", "GB", "North"],
                                   ["Ann Roe", "York", "YO1 1AA", "GB", "North"],
                                   ["Bob Ray", "Bath", "BA1 1AA", "GB", "South"]]})
    sheet = book["All"]
    sheet.row_dimensions[3].hidden = sheet.row_dimensions[4].hidden = True
    sheet.column_dimensions["E"].hidden = True
    sheet.auto_filter.ref = "A1:E5"
    book.save(path)
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert stderr[0] == (f'Read 4 rows from {path}, sheet "All"; rows 3-4, hidden in the sheet, are read too '
                         "(delete them to leave them out); hidden column 'Region' read too")
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert all(name in text for name in ("Jane Doe", "Tom Hill", "Ann Roe", "Bob Ray"))


def test_an_instructions_sheet_first_is_passed_over_for_the_first_sheet_with_a_name_column(run: Run,
                                                                                          tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook(path, {"Instructions": [["Fill in the list on the next sheet."]],
                    "Supporters": [HEADER, ["Jane Doe", "Oxford", "OX1 1AA", "GB"]]})
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert stderr[0] == (f'Read 1 row from {path}, sheet "Supporters" (of 2: Instructions, Supporters; the first '
                         "with a name column)")


def test_the_header_is_the_row_naming_most_columns_not_a_contact_line_above_it(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook(path, {"List": [["Group", "Amnesty Oxford"], ["Contact name", "Jane Organiser"], [],
                             HEADER, ["Tom Hill", "Oxford", "OX1 1AA", "GB"]]})
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert stderr[0] == f'Read 1 row from {path}, sheet "List", header on row 4'
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert "Tom Hill" in text and "Jane Organiser" not in text


def test_a_title_line_above_a_csv_header_is_passed_over(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Supporters export 2026\nName;Stadt;Land\nJana Nováková;Praha;CZ\n", encoding="utf-8")
    code, stderr = batch(run, path, tmp_path / "out")
    assert code == 0, stderr
    assert stderr[0] == f"Read 1 row from {path} (encoding: utf-8, semicolon-separated), header on row 2"
    assert "Jana Nováková" in pdf_text(tmp_path / "out" / "letters.pdf")
