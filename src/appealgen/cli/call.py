"""``appealgen call``: a call script for one official with a phone number, and the outcome."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from appealgen.cli.completion import CaseArgument
from appealgen.cli.root import app, command, note, out, settings, warn


class OutcomeOption(StrEnum):
    reached = "reached"
    voicemail = "voicemail"
    no_answer = "no-answer"


@command(app, "call")
def call_command(
    ctx: typer.Context,
    case_id: CaseArgument,
    target_id: Annotated[str, typer.Option(
        "--target", metavar="ID", help="Official to call (one with a phone number).")],
    outcome: Annotated[OutcomeOption | None, typer.Option(
        "--outcome", help="How the call went: reached and voicemail count as a call in the ledger; "
        "no-answer counts nothing.")] = None,
    now: Annotated[str | None, typer.Option(
        "--now", metavar="DATETIME", help="Take this as the time now (ISO, e.g. 2023-05-02T14:30+01:00), "
        "for the office's local time.")] = None,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Call even though the case's deadline has passed.")] = False,
    allow_former: Annotated[bool, typer.Option(
        "--allow-former", help="Call an official who has left office.")] = False,
) -> None:
    """Print a call script: the official's number, their local time and office hours, and what to
    say in English and Chinese. Then give --outcome to count the call."""
    from appealgen.services.call import CallOptions, call_script, parse_now

    current = settings(ctx)
    options = CallOptions(case_id=case_id, target_id=target_id, now=parse_now(now) if now else None,
                          outcome=outcome.value if outcome else None,
                          after_deadline=after_deadline, allow_former=allow_former)
    script = call_script(current.catalog, options, current.today, warn, current.recorder())
    for line in script.header:
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    for saying in script.sayings:
        out.print()
        out.print(saying.heading, style="bold", markup=False, highlight=False)
        for line in saying.lines:
            out.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    if outcome is None:
        note(f"After the call: appealgen call {case_id} --target {target_id} --outcome reached|voicemail|no-answer")
    elif outcome is OutcomeOption.no_answer:
        note("Not counted: nobody answered. Try again within office hours.")
    else:
        note(f"Counted 1 call to {script.target_id} ({outcome.value}).")
