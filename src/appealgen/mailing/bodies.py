"""A mailing's letters as bodies rendered once, each supporter's slots laid over them.

Almost everything on a mailing's letters is the same for every supporter who writes to one
official in one language (see ``compose.overlays``). So the batch renders each distinct body
once (``BodiesDocument``, first), then each chunk of supporters' letters as overlay pages only
(``MailingChunk``): a letter's pages in ``letters.pdf`` draw the body page and the overlay page
one over the other, and the joiner stores each body page once. A letter whose body is its own
(a personal note) or whose overlay does not match its body (a line that wraps) is rendered
whole, in the same chunk.

Runs in the render workers; each result is JSON, written beside the chunk's PDFs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealgen.catalog.geometry import Paper
from appealgen.compose.letters import Document, Letter
from appealgen.compose.overlays import (
    BodiesDocument,
    BodyLayout,
    OverlayDocument,
    OverlayPage,
    body_layouts,
    body_of,
    overlay_pages,
    overlay_shift,
)

BODIES_PER_DOCUMENT = 20
PX_TO_PT = 0.75
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
    body that overlays cannot serve (a slot over a page break)."""
    anchors = [{name: tuple(box) for name, box in page.items()} for page in done["anchors"]]
    layouts = body_layouts(anchors, doc.letters, done["starts"], done["pages"])
    return [None if layout is None else BodyRef(path.name, start, layout)
            for start, layout in zip(done["starts"], layouts, strict=True)]


def render_chunk(chunk: MailingChunk, path: Path) -> tuple[dict[Path, bytes], dict[str, Any]]:
    """In a worker: the chunk's overlay pages (to ``path``) and the letters rendered whole (to
    ``path`` with ``.whole.pdf``), and each letter's pages as layers (JSON: file name, page,
    shift in points)."""
    from appealgen.render.html import render_laid_out, render_letter_pages

    overlays: list[OverlayPage] = []
    owners: list[tuple[int, BodyLayout]] = []
    for index, (letter, body) in enumerate(zip(chunk.letters, chunk.bodies, strict=True)):
        if body is not None:
            for page in overlay_pages(letter, body.layout, str(index)):
                overlays.append(page)
                owners.append((index, body.layout))
    files: dict[Path, bytes] = {}
    over: dict[int, dict[int, tuple[int, float]]] = {}  # letter → body page → (overlay page, shift)
    whole = {index for index, body in enumerate(chunk.bodies) if body is None}
    if overlays:
        pdf, anchors = render_laid_out(OverlayDocument(TITLE, "Senders", chunk.paper, overlays), "overlays.html.j2")
        files[path] = pdf
        if len(anchors) != len(overlays):  # a slot ran over onto a page of its own: no page is sure
            whole.update(index for index, _ in owners)
        for number, (page, (index, layout)) in enumerate(zip(overlays, owners, strict=True)):
            shift = overlay_shift(page, layout, anchors[number]) if len(anchors) == len(overlays) else None
            if shift is None:
                whole.add(index)
            else:
                over.setdefault(index, {})[page.page] = (number, round(shift * PX_TO_PT, 4))
    whole_path = path.with_suffix(".whole.pdf")
    starts: dict[int, tuple[int, int]] = {}
    if whole:
        order = sorted(whole)
        doc = Document(title=TITLE, subject="Appeal letters", paper=chunk.paper,
                       letters=[chunk.letters[index] for index in order], slips=[])
        pdf, first, count = render_letter_pages(doc)
        files[whole_path] = pdf
        bounds = [*first, count]
        starts = {index: (bounds[at], bounds[at + 1]) for at, index in enumerate(order)}
    letters: list[list[list[list[Any]]]] = []
    for index, body in enumerate(chunk.bodies):
        if index in whole:
            begin, end = starts[index]
            letters.append([[[whole_path.name, page, 0.0]] for page in range(begin, end)])
            continue
        assert body is not None
        pages = []
        for at in range(body.layout.pages):
            layers: list[list[Any]] = [[body.name, body.start + at, 0.0]]
            if at in over.get(index, {}):
                number, shift = over[index][at]
                layers.append([path.name, number, shift])
            pages.append(layers)
        letters.append(pages)
    return files, {"letters": letters}
