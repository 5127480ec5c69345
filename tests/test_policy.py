"""The rules every command follows, checked on the shipped data without rendering anything."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale

from appealgen.catalog.loading import load_catalog
from appealgen.errors import RefusalError
from appealgen.policy import (
    Refusal,
    default_envelope_name,
    default_paper,
    default_sheet_name,
    letter_languages,
    review,
)

CATALOG = load_catalog()
KAMILE = CATALOG.cases["kamile-wayit"]
MA, CHEN = CATALOG.targets["ma-xingrui"], CATALOG.targets["chen-xiaojiang"]
AFTER = dt.date(2026, 11, 21)  # past the case's deadline, after Ma Xingrui left office
PASSED = "case 'kamile-wayit' passed its deadline on 2023-08-29 (1180 days ago)"
LEFT = "Ma Xingrui (ma-xingrui) left office on 2025-07-01; the successor is Chen Xiaojiang (chen-xiaojiang)"


def test_open_case_to_a_serving_official_is_allowed_silently() -> None:
    verdict = review(KAMILE, [MA], dt.date(2023, 6, 20), CATALOG.targets, after_deadline=False, allow_former=False)
    assert verdict.refusals == [] and verdict.warnings == []


def test_an_expired_case_and_a_former_official_are_both_refused() -> None:
    verdict = review(KAMILE, [MA, CHEN], AFTER, CATALOG.targets, after_deadline=False, allow_former=False)
    assert verdict.refusals == [
        Refusal(PASSED, "check with your section office, then add --after-deadline"),
        Refusal(LEFT, "write to the successor with --target chen-xiaojiang, or add --allow-former")]
    with pytest.raises(RefusalError) as raised:
        verdict.enforce()
    assert raised.value.lines() == [f"Error: {PASSED}", "Hint: check with your section office, then add "
                                    "--after-deadline", f"Error: {LEFT}", "Hint: write to the successor with "
                                    "--target chen-xiaojiang, or add --allow-former"]


def test_what_is_allowed_anyway_becomes_a_warning() -> None:
    verdict = review(KAMILE, [MA], AFTER, CATALOG.targets, after_deadline=True, allow_former=True)
    assert verdict.enforce() == [f"{PASSED}; check with your section office before sending", LEFT]


def test_labels_only_warn_about_the_deadline() -> None:
    verdict = review(KAMILE, [CHEN], AFTER, CATALOG.targets, after_deadline=False, allow_former=False,
                     deadline_binds=False)
    assert verdict.refusals == []
    assert verdict.warnings == [f"{PASSED}; check with your section office before sending"]


@pytest.mark.parametrize(("locale", "paper", "sheet", "envelope"), [
    ("en_GB", "a4", "L7160", "DL"), ("de_DE", "a4", "L7160", "DL"), ("en_US", "letter", "5160", "US10"),
    ("es_MX", "letter", "5160", "US10"), ("en_CA", "letter", "5160", "US10")])
def test_defaults_follow_the_senders_country(locale: str, paper: str, sheet: str, envelope: str) -> None:
    chosen = default_paper(Locale.parse(locale))
    assert (chosen, default_sheet_name(chosen), default_envelope_name(chosen)) == (paper, sheet, envelope)


def test_languages_follow_the_cases_preferred_order_unless_forced() -> None:
    zhanargul = CATALOG.cases["zhanargul-zhumatai"]
    assert letter_languages(zhanargul, "auto") == ["zh", "en"]
    assert letter_languages(KAMILE, "auto") == ["en", "zh"]
    assert letter_languages(zhanargul, "zh+en") == ["zh", "en"]
    assert letter_languages(zhanargul, "en") == ["en"]
