"""What `appealgen batch` leaves in OUTDIR and says about it: notes printed as typed (line breaks
kept), each letter's pages in the manifest, labels that lost the return address, earlier runs'
per-recipient files removed (a user's kept), a reprint of a few rows, an honest summary, a
finished mailing not rendered again, and Ctrl-C of a real batch saying how far it got."""

from __future__ import annotations

import csv
import signal
from pathlib import Path

from pypdf import PdfReader

from .conftest import Run, appealgen, page_size, pdf_pages, pdf_text
from .test_batch import CASE, TODAY, manifest, write_csv

INTERRUPT_AFTER_ENV = "APPEALGEN_TEST_INTERRUPT_AFTER_PARTS"
"""Test-only: the batch sends SIGINT to its process group after this many parts (mailing.run)."""
NOTE_ROWS = [["name", "city", "country", "note"],
             ["Jane Doe", "Oxford", "GB", "I am a teacher.\nMy pupils wrote too."],
             ["Bob Roe", "Leeds", "GB", ""],
             ["Ann Poe", "York", "GB", "Free her now.\\nPlease."]]


def batch(run: Run, supporters: Path, outdir: Path, *args: str) -> tuple[int, list[str], list[str]]:
    result = run(*TODAY, "batch", str(supporters), "-o", str(outdir), *CASE, *args)
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def summary_rows(stdout: list[str]) -> dict[str, str]:
    """The summary table's ``label → value`` rows (its totals, below the case/target rows)."""
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in stdout if line.startswith("│")]
    return {row[0]: row[2] for row in cells if len(row) == 3 and not row[1]}


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


# Notes -------------------------------------------------------------------------------------

