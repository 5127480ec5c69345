"""Embedded fonts stored compactly when pages are joined: fewer bytes, the same page."""

from __future__ import annotations

import io
import subprocess
import zlib
from pathlib import Path

import pikepdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont

from appealgen.output import fontpack
from appealgen.output.pdfjoin import Source, join

from .conftest import appealgen, pdf_fonts, pdf_text


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A letter in English and Chinese as WeasyPrint wrote it (Noto Serif CJK and Liberation
    Serif), rendered once for the module by the real program."""
    folder = tmp_path_factory.mktemp("fontpack")
    path = folder / "a.pdf"
    result = appealgen("letter", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline", "--lang", "en+zh",
                       "--sender-name", "Ann Doe", "--today", "2026-11-21", "-o", str(path),
                       env={"APPEALGEN_LEDGER": str(folder / "ledger.sqlite")})
    assert result.returncode == 0, result.stderr
    return path


def _font_programs(path: Path) -> dict[str, tuple[str, int]]:
    """Each embedded font program: the font's name without its tag → (kind, stored bytes)."""
    programs = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        kind = f"{key} {obj[key].get('/Subtype', '')}".strip()
                        programs[str(obj.FontName)[8:]] = (kind, len(obj[key].read_raw_bytes()))
    return programs


def _cjk_program(path: Path) -> bytes:
    """The stored (Flate) bytes of the Noto Serif CJK subset, an OpenType font program."""
    with pikepdf.open(path) as pdf:
        return next(bytes(obj.read_raw_bytes()) for obj in pdf.objects
                    if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/OpenType")


def _fonts_table(path: Path) -> list[list[str]]:
    """pdffonts' rows, sorted, without the subset tag, object number and OpenType's "(OT)" mark."""
    rows = [line.replace(" (OT)", "").split() for line in pdf_fonts(path).splitlines()[2:]]
    return sorted([row[0][7:], *row[1:-2]] for row in rows)


def _pixels(path: Path, folder: Path) -> list[bytes]:
    """Each page rasterised by poppler, 200 dpi grey (fine enough to show a glyph moved by a pixel)."""
    subprocess.run(["pdftoppm", "-r", "200", "-gray", str(path), str(folder / path.stem)], check=True)
    return [page.read_bytes() for page in sorted(folder.glob(f"{path.stem}-*.pgm"))]


def test_joined_letter_has_smaller_fonts_and_the_same_pages(bilingual: Path, tmp_path: Path) -> None:
    joined = tmp_path / "b.pdf"
    with pikepdf.open(bilingual) as pdf:
        pages = list(range(len(pdf.pages)))
    assert join(joined, [Source(bilingual, pages)], "Letter", "Both languages") == len(pages) == 3
    before, after = _font_programs(bilingual), _font_programs(joined)
    assert before == {"Liberation-Serif": ("/FontFile2", before["Liberation-Serif"][1]),
                      "Noto-Serif-CJK-SC": ("/FontFile3 /OpenType", before["Noto-Serif-CJK-SC"][1])}
    assert after["Noto-Serif-CJK-SC"][0] == "/FontFile3 /CIDFontType0C"  # the bare CFF
    assert after["Liberation-Serif"][0] == "/FontFile2"
    # Measured: 203.6 KB of font programs before, 57.1 KB after (the CJK subset 198 KB → 52 KB).
    assert sum(size for _, size in after.values()) < 0.35 * sum(size for _, size in before.values())
    assert joined.stat().st_size < 0.4 * bilingual.stat().st_size
    assert _fonts_table(joined) == _fonts_table(bilingual)
    assert pdf_text(joined) == pdf_text(bilingual)
    assert _pixels(joined, tmp_path) == _pixels(bilingual, tmp_path)
    with pikepdf.open(joined) as pdf:
        assert pdf.check_pdf_syntax() == []


def test_compacting_is_deterministic(bilingual: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    join(first, [Source(bilingual, [1, 0])], "Letter", "Twice")
    fontpack._CACHE.clear()  # the second join compacts the fonts anew, not from the cache
    join(second, [Source(bilingual, [1, 0])], "Letter", "Twice")
    assert first.read_bytes() == second.read_bytes()


def test_other_streams_and_unreadable_programs_are_kept(bilingual: Path) -> None:
    raw = _cjk_program(bilingual)
    assert fontpack.compact({"/Filter": "/FlateDecode", "/Subtype": "/OpenType"}, raw) is not None
    assert fontpack.compact({"/Filter": "/LZWDecode", "/Subtype": "/OpenType"}, raw) is None  # unknown filter
    assert fontpack.compact({"/Filter": "/FlateDecode", "/Subtype": "/Form"}, raw) is None  # not a font
    assert fontpack.compact({"/Filter": "/FlateDecode", "/Length1": 3, "/Length2": 3}, raw) is None  # Type 1
    assert fontpack.compact({"/Length1": 9}, b"not afont") is None  # unreadable: kept as it is



def test_a_glyph_kept_if_it_advances_or_text_maps_to_it(bilingual: Path) -> None:
    """An outline-less glyph is dropped only if nothing can show it: one with a width (a space)
    or one the cmap names stays, under its CID; every kept glyph keeps its outline."""
    font = TTFont(io.BytesIO(zlib.decompress(_cjk_program(bilingual))), recalcBBoxes=False, recalcTimestamp=False)
    strings = font["CFF "].cff.topDictIndex[0].CharStrings
    empty = [name for name in font.getGlyphOrder()[1:]
             if strings[name].bytecode == b"\x0e" and font["hmtx"][name][0] == 0]
    spacer, mapped, unused = empty[1000], empty[2000], empty[3000]
    font["hmtx"][spacer] = (500, 0)
    for table in font["cmap"].tables:
        table.cmap[0xE000] = mapped
    program = io.BytesIO()
    font.save(program)
    packed = fontpack.compact({"/Subtype": "/OpenType"}, program.getvalue())
    assert packed is not None and packed[0] == {"/Filter": "/FlateDecode", "/Subtype": "/CIDFontType0C"}
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(zlib.decompress(packed[1])), None)
    top = cff.topDictIndex[0]
    assert {spacer, mapped} <= set(top.charset) and unused not in top.charset
    assert len(top.charset) < 400 < len(empty)
    for name in top.charset:
        kept, original = top.CharStrings[name], strings[name]
        kept.decompile()
        original.decompile()
        assert kept.program == original.program, name


def test_a_font_whose_cids_are_not_its_glyph_ids_is_kept(bilingual: Path) -> None:
    """A reader may take a code for a glyph id in the OpenType font and for a CID in the bare
    CFF: where the two differ, the font stays as it was."""
    font = TTFont(io.BytesIO(zlib.decompress(_cjk_program(bilingual))), recalcBBoxes=False, recalcTimestamp=False)
    top = font["CFF "].cff.topDictIndex[0]
    order = list(font.getGlyphOrder())
    first, second = 14, 15  # two glyphs of the letter: their CIDs swapped, each keeping its outline
    assert top.CharStrings[order[first]].bytecode != b"\x0e" != top.CharStrings[order[second]].bytecode
    order[first], order[second] = order[second], order[first]
    indices = top.CharStrings.charStrings
    indices[order[first]], indices[order[second]] = first, second
    top.charset = order
    font.setGlyphOrder(order)
    program = io.BytesIO()
    font.save(program)
    assert fontpack.compact({"/Subtype": "/OpenType"}, program.getvalue()) is None
