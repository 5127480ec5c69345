"""Address labels at the write-a-thon station (``appealgen write --labels``): one label sheet
in the printer, shared by the volunteers one after another. Each letter's officials take the
next free labels; a letter's labels never split across two sheets. Where the sheet stands is
kept in memory only (it says nothing about anyone); closing the station says how to resume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appealgen.catalog.geometry import PAPER_SIZES, LabelSheet, Paper, offset_problem
from appealgen.catalog.loading import Catalog
from appealgen.catalog.models import Case
from appealgen.compose.label_sheets import LabelFitter, label_pages
from appealgen.compose.sheets import SheetDocument
from appealgen.errors import AppealgenError
from appealgen.i18n import counted
from appealgen.ledger.store import Action, Record, no_record
from appealgen.output.files import safe_filename
from appealgen.policy import default_sheet_name
from appealgen.render.stamps import render_sheets_by_stamps
from appealgen.services.common import build_sender
from appealgen.services.station import Volunteer, officials, sender_options


@dataclass(frozen=True)
class LabelPlan:
    """Where one letter's labels go: ``count`` labels from cell ``first`` (from 0) of the sheet
    in the printer, or of a new one when they do not fit in the ``left`` labels still free."""

    sheet: LabelSheet
    first: int
    count: int
    new_sheet: bool = False
    left: int = 0
    """Labels still free on the old sheet when a new one is needed (they stay unused)."""
    offset_x: float = 0.0
    offset_y: float = 0.0

    @property
    def used_after(self) -> int:
        """Labels used on the sheet once these are printed; 0 when it is used up."""
        return (self.first + self.count) % self.sheet.per_page

    def load_request(self) -> str | None:
        """What the organiser does before these labels are printed: load a new sheet, or nothing."""
        if not self.new_sheet:
            return None
        return (f"This letter's {counted(self.count, 'label')} do not fit on the {counted(self.left, 'label')} "
                f"left: put a new {self.sheet.name} sheet in the printer, then press Enter")

    def message(self) -> str:
        """One plain line: which labels were used, and what goes in the printer next."""
        first, last, total, name = self.first + 1, self.first + self.count, self.sheet.per_page, self.sheet.name
        span = f"Label {first}" if self.count == 1 else f"Labels {first}–{last}"
        if self.new_sheet:
            where = (f"{span} of {total} on a new {name} sheet: load a new sheet (the "
                     f"{counted(self.left, 'label')} left on the old one stay{'s' if self.left == 1 else ''} unused)")
            back = "put it back in the printer"
        else:
            where, back = f"{span} of {total} on the {name} sheet", "put the same sheet back in the printer"
        if self.used_after == 0:
            return f"{where}; the sheet is used up: put a new {name} sheet in the printer for the next volunteer."
        return f"{where}; {back} for the next volunteer."


@dataclass
class LabelStock:
    """The label sheet in the station's printer: which sheet, and how many of its labels the
    volunteers before have used (``--skip`` at the start)."""

    sheet: LabelSheet
    used: int = 0
    offset_x: float = 0.0
    offset_y: float = 0.0
    """mm: the printer's offsets, as ``labels --calibrate`` measures them."""

    def plan(self, count: int) -> LabelPlan:
        """Where ``count`` labels go: after the used ones, or at the top of a new sheet."""
        left = self.sheet.per_page - self.used
        if count <= left:
            return LabelPlan(self.sheet, self.used, count, offset_x=self.offset_x, offset_y=self.offset_y)
        return LabelPlan(self.sheet, 0, count, new_sheet=True, left=left, offset_x=self.offset_x,
                         offset_y=self.offset_y)

    def take(self, plan: LabelPlan) -> None:
        """The plan's labels are printed (or saved): the next letter's go after them."""
        self.used = plan.used_after

    def resume_line(self) -> str:
        """Where the next label is, and the options that start a station there."""
        name = self.sheet.name
        if self.used == 0:
            return f"Labels: the next letter starts a new {name} sheet; to go on, start with --labels --sheet {name}."
        return (f"Labels: the next free label is {self.used + 1} of {self.sheet.per_page} on the {name} sheet; "
                f"to go on with it, start with --labels --sheet {name} --skip {self.used}.")


def start_labels(catalog: Catalog, cases: list[Case], today: dt.date, sheet_name: str | None,
                 paper: Paper | None, skip: int, offset_x: float = 0.0, offset_y: float = 0.0) -> LabelStock:
    """The sheet for the whole station (it stays in the printer from volunteer to volunteer):
    ``sheet_name``, else the usual sheet for ``paper``, else for A4; ``skip`` labels already used.
    Refuse a skip past the sheet, offsets that move labels off it, or a sheet too small for one
    letter's officials."""
    sheet = catalog.sheet(sheet_name or default_sheet_name(paper or "a4"))
    if not 0 <= skip < sheet.per_page:
        raise AppealgenError(f"--skip {skip}: the {sheet.name} sheet has {counted(sheet.per_page, 'label')}",
                             f"give --skip from 0 to {sheet.per_page - 1} (the labels already used)")
    if problem := offset_problem(sheet, offset_x, offset_y):
        raise AppealgenError(problem, "printer offsets are a few mm; print `appealgen labels --calibrate` to "
                             "measure them")
    most = max(len(officials(catalog, case, today)[0]) for case in cases)
    if most > sheet.per_page:
        raise AppealgenError(f"a letter may go to {most} officials, more than the {sheet.name} sheet has labels",
                             "choose a sheet with more labels, such as L7160")
    return LabelStock(sheet, skip, offset_x, offset_y)


def make_labels(catalog: Catalog, volunteer: Volunteer, plan: LabelPlan, today: dt.date,
                record: Record = no_record) -> tuple[bytes, str]:
    """One page of the sheet with the letter's officials' labels where ``plan`` puts them (the
    other labels left blank), the volunteer's address small at each foot where it fits; its
    file name (case and officials, never the volunteer); ``record`` one label per official."""
    sheet = plan.sheet
    case = catalog.case(volunteer.case_id)
    targets = [catalog.target(t) for t in volunteer.target_ids]
    sender = build_sender(sender_options(volunteer))
    # A long address typed by a volunteer is left off rather than refused: the letter carries it.
    pages = label_pages(sheet, [(target, sender) for target in targets], plan.first, plan.offset_x,
                        plan.offset_y, fitter=LabelFitter(sheet, return_if_room=True))
    width, height = PAPER_SIZES[sheet.paper]
    reference = f" ({case.reference})" if case.reference else ""
    doc = SheetDocument(title=f"Address labels: {case.title_en}{reference}",
                        subject=f"{len(targets)} labels on {sheet.name} for {', '.join(volunteer.target_ids)}",
                        width=width, height=height, pages=pages)
    pdf = render_sheets_by_stamps(doc)
    record([Action(case.id, target.id, "label", "", 1, today) for target in targets])
    return pdf, safe_filename("_".join([case.id, *volunteer.target_ids, f"labels-{sheet.name}"]))
