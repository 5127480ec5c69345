"""What every printed sheet is made of: label sheets, the calibration page and envelopes.

Every page is a set of absolutely placed things, in mm from the page's top-left corner: label
cells, text blocks sized by ``fit``, short marks and ruler ticks. Text is sized here, not by
the browser, so an address never spills out of its box: each block is measured with the fonts'
own advance widths and wrapped to its box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from appealgen.catalog.geometry import MM_PER_PT, Rect
from appealgen.catalog.models import Target
from appealgen.compose import addresses
from appealgen.compose.fit import WIDTH_SAFETY, Fitted, Part, fit, wrap
from appealgen.compose.letters import Sender
from appealgen.errors import RefusalError
from appealgen.fonts import check_drawable, text_width

MIN_PT = 6.0
"""The smallest legible size: an address that does not fit at this size is refused."""
SENDER_PT = 6.5
"""The return address at a label's foot: one small size, so an address block fitted once per
official and number of return-address lines serves every sender (a mailing has thousands)."""
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
    spacious = [*([part(chinese, "zh")] if chinese else []), part(latin, "latin")]
    compact = [*([_compact_chinese(chinese)] if chinese else []), _compact_latin(latin)]
    return [[*spacious, *tail], [*compact, *tail]]


def part(lines: Sequence[str], script: str) -> Part:
    return Part(tuple((line,) for line in lines), "zh" if script == "zh" else "latin")


def _compact_chinese(lines: list[str]) -> Part:
    *address, recipient = lines
    if address and address[0].isdigit():  # the postcode leads, separated by a space
        address[0] += " "
    return Part((tuple(address), (recipient,)), "zh")


def _compact_latin(lines: list[str]) -> Part:
    if len(lines) < 3:
        return part(lines, "latin")
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
    width_em = width / (SENDER_PT * MM_PER_PT) / WIDTH_SAFETY
    segments = (FROM, *(piece if n == len(pieces) - 1 else f"{piece}, " for n, piece in enumerate(pieces)))
    lines = wrap(segments, width_em, "latin", text_width)
    if lines is None:
        lines = wrap([_broken(segment, width_em) for segment in segments], width_em, "latin", text_width)
    assert lines is not None  # every word now fits a line
    return tuple(lines)


def _broken(segment: str, width_em: float) -> str:
    """``segment`` with each word wider than ``width_em`` cut into pieces that fit (at least one
    character each). A width is the sum of its characters' (``text_width`` does not kern), so
    each word is cut in one pass: measuring every prefix again made a long word quadratic."""
    words = []
    for word in segment.split(" "):
        start, used = 0, 0.0
        for index, char in enumerate(word):
            advance = text_width(char, "latin")
            if used + advance > width_em and index > start:
                words.append(word[start:index])
                start, used = index, 0.0
            used += advance
        words.append(word[start:])
    return " ".join(words)


def fit_or_refuse(layouts: list[list[Part]], box: Rect, sizes: tuple[float, float], what: str,
                   where: str, hint: str) -> Fitted:
    max_pt, good_pt = sizes
    fitted = fit(layouts, box.width, box.height, text_width, max_pt, MIN_PT, good_pt)
    if fitted is None:
        raise RefusalError(f"{what} does not fit {where} even at {MIN_PT:g} pt, the smallest legible size",
                           hint)
    return fitted


def centred(fitted: Fitted, box: Rect) -> Block:
    """``fitted`` at the left of ``box``, centred from top to bottom."""
    return Block(x=box.x, y=box.y + (box.height - fitted.height) / 2, width=box.width, fitted=fitted)


def check_sender(sender: Sender) -> None:
    """Refuse a sender's name or address with a character no installed font can draw."""
    check_drawable({"--sender-name": sender.name, "--sender-address": sender.address})
