"""Joining pages of several PDFs into one, streaming."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from appealgen.output.pdfjoin import BLANK, Layer, Library, Source, join, join_layered

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


def test_a_library_shared_by_many_joins_gives_the_bytes_of_joins_on_their_own(run: Run, tmp_path: Path) -> None:
    """A mailing's per-recipient files keep their sources open and each object's output made
    once (``Library``); every file must still be what a join of its own would write, its objects
    numbered for itself, also when the library has closed sources to keep at most KEEP open."""
    letter = _render(run, tmp_path, "letter.pdf", "letter", "kamile-wayit", "--target", "chen-xiaojiang",
                     "--after-deadline", "--sender-name", "Jane Doe")
    labels = _render(run, tmp_path, "labels.pdf", "labels", "--target", "chen-xiaojiang", "--count", "21")
    pages = [[(Layer(letter, 1), Layer(labels, 0)), (Layer(letter, 0),)], [(Layer(labels, 0),), (Layer(letter, 2),)],
             [(Layer(letter, 0), Layer(letter, 1))]]
    alone = [tmp_path / f"alone-{n}.pdf" for n in range(3)]
    for path, file_pages in zip(alone, pages, strict=True):
        join_layered(path, file_pages, "Appeal letters", "One")
    with Library() as library:
        library.KEEP = 1  # every other join reopens its sources
        for round_ in range(2):
            for number, file_pages in enumerate(pages):
                shared = tmp_path / f"shared-{round_}-{number}.pdf"
                join_layered(shared, file_pages, "Appeal letters", "One", library)
                assert shared.read_bytes() == alone[number].read_bytes(), (round_, number)
    first = pdf_pages(alone[0])[0]  # the letter's second page with the label sheet drawn over it
    assert "尊敬的陈小江书记：" in first and "陈小江书记 收" in first


def test_dictionaries_go_into_object_streams_that_every_reader_follows(run: Run, tmp_path: Path) -> None:
    """Every object but the streams is packed into object streams of at most ``PACKED`` objects,
    found through a cross-reference stream (PDF 1.5): qpdf finds nothing wrong, pypdf reads it
    strictly, and each page has its words."""
    import pikepdf

    letter = _render(run, tmp_path, "letter.pdf", "letter", "kamile-wayit", "--target", "chen-xiaojiang",
                     "--after-deadline", "--sender-name", "Jane Doe")
    joined = tmp_path / "joined.pdf"
    assert join(joined, [Source(letter, [0, 1, 2] * 40)], "Appeal letters", "120 pages") == 120
    raw = joined.read_bytes()
    assert raw.count(b"/Type /ObjStm") >= 2 and raw.count(b"/Type /XRef") == 1 and b"\nxref\n" not in raw
    with pikepdf.open(joined) as pdf:
        assert pdf.check_pdf_syntax() == [] and len(pdf.pages) == 120
    reader = PdfReader(joined, strict=True)
    assert dict(reader.metadata or {}) == {"/Title": "Appeal letters", "/Subject": "120 pages"}
    pages = pdf_pages(joined)
    assert len(pages) == 120 and all("尊敬的陈小江书记：" in pages[at] for at in range(1, 120, 3))
    assert "Jane Doe" in pages[118]
