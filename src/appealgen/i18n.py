"""Locales, dates and today, by Babel."""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from appealgen.errors import AppealgenError


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


def resolve_today(value: str | None) -> dt.date:
    """``--today`` (or ``APPEALGEN_TODAY``, read by the command line), else the system date;
    refuse a malformed date."""
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AppealgenError(f"--today {value!r} is not a date", "write it as YYYY-MM-DD") from None


def counted(number: int, noun: str) -> str:
    """``1 label``, ``21 labels``: an English count for a message (the noun takes an ``s``)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
