"""Read a supporter list: CSV, TSV, Excel "Unicode Text" or XLSX, in whatever encoding it came.

Text files are decoded by BOM, then strict UTF-8, then ``--encoding``, and only then by a
code page that is the one reading that looks like names (``encodings``); the encoding used is
reported. The delimiter is read off the header line. Parsing is strict: an
unterminated quote is an error with its line number. XLSX cells are read as text, so a
postcode keeps its leading zeros and never becomes a float.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from appealgen.catalog.reading import NotAFile, TooLarge, megabytes, read_bounded
from appealgen.errors import AppealgenError
from appealgen.mailing.columns import Columns, names_a_field, names_a_person, recognise
from appealgen.mailing.encodings import check_encoding, decode
from appealgen.mailing.workbooks import MAX_MERGED, Layout, fill_merged, has_layout, sheet_layout

DELIMITERS = (",", ";", "\t", "|")
TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
MAX_FILE = 64 << 20
"""Bytes in a supporter list at most: 100,000 rows of CSV take about 20 MB, as XLSX about 5 MB."""
MAX_ROWS = 100_000
"""Rows at most, the header included: a mailing larger than this is several runs."""
MAX_COLUMNS = 256
"""XLSX columns read (A to IV, Excel 2003's limit); cells further right are ignored."""
MAX_UNPACKED = 200 << 20
"""Bytes an XLSX may unpack to, all its parts together: its XML is parsed in memory, and a
megabyte of zipped whitespace unpacks to a gigabyte."""
SPLIT = "split the list into several files"
HEADER_SEARCH = 20
"""Rows of a worksheet searched for its header: title rows above it are skipped."""
Record = tuple[int, list[str]]
"""A row's number as the file shows it, and its cells."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]
    """Every value of ``columns.VALUES``, "" where the file has none or the cell is empty."""
    extra: int = 0
    """Cells beyond the header's columns (a delimiter inside an unquoted value)."""


@dataclass(frozen=True)
class SupporterTable:
    path: Path
    encoding: str
    """How the file was read: an encoding's name, or "XLSX"."""
    rows: list[Row]
    columns: Columns
    """Which column is which field (``Columns.describe`` says it in a line)."""
    guessed: tuple[str, ...] = ()
    """Values read with a code page taken without ``--encoding``, to show the user."""
    separated: str = ""
    """The delimiter read off the header where it is not the file type's own (``semicolon``)."""
    sheet: str = ""
    """The worksheet read, in a workbook."""
    sheets: tuple[str, ...] = ()
    """Every worksheet of the workbook, in order."""
    header_row: int = 1
    """The header's row number (a workbook may have title rows above it)."""
    sheet_searched: bool = False
    """The sheet read is not the first: the first with a name column, no ``--worksheet`` given."""
    hidden_rows: tuple[int, ...] = ()
    """Rows below the header that the sheet hides (a filter, most often): read like the others."""
    hidden_columns: tuple[str, ...] = ()
    """Header names of columns the sheet hides."""

    @property
    def ignored(self) -> list[str]:
        """Header names that are not a known column or alias, or are left out on purpose."""
        return self.columns.ignored


def read_supporters(path: Path, encoding: str | None = None, worksheet: str | None = None,
                    mapped: dict[str, str] | None = None) -> SupporterTable:
    """Read ``path`` (in a workbook, ``worksheet`` or the first), its columns recognised
    (``mapped``: ``--map`` column title → field); raise ``AppealgenError`` naming the file (and
    line) if it cannot be read."""
    if encoding:  # refused even where it would not be needed (a BOM, UTF-8, XLSX)
        check_encoding(encoding)
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, ".xlsx"):
        raise AppealgenError(f"{path}: unknown kind of file {suffix or '(no suffix)'}",
                             "give a .csv, .tsv, .txt (Excel Unicode Text) or .xlsx file")
    if worksheet is not None and suffix != ".xlsx":
        raise AppealgenError(f"--worksheet: {path} is not a workbook", "leave out --worksheet, or give an .xlsx file")
    try:
        data = read_bounded(path, MAX_FILE, "a supporter list")
    except NotAFile as exc:
        raise AppealgenError(f"{path}: {exc}", "save the list as a file and give its path") from None
    except TooLarge as exc:
        raise AppealgenError(f"{path}: {exc}", SPLIT) from None
    except OSError as exc:
        raise AppealgenError(f"{path}: cannot read it: {exc.strerror}") from None
    if suffix == ".xlsx":
        sheet, sheets, records, layout = _xlsx_rows(path, data, worksheet)
        records = records[_header_index(records):]
        table = _table(path, "XLSX", records, mapped)
        hidden = set(layout.hidden_rows)
        header = records[0][1] if records else []
        return replace(table, sheet=sheet, sheets=sheets, header_row=records[0][0] if records else 1,
                       sheet_searched=worksheet is None and sheet != sheets[0],
                       hidden_rows=tuple(number for number, _ in records[1:] if number in hidden),
                       hidden_columns=tuple(title.strip() for index, title in enumerate(header)
                                            if index + 1 in layout.hidden_columns and title.strip()))
    decoded = decode(data, path, encoding)
    default = TEXT_SUFFIXES[suffix]
    delimiter = _delimiter(decoded.text, default)
    records = _text_rows(decoded.text, path, delimiter)
    records = records[_header_index(records):]
    table = _table(path, decoded.encoding, records, mapped)
    return replace(table, guessed=decoded.guessed, header_row=records[0][0] if records else 1,
                   separated=_delimiter_name(delimiter) if delimiter != default else "")


