"""A mailing renders each letter body once and lays each supporter's slots over it: the letters
must read and look exactly as if each were rendered whole."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pikepdf

from appealgen.catalog.loading import load_catalog
from appealgen.compose.letters import Document
from appealgen.mailing.rows import BatchOptions, plan
from appealgen.render.html import render_letter_pages

from .conftest import Run, appealgen, pdf_words
from .test_batch import CASE, TODAY, write_csv

ROWS = [
    ["name", "address", "city", "postcode", "country", "note"],
    ["Ann Doe", "1 High Street", "Oxford", "OX1 1AA", "GB", ""],
    ["Bob Doe", "2 High Street", "Oxford", "OX1 1AA", "GB", ""],
    ["Cat Doe", "3 High Street", "Oxford", "OX1 1AA", "GB", "I write as a nurse."],  # a note: rendered whole
    ["Dan Doe", "Flat 4, " + "The Very Long Named Old Mill Buildings " * 3, "Oxford", "OX1 1AA", "GB", ""],
    ["王小明", "5 High Street", "Oxford", "OX1 1AA", "GB", ""],
    ["Eve Doe", "6 Rue de la Paix", "Paris", "75002", "FR", ""],
    ["Fay Doe", "7 High Street", "Oxford", "OX1 1AA", "GB", ""],
]


def _reading(path: Path, first: int = 1, last: int = 0) -> str:
    """The text in pdftotext's reading order (its default: by where the words sit)."""
    pages = ["-f", str(first), "-l", str(last)] if last else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pixels(path: Path) -> bytes:
    """The pages as poppler paints them (grey, 60 dpi): the same bytes for the same look."""
    return subprocess.run(["pdftoppm", "-r", "60", "-gray", str(path)], capture_output=True, check=True).stdout


def _words(path: Path, first: int, last: int) -> list[list[tuple[str, float, float]]]:
    return [[(w.text, round(w.x0, 2), round(w.y0, 2)) for w in page.words]
            for page in pdf_words(path)[first:last]]


def test_every_letter_reads_and_sits_as_if_rendered_whole(run: Run, tmp_path: Path) -> None:
    """Each supporter's letters in letters.pdf and in their own file: the same words at the same
    places (to 0.01 mm), the same text in pdftotext's reading order and the same pixels as the
    same letters rendered whole, whether they went through a body (most), or whole (a note, a line that
    wraps)."""
    path = write_csv(tmp_path / "list.csv", ROWS)
    out = tmp_path / "out"
    result = run(*TODAY, "batch", str(path), *CASE, "--per-recipient", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    options = BatchOptions(case_id="kamile-wayit", target_ids=("chen-xiaojiang",), after_deadline=True)
    planned = plan(path, load_catalog(), options, dt.date(2026, 11, 21)).planned
    files = sorted((out / "letters").iterdir())
    assert len(files) == len(planned) == 7
    page = 0
    for item, own in zip(planned, files, strict=True):
        whole = tmp_path / f"whole-{item.row}.pdf"
        pdf, _, pages = render_letter_pages(Document("Appeal letters", "x", "a4", item.letters, []))
        whole.write_bytes(pdf)
        expected = _words(whole, 0, pages)
        assert _words(own, 0, pages) == expected, item.row
        assert _words(out / "letters.pdf", page, page + pages) == expected, item.row
        assert _reading(own) == _reading(whole), item.row
        assert _pixels(own) == _pixels(whole), item.row
        page += pages
    ann = _reading(files[0])
    assert ann.startswith("Ann Doe\n1 High Street\nOXFORD\nOX1 1AA\nUNITED KINGDOM\n21 November 2026\n")
    assert "Yours sincerely,\n\nAnn Doe\nRef: kamile-wayit" in ann
    layered = {file.name[:4]: _layered(file) for file in files}
    # English: the body, the sender's block, the signed name; Chinese: the body, the signature
    assert layered["0002"] == layered["0003"] == layered["0007"] == [3, 2]
    assert layered["0004"] == [0, 2]  # the note is in the English letter only: it is rendered whole
    assert layered["0005"] == [0, 0]  # the long line wraps in both: both whole
    assert layered["0006"] == [0, 2]  # a Chinese name sets a taller line in the English letter: whole


def _layered(path: Path) -> list[int]:
    """For each page, how many layers it draws (0: a page rendered whole)."""
    with pikepdf.open(path) as pdf:
        return [len(page.obj["/Resources"].get("/XObject", {})) for page in pdf.pages]


def test_a_body_is_stored_once_and_drawn_under_every_supporters_page(run: Run, tmp_path: Path) -> None:
    """Forty supporters of one shape: letters.pdf holds each body page (English and Chinese) as
    one Form XObject, drawn by all forty letters' pages, and one Chinese font program per
    rendered document, not per letter."""
    rows = [ROWS[0], *([f"Supporter {n}", f"{n} High Street", "Oxford", "OX1 1AA", "GB", ""] for n in range(40))]
    out = tmp_path / "out"
    result = run(*TODAY, "batch", str(write_csv(tmp_path / "list.csv", rows)), *CASE, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    summary = {" ".join(cells[:-1]): cells[-1] for line in result.stdout.splitlines()  # the summary table
               if len(cells := [cell.strip() for cell in line.strip("│ ").split("│") if cell.strip()]) >= 2}
    assert (summary["letters"], summary["pages"], summary["labels"], summary["label sheets"]) == ("40", "80", "40", "2")
    with pikepdf.open(out / "letters.pdf") as pdf:
        assert len(pdf.pages) == 80
        drawn: dict[tuple[int, int], int] = {}
        for page in pdf.pages:
            forms = page.obj["/Resources"]["/XObject"]
            assert len(forms) in (2, 3)  # the body, then the supporter's slots
            body = forms["/L0"].objgen
            drawn[body] = drawn.get(body, 0) + 1
        assert sorted(drawn.values()) == [40, 40]
    text = _reading(out / "letters.pdf", 79, 80)
    assert text.startswith("Supporter 39\n39 High Street\n")
    assert "尊敬的陈小江书记：" in text and "Supporter 39\n39 High Street" in text.split("尊敬的陈小江书记：")[1]


def test_per_recipient_files_written_by_workers_are_those_written_here(tmp_path: Path) -> None:
    """A hundred per-recipient files are written by two workers (``--jobs 2``), fewer in the
    main process (``--jobs 1``): the same files, byte for byte, and each supporter's own."""
    rows = [ROWS[0], *([f"Supporter {n}", f"{n} High Street", "Oxford", "OX1 1AA", "GB", ""] for n in range(100))]
    path = write_csv(tmp_path / "list.csv", rows)
    for jobs in ("1", "2"):
        done = appealgen(*TODAY, "batch", str(path), *CASE, "--lang", "en", "--per-recipient", "--jobs", jobs,
                         "-o", str(tmp_path / jobs))
        assert done.returncode == 0, done.stderr
    one, two = (sorted((tmp_path / jobs / "letters").iterdir()) for jobs in ("1", "2"))
    assert [file.name for file in one] == [file.name for file in two] and len(one) == 100
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two, strict=True))
    assert _reading(two[99]).startswith("Supporter 99\n99 High Street\n")
    assert not list((tmp_path / "2" / "letters").glob(".*"))  # no temp file left
