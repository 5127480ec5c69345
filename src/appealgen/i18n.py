"""Locales, dates and today, by Babel."""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from appealgen.errors import AppealgenError

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Unicode's explicit bidirectional formatting characters (embeddings, overrides, isolates) and
marks: they reorder what is shown ("Jane", U+202E, "eoD" reads "Jane Doe")."""


def parse_locale(value: str) -> Locale:
    """Parse ``en_GB``, ``en-GB`` or ``zh_Hans_CN``; refuse what Babel does not know."""
    identifier = value.replace("-", "_")
    try:
        return Locale.parse(identifier)
    except (UnknownLocaleError, ValueError):
        raise AppealgenError(f"unknown locale {value!r}", _locale_hint(identifier)) from None


def _locale_hint(identifier: str) -> str:
    """For a language CLDR lacks in a country it knows (en_JP), that country's own locale."""
    territory = identifier.rpartition("_")[2].upper()
    own = territory_locale(territory) if "_" in identifier else None
    if own is None:
        return "write a language and country such as en_GB, en_US or de_DE"
    name = Locale("en").territories.get(territory, territory)
    return (f"CLDR has no {identifier}; write {own} for {name}: the locale sets the date format and paper, "
            "not the letter's language")


def territory_locale(territory: str) -> Locale | None:
    """The locale CLDR's likely subtags give a country (JP: ja_JP), or None if it has none."""
    try:
        locale = Locale.parse(f"und_{territory}")
    except (UnknownLocaleError, ValueError):
        return None
    return locale if locale.territory == territory else None


def country_locale(territory: str) -> Locale | None:
    """English as written in a country where CLDR has it (en_IE), else the country's own locale
    (ja_JP); None where CLDR has no locale for it (Antarctica)."""
    try:
        return Locale.parse(f"en_{territory}")
    except (UnknownLocaleError, ValueError):
        return territory_locale(territory)


def territory_code(text: str) -> str | None:
    """The ISO code of a country typed by a person: ``GB``, ``United Kingdom``, ``UK``,
    ``Deutschland``, ``中国`` (its name in English or in its own language, by CLDR); else None."""
    typed = " ".join(text.split()).casefold()
    if not typed:
        return None
    typed = {"uk": "gb", "usa": "us", "america": "us", "england": "gb", "scotland": "gb",
             "wales": "gb", "britain": "gb", "great britain": "gb"}.get(typed, typed)
    english = {str(code): str(name) for code, name in Locale("en").territories.items()
               if str(code).isalpha() and len(str(code)) == 2}
    if typed.upper() in english:
        return typed.upper()
    for code, name in english.items():
        if name.casefold() == typed:
            return code
    for code in english:
        own = territory_locale(code)
        if own is not None and str(own.territories.get(code, "")).casefold() == typed:
            return code
    return None


def english_locale(sender: Locale) -> Locale:
    """English as written in the sender's country where CLDR has it (en_US, en_IN), else CLDR's
    international English, en_001 (20 June 2023). Babel's ``Locale`` refuses, when it is made,
    an ``en_<territory>`` that CLDR lacks (en_JP), so each is tried with ``Locale.parse``."""
    try:
        return Locale.parse(f"en_{sender.territory}" if sender.territory else "en_001")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_001")


def english_date(day: dt.date, sender: Locale) -> str:
    """The date in English, as written in the sender's country: 20 June 2023 / June 20, 2023."""
    return format_date(day, "long", locale=english_locale(sender))


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
