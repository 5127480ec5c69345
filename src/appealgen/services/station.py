"""The write-a-thon station (``appealgen write``): what a volunteer is shown and asked, each
answer checked, and the letter made, in-process with an engine kept warm between volunteers.

The command line asks the questions; everything it shows or checks is decided here, so the
flow can be tested without a terminal. A check returns the cleaned value or raises an
``AppealgenError`` whose message the station prints before asking again.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

from babel import Locale

from appealgen.catalog.loading import Catalog
from appealgen.catalog.models import Case, Target
from appealgen.compose.envelopes import EnvelopeRequest, compose_envelopes
from appealgen.compose.letters import compose_document
from appealgen.errors import AppealgenError
from appealgen.fonts import check_drawable
from appealgen.i18n import chinese_date, country_locale, english_date, territory_code
from appealgen.ledger.store import Action, Record, no_record
from appealgen.output.files import safe_filename
from appealgen.policy import (
    MAX_ADDRESS_LINES,
    LangChoice,
    TextKind,
    default_envelope_name,
    default_paper,
    letter_languages,
    successor_offer,
)
from appealgen.render.html import render_pdf
from appealgen.services.common import SenderOptions, build_sender, clean_typed
from appealgen.services.letter import LetterOptions, default_filename, prepare_letter

LANG_NAMES = {"en": "English", "zh": "Chinese"}


@dataclass(frozen=True)
class StationOptions:
    """What the organiser chose once, for every volunteer."""

    case_ids: tuple[str, ...] = ()
    after_deadline: bool = False
    paper: str | None = None
    slips: bool = True
    envelope: str | None = None
    """Also an envelope for each letter: a size (DL, US10…), or ``auto`` by the volunteer's paper."""


@dataclass(frozen=True)
class Official:
    """An official a volunteer may pick, and why them (a successor offered instead)."""

    target: Target
    explanation: str | None = None


@dataclass(frozen=True)
class Volunteer:
    """One volunteer's answers; dropped when the next volunteer sits down."""

    case_id: str
    target_ids: tuple[str, ...]
    name: str
    address: str
    country: str
    about: str | None = None
    note: str | None = None
    lang: LangChoice = "auto"


def station_cases(catalog: Catalog, options: StationOptions, today: dt.date) -> list[Case]:
    """The cases a volunteer picks from: the organiser's (default: all), open ones only unless
    the organiser allowed expired ones. None left is an error for the organiser."""
    cases = [catalog.case(case_id) for case_id in options.case_ids] or list(catalog.cases.values())
    shown = [case for case in cases if options.after_deadline or case.days_past_deadline(today) <= 0]
    if not shown:
        raise AppealgenError("no open case to write about: every case has passed its deadline",
                             "check with your section office, then start the station with --after-deadline")
    return shown


def case_line(case: Case) -> str:
    """Who and why, in one line."""
    return f"{case.people_names()}: {case.title_en}"


def case_brief(case: Case, today: dt.date) -> list[str]:
    """The case in a few lines: the people, the asks, the deadline."""
    people = "; ".join(p.name_en + (f" {p.name_zh}" if p.name_zh else "") for p in case.people)
    days = case.days_past_deadline(today)
    deadline = f"{case.deadline:%d %B %Y}" + (f" (passed {days} days ago)" if days > 0 else "")
    reference = f" ({case.reference})" if case.reference else ""
    return [f"{case.title_en}{reference}", f"Who: {people}", "The letter asks:",
            *(f"  - {ask}" for ask in case.letter.en.asks), f"Write by: {deadline}"]


def officials(catalog: Catalog, case: Case, today: dt.date) -> tuple[list[Official], list[str]]:
    """The case's primary targets to pick from, a successor in place of a former official, and
    a line for each former official left out (no successor recorded)."""
    offered: list[Official] = []
    left_out: list[str] = []
    for target in (catalog.target(t) for t in case.primary_targets):
        if not target.is_former(today):
            offered.append(Official(target))
        elif (offer := successor_offer(target, catalog.targets, today)) is not None:
            offered.append(Official(*offer))
        else:
            left_out.append(f"{target.name_en} left office on {target.left_office:%Y-%m-%d} and no successor "
                            "is recorded, so there is no letter to them here")
    if not offered:
        raise AppealgenError(f"case {case.id!r} has no official in office to write to",
                             "start the station with other --case ids")
    return offered, left_out


def check_name(text: str) -> str:
    """The volunteer's name: required, printable, drawable."""
    if not text.strip():
        raise AppealgenError("please type your name: it goes under your signature")
    return _drawable(text, "your name")


def check_address(text: str) -> str:
    """Town or address, one line with commas between the parts: required; one line each, and
    room left for the country's line below them."""
    lines = [part.strip() for part in text.split(",") if part.strip()]
    if not lines:
        raise AppealgenError("please type your town (or your address): the official sees where you write from")
    if len(lines) > MAX_ADDRESS_LINES - 1:
        raise AppealgenError(f"your address has {len(lines)} parts; at most {MAX_ADDRESS_LINES - 1} (your country "
                             "goes on a line of its own): leave out the least needed")
    return _drawable("\n".join(lines), "your address", "address")


def check_country(text: str) -> tuple[str, Locale]:
    """The ISO code and the locale for a typed country name or code."""
    code = territory_code(text)
    locale = country_locale(code) if code else None
    if code is None or locale is None:
        raise AppealgenError("that is not a country name this station knows: type it in English "
                             "(United Kingdom, Germany) or as its two-letter code (GB, DE)")
    return code, locale


def check_optional(text: str, what: str, kind: TextKind = "note") -> str | None:
    """An optional line (about me, a sentence of your own): empty is fine."""
    return _drawable(text, what, kind) if text.strip() else None


