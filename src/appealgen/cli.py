"""The appealgen command line: a thin skin over the library.

Each command parses its options, makes one library call and prints. An ``AppealgenError``
becomes ``Error: …`` on stderr with exit code 1; nothing else reaches the user as a
traceback. Neither jinja2 nor weasyprint is imported here at module level, so ``--help``
and the browsing commands stay fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from appealgen import __version__, doctor, present
from appealgen.catalog import DATA_DIR_ENV, Catalog, load_catalog
from appealgen.errors import AppealgenError, DataError
from appealgen.i18n import TODAY_ENV, resolve_today

app = typer.Typer(
    help="Print-ready appeal letters, with Chinese envelope labels, from Urgent Actions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # supporter data must never appear in a traceback
    rich_markup_mode="rich",
)
case_app = typer.Typer(help="Look at one case.", no_args_is_help=True)
app.add_typer(case_app, name="case")

out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Settings:
    data_dir: Path | None
    today_option: str | None

    @functools.cached_property
    def catalog(self) -> Catalog:
        return load_catalog(self.data_dir)

    @functools.cached_property
    def today(self) -> dt.date:
        return resolve_today(self.today_option)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn an ``AppealgenError`` into ``Error: …`` on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AppealgenError as exc:
            problems = exc.problems if isinstance(exc, DataError) else [exc.message]
            for line in [*(f"Error: {p}" for p in problems), *([f"Hint: {exc.hint}"] if exc.hint else [])]:
                err.print(line, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def _version(value: bool) -> None:
    if value:
        out.print(f"appealgen {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", envvar=DATA_DIR_ENV, file_okay=False,
        help="Folder with targets.toml and cases/ (default: the shipped data).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", envvar=TODAY_ENV, metavar="YYYY-MM-DD",
        help="Take this date as today: for deadlines, letter dates and reproducible output.")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Turn a case, an official and a language into a letter you can sign and post."""
    ctx.obj = Settings(data_dir=data_dir, today_option=today)


JsonOption = Annotated[bool, typer.Option("--json", help="Print every field as JSON, for scripts.")]


def _print_json(records: Any) -> None:
    sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")


@app.command("cases")
@reports_errors
def cases_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every case with its deadline and whether it is still open."""
    settings = _settings(ctx)
    cases = list(settings.catalog.cases.values())
    if as_json:
        _print_json([case.model_dump(mode="json") for case in cases])
        return
    out.print(present.cases_table(cases, settings.today))


@case_app.command("show")
@reports_errors
def case_show_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="Case id, as `appealgen cases` lists it.")],
    as_json: JsonOption = False,
) -> None:
    """Show one case in full: people, asks, targets and the letter text."""
    settings = _settings(ctx)
    case = settings.catalog.case(case_id)
    if as_json:
        _print_json(case.model_dump(mode="json"))
        return
    present.print_case(out, case, settings.catalog, settings.today)


@app.command("targets")
@reports_errors
def targets_command(
    ctx: typer.Context,
    case_id: Annotated[str | None, typer.Option("--case", metavar="ID",
                                                help="Only the targets of this case.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the officials letters can be addressed to, and whether they are still in office."""
    settings = _settings(ctx)
    catalog = settings.catalog
    targets = (catalog.targets_of(catalog.case(case_id)) if case_id
               else list(catalog.targets.values()))
    if as_json:
        _print_json([target.model_dump(mode="json") for target in targets])
        return
    out.print(present.targets_table(targets, catalog, settings.today))


@app.command("validate")
@reports_errors
def validate_command(ctx: typer.Context) -> None:
    """Check the data directory; list every problem with its file and key."""
    catalog = _settings(ctx).catalog
    out.print(f"OK: {len(catalog.cases)} cases and {len(catalog.targets)} targets, "
              f"{catalog.sheet_count()} label sheets and {len(catalog.envelopes)} envelopes in "
              f"{catalog.data_dir} are valid.", highlight=False, markup=False, soft_wrap=True)


@app.command("doctor")
def doctor_command() -> None:
    """Check this machine: fonts, HarfBuzz subsetting, Pango and WeasyPrint."""
    checks = doctor.run_checks()
    out.print(present.doctor_table(checks))
    failed = [check for check in checks if not check.ok]
    for check in failed:
        err.print(f"Fix ({check.name}): {check.fix}", markup=False, highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)
    out.print("All checks passed: appealgen can print letters on this machine.")


class LangOption(StrEnum):
    auto = "auto"
    en = "en"
    zh = "zh"
    en_zh = "en+zh"
    zh_en = "zh+en"


class PaperOption(StrEnum):
    a4 = "a4"
    letter = "letter"


SenderName = Annotated[str | None, typer.Option("--sender-name", metavar="TEXT", help="Your name, as you sign.")]
SenderAddress = Annotated[str | None, typer.Option(
    "--sender-address", metavar="TEXT",
    help="Your address; start each line on a new line (or write \\n between lines).")]
