"""``appealgen write``: the write-a-thon station. An organiser starts it once; each volunteer
in turn picks a case and an official, types a name and town, confirms, and the letter is
printed or saved. Numbers and plain text only; the screen is cleared for the next volunteer.
What is shown and checked is decided in ``services.station``; this module only asks."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.prompt import Confirm, Prompt
from rich.text import Text

from appealgen.cli.completion import complete_case
from appealgen.cli.letter import PaperOption
from appealgen.cli.printer import DuplexOption, PrinterOption, PrintOption, wants_printing
from appealgen.cli.root import app, command, note, settings, shown
from appealgen.errors import AppealgenError

if TYPE_CHECKING:
    import datetime as dt

    from appealgen.catalog.loading import Catalog
    from appealgen.ledger.store import Record
    from appealgen.services.station import StationOptions, Volunteer
    from appealgen.services.station_labels import LabelPlan, LabelStock

T = TypeVar("T")
# Home, clear the screen and the terminal's scrollback: the next volunteer cannot scroll back.
CLEAR = "\x1b[H\x1b[2J\x1b[3J"


def _say(console: Console, text: str = "", style: str = "") -> None:
    console.print(Text(shown(text), style=style), highlight=False, soft_wrap=True)


def _ask(console: Console, question: str, check: Callable[[str], T], default: str | None = None) -> T:
    """Ask until ``check`` accepts the answer; say why it did not."""
    while True:
        answer = Prompt.ask(Text(question), console=console, default=default or "", show_default=bool(default))
        try:
            return check(answer)
        except AppealgenError as exc:
            _say(console, f"  Sorry: {exc.message}." + (f" ({exc.hint})" if exc.hint else ""), "yellow")
            _say(console, "  Please try again.")


def _number(count: int, default: int | None = None) -> Callable[[str], int]:
    def check(text: str) -> int:
        text = text.strip() or (str(default) if default else "")
        if not text.isdigit() or not 1 <= int(text) <= count:
            raise AppealgenError(f"type a number from 1 to {count}")
        return int(text)

    return check


def _pick(console: Console, question: str, lines: list[str], default: int | None = None) -> int:
    for number, line in enumerate(lines, 1):
        _say(console, f"  {number}. {line}")
    return _ask(console, question, _number(len(lines), default), str(default) if default else None) - 1


def volunteer_answers(console: Console, catalog: Catalog, options: StationOptions, today) -> Volunteer:  # type: ignore[no-untyped-def]
    """Steps 1 to 5: the case, the official(s), the volunteer, the language."""
    from appealgen.services import station

    cases = station.station_cases(catalog, options, today)
    _say(console, "Write a letter: which case?", "bold")
    case = cases[_pick(console, "Case number", [station.case_line(c) for c in cases])]
    _say(console)
    for line in station.case_brief(case, today):
        _say(console, line)
    _say(console)
    offered, left_out = station.officials(catalog, case, today)
    for line in left_out:
        _say(console, f"Note: {line}.", "yellow")
    for official in offered:
        if official.explanation:
            _say(console, f"Note: {official.explanation}.", "yellow")
    if len(offered) == 1:
        targets = [offered[0].target]
        _say(console, f"Your letter goes to {targets[0].name_en}, {targets[0].title_en}.")
    else:
        lines = [f"{o.target.name_en}, {o.target.title_en}" for o in offered] + ["all of them (one letter each)"]
        chosen = _pick(console, "Write to (number)", lines, len(lines))
        targets = [o.target for o in offered] if chosen == len(offered) else [offered[chosen].target]
    _say(console)
    name = _ask(console, "Your name (as you sign)", station.check_name)
    address = _ask(console, "Your town, or your address (commas between lines)", station.check_address)
    country, _locale = _ask(console, "Your country", station.check_country)
    about = _ask(console, "One line about you, to open the letter (optional, e.g. As a retired nurse,)",
                 lambda text: station.check_optional(text, "about me", "line"))
    note = _ask(console, "A sentence of your own (optional)",
                lambda text: station.check_optional(text, "your sentence"))
    langs = station.language_choices(case)
    lang = langs[_pick(console, "Language (number)", [label for _, label in langs], 1)][0]
    return station.Volunteer(case.id, tuple(t.id for t in targets), name, address, country, about, note, lang)


def _unique(folder: Path, name: str) -> Path:
    path, number = folder / name, 2
    while path.exists():
        path = folder / f"{Path(name).stem}-{number}.pdf"
        number += 1
    return path


def deliver(console: Console, pdf: bytes, name: str, save_dir: Path | None, printer: str | None,
            printing: bool, duplex: bool, collect: str = "collect your letter, sign it and post it",
            exact_size: bool = False) -> bool:
    """Step 6: save the letter, print it, or both; a failed print leaves the PDF saved (and
    returns False)."""
    from appealgen.output.files import write_atomic
    from appealgen.output.printing import PrintJob, print_pdf

    with tempfile.TemporaryDirectory(prefix="appealgen-station-") as scratch:
        path = _unique(save_dir, name) if save_dir else Path(scratch) / name
        write_atomic(path, pdf)
        if save_dir:
            _say(console, f"Saved as {path}", "green")
        if not printing:
            return True
        try:
            job = print_pdf(path, PrintJob(printer=printer, duplex=duplex, exact_size=exact_size))
        except AppealgenError as exc:
            kept = path if save_dir else _unique(Path.cwd(), name)
            if not save_dir:
                write_atomic(kept, pdf)
            _say(console, f"Printing failed: {exc.message}. The PDF is saved as {kept}.", "red")
            if exc.hint:
                _say(console, f"Hint: {exc.hint}")
            return False
    _say(console, f"Sent to the printer{f' ({job})' if job else ''}: {collect}.", "green")
    return True


def deliver_labels(console: Console, stock: LabelStock, pdf_and_plan: tuple[bytes, str, LabelPlan],
                   save_dir: Path | None, printer: str | None, printing: bool) -> None:
    """Print (or save) a letter's label page, after asking for a new sheet where the labels
    need one; say which labels were used, and move the stock on."""
    pdf, name, plan = pdf_and_plan
    if printing and (request := plan.load_request()):
        Prompt.ask(Text(request), console=console, default="", show_default=False)
    if deliver(console, pdf, name, save_dir, printer, printing, duplex=False,
               collect="collect the labels and peel off yours", exact_size=True):
        stock.take(plan)
        _say(console, plan.message(), "bold")
    else:
        _say(console, "These labels are not counted as used: the next letter's go in the same places.")


def _next_volunteer(console: Console) -> None:
    """Step 7: wait, then clear the screen, the scrollback and the line editor's history."""
    Prompt.ask(Text("Press Enter for the next volunteer (Ctrl-C closes the station)"), console=console,
               default="", show_default=False)
    if "readline" in sys.modules:
        sys.modules["readline"].clear_history()
    if console.is_terminal:
        console.file.write(CLEAR)
        console.file.flush()