def _delimiter(text: str, default: str) -> str:
    """The delimiter the header line uses most outside quotes: the first of the first
    ``HEADER_SEARCH`` lines that has one (a title line may come first); else ``default``."""
    lines = (line for line in text.removeprefix("\ufeff").splitlines() if line.strip())
    for line in itertools.islice(lines, HEADER_SEARCH):
        counts = {d: _unquoted(line).count(d) for d in DELIMITERS}
        if any(counts.values()):
            return max(DELIMITERS, key=lambda d: (counts[d], d == default))
    return default


def _text_rows(text: str, path: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            if len(rows) == MAX_ROWS:
                raise _too_many_rows(path)
            rows.append((len(rows) + 1, record))
    except csv.Error as exc:
        what = ("a quoted value is not closed (unterminated quote)" if "end of data" in str(exc)
                else f"cannot read it as {_delimiter_name(delimiter)}-separated values ({exc})")
        raise AppealgenError(f"{path}: line {reader.line_num}: {what}",
                             "fix the quotes on that line, or re-save the file from your spreadsheet") from None
    return rows


def _unquoted(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[delimiter]


def _xlsx_rows(path: Path, data: bytes, worksheet: str | None) -> tuple[str, tuple[str, ...], list[Record], Layout]:
    """The name of the worksheet read (``worksheet``, or the first), the names of all, its rows
    as text, numbered as Excel numbers them, and its layout (hidden rows and columns)."""
    import zipfile

    import openpyxl  # openpyxl parses with defusedxml when it is installed (a dependency)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # sizes from its directory, nothing unpacked yet
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise AppealgenError(f"{path}: unpacks to {megabytes(unpacked)} MB; a supporter workbook may unpack "
                                 f"to at most {megabytes(MAX_UNPACKED)} MB",
                                 "save it from Excel again, or export CSV UTF-8")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:  # only chart sheets, or the worksheet's part is missing
                raise AppealgenError(f"{path}: the workbook has no worksheet",
                                     "save the list on a worksheet from Excel, or export CSV UTF-8")
            sheets = tuple(sheet.title for sheet in book.worksheets)
            if worksheet is not None:
                sheet = book.worksheets[_sheet_index(path, sheets, worksheet)]
                rows = _sheet_rows(path, sheet)
            else:  # the first sheet with a header naming the supporter (an "Instructions" sheet may come first)
                for sheet in book.worksheets:
                    rows = _sheet_rows(path, sheet)
                    if _header_at(rows) is not None:
                        break
                else:
                    sheet = book.worksheets[0]
                    rows = _sheet_rows(path, sheet)
            return sheet.title, sheets, rows, _apply_layout(path, sheet, rows)
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        # ValueError covers defusedxml's refusals (EntitiesForbidden, DTDForbidden); SyntaxError
        # the XML parser's ParseError.
        # Only the kind of failure is named: openpyxl's messages can carry a cell's value
        # ("could not convert string to float: '…'").
        cause = exc.__cause__ or exc
        raise AppealgenError(f"{path}: not an Excel workbook that can be read ({type(cause).__name__})",
                             "save it from Excel as .xlsx, or export CSV UTF-8") from None


def _apply_layout(path: Path, sheet: Any, rows: list[Record]) -> Layout:
    """Fill ranges merged down a column; refuse formulas without a saved result (``workbooks``);
    the layout read."""
    with sheet._get_source() as source:  # read-only openpyxl's own handle on the sheet's XML
        if not has_layout(source):
            return Layout()
    with sheet._get_source() as source:
        layout = sheet_layout(source)
    where = f'{path}: sheet "{sheet.title}"'
    if layout.too_many_merged:
        raise AppealgenError(f"{where}: more than {MAX_MERGED} merged ranges",
                             "unmerge the cells in your spreadsheet, or export CSV UTF-8")
    if layout.unsaved_formula:
        raise AppealgenError(f"{where}, cell {layout.unsaved_formula}: a formula whose result was never saved",
                             "open the workbook in Excel or LibreOffice and save it, or export CSV UTF-8")
    fill_merged(rows, layout.merged)
    return layout


def _sheet_index(path: Path, sheets: tuple[str, ...], worksheet: str | None) -> int:
    """Which sheet ``--worksheet`` names (exactly, else ignoring case and surrounding spaces)."""
    if worksheet is None:
        return 0
    if worksheet in sheets:
        return sheets.index(worksheet)
    folded = [name.strip().casefold() for name in sheets]
    if worksheet.strip().casefold() in folded:
        return folded.index(worksheet.strip().casefold())
    raise AppealgenError(f"--worksheet {worksheet!r}: {path} has no such worksheet; its worksheets: "
                         f"{sheet_list(sheets)}", "give --worksheet one of these names")


def sheet_list(sheets: tuple[str, ...], most: int = 10) -> str:
    """The worksheets' names, the first ``most`` of them."""
    return ", ".join(sheets[:most]) + (f", … ({len(sheets) - most} more)" if len(sheets) > most else "")


def _header_index(records: list[Record]) -> int:
    """Where the header is, below any title rows (else the first row): see ``_header_at``."""
    found = _header_at(records)
    return 0 if found is None else found


def _header_at(records: list[Record]) -> int | None:
    """Among the first ``HEADER_SEARCH`` rows, those with a name column and two cells filled, the
    one with the most cells naming a field (the earliest of equals): a title row ``Contact name |
    Jane Organiser`` above the header names a person too. None if no row has a name column."""
    best: tuple[int, int] | None = None
    for index, (_, cells) in enumerate(records[:HEADER_SEARCH]):
        filled = [cell for cell in cells if cell.strip()]
        if len(filled) >= 2 and any(names_a_person(cell) for cell in filled):
            fields = sum(names_a_field(cell) for cell in filled)
            if best is None or fields > best[1]:
                best = (index, fields)
    return None if best is None else best[0]


def _sheet_rows(path: Path, sheet: Any) -> list[tuple[int, list[str]]]:
    """Every row with a value, up to ``MAX_COLUMNS`` cells wide, trailing empty cells dropped."""
    # The <dimension> a file declares is not trusted: read-only openpyxl pads every row to it,
    # and a 5 KB file claiming 16,384 columns by 30,000 rows took 3.9 GB.
    sheet.reset_dimensions()
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:  # rows come one by one from the top, the missing ones as empty rows
            raise _too_many_rows(path)
        filled = [index for index, cell in enumerate(cells) if cell.value is not None]
        if filled:
            rows.append((number, [_cell_text(cell.value, getattr(cell, "number_format", "General"))
                                  for cell in cells[:filled[-1] + 1]]))
    return rows


def _too_many_rows(path: Path) -> AppealgenError:
    return AppealgenError(f"{path}: more than {MAX_ROWS} rows; a supporter list may have at most {MAX_ROWS}", SPLIT)


def _cell_text(value: Any, number_format: str) -> str:
    """A cell as the text a person sees: 1234.0 is "1234", a zero-padded format keeps its zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if re.fullmatch(r"0+", number_format or ""):
            text = text.zfill(len(number_format))
        return text
    return str(value)


def _table(path: Path, encoding: str, records: list[tuple[int, list[str]]],
           mapped: dict[str, str] | None = None) -> SupporterTable:
    records = [(n, cells) for n, cells in records if any(cell.strip() for cell in cells)]
    if not records:
        raise AppealgenError(f"{path}: the file is empty", "the first row must name the columns, e.g. name,city")
    header_number, header = records[0]
    filled = {index for _, cells in records[1:] for index, cell in enumerate(cells) if cell.strip()}
    # The cells are not shown in errors: without a header row, they are a supporter's.
    columns = recognise(str(path), header, header_number, mapped,
                        {index: index in filled for index in range(len(header))})
    rows = []
    for number, cells in records[1:]:
        extra = sum(1 for cell in cells[len(header):] if cell.strip())
        rows.append(Row(number=number, values=columns.values(cells), extra=extra))
    return SupporterTable(path=path, encoding=encoding, rows=rows, columns=columns)
