"""``appealgen batch``: a supporter list becomes a mailing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from appealgen.cli import present
from appealgen.cli.completion import complete_case, complete_target
from appealgen.cli.letter import PaperOption, lang_option
from appealgen.cli.root import Interrupted, app, command, err, note, out, settings, warn
from appealgen.cli.stationery import AllowFormer

if TYPE_CHECKING:
    from appealgen.catalog.loading import Catalog
    from appealgen.ledger.store import Record
    from appealgen.mailing.supporters import SupporterTable
    from appealgen.services.batch import BatchOptions, Plan, Summary


@command(app, "batch")
def batch_command(
    ctx: typer.Context,
    supporters: Annotated[Path, typer.Argument(
        metavar="SUPPORTERS", dir_okay=False, help="Supporter list: .csv, .tsv, .txt (Excel Unicode Text) or "
        ".xlsx, with a header row. Columns: name (or first and last name, title), organisation, address "
        "lines 1-3, city, state, postcode, country, locale, lang, case, target, note, named in English, "
        "German, French, Spanish, … or as CRMs export them; a row's case, target and lang override the "
        "options.")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="OUTDIR", file_okay=False,
        help="Folder for letters.pdf, labels.pdf, manifest.csv (and letters/ with --per-recipient).")],
    case_id: Annotated[str | None, typer.Option("--case", metavar="ID", autocompletion=complete_case,
        help="Case for rows without one.")] = None,
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", autocompletion=complete_target,
        help="Official for rows without one; repeat for several "
        "(default: the case's primary targets).")] = None,
    lang: Annotated[str | None, lang_option("Languages for rows without a lang (default: auto).")] = None,
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
        "--encoding", metavar="ENC", help="Encoding of a text file that is not UTF-8, e.g. cp1252, cp1250, "
        "mac-roman, gbk, big5 (default: a byte order mark, UTF-8, else a code page only when just one reads "
        "as names).")] = None,
    worksheet: Annotated[str | None, typer.Option(
        "--worksheet", metavar="NAME", help="Worksheet of an .xlsx to read (default: the first).")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", min=0, metavar="N", help="Worker processes (default 0: one per core).")] = 0,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Write even though a case's deadline has passed.")] = False,
    allow_former: AllowFormer = False,
    column_map: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COLUMN=FIELD", help="Read a column as a field (name, title, given, middle, family, "
        "suffix, organisation, address, address2, address3, number, district, city, state, postcode, "
        "country, locale, lang, case, target, note), or 'ignore' it; repeat for several. A Comment or "
        "Notes column is printed only when mapped to note.")] = None,
    rows: Annotated[str | None, typer.Option(
        "--rows", metavar="LIST", help="Reprint only these rows (as the manifest numbers them), e.g. 17,42-45: "
        "their letters, labels and manifest go to OUTDIR/reprint-rows-LIST/, the mailing beside it untouched."
        )] = None,
) -> None:
    """Turn a supporter list into a mailing: every row is checked first, then letters, labels
    and a manifest are written into OUTDIR. Run the same command again after an interruption:
    it finishes the job."""
    from appealgen.i18n import counted
    from appealgen.mailing.rows import row_list
    from appealgen.services.batch import BatchOptions, parse_rows, plan_batch, reprint_folder, warm_up

    try:
        selected = parse_rows(rows) if rows is not None else ()
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--rows'") from None

    current = settings(ctx)
    options = BatchOptions(
        case_id=case_id, target_ids=tuple(target_ids or ()), lang=lang, sheet=sheet,
        paper=paper.value if paper else None, per_recipient=per_recipient, duplex=duplex,
        skip_invalid=skip_invalid, encoding=encoding, worksheet=worksheet, jobs=jobs,
        after_deadline=after_deadline, allow_former=allow_former, rows=selected,
        column_map=tuple(column_map or ()))
    record = current.recorder()
    warm_up()
    try:
        plan = plan_batch(supporters, current.catalog, options, current.today)
    except KeyboardInterrupt:
        note("Interrupted while the list was being checked; nothing was written")
        raise typer.Exit(130) from None
    note(read_line(plan.table, counted(len(plan.table.rows), "row"))
         + (f"; reprinting only {row_list(list(selected))}" if selected else ""))
    note(f"Columns: {plan.table.columns.describe()}")
    for warning in plan.warnings:
        warn(warning)
    for rejected in plan.rejected:
        warn(f"skipping row {rejected.row}: {'; '.join(rejected.problems)}")
    summary = _render(plan, current.catalog, options, output, record, current.today)
    if selected:
        output = output / reprint_folder(selected)
    if summary.finished_before:
        note(f"Nothing to do: {output} already holds this mailing ({counted(summary.letters, 'letter')}); "
             "delete it or change the list to render again")
        return
    if summary.chunks_reused:
        note(f"Resumed: {summary.chunks_reused} of {summary.chunks_reused + summary.chunks_rendered} parts "
             "were rendered by an earlier run")
    if summary.no_return_address:
        warn(f"{counted(summary.no_return_address, 'label')} had no room for the return address and "
             "left it off (the label column of manifest.csv names them)")
    if summary.others_in_letters:
        warn(f"{output / 'letters'} also holds {counted(summary.others_in_letters, 'file')} appealgen did not write, "
             "left as they are: move them out before printing the folder")
    out.print(present.batch_table(summary))
    files = ", ".join(["letters.pdf", "labels.pdf", "manifest.csv", *(["letters/"] if per_recipient else [])])
    note(f"Wrote {files} in {output}")


def _render(plan: Plan, catalog: Catalog, options: BatchOptions, output: Path, record: Record,
            today: dt.date) -> Summary:
    """Run the batch with a progress bar on a terminal; on Ctrl-C (or SIGTERM), say how far it
    got: the same command resumes from there."""
    from appealgen.services.batch import run_batch

    done = [0, 0]

    def progress(finished: int, total: int) -> None:
        done[:] = [finished, total]
        if bar is not None:
            bar.update(task, completed=finished, total=total)

    bar: Any = None
    try:
        if not err.is_terminal:
            return run_batch(plan, catalog, options, output, progress, record, today)
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("Rendering", total=None)
            return run_batch(plan, catalog, options, output, progress, record, today)
    except (KeyboardInterrupt, Interrupted) as stop:
        note(f"Interrupted after {done[0]} of {done[1]} parts; run the same command again to finish")
        if isinstance(stop, KeyboardInterrupt):
            raise typer.Exit(130) from None
        raise


def read_line(table: SupporterTable, rows: str) -> str:
    """What was read: the encoding (with the values a guessed one reads, and the delimiter where it is
    not the file type's own), or the worksheet
    (of how many) and where its header is."""
    if not table.sheet:
        guessed = f", guessed: {', '.join(table.guessed)}" if table.guessed else ""
        separated = f", {table.separated}-separated" if table.separated else ""
        line = f"Read {rows} from {table.path} (encoding: {table.encoding}{guessed}{separated})"
        return line + (f", header on row {table.header_row}" if table.header_row != 1 else "")
    line = f'Read {rows} from {table.path}, sheet "{table.sheet}"'
    if len(table.sheets) > 1:
        from appealgen.mailing.supporters import sheet_list

        searched = "; the first with a name column" if table.sheet_searched else ""
        line += f" (of {len(table.sheets)}: {sheet_list(table.sheets)}{searched})"
    line += f", header on row {table.header_row}" if table.header_row != 1 else ""
    if table.hidden_rows:  # a filter hid them: the user may have meant to leave them out
        from appealgen.mailing.rows import row_list

        one = len(table.hidden_rows) == 1
        line += (f"; {row_list(list(table.hidden_rows))}, hidden in the sheet, {'is' if one else 'are'} read too "
                 f"(delete {'it' if one else 'them'} to leave {'it' if one else 'them'} out)")
    if table.hidden_columns:
        names = ", ".join(repr(title) for title in table.hidden_columns)
        line += f"; hidden column{'s' if len(table.hidden_columns) > 1 else ''} {names} read too"
    return line
