"""Label sheets rendered by stamps: each distinct part of the sheets' address blocks laid out once.

WeasyPrint spends almost all of a label sheet's time laying out lines, and every label of one
official repeats the same address. Here each distinct part of the blocks (an official's Chinese
address, its Latin address, a sender's return address) is laid out once, one under another on
a few tall pages of one WeasyPrint document: not a page each, as WeasyPrint spends milliseconds
on every page, and on every element, so plain Latin parts of one size share one element. Then
``forms`` cuts each part's text out of those pages: a part placed on many labels becomes one
Form XObject that each of them draws, a part placed once is drawn in its sheet's content.

A part goes where sheets.html.j2 puts it: at its block's corner, below the parts before it as
WeasyPrint laid them out, each after the block's gap. The cells, ticks and marks are laid out
as whole sheets in the same document (the first sheet always, for its page boxes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from appealgen.catalog.geometry import MM_PER_PT, PT_PER_PX
from appealgen.errors import RenderError
from appealgen.fonts import in_first_font
from appealgen.render import engine
from appealgen.render.forms import Placement, Region, compose_sheets
from appealgen.render.html import render_html

STAMPS_HEIGHT = 2000.0
"""mm: the height of a page of stamps (a PDF page may be up to 5 m)."""
MARGIN = 5.0
"""mm around and between stamps on their pages."""
GROUP_LINES = 200
"""Lines of one element at most: one must fit a page of stamps."""


class Sheets(Protocol):
    """A ``compose.sheets.SheetDocument``: pages of cells, ticks, marks and fitted blocks."""

    @property
    def title(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...
    @property
    def pages(self) -> Sequence[Any]: ...
    @property
    def dashed(self) -> bool: ...


@dataclass(frozen=True)
class Style:
    size_pt: float
    line_height_pt: float
    width: float


@dataclass(frozen=True)
class Stamp:
    """Distinct parts laid out in one element of one style: one part, or many plain ones (Latin
    text of the Latin stack's first font), each after an empty line. WeasyPrint spends more on
    an element than on a line."""

    numbers: list[int]
    parts: list[Any]
    style: int
    script: str

    @property
    def lines(self) -> int:
        return sum(len(part.lines) for part in self.parts) + len(self.parts) - 1


@dataclass(frozen=True)
class StampsDocument:
    """What stamps.html.j2 lays out: sheets' backgrounds, then the stamps."""

    title: str
    subject: str
    width: float
    height: float
    dashed: bool
    backgrounds: list[Any]
    stamps: list[Stamp]
    styles: list[Style]
    stamps_width: float
    stamps_height: float = STAMPS_HEIGHT
    margin: float = MARGIN


class _Uneven(Exception):
    """A line of a stamp of many parts came out taller than its line height: not expected of
    plain parts, but then every part is laid out alone."""


def render_sheets_by_stamps(doc: Sheets, template: str = "stamps.html.j2") -> bytes:
    """The PDF of ``doc`` as sheets.html.j2 renders it, each distinct part laid out once
    through ``template``."""
    numbers: dict[tuple[Any, float], int] = {}
    for page in doc.pages:
        for block in page.blocks:
            for part in block.fitted.parts:
                numbers.setdefault((part, block.width), len(numbers))
    try:
        return _render(doc, template, numbers, together=True)
    except _Uneven:
        return _render(doc, template, numbers, together=False)


def _render(doc: Sheets, template: str, numbers: dict[tuple[Any, float], int], together: bool) -> bytes:
    styles: dict[Style, int] = {}
    stamps = _stamps(numbers, styles, together)
    backgrounds = [page for n, page in enumerate(doc.pages) if _has_background(page, n == 0)]
    view = StampsDocument(doc.title, doc.subject, doc.width, doc.height, doc.dashed, backgrounds, stamps,
                          list(styles), stamps_width=max((s.width for s in styles), default=0.0) + 2 * MARGIN)
    pdf, refused, positions = engine.installed()(render_html(view, template))
    if refused:
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    regions = _regions(stamps, len(numbers), positions)
    sheets = [_placements(page, numbers, regions) for page in doc.pages]
    at = iter(range(len(backgrounds)))
    background_pages = [next(at) if _has_background(page, n == 0) else None for n, page in enumerate(doc.pages)]
    return compose_sheets(pdf, regions, sheets, background_pages)


def _stamps(numbers: dict[tuple[Any, float], int], styles: dict[Style, int], together: bool) -> list[Stamp]:
    """The elements to lay out: plain parts of one style ``together`` (at most GROUP_LINES lines
    each), every other part alone."""
    stamps: list[Stamp] = []
    open_stamps: dict[int, Stamp] = {}
    for (part, width), number in numbers.items():
        style = styles.setdefault(Style(part.size_pt, part.line_height_pt, width), len(styles))
        plain = together and part.script == "latin" and all(map(in_first_font, part.lines))
        stamp = open_stamps.get(style) if plain else None
        if stamp is None or stamp.lines + 1 + len(part.lines) > GROUP_LINES:
            stamp = Stamp([], [], style, part.script)
            stamps.append(stamp)
            if plain:
                open_stamps[style] = stamp
        stamp.numbers.append(number)
        stamp.parts.append(part)
    return stamps


def _has_background(page: Any, first: bool) -> bool:
    """Whether the sheet is laid out whole, without its blocks: when it has cells, ticks or marks,
    and the first sheet always, whose page boxes the blank sheets take, to the last decimal."""
    return first or bool(page.cells or page.ticks or page.numbers or page.marks or page.notes)


def _regions(stamps: list[Stamp], count: int, positions: list[engine.Positions]) -> list[Region]:
    """Each part's box as laid out, in pt: a stamp's own box, or its lines' share of it."""
    found = {name: (number, box) for number, page in enumerate(positions) for name, box in page.items()}
    regions: list[Region | None] = [None] * count
    for index, stamp in enumerate(stamps):
        page, (left, top, right, bottom) = found[f"s{index}"]
        line_height = stamp.parts[0].line_height_pt / PT_PER_PX
        if len(stamp.parts) > 1 and abs(bottom - top - stamp.lines * line_height) > 0.01:
            raise _Uneven
        line = 0
        for number, part in zip(stamp.numbers, stamp.parts, strict=True):
            end = bottom if len(stamp.parts) == 1 else top + (line + len(part.lines)) * line_height
            regions[number] = Region(page, left * PT_PER_PX, (top + line * line_height) * PT_PER_PX, right * PT_PER_PX,
                                     end * PT_PER_PX)
            line += len(part.lines) + 1
    assert all(regions)
    return regions  # type: ignore[return-value]


def _placements(page: Any, numbers: dict[tuple[Any, float], int], regions: list[Region]) -> list[Placement]:
    """Where each part of the page's blocks goes, in pt from the sheet's top-left corner."""
    placed = []
    for block in page.blocks:
        y = block.y / MM_PER_PT
        for index, part in enumerate(block.fitted.parts):
            if index:
                y += block.fitted.gap_pt
            number = numbers[(part, block.width)]
            placed.append(Placement(number, block.x / MM_PER_PT, y))
            y += regions[number].bottom - regions[number].top
    return placed
