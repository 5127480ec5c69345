"""The geometry of label sheets and envelopes, in millimetres from the page's top-left corner.

Pure: no files, no rendering. ``catalog.loading`` reads ``labels.toml`` into these models and
runs ``sheet_problems`` so ``appealgen validate`` reports a sheet whose cells do not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, model_validator

from appealgen.catalog.models import Record, Text
from appealgen.errors import AppealgenError

Paper = Literal["a4", "letter"]

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
"""Width and height of each paper, portrait, in mm."""
MM_PER_PT = 25.4 / 72
"""One typographic point (a PDF unit) in mm."""
PT_PER_PX = 0.75
"""One CSS px (WeasyPrint's positions) in points."""

TOLERANCE = 1e-6
"""mm; below this, edges count as touching (float sums like 15.15 + 38.1 are not exact)."""

MAX_MM = 1000.0
"""No sheet or envelope is longer than this (the largest envelope, B4, is 353 mm)."""
Length = Annotated[float, Field(gt=0, le=MAX_MM, allow_inf_nan=False)]
Margin = Annotated[float, Field(ge=0, le=MAX_MM, allow_inf_nan=False)]
MAX_ROWS = 50
MAX_COLUMNS = 20
"""Labels down and across a sheet at most: the smallest labels sold, 25.4 × 10 mm, come 7 × 27 to a
sheet. The bounds keep ``cells`` small whatever ``labels.toml`` says."""


class LabelSheet(Record):
    """A sheet of equal labels in a grid, as LibreOffice's ``Labels.xcu`` describes one."""

    name: Text
    aliases: list[Text] = Field(default_factory=list, description="other product codes, e.g. J8160")
    paper: Paper
    label_width: Length
    label_height: Length
    pitch_x: Length = Field(description="from one label's left edge to the next one's")
    pitch_y: Length = Field(description="from one label's top edge to the next one's")
    margin_left: Margin
    margin_top: Margin
    columns: Annotated[int, Field(gt=0, le=MAX_COLUMNS)]
    rows: Annotated[int, Field(gt=0, le=MAX_ROWS)]
    sources: Annotated[list[Text], Field(min_length=1)]

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def paper_size(self) -> tuple[float, float]:
        return PAPER_SIZES[self.paper]


class Envelope(Record):
    """An envelope, landscape: ``width`` is the long side."""

    name: Text
    width: Length
    height: Length
    sources: Annotated[list[Text], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_landscape(self) -> Envelope:
        if self.width <= self.height:
            raise ValueError(f"width ({mm_text(self.width)}) must be greater than height ({mm_text(self.height)}): "
                             "give envelopes landscape")
        return self


@dataclass(frozen=True)
class Rect:
    """A rectangle in mm, ``x``/``y`` its top-left corner measured from the page's top-left."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def contains(self, other: Rect) -> bool:
        """``other`` lies wholly inside this rectangle (touching edges allowed)."""
        return (other.x >= self.x - TOLERANCE and other.y >= self.y - TOLERANCE
                and other.right <= self.right + TOLERANCE and other.bottom <= self.bottom + TOLERANCE)

    def overlaps(self, other: Rect) -> bool:
        """The two share some area; rectangles that only touch do not overlap."""
        return (self.x < other.right - TOLERANCE and other.x < self.right - TOLERANCE
                and self.y < other.bottom - TOLERANCE and other.y < self.bottom - TOLERANCE)


def cells(sheet: LabelSheet, offset_x: float = 0.0, offset_y: float = 0.0) -> list[Rect]:
    """Every label of ``sheet``, row-major (left to right, then top to bottom), shifted by the
    printer offsets."""
    return [Rect(x=sheet.margin_left + column * sheet.pitch_x + offset_x,
                 y=sheet.margin_top + row * sheet.pitch_y + offset_y,
                 width=sheet.label_width, height=sheet.label_height)
            for row in range(sheet.rows) for column in range(sheet.columns)]


def sheet_problems(name: str, sheet: LabelSheet) -> list[str]:
    """Why ``sheet`` cannot be printed as described: cells past the paper's edges, or cells
    that overlap. Each message starts with the key path ``sheet.NAME``; cells, rows and columns
    are counted from 1."""
    width, height = sheet.paper_size
    paper = Rect(0.0, 0.0, width, height)
    problems: list[str] = []
    grid = cells(sheet)

    def label(index: int) -> str:
        row, column = divmod(index, sheet.columns)
        return f"cell {index + 1} (row {row + 1}, column {column + 1})"

    for index, cell in enumerate(grid):
        if paper.contains(cell):
            continue
        where = f"sheet.{name}: {label(index)}"
        if cell.right > paper.right + TOLERANCE:
            problems.append(f"{where} reaches {mm_text(cell.right)} mm, past the paper's right edge at "
                            f"{mm_text(width)} mm")
        if cell.bottom > paper.bottom + TOLERANCE:
            problems.append(f"{where} reaches {mm_text(cell.bottom)} mm, past the paper's bottom edge at "
                            f"{mm_text(height)} mm")
        if cell.x < -TOLERANCE:
            problems.append(f"{where} starts at {mm_text(cell.x)} mm, left of the paper's left edge")
        if cell.y < -TOLERANCE:
            problems.append(f"{where} starts at {mm_text(cell.y)} mm, above the paper's top edge")
    # The grid is regular: neighbours overlap exactly when a pitch is less than the label's size,
    # so the first cell and its neighbour stand for every pair (comparing all pairs is quadratic).
    for neighbour, count, pitch, size in ((1, sheet.columns, "pitch_x", "label_width"),
                                          (sheet.columns, sheet.rows, "pitch_y", "label_height")):
        if count > 1 and grid[0].overlaps(grid[neighbour]):
            problems.append(f"sheet.{name}: {label(0)} and {label(neighbour)} overlap ({pitch} "
                            f"{mm_text(getattr(sheet, pitch))} mm is less than {size} "
                            f"{mm_text(getattr(sheet, size))} mm)")
    return problems


def place(count: int, per_page: int, skip: int = 0) -> list[tuple[int, int]]:
    """Where each of ``count`` labels goes: ``(page index, cell index)``, both from 0, label by
    label. The first ``skip`` cells of the first page (a partly used sheet) stay empty."""
    if per_page < 1:
        raise AppealgenError(f"a sheet must have at least one label, not {per_page}")
    if count < 0:
        raise AppealgenError(f"cannot place {count} labels")
    if not 0 <= skip < per_page:
        raise AppealgenError(f"cannot skip {skip} labels on a sheet of {per_page}",
                             f"skip from 0 to {per_page - 1} used labels")
    return [divmod(skip + number, per_page) for number in range(count)]


MAX_OFFSET = 10.0
"""mm; a printer that is further out is misfeeding, not offset, and needs its paper guides set."""


def offset_problem(sheet: LabelSheet, offset_x: float, offset_y: float) -> str | None:
    """Why the printer offsets cannot be used on ``sheet``, or None: each is at most
    ``MAX_OFFSET`` either way and keeps every cell on the paper."""
    for flag, value in (("--offset-x", offset_x), ("--offset-y", offset_y)):
        if not -MAX_OFFSET <= value <= MAX_OFFSET:
            return (f"{flag} {mm_text(value)} is more than {mm_text(MAX_OFFSET)} mm; "
                    "set the printer's paper guides instead")
    width, height = sheet.paper_size
    grid = cells(sheet, offset_x, offset_y)
    edges = (("--offset-x", "left", min(c.x for c in grid) < -TOLERANCE),
             ("--offset-x", "right", max(c.right for c in grid) > width + TOLERANCE),
             ("--offset-y", "top", min(c.y for c in grid) < -TOLERANCE),
             ("--offset-y", "bottom", max(c.bottom for c in grid) > height + TOLERANCE))
    for flag, edge, past in edges:
        if past:
            value = offset_x if flag == "--offset-x" else offset_y
            return f"{flag} {mm_text(value)} moves the labels of {sheet.name} past the paper's {edge} edge"
    return None


def mm_text(value: float) -> str:
    """A length for a message: at most 3 decimals, no trailing zeros (215.4, 210)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
