"""The view model of a fax: pure, no I/O. The letters to one official, after a cover page with
the official's fax number, the sender and the page count (the renderer counts the pages, so the
count includes the cover)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from appealgen.compose.letters import Document, LetterRequest, compose_document
from appealgen.i18n import english_date


@dataclass(frozen=True)
class FaxCover:
    to_lines: list[str]
    fax_numbers: list[str]
    from_lines: list[str]
    date: str
    regarding: str


@dataclass(frozen=True)
class FaxDocument(Document):
    cover: FaxCover | None = None


def compose_fax(request: LetterRequest) -> FaxDocument:
    """The fax to ``request``'s one official (who must have a fax number): a cover page, then
    the letters, without address slips."""
    [target] = request.targets
    doc = compose_document(replace(request, labels=False))
    case = request.case
    sender = request.sender
    title = f"{case.reference}: {case.title_en}" if case.reference else case.title_en
    cover = FaxCover(
        to_lines=[target.addressee_en, target.title_en],
        fax_numbers=list(target.fax),
        from_lines=[line for line in [sender.name, *sender.address_lines] if line] or ["(your name and address)"],
        date=english_date(request.today, sender.locale),
        regarding=f"{title} ({case.people_names()})",
    )
    return FaxDocument(title=doc.title, subject=doc.subject.replace("Letters", "Fax", 1), paper=doc.paper,
                       letters=doc.letters, slips=[], cover=cover)
