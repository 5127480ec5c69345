"""Printing through a real, private CUPS server (``virtual_printer``): the job's PDF arrives
with the expected pages and paper; without CUPS or a printer, a clear error and the PDF kept."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.conftest import appealgen, pdf_text
from tests.printers import VirtualPrinter

TODAY = ("--today", "2023-05-01")


def test_printers_lists_the_queues_and_the_default(virtual_printer: VirtualPrinter) -> None:
    result = appealgen("printers", env=virtual_printer.env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "station  (default)\n"


def test_letter_print_sends_the_letter_to_the_printer_and_keeps_the_pdf(
        virtual_printer: VirtualPrinter, tmp_path: Path) -> None:
    before = len(virtual_printer.arrived())
    out = tmp_path / "letter.pdf"
    result = appealgen(*TODAY, "letter", "zhanargul-zhumatai", "--target", "ma-xingrui", "--sender-name", "Ann",
                       "--sender-locale", "en_US", "-o", str(out), "--printer", "station", "--duplex",
                       env=virtual_printer.env)
    assert result.returncode == 0, result.stderr
    assert "Sent to the printer (station-" in result.stderr
    printed, options = virtual_printer.wait_for_job(before + 1)
    assert len(PdfReader(printed).pages) == len(PdfReader(out).pages) == 3  # zh, en, slip
    assert "尊敬的马兴瑞书记" in pdf_text(printed)
    assert "media=Letter" in options.split()
    assert "sides=two-sided-long-edge" in options.split()


def test_envelope_prints_at_the_envelope_size(virtual_printer: VirtualPrinter, tmp_path: Path) -> None:
    before = len(virtual_printer.arrived())
    result = appealgen(*TODAY, "envelope", "--target", "zheng-zeguang", "-o", str(tmp_path / "e.pdf"), "--print",
                       env=virtual_printer.env)
    assert result.returncode == 0, result.stderr
    _printed, options = virtual_printer.wait_for_job(before + 1)
    assert {"media=Custom.220x110mm", "print-scaling=none"} <= set(options.split())


def test_labels_print_at_full_size(virtual_printer: VirtualPrinter, tmp_path: Path) -> None:
    """A label sheet scaled to the printable area puts every label off its cell."""
    before = len(virtual_printer.arrived())
    result = appealgen(*TODAY, "labels", "--target", "zheng-zeguang", "--sheet", "L7163", "-o",
                       str(tmp_path / "l.pdf"), "--print", env=virtual_printer.env)
    assert result.returncode == 0, result.stderr
    printed, options = virtual_printer.wait_for_job(before + 1)
    assert {"media=A4", "print-scaling=none"} <= set(options.split())
    assert pdf_text(printed).count("Zheng Zeguang") == 14


def test_an_unknown_printer_names_the_known_ones_and_the_pdf_stays(
        virtual_printer: VirtualPrinter, tmp_path: Path) -> None:
    out = tmp_path / "labels.pdf"
    result = appealgen(*TODAY, "labels", "--target", "zheng-zeguang", "-o", str(out), "--printer", "nowhere",
                       env=virtual_printer.env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        f"Error: cannot print: there is no printer 'nowhere' (the PDF is saved as {out})",
        "Hint: choose one with --printer: station"]
    assert out.stat().st_size > 0


def test_without_cups_printing_says_how_to_fix_it_and_the_pdf_stays(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    result = appealgen(*TODAY, "letter", "zhanargul-zhumatai", "--target", "ma-xingrui", "-o", str(out), "--print",
                       env={"PATH": str(tmp_path)})  # no lp, no lpstat
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        f"Error: cannot print: the CUPS command `lpstat` is not installed (the PDF is saved as {out})",
        "Hint: install CUPS (Debian: apt-get install cups) and add the printer, or print the saved PDF from "
        "another program"]
    assert out.stat().st_size > 0


def test_a_cups_server_that_is_not_running_is_named_as_the_problem(tmp_path: Path) -> None:
    out = tmp_path / "envelope.pdf"
    result = appealgen(*TODAY, "envelope", "--target", "zheng-zeguang", "-o", str(out), "--print",
                       env={"CUPS_SERVER": str(tmp_path / "no-cupsd.sock")})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        f"Error: cannot print: the CUPS server is not running (the PDF is saved as {out})",
        "Hint: start it (`sudo systemctl start cups`), then try again"]
    assert out.stat().st_size > 0
