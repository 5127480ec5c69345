"""A mailing's letters as bodies rendered once and each supporter's parts laid over them.

In a mailing almost everything on a letter's pages is the same for every supporter writing to
one official in one language: only the *slots* differ (the sender's block and signed name, the
Chinese signature; see templates/slots.html.j2). So a batch renders each distinct *body* once,
with its slots hidden and filled with one-line placeholders of the supporter's shape (as many
lines, so the body is laid out exactly as around the real text), reads where each slot sits
from the page anchors, and renders every supporter's slots alone on *overlay* pages, in the
same page box, with spacers that put each slot where it sits on the body page. The overlay
is checked against the body (every slot's top and end, to 0.01 px) before it is used: a slot
whose text takes more room (a wrapped line, a taller script) makes that letter a full render.

Pure: view models and the arithmetic on anchors, no rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from appealgen.catalog.geometry import Paper
from appealgen.compose.letters import Document, Letter

PLACEHOLDER = "X"
TOLERANCE = 0.01
"""CSS px: how far a slot of an overlay may sit from its place on the body."""
Anchors = dict[str, tuple[float, float, float, float]]


def slot_kinds(letter: Letter) -> tuple[str, ...]:
    """The slots a letter has, in page order."""
    if letter.lang == "zh":
        return ("signature",)
    return (*(("sender",) if letter.sender_name or letter.sender_lines else ()),
            *(("signed",) if letter.sender_name else ()))


def body_of(letter: Letter) -> Letter | None:
    """``letter`` with its sender's text replaced by placeholders of the same shape; None when
    its body is its own (a personal note or an about-me line changes the whole layout)."""
    if letter.note or letter.opening:
        return None
    return replace(letter, sender_name=PLACEHOLDER if letter.sender_name else None,
                   sender_lines=[PLACEHOLDER] * len(letter.sender_lines))


@dataclass(frozen=True)
class BodiesDocument(Document):
    """Letters rendered as bodies: their slots hidden."""

    bodies: bool = True


@dataclass(frozen=True)
class SlotPlace:
    """Where a slot sits on a body: the page (from the letter's first) and its border box
    (left, top, right, bottom) in CSS px."""

    kind: str
    page: int
    box: tuple[float, float, float, float]

    @property
    def y(self) -> float:
        return self.box[1]

    @property
    def end(self) -> float:
        return self.box[3]


@dataclass(frozen=True)
class BodyLayout:
    pages: int
    top: float
    """Where the letter's text starts on a page (CSS px)."""
    slots: tuple[SlotPlace, ...]


def body_layouts(anchors: Sequence[Anchors], bodies: Sequence[Letter], starts: Sequence[int],
                 pages: int) -> list[BodyLayout | None]:
    """Each body's layout from its document's anchors (``starts``: the page each letter starts
    on); None for a body whose slot runs over a page break (its letters are rendered whole)."""
    layouts: list[BodyLayout | None] = []
    for index, letter in enumerate(bodies):
        first, last = starts[index], (starts[index + 1] if index + 1 < len(starts) else pages)
        places: list[SlotPlace] = []
        for kind in slot_kinds(letter):
            name = f"slot-{index}-{kind}"
            page = next((p for p in range(first, last) if name in anchors[p]), None)
            if page is None:
                break
            places.append(SlotPlace(kind, page - first, anchors[page][name]))
        else:
            top = anchors[first][f"letter-{index}"][1]
            layouts.append(BodyLayout(pages=last - first, top=top, slots=tuple(places)))
            continue
        layouts.append(None)
    return layouts


@dataclass(frozen=True)
class OverlaySlot:
    kind: str
    id: str
    space: float
    """CSS px of space before the slot: from the top of the page's text, or from the end of the
    slot above."""


@dataclass(frozen=True)
class OverlayPage:
    """One body page's slots for one supporter's letter."""

    letter: Letter
    page: int
    """The body's page (from the letter's first) this lies over."""
    slots: tuple[OverlaySlot, ...]


@dataclass(frozen=True)
class OverlayDocument:
    title: str
    subject: str
    paper: Paper
    pages: list[OverlayPage]


def overlay_pages(letter: Letter, layout: BodyLayout, key: str) -> list[OverlayPage]:
    """The overlay pages of ``letter`` on a body laid out as ``layout``; ``key`` makes the slots'
    ids unique in their document."""
    pages: list[OverlayPage] = []
    for page in sorted({place.page for place in layout.slots}):
        slots: list[OverlaySlot] = []
        above = None
        for place in sorted((p for p in layout.slots if p.page == page), key=lambda p: p.y):
            space = max(0.0, place.y - layout.top) if above is None else place.y - above.end
            slots.append(OverlaySlot(place.kind, f"o-{key}-{place.kind}", round(space, 4)))
            above = place
        pages.append(OverlayPage(letter, page, tuple(slots)))
    return pages


def overlay_shift(page: OverlayPage, layout: BodyLayout, anchors: Anchors) -> float | None:
    """How far down (CSS px) the rendered overlay page must move to lie on its body page; None if
    a slot does not match its place (a line wrapped, a taller script): render that letter whole."""
    shift = None
    for slot in page.slots:
        place = next(p for p in layout.slots if p.kind == slot.kind and p.page == page.page)
        if slot.id not in anchors:
            return None
        left, top, right, bottom = anchors[slot.id]
        shift = place.y - top if shift is None else shift
        if any(abs(ours - theirs) > TOLERANCE for ours, theirs
               in zip((left, top + shift, right, bottom + shift), place.box, strict=True)):
            return None
    return shift
