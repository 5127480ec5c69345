"""Cutting laid-out text into Form XObjects ("stamps") and drawing them on sheet pages (pikepdf).

WeasyPrint draws a page's text as runs, each set at its own place by a ``Tm``: so the runs of
one region of a page can be moved into a Form XObject of their own, each run's full matrix
(text matrix × the page's transformation) made relative to the region's top-left corner.
Only text is expected on a page of stamps; anything else drawn there is refused.
"""

from __future__ import annotations

import bisect
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from appealgen.errors import RenderError

PAD = 20.0
"""pt around a stamp's box in its bounding box, which clips: a glyph may reach out of its line."""
_COLOUR = {"rg", "g", "k"}
_CLIP = {"re", "W", "W*", "n"}
"""A clip (of an element that hides its overflow, which a stamp's text stays inside): dropped."""


@dataclass(frozen=True)
class Region:
    """A stamp's box on its page of stamps, in pt from the page's top-left corner."""

    page: int
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Placement:
    """Stamp ``stamp`` with its top-left corner at ``x``, ``y`` pt from the sheet's top-left."""

    stamp: int
    x: float
    y: float


def compose_sheets(pdf_bytes: bytes, regions: Sequence[Region], sheets: Sequence[Sequence[Placement]],
                   backgrounds: Sequence[int | None]) -> bytes:
    """The sheets, each drawing its placed stamps over its background page (an index into the
    rendered pages) or over a blank page with the first one's boxes. ``regions`` are cut from
    the rendered pages: a stamp placed more than once becomes one Form XObject, one placed once
    is drawn in its page's content (a Form XObject's dictionary costs more than its text). The
    rendered pages of stamps are left out; metadata is kept as rendered."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    texts, fonts = _cut(pdf, regions)
    uses = Counter(placement.stamp for placements in sheets for placement in placements)
    forms = {number: pdf.make_stream(
        texts[number], Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, Resources=fonts,
        BBox=[_dec(v) for v in (-PAD, regions[number].top - regions[number].bottom - PAD,
                                regions[number].right - regions[number].left + PAD, PAD)])
        for number in sorted(uses) if uses[number] > 1}
    del pdf.pages[min((r.page for r in regions), default=len(pdf.pages)):]
    first = pdf.pages[0].obj
    boxes = {key: first[key] for key in ("/MediaBox", "/TrimBox", "/BleedBox") if key in first}
    height = float(pdf.pages[0].mediabox[3])
    for index, (placements, background) in enumerate(zip(sheets, backgrounds, strict=True)):
        drawn = b"".join(b"q 1 0 0 1 %s %s cm\n" % (_num(p.x), _num(height - p.y))
                         + (b"/S%d Do\n" % p.stamp if p.stamp in forms else texts[p.stamp]) + b"Q\n"
                         for p in placements)
        xobjects = {f"/S{p.stamp}": forms[p.stamp] for p in placements if p.stamp in forms}
        if background is None:
            page = pikepdf.Page(pdf.make_indirect(pikepdf.Dictionary({
                **boxes, "/Type": pikepdf.Name.Page, "/Contents": pdf.make_stream(drawn),
                "/Resources": pikepdf.Dictionary({**fonts, "/XObject": pikepdf.Dictionary(xobjects)})})))
            pdf.pages.insert(index, page)
        else:
            page = pdf.pages[index]
            resources = pikepdf.Dictionary(dict(page.obj.Resources.items()))  # a copy: pages may share one
            for key, extra in (*fonts.items(), ("/XObject", xobjects)):
                resources[key] = pikepdf.Dictionary({**resources.get(key, {}), **extra})
            page.obj.Resources = resources
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)  # its own cm must not reach ours
            page.contents_add(pdf.make_stream(b"Q\n" + drawn))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def cut_into_pages(pdf_bytes: bytes, regions: Sequence[Region], places: Sequence[tuple[float, float]],
                   size: tuple[float, float]) -> bytes:
    """One page of ``size`` (pt) per region, drawing only the region's text, its top-left corner
    at its place (pt from the page's top-left): each of a mailing's slots where it goes on its
    letter, to be laid over the letter's body. The rendered pages are left out."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    texts, fonts = _cut(pdf, regions)
    rendered = len(pdf.pages)
    width, height = size
    for text, (x, y) in zip(texts, places, strict=True):
        drawn = b"q 1 0 0 1 %s %s cm\n" % (_num(x), _num(height - y)) + text + b"Q\n"
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(pikepdf.Dictionary({
            "/Type": pikepdf.Name.Page, "/MediaBox": [0, 0, _dec(width), _dec(height)], "/Resources": fonts,
            "/Contents": pdf.make_stream(drawn)}))))
    del pdf.pages[:rendered]
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _cut(pdf: Any, regions: Sequence[Region]) -> tuple[list[bytes], Any]:
    """Each region's text runs, as a text object drawn from the region's top-left corner, and
    the fonts and graphics states they use."""
    import pikepdf

    runs: list[list[bytes]] = [[] for _ in regions]
    states: list[tuple[bytes, ...]] = [() for _ in regions]
    resources: dict[str, dict[str, Any]] = {"/Font": {}, "/ExtGState": {}}
    for number in sorted({r.page for r in regions}):
        page = pdf.pages[number]
        page_height = float(page.mediabox[3])
        mine = sorted((r.top, n) for n, r in enumerate(regions) if r.page == number)
        tops = [top for top, _ in mine]
        owner = None
        for state, matrix, text in _runs(page):
            changed = b""
            if matrix is not None:  # a run set by its own Tm, else one that goes on from the last
                top = page_height - matrix.f  # the baseline, from the page's top
                at = bisect.bisect_right(tops, top) - 1
                owner = mine[at][1] if at >= 0 else None
                if owner is None or top > regions[owner].bottom:
                    raise RenderError("a stamp's text fell outside its box when the labels were laid out")
                region = regions[owner]
                moved = pikepdf.Matrix(matrix.a, matrix.b, matrix.c, matrix.d,
                                       matrix.e - region.left, matrix.f - (page_height - region.top))
                changed = b"%s Tm\n" % b" ".join(_num(v) for v in moved.shorthand)
            if owner is None:
                raise RenderError("a page of stamps shows text before it sets where")
            changed = b"".join(op for op in state if op not in states[owner]) + changed  # as set in this stamp
            runs[owner].append(changed + text)
            states[owner] = state
        for key, found in resources.items():
            found.update(page.obj.Resources.get(key, {}).items())
    if not all(runs):
        raise RenderError("a stamp came out empty when the labels were laid out")
    fonts = pikepdf.Dictionary({key: pdf.make_indirect(pikepdf.Dictionary(found))
                                for key, found in resources.items() if found})
    return [b"BT\n" + b"".join(texts) + b"ET\n" for texts in runs], fonts


