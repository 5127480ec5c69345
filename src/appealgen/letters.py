"""The letter command's library call: resolve, check, compose, render, write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appealgen.catalog import Catalog
from appealgen.compose import LangChoice, LetterRequest, Sender, check_can_write, compose_document
from appealgen.errors import AppealgenError
from appealgen.i18n import Paper, default_paper, parse_locale
from appealgen.models import clean_text
from appealgen.output import safe_filename, write_output


@dataclass(frozen=True)
class CheckedRequest:
    letter: LetterRequest
    warnings: list[str]


def build_request(catalog: Catalog, case_id: str, target_ids: list[str], *, lang: str,
                  today: dt.date, sender_name: str | None, sender_address: str | None,
                  sender_locale: str, note: str | None, paper: str | None, labels: bool,
                  after_deadline: bool, allow_former: bool) -> CheckedRequest:
    """Resolve ids and options into a request; refuse an expired case or a former official."""
    case = catalog.case(case_id)
    targets = [catalog.target(t) for t in (target_ids or case.primary_targets)]
    warnings = check_can_write(case, targets, today, after_deadline, allow_former, catalog.targets)
    sender = build_sender(sender_name, sender_address, sender_locale)
    chosen: Paper = "letter" if paper == "letter" else "a4" if paper == "a4" else default_paper(sender.locale)
    choice: LangChoice = lang  # type: ignore[assignment]  # Typer's enum guarantees the values
    request = LetterRequest(case=case, targets=targets, lang=choice, sender=sender, today=today,
                            paper=chosen, note=_clean(note), labels=labels,
                            copies=[catalog.target(t) for t in case.copies])
    return CheckedRequest(letter=request, warnings=warnings)


def build_sender(name: str | None, address: str | None, locale: str) -> Sender:
    """The sender as typed: text cleaned, the locale parsed."""
    return Sender(name=_clean(name), address=_clean(address), locale=parse_locale(locale))


def _clean(text: str | None) -> str | None:
    """Typed text, NFC-normalised; literal ``\\n`` from a shell becomes a line break."""
    if text is None or not text.strip():
        return None
    try:
        return clean_text(text.replace("\\n", "\n").strip())
    except ValueError as exc:
        raise AppealgenError(f"typed text {exc}") from None


def default_filename(request: LetterRequest) -> str:
    return safe_filename("_".join([request.case.id, *(t.id for t in request.targets)]))


def write_letter(request: LetterRequest, destination: str) -> str:
    """Compose and render the letters, then write the PDF atomically; return where."""
    from appealgen.render import render_pdf

    pdf = render_pdf(compose_document(request))
    return write_output(destination, pdf)
