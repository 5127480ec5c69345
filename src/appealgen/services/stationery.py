"""The labels and envelope jobs, and the calibration page: resolve the officials, check them,
compose the sheets, render, write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from appealgen.catalog.geometry import LabelSheet
from appealgen.catalog.loading import Catalog
from appealgen.catalog.models import Case, Target
from appealgen.compose.calibration import compose_calibration
from appealgen.compose.envelopes import EnvelopeRequest, compose_envelopes
from appealgen.compose.label_sheets import LabelRequest, compose_labels
from appealgen.errors import AppealgenError
from appealgen.i18n import counted
from appealgen.ledger.store import Action, Record, no_record
from appealgen.output.files import output_path, safe_filename
from appealgen.policy import default_envelope_name, default_paper, default_sheet_name, review
from appealgen.render.stamps import render_sheets_by_stamps
from appealgen.services.common import SenderOptions, Warn, Written, build_sender, ignore, render_and_write


@dataclass(frozen=True)
class Recipients:
    """Whose address to print: ``target_ids``, else every target of ``case_id`` (primary,
    additional and copies)."""

    case_id: str | None = None
    target_ids: tuple[str, ...] = ()
    allow_former: bool = False


@dataclass(frozen=True)
class LabelOptions:
    """One ``appealgen labels``: a sheet (default by the sender's paper), how many labels per
    official (default: the rest of the sheet for one, else one each), from which cell, and the
    printer's offsets."""

    recipients: Recipients = field(default_factory=Recipients)
    sheet: str | None = None
    count: int | None = None
    skip: int = 0
    offset_x: float = 0.0
    offset_y: float = 0.0
    outline: bool = False
    sender: SenderOptions = field(default_factory=SenderOptions)
    output: str | None = None


@dataclass(frozen=True)
class EnvelopeOptions:
    """One ``appealgen envelope``: one page per official at the envelope's size (default by
    the sender's paper)."""

    recipients: Recipients = field(default_factory=Recipients)
    size: str | None = None
    sender: SenderOptions = field(default_factory=SenderOptions)
    output: str | None = None


@dataclass(frozen=True)
class _Resolved:
    targets: list[Target]
    case: Case | None

    @property
    def about(self) -> str:
        if self.case:
            reference = f" ({self.case.reference})" if self.case.reference else ""
            return f"{self.case.title_en}{reference}"
        return ", ".join(t.id for t in self.targets)

    def filename(self, kind: str, size: str) -> str:
        who = self.case.id if self.case else "_".join(t.id for t in self.targets)
        return safe_filename(f"{who}_{kind}-{size}")


def _resolve(catalog: Catalog, recipients: Recipients, today: dt.date, warn: Warn) -> _Resolved:
    """The officials to print for; refuse a former official named with ``--target`` as
    ``letter`` does, but leave one of a case's targets out with a warning (the others are
    still wanted). A case past its deadline only warns: labels and envelopes say nothing
    about the case."""
    if not recipients.case_id and not recipients.target_ids:
        raise AppealgenError("say whose address to print", "give --case ID, --target ID, or both")
    case = catalog.case(recipients.case_id) if recipients.case_id else None
    ids = recipients.target_ids or (case.target_ids if case else [])
    targets = [catalog.target(t) for t in dict.fromkeys(ids)]
    checked = review(case, targets, today, catalog.targets, after_deadline=False,
                     allow_former=recipients.allow_former, deadline_binds=False,
                     leave_out_former=not recipients.target_ids)
    for warning in checked.enforce():
        warn(warning)
    return _Resolved([t for t in targets if t.id not in checked.left_out], case)


def _sheet(catalog: Catalog, options: LabelOptions) -> LabelSheet:
    if options.sheet:
        return catalog.sheet(options.sheet)
    return catalog.sheet(default_sheet_name(default_paper(build_sender(options.sender).locale)))


def write_labels(catalog: Catalog, options: LabelOptions, today: dt.date, warn: Warn = ignore,
                 record: Record = no_record) -> Written:
    """Compose, render and write a sheet (or sheets) of address labels; ``record`` them."""
    sender = build_sender(options.sender)
    sheet = _sheet(catalog, options)
    resolved = _resolve(catalog, options.recipients, today, warn)
    doc = compose_labels(LabelRequest(
        targets=resolved.targets, about=resolved.about, sheet=sheet, count=options.count, skip=options.skip,
        offset_x=options.offset_x, offset_y=options.offset_y, outline=options.outline, sender=sender))
    destination = output_path(options.output, resolved.filename("labels", sheet.name))
    total = sum(len(page.blocks) for page in doc.pages)
    written = Written(render_and_write(doc, "stamps.html.j2", destination, render_sheets_by_stamps),
                      f"{counted(total, 'label')} on {counted(len(doc.pages), 'sheet')} of {sheet.name}")
    record(_supplies(resolved, "label", total // len(resolved.targets), today))
    return written


def _supplies(resolved: _Resolved, channel: str, each: int, today: dt.date) -> list[Action]:
    case_id = resolved.case.id if resolved.case else ""
    return [Action(case_id, target.id, channel, "", each, today) for target in resolved.targets]


def write_calibration(catalog: Catalog, options: LabelOptions) -> Written:
    """The calibration page for the sheet, with the offsets it was printed with."""
    if options.recipients.case_id or options.recipients.target_ids:
        raise AppealgenError("--calibrate prints a test page without addresses",
                             "leave out --case and --target, then print the labels with the offsets")
    sheet = _sheet(catalog, options)
    doc = compose_calibration(sheet, options.offset_x, options.offset_y)
    destination = output_path(options.output, safe_filename(f"calibrate-{sheet.name}"))
    return Written(render_and_write(doc, "sheets.html.j2", destination), "calibration page")


def write_envelopes(catalog: Catalog, options: EnvelopeOptions, today: dt.date, warn: Warn = ignore,
                    record: Record = no_record) -> Written:
    """Compose, render and write one envelope page per official; ``record`` them."""
    sender = build_sender(options.sender)
    envelope = catalog.envelope(options.size or default_envelope_name(default_paper(sender.locale)))
    resolved = _resolve(catalog, options.recipients, today, warn)
    doc = compose_envelopes(EnvelopeRequest(resolved.targets, resolved.about, envelope, sender))
    destination = output_path(options.output, resolved.filename("envelopes", envelope.name))
    written = Written(render_and_write(doc, "sheets.html.j2", destination),
                      counted(len(doc.pages), f"{envelope.name} envelope"))
    record(_supplies(resolved, "envelope", 1, today))
    return written