def _runs(page: Any) -> Iterator[tuple[tuple[bytes, ...], Any | None, bytes]]:
    """Each text-showing operation of ``page``: the state it is drawn with (the operators that set
    it), its full matrix (text matrix × CTM; None for a run that goes on from the last) and the
    operation itself."""
    import pikepdf

    identity = pikepdf.Matrix()
    ctm, stack = identity, []
    state: dict[str, bytes] = {}
    text_matrix: Any = None
    in_text = shown = False
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        op = str(operator)
        if op == "q":
            stack.append((ctm, dict(state)))
        elif op == "Q":
            ctm, state = stack.pop()
        elif op == "cm":
            ctm = pikepdf.Matrix(*operands) @ ctm
        elif op in _COLOUR or op in ("gs", "Tf"):
            state["fill" if op in _COLOUR else op] = pikepdf.unparse_content_stream([(operands, operator)]) + b"\n"
        elif op in _CLIP:
            pass
        elif op in ("BT", "ET"):
            text_matrix, in_text, shown = None, op == "BT", False
        elif op == "Tm":
            text_matrix = pikepdf.Matrix(*operands)
        elif op in ("TJ", "Tj") and in_text and (shown or text_matrix is not None):
            # A run without a Tm of its own (another font in the line) goes on where the last ended.
            shown = True
            yield (tuple(state.values()), None if text_matrix is None else text_matrix @ ctm,
                   pikepdf.unparse_content_stream([(operands, operator)]) + b"\n")
            text_matrix = None
        else:
            raise RenderError(f"a page of stamps draws {op!r}, which appealgen cannot cut into stamps")


def _num(value: float) -> bytes:
    return (b"%.6f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _dec(value: float) -> Any:
    from decimal import Decimal

    return Decimal(_num(value).decode())
