"""Locales, dates and paper sizes, by Babel."""

from __future__ import annotations

import datetime as dt
import os
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from appealgen.errors import AppealgenError

Paper = Literal["a4", "letter"]
TODAY_ENV = "APPEALGEN_TODAY"

# Countries whose offices use US Letter paper (CLDR measurementData, paperSize "US-Letter").
LETTER_PAPER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "BZ", "CL", "CO", "CR", "GT",
                                      "NI", "PA", "PR", "SV", "VE"})


def parse_locale(value: str) -> Locale:
    """Parse ``en_GB``, ``en-GB`` or ``zh_Hans_CN``; refuse what Babel does not know."""
    try:
        return Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise AppealgenError(f"unknown locale {value!r}",
                             "write a language and country such as en_GB, en_US or de_DE") from None


def english_date(day: dt.date, sender: Locale) -> str:
    """The date in English, as written in the sender's country: 20 June 2023 / June 20, 2023."""
    english = Locale("en", sender.territory) if sender.territory else Locale("en", "GB")
    try:
        return format_date(day, "long", locale=english)
    except (UnknownLocaleError, ValueError):
        return format_date(day, "long", locale=Locale("en", "GB"))


def chinese_date(day: dt.date) -> str:
    """The date as a Chinese letter writes it: 2023年6月20日."""
    return format_date(day, "long", locale=Locale("zh", "CN", script="Hans"))


def default_paper(sender: Locale) -> Paper:
    return "letter" if sender.territory in LETTER_PAPER_TERRITORIES else "a4"


def resolve_today(value: str | None) -> dt.date:
    """``--today`` or ``APPEALGEN_TODAY``, else the system date; refuse a malformed date."""
    raw = value if value is not None else os.environ.get(TODAY_ENV)
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise AppealgenError(f"--today {raw!r} is not a date", "write it as YYYY-MM-DD") from None
