"""Joining pages of several PDFs into one, streaming."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from appealgen.output.pdfjoin import BLANK, Source, join

from .conftest import Run, pdf_fonts, pdf_pages


def _render(run: Run, tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    result = run("--today", "2026-11-21", *args, "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def test_join_picks_pages_in_order_with_blanks(run: Run, tmp_path: Path) -> None:
    letter = _render(run, tmp_path, "letter.pdf", "letter", "kamile-wayit", "--target", "chen-xiaojiang",
                     "--after-deadline", "--sender-name", "Jane Doe")
    envelope = _render(run, tmp_path, "envelope.pdf", "envelope", "--target", "zheng-zeguang", "--size", "C5")
    joined = tmp_path / "joined.pdf"
    count = join(joined, [Source(letter, [2, 0, BLANK]), Source(envelope, [0]), Source(letter, [1])],
                 "Appeal letters", "Three pages and a blank")
    assert count == 5
    pages = pdf_pages(joined)
    assert "马兴瑞" not in pages[0] and "陈小江书记 收" in pages[0]  # the address slip first
    assert "Dear Secretary Chen," in pages[1]
    assert pages[2].strip() == ""
    assert "Mr Zheng Zeguang" in pages[3]
    assert "尊敬的陈小江书记：" in pages[4]
    reader = PdfReader(joined)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes == [(595, 842)] * 3 + [(649, 459)] + [(595, 842)]  # C5 landscape: 229 × 162 mm
    assert dict(reader.metadata or {}) == {"/Title": "Appeal letters", "/Subject": "Three pages and a blank"}
    fonts = pdf_fonts(joined)
    assert "Noto-Serif-CJK-SC" in fonts and "Liberation-Serif" in fonts


def test_join_is_deterministic_and_atomic(run: Run, tmp_path: Path) -> None:
    labels = _render(run, tmp_path, "labels.pdf", "labels", "--target", "chen-xiaojiang", "--count", "50")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for path in (first, second):
        assert join(path, [Source(labels, [1, 0])], "Address labels", "50") == 2
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf", "labels.pdf"]
    assert pdf_pages(first)[1].count("陈小江书记 收") == 21