def _drawable(text: str, what: str, kind: str = "line") -> str:
    cleaned = clean_typed(text, what, kind)  # type: ignore[arg-type]
    assert cleaned is not None
    check_drawable({what: cleaned})
    return cleaned


def language_choices(case: Case) -> list[tuple[LangChoice, str]]:
    """The languages to offer, the case's preferred order first (the default)."""
    order = letter_languages(case, "auto")
    both = " and ".join(LANG_NAMES[lang] for lang in order)
    return [("auto", f"{both} (two letters, as the case prefers)"), ("en", "English only"),
            ("zh", "Chinese only")]


US_STATE_AND_ZIP = re.compile(r"[A-Za-z]{2}\.? +\d{5}(?:-\d{4})?")
"""The end of a US address as typed: "IL 62704"."""


def address_lines(volunteer: Volunteer) -> list[str]:
    """The volunteer's address lines as typed (a comma between them), the country's name last in
    capitals; in the US the town and "IL 62704" go on one line, as the post writes them."""
    lines = volunteer.address.split("\n")
    if volunteer.country == "US" and len(lines) > 1 and US_STATE_AND_ZIP.fullmatch(lines[-1]):
        lines[-2:] = [f"{lines[-2]}, {lines[-1]}"]
    return [*lines, Locale("en").territories.get(volunteer.country, volunteer.country).upper()]


def sender_options(volunteer: Volunteer) -> SenderOptions:
    """The sender: the address as typed, small to large, the country last in capitals."""
    locale = country_locale(volunteer.country)
    return SenderOptions(volunteer.name, "\n".join(address_lines(volunteer)), str(locale or "en_GB"))


def letter_options(volunteer: Volunteer, options: StationOptions) -> LetterOptions:
    return LetterOptions(case_id=volunteer.case_id, target_ids=volunteer.target_ids, lang=volunteer.lang,
                         sender=sender_options(volunteer), note=volunteer.note, opening=volunteer.about,
                         paper=options.paper, slips=options.slips, after_deadline=options.after_deadline)


def summary_lines(catalog: Catalog, volunteer: Volunteer, options: StationOptions, today: dt.date) -> list[str]:
    """What the volunteer confirms before the letter is made."""
    case = catalog.case(volunteer.case_id)
    locale = country_locale(volunteer.country) or Locale("en", "GB")
    paper = options.paper or default_paper(locale)
    order = letter_languages(case, volunteer.lang)
    langs = " then ".join(LANG_NAMES[lang] for lang in order)
    dated = " and ".join(chinese_date(today) if lang == "zh" else english_date(today, locale) for lang in order)
    return [f"Case: {case_line(case)}",
            "To: " + ", ".join(catalog.target(t).name_en for t in volunteer.target_ids),
            f"From: {volunteer.name}, " + volunteer.address.replace("\n", ", ")
            + f", {Locale('en').territories.get(volunteer.country, volunteer.country)}",
            f"In: {langs}; dated {dated}; {'US Letter' if paper == 'letter' else 'A4'} paper",
            *([f"About you: {volunteer.about}"] if volunteer.about else []),
            *([f"Your sentence: {volunteer.note}"] if volunteer.note else [])]


def make_letter(catalog: Catalog, volunteer: Volunteer, options: StationOptions,
                today: dt.date, record: Record = no_record) -> tuple[bytes, str, str]:
    """The letter's PDF, its file name (case and officials: never the volunteer's name) and
    its paper; ``record`` one letter per official and language, as ``letter`` does (what was
    made, never who). Rendered in this process, by the engine ``warm_up`` has readied."""
    request, _warnings = prepare_letter(catalog, letter_options(volunteer, options), today)
    doc = compose_document(request)
    pdf = render_pdf(doc, "letters.html.j2")
    record([Action(request.case.id, letter.target_id, "letter", letter.lang, 1, today) for letter in doc.letters])
    return pdf, default_filename(request), request.paper


def make_envelope(catalog: Catalog, volunteer: Volunteer, options: StationOptions, today: dt.date | None = None,
                  record: Record = no_record) -> tuple[bytes, str] | None:
    """The envelopes for the volunteer's letter (one page per official, the volunteer as the
    sender) and their file name, if the organiser asked for them; ``record`` them (on ``today``)."""
    if not options.envelope:
        return None
    sender = build_sender(sender_options(volunteer))
    size = options.envelope
    if size.lower() == "auto":
        size = default_envelope_name(options.paper or default_paper(sender.locale))  # type: ignore[arg-type]
    envelope = catalog.envelope(size)
    case = catalog.case(volunteer.case_id)
    targets = [catalog.target(t) for t in volunteer.target_ids]
    pdf = render_pdf(compose_envelopes(EnvelopeRequest(targets, case.title_en, envelope, sender)), "sheets.html.j2")
    if today is not None:
        record([Action(case.id, target.id, "envelope", "", 1, today) for target in targets])
    return pdf, safe_filename("_".join([case.id, *volunteer.target_ids, f"envelope-{envelope.name}"]))


def warm_up(catalog: Catalog, case: Case, today: dt.date) -> threading.Thread:
    """Import WeasyPrint and render one throw-away letter in the background, so the first
    volunteer's letter is as quick as the rest (fonts loaded, subsetter ready)."""

    def run() -> None:
        try:
            target = officials(catalog, case, today)[0][0].target
            volunteer = Volunteer(case.id, (target.id,), "A", "B", "GB")
            make_letter(catalog, volunteer, StationOptions(after_deadline=True), today)
            territory_code("Deutschland")  # CLDR's names in every language, read once (about 2 s)
        except Exception:  # noqa: S110 - only a head start; the real letter reports any problem
            pass

    thread = threading.Thread(target=run, name="appealgen-warm-up", daemon=True)
    thread.start()
    return thread
