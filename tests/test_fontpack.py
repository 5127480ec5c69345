"""Embedded fonts stored compactly when pages are joined: fewer bytes, the same page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

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
    with pikepdf.open(bilingual) as pdf:
        cff = next(obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/OpenType")
        raw = cff.read_raw_bytes()
    assert fontpack.compact({"/Filter": "/FlateDecode", "/Subtype": "/OpenType"}, raw) is not None
    assert fontpack.compact({"/Filter": "/LZWDecode", "/Subtype": "/OpenType"}, raw) is None  # unknown filter
    assert fontpack.compact({"/Filter": "/FlateDecode", "/Subtype": "/Form"}, raw) is None  # not a font
    assert fontpack.compact({"/Filter": "/FlateDecode", "/Length1": 3, "/Length2": 3}, raw) is None  # Type 1
    assert fontpack.compact({"/Length1": 9}, b"not afont") is None  # unreadable: kept as it is