def test_letter_note_keeps_its_line_breaks_typed_or_real(run: Run, tmp_path: Path) -> None:
    for note, name in (("First line\\nSecond line", "typed.pdf"), ("First line\nSecond line", "real.pdf")):
        result = run(*TODAY, "letter", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline", "--lang",
                     "en", "--note", note,
                     "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.stderr
        text = lines(pdf_text(tmp_path / name))
        assert "First line" in text and "Second line" in text, name
        assert "\\n" not in pdf_text(tmp_path / name)


def test_batch_notes_from_a_file_keep_their_line_breaks(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "notes.csv", NOTE_ROWS)
    code, _, stderr = batch(run, path, tmp_path / "out", "--lang", "en")
    assert code == 0, stderr
    text = lines(pdf_text(tmp_path / "out" / "letters.pdf"))
    for line in ("I am a teacher.", "My pupils wrote too.", "Free her now.", "Please."):
        assert line in text


# The manifest ------------------------------------------------------------------------------

def test_manifest_page_ranges_find_each_letter_in_letters_pdf(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "notes.csv", NOTE_ROWS)
    code, _, stderr = batch(run, path, tmp_path / "out", "--duplex", "--per-recipient")
    assert code == 0, stderr
    pages = pdf_pages(tmp_path / "out" / "letters.pdf")
    rows = manifest(tmp_path / "out")
    # With --duplex every version starts on an odd page: a one-page English version is followed
    # by a blank page inside the letter's range, the Chinese one by a blank page after it.
    assert [(line["first_page"], line["last_page"]) for line in rows] == [("1", "3"), ("5", "7"), ("9", "11")]
    assert [line["pages"] for line in rows] == ["2", "2", "2"]
    assert len(pages) == 12 and all(not pages[index].strip() for index in range(1, 12, 2))
    for line in rows:
        first, last = int(line["first_page"]), int(line["last_page"])
        assert "Dear Secretary Chen," in pages[first - 1] and line["name"] in pages[first - 1]
        assert "敬礼！" in pages[last - 1]  # the Chinese version ends the letter
        assert "".join(pages[first - 1:last]).count("Dear Secretary Chen,") == 1
        own = pdf_pages(tmp_path / "out" / line["file"])
        assert len(own) == int(line["pages"]) and own[0] == pages[first - 1]
    assert len(PdfReader(tmp_path / "out" / "letters.pdf").pages) == 12


def test_a_label_without_room_for_the_return_address_is_recorded(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "two.csv", [["name", "address", "city", "postcode", "country"],
                                           ["Jane Doe", "1 High St", "Oxford", "OX1 1AA", "GB"],
                                           ["Bob Roe", "2 Low Rd", "Leeds", "LS1 1AA", "GB"]])
    code, _, stderr = batch(run, path, tmp_path / "small", "--sheet", "5160")
    assert code == 0, stderr
    assert "From:" not in pdf_text(tmp_path / "small" / "labels.pdf")
    assert [line["label"] for line in manifest(tmp_path / "small")] == ["no room for the return address"] * 2
    assert ("Warning: 2 labels had no room for the return address and left it off (the label column of "
            "manifest.csv names them)") in stderr
    code, _, stderr = batch(run, path, tmp_path / "big", "--sheet", "L7163")
    assert code == 0, stderr
    assert [line["label"] for line in manifest(tmp_path / "big")] == ["", ""]
    assert not [line for line in stderr if "return address" in line]


# OUTDIR holds exactly this mailing ---------------------------------------------------------

def test_a_second_run_removes_earlier_recipient_files_and_keeps_the_users(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_csv(tmp_path / "first.csv", [["name"], ["Jane Doe"], ["Bob Roe"], ["Ann Poe"]])
    assert batch(run, first, out, "--lang", "en", "--per-recipient")[0] == 0
    (out / "letters" / "cover note.txt").write_text("mine")
    (out / "letters" / "2024-budget.pdf").write_bytes(b"%PDF-1.4 not appealgen's")  # named like ours
    second = write_csv(tmp_path / "second.csv", [["name"], ["Bob Roe"]])
    code, _, stderr = batch(run, second, out, "--lang", "en", "--per-recipient")
    assert code == 0, stderr
    assert sorted(p.name for p in (out / "letters").iterdir()) == ["0002-Bob-Roe.pdf", "2024-budget.pdf",
                                                                   "cover note.txt"]
    assert (out / "letters" / "cover note.txt").read_text() == "mine"
    assert (f"Warning: {out / 'letters'} also holds 2 files appealgen did not write, left as they are: move "
            "them out before printing the folder") in stderr
    assert [line["file"] for line in manifest(out)] == ["letters/0002-Bob-Roe.pdf"]
    # Without --per-recipient the mailing has no per-recipient files: appealgen's go, the folder stays.
    code, _, stderr = batch(run, first, out, "--lang", "en")
    assert code == 0, stderr
    assert sorted(p.name for p in (out / "letters").iterdir()) == ["2024-budget.pdf", "cover note.txt"]


def test_letters_folder_of_appealgen_files_only_goes_when_the_mailing_has_none(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = write_csv(tmp_path / "s.csv", [["name"], ["Jane Doe"]])
    assert batch(run, path, out, "--lang", "en", "--per-recipient")[0] == 0
    code, _, stderr = batch(run, path, out, "--lang", "en")
    assert code == 0, stderr
    assert not (out / "letters").exists()
    assert not [line for line in stderr if "did not write" in line]


# A reprint ---------------------------------------------------------------------------------

def test_rows_reprints_only_those_rows_beside_the_mailing(run: Run, tmp_path: Path) -> None:
    """The reprint is the mailing's: on its paper (A4: most supporters are in the UK), though
    most of the reprinted rows are in the US."""
    out = tmp_path / "out"
    names = ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"]
    countries = ["GB", "US", "GB", "US", "GB", "GB"]
    rows = [[f"{name} Doe", country] for name, country in zip(names, countries, strict=True)]
    path = write_csv(tmp_path / "s.csv", [["name", "country"], *rows])
    assert batch(run, path, out, "--lang", "en", "--per-recipient")[0] == 0
    before = mtimes(out)
    code, _, stderr = batch(run, path, out, "--lang", "en", "--per-recipient", "--rows", "3,5-6")
    assert code == 0, stderr
    assert stderr[0] == f"Read 6 rows from {path} (encoding: utf-8); reprinting only rows 3, 5-6"
    assert stderr[-1] == f"Wrote letters.pdf, labels.pdf, manifest.csv, letters/ in {out / 'reprint-rows-3,5-6'}"
    reprint = out / "reprint-rows-3,5-6"
    assert [(line["row"], line["name"], line["first_page"]) for line in manifest(reprint)] == [
        ("3", "Bob Doe", "1"), ("5", "Dan Doe", "2"), ("6", "Eve Doe", "3")]
    text = pdf_text(reprint / "letters.pdf")
    assert [name for name in names if f"{name} Doe" in text] == ["Bob", "Dan", "Eve"]
    assert sorted(p.name for p in (reprint / "letters").iterdir()) == ["0003-Bob-Doe.pdf", "0005-Dan-Doe.pdf",
                                                                        "0006-Eve-Doe.pdf"]
    assert pdf_text(reprint / "labels.pdf").count("陈小江书记 收") == 3
    assert page_size(reprint / "letters.pdf") == page_size(out / "letters.pdf") == (595.28, 841.89)
    assert page_size(reprint / "labels.pdf") == (595.28, 841.89)  # L7160, as the mailing's
    assert {k: v for k, v in mtimes(out).items() if not k.startswith("reprint-")} == before


def test_rows_that_are_not_in_the_list_or_not_numbers_are_refused(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["name"], ["Ann Doe"], ["Bob Doe"]])
    code, _, stderr = batch(run, path, tmp_path / "out", "--rows", "3-5")
    assert code == 1
    assert stderr == ["Error: --rows: s.csv has no rows 4-5",
                      "Hint: its supporters are in rows 2-3; the manifest's row column numbers them"]
    code, _, stderr = batch(run, path, tmp_path / "out", "--rows", "2,x")
    assert code == 2 and "'x' is not a row number or range: write rows as 17,42-45" in " ".join(stderr)
    assert not (tmp_path / "out").exists()


def test_rows_checks_the_reprinted_rows_like_a_run(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["name", "country"], ["Ann Doe", "GB"], ["Bob Doe", "Nowhere"]])
    code, _, stderr = batch(run, path, tmp_path / "out", "--rows", "3")
    assert code == 1 and stderr[0].startswith("Error: s.csv: row 3: country is not a country")
    assert batch(run, path, tmp_path / "out", "--rows", "2")[0] == 0


# The summary -------------------------------------------------------------------------------

def test_summary_counts_supporters_letters_and_language_versions(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["name", "lang"], ["Ann Doe", "en+zh"], ["Bob Doe", "en"],
                                          ["Cat Doe", "en+zh"], ["Dan Doe", "en"], ["Eve Doe", "en+zh"],
                                          ["", "en"]])
    code, stdout, stderr = batch(run, path, tmp_path / "out", "--skip-invalid")
    assert code == 0, stderr
    totals = summary_rows(stdout)
    assert {key: totals[key] for key in ("rows read", "rows skipped", "supporters", "letters",
                                         "language versions", "pages", "labels", "label sheets")} == {
        "rows read": "6", "rows skipped": "1", "supporters": "5", "letters": "5", "language versions": "8",
        "pages": "8", "labels": "5", "label sheets": "1"}
    assert any(line.replace(" ", "") == "│kamile-wayit│chen-xiaojiang│5│" for line in stdout)


