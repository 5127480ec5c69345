"""Embedded font programs stored compactly: the same glyphs, drawn the same, in fewer bytes.

WeasyPrint subsets a font keeping every glyph id up to the highest one used (HarfBuzz's
RETAIN_GIDS), so the content streams can show glyph ids as CIDs. A Chinese letter reaches
glyph 63,000 of Noto Serif CJK: its subset holds 63,164 glyphs of which a few hundred have
outlines, and the empty rest still cost a charset and FDSelect entry, a CharStrings offset,
and horizontal and vertical metrics each (195 KB after Flate, for some 50 KB of outlines).

- A CID-keyed CFF in an OpenType wrapper (``/FontFile3 /Subtype /OpenType``) becomes the
  bare CFF (``/Subtype /CIDFontType0C``, ISO 32000-1 §9.9) with only the glyphs that draw
  or advance. A CID-keyed CFF finds a glyph by its CID through its own charset, which keeps
  every glyph's CID, so the content streams' codes still reach the same outlines (done only
  where each CID equals its glyph id, as in WeasyPrint's subsets of Noto CJK, so a reader
  that took codes for glyph ids in the OpenType font drew the same); widths come from the
  PDF's ``/W``, so hmtx and vmtx are not needed.
- A TrueType program (``/FontFile2``) keeps its glyph ids (the CIDFont maps CIDs to them
  one to one) and keeps only the tables §9.9 names for a TrueType font in a PDF, and cmap.

Each result is cached by the hash of the stored stream, because the same body font is in
every per-recipient file of a mailing.
"""

from __future__ import annotations

import array
import hashlib
import io
import sys
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

Entries = dict[str, str | int]
"""A font stream's dictionary without ``/Length``: names as ``/Name`` strings, numbers as ints."""

# §9.9's tables, and cmap: without it Ghostscript draws the glyphs differently
_TRUETYPE_TABLES = ("cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep")
_CACHE: OrderedDict[bytes, tuple[Entries, bytes] | None] = OrderedDict()
_CACHE_SIZE = 512
"""Distinct programs kept: a mailing has a few per chunk (each rendered document subsets its own),
about 400 for 10,000 letters, and letters.pdf is joined after the per-recipient files, which
compacted them already. A compacted program is small (3–50 KB)."""


def compact(entries: Mapping[str, str | int], raw: bytes) -> tuple[Entries, bytes] | None:
    """For an embedded font program stream (its dictionary ``entries`` without ``/Length``,
    and its stored bytes ``raw``): the dictionary and stored bytes of an equivalent, smaller
    program, or None to keep it as it is (not a font program this knows, or no smaller).
    The same input always gives the same bytes."""
    key = hashlib.sha256(repr(sorted(entries.items())).encode() + b"\0" + raw).digest()
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    result = _compact(dict(entries), raw)
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _compact(entries: Entries, raw: bytes) -> tuple[Entries, bytes] | None:
    filters = entries.get("/Filter")
    if filters not in (None, "/FlateDecode"):
        return None
    kind = {k: v for k, v in entries.items() if k != "/Filter"}
    new: Entries = {"/Filter": "/FlateDecode"}
    try:
        program = zlib.decompress(raw) if filters else raw
        if kind == {"/Subtype": "/OpenType"}:
            packed = _bare_cff(program)
            new["/Subtype"] = "/CIDFontType0C"
        elif set(kind) == {"/Length1"}:
            packed = _truetype(program)
            new["/Length1"] = len(packed or b"")
        else:
            return None
    except Exception:  # a program fontTools cannot read is kept as it is
        return None
    if packed is None:
        return None
    data = zlib.compress(packed, 9)
    return (new, data) if len(data) < len(raw) else None


def _bare_cff(program: bytes) -> bytes | None:
    """The CFF of a CID-keyed OpenType font with only the glyphs that draw or advance
    (and those the cmap names, and .notdef), each keeping its CID; None for other fonts."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False)  # readers size glyphs by FontBBox
    if "CFF " not in font or not hasattr(top := font["CFF "].cff.topDictIndex[0], "ROS"):
        return None  # a name-keyed CFF finds glyphs by glyph id: those must stay
    # Read from the tables' bytes: parsed, 63,000 glyphs' metrics and charstrings take 40 MB.
    offsets = top.CharStrings.charStringsIndex.offsets
    advances = _advances(font)
    keep = {0} | {font.getGlyphID(name) for name in (font.getBestCmap() or {}).values()}
    keep |= {gid for gid in range(len(offsets) - 1)
             if offsets[gid + 1] - offsets[gid] > 1 or advances(gid)}  # one byte: endchar, nothing drawn
    order = font.getGlyphOrder()
    if any(order[gid] != f"cid{gid:05d}" for gid in keep - {0}):
        return None  # a reader may take a code for a glyph id or a CID: only where both agree is it safe
    _keep_tables(font, ("CFF ", "head", "maxp"))  # only the CFF goes into the PDF: subsetting the rest is time lost
    options = subset.Options(notdef_outline=True, hinting=True, desubroutinize=False, glyph_names=True,
                             layout_features=[], name_IDs=[], recalc_bounds=False, recalc_timestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(keep))
    subsetter.subset(font)
    return bytes(font["CFF "].compile(font))


def _advances(font: Any) -> Callable[[int], int]:
    """A glyph's advance width by glyph id, from the hmtx table's bytes."""
    count = font["hhea"].numberOfHMetrics
    metrics = array.array("H", font.reader["hmtx"][:4 * count])  # (advance, left side bearing) pairs
    if sys.byteorder == "little":
        metrics.byteswap()
    return lambda gid: metrics[2 * min(gid, count - 1)]  # the last advance holds for the glyphs after


def _truetype(program: bytes) -> bytes | None:
    """A TrueType program with only the tables a PDF reader uses, glyph ids unchanged."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False)
    if "glyf" not in font:
        return None
    font.getGlyphOrder()  # read from post, which goes
    _keep_tables(font, _TRUETYPE_TABLES)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _keep_tables(font: Any, tags: tuple[str, ...]) -> None:
    tables = font.keys()  # a TTFont is not iterable
    for tag in [tag for tag in tables if tag != "GlyphOrder" and tag not in tags]:
        del font[tag]
