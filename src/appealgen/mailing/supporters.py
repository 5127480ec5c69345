"""Read a supporter list: CSV, TSV, Excel "Unicode Text" or XLSX, in whatever encoding it came.

Text files are decoded by BOM, then strict UTF-8, then ``--encoding``, then GB 18030, and only
then by a detector (which misreads short GBK files as Big5, so it comes last); the encoding
used is reported. The delimiter is read off the header line. Parsing is strict: an
unterminated quote is an error with its line number. XLSX cells are read as text, so a
postcode keeps its leading zeros and never becomes a float.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealgen.catalog.reading import NotAFile, TooLarge, megabytes, read_bounded
from appealgen.errors import AppealgenError
from appealgen.mailing.columns import Columns, recognise

DELIMITERS = (",", ";", "\t", "|")
TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (with BOM)"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
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

    @property
    def ignored(self) -> list[str]:
        """Header names that are not a known column or alias, or are left out on purpose."""
        return self.columns.ignored


def read_supporters(path: Path, encoding: str | None = None,
                    mapped: dict[str, str] | None = None) -> SupporterTable:
    """Read ``path``, its columns recognised (``mapped``: ``--map`` column title → field); raise
    ``AppealgenError`` naming the file (and line) if it cannot be read."""
    if encoding:  # refused even where it would not be needed (a BOM, UTF-8, XLSX)
        check_encoding(encoding)
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, ".xlsx"):
        raise AppealgenError(f"{path}: unknown kind of file {suffix or '(no suffix)'}",
                             "give a .csv, .tsv, .txt (Excel Unicode Text) or .xlsx file")
    try:
        data = read_bounded(path, MAX_FILE, "a supporter list")
    except NotAFile as exc:
        raise AppealgenError(f"{path}: {exc}", "save the list as a file and give its path") from None
    except TooLarge as exc:
        raise AppealgenError(f"{path}: {exc}", SPLIT) from None
    except OSError as exc:
        raise AppealgenError(f"{path}: cannot read it: {exc.strerror}") from None
    if suffix == ".xlsx":
        return _table(path, "XLSX", _xlsx_rows(path, data), mapped)
    text, used = decode(data, path, encoding)
    return _table(path, used, _text_rows(text, path, TEXT_SUFFIXES[suffix]), mapped)


def decode(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding that read it."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise AppealgenError(f"{path}: line {_line_of(data, exc.start)}: bytes that are not valid "
                                     f"{label}, though the file starts with its byte order mark",
                                     "re-save the file as CSV UTF-8, or fix that line") from None
    for codec in dict.fromkeys(["utf-8", *([encoding] if encoding else []), "gb18030"]):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec != "gb18030" or codec == encoding or _plausibly_chinese(text):
            return text, codec
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        line = 1
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
        raise AppealgenError(f"{path}: line {line}: bytes that no known encoding reads",
                             "re-save the file as CSV UTF-8, or give --encoding") from None
    return str(best), f"{best.encoding} (detected)"


def check_encoding(encoding: str) -> None:
    """Refuse an ``--encoding`` Python does not know, or one that does not decode bytes to text
    (base64, rot13 and zlib are bytes-to-bytes codecs; "undefined" decodes nothing)."""
    hint = "give a text encoding such as cp1252, latin-1, gbk or big5"
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise AppealgenError(f"--encoding {encoding!r}: no such encoding", hint) from None
    try:  # the incremental decoder keeps a byte that is not yet a whole character (UTF-16) for later
        readable = info._is_text_encoding and isinstance(info.incrementaldecoder().decode(b"a"), str)
    except ValueError:  # "undefined" raises UnicodeError (a ValueError) for every byte
        readable = False
    if not readable:
        raise AppealgenError(f"--encoding {encoding!r}: not a text encoding", hint)


def _plausibly_chinese(text: str) -> bool:
    """Whether text read as GB 18030 is Chinese rather than a Western code page misread: bytes
    such as cp1252's "ü" followed by a letter read as rare GBK characters (Jürgen → J黵gen), so
    text whose Han characters are mostly outside the 6,763 of GB 2312 is passed on to detection."""
    han = [char for char in text if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"]
    rare = 0
    for char in han:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare <= len(han) * 0.1


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _text_rows(text: str, path: Path, default: str) -> list[tuple[int, list[str]]]:
    text = text.removeprefix("\ufeff")
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: _unquoted(header).count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: (counts[d], d == default)) if any(counts.values()) else default
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


def _xlsx_rows(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    """The first worksheet's rows as text, numbered as Excel numbers them."""
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
            return _sheet_rows(path, book.worksheets[0])
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