@command(app, "write")
def write_command(
    ctx: typer.Context,
    case_ids: Annotated[list[str] | None, typer.Option(
        "--case", metavar="ID", autocompletion=complete_case,
        help="Offer this case; repeat for several (default: every open case).")] = None,
    save_dir: Annotated[Path | None, typer.Option(
        "--save-dir", metavar="DIR", help="Save each letter in this folder (otherwise nothing is kept).")] = None,
    print_: PrintOption = False,
    printer: PrinterOption = None,
    duplex: DuplexOption = False,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Offer cases whose deadline has passed too.")] = False,
    paper: Annotated[PaperOption | None, typer.Option(
        "--paper", help="Paper size (default: from each volunteer's country).")] = None,
    slips: Annotated[bool, typer.Option(
        "--slip/--no-slip", help="Add a last page with the address slip to cut out.")] = True,
    envelope: Annotated[str | None, typer.Option(
        "--envelope", metavar="SIZE", help="Also print (or save) an envelope for each letter: DL, C6, C5, C4, "
        "US10, MONARCH, or auto (by each volunteer's country).")] = None,
    labels: Annotated[bool, typer.Option(
        "--labels", help="Also print (or save) an address label for each letter's official(s), at the next "
        "free labels of one shared label sheet.")] = False,
    sheet_name: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME", help="With --labels: the label sheet, e.g. L7160, 5160 (default: by --paper, "
        "else L7160).")] = None,
    skip: Annotated[int, typer.Option(
        "--skip", min=0, metavar="K", help="With --labels: the first K labels of the sheet in the printer are "
        "used already (closing the station tells you K).")] = 0,
    offset_x: Annotated[float, typer.Option(
        "--offset-x", metavar="MM", help="With --labels: move the labels right (or left, if negative) to "
        "correct the printer; `appealgen labels --calibrate` measures it.")] = 0.0,
    offset_y: Annotated[float, typer.Option(
        "--offset-y", metavar="MM", help="With --labels: move the labels down (or up, if negative).")] = 0.0,
) -> None:
    """Run a write-a-thon station: each volunteer in turn picks a case, types a name and town,
    and gets a printed (or saved) letter to sign. Ctrl-C closes it."""
    from appealgen.output.printing import check_printer
    from appealgen.services import station

    _check_supplies(labels, envelope, sheet_name, skip, offset_x, offset_y)
    printing = wants_printing(print_, printer)
    if not printing and save_dir is None:
        raise AppealgenError("say where the letters go", "add --print (the default printer), --printer NAME "
                             "or --save-dir DIR")
    if save_dir is not None and not save_dir.is_dir():
        raise AppealgenError(f"--save-dir {shown(str(save_dir))} is not a folder", "create it first")
    if printing:
        check_printer(printer)
    current = settings(ctx)
    catalog, today = current.catalog, current.today
    options = station.StationOptions(tuple(case_ids or ()), after_deadline, paper.value if paper else None, slips,
                                     envelope)
    if envelope and envelope.lower() != "auto":
        catalog.envelope(envelope)  # an unknown size is refused now, not at the first volunteer
    cases = station.station_cases(catalog, options, today)
    stock = None
    if labels:
        from appealgen.services.station_labels import start_labels

        stock = start_labels(catalog, cases, today, sheet_name, options.paper, skip,  # type: ignore[arg-type]
                             offset_x, offset_y)
    station.warm_up(catalog, cases[0], today)
    console = Console(highlight=False)
    if stock is not None:
        _say(console, f"Labels: {stock.sheet.name} sheet, {stock.sheet.per_page} labels; the next free one is "
                      f"{stock.used + 1}.")
    record = current.recorder()
    try:
        while True:
            volunteer = volunteer_answers(console, catalog, options, today)
            _say(console)
            for line in station.summary_lines(catalog, volunteer, options, today):
                _say(console, line)
            if Confirm.ask(Text("Make this letter?"), console=console, default=True):
                try:
                    _make(console, catalog, volunteer, options, today, record, stock, save_dir, printer, printing,
                          duplex)
                except AppealgenError as exc:  # the station stays open: this volunteer starts again
                    _say(console, f"Sorry: the letter could not be made: {exc.message}.", "red")
                    _say(console, "Please start again" + (f" ({exc.hint})." if exc.hint else "."))
                    continue
            del volunteer
            _next_volunteer(console)
    except (KeyboardInterrupt, EOFError):
        console.print()
        _say(console, "Station closed.")
        if stock is not None:
            _say(console, stock.resume_line())


