"""The letter job: resolve the case and officials, check them, compose, render, write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from appealgen.catalog.loading import Catalog
from appealgen.compose.letters import LetterRequest, compose_document
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
    paper: str | None = None
    slips: bool = True
    after_deadline: bool = False
    allow_former: bool = False
    output: str | None = None


def prepare_letter(catalog: Catalog, options: LetterOptions, today: dt.date) -> tuple[LetterRequest, list[str]]:
    """The request for ``options`` and its warnings; refuse (all reasons at once) an expired
    case or a former official unless allowed."""
    case = catalog.case(options.case_id)
    targets = [catalog.target(t) for t in (options.target_ids or case.primary_targets)]
    warnings = review(case, targets, today, catalog.targets, after_deadline=options.after_deadline,
                      allow_former=options.allow_former).enforce()
    sender = build_sender(options.sender)
    paper = options.paper if options.paper in ("a4", "letter") else default_paper(sender.locale)
    request = LetterRequest(case=case, targets=targets, lang=options.lang, sender=sender, today=today,
                            paper=paper, note=clean_typed(options.note, "--note", "note"), labels=options.slips,  # type: ignore[arg-type]
                            copies=[catalog.target(t) for t in case.copies])
    return request, warnings


def default_filename(request: LetterRequest) -> str:
    return safe_filename("_".join([request.case.id, *(t.id for t in request.targets)]))


def write_letter(catalog: Catalog, options: LetterOptions, today: dt.date, warn: Warn = ignore,
                 record: Record = no_record) -> Written:
    """Check, compose and render the letters, write the PDF atomically, then ``record`` one
    letter per official and language."""
    request, warnings = prepare_letter(catalog, options, today)
    for warning in warnings:
        warn(warning)
    destination = output_path(options.output, default_filename(request))
    doc = compose_document(request)
    written = Written(render_and_write(doc, "letters.html.j2", destination))
    record([Action(request.case.id, letter.target_id, "letter", letter.lang, 1, today) for letter in doc.letters])
    return written
