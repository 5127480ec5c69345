"""``appealgen case import``: a new Urgent Action from its document, with a review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from appealgen.cli.root import case_app, command, note, out, settings, shown

if TYPE_CHECKING:
    from appealgen.catalog.officials import Official
    from appealgen.services.importing import ImportReport


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

    _print_report(import_case(settings(ctx).data_dir, ImportOptions(document, case_id, force)))


def _print_report(report: ImportReport) -> None:
    """What was written, the review (found, missing, needs a person), then the validate checks."""
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


def _ask(text: str, default: str = "") -> str:
    answer: str = typer.prompt(text, default=default, show_default=bool(default))
    return answer.strip()


def _ask_many(text: str) -> list[str]:
    """Answers until an empty one."""
    answers = []
    while answer := _ask(f"{text} (empty to end)"):
        answers.append(answer)
    return answers


def _ask_officials(role: str, what: str, known: set[str]) -> list[Official]:
    from appealgen.catalog.officials import Official

    officials = []
    while name := _ask(f"{what}: name as `appealgen targets` lists it, or a new official's name (empty to end)"):
        official = Official(role=role, line=0, name=name)
        if name.lower() not in known:
            official.title = _ask(f"Title of {name} (e.g. Director, Prison Administration Bureau)")
            official.address = _ask_many(f"Address line of {name}, in Latin letters, country last")
            official.salutation = _ask(f"Salutation for {name}", f"Dear {official.title},")
        officials.append(official)
    return officials


def _known_names(data_dir: Path | None) -> set[str]:
    """The officials' names of the data folder (the shipped ones for a folder still to be made)."""
    from appealgen.catalog.loading import load_catalog
    from appealgen.errors import AppealgenError

    try:
        catalog = load_catalog(data_dir if data_dir and data_dir.exists() else None)
    except AppealgenError:
        return set()
    return {target.name_en.lower() for target in catalog.targets.values()}


@command(case_app, "new")
def case_new_command(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Replace a case file of the same id.")] = False,
) -> None:
    """Make a case by answering questions (for a UA that came as a web page or an email)."""
    import datetime as dt

    from appealgen.catalog.importing import Draft, Found, PersonDraft, slug
    from appealgen.services.importing import required_data_dir, save_draft

    data_dir = required_data_dir(settings(ctx).data_dir)  # before the questions, not after them
    draft = Draft()
    draft.title = Found(_ask("Title of the Urgent Action"), 0)
    if reference := _ask("UA number (e.g. UA 26/23; empty if none)", ""):
        draft.reference = Found(reference, 0)
    draft.summary = Found(_ask("Summary (one paragraph)"), 0)
    while draft.deadline is None:
        try:
            draft.deadline = (dt.date.fromisoformat(_ask("Take action until (YYYY-MM-DD)")), 0)
        except ValueError:
            note("Write the date as YYYY-MM-DD, e.g. 2026-12-31.")
    wanted = [w.strip().lower() for w in _ask("Preferred languages", "Chinese, English").split(",")]
    draft.languages = ([{"chinese": "zh", "english": "en"}[w] for w in wanted if w in ("chinese", "english")], 0)
    while name := _ask("Person concerned (empty to end)"):
        pronouns = ""
        while pronouns not in ("she/her", "he/him", "they/them"):
            pronouns = _ask(f"Pronouns of {name} (she/her, he/him, they/them)")
        name_zh = _ask(f"Chinese name of {name}, as the UA writes it (empty if it gives none)", "")
        draft.people.append(PersonDraft(name, pronouns, 0, name_zh=Found(name_zh, 0) if name_zh else None))
    known = _known_names(data_dir)
    draft.officials = [*_ask_officials("primary", "Official to write to", known),
                       *_ask_officials("additional", "Additional target", known),
                       *_ask_officials("copy", "Copy to", known)]
    draft.paragraphs = [Found(p, 0) for p in _ask_many("Model letter paragraph")]
    draft.asks_intro = Found(_ask("Before the asks", "I therefore urge you to:"), 0)
    draft.asks = [Found(a, 0) for a in _ask_many("Ask")]
    if previous := _ask("Link to the previous UA (empty if none)", ""):
        draft.previous_ua = Found(previous, 0)
    source = _ask("Where the UA came from (its web address, or the email's date and sender)")
    first = next((p.name for p in draft.people), "")
    case_id = _ask("Case id", slug(first) if first else "")
    report = save_draft(data_dir, draft, case_id, source, force=force)
    _print_report(report)
