"""The call job: a script for phoning one official about a case, with the number, the
office's local time and what to say; and the call's outcome, counted in the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from appealgen.catalog.loading import Catalog
from appealgen.compose.calls import CallScript, compose_call
from appealgen.errors import AppealgenError
from appealgen.ledger.store import Action, Record, no_record
from appealgen.policy import review
from appealgen.services.common import Warn, ignore

Outcome = Literal["reached", "voicemail", "no-answer"]
COUNTED: tuple[Outcome, ...] = ("reached", "voicemail")
"""Outcomes that put the message across, so count as a call in the report-back."""


@dataclass(frozen=True)
class CallOptions:
    """One ``appealgen call``: a case, one official with a phone number, the moment (default:
    now) and, once the call is made, its outcome."""

    case_id: str
    target_id: str
    now: dt.datetime | None = None
    outcome: Outcome | None = None
    after_deadline: bool = False
    allow_former: bool = False


def parse_now(value: str) -> dt.datetime:
    """``--now`` as an aware datetime; without an offset, in this computer's time zone."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise AppealgenError(f"--now {value!r} is not an ISO date and time",
                             "write it like 2023-05-02T14:30+01:00") from None
    return moment if moment.tzinfo else moment.astimezone()


def call_script(catalog: Catalog, options: CallOptions, today: dt.date, warn: Warn = ignore,
                record: Record = no_record) -> CallScript:
    """The script for the call, after the checks ``letter`` makes (deadline, former official);
    an official without a phone number is refused, naming the case's officials that have one.
    With an ``outcome``, ``record`` one call if it reached the office or its voicemail."""
    case = catalog.case(options.case_id)
    target = catalog.target(options.target_id)
    if not target.phone:
        has = [t for t in case.target_ids if catalog.target(t).phone]
        raise AppealgenError(
            f"{target.name_en} ({target.id}) has no phone number in the data",
            f"officials of case {case.id} with one: {', '.join(has)}; choose one with --target" if has
            else f"no official of case {case.id} has one: write a letter or an email instead")
    for warning in review(case, [target], today, catalog.targets, after_deadline=options.after_deadline,
                          allow_former=options.allow_former).enforce():
        warn(warning)
    now = options.now or dt.datetime.now(dt.UTC)
    script = compose_call(case, target, now)
    if options.outcome in COUNTED:
        record([Action(case.id, target.id, "call", "", 1, today)])
    return script
