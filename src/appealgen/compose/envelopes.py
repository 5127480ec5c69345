"""Envelopes, one page each at the envelope's size, fed landscape: the return address top left,
the airmail marking for mail abroad, the official's Chinese and Latin blocks lower right."""

from __future__ import annotations

from dataclasses import dataclass

from appealgen.catalog.geometry import Envelope, Rect
from appealgen.catalog.models import Target
from appealgen.compose.letters import Sender
from appealgen.compose.sheets import (
    Block,
    Mark,
    Page,
    SheetDocument,
    address_layouts,
    check_sender,
    fit_or_refuse,
    part,
)

ENVELOPE_MAX_PT = 14.0
ENVELOPE_GOOD_PT = 10.0
"""A block that fits at its good size one address part per line is set so, not compacted."""
AIRMAIL = "PRIORITY / PAR AVION"

EDGE = 10.0
"""mm kept clear at the envelope's left, top and right edges."""
BOTTOM_CLEAR = 15.0
"""mm kept clear at the bottom, where sorting machines print their barcode."""
STAMP_HEIGHT = 30.0
"""mm of the top right left free for stamps and franking."""


@dataclass(frozen=True)
class EnvelopeRequest:
    targets: list[Target]
    about: str
    """What the envelopes are for, in the PDF's title: a case, or the officials' ids."""
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
    check_sender(sender)
    where = f"on a {envelope.name} envelope"
    top = return_box(envelope)
    pages = []
    for target in request.targets:
        page = Page()
        below = top.y
        lines = [p for p in (sender.name, *sender.address_lines) if p]
        if lines:
            fitted = fit_or_refuse([[part(lines, "latin")]], top, (10.0, 10.0), "your return address",
                                    f"in the top-left corner of a {envelope.name} envelope",
                                    "shorten --sender-address or choose a larger envelope")
            page.blocks.append(Block(x=top.x, y=top.y, width=top.width, fitted=fitted))
            below = top.y + fitted.height + 3
        if is_international(target, sender):
            page.marks.append(Mark(x=top.x, y=below, text=AIRMAIL, size_pt=9, kind="airmail"))
        box = recipient_box(envelope)
        fitted = fit_or_refuse(address_layouts(target), box, (ENVELOPE_MAX_PT, ENVELOPE_GOOD_PT),
                                f"the address of {target.name_en} ({target.id})", where,
                                "choose a larger envelope with --size")
        page.blocks.append(Block(x=box.x, y=box.y, width=box.width, fitted=fitted))
        pages.append(page)
    return SheetDocument(
        title=f"Envelopes: {request.about}",
        subject=f"{envelope.name} envelopes for {', '.join(t.id for t in request.targets)}",
        width=envelope.width, height=envelope.height, pages=pages)
