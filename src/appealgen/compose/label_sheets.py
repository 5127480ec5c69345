"""Sheets of sticky labels: each label an official's address block, sized to fit, with the
sender's return address at its foot where there is room."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from appealgen.catalog.geometry import PAPER_SIZES, LabelSheet, Rect, cells, mm_text, offset_problem, place
from appealgen.catalog.models import Target
from appealgen.compose.fit import Fitted, FittedPart, Part
from appealgen.compose.letters import Sender
from appealgen.compose.sheets import (
    SENDER_PT,
    Page,
    SheetDocument,
    address_layouts,
    centred,
    check_sender,
    fit_or_refuse,
    return_address_lines,
)
from appealgen.errors import AppealgenError, RefusalError

INNER_MARGIN = 2.0
"""mm between a label's edge and its text."""
LABEL_MAX_PT = 11.0
LABEL_GOOD_PT = 8.0
"""A block that fits at its good size one address part per line is set so, not compacted."""
MAX_SHEETS = 100
"""Sheets one ``labels`` command prints at most: every label is composed in memory before the
render, so a mistyped ``--count`` must not ask for millions."""


@dataclass(frozen=True)
class LabelRequest:
    targets: list[Target]
    about: str
    """What the labels are for, in the PDF's title: a case, or the officials' ids."""
    sheet: LabelSheet
    count: int | None = None
    skip: int = 0
    offset_x: float = 0.0
    offset_y: float = 0.0
    outline: bool = False
    sender: Sender | None = None


def label_count(request: LabelRequest) -> int:
    """Labels per target: as asked (refused past ``MAX_SHEETS`` sheets), else the rest of the sheet
    for one target, else one each."""
    if request.count is None:
        return request.sheet.per_page - request.skip if len(request.targets) == 1 else 1
    sheet, officials = request.sheet, max(len(request.targets), 1)
    sheets = -(-(request.skip + request.count * officials) // sheet.per_page)
    if sheets > MAX_SHEETS:
        most = (MAX_SHEETS * sheet.per_page - request.skip) // officials
        raise AppealgenError(f"--count {request.count} needs {sheets} sheets of {sheet.name}; at most "
                             f"{MAX_SHEETS} sheets are printed at once", f"give --count {most} or less")
    return request.count


def compose_labels(request: LabelRequest) -> SheetDocument:
    """Pages of labels: each target's block ``label_count`` times, from cell ``skip + 1``."""
    sheet = request.sheet
    count = label_count(request)
    items = [(target, request.sender) for target in request.targets for _ in range(count)]
    pages = label_pages(sheet, items, request.skip, request.offset_x, request.offset_y, request.outline)
    width, height = PAPER_SIZES[sheet.paper]
    return SheetDocument(
        title=f"Address labels: {request.about}",
        subject=f"{len(items)} labels on {sheet.name} for {', '.join(t.id for t in request.targets)}",
        width=width, height=height, pages=pages, outline=request.outline)


class LabelFitter:
    """Address blocks sized for one sheet's labels, each computed once: per official and
    sender, from a fit per official and number of return-address lines. With
    ``return_if_room`` a return address that leaves the official's address no room is left
    off (a mailing's letters carry it anyway); otherwise that label is refused."""

    def __init__(self, sheet: LabelSheet, return_if_room: bool = False) -> None:
        self.sheet = sheet
        self.return_if_room = return_if_room
        self.inner = _inner(cells(sheet)[0])
        self._blocks: dict[tuple[str, Sender | None], Fitted] = {}
        self._addresses: dict[tuple[str, int], Fitted] = {}
        self.dropped: set[tuple[str, Sender | None]] = set()
        """The (official, sender) pairs whose label left the return address off."""

    def block(self, target: Target, sender: Sender | None) -> Fitted:
        """``target``'s address with ``sender``'s at its foot; refuse one that cannot fit."""
        key = (target.id, sender)
        if key not in self._blocks:
            returned = return_address_lines(sender, self.inner.width)
            try:
                fitted = self._address(target, len(returned))
            except RefusalError:
                if not (returned and self.return_if_room):
                    raise
                returned, fitted = (), self._address(target, 0)
                self.dropped.add(key)
            if returned:
                parts = (*fitted.parts[:-1], FittedPart(returned, "latin", SENDER_PT))
                fitted = Fitted(parts=parts, size_pt=fitted.size_pt, height=fitted.height, gap_pt=fitted.gap_pt)
            self._blocks[key] = fitted
        return self._blocks[key]

    def _address(self, target: Target, return_lines: int) -> Fitted:
        shape = (target.id, return_lines)
        if shape not in self._addresses:  # the return address's lines only take their room here
            room = Part(tuple(("x",) for _ in range(return_lines)), "latin", scale=0.0, min_pt=SENDER_PT)
            sheet = self.sheet
            with_return = f" with a {return_lines}-line return address" if return_lines else ""
            self._addresses[shape] = fit_or_refuse(
                address_layouts(target, [room] if return_lines else []), self.inner, (LABEL_MAX_PT, LABEL_GOOD_PT),
                f"the address of {target.name_en} ({target.id}){with_return}",
                f"on a {sheet.name} label ({mm_text(sheet.label_width)} × {mm_text(sheet.label_height)} mm)",
                _larger_labels(sheet))
        return self._addresses[shape]


LARGER_LABELS = {"a4": ("L7163", "L7173"), "letter": ("5163",)}
"""The shipped sheets of each paper with the largest labels, to suggest when an address does not fit."""


def _larger_labels(sheet: LabelSheet) -> str:
    """The hint for an address too long for ``sheet``'s labels: larger labels on the same paper."""
    names = [name for name in LARGER_LABELS.get(sheet.paper, ()) if name != sheet.name]
    if not names:
        return "shorten the return address"
    return f"choose a sheet with larger labels, such as {' or '.join(names)}, or shorten the return address"


def label_pages(sheet: LabelSheet, items: Sequence[tuple[Target, Sender | None]], skip: int = 0,
                offset_x: float = 0.0, offset_y: float = 0.0, outline: bool = False,
                fitter: LabelFitter | None = None) -> list[Page]:
    """One label per item (a target's address, with the sender's at its foot), in order from
    cell ``skip + 1``, as many sheets as it takes; refuse an address that cannot fit."""
    problem = offset_problem(sheet, offset_x, offset_y)
    if problem:
        raise AppealgenError(problem, "printer offsets are a few mm; print --calibrate to measure them")
    for sender in dict.fromkeys(sender for _, sender in items):
        if sender:
            check_sender(sender)
    fitter = fitter or LabelFitter(sheet)
    grid = cells(sheet, offset_x, offset_y)
    pages: list[Page] = []
    for (target, sender), (page, cell) in zip(items, place(len(items), sheet.per_page, skip), strict=True):
        while len(pages) <= page:
            pages.append(Page(cells=grid if outline else []))
        pages[page].blocks.append(centred(fitter.block(target, sender), _inner(grid[cell])))
    return pages


def _inner(cell: Rect) -> Rect:
    return Rect(cell.x + INNER_MARGIN, cell.y + INNER_MARGIN,
                cell.width - 2 * INNER_MARGIN, cell.height - 2 * INNER_MARGIN)