# A finished mailing run again --------------------------------------------------------------

def test_rerun_of_a_finished_mailing_renders_nothing(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = write_csv(tmp_path / "s.csv", [["name"], ["Ann Doe"], ["Bob Doe"]])
    assert batch(run, path, out, "--per-recipient")[0] == 0
    before = mtimes(out)
    code, stdout, stderr = batch(run, path, out, "--per-recipient")
    assert code == 0, stderr
    assert stderr[-1] == (f"Nothing to do: {out} already holds this mailing (2 letters); delete it or change "
                          "the list to render again")
    assert stdout == []
    assert mtimes(out) == before  # no work folder, no file written again
    # A changed list, other options or a damaged file: rendered again.
    (out / "labels.pdf").write_bytes(b"spoilt")
    code, _, stderr = batch(run, path, out, "--per-recipient")
    assert code == 0 and not stderr[-1].startswith("Nothing to do")
    assert pdf_text(out / "labels.pdf").count("陈小江书记 收") == 2
    code, _, stderr = batch(run, path, out, "--per-recipient", "--duplex")
    assert code == 0 and not stderr[-1].startswith("Nothing to do")
    write_csv(path, [["name"], ["Ann Doe"], ["Bob Doe"], ["Cat Doe"]])
    code, _, stderr = batch(run, path, out, "--per-recipient", "--duplex")
    assert code == 0 and not stderr[-1].startswith("Nothing to do")
    assert [line["name"] for line in manifest(out)] == ["Ann Doe", "Bob Doe", "Cat Doe"]


def test_ctrl_c_of_a_real_batch_says_how_far_it_got_and_the_rerun_finishes(tmp_path: Path) -> None:
    """A real batch process sends itself (its process group, as a terminal's Ctrl-C does)
    SIGINT once the first of its three parts (the labels, the letter bodies, then the letters)
    is done."""
    path = write_csv(tmp_path / "three.csv", [["name"], ["Ann Doe"], ["Bob Doe"], ["Cat Doe"]])
    command = [*TODAY, "batch", str(path), *CASE, "--lang", "en", "--jobs", "1", "-o", str(tmp_path / "out")]
    stopped = appealgen(*command, start_new_session=True, env={INTERRUPT_AFTER_ENV: "1"}, timeout=120)
    assert stopped.returncode == 128 + signal.SIGINT, stopped.stderr
    assert stopped.stderr.splitlines()[-1] == "Interrupted after 1 of 3 parts; run the same command again to finish"
    assert "Traceback" not in stopped.stderr
    assert not (tmp_path / "out" / "manifest.csv").exists()
    resumed = appealgen(*command, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resumed: 1 of 3 parts were rendered by an earlier run" in resumed.stderr
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig") as stream:
        assert [line["name"] for line in csv.DictReader(stream)] == ["Ann Doe", "Bob Doe", "Cat Doe"]
