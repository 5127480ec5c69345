"""Browsing and checking: ``cases``, ``case show``, ``targets``, ``validate``, ``doctor``."""

from __future__ import annotations

import codecs
import json
import sys
from typing import Annotated, Any

import typer

from appealgen.cli import present
from appealgen.cli.completion import complete_case
from appealgen.cli.root import app, case_app, command, note, out, settings, shown

JsonOption = Annotated[bool, typer.Option("--json", help="Print every field as JSON, for scripts.")]


def _print_json(records: Any) -> None:
    # Where standard output is not UTF-8 (LC_ALL=C), \u escapes keep the JSON whole and equal.
    utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    sys.stdout.write(json.dumps(records, ensure_ascii=not utf8, indent=2) + "\n")


@command(app, "cases")
def cases_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every case with its deadline and whether it is still open."""
    current = settings(ctx)
    cases = list(current.catalog.cases.values())
    if as_json:
        _print_json([case.model_dump(mode="json") for case in cases])
        return
    out.print(present.cases_table(cases, current.today))


@command(case_app, "show")
def case_show_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_case,
        help="Case id, as `appealgen cases` lists it.")],
    as_json: JsonOption = False,
) -> None:
    """Show one case in full: people, asks, targets and the letter text."""
    current = settings(ctx)
    case = current.catalog.case(case_id)
    if as_json:
        _print_json(case.model_dump(mode="json"))
        return
    present.print_case(out, case, current.catalog, current.today)


@command(app, "targets")
def targets_command(
    ctx: typer.Context,
    case_id: Annotated[str | None, typer.Option("--case", metavar="ID", autocompletion=complete_case,
                                                help="Only the targets of this case.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the officials letters can be addressed to, and whether they are still in office."""
    current = settings(ctx)
    catalog = current.catalog
    targets = (catalog.targets_of(catalog.case(case_id)) if case_id
               else list(catalog.targets.values()))
    if as_json:
        _print_json([target.model_dump(mode="json") for target in targets])
        return
    out.print(present.targets_table(targets, catalog, current.today))


@command(app, "validate")
def validate_command(ctx: typer.Context) -> None:
    """Check the data directory; list every problem with its file and key."""
    catalog = settings(ctx).catalog
    out.print(f"OK: {len(catalog.cases)} cases and {len(catalog.targets)} targets, "
              f"{catalog.sheet_count()} label sheets and {len(catalog.envelopes)} envelopes in "
              f"{shown(str(catalog.data_dir))} are valid.", highlight=False, markup=False, soft_wrap=True)


@app.command("doctor")
def doctor_command() -> None:
    """Check this machine: fonts, HarfBuzz subsetting, Pango and WeasyPrint."""
    from appealgen.services import doctor

    checks = doctor.run_checks()
    out.print(present.doctor_table(checks))
    failed = [check for check in checks if not check.ok]
    for check in failed:
        note(f"Fix ({check.name}): {check.fix}")
    if failed:
        raise typer.Exit(1)
    out.print("All checks passed: appealgen can print letters on this machine.")
