"""The letter job: resolve the case and officials, check them, compose, render, write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from appealgen.catalog.loading import Catalog
from appealgen.compose.faxes import compose_fax
from appealgen.compose.letters import LetterRequest, compose_document
from appealgen.errors import AppealgenError, Refusals
from appealgen.fonts import check_drawable
from appealgen.ledger.store import Action, Record, no_record
from appealgen.output.files import output_path, safe_filename
from appealgen.policy import LangChoice, default_paper, review
from appealgen.services.common import (
    SenderOptions,
    Warn,
    Written,
    build_sender,
    clean_typed,
    ignore,
    render_and_write,
)


@dataclass(frozen=True)
class LetterOptions:
    """One ``appealgen letter``: a case, its officials (default: the primary targets), the
    languages, the sender, and where the PDF goes (default: ``CASE_TARGET.pdf``, in ``output``
    if it is a folder; ``-`` is standard output)."""

    case_id: str
    target_ids: tuple[str, ...] = ()
    lang: LangChoice = "auto"
    sender: SenderOptions = field(default_factory=SenderOptions)
    note: str | None = None
    opening: str | None = None
    """A line about the sender that opens the first letter to each official, as typed."""
    paper: str | None = None
    slips: bool = True
    after_deadline: bool = False
    allow_former: bool = False
    output: str | None = None
    fax: bool = False
    """A fax: a cover page with the fax number, to one official with a fax number."""


def prepare_letter(catalog: Catalog, options: LetterOptions, today: dt.date) -> tuple[LetterRequest, list[str]]:
    """The request for ``options`` and its warnings; refuse, all reasons at once, an expired
    case or a former official unless allowed, and typed text that cannot be printed."""
    case = catalog.case(options.case_id)
    targets = [catalog.target(t) for t in (options.target_ids or case.primary_targets)]
    refusals = Refusals()
    warnings = refusals.check(review(case, targets, today, catalog.targets, after_deadline=options.after_deadline,
                                     allow_former=options.allow_former).enforce) or []
    sender = refusals.check(lambda: build_sender(options.sender))
    note = refusals.check(lambda: clean_typed(options.note, "--note", "note"))
    opening = refusals.check(lambda: clean_typed(options.opening, "about me"))
    refusals.check(lambda: check_drawable({"--note": note, "about me": opening}))
    refusals.raise_any()
    assert sender is not None  # refused otherwise
    paper = options.paper if options.paper in ("a4", "letter") else default_paper(sender.locale)
    request = LetterRequest(case=case, targets=targets, lang=options.lang, sender=sender, today=today,
                            paper=paper, note=note, labels=options.slips,  # type: ignore[arg-type]
                            copies=[catalog.target(t) for t in case.copies], opening=opening)
    return request, warnings


def default_filename(request: LetterRequest) -> str:
    return safe_filename("_".join([request.case.id, *(t.id for t in request.targets)]))


def write_letter(catalog: Catalog, options: LetterOptions, today: dt.date, warn: Warn = ignore,
                 record: Record = no_record) -> Written:
    """Check, compose and render the letters, write the PDF atomically, then ``record`` one
    letter per official and language."""
    if options.fax:
        options = replace(options, target_ids=(fax_target(catalog, options),), slips=False)
    request, warnings = prepare_letter(catalog, options, today)
    for warning in warnings:
        warn(warning)
    name = safe_filename(f"{request.case.id}_{request.targets[0].id}_fax") if options.fax else default_filename(request)
    destination = output_path(options.output, name)
    doc = compose_fax(request) if options.fax else compose_document(request)
    written = Written(render_and_write(doc, "letters.html.j2", destination))
    channel = "fax" if options.fax else "letter"
    record([Action(request.case.id, letter.target_id, channel, letter.lang, 1, today) for letter in doc.letters])
    return written


def fax_target(catalog: Catalog, options: LetterOptions) -> str:
    """The one official a fax goes to: ``--target``, or the case's only official with a fax
    number; refused (naming those with one) for an official without, or for several."""
    case = catalog.case(options.case_id)
    with_fax = [t for t in case.target_ids if catalog.target(t).fax]
    hint = (f"officials of case {case.id} with one: {', '.join(with_fax)}; choose one with --target" if with_fax
            else "print the letter and post it, or send an email")
    wanted = list(options.target_ids) or with_fax
    if len(wanted) > 1:
        raise AppealgenError(f"a fax goes to one official, not {len(wanted)}", hint)
    if not wanted:
        raise AppealgenError(f"no official of case {case.id} has a fax number in the data", hint)
    target = catalog.target(wanted[0])
    if not target.fax:
        raise AppealgenError(f"{target.name_en} ({target.id}) has no fax number in the data", hint)
    return target.id
