"""``appealgen sheet``: a guide for writing the letter by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from appealgen.cli.completion import CaseArgument, complete_target
from appealgen.cli.letter import PaperOption
from appealgen.cli.printer import PrinterOption, PrintOption, send, wants_printing
from appealgen.cli.root import app, command, note, settings, warn
from appealgen.cli.stationery import AllowFormer, OutputOption


@command(app, "sheet")
def sheet_command(
    ctx: typer.Context,
    case_id: CaseArgument,
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", autocompletion=complete_target,
        help="Official to write to; repeat for several (default: the case's primary "
        "targets).")] = None,
    lang: Annotated[str, typer.Option(
        "--lang", help="Language of the points to make: en or zh.")] = "en",
    locale: Annotated[str, typer.Option(
        "--sender-locale", metavar="LOCALE", help="Your locale: the date format and, unless --paper is given, "
        "the paper.")] = "en_GB",
    paper: Annotated[PaperOption | None, typer.Option("--paper", help="Paper size.")] = None,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Write even though the case's deadline has passed.")] = False,
    allow_former: AllowFormer = False,
    output: OutputOption = None,
    print_: PrintOption = False,
    printer: PrinterOption = None,
) -> None:
    """Print a guide for writing by hand: per official, the name and address to copy, the
    greeting, the points to make, the deadline and ruled lines; then the address slips."""
    from appealgen.errors import AppealgenError
    from appealgen.services.sheet import SheetOptions, write_sheet

    if lang not in ("en", "zh"):
        raise AppealgenError(f"--lang {lang!r} is not a language of the guide", "choose en or zh")
    current = settings(ctx)
    options = SheetOptions(case_id, tuple(target_ids or ()), lang, locale,  # type: ignore[arg-type]
                           paper.value if paper else None, after_deadline, allow_former, output)
    written = write_sheet(current.catalog, options, current.today, warn)
    if output != "-":
        note(f"Wrote {written.destination} ({written.what})")
    if wants_printing(print_, printer):
        send(written.destination, printer)
