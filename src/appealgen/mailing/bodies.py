"""A mailing's letters as bodies rendered once, each supporter's slots laid over them.

Almost everything on a mailing's letters is the same for every supporter who writes to one
official in one language (see ``compose.overlays``). So the batch renders each distinct body
once (``BodiesDocument``, first), then each chunk of supporters' letters as their slots only
(``MailingChunk``), packed on a few tall pages then cut into one page per slot, drawn where it
goes (``render.forms``): a letter's pages in ``letters.pdf`` draw the body page and its slots'
pages one over the other, and the joiner stores each body page once. Letters whose body is
their own (a personal note) go in chunks rendered whole; a letter whose slot does not take its
place on the body (a line that wraps, a taller script) is rendered whole in its chunk.

Runs in the render workers; each result is JSON, written beside the chunk's PDFs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealgen.catalog.geometry import MM_PER_PT, PAPER_SIZES, PT_PER_PX, Paper
from appealgen.compose.letters import Document, Letter
from appealgen.compose.overlays import (
    BodiesDocument,
    BodyLayout,
    OverlayDocument,
    body_layouts,
    body_of,
    fits,
    packed_slots,
)

BODIES_PER_DOCUMENT = 20
TITLE = "Appeal letters"


@dataclass(frozen=True)
class BodyRef:
    """A rendered body: its PDF (a file name in the work folder, so that a chunk's fingerprint
    does not depend on where OUTDIR is), the page it starts on, and where its slots are."""

    name: str
    start: int
    layout: BodyLayout


@dataclass(frozen=True)
class MailingChunk:
    """A chunk of a mailing's letters, each with the body it lies on (None: rendered whole)."""

    paper: Paper
    letters: list[Letter]
    bodies: list[BodyRef | None]


def distinct_bodies(letters: Sequence[Letter]) -> tuple[list[Letter], list[int | None]]:
    """The distinct bodies of ``letters`` in order of first use, and each letter's body (its
    index; None for a letter rendered whole)."""
    found: dict[str, int] = {}
    bodies: list[Letter] = []
    uses: list[int | None] = []
    for letter in letters:
        body = body_of(letter)
        if body is None:
            uses.append(None)
            continue
        key = repr(body)
        if key not in found:
            found[key] = len(bodies)
            bodies.append(body)
        uses.append(found[key])
    return bodies, uses


def bodies_documents(bodies: Sequence[Letter], paper: Paper) -> list[BodiesDocument]:
    return [BodiesDocument(title=TITLE, subject="Letter bodies", paper=paper,
                           letters=list(bodies[at:at + BODIES_PER_DOCUMENT]), slips=[])
            for at in range(0, len(bodies), BODIES_PER_DOCUMENT)]


def render_bodies(doc: BodiesDocument) -> tuple[bytes, dict[str, Any]]:
    """In a worker: the bodies' PDF, and where each starts and its slots sit (JSON)."""
    from appealgen.render.html import render_laid_out

    pdf, anchors = render_laid_out(doc)
    kept = [{name: box for name, box in page.items() if name.startswith(("slot-", "letter-"))} for page in anchors]
    starts = [next(number for number, page in enumerate(kept) if f"letter-{index}" in page)
              for index in range(len(doc.letters))]
    return pdf, {"starts": starts, "pages": len(kept), "anchors": kept}


def body_refs(doc: BodiesDocument, path: Path, done: dict[str, Any]) -> list[BodyRef | None]:
    """Each body of ``doc`` (rendered to ``path``) as a reference for the chunks; None for a
    body whose slots were not all found (its letters are rendered whole)."""
    anchors = [{name: tuple(box) for name, box in page.items()} for page in done["anchors"]]
    layouts = body_layouts(anchors, doc.letters, done["starts"], done["pages"])
    return [None if layout is None else BodyRef(path.name, start, layout)
            for start, layout in zip(done["starts"], layouts, strict=True)]


