"""``appealgen call``: the script for the one shipped official with a phone number, the office
hours at fixed times, the outcome counted in the ledger, an official without a phone refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from appealgen.compose.calls import in_office_hours, next_opening

from .conftest import Run, edit

ARGS = ("--today", "2023-05-02", "call", "zhanargul-zhumatai", "--target", "qin-gang", "--allow-former")
QIN = "Warning: Qin Gang (qin-gang) left office on 2022-12-30; no successor is recorded"


def test_the_script_for_qin_gang(run: Run) -> None:
    result = run(*ARGS, "--now", "2023-05-02T14:30+00:00")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Call Ambassador Qin Gang (qin-gang)",
        "Ambassador of the People's Republic of China to the United States of America",
        "Phone: 202 495 2266",
        "Local time there: Tuesday 2 May 2023, 10:30 EDT (America/New_York): within office hours",
        "(office hours taken as Monday to Friday, 9:00 to 17:00 local time; public holidays not known)",
        "About: UA 26/23: Ethnic Kazakh artist at risk of torture: Zhanargul Zhumatai (加娜古丽·朱马太)",
        "",
        "In Chinese (中文):",
        "  尊敬的秦刚大使：",
        "  为此，我恳请您：",
        "  1. 立即释放加娜古丽·朱马太，除非有充分、可信且可采纳的证据证明她犯有国际公认的罪行；",
        "  2. 在她获释之前，允许她定期会见家人及其自行选择的律师，并确保她不遭受酷刑和其他虐待；",
        "  3. 在她获释之前，确保她能够获得适当的医疗护理。",
        "",
        "In English:",
        "  Dear Ambassador,",
        "  (Say your name, and that you are calling about UA 26/23, Zhanargul Zhumatai.)",
        "  I therefore urge you to:",
        "  1. Immediately release Zhanargul Zhumatai, unless there is sufficient, credible and admissible "
        "evidence that she has committed an internationally recognized offense;",
        "  2. Pending her release, allow her regular access to her family and a lawyer of her choice, and "
        "ensure she is not subjected to torture and other ill-treatment;",
        "  3. Pending her release, ensure that she has access to adequate medical care.",
    ]
    assert result.stderr.splitlines() == [QIN, "After the call: appealgen call zhanargul-zhumatai --target "
                                          "qin-gang --outcome reached|voicemail|no-answer"]


def test_outside_office_hours_says_when_it_opens(run: Run) -> None:
    # Friday 17:30 in Washington (21:30 UTC): closed until Monday 9:00.
    result = run(*ARGS, "--now", "2023-05-05T21:30:00Z")
    assert result.exit_code == 0, result.stderr
    assert ("Local time there: Friday 5 May 2023, 17:30 EDT (America/New_York): outside office hours; "
            "next open Monday 8 May 2023, 09:00 EDT (in 63 h 30 min)") in result.stdout.splitlines()


@pytest.mark.parametrize(("moment", "open_"), [
    ("2023-05-02T09:00", True), ("2023-05-02T16:59", True), ("2023-05-02T17:00", False),
    ("2023-05-02T08:59", False), ("2023-05-06T11:00", False),  # a Saturday
])
def test_office_hours_in_beijing(moment: str, open_: bool) -> None:
    local = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert in_office_hours(local) is open_


def test_next_opening_skips_the_weekend() -> None:
    saturday = dt.datetime(2023, 5, 6, 11, tzinfo=dt.UTC)
    assert next_opening(saturday) == dt.datetime(2023, 5, 8, 9, tzinfo=dt.UTC)


def test_an_answered_call_is_counted_and_no_answer_is_not(run: Run) -> None:
    for outcome in ("no-answer", "voicemail", "reached"):
        assert run(*ARGS, "--now", "2023-05-02T14:30Z", "--outcome", outcome).exit_code == 0
    rows = json.loads(run("tally", "--json", "--by", "target").stdout)
    assert rows == [{"case": "zhanargul-zhumatai", "target": "qin-gang", "channel": "call", "count": 2}]


def test_an_official_without_a_phone_is_refused_naming_those_with_one(run: Run, ledger: Path) -> None:
    result = run("--today", "2023-05-02", "call", "zhanargul-zhumatai", "--target", "ma-xingrui",
                 "--outcome", "reached")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: Ma Xingrui (ma-xingrui) has no phone number in the data",
        "Hint: officials of case zhanargul-zhumatai with one: qin-gang; choose one with --target"])
    assert not ledger.exists()


def test_a_bad_now_is_refused(run: Run) -> None:
    result = run(*ARGS, "--now", "half past two")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: --now 'half past two' is not an ISO date and time",
        "Hint: write it like 2023-05-02T14:30+01:00"])


def test_a_case_without_chinese_text_gets_english_only_in_london_time(run: Run, data_copy: Path) -> None:
    # A phone number made up for the test, on an official in London; the case's Chinese letter cut.
    edit(data_copy / "targets.toml", 'salutation_zh = "尊敬的郑泽光大使："',
         'salutation_zh = "尊敬的郑泽光大使："\nphone = ["020 0000 0000"]')
    case = data_copy / "cases" / "kamile-wayit.toml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[:text.index("[letter.zh]")], encoding="utf-8")
    result = run("--data-dir", str(data_copy), "--today", "2023-08-01", "call", "kamile-wayit",
                 "--target", "zheng-zeguang", "--now", "2023-08-01T08:30Z")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Phone: 020 0000 0000" in lines
    assert ("Local time there: Tuesday 1 August 2023, 09:30 BST (Europe/London): within office hours"
            in lines)
    assert lines[lines.index("In Chinese:") + 1] == (
        "  (case kamile-wayit has no Chinese letter text in the data: say it in English)")
    assert not any("尊敬" in line for line in lines)
    assert lines.index("In English:") < lines.index("In Chinese:")


@pytest.mark.parametrize(("target", "zone"), [
    ("ma-xingrui", "Asia/Shanghai"), ("zheng-zeguang", "Europe/London"), ("qin-gang", "America/New_York")])
def test_each_office_has_its_zone(target: str, zone: str) -> None:
    from appealgen.catalog.loading import load_catalog
    from appealgen.compose.calls import office_zone

    assert office_zone(load_catalog().target(target)) == zone
