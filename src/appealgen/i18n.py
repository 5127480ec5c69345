"""Locales, dates and today, by Babel."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global
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


COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
                   "wales": "GB", "northern ireland": "GB", "usa": "US", "u s a": "US",
                   "united states of america": "US", "u s": "US", "america": "US", "uae": "AE", "u a e": "AE",
                   # English names CLDR has replaced, or gives only with a qualifier
                   "turkey": "TR", "czech republic": "CZ", "hong kong": "HK", "macau": "MO", "macao": "MO",
                   "burma": "MM", "holland": "NL", "ivory coast": "CI", "viet nam": "VN", "macedonia": "MK",
                   "swaziland": "SZ", "cape verde": "CV", "east timor": "TL", "vatican": "VA",
                   "republic of ireland": "IE", "eire": "IE", "south korea": "KR", "republic of korea": "KR"}


@cache
def territory_code(text: str) -> str | None:
    """The ISO 3166 code of a country as a person or a list gives it: a code ("GB", "gb",
    "GBR"), its English name ("United Kingdom", "The Netherlands"), a common other name ("UK",
    "Turkey", "Ivory Coast"), or its name in any language CLDR knows ("Deutschland", "中国"),
    case, accents and punctuation aside; else None."""
    value = text.strip()
    if len(value) == 2 and value.isalpha() and value.upper() in Locale("en").territories:
        return value.upper()
    if len(value) == 3 and value.isalpha() and value.isupper() and (code := _alpha3().get(value)):
        return code
    key = _key(value)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    found = _english_names().get(key) or _all_names().get(key)
    if found is None and key.startswith("the "):
        return territory_code(key.removeprefix("the "))
    return found


@cache
def _alpha3() -> dict[str, str]:
    """ISO 3166 three-letter codes (``DEU``), from CLDR's territory aliases: those that stand
    for one country today."""
    aliases = get_global("territory_aliases")
    return {alias: codes[0] for alias, codes in aliases.items()
            if len(alias) == 3 and alias.isalpha() and len(codes) == 1}


def _key(text: str) -> str:
    """Case, Latin accents, punctuation and spacing aside (marks of other scripts stay: in
    Hindi or Thai they are letters)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not "\u0300" <= char <= "\u036f")
    text = "".join(" " if unicodedata.category(char)[0] in "PZS" else char for char in text)
    return " ".join(text.split())


def _countries(locale: Locale) -> dict[str, str]:
    return {_key(str(name)): str(code) for code, name in locale.territories.items()
            if len(code) == 2 and code.isalpha()}


@cache
def _english_names() -> dict[str, str]:
    return _countries(Locale("en"))


@cache
def _all_names() -> dict[str, str]:
    """Every country's name in every CLDR locale (built once, on the first name not in English:
    about two seconds); a name two countries share somewhere (Kongo) is left out."""
    names: dict[str, str | None] = {}
    for identifier in localedata.locale_identifiers():
        try:
            countries = _countries(Locale.parse(identifier))
        except (UnknownLocaleError, ValueError):
            continue
        for key, code in countries.items():
            if names.setdefault(key, code) != code:
                names[key] = None
    return {key: code for key, code in names.items() if code}


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
