"""The write-a-thon station's flow below the terminal: what a volunteer is offered, how each
answer is checked, and the letter it makes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from appealgen.catalog.loading import load_catalog
from appealgen.errors import AppealgenError
from appealgen.i18n import territory_code
from appealgen.services import station
from tests.conftest import pdf_text

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def test_expired_cases_are_offered_only_when_the_organiser_allows_them(catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AppealgenError, match="no open case"):
        station.station_cases(catalog, station.StationOptions(), TODAY)
    allowed = station.station_cases(catalog, station.StationOptions(after_deadline=True), TODAY)
    assert {case.id for case in allowed} == set(catalog.cases)
    open_then = station.station_cases(catalog, station.StationOptions(), dt.date(2023, 8, 1))
    assert [case.id for case in open_then] == ["kamile-wayit"]


def test_a_former_official_is_replaced_by_the_successor_with_one_line_why(catalog) -> None:  # type: ignore[no-untyped-def]
    offered, left_out = station.officials(catalog, catalog.case("kamile-wayit"), TODAY)
    assert [o.target.id for o in offered] == ["chen-xiaojiang"]
    assert offered[0].explanation == ("Ma Xingrui left office on 2025-07-01; Chen Xiaojiang holds the post now, "
                                      "so the letter goes to Chen Xiaojiang")
    assert left_out == []


def test_a_former_official_without_successor_is_left_out_and_said_so(catalog) -> None:  # type: ignore[no-untyped-def]
    offered, left_out = station.officials(catalog, catalog.case("zhanargul-zhumatai"), TODAY)
    assert [o.target.id for o in offered] == ["chen-xiaojiang"]
    assert left_out == ["Qin Gang left office on 2022-12-30 and no successor is recorded, so there is no "
                        "letter to them here"]


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_name_is_refused(typed: str) -> None:
    with pytest.raises(AppealgenError, match="please type your name"):
        station.check_name(typed)


def test_a_character_no_font_draws_is_refused_naming_it() -> None:
    with pytest.raises(AppealgenError, match=r"your name contains U\+13000, a character no installed font can draw"):
        station.check_name("Anna \U00013000")


@pytest.mark.parametrize(("typed", "code"), [("GB", "GB"), ("uk", "GB"), ("United Kingdom", "GB"),
                                             ("Deutschland", "DE"), ("united states", "US"), ("中国", "CN")])
def test_countries_are_known_by_code_english_or_own_name(typed: str, code: str) -> None:
    assert territory_code(typed) == code


def test_an_unknown_country_is_refused() -> None:
    with pytest.raises(AppealgenError, match="not a country name this station knows"):
        station.check_country("Narnia")


def test_an_address_typed_with_commas_becomes_lines() -> None:
    assert station.check_address(" 12 High Street,  Leeds LS1 1AA ") == "12 High Street\nLeeds LS1 1AA"


def test_the_letter_opens_with_about_me_and_carries_the_sentence_as_typed(catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    volunteer = station.Volunteer("kamile-wayit", ("chen-xiaojiang",), "Ann Lee", "Austin", "US",
                                  about="As a nurse in Texas,", note="Please let her study again.")
    options = station.StationOptions(after_deadline=True)
    summary = station.summary_lines(catalog, volunteer, options, TODAY)
    assert "From: Ann Lee, Austin, United States" in summary
    assert "In: English then Chinese; dated November 22, 2026 and 2026年11月22日; US Letter paper" in summary
    chinese_only = station.summary_lines(catalog, replace(volunteer, lang="zh"), options, TODAY)
    assert "In: Chinese; dated 2026年11月22日; US Letter paper" in chinese_only
    pdf, name, paper = station.make_letter(catalog, volunteer, options, TODAY)
    assert (name, paper) == ("kamile-wayit_chen-xiaojiang.pdf", "letter")
    path = tmp_path / name
    path.write_bytes(pdf)
    text = " ".join(pdf_text(path).split())
    assert "Dear Secretary Chen, As a nurse in Texas, I am writing" in text
    assert "Please let her study again." in text
    assert text.count("As a nurse in Texas,") == 1  # the first letter only, as typed
    assert "Austin UNITED STATES" in text


def test_a_us_town_and_state_with_zip_typed_apart_are_one_line_as_the_post_writes_them(catalog,  # type: ignore[no-untyped-def]
                                                                                       tmp_path: Path) -> None:
    volunteer = station.Volunteer("kamile-wayit", ("chen-xiaojiang",), "Ann Lee",
                                  station.check_address("742 Evergreen Terrace, Springfield, IL 62704"), "US")
    pdf, name, _paper = station.make_letter(catalog, volunteer, station.StationOptions(after_deadline=True), TODAY)
    path = tmp_path / name
    path.write_bytes(pdf)
    lines = "\n".join(line.strip() for line in pdf_text(path).splitlines())
    assert "742 Evergreen Terrace\nSpringfield, IL 62704\nUNITED STATES" in lines


def test_the_organiser_may_add_an_envelope_sized_by_the_volunteers_country(catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import page_size

    volunteer = station.Volunteer("kamile-wayit", ("chen-xiaojiang",), "Ann Lee", "Austin", "US")
    assert station.make_envelope(catalog, volunteer, station.StationOptions()) is None
    made = station.make_envelope(catalog, volunteer, station.StationOptions(envelope="auto"))
    assert made is not None
    pdf, name = made
    assert name == "kamile-wayit_chen-xiaojiang_envelope-US10.pdf"
    path = tmp_path / name
    path.write_bytes(pdf)
    assert page_size(path) == (684.0, 297.07)  # No. 10: 9.5 × 4.125 in
    text = " ".join(pdf_text(path).split())
    assert "Ann Lee Austin UNITED STATES" in text and "PEOPLE'S REPUBLIC OF CHINA" in text


def test_a_volunteers_letter_is_counted_by_tally_and_nothing_of_them_is_kept(run, ledger: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json
    import sqlite3

    from typer.testing import CliRunner

    from appealgen.cli import app

    # The volunteer: case 1, (one official: no question), name, town, country, about me, a
    # sentence, the default language, yes; then the station closes at the end of input.
    answers = "1\nAnn Lee\nLeeds\nGB\nAs a teacher,\nFree her.\n\ny\n"
    result = CliRunner().invoke(app, ["write", "--case", "kamile-wayit", "--after-deadline", "--save-dir",
                                      str(tmp_path), "--today", "2026-11-22"], input=answers, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kamile-wayit_chen-xiaojiang.pdf").is_file()
    counted = json.loads(run("tally", "--json", "--by", "target", "--by", "lang", "--by", "day").stdout)
    letter = {"case": "kamile-wayit", "target": "chen-xiaojiang", "day": "2026-11-22", "channel": "letter", "count": 1}
    assert counted == [{**letter, "lang": "en"}, {**letter, "lang": "zh"}]
    with sqlite3.connect(ledger) as db:
        stored = repr(db.execute("SELECT * FROM actions").fetchall())
    for typed in ("Ann Lee", "Leeds", "teacher", "Free her"):
        assert typed not in stored
