"""Label sheets rendered by stamps: each distinct part of the sheets' address blocks laid out once.

WeasyPrint spends almost all of a label sheet's time laying out lines, and every label of one
official repeats the same address. Here each distinct part of the blocks (an official's Chinese
address, its Latin address, a sender's return address) is laid out once, in a column on a few
tall pages of one WeasyPrint document (a page of its own each would cost more: WeasyPrint spends
milliseconds on every page); ``forms`` cuts each part's text into a Form XObject, which every
label showing it draws. A part goes where sheets.html.j2 puts it: at its block's corner, below
the parts before it as WeasyPrint laid them out, each after the block's gap. The cells, ticks and
marks are laid out as whole sheets, in the same document, only on the sheets that have some.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from appealgen.errors import RenderError
from appealgen.render import engine
from appealgen.render.forms import Placement, Region, compose_sheets
from appealgen.render.html import render_html

PT_MM = 25.4 / 72
PX_PT = 0.75
STAMPS_HEIGHT = 2000.0
"""mm: the height of a page of stamps (a PDF page may be up to 5 m)."""
MARGIN = 5.0
"""mm around and between stamps on their pages."""


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
class Stamp:
    """A distinct part, laid out once at its block's width (in ``StampsDocument.styles``)."""

    part: Any
    style: int


@dataclass(frozen=True)
class Style:
    size_pt: float
    line_height_pt: float
    width: float


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


def render_sheets_by_stamps(doc: Sheets, template: str = "stamps.html.j2") -> bytes:
    """The PDF of ``doc`` as sheets.html.j2 renders it, each distinct part laid out once
    through ``template``."""
    numbers: dict[tuple[Any, float], int] = {}
    for page in doc.pages:
        for block in page.blocks:
            for part in block.fitted.parts:
                numbers.setdefault((part, block.width), len(numbers))
    styles: dict[Style, int] = {}
    stamps = [Stamp(part, styles.setdefault(Style(part.size_pt, part.line_height_pt, width), len(styles)))
              for part, width in numbers]
    backgrounds = [page for n, page in enumerate(doc.pages) if _has_background(page, n == 0)]
    view = StampsDocument(doc.title, doc.subject, doc.width, doc.height, doc.dashed, backgrounds, stamps,
                          list(styles), stamps_width=max((s.width for s in styles), default=0.0) + 2 * MARGIN)
    pdf, refused, positions = engine.installed()(render_html(view, template))
    if refused:
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    regions = _regions(len(stamps), positions)
    sheets = [_placements(page, numbers, regions) for page in doc.pages]
    at = iter(range(len(backgrounds)))
    background_pages = [next(at) if _has_background(page, n == 0) else None for n, page in enumerate(doc.pages)]
    return compose_sheets(pdf, regions, sheets, background_pages)


def _has_background(page: Any, first: bool) -> bool:
    """Whether the sheet is laid out whole, without its blocks: when it has cells, ticks or marks,
    and the first sheet always, whose page boxes the blank sheets take, to the last decimal."""
    return first or bool(page.cells or page.ticks or page.numbers or page.marks or page.notes)


def _regions(count: int, positions: list[engine.Positions]) -> list[Region]:
    """Each stamp's box as laid out, in pt, from the anchors of the pages."""
    found = {name: Region(number, *(v * PX_PT for v in box)) for number, page in enumerate(positions)
             for name, box in page.items()}
    return [found[f"s{number}"] for number in range(count)]


def _placements(page: Any, numbers: dict[tuple[Any, float], int], regions: list[Region]) -> list[Placement]:
    """Where each part of the page's blocks goes, in pt from the sheet's top-left corner."""
    placed = []
    for block in page.blocks:
        y = block.y / PT_MM
        for index, part in enumerate(block.fitted.parts):
            if index:
                y += block.fitted.gap_pt
            number = numbers[(part, block.width)]
            placed.append(Placement(number, block.x / PT_MM, y))
            y += regions[number].bottom - regions[number].top
    return placed
