"""Label sheets, the calibration page and envelopes: their view models and the commands' library
calls (resolve, check, compose, render, write).

Every page is a set of absolutely placed things, in mm from the page's top-left corner: label
cells, text blocks sized by ``labels.fit``, short marks and ruler ticks. Text is sized here,
not by the browser, so an address never spills out of its label: each block is measured with
the fonts' own advance widths and wrapped to its cell less a 2 mm inner margin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from appealgen import addresses
from appealgen.catalog import Catalog
from appealgen.compose import Sender, check_in_office, deadline_warning
from appealgen.errors import AppealgenError, RefusalError
from appealgen.fonts import check_drawable, text_width
from appealgen.i18n import default_paper
from appealgen.labels import (
    PAPER_SIZES,
    PT,
    WIDTH_SAFETY,
    Envelope,
    Fitted,
    FittedPart,
    LabelSheet,
    Part,
    Rect,
    cells,
    fit,
    mm_text,
    offset_problem,
    place,
    wrap,
)
from appealgen.models import Case, Target
from appealgen.output import safe_filename, write_output

INNER_MARGIN = 2.0
"""mm between a label's edge and its text."""
MIN_PT = 6.0
"""The smallest legible size: an address that does not fit at this size is refused."""
LABEL_MAX_PT = 11.0
LABEL_GOOD_PT = 8.0
ENVELOPE_MAX_PT = 14.0
ENVELOPE_GOOD_PT = 10.0
"""A block that fits at its good size one address part per line is set so, not compacted."""
SENDER_PT = 6.5
"""The return address at a label's foot: one small size, so an address block fitted once per
official and number of return-address lines serves every sender (a mailing has thousands)."""
AIRMAIL = "PRIORITY / PAR AVION"
FROM = "From: "


@dataclass(frozen=True)
class Block:
    """A fitted text block whose first line's top-left corner is at ``x``, ``y`` (mm)."""

    x: float
    y: float
    width: float
    fitted: Fitted


@dataclass(frozen=True)
class Mark:
    """A short text set at a fixed size, e.g. the airmail marking or a ruler's number."""

    x: float
    y: float
    text: str
    size_pt: float
    kind: str = "note"
    width: float | None = None


@dataclass(frozen=True)
class Page:
    cells: list[Rect] = field(default_factory=list)
    numbers: list[Mark] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Rect] = field(default_factory=list)
    notes: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class SheetDocument:
    title: str
    subject: str
    width: float
    height: float
    pages: list[Page]
    outline: bool = False
    dashed: bool = False


# Address blocks ------------------------------------------------------------------------------

def address_layouts(target: Target, tail: Sequence[Part] = ()) -> list[list[Part]]:
    """The ways to set ``target``'s address, most spacious first: one address part per line,
    then compact (the Chinese address on one line after the postcode, the Latin street to
    province on one), each wrapping between parts where it must; ``tail`` follows."""
    chinese = addresses.chinese_block(target)
    latin = addresses.latin_block(target)
    spacious = [*([_part(chinese, "zh")] if chinese else []), _part(latin, "latin")]
    compact = [*([_compact_chinese(chinese)] if chinese else []), _compact_latin(latin)]
    return [[*spacious, *tail], [*compact, *tail]]


def _part(lines: Sequence[str], script: str) -> Part:
    return Part(tuple((line,) for line in lines), "zh" if script == "zh" else "latin")


def _compact_chinese(lines: list[str]) -> Part:
    *address, recipient = lines
    if address and address[0].isdigit():  # the postcode leads, separated by a space
        address[0] += " "
    return Part((tuple(address), (recipient,)), "zh")


def _compact_latin(lines: list[str]) -> Part:
    if len(lines) < 3:
        return _part(lines, "latin")
    name, *middle, country = lines
    joined = tuple(line if line.endswith(",") or n == len(middle) - 1 else f"{line}, "
                   for n, line in enumerate(middle))
    return Part(((name,), joined, (country,)), "latin")


def return_address_lines(sender: Sender | None, width: float) -> tuple[str, ...]:
    """``From: name, address`` wrapped to ``width`` mm at ``SENDER_PT``; () without a sender.
    A word too long for a line is broken, not refused: this is the small print."""
    pieces = [p for p in (sender.name, *sender.address_lines) if p] if sender else []
    if not pieces:
        return ()
    width_em = width / (SENDER_PT * PT) / WIDTH_SAFETY
    segments = (FROM, *(piece if n == len(pieces) - 1 else f"{piece}, " for n, piece in enumerate(pieces)))
    lines = wrap(segments, width_em, "latin", text_width)
    if lines is None:
        lines = wrap([_broken(segment, width_em) for segment in segments], width_em, "latin", text_width)
    assert lines is not None  # every word now fits a line
    return tuple(lines)


