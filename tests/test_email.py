"""``appealgen email``: the .eml parsed back with Python's email package, the mailto: link
taken apart again, officials without an address refused, each email counted in the ledger."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .conftest import Run

ARGS = ("--today", "2023-05-02", "email", "zhanargul-zhumatai", "--allow-former")
QIN = "Warning: Qin Gang (qin-gang) left office on 2022-12-30; no successor is recorded"


def test_eml_parses_back_with_both_letters(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "appeal.eml"
    result = run(*ARGS, "--sender-name", "Jane Doe", "--sender-address", "12 High Street\\nOxford",
                 "--sender-email", "jane@example.org", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [QIN, f"Wrote {path} (to Ambassador Qin Gang)"]
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "Ambassador Qin Gang <chinaembpress_us@mfa.gov.cn>"
    assert message["From"] == "jane@example.org"
    assert message["Subject"] == "UA 26/23: Zhanargul Zhumatai"
    assert message["Date"] == "Tue, 02 May 2023 12:00:00 +0000"
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    body = message.get_content()
    lines = body.splitlines()
    assert lines[0] == "尊敬的秦刚大使："  # the case prefers Chinese first
    assert "　　此致" in lines and "敬礼！" in lines and "Dear Ambassador," in lines
    assert lines[-5:] == ["Jane Doe", "12 High Street", "Oxford",
                          "cc: Director, Urumqi Public Security Bureau Shayibake Branch", "Ref: UA 26/23"]
    assert body.index("敬礼！") < body.index("Dear Ambassador,")


def test_mailto_round_trips_within_2000_characters(run: Run) -> None:
    result = run(*ARGS, "--lang", "en", "--mailto", "--sender-name", "Jane Doe")
    assert result.exit_code == 0, result.stderr
    link = result.stdout.strip()
    assert len(link) <= 2000
    parts = urlsplit(link)
    assert (parts.scheme, unquote(parts.path)) == ("mailto", "chinaembpress_us@mfa.gov.cn")
    assert "%0D%0A" in parts.query and "%0A" not in parts.query.replace("%0D%0A", "")
    query = parse_qs(parts.query)
    assert query["subject"] == ["UA 26/23: Zhanargul Zhumatai"]
    [body] = query["body"]
    lines = body.split("\r\n")
    assert lines[0] == "Dear Ambassador,"
    assert "Yours sincerely," in lines and "Jane Doe" in lines
    assert result.stderr.splitlines()[1] == (
        "Warning: the link to qin-gang holds only the first language, without the background paragraphs: the "
        "whole letter does not fit in a mailto: link (leave out --mailto for an .eml file with all of it)")


def test_an_official_without_email_is_refused_naming_those_with_one(run: Run, ledger: Path) -> None:
    result = run(*ARGS, "--target", "ma-xingrui")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: Ma Xingrui (ma-xingrui) has no email address in the data",
        "Hint: officials with one: qin-gang; choose one with --target"])
    assert not ledger.exists()


def test_each_email_is_counted(run: Run, tmp_path: Path) -> None:
    assert run(*ARGS, "-o", str(tmp_path)).exit_code == 0
    assert (tmp_path / "zhanargul-zhumatai_qin-gang.eml").exists()
    rows = json.loads(run("tally", "--json", "--by", "lang").stdout)
    assert rows == [{"case": "zhanargul-zhumatai", "lang": "zh+en", "channel": "email", "count": 1}]
