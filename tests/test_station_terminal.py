"""``appealgen write`` driven in a pseudo-terminal, as volunteers at a write-a-thon use it: two
volunteers in a row, a successor offered, a bad character asked again, the letters saved and
printed on the virtual printer, nothing of the first volunteer left on the screen."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect
import pytest
from pypdf import PdfReader

from appealgen.cli.station import CLEAR
from tests.conftest import pdf_text
from tests.printers import VirtualPrinter


@pytest.fixture
def station(virtual_printer: VirtualPrinter, tmp_path: Path):  # type: ignore[no-untyped-def]
    saved = tmp_path / "saved"
    saved.mkdir()
    env = {**os.environ, **virtual_printer.env, "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "appealgen", "write", "--case", "kamile-wayit", "--case",
                                           "zhanargul-zhumatai", "--after-deadline", "--today", "2026-11-22",
                                           "--printer", virtual_printer.queue, "--save-dir", str(saved),
                                           "--envelope", "auto"],
                          env=env, encoding="utf-8", timeout=120, dimensions=(40, 200))
    child.saved = saved
    child.logfile_read = io.StringIO()  # everything the terminal was sent
    yield child
    child.close(force=True)


def answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.sendline(text)


def test_two_volunteers_in_a_row(station: pexpect.spawn, virtual_printer: VirtualPrinter) -> None:
    before = len(virtual_printer.arrived())
    # The first volunteer: Kamile Wayit's case, whose official has left office.
    answer(station, "Case number", "1")
    station.expect_exact("Note: Ma Xingrui left office on 2025-07-01; Chen Xiaojiang holds the post now")
    station.expect_exact("Your letter goes to Chen Xiaojiang")
    answer(station, "Your name (as you sign)", "Anna \U00013000")
    station.expect_exact("your name contains U+13000, a character no installed font can draw")
    answer(station, "Your name (as you sign)", "Anna Firstvolunteer")
    answer(station, "Your town", "Leeds")
    answer(station, "Your country", "Narnia")
    station.expect_exact("not a country name this station knows")
    answer(station, "Your country", "UK")
    answer(station, "One line about you", "As a teacher in Leeds,")
    answer(station, "A sentence of your own", "")
    answer(station, "Language (number)", "")
    station.expect_exact("From: Anna Firstvolunteer, Leeds, United Kingdom")
    answer(station, "Make this letter?", "y")
    station.expect_exact("Sent to the printer")
    first, _options = virtual_printer.wait_for_job(before + 1)
    assert len(PdfReader(first).pages) == 3  # English, Chinese, the address slip
    assert "As a teacher in Leeds," in pdf_text(first)
    _envelope, options = virtual_printer.wait_for_job(before + 2)
    assert "media=Custom.220x110mm" in options.split()  # DL, for a sender in the UK
    answer(station, "Press Enter for the next volunteer", "")

    # The second volunteer sees a cleared screen: nothing the first one typed.
    station.expect_exact(CLEAR)
    answer(station, "Case number", "2")
    station.expect_exact("Qin Gang left office on 2022-12-30 and no successor is recorded")
    answer(station, "Your name (as you sign)", "Bea Second")
    answer(station, "Your town", "12 Elm Street, Boston MA 02108")
    answer(station, "Your country", "United States")
    answer(station, "One line about you", "")
    answer(station, "A sentence of your own", "Please let her paint again.")
    answer(station, "Language (number)", "3")
    answer(station, "Make this letter?", "y")
    station.expect_exact("Sent to the printer")
    answer(station, "Press Enter for the next volunteer", "")
    station.expect_exact(CLEAR)
    station.sendintr()
    station.expect_exact("Station closed.")
    station.expect(pexpect.EOF)
    station.close()
    assert station.exitstatus == 0

    # What the second volunteer's screen showed: everything between the two clears.
    first_screen, second_screen, _closing = station.logfile_read.getvalue().split(CLEAR)
    for what in ("Anna", "Firstvolunteer", "Leeds", "teacher", "United Kingdom"):
        assert what in first_screen
        assert what not in second_screen
    assert "From: Bea Second, 12 Elm Street, Boston MA 02108, United States" in second_screen
    second, options = virtual_printer.wait_for_job(before + 3)
    assert "media=Letter" in options.split()
    text = pdf_text(second)
    assert "尊敬的陈小江书记" in text and "Please let her paint again." in text
    assert "Dear" not in text  # Chinese only, as chosen
    _envelope, options = virtual_printer.wait_for_job(before + 4)
    assert "media=Custom.241x105mm" in options.split()  # US No. 10, for a sender in the US
    assert sorted(p.name for p in station.saved.iterdir()) == [  # type: ignore[attr-defined]
        "kamile-wayit_chen-xiaojiang.pdf", "kamile-wayit_chen-xiaojiang_envelope-DL.pdf",
        "zhanargul-zhumatai_chen-xiaojiang.pdf", "zhanargul-zhumatai_chen-xiaojiang_envelope-US10.pdf"]


def test_a_volunteer_is_never_put_out_of_the_station(tmp_path: Path) -> None:
    """An address of commas only, ten address parts (the country makes eleven lines) and a name
    with a line separator are asked again; a letter that cannot be saved ends with a line and
    the same volunteer starts again."""
    saved = tmp_path / "saved"
    saved.mkdir()
    child = pexpect.spawn(sys.executable, ["-m", "appealgen", "write", "--case", "kamile-wayit", "--after-deadline",
                                           "--today", "2026-11-22", "--save-dir", str(saved)],
                          env={**os.environ, "NO_COLOR": "1", "TERM": "xterm"}, encoding="utf-8", timeout=120,
                          dimensions=(40, 200))
    try:
        answer(child, "Case number", "1")
        answer(child, "Your name (as you sign)", "Jane Doe")
        answer(child, "Your town", ",,,")
        child.expect_exact("please type your town")
        answer(child, "Your town", ", ".join(f"Line {n}" for n in range(10)))
        child.expect_exact("your address has 10 parts; at most 9")
        answer(child, "Your town", "Leeds")
        answer(child, "Your country", "Ivory Coast")
        answer(child, "One line about you", "")
        answer(child, "A sentence of your own", "")
        answer(child, "Language (number)", "")
        child.expect_exact("From: Jane Doe, Leeds, Côte d’Ivoire")
        saved.rmdir()  # the save folder is gone (a USB stick pulled out)
        answer(child, "Make this letter?", "y")
        child.expect_exact("Sorry: the letter could not be made: ")
        child.expect_exact("Please start again")
        answer(child, "Case number", "1")  # the station is still open
        answer(child, "Your name (as you sign)", "Jane\u2028Doe")
        child.expect_exact("your name contains a line separator (U+2028)")
        child.sendcontrol("c")
        child.expect_exact("Station closed.")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
