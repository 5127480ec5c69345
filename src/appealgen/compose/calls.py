"""The view model of a call script: pure, no I/O. What to say comes only from the data (the
case's letter asks, the official's salutations, names and titles): no wording is made up in
Chinese, and a case without a Chinese letter gets the English only, saying so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from appealgen.catalog.models import Case, Target
from appealgen.errors import AppealgenError

# Where a country spans several zones, the one its officials' offices keep. All of China keeps
# Beijing time officially (UTC+8), although tzdata also lists Asia/Urumqi.
ZONE_CHOICES: dict[tuple[str, str | None], str] = {
    ("CN", None): "Asia/Shanghai",
    ("US", "DC"): "America/New_York",
}
OPEN_DAYS = range(5)  # Monday to Friday
OPENS, CLOSES = dt.time(9), dt.time(17)
OFFICE_RULE = "office hours taken as Monday to Friday, 9:00 to 17:00 local time; public holidays not known"


def office_zone(target: Target) -> str:
    """The time zone of ``target``'s office: a choice for a country with several zones, else the
    country's only zone (CLDR's list, through Babel); refused when that is ambiguous."""
    from babel.core import get_global

    country = target.address.country
    province = target.address.latin.province
    for key in ((country, province), (country, None)):
        if key in ZONE_CHOICES:
            return ZONE_CHOICES[key]
    zones = get_global("territory_zones").get(country, [])
    if len(zones) == 1:
        return str(zones[0])
    raise AppealgenError(f"the time zone of {target.name_en}'s office ({target.id}, country {country}) is not "
                         "known", "the call script needs the office's local time")


def in_office_hours(local: dt.datetime) -> bool:
    """Whether ``local`` (the office's own time) falls on Monday to Friday, 9:00 to 17:00."""
    return local.weekday() in OPEN_DAYS and OPENS <= local.time() < CLOSES


def next_opening(local: dt.datetime) -> dt.datetime:
    """When the office next opens after ``local`` (the same zone)."""
    day = local.date()
    while True:
        opening = dt.datetime.combine(day, OPENS, local.tzinfo)
        if day.weekday() in OPEN_DAYS and opening > local:
            return opening
        day += dt.timedelta(days=1)


def when(local: dt.datetime) -> str:
    """``Tuesday 2 May 2023, 10:30 EDT``."""
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"


@dataclass(frozen=True)
class Saying:
    """What to say in one language: a heading, then the lines; or why the data has none."""

    lang: str
    heading: str
    lines: list[str]


@dataclass(frozen=True)
class CallScript:
    case_id: str
    target_id: str
    header: list[str]
    sayings: list[Saying]


def _numbered(intro: str, asks: list[str]) -> list[str]:
    return [intro, *(f"{n}. {ask}" for n, ask in enumerate(asks, 1))]


def _saying(case: Case, target: Target, lang: str) -> Saying:
    if lang == "zh":
        if case.letter.zh is None:
            return Saying("zh", "In Chinese:", [f"(case {case.id} has no Chinese letter text in the data: "
                                                "say it in English)"])
        greeting = [target.salutation_zh] if target.salutation_zh else [
            f"(no Chinese salutation for {target.id} in the data)"]
        return Saying("zh", "In Chinese (中文):",
                      greeting + _numbered(case.letter.zh.asks_intro, case.letter.zh.asks))
    people = case.people_names()
    about = f"{case.reference}, {people}" if case.reference else people
    return Saying("en", "In English:", [
        target.salutation_en, f"(Say your name, and that you are calling about {about}.)",
        *_numbered(case.letter.en.asks_intro, case.letter.en.asks)])


def compose_call(case: Case, target: Target, now: dt.datetime) -> CallScript:
    """The script for calling ``target`` about ``case`` at ``now`` (an aware datetime)."""
    zone = office_zone(target)
    local = now.astimezone(ZoneInfo(zone))
    if in_office_hours(local):
        status = "within office hours"
    else:
        opens = next_opening(local)
        hours, minutes = divmod(int((opens - local).total_seconds()) // 60, 60)
        status = f"outside office hours; next open {when(opens)} (in {hours} h {minutes} min)"
    people = ", ".join(f"{p.name_en} ({p.name_zh})" if p.name_zh else p.name_en for p in case.people)
    title = f"{case.reference}: {case.title_en}" if case.reference else case.title_en
    header = [
        f"Call {target.addressee_en} ({target.id})",
        target.title_en,
        *(f"Phone: {number}" for number in target.phone),
        f"Local time there: {when(local)} ({zone}): {status}",
        f"({OFFICE_RULE})",
        f"About: {title}: {people}",
    ]
    order = case.languages + [lang for lang in ("en", "zh") if lang not in case.languages]
    return CallScript(case.id, target.id, header, [_saying(case, target, lang) for lang in order])