def render_chunk(chunk: MailingChunk, path: Path) -> tuple[dict[Path, bytes], dict[str, Any]]:
    """In a worker: the chunk's slots, one page each, drawn where they go on their letter (to
    ``path``), the letters rendered whole (to ``path`` with ``.whole.pdf``), and each letter's
    pages as layers (JSON: file name and page, the body first)."""
    from appealgen.errors import RenderError
    from appealgen.render.html import render_letter_pages

    files: dict[Path, bytes] = {}
    whole = {index for index, body in enumerate(chunk.bodies) if body is None}
    placed: dict[int, list[tuple[int, int]]] = {}  # letter → (body page, slot's page)
    try:
        cut, placed, misfits = _slots(chunk)
        if cut is not None:
            files[path] = cut
        whole |= misfits
    except RenderError:  # the slots' pages drew something else, or text outside a slot: render whole
        whole = set(range(len(chunk.letters)))
        placed = {}
    whole_path = path.with_suffix(".whole.pdf")
    starts: dict[int, tuple[int, int]] = {}
    if whole:
        order = sorted(whole)
        pdf, first, count = render_letter_pages(Document(title=TITLE, subject="Appeal letters", paper=chunk.paper,
                                                         letters=[chunk.letters[i] for i in order], slips=[]))
        files[whole_path] = pdf
        bounds = [*first, count]
        starts = {index: (bounds[at], bounds[at + 1]) for at, index in enumerate(order)}
    letters: list[list[list[list[Any]]]] = []
    for index, body in enumerate(chunk.bodies):
        if index in whole:
            begin, end = starts[index]
            letters.append([[[whole_path.name, page]] for page in range(begin, end)])
            continue
        assert body is not None
        letters.append([[[body.name, body.start + at],
                         *([path.name, slot] for page, slot in placed.get(index, []) if page == at)]
                        for at in range(body.layout.pages)])
    return files, {"letters": letters}


def _slots(chunk: MailingChunk) -> tuple[bytes | None, dict[int, list[tuple[int, int]]], set[int]]:
    """The chunk's slots laid out packed, then cut into a page each where it goes on its letter;
    for each letter, on which of its body's pages each slot's page goes; and the letters whose
    slot does not take its place (a line wrapped or came out taller: rendered whole)."""
    from appealgen.errors import RenderError
    from appealgen.render.forms import Region, cut_into_pages
    from appealgen.render.html import render_laid_out

    width, height = PAPER_SIZES[chunk.paper]
    packed = [(index, slot) for index, (letter, body) in enumerate(zip(chunk.letters, chunk.bodies, strict=True))
              if body is not None for slot in packed_slots(letter, body.layout, str(index))]
    if not packed:
        return None, {}, set()
    pdf, anchors = render_laid_out(OverlayDocument(TITLE, "Senders", chunk.paper, width, [slot for _, slot in packed]),
                                   "overlays.html.j2")
    found = {name: (number, box) for number, page in enumerate(anchors) for name, box in page.items()}
    placed: dict[int, list[tuple[int, int]]] = {}
    misfits: set[int] = set()
    regions: list[Region] = []
    places: list[tuple[float, float]] = []
    for index, slot in packed:
        body = chunk.bodies[index]
        assert body is not None
        place = next(p for p in body.layout.slots if p.kind == slot.kind)
        if slot.id not in found:
            raise RenderError(f"slot {slot.id} was not laid out in one piece")
        number, box = found[slot.id]
        if fits(place, box):
            placed.setdefault(index, []).append((place.page, len(regions)))
        else:
            misfits.add(index)
        regions.append(Region(number, *(value * PT_PER_PX for value in box)))  # every slot, so each line has its box
        places.append((place.box[0] * PT_PER_PX, place.box[1] * PT_PER_PX))
    return cut_into_pages(pdf, regions, places, (width / MM_PER_PT, height / MM_PER_PT)), placed, misfits
