"""A mailing's letters as bodies rendered once and each supporter's parts laid over them.

In a mailing almost everything on a letter's pages is the same for every supporter writing to
one official in one language: only the *slots* differ (the sender's block and signed name, the
Chinese signature; see templates/slots.html.j2). So a batch renders each distinct *body* once,
with its slots hidden and filled with one-line placeholders of the supporter's shape (as many
lines, so the body is laid out exactly as around the real text), and reads where each slot
sits from the page anchors. Every supporter's slots are rendered packed one under another on
tall pages with the letters' width and margins, each checked against its place on the body
(left, right and height, to 0.01 px; a line that wraps or a taller script fails it, and that
letter is rendered whole), then cut out and drawn where it sits on the body page.

Pure: view models and the arithmetic on anchors, no rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from appealgen.catalog.geometry import Paper
from appealgen.compose.letters import Document, Letter

PLACEHOLDER = "X"
TOLERANCE = 0.01
"""CSS px: how far a slot's box may differ from its place on the body."""
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


@dataclass(frozen=True)
class BodyLayout:
    """A body's pages and where its slots sit."""

    pages: int
    slots: tuple[SlotPlace, ...]


def body_layouts(anchors: Sequence[Anchors], bodies: Sequence[Letter], starts: Sequence[int],
                 pages: int) -> list[BodyLayout | None]:
    """Each body's layout from its document's anchors (``starts``: the page each letter starts
    on); None for a body with a slot not found (its letters are rendered whole). A slot that a
    page break splits has the box of its first part only, so no supporter's slot ``fits`` it."""
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
            layouts.append(BodyLayout(pages=last - first, slots=tuple(places)))
            continue
        layouts.append(None)
    return layouts


@dataclass(frozen=True)
class PackedSlot:
    """One slot of one supporter's letter, to render among many."""

    letter: Letter
    kind: str
    id: str


@dataclass(frozen=True)
class OverlayDocument:
    """Slots packed one under another on tall pages of the letters' width and margins, so each
    is laid out exactly as on its letter and costs a fraction of a page."""

    title: str
    subject: str
    paper: Paper
    width_mm: float
    slots: list[PackedSlot]


def packed_slots(letter: Letter, layout: BodyLayout, key: str) -> list[PackedSlot]:
    """The slots of ``letter`` on a body laid out as ``layout``; ``key`` makes their ids unique
    in their document."""
    return [PackedSlot(letter, place.kind, f"o-{key}-{place.kind}") for place in layout.slots]


def fits(place: SlotPlace, box: tuple[float, float, float, float]) -> bool:
    """Whether a slot rendered as ``box`` takes exactly its place on the body (the same left and
    right, the same height): not if a line wrapped or a taller script made a line higher."""
    (left, top, right, bottom), (body_left, body_top, body_right, body_bottom) = box, place.box
    return all(abs(ours - theirs) <= TOLERANCE for ours, theirs
               in ((left, body_left), (right, body_right), (bottom - top, body_bottom - body_top)))
