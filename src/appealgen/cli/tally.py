"""``appealgen tally``: the action ledger read back (counts, the report-back text), actions taken
outside appealgen added, and the ledgers of several laptops merged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from appealgen.cli.completion import complete_case, complete_target
from appealgen.cli.root import app, command, note, out, settings
from appealgen.errors import AppealgenError

if TYPE_CHECKING:
    from appealgen.ledger.store import Action

tally_app = typer.Typer(help="Count the actions taken: letters, emails, calls, posts.", no_args_is_help=False)
app.add_typer(tally_app, name="tally")


LedgerOption = Annotated[Path | None, typer.Option(
    "--ledger", metavar="FILE", dir_okay=False, help="The ledger to read and write (default: as for every "
    "command: --ledger before the command, APPEALGEN_LEDGER, or ledger.sqlite in your data folder).")]


def _ledger(ctx: typer.Context, here: Path | None) -> Path:
    return here or settings(ctx).ledger


class ByOption(StrEnum):
    target = "target"
    channel = "channel"
    day = "day"
    lang = "lang"


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AppealgenError(f"{option} must be a date as YYYY-MM-DD, not {value!r}") from None


def _actions(ledger_path: Path, case_id: str | None = None, since: dt.date | None = None,
             until: dt.date | None = None) -> list[Action]:
    """The ledger's rows; none if nothing was ever recorded (reading creates no file)."""
    from appealgen.ledger.store import Ledger

    if not ledger_path.exists():
        return []
    with Ledger.open(ledger_path, read_only=True) as ledger:
        return ledger.actions(case_id, since, until)


@tally_app.callback(invoke_without_command=True)
def tally_command(
    ctx: typer.Context,
    case_id: Annotated[str | None, typer.Option("--case", metavar="ID", autocompletion=complete_case,
        help="Only this case.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="From this day.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD", help="To this day.")] = None,
    by: Annotated[list[ByOption] | None, typer.Option(
        "--by", help="Count per official (default), channel, day or language; repeat to combine.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, for a spreadsheet.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, for a program.")] = False,
    ledger: LedgerOption = None,
) -> None:
    """Count what was made and done, per case and channel: a table, CSV or JSON."""
    if ctx.invoked_subcommand:
        return
    from appealgen.ledger.tally import group_keys, tally

    try:
        path = _ledger(ctx, ledger)
        keys = [b.value for b in by] if by else ["target"]
        rows = tally(_actions(path, case_id, _date(since, "--since"), _date(until, "--until")), keys)
    except AppealgenError as exc:
        for line in exc.lines():
            note(line)
        raise typer.Exit(1) from None
    columns = [*group_keys(keys), "count"]
    if as_json:
        out.file.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif as_csv:
        _print_csv(columns, rows)
    elif not rows:
        note(f"Nothing recorded in {path}")
    else:
        from rich.table import Table

        table = Table(*columns)
        for row in rows:
            table.add_row(*(str(row[c]) for c in columns))
        out.print(table)


def _print_csv(columns: list[str], rows: list[dict[str, str | int]]) -> None:
    from appealgen.mailing.manifest import excel_safe

    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: excel_safe(str(v)) for k, v in row.items()} for row in rows)
    out.file.write(buffer.getvalue())


@command(tally_app, "add")
def add_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Option("--case", metavar="ID", autocompletion=complete_case,
        help="The case the actions were about.")],
    target_id: Annotated[str | None, typer.Option("--target", metavar="ID", autocompletion=complete_target,
        help="The official they went to.")] = None,
    letters: Annotated[int, typer.Option("--letters", min=0, metavar="N", help="Printed letters sent.")] = 0,
    handwritten: Annotated[int, typer.Option("--handwritten", min=0, metavar="N",
                                             help="Handwritten letters sent.")] = 0,
    emails: Annotated[int, typer.Option("--emails", min=0, metavar="N", help="Emails sent.")] = 0,
    faxes: Annotated[int, typer.Option("--faxes", min=0, metavar="N", help="Faxes sent.")] = 0,
    calls: Annotated[int, typer.Option("--calls", min=0, metavar="N", help="Calls made.")] = 0,
    posts: Annotated[int, typer.Option("--posts", min=0, metavar="N", help="Social media posts.")] = 0,
    ledger: LedgerOption = None,
) -> None:
    """Count actions taken outside appealgen (handwritten letters at an event, calls, posts)."""
    from appealgen.ledger.store import Action, recorder
    from appealgen.ledger.tally import counts_text

    current = settings(ctx)
    current.catalog.case(case_id)
    if target_id:
        current.catalog.target(target_id)
    counts = {"letter": letters, "handwritten": handwritten, "email": emails, "fax": faxes, "call": calls,
              "post": posts}
    actions = [Action(case_id, target_id or "", channel, "", n, current.today) for channel, n in counts.items() if n]
    if not actions:
        raise AppealgenError("nothing to add", "give a count, e.g. --handwritten 12")
    path = _ledger(ctx, ledger)
    recorder(path)(actions)
    note(f"Added {counts_text(counts)} on {case_id} to {path}")


@command(tally_app, "merge")
def merge_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Ledgers of other computers.")],
    ledger: LedgerOption = None,
) -> None:
    """Add the actions of other ledgers to this one; an action already here is not counted again."""
    from appealgen.ledger.store import Ledger

    path = _ledger(ctx, ledger)
    sources = []
    try:
        for file in files:  # every file checked before any is merged
            sources.append(Ledger.open(file, read_only=True))
        with Ledger.open(path) as into:
            for file, source in zip(files, sources, strict=True):
                added, known = into.merge(source)
                note(f"Merged {file}: {added} new, {known} already counted")
    finally:
        for source in sources:
            source.close()


@command(tally_app, "report")
def report_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Option("--case", metavar="ID", autocompletion=complete_case,
        help="The case to report on.")],
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="From this day.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD", help="To this day.")] = None,
    ledger: LedgerOption = None,
) -> None:
    """The report-back text for your section: the actions on a case, to whom, and when."""
    from appealgen.ledger.tally import report

    current = settings(ctx)
    actions = _actions(_ledger(ctx, ledger), case_id, _date(since, "--since"), _date(until, "--until"))
    out.print(report(current.catalog, case_id, actions), markup=False, highlight=False, soft_wrap=True)
