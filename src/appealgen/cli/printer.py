"""Printing from the command line: ``--print`` / ``--printer`` / ``--duplex`` on the commands
that make a PDF, and ``appealgen printers``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from appealgen.cli.root import app, command, note, out, shown
from appealgen.errors import AppealgenError

PrintOption = Annotated[bool, typer.Option(
    "--print", help="Also print the PDF on the default printer (CUPS); the PDF is saved as well.")]
PrinterOption = Annotated[str | None, typer.Option(
    "--printer", metavar="NAME", help="Also print the PDF on this printer (`appealgen printers` lists them).")]
DuplexOption = Annotated[bool, typer.Option("--duplex", help="When printing, print on both sides.")]


def wants_printing(print_: bool, printer: str | None) -> bool:
    return print_ or printer is not None


def send(destination: str, printer: str | None, duplex: bool = False, exact_size: bool = False) -> None:
    """Print the PDF saved at ``destination`` (``exact_size``: label sheets and envelopes, never
    scaled to fit); a failure says the PDF is still there."""
    from appealgen.output.printing import PrintJob, print_pdf

    if destination == "standard output":
        raise AppealgenError("cannot print a PDF written to standard output", "give -o a file name to print it")
    try:
        job = print_pdf(Path(destination), PrintJob(printer=printer, duplex=duplex, exact_size=exact_size))
    except AppealgenError as exc:
        raise AppealgenError(f"{exc.message} (the PDF is saved as {destination})", exc.hint) from None
    note(f"Sent to the printer{f' ({job})' if job else ''}")


@command(app, "printers")
def printers_command(ctx: typer.Context) -> None:
    """List the printers (CUPS queues) and the default one."""
    from appealgen.output.printing import list_queues

    queues = list_queues()
    if not queues.names:
        raise AppealgenError("CUPS has no printer", "add one (system settings, or `lpadmin`)")
    for name in queues.names:
        out.print(shown(name) + ("  (default)" if name == queues.default else ""), markup=False, highlight=False)
