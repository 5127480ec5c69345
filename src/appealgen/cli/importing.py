"""``appealgen case import``: a new Urgent Action from its document, with a review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from appealgen.cli.root import case_app, command, note, out, settings, shown


@command(case_app, "import")
def case_import_command(
    ctx: typer.Context,
    document: Annotated[Path, typer.Argument(metavar="FILE", help="The UA document: .pdf, .txt or .md.")],
    case_id: Annotated[str | None, typer.Option(
        "--id", metavar="ID", help="The new case's id (default: from the main person's name).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a case file of the same id.")] = False,
) -> None:
    """Make a case from an Urgent Action document, then list what needs a person."""
    from appealgen.services.importing import ImportOptions, import_case

    report = import_case(settings(ctx).data_dir, ImportOptions(document, case_id, force))
    imported = report.imported
    if report.made_folder:
        out.print(f"Made the data folder {shown(str(report.case_path.parent.parent))} (officials and label "
                  "sheets copied from the shipped data)", markup=False, highlight=False, soft_wrap=True)
    out.print(f"Wrote {shown(str(report.case_path))}", markup=False, highlight=False, soft_wrap=True)
    if imported.new_targets:
        out.print(f"Added draft officials to targets.toml: {', '.join(imported.new_targets)}",
                  markup=False, highlight=False)
    for heading, items in (("Found", imported.found), ("Missing", imported.missing),
                           ("Needs a person", imported.needs_person)):
        if items:
            out.print(f"{heading}:", markup=False, highlight=False)
            for item in items:
                out.print(f"  - {shown(item)}", markup=False, highlight=False, soft_wrap=True)
    if report.problems:
        for problem in report.problems:
            note(f"Error: {problem}")
        note("Hint: fix the file named above, then run `appealgen validate`")
        raise typer.Exit(1)
    out.print("Checks: the data folder is valid (as `appealgen validate`).", markup=False, highlight=False)
