"""``appealgen labels`` and ``appealgen envelope``: officials' addresses to stick or print on
envelopes, and the calibration page for a label sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from appealgen.cli.completion import complete_case, complete_target
from appealgen.cli.letter import SenderAddress, SenderName
from appealgen.cli.printer import PrinterOption, PrintOption, send, wants_printing
from appealgen.cli.root import app, command, note, settings, warn

if TYPE_CHECKING:
    from appealgen.services.common import Written

CaseOption = Annotated[str | None, typer.Option(
    "--case", metavar="ID", autocompletion=complete_case,
    help="Print for every target of this case: primary, additional and copies.")]
TargetsOption = Annotated[list[str] | None, typer.Option(
    "--target", metavar="ID", autocompletion=complete_target,
    help="Official whose address to print; repeat for several (instead of "
    "the case's targets).")]
AllowFormer = Annotated[bool, typer.Option("--allow-former", help="Print for an official who has left office.")]
OutputOption = Annotated[str | None, typer.Option(
    "-o", "--output", metavar="FILE", help="Where to write the PDF: a file, a folder (for the default "
    "name) or `-` for standard output.")]


def _wrote(written: Written, output: str | None, printer: str | None = None, printing: bool = False) -> None:
    if output != "-":
        note(f"Wrote {written.destination} ({written.what})")
    if printing:  # label sheets and envelopes print at their size: scaled, labels miss their cells
        send(written.destination, printer, exact_size=True)


@command(app, "labels")
def labels_command(
    ctx: typer.Context,
    case_id: CaseOption = None,
    target_ids: TargetsOption = None,
    allow_former: AllowFormer = False,
    sheet_name: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME", help="Label sheet, e.g. L7160, J8160, 5160 (default: L7160, or 5160 "
        "for US/CA/MX/PH senders). An unknown name lists the known ones.")] = None,
    count: Annotated[int | None, typer.Option(
        "--count", min=1, metavar="N", help="Labels per official (default: the rest of the sheet for "
        "one official, else 1 each). More labels flow onto more sheets.")] = None,
    skip: Annotated[int, typer.Option(
        "--skip", min=0, metavar="K", help="Leave the first K labels of the first sheet empty, to use "
        "a partly used sheet (e.g. --skip 7 starts at label 8).")] = 0,
    offset_x: Annotated[float, typer.Option(
        "--offset-x", metavar="MM", help="Move everything right (or left, if negative) to correct the "
        "printer; --calibrate measures it.")] = 0.0,
    offset_y: Annotated[float, typer.Option(
        "--offset-y", metavar="MM", help="Move everything down (or up, if negative).")] = 0.0,
    outline: Annotated[bool, typer.Option("--outline", help="Draw each label's border.")] = False,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help="Print a test page for the sheet instead: outlined labels, millimetre "
        "scales and how to read the printer's offsets from them.")] = False,
    sender_name: SenderName = None,
    sender_address: SenderAddress = None,
    sender_locale: Annotated[str, typer.Option(
        "--sender-locale", metavar="LOCALE", help="Your locale, e.g. en_GB, en_US, de_DE.")] = "en_GB",
    output: OutputOption = None,
    print_: PrintOption = False,
    printer: PrinterOption = None,
) -> None:
    """Print address labels for officials on a sheet of sticky labels (PDF).

    Each label carries the Chinese address block and the Latin one, sized to fit; your name and
    address, if given, go small at the foot as the return address."""
    from appealgen.services.common import SenderOptions
    from appealgen.services.stationery import LabelOptions, Recipients, write_calibration, write_labels

    current = settings(ctx)
    options = LabelOptions(
        recipients=Recipients(case_id, tuple(target_ids or ()), allow_former), sheet=sheet_name, count=count,
        skip=skip, offset_x=offset_x, offset_y=offset_y, outline=outline,
        sender=SenderOptions(sender_name, sender_address, sender_locale), output=output)
    if calibrate:
        _wrote(write_calibration(current.catalog, options), output, printer, wants_printing(print_, printer))
    else:
        _wrote(write_labels(current.catalog, options, current.today, warn, current.recorder()), output, printer,
               wants_printing(print_, printer))


@command(app, "envelope")
def envelope_command(
    ctx: typer.Context,
    case_id: CaseOption = None,
    target_ids: TargetsOption = None,
    allow_former: AllowFormer = False,
    size: Annotated[str | None, typer.Option(
        "--size", metavar="SIZE", help="Envelope: DL, C6, C5, C4, US10 or MONARCH (default: DL, or US10 "
        "for US/CA/MX/PH senders).")] = None,
    sender_name: SenderName = None,
    sender_address: SenderAddress = None,
    sender_locale: Annotated[str, typer.Option(
        "--sender-locale", metavar="LOCALE", help="Your locale, e.g. en_GB: mail to another country is "
        "marked PRIORITY / PAR AVION.")] = "en_GB",
    output: OutputOption = None,
    print_: PrintOption = False,
    printer: PrinterOption = None,
) -> None:
    """Print envelopes for officials (PDF, one page per official at the envelope's size).

    Feed the envelopes face up, landscape. Your address goes top left, the official's Chinese
    and Latin address blocks lower right."""
    from appealgen.services.common import SenderOptions
    from appealgen.services.stationery import EnvelopeOptions, Recipients, write_envelopes

    current = settings(ctx)
    options = EnvelopeOptions(recipients=Recipients(case_id, tuple(target_ids or ()), allow_former), size=size,
                              sender=SenderOptions(sender_name, sender_address, sender_locale), output=output)
    _wrote(write_envelopes(current.catalog, options, current.today, warn, current.recorder()), output, printer,
           wants_printing(print_, printer))
