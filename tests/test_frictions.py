"""Frictions a new user met: ids typed loosely, a letter without the sender's name."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from appealgen.catalog.loading import load_catalog
from appealgen.errors import AppealgenError
from tests.conftest import Run, appealgen

TODAY = ("--today", "2023-05-01")


def test_ids_are_case_insensitive_a_target_may_be_named_and_a_typo_gets_did_you_mean() -> None:
    catalog = load_catalog()
    assert catalog.case("KAMILE-WAYIT").id == "kamile-wayit"
    assert catalog.target("Ma Xingrui").id == catalog.target("马兴瑞").id == "ma-xingrui"
    with pytest.raises(AppealgenError, match=r"^unknown case 'kamile'; did you mean 'kamile-wayit'\?$"):
        catalog.case("kamile")
    with pytest.raises(AppealgenError, match=r"^unknown target 'ma-xingrei'; did you mean 'ma-xingrui'\?$"):
        catalog.target("ma-xingrei")


def test_a_letter_without_sender_name_warns_to_sign_and_write_the_name_by_hand(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    result = appealgen(*TODAY, "letter", "zhanargul-zhumatai", "--target", "ma-xingrui", "-o", str(out))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"Wrote {out}",
        "Warning: no --sender-name: the letter has a blank space to sign; write your name under it by hand"]


@pytest.mark.parametrize("case_id", ["kamile-wayit", "nagyz-muhammed", "xinjiang-detainees", "zhanargul-zhumatai"])
def test_each_letter_fits_as_many_letter_pages_as_a4_pages(case_id: str) -> None:
    import datetime as dt

    from appealgen.compose.letters import compose_document
    from appealgen.render.html import render_letter_pages
    from appealgen.services.common import SenderOptions
    from appealgen.services.letter import LetterOptions, prepare_letter

    catalog = load_catalog()
    pages = {}
    for paper in ("a4", "letter"):
        options = LetterOptions(case_id, lang="en+zh", paper=paper, slips=False, allow_former=True,
                                sender=SenderOptions("Jane Doe", "12 High Street\nOxford OX1 1AA\nUNITED KINGDOM"))
        request, _ = prepare_letter(catalog, options, dt.date(2020, 1, 1))
        _pdf, starts, count = render_letter_pages(compose_document(request))
        pages[paper] = [*starts, count]
    assert pages["letter"] == pages["a4"]  # every letter starts on the same page on both papers


def test_help_shows_no_type_after_flags() -> None:
    result = appealgen("letter", "--help", env={"COLUMNS": "150"})
    assert result.returncode == 0
    assert "<bool>" not in result.stdout
    assert "--after-deadline" in result.stdout and "<auto|en|zh|en+zh|zh+en>" in result.stdout


def test_a_pdf_to_standard_output_on_a_terminal_is_refused() -> None:
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "appealgen", *TODAY, "letter", "kamile-wayit", "-o", "-"],
                          env=dict(os.environ), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert child.before.splitlines() == ["Error: will not write a PDF to the terminal (-o -)",
                                         "Hint: give -o a file name, or send standard output elsewhere: -o - | lp"]


@pytest.mark.parametrize("command", ["letter", "email", "batch"])
def test_a_bad_lang_lists_the_choices_in_one_plain_line(command: str, run: Run, tmp_path: Path) -> None:
    args = {"letter": ["kamile-wayit"], "email": ["kamile-wayit"], "batch": [str(tmp_path / "s.csv"), "-o",
                                                                             str(tmp_path / "out")]}[command]
    result = run(*TODAY, command, *args, "--lang", "fr")
    assert (result.exit_code, result.stderr) == (2, "Error: --lang 'fr': use one of auto, en, zh, en+zh, zh+en\n")
    assert list(tmp_path.iterdir()) == []


def test_lang_is_read_whatever_its_case_and_help_lists_the_choices_policy_knows(run: Run, tmp_path: Path) -> None:
    from appealgen.cli.letter import LANGS
    from appealgen.policy import LANG_CHOICES

    assert LANGS == LANG_CHOICES
    result = run(*TODAY, "letter", "kamile-wayit", "--lang", "EN", "--sender-name", "A", "-o", str(tmp_path / "l.pdf"))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("command", "ids"), [
    ("cases", ["kamile-wayit", "nagyz-muhammed", "xinjiang-detainees", "zhanargul-zhumatai"]),
    ("targets", ["chen-xiaojiang", "erkin-tuniyaz", "urumqi-psb-shayibake"])])
def test_ids_are_never_broken_across_lines_in_a_narrow_table(command: str, ids: list[str], run: Run,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from appealgen.cli.root import out

    monkeypatch.setattr(out, "width", 60)
    result = run(*TODAY, command)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    first_cells = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    for id_ in ids:
        assert id_ in first_cells


@pytest.mark.parametrize(("lang", "note", "closing"), [
    ("en", "I think of Kamile every day and ask you to let her go home to her family. " * 8, "Yours sincerely,"),
    ("zh", "我每天都想念卡米莱，恳请您让她早日回到家人身边，继续她的学业。" * 32, "此致"),
])
def test_a_letter_too_long_for_a_page_never_leaves_the_sign_off_alone(lang: str, note: str, closing: str,
                                                                      tmp_path: Path) -> None:
    """A long note pushes the sign-off over the page: the last lines of the note go over with it,
    so the signature is never on a page with nothing of the letter's text."""
    from tests.conftest import pdf_pages

    out = tmp_path / "letter.pdf"
    result = appealgen("--today", "2026-11-21", "letter", "kamile-wayit", "--target", "chen-xiaojiang",
                       "--after-deadline", "--lang", lang, "--no-labels", "--sender-name", "Jane Doe",
                       "--sender-address", "12 High Street\nOxford OX1 1AA", "--note", note.strip(), "-o", str(out))
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(out)
    assert len(pages) == 2
    second = "".join(pages[1].split())
    assert "".join(closing.split()) in second and "JaneDoe" in second
    assert "".join(note.split())[-20:] in second  # the note's end came over with the sign-off


def test_letter_reports_every_reason_at_once(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    result = appealgen("--today", "2026-11-21", "letter", "zhanargul-zhumatai", "--target", "chen-xiaojiang",
                       "--sender-name", "Jane\u202e", "--sender-address", "Oxford \U00013000", "--note", "x" * 1200,
                       "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: case 'zhanargul-zhumatai' passed its deadline on 2023-05-15 (1286 days ago)",
        "Hint: check with your section office, then add --after-deadline",
        "Error: --sender-name contains a bidirectional control (U+202E); remove it",
        "Error: --sender-address contains U+13000, a character no installed font can draw",
        "Hint: remove or replace it; `appealgen doctor` shows which fonts are installed",
        "Error: --note is too long (1200 characters; at most 1000)",
        "Hint: shorten it"]
    assert not out.exists()