def _broken(segment: str, width_em: float) -> str:
    """``segment`` with each word wider than ``width_em`` cut into pieces that fit."""
    words = []
    for word in segment.split(" "):
        while text_width(word, "latin") > width_em and len(word) > 1:
            cut = max(n for n in range(1, len(word)) if text_width(word[:n], "latin") <= width_em) \
                if text_width(word[0], "latin") <= width_em else 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    return " ".join(words)


def _fit_or_refuse(layouts: list[list[Part]], box: Rect, sizes: tuple[float, float], what: str,
                   where: str, hint: str) -> Fitted:
    max_pt, good_pt = sizes
    fitted = fit(layouts, box.width, box.height, text_width, max_pt, MIN_PT, good_pt)
    if fitted is None:
        raise RefusalError(f"{what} does not fit {where} even at {MIN_PT:g} pt, the smallest legible size",
                           hint)
    return fitted


def _centred(fitted: Fitted, box: Rect) -> Block:
    """``fitted`` at the left of ``box``, centred from top to bottom."""
    return Block(x=box.x, y=box.y + (box.height - fitted.height) / 2, width=box.width, fitted=fitted)


# Targets and checks --------------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    targets: list[Target]
    case: Case | None
    warnings: list[str]


def resolve_targets(catalog: Catalog, case_id: str | None, target_ids: list[str], today: dt.date,
                    allow_former: bool) -> Checked:
    """The targets given, else every target of the case (primary, additional and copies);
    refuse a former official as the letter command does. A case past its deadline only
    warns: labels and envelopes say nothing about the case."""
    if not case_id and not target_ids:
        raise AppealgenError("say whose address to print", "give --case ID, --target ID, or both")
    case = catalog.case(case_id) if case_id else None
    ids = target_ids or (case.target_ids if case else [])
    targets = [catalog.target(t) for t in dict.fromkeys(ids)]
    warnings = check_in_office(targets, today, allow_former, catalog.targets)
    deadline = deadline_warning(case, today) if case else None
    return Checked(targets=targets, case=case, warnings=[*([deadline] if deadline else []), *warnings])


def _check_sender(sender: Sender) -> None:
    check_drawable({"--sender-name": sender.name, "--sender-address": sender.address})


def _about(checked: Checked) -> str:
    if checked.case:
        reference = f" ({checked.case.reference})" if checked.case.reference else ""
        return f"{checked.case.title_en}{reference}"
    return ", ".join(t.id for t in checked.targets)


def default_sheet(catalog: Catalog, sender: Sender) -> LabelSheet:
    return catalog.sheet("5160" if default_paper(sender.locale) == "letter" else "L7160")


def default_envelope(catalog: Catalog, sender: Sender) -> Envelope:
    return catalog.envelope("US10" if default_paper(sender.locale) == "letter" else "DL")


# Label sheets --------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabelRequest:
    checked: Checked
    sheet: LabelSheet
    count: int | None = None
    skip: int = 0
    offset_x: float = 0.0
    offset_y: float = 0.0
    outline: bool = False
    sender: Sender | None = None


def label_count(request: LabelRequest) -> int:
    """Labels per target: as asked, else the rest of the sheet for one target, else one each."""
    if request.count is not None:
        return request.count
    return request.sheet.per_page - request.skip if len(request.checked.targets) == 1 else 1


