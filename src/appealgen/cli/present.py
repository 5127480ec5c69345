"""Rich tables and panels for the browsing commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from appealgen.catalog.loading import Catalog
    from appealgen.catalog.models import Case, Target
    from appealgen.mailing.run import Summary
    from appealgen.services.doctor import Check


def case_status(case: Case, today: dt.date) -> str:
    days = case.days_past_deadline(today)
    if days <= 0:
        return "open"
    return f"expired {days} day{'s' if days != 1 else ''} ago"


def target_status(target: Target, catalog: Catalog, today: dt.date) -> str:
    if not target.is_former(today):
        return "in office"
    status = f"left office on {target.left_office}"
    if target.successor:
        successor = catalog.targets.get(target.successor)
        status += f" → {target.successor}" + (f" ({successor.name_en})" if successor else "")
    return status


def cases_table(cases: Iterable[Case], today: dt.date) -> Table:
    table = Table(title=f"Cases (today is {today})", title_justify="left")
    for column in ("id", "reference", "people", "deadline", "status"):
        table.add_column(column, overflow="fold", no_wrap=column in ("id", "deadline"))
    for case in cases:
        status = case_status(case, today)
        table.add_row(case.id, case.reference or "—", case.people_names(), str(case.deadline),
                      Text(status, style="green" if status == "open" else "red"))
    return table


def targets_table(targets: Iterable[Target], catalog: Catalog, today: dt.date) -> Table:
    table = Table(title=f"Targets (today is {today})", title_justify="left")
    for column in ("id", "name", "title", "status", "verified"):
        table.add_column(column, overflow="fold", no_wrap=column in ("id", "verified"))
    for target in targets:
        name = target.name_en + (f"\n{target.name_zh}" if target.name_zh else "")
        status = target_status(target, catalog, today)
        table.add_row(target.id, name, target.title_en,
                      Text(status, style="green" if status == "in office" else "yellow"),
                      str(target.verified_on))
    return table


def print_case(console: Console, case: Case, catalog: Catalog, today: dt.date) -> None:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    people = "; ".join(f"{p.name_en}" + (f" {p.name_zh}" if p.name_zh else "") + f" ({p.pronouns})"
                       for p in case.people)
    rows = [("id", case.id), ("reference", case.reference or "—"),
            *([("AI index", case.ai_index)] if case.ai_index else []), ("title", case.title_en),
            ("title (zh)", case.title_zh or "—"), ("people", people),
            ("deadline", f"{case.deadline} ({case_status(case, today)})"),
            ("languages", ", ".join(case.languages)),
            *((label, ", ".join(ids) or "—") for label, ids in (
                ("primary targets", case.primary_targets), ("additional targets", case.additional_targets),
                ("copies", case.copies))),
            ("previous UA", case.previous_ua or "—"), ("sources", "\n".join(case.sources)),
            ("verified on", str(case.verified_on))]
    for label, value in rows:
        facts.add_row(label, Text(value))
    console.print(Panel(facts, title=escape(case.title_en), title_align="left"))
    console.print(Text(case.summary_en))
    for lang, letter in (("English", case.letter.en), ("Chinese", case.letter.zh)):
        if letter is None:
            console.print(Text("No Chinese letter text yet: letters print in English, with the Chinese address slip."))
            continue
        body = [Text(p + "\n") for p in letter.paragraphs]
        body.append(Text(letter.asks_intro))
        body.extend(Text(f" • {ask}") for ask in letter.asks)
        console.print(Panel(Group(*body), title=f"Model letter ({lang})", title_align="left"))
    console.print(targets_table(catalog.targets_of(case), catalog, today))


def doctor_table(checks: Iterable[Check]) -> Table:
    table = Table(title="appealgen doctor", title_justify="left")
    for column in ("check", "result", "found"):
        table.add_column(column, overflow="fold")
    for check in checks:
        table.add_row(check.name, Text("ok" if check.ok else "FAILED", style="green" if check.ok else "red"),
                      Text(check.found))
    return table


def batch_table(summary: Summary) -> Table:
    """Letters per case and target, then the run's totals: a letter is one supporter's to one
    official, in one or more languages (its versions)."""
    table = Table(title="Batch", title_justify="left")
    table.add_column("case")
    table.add_column("target")
    table.add_column("letters", justify="right")
    for (case, target), count in sorted(summary.by_case_target.items()):
        table.add_row(case, target, str(count))
    table.add_section()
    for label, value in (("rows read", summary.rows), ("rows skipped", len(summary.skipped)),
                         ("supporters", summary.supporters), ("letters", summary.letters),
                         ("language versions", summary.versions), ("pages", summary.pages),
                         ("labels", summary.labels), ("label sheets", summary.label_sheets),
                         ("encoding", summary.encoding), ("time", f"{summary.seconds:.1f} s")):
        table.add_row(label, "", str(value))
    return table
