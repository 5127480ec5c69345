"""The email job: the letters to officials who have an email address, as ``.eml`` files that a
mail client opens as drafts, or as ``mailto:`` links short enough for any client."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from appealgen.catalog.loading import Catalog
from appealgen.catalog.models import Case
from appealgen.compose.emails import Email, compose_emails, shorter_versions
from appealgen.errors import AppealgenError
from appealgen.ledger.store import Action, Record, no_record
from appealgen.output.files import check_output, output_path, safe_filename, write_output
from appealgen.output.mail import MAILTO_LIMIT, eml_bytes, mailto_link
from appealgen.policy import LangChoice
from appealgen.render.text import render_text
from appealgen.services.common import SenderOptions, Warn, Written, clean_typed, ignore
from appealgen.services.letter import LetterOptions, prepare_letter


@dataclass(frozen=True)
class EmailOptions:
    """One ``appealgen email``: a case, its officials (default: those of its primary targets with
    an email address), the languages and the sender, and where the ``.eml`` files go."""

    case_id: str
    target_ids: tuple[str, ...] = ()
    lang: LangChoice = "auto"
    sender: SenderOptions = field(default_factory=SenderOptions)
    sender_email: str | None = None
    note: str | None = None
    after_deadline: bool = False
    allow_former: bool = False
    output: str | None = None


@dataclass(frozen=True)
class Link:
    """A ``mailto:`` link to one official, and what was left out to keep it short (or None)."""

    target_id: str
    link: str
    left_out: str | None


def _targets(catalog: Catalog, case: Case, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """``wanted``, or the case's primary targets with an email address (else any of its targets
    with one); refuse an official without one, naming those that have one."""
    with_email = [t for t in case.target_ids if catalog.target(t).email]
    if not wanted:
        primary = tuple(t for t in case.primary_targets if catalog.target(t).email)
        wanted = primary or tuple(with_email[:1])
    missing = [t for t in wanted if not catalog.target(t).email]
    if missing or not wanted:
        has = with_email or sorted(t.id for t in catalog.targets.values() if t.email)
        who = f"{catalog.target(missing[0]).name_en} ({missing[0]}) has" if missing else (
            f"no official of case {case.id} has")
        raise AppealgenError(f"{who} no email address in the data",
                             f"officials with one: {', '.join(has)}; choose one with --target")
    return wanted


def compose(catalog: Catalog, options: EmailOptions, today: dt.date, warn: Warn) -> list[Email]:
    """The emails, one per official, after the checks ``letter`` makes."""
    case = catalog.case(options.case_id)
    targets = _targets(catalog, case, options.target_ids)
    request, warnings = prepare_letter(catalog, LetterOptions(
        case_id=case.id, target_ids=targets, lang=options.lang, sender=options.sender, note=options.note,
        slips=False, after_deadline=options.after_deadline, allow_former=options.allow_former), today)
    for warning in warnings:
        warn(warning)
    return compose_emails(request)


def _body(email: Email) -> str:
    return render_text("email.txt.j2", letters=email.letters)


def _record(emails: list[Email], today: dt.date, record: Record) -> None:
    record([Action(email.case_id, email.target_id, "email", "+".join(letter.lang for letter in email.letters), 1,
                   today) for email in emails])


def write_emails(catalog: Catalog, options: EmailOptions, today: dt.date, warn: Warn = ignore,
                 record: Record = no_record) -> list[Written]:
    """Write one ``.eml`` per official (``CASE_TARGET.eml``, in ``output`` if it is a folder; a
    file name or ``-`` only for one official), then ``record`` one email each."""
    sender = clean_typed(options.sender_email, "--sender-email")
    emails = compose(catalog, options, today, warn)
    if len(emails) > 1 and options.output is not None and not os.path.isdir(options.output):
        raise AppealgenError(f"{len(emails)} emails cannot go into one file, {options.output}",
                             "give -o a folder, or one --target")
    date = dt.datetime.combine(today, dt.time(12), dt.UTC)  # the day given: the same inputs, the same file
    planned = [(email, output_path(options.output, safe_filename(f"{email.case_id}_{email.target_id}",
                                                                 suffix=".eml"))) for email in emails]
    for _email, destination in planned:
        check_output(destination)
    written = [Written(write_output(destination, eml_bytes(email.to, email.to_name, email.subject, _body(email),
                                                           date, sender)), email.to_name)
               for email, destination in planned]
    _record(emails, today, record)
    return written


def email_links(catalog: Catalog, options: EmailOptions, today: dt.date, warn: Warn = ignore,
                record: Record = no_record, limit: int = MAILTO_LIMIT) -> list[Link]:
    """A ``mailto:`` link per official, within ``limit`` characters: a letter too long is
    shortened (the first language only, then without the background) and says so."""
    emails = compose(catalog, options, today, warn)
    links = []
    for email in emails:
        link, left_out = mailto_link(email.to, email.subject, _body(email)), None
        for shorter, what in shorter_versions(email):
            if len(link) <= limit:
                break
            link, left_out = mailto_link(shorter.to, shorter.subject, _body(shorter)), what
        if len(link) > limit:
            raise AppealgenError(f"the letter to {email.to_name} does not fit in a mailto: link "
                                 f"({len(link)} characters, at most {limit})", "write an .eml file instead")
        links.append(Link(email.target_id, link, left_out))
    _record(emails, today, record)
    return links