SenderLocale = Annotated[str, typer.Option(
    "--sender-locale", metavar="LOCALE", help="Your locale, e.g. en_GB, en_US, de_DE.")]

@app.command("letter")
@reports_errors
def letter_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE_ID", help="Case id, as `appealgen cases` lists it.")],
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", help="Official to write to; repeat for several. "
        "Default: the case's primary targets. One letter each, all in one PDF.")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", help="auto: both languages in the case's preferred order; en+zh / zh+en force "
        "the order.")] = LangOption.auto,
    sender_name: SenderName = None,
    sender_address: SenderAddress = None,
    sender_locale: Annotated[str, typer.Option(
        "--sender-locale", metavar="LOCALE", help="Your locale, e.g. en_GB, en_US, de_DE: sets the "
        "English date format and, unless --paper is given, the paper.")] = "en_GB",
    note: Annotated[str | None, typer.Option(
        "--note", metavar="TEXT", help="A sentence of your own. It is never translated: it appears "
        "as typed, once for each official, in the first letter to them.")] = None,
    paper: Annotated[PaperOption | None, typer.Option(
        "--paper", help="Paper size (default: Letter for US/CA/MX/PH senders, else A4).")] = None,
    labels: Annotated[bool, typer.Option(
        "--labels/--no-labels", help="Add a last page with an address slip per official.")] = True,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Write even though the case's deadline has passed.")] = False,
    allow_former: Annotated[bool, typer.Option(
        "--allow-former", help="Write to an official who has left office.")] = False,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", metavar="FILE", help="Where to write the PDF (`-` for standard output). "
        "Default: CASE_TARGET.pdf in this folder.")] = None,
) -> None:
    """Write a print-ready letter (PDF) about a case to one or more officials."""
    from appealgen import letters

    settings = _settings(ctx)
    request = letters.build_request(
        settings.catalog, case_id, target_ids or [], lang=lang.value, today=settings.today,
        sender_name=sender_name, sender_address=sender_address, sender_locale=sender_locale,
        note=note, paper=paper.value if paper else None, labels=labels,
        after_deadline=after_deadline, allow_former=allow_former)
    _warn(request.warnings)
    destination = output or letters.default_filename(request.letter)
    written = letters.write_letter(request.letter, destination)
    if destination != "-":
        err.print(f"Wrote {written}", markup=False, highlight=False, soft_wrap=True)


CaseOption = Annotated[str | None, typer.Option(
    "--case", metavar="ID", help="Print for every target of this case: primary, additional and copies.")]
TargetsOption = Annotated[list[str] | None, typer.Option(
    "--target", metavar="ID", help="Official whose address to print; repeat for several (instead of "
    "the case's targets).")]
AllowFormer = Annotated[bool, typer.Option("--allow-former", help="Print for an official who has left office.")]
OutputOption = Annotated[str | None, typer.Option(
    "-o", "--output", metavar="FILE", help="Where to write the PDF (`-` for standard output).")]


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        err.print(f"Warning: {warning}", markup=False, highlight=False, soft_wrap=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _wrote(destination: str, written: str, what: str) -> None:
    if destination != "-":
        err.print(f"Wrote {written} ({what})", markup=False, highlight=False, soft_wrap=True)


@app.command("labels")
@reports_errors
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
    sender_locale: SenderLocale = "en_GB",
    output: OutputOption = None,
) -> None:
    """Print address labels for officials on a sheet of sticky labels (PDF).

    Each label carries the Chinese address block and the Latin one, sized to fit; your name and
    address, if given, go small at the foot as the return address."""
    from appealgen import letters, stationery

    settings = _settings(ctx)
    catalog = settings.catalog
    sender = letters.build_sender(sender_name, sender_address, sender_locale)
    sheet = catalog.sheet(sheet_name) if sheet_name else stationery.default_sheet(catalog, sender)
    if calibrate:
        if case_id or target_ids:
            raise AppealgenError("--calibrate prints a test page without addresses",
                                 "leave out --case and --target, then print the labels with the offsets")
        doc = stationery.compose_calibration(sheet, offset_x, offset_y)
        destination = output or stationery.calibration_filename(sheet)
        _wrote(destination, stationery.write_sheets(doc, destination), "calibration page")
        return
    checked = stationery.resolve_targets(catalog, case_id, target_ids or [], settings.today, allow_former)
    _warn(checked.warnings)
    request = stationery.LabelRequest(checked=checked, sheet=sheet, count=count, skip=skip,
                                      offset_x=offset_x, offset_y=offset_y, outline=outline,
                                      sender=sender)
    doc = stationery.compose_labels(request)
    destination = output or stationery.default_filename(checked, "labels", sheet.name)
    labels = _count(sum(len(page.blocks) for page in doc.pages), "label")
    _wrote(destination, stationery.write_sheets(doc, destination),
           f"{labels} on {_count(len(doc.pages), 'sheet')} of {sheet.name}")


