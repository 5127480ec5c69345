"""``appealgen letter``: one or more officials, one case, one PDF."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from appealgen.cli.completion import CaseArgument, complete_target
from appealgen.cli.printer import DuplexOption, PrinterOption, PrintOption, send, wants_printing
from appealgen.cli.root import app, command, note, settings, shown, warn

if TYPE_CHECKING:
    from appealgen.policy import LangChoice

SenderName = Annotated[str | None, typer.Option("--sender-name", metavar="TEXT", help="Your name, as you sign.")]
SenderAddress = Annotated[str | None, typer.Option(
    "--sender-address", metavar="TEXT",
    help="Your address; start each line on a new line (or write \\n between lines).")]


LANGS = ("auto", "en", "zh", "en+zh", "zh+en")
"""The ``--lang`` choices for ``--help`` and completion, spelled here so that help need not
import ``policy`` (a test checks them against ``policy.LANG_CHOICES``, which a value is checked
against)."""


def _check_lang(value: str | None) -> str | None:
    """A bad ``--lang`` is a usage error (exit 2) stated in one plain line with the choices."""
    from appealgen.policy import LANG_CHOICES

    value = value.strip().lower() if value is not None else None
    if value is not None and value not in LANG_CHOICES:
        note(f"Error: --lang {shown(repr(value))}: use one of {', '.join(LANG_CHOICES)}")
        raise typer.Exit(2)
    return value


def _complete_lang(incomplete: str) -> list[str]:
    return [lang for lang in LANGS if lang.startswith(incomplete)]


def lang_option(help_text: str) -> Any:
    """The ``--lang`` option; help shows its choices as it does for every other choice."""
    return typer.Option("--lang", metavar=f"<{'|'.join(LANGS)}>", callback=_check_lang,
                        autocompletion=_complete_lang, help=help_text)


class PaperOption(StrEnum):
    a4 = "a4"
    letter = "letter"


@command(app, "letter")
def letter_command(
    ctx: typer.Context,
    case_id: CaseArgument,
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", autocompletion=complete_target, help="Official to write to; repeat for several. "
        "Default: the case's primary targets. One letter each, all in one PDF.")] = None,
    lang: Annotated[str, lang_option(
        "auto: both languages in the case's preferred order; en+zh / zh+en force the order.")] = "auto",
    sender_name: SenderName = None,
    sender_address: SenderAddress = None,
    sender_locale: Annotated[str, typer.Option(
        "--sender-locale", metavar="LOCALE", help="Your locale, e.g. en_GB, en_US, de_DE: sets the "
        "English date format and, unless --paper is given, the paper.")] = "en_GB",
    note_text: Annotated[str | None, typer.Option(
        "--note", metavar="TEXT", help="A sentence of your own. It is never translated: it appears "
        "as typed, once for each official, in the first letter to them.")] = None,
    paper: Annotated[PaperOption | None, typer.Option(
        "--paper", help="Paper size (default: Letter for US/CA/MX/PH senders, else A4).")] = None,
    slips: Annotated[bool, typer.Option(
        "--labels/--no-labels", help="Add a last page with an address slip per official.")] = True,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Write even though the case's deadline has passed.")] = False,
    allow_former: Annotated[bool, typer.Option(
        "--allow-former", help="Write to an official who has left office.")] = False,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", metavar="FILE", help="Where to write the PDF: a file, a folder (for the default "
        "name) or `-` for standard output. Default: CASE_TARGET.pdf in this folder.")] = None,
    fax: Annotated[bool, typer.Option(
        "--fax", help="A fax: a cover page with the official's fax number, you and the page count, then the "
        "letters (no address slips); to one official with a fax number. Default name CASE_TARGET_fax.pdf.")] = False,
    print_: PrintOption = False,
    printer: PrinterOption = None,
    duplex: DuplexOption = False,
) -> None:
    """Write a print-ready letter (PDF) about a case to one or more officials."""
    from appealgen.services.common import SenderOptions
    from appealgen.services.letter import LetterOptions, write_letter

    current = settings(ctx)
    options = LetterOptions(
        case_id=case_id, target_ids=tuple(target_ids or ()), lang=cast("LangChoice", lang),
        sender=SenderOptions(sender_name, sender_address, sender_locale), note=note_text,
        paper=paper.value if paper else None, slips=slips, after_deadline=after_deadline,
        allow_former=allow_former, output=output, fax=fax)
    written = write_letter(current.catalog, options, current.today, warn, current.recorder())
    if output != "-":
        note(f"Wrote {written.destination}")
    if not sender_name:
        warn("no --sender-name: the letter has a blank space to sign; write your name under it by hand")
    if wants_printing(print_, printer):
        send(written.destination, printer, duplex)
