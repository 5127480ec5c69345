"""Label sheets rendered by stamps (render/stamps.py) against the same sheets laid out whole."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from appealgen.catalog.loading import load_catalog
from appealgen.compose.label_sheets import LabelFitter, label_pages
from appealgen.compose.letters import Sender
from appealgen.compose.sheets import SheetDocument
from appealgen.render.html import render_pdf
from appealgen.render.stamps import render_sheets_by_stamps

from .conftest import pdf_text

CATALOG = load_catalog()
SHEET = CATALOG.sheet("L7160")
MM_PER_PT = 25.4 / 72


def _sheets(officials: list[str], senders: list[Sender | None], outline: bool = False) -> SheetDocument:
    items = [(CATALOG.target(official), sender) for official, sender in zip(officials, senders, strict=True)]
    pages = label_pages(SHEET, items, outline=outline, fitter=LabelFitter(SHEET, return_if_room=True))
    return SheetDocument(title="Address labels", subject="Labels on L7160", width=210, height=297, pages=pages,
                         outline=outline)


def _words(path: Path) -> list[list[tuple[str, float, float]]]:
    with pdfplumber.open(path) as pdf:
        return [sorted((w["text"], w["x0"] * MM_PER_PT, w["top"] * MM_PER_PT) for w in page.extract_words())
                for page in pdf.pages]


@pytest.mark.parametrize("outline", [False, True])
def test_stamped_labels_put_every_word_where_the_whole_sheet_does(tmp_path: Path, outline: bool) -> None:
    officials = ["ma-xingrui", "chen-xiaojiang", "chen-xiaojiang"] * 9  # 27 labels: two sheets
    senders = [Sender(f"Supporter {n}", f"{n} High Street\nOxford\nOX1 1AA") if n % 4 else None
               for n in range(len(officials))]
    senders[5] = Sender("Group ★ 5", "5 High Street\nOxford")  # a character of a fallback font
    doc = _sheets(officials, senders, outline)
    whole, stamped = tmp_path / "whole.pdf", tmp_path / "stamped.pdf"
    whole.write_bytes(render_pdf(doc, "sheets.html.j2"))
    stamped.write_bytes(render_sheets_by_stamps(doc))

    before, after = _words(whole), _words(stamped)
    assert len(after) == len(before) == 2
    assert any(text == "新疆维吾尔自治区乌鲁木齐市天山区" for text, _, _ in after[0])
    assert any(text == "Supporter" for text, _, _ in after[1])
    for old_page, new_page in zip(before, after, strict=True):
        assert [text for text, _, _ in new_page] == [text for text, _, _ in old_page]
        for (_, old_x, old_y), (_, new_x, new_y) in zip(old_page, new_page, strict=True):
            assert abs(new_x - old_x) < 0.1 and abs(new_y - old_y) < 0.1
    assert pdf_text(stamped, "-raw") == pdf_text(whole, "-raw")  # each label's lines together, in order
    with pikepdf.open(stamped) as pdf:
        assert {str(k): str(v) for k, v in pdf.docinfo.items()} == {
            "/Title": "Address labels", "/Subject": "Labels on L7160", "/Producer": pdf.docinfo["/Producer"]}


def test_a_part_repeated_on_a_sheet_is_stored_once(tmp_path: Path) -> None:
    sender = Sender("Supporter 1", "1 High Street\nOxford\nOX1 1AA")
    doc = _sheets(["chen-xiaojiang"] * 21, [sender] * 21)
    path = tmp_path / "labels.pdf"
    pdf_bytes = render_sheets_by_stamps(doc)
    path.write_bytes(pdf_bytes)

    with pikepdf.open(path) as pdf:
        forms = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form"]
        assert len(forms) == 3  # the Chinese address, the Latin address, the return address
        pdf.pages[0].contents_coalesce()
        content = pdf.pages[0].obj.Contents.read_bytes()
        assert len(pdf.pages) == 1
        assert all(content.count(b"/S%d Do" % number) == 21 for number in range(3))
    assert pdf_text(path).count("陈小江书记 收") == 21
    assert pdf_text(path).count("From: Supporter 1, 1 High Street, Oxford, OX1 1AA") == 21
    assert render_sheets_by_stamps(doc) == pdf_bytes  # the same bytes for the same sheets
