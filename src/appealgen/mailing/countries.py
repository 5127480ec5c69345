"""A supporter's country from what a list holds: an ISO code, its English name, or its name in
any language CLDR knows (``Deutschland``, ``España``, ``中国``), case and accents aside."""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError, localedata

COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                   "northern ireland": "GB", "usa": "US", "u s a": "US", "united states of america": "US",
                   "u s": "US", "america": "US"}


@cache
def country_code(text: str) -> str | None:
    """An ISO 3166 code from a code or a name: "GB", "gb", "United Kingdom", "UK", "Deutschland"."""
    value = text.strip()
    if len(value) == 2 and value.isalpha() and value.upper() in Locale("en").territories:
        return value.upper()
    key = _key(value)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    return _english_names().get(key) or _all_names().get(key)


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
