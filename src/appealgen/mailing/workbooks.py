"""What openpyxl's read-only mode does not give of a worksheet: its merged cells, formulas
whose result was never saved, and its hidden rows and columns (rows a filter hid are still
read, and said to be).

Read-only mode streams the cells and skips ``<mergeCells>``: a merged cell's value is in its
top-left cell and the cells it covers read as empty, so columns never shift. A range merged
down a column (one city for three supporters) is filled down here, into the rows that have
other values; a range merged across columns keeps its value in its first column only, so a
value never lands in a field it was not typed in. A formula cell is read by the result Excel
saved with it (``data_only``); a workbook written by a program and never opened in a spreadsheet
has none, and such a cell would read as empty: that is refused instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import IO

from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml's when it is installed (a dependency)

_CELL, _FORMULA, _VALUE = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("c", "f", "v"))
_ROW, _MERGE, _COLUMN = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("row", "mergeCell", "col"))
_LAYOUT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:f|mergeCell)[\s/>]|\shidden=[\"'](?:1|true)[\"']")
_HIDDEN = ("1", "true")
MAX_HIDDEN_COLUMN = 256
"""Hidden columns are noted up to column IV, as far as a list is read."""
MAX_MERGED = 100_000
"""Merged ranges in a worksheet at most: each is kept in memory while the rows are read."""


@dataclass
class Layout:
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first column, first row, last column, last row), numbered from 1."""
    unsaved_formula: str | None = None
    """The first cell (``C5``) with a formula and no saved result."""
    too_many_merged: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    """Rows hidden in the sheet (by a filter, or by hand), numbered from 1."""
    hidden_columns: set[int] = field(default_factory=set)
    """Columns hidden in the sheet, numbered from 1."""


def has_layout(source: IO[bytes]) -> bool:
    """Whether a worksheet part's XML has a merged range, a formula or a hidden row or column at
    all: a scan of its bytes takes a fraction of the time parsing them does, and most lists have
    none."""
    tail = b""
    while chunk := source.read(1 << 20):
        if _LAYOUT_TAG.search(tail + chunk):
            return True
        tail = chunk[-32:]
    return False


def sheet_layout(source: IO[bytes]) -> Layout:
    """Read a worksheet part's XML once, keeping only merged ranges, the first formula without a
    saved result and which rows and columns are hidden; each row is dropped once read."""
    layout = Layout()
    for _, element in iterparse(source):
        if element.tag == _CELL:
            formula, value = element.find(_FORMULA), element.find(_VALUE)
            if formula is not None and (value is None or value.text is None) and layout.unsaved_formula is None:
                reference = element.get("r") or ""  # the file's own text: shown only if it is a cell's name
                layout.unsaved_formula = reference if re.fullmatch(r"[A-Z]{1,3}[0-9]{1,7}", reference) else "?"
        elif element.tag == _ROW:
            if element.get("hidden") in _HIDDEN and (number := element.get("r") or "").isdigit():
                layout.hidden_rows.append(int(number))
            element.clear()
        elif element.tag == _COLUMN and element.get("hidden") in _HIDDEN:
            first, last = element.get("min") or "", element.get("max") or ""
            if first.isdigit() and last.isdigit():
                layout.hidden_columns.update(range(int(first), min(int(last), MAX_HIDDEN_COLUMN) + 1))
        elif element.tag == _MERGE and element.get("ref"):
            min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
            if len(layout.merged) == MAX_MERGED:
                layout.too_many_merged = True
                break
            if None not in (min_col, min_row, max_col, max_row):
                layout.merged.append((min_col, min_row, max_col, max_row))
    return layout


def fill_merged(rows: list[tuple[int, list[str]]], merged: list[tuple[int, int, int, int]]) -> None:
    """Give each row a range merged down its column covers the range's value, where the row
    has other values and that cell is empty (``rows`` as read: numbered, empty rows left out)."""
    by_number = {number: cells for number, cells in rows}
    numbers = sorted(by_number)
    reached: dict[int, int] = {}  # the last row filled in each column: ranges that overlap it are skipped
    for min_col, min_row, _, max_row in sorted(merged, key=lambda bounds: (bounds[0], bounds[1])):
        top = by_number.get(min_row)
        if (max_row == min_row or min_row <= reached.get(min_col, 0) or top is None or min_col > len(top)
                or not top[min_col - 1]):
            continue
        reached[min_col] = max_row
        for number in numbers[bisect_right(numbers, min_row):bisect_left(numbers, max_row + 1)]:
            cells = by_number[number]
            cells.extend([""] * (min_col - len(cells)))
            if not cells[min_col - 1]:
                cells[min_col - 1] = top[min_col - 1]