def _make(console: Console, catalog: Catalog, volunteer: Volunteer, options: StationOptions, today: dt.date,
          record: Record, stock: LabelStock | None, save_dir: Path | None, printer: str | None, printing: bool,
          duplex: bool) -> None:
    """Step 6: the letter, then the envelope or the label the organiser chose, each saved or printed."""
    from appealgen.services import station

    pdf, name, _paper = station.make_letter(catalog, volunteer, options, today, record)
    deliver(console, pdf, name, save_dir, printer, printing, duplex)
    if (envelopes := station.make_envelope(catalog, volunteer, options, today, record)) is not None:
        deliver(console, *envelopes, save_dir, printer, printing, duplex=False, collect="collect the envelope too")
    if stock is not None:
        deliver_labels(console, stock, _labels(catalog, volunteer, stock, today, record), save_dir, printer, printing)


def _check_supplies(labels: bool, envelope: str | None, sheet_name: str | None, skip: int, offset_x: float,
                    offset_y: float) -> None:
    """Usage errors (exit 2): labels and an envelope address the same letter twice; --sheet,
    --skip and the offsets mean nothing without --labels."""
    label_only = {"--sheet": sheet_name is not None, "--skip": skip, "--offset-x": offset_x, "--offset-y": offset_y}
    given = [flag for flag, value in label_only.items() if value]
    problem = None
    if labels and envelope:
        problem = "choose --labels or --envelope, not both: each addresses the same letter"
    elif not labels and given:
        problem = f"{given[0]} is for label sheets: add --labels"
    if problem:
        note(f"Error: {problem}")
        raise typer.Exit(2)


def _labels(catalog: Catalog, volunteer: Volunteer, stock: LabelStock, today: dt.date,
            record: Record) -> tuple[bytes, str, LabelPlan]:
    """The volunteer's label page where the stock puts it (not yet taken: that waits for delivery)."""
    from appealgen.services.station_labels import make_labels

    plan = stock.plan(len(volunteer.target_ids))
    return (*make_labels(catalog, volunteer, plan, today, record), plan)