def compose_labels(request: LabelRequest) -> SheetDocument:
    """Pages of labels: each target's block ``label_count`` times, from cell ``skip + 1``."""
    sheet = request.sheet
    count = label_count(request)
    items = [(target, request.sender) for target in request.checked.targets for _ in range(count)]
    pages = label_pages(sheet, items, request.skip, request.offset_x, request.offset_y, request.outline)
    width, height = PAPER_SIZES[sheet.paper]
    return SheetDocument(
        title=f"Address labels: {_about(request.checked)}",
        subject=f"{len(items)} labels on {sheet.name} for {', '.join(t.id for t in request.checked.targets)}",
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
            self._addresses[shape] = _fit_or_refuse(
                address_layouts(target, [room] if return_lines else []), self.inner, (LABEL_MAX_PT, LABEL_GOOD_PT),
                f"the address of {target.name_en} ({target.id}){with_return}",
                f"on a {sheet.name} label ({mm_text(sheet.label_width)} × {mm_text(sheet.label_height)} mm)",
                "choose a sheet with larger labels, such as L7163 or L7173, or shorten the return address")
        return self._addresses[shape]


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
            _check_sender(sender)
    fitter = fitter or LabelFitter(sheet)
    grid = cells(sheet, offset_x, offset_y)
    pages: list[Page] = []
    for (target, sender), (page, cell) in zip(items, place(len(items), sheet.per_page, skip), strict=True):
        while len(pages) <= page:
            pages.append(Page(cells=grid if outline else []))
        pages[page].blocks.append(_centred(fitter.block(target, sender), _inner(grid[cell])))
    return pages


def _inner(cell: Rect) -> Rect:
    return Rect(cell.x + INNER_MARGIN, cell.y + INNER_MARGIN,
                cell.width - 2 * INNER_MARGIN, cell.height - 2 * INNER_MARGIN)


# The calibration page ------------------------------------------------------------------------

SCALE_REACH = 10
"""mm each way from a corner that a calibration scale reads."""


def compose_calibration(sheet: LabelSheet, offset_x: float = 0.0, offset_y: float = 0.0) -> SheetDocument:
    """A test page: every cell dashed and numbered, a millimetre scale on the top-left corner
    of the first cell and the bottom-right corner of the last, and how to read them."""
    problem = offset_problem(sheet, offset_x, offset_y)
    if problem:
        raise AppealgenError(problem, "printer offsets are a few mm; set the printer's paper guides first")
    width, height = PAPER_SIZES[sheet.paper]
    grid = cells(sheet, offset_x, offset_y)
    page = Page(cells=grid)
    for number, cell in enumerate(grid, start=1):
        page.numbers.append(Mark(x=cell.x, y=cell.y + cell.height / 2 - 2, text=str(number), size_pt=9,
                                 kind="number", width=cell.width))
    for x, y, sign in ((grid[0].x, grid[0].y, 1), (grid[-1].right, grid[-1].bottom, -1)):
        _scale(page, x, y, sign, width, height)
    page.notes.append(Mark(x=20, y=height / 2 - 30, width=width - 40, size_pt=9, kind="instructions",
                           text="\n".join(calibration_steps(sheet, offset_x, offset_y))))
    return SheetDocument(title=f"Calibration page for {sheet.name} labels",
                         subject=f"Printer calibration for {sheet.name}", width=width, height=height,
                         pages=[page], dashed=True)


def calibration_steps(sheet: LabelSheet, offset_x: float, offset_y: float) -> list[str]:
    example = f"appealgen labels --sheet {sheet.name} --offset-x 1.5 --offset-y -0.5 --target ID"
    return [
        f"Calibration page for {sheet.name}: {sheet.paper.upper() if sheet.paper == 'a4' else 'US Letter'}, "
        f"{sheet.columns} × {sheet.rows} labels of {mm_text(sheet.label_width)} × {mm_text(sheet.label_height)} mm. "
        f"Printed with --offset-x {mm_text(offset_x)} --offset-y {mm_text(offset_y)}.",
        "1. Print this page at actual size (100 %, “fit to page” off) on a sheet of these labels, "
        "or on plain paper and hold it on a label sheet against the light.",
        "2. Each dashed box should sit exactly on a label. On the scale at the top-left corner of "
        "label 1, read where the real label's corner lies: right and down are positive.",
        f"3. Print with those readings added to the offsets above, e.g. {example}.",
        "4. If the scale at the bottom-right corner of the last label reads differently, the printer "
        "is scaling the page: turn scaling off and print again.",
    ]


def _scale(page: Page, x: float, y: float, sign: int, width: float, height: float) -> None:
    """Ticks every mm along both axes through the corner (``x``, ``y``), longer every 5 mm,
    numbered every 5; the numbers count right and down from the corner."""
    thin = 0.12
    paper = Rect(0, 0, width, height)
    reach = SCALE_REACH
    for axis in ("x", "y"):
        line = (Rect(x - reach, y - thin / 2, 2 * reach, thin) if axis == "x"
                else Rect(x - thin / 2, y - reach, thin, 2 * reach))
        page.ticks.append(_clip(line, paper))
        for mm in range(-reach, reach + 1):
            length = 3.0 if mm % 5 == 0 else 1.5
            tick = (Rect(x + mm - thin / 2, y - length / 2, thin, length) if axis == "x"
                    else Rect(x - length / 2, y + mm - thin / 2, length, thin))
            if paper.contains(tick):
                page.ticks.append(tick)
            if mm % 5 == 0 and mm:
                label = Rect(x + mm - 2, y + sign * 2.0 - (2.5 if sign < 0 else 0), 4, 2.5) if axis == "x" \
                    else Rect(x + sign * 2.0 - (4 if sign < 0 else 0), y + mm - 1.2, 4, 2.5)
                if paper.contains(label):
                    page.marks.append(Mark(x=label.x, y=label.y, text=f"{mm:+d}", size_pt=5, kind="scale",
                                           width=label.width))


def _clip(rect: Rect, paper: Rect) -> Rect:
    x, y = max(rect.x, paper.x), max(rect.y, paper.y)
    return Rect(x, y, min(rect.right, paper.right) - x, min(rect.bottom, paper.bottom) - y)


# Envelopes -----------------------------------------------------------------------------------

EDGE = 10.0
"""mm kept clear at the envelope's left, top and right edges."""
BOTTOM_CLEAR = 15.0
"""mm kept clear at the bottom, where sorting machines print their barcode."""
STAMP_HEIGHT = 30.0
"""mm of the top right left free for stamps and franking."""


@dataclass(frozen=True)
class EnvelopeRequest:
    checked: Checked
    envelope: Envelope
    sender: Sender


def return_box(envelope: Envelope) -> Rect:
    return Rect(EDGE, EDGE * 0.8, envelope.width * 0.45 - EDGE, envelope.height * 0.3)


def recipient_box(envelope: Envelope) -> Rect:
    """The lower right area, where postal machines look for the address."""
    x = envelope.width * 0.42
    y = max(envelope.height * 0.4, EDGE + STAMP_HEIGHT)
    return Rect(x, y, envelope.width - EDGE - x, envelope.height - BOTTOM_CLEAR - y)


def is_international(target: Target, sender: Sender) -> bool:
    return target.address.country != (sender.locale.territory or "")


def compose_envelopes(request: EnvelopeRequest) -> SheetDocument:
    """One page per target at the envelope's size: the return address top left, the airmail
    marking under it for mail abroad, the recipient's Chinese and Latin blocks lower right."""
    envelope, sender = request.envelope, request.sender
    _check_sender(sender)
    where = f"on a {envelope.name} envelope"
    top = return_box(envelope)
    pages = []
    for target in request.checked.targets:
        page = Page()
        below = top.y
        lines = [p for p in (sender.name, *sender.address_lines) if p]
        if lines:
            fitted = _fit_or_refuse([[_part(lines, "latin")]], top, (10.0, 10.0), "your return address",
                                    f"in the top-left corner of a {envelope.name} envelope",
                                    "shorten --sender-address or choose a larger envelope")
            page.blocks.append(Block(x=top.x, y=top.y, width=top.width, fitted=fitted))
            below = top.y + fitted.height + 3
        if is_international(target, sender):
            page.marks.append(Mark(x=top.x, y=below, text=AIRMAIL, size_pt=9, kind="airmail"))
        box = recipient_box(envelope)
        fitted = _fit_or_refuse(address_layouts(target), box, (ENVELOPE_MAX_PT, ENVELOPE_GOOD_PT),
                                f"the address of {target.name_en} ({target.id})", where,
                                "choose a larger envelope with --size")
        page.blocks.append(Block(x=box.x, y=box.y, width=box.width, fitted=fitted))
        pages.append(page)
    return SheetDocument(
        title=f"Envelopes: {_about(request.checked)}",
        subject=f"{envelope.name} envelopes for {', '.join(t.id for t in request.checked.targets)}",
        width=envelope.width, height=envelope.height, pages=pages)


# Writing -------------------------------------------------------------------------------------

def default_filename(checked: Checked, kind: str, size: str) -> str:
    who = checked.case.id if checked.case else "_".join(t.id for t in checked.targets)
    return safe_filename(f"{who}_{kind}-{size}")


def calibration_filename(sheet: LabelSheet) -> str:
    return safe_filename(f"calibrate-{sheet.name}")


def write_sheets(doc: SheetDocument, destination: str) -> str:
    """Render ``doc`` and write the PDF atomically; return where."""
    from appealgen.render import render_pdf

    return write_output(destination, render_pdf(doc, "sheets.html.j2"))
