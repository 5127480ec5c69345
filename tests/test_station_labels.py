"""``appealgen write --labels``: one label sheet shared by the volunteers, each letter's
officials on the next free labels, a new sheet when they do not fit, and where to resume."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from appealgen.catalog.geometry import cells
from appealgen.catalog.loading import load_catalog
from appealgen.cli import app
from appealgen.services import station
from appealgen.services.station_labels import LabelStock, make_labels
from tests.conftest import PdfPage, edit, pdf_words
from tests.printers import VirtualPrinter

TODAY = dt.date(2026, 11, 22)
ONE_VOLUNTEER = "1\n{name}\nLeeds\nGB\n\n\n\ny\n"  # case 1, name, town, country, no extras, default language, yes
NEXT = "\n"


def _write(*options: str, answers: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["write", "--case", "kamile-wayit", "--after-deadline", "--today", "2026-11-22",
                                    "--labels", *options], input=answers, env=env, catch_exceptions=False)


def _filled(page: PdfPage, sheet_name: str = "L7160") -> list[int]:
    """The labels (from 1) that carry words, each word inside one label's rectangle."""
    grid = cells(load_catalog().sheet(sheet_name))
    found = []
    for word in page.words:
        inside = [number for number, cell in enumerate(grid, 1) if word.inside(cell)]
        assert len(inside) == 1, f"{word.text!r} is not inside one label"
        found.append(inside[0])
    return sorted(set(found))


def test_two_volunteers_take_labels_one_and_two_and_closing_says_where_to_go_on(ledger: Path,
                                                                                 tmp_path: Path) -> None:
    answers = ONE_VOLUNTEER.format(name="Ann Lee") + NEXT + ONE_VOLUNTEER.format(name="Bea Second") + NEXT
    result = _write("--save-dir", str(tmp_path), answers=answers)
    assert result.exit_code == 0, result.output
    assert "Labels: L7160 sheet, 21 labels; the next free one is 1." in result.output
    assert ("Label 1 of 21 on the L7160 sheet; put the same sheet back in the printer for the next volunteer."
            in result.output)
    assert "Label 2 of 21 on the L7160 sheet; put the same sheet back" in result.output
    assert result.output.rstrip().endswith(
        "Station closed.\nLabels: the next free label is 3 of 21 on the L7160 sheet; to go on with it, start "
        "with --labels --sheet L7160 --skip 2.")
    for label, name, saved in ((1, "Ann Lee", "kamile-wayit_chen-xiaojiang_labels-L7160.pdf"),
                               (2, "Bea Second", "kamile-wayit_chen-xiaojiang_labels-L7160-2.pdf")):
        [page] = pdf_words(tmp_path / saved)
        assert _filled(page) == [label]
        text = " ".join(word.text for word in page.words)
        assert "Party Secretary Chen Xiaojiang" in text and "PEOPLE'S REPUBLIC OF CHINA" in text
        assert f"From: {name}, Leeds, UNITED KINGDOM" in text  # the volunteer's return address
    tally = CliRunner().invoke(app, ["tally", "--json", "--by", "channel"], catch_exceptions=False)
    assert {"case": "kamile-wayit", "channel": "label", "count": 2} in json.loads(tally.stdout)


def test_a_letters_labels_that_do_not_fit_go_to_the_top_of_a_new_sheet(tmp_path: Path) -> None:
    catalog = load_catalog()
    stock = LabelStock(catalog.sheet("L7160"), used=20)
    plan = stock.plan(2)
    assert plan.load_request() == ("This letter's 2 labels do not fit on the 1 label left: put a new L7160 sheet "
                                   "in the printer, then press Enter")
    assert plan.message() == ("Labels 1–2 of 21 on a new L7160 sheet: load a new sheet (the 1 label left on the "
                              "old one stays unused); put it back in the printer for the next volunteer.")
    volunteer = station.Volunteer("xinjiang-detainees", ("xi-jinping", "erkin-tuniyaz"), "Ann Lee", "Leeds", "GB")
    pdf, name = make_labels(catalog, volunteer, plan, TODAY)
    assert name == "xinjiang-detainees_xi-jinping_erkin-tuniyaz_labels-L7160.pdf"
    (tmp_path / name).write_bytes(pdf)
    [page] = pdf_words(tmp_path / name)
    assert _filled(page) == [1, 2]
    stock.take(plan)
    assert stock.resume_line().endswith("start with --labels --sheet L7160 --skip 2.")
    # The last labels of a sheet: it is used up, and a station closed now starts a new one.
    last = stock.plan(19)
    assert last.message() == ("Labels 3–21 of 21 on the L7160 sheet; the sheet is used up: put a new L7160 sheet "
                              "in the printer for the next volunteer.")
    stock.take(last)
    assert stock.resume_line() == ("Labels: the next letter starts a new L7160 sheet; to go on, start with "
                                   "--labels --sheet L7160.")


@pytest.mark.parametrize(("options", "error", "code"), [
    (["--envelope", "DL"], "Error: choose --labels or --envelope, not both: each addresses the same letter", 2),
    (["--skip", "21"], "Error: --skip 21: the L7160 sheet has 21 labels", 1),
    (["--offset-y", "12"], "Error: --offset-y 12 is more than 10 mm; set the printer's paper guides instead", 1),
])
def test_labels_options_that_cannot_work_are_refused_before_the_first_volunteer(run, tmp_path: Path,
                                                                                options: list[str], error: str,
                                                                                code: int) -> None:
    result = run("write", "--case", "kamile-wayit", "--after-deadline", "--save-dir", str(tmp_path), "--labels",
                 *options)
    assert result.exit_code == code
    assert result.stderr.splitlines()[0] == error
    assert list(tmp_path.iterdir()) == []


def test_a_label_sheet_is_printed_at_full_size_one_sided_after_a_new_sheet_is_loaded(
        virtual_printer: VirtualPrinter, data_copy: Path) -> None:
    case = data_copy / "cases" / "xinjiang-detainees.toml"  # two officials in office to write to
    edit(case, 'primary_targets = ["xi-jinping"]', 'primary_targets = ["xi-jinping", "erkin-tuniyaz"]')
    edit(case, '"ma-xingrui", "erkin-tuniyaz",', '"ma-xingrui",')
    before = len(virtual_printer.arrived())
    # Case 1, both officials (the default), the volunteer, yes; then Enter once the new sheet is in.
    answers = "1\n\nAnn Lee\nLeeds\nGB\n\n\n\ny\n\n"
    result = CliRunner().invoke(app, ["write", "--data-dir", str(data_copy), "--case", "xinjiang-detainees",
                                      "--after-deadline", "--today",
                                      "2026-11-22", "--printer", virtual_printer.queue, "--labels", "--sheet",
                                      "L7163", "--skip", "13"], input=answers, env=virtual_printer.env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())  # the prompt wraps at the terminal's width
    asked = shown.index("This letter's 2 labels do not fit on the 1 label left: put a new L7163 sheet in "
                                "the printer, then press Enter")
    assert asked < shown.index("collect the labels and peel off yours")
    assert "Labels 1–2 of 14 on a new L7163 sheet: load a new sheet" in shown
    labels, options = virtual_printer.wait_for_job(before + 2)  # the letters, then the labels
    assert {"media=A4", "sides=one-sided", "print-scaling=none"} <= set(options.split())
    [page] = pdf_words(labels)
    assert _filled(page, "L7163") == [1, 2]
    assert "Zhongnanhai" in " ".join(word.text for word in page.words)