@app.command("envelope")
@reports_errors
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
) -> None:
    """Print envelopes for officials (PDF, one page per official at the envelope's size).

    Feed the envelopes face up, landscape. Your address goes top left, the official's Chinese
    and Latin address blocks lower right."""
    from appealgen import letters, stationery

    settings = _settings(ctx)
    catalog = settings.catalog
    sender = letters.build_sender(sender_name, sender_address, sender_locale)
    envelope = catalog.envelope(size) if size else stationery.default_envelope(catalog, sender)
    checked = stationery.resolve_targets(catalog, case_id, target_ids or [], settings.today, allow_former)
    _warn(checked.warnings)
    doc = stationery.compose_envelopes(stationery.EnvelopeRequest(checked, envelope, sender))
    destination = output or stationery.default_filename(checked, "envelopes", envelope.name)
    _wrote(destination, stationery.write_sheets(doc, destination),
           _count(len(doc.pages), f"{envelope.name} envelope"))


@app.command("batch")
@reports_errors
def batch_command(
    ctx: typer.Context,
    supporters: Annotated[Path, typer.Argument(
        metavar="SUPPORTERS", dir_okay=False, help="Supporter list: .csv, .tsv, .txt (Excel Unicode Text) or "
        ".xlsx, with a header row. Columns: name (required), address, city, postcode, country, locale, "
        "lang, case, target, note; a row's case, target and lang override the options.")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="OUTDIR", file_okay=False,
        help="Folder for letters.pdf, labels.pdf, manifest.csv (and letters/ with --per-recipient).")],
    case_id: Annotated[str | None, typer.Option("--case", metavar="ID", help="Case for rows without one.")] = None,
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", help="Official for rows without one; repeat for several "
        "(default: the case's primary targets).")] = None,
    lang: Annotated[LangOption | None, typer.Option(
        "--lang", help="Languages for rows without a lang (default: auto).")] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME",
        help="Label sheet for labels.pdf (default: L7160, or 5160 on Letter paper).")] = None,
    paper: Annotated[PaperOption | None, typer.Option(
        "--paper", help="Paper for every letter (default: what most supporters' countries use).")] = None,
    per_recipient: Annotated[bool, typer.Option(
        "--per-recipient", help="Also write letters/NNNN-name.pdf for each supporter.")] = False,
    duplex: Annotated[bool, typer.Option(
        "--duplex", help="For double-sided printing: every letter starts on an odd page.")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Print the good rows; list the bad ones in the manifest (default: a bad "
        "row stops the run before anything is written).")] = False,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", metavar="ENC", help="Encoding to try after UTF-8, e.g. cp1252 (default: a byte order "
        "mark, UTF-8, GB 18030, then detection).")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", min=0, metavar="N", help="Worker processes (default 0: one per core).")] = 0,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Write even though a case's deadline has passed.")] = False,
    allow_former: AllowFormer = False,
) -> None:
    """Turn a supporter list into a mailing: every row is checked first, then letters, labels
    and a manifest are written into OUTDIR. Run the same command again after an interruption:
    it finishes the job."""
    from appealgen import batch, mailing

    settings = _settings(ctx)
    options = mailing.BatchOptions(
        case_id=case_id, target_ids=tuple(target_ids or ()), lang=lang.value if lang else None, sheet=sheet,
        paper=paper.value if paper else None, per_recipient=per_recipient, duplex=duplex,
        skip_invalid=skip_invalid, encoding=encoding, jobs=jobs, after_deadline=after_deadline,
        allow_former=allow_former)
    if sheet:
        settings.catalog.sheet(sheet)
    plan = mailing.plan(supporters, settings.catalog, options, settings.today,
                        lambda paper: batch.label_sheet(settings.catalog, options, paper))
    _note(f"Read {_count(len(plan.table.rows), 'row')} from {supporters} (encoding: {plan.table.encoding})")
    if plan.table.ignored:
        _note(f"Ignored columns: {', '.join(plan.table.ignored)}")
    _warn(plan.warnings)
    for rejected in plan.rejected:
        _warn([f"skipping row {rejected.row}: {'; '.join(rejected.problems)}"])
    if err.is_terminal:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("Rendering", total=None)
            summary = batch.run_batch(plan, settings.catalog, options, output,
                                      lambda done, total: bar.update(task, completed=done, total=total))
    else:
        summary = batch.run_batch(plan, settings.catalog, options, output)
    if summary.chunks_reused:
        _note(f"Resumed: {summary.chunks_reused} of {summary.chunks_reused + summary.chunks_rendered} parts "
              "were rendered by an earlier run")
    out.print(present.batch_table(summary))
    files = ", ".join(["letters.pdf", "labels.pdf", "manifest.csv", *(["letters/"] if per_recipient else [])])
    _note(f"Wrote {files} in {output}")


def _note(message: str) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)


def main() -> None:
    app(prog_name="appealgen")
