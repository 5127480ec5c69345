"""The ledger read back: counts grouped as asked, and the report-back sentence an Urgent Action
asks for ("let us know the actions you took")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from babel.dates import format_date

from appealgen.catalog.loading import Catalog
from appealgen.ledger.store import ACTION_CHANNELS, CHANNELS, Action

GROUPS = ("case", "target", "channel", "lang", "day")

# What the report calls each channel, one and many.
_NOUNS = {"letter": ("letter", "letters"), "handwritten": ("handwritten letter", "handwritten letters"),
          "email": ("email", "emails"), "fax": ("fax", "faxes"), "call": ("call", "calls"),
          "post": ("post", "posts")}


def _value(action: Action, key: str) -> str:
    return {"case": action.case_id, "target": action.target, "channel": action.channel, "lang": action.lang,
            "day": action.day.isoformat()}[key]


def group_keys(by: Sequence[str]) -> list[str]:
    """The columns of a tally grouped ``by`` these: the case first, the channel always (a label
    is not a letter), each once."""
    return list(dict.fromkeys(["case", *by, "channel"]))


def tally(actions: Sequence[Action], by: Sequence[str]) -> list[dict[str, str | int]]:
    """One row per group (``group_keys(by)``) with its ``count``, in a stable order: the keys
    sorted, channels in the order of ``CHANNELS``."""
    keys = group_keys(by)
    counts: Counter[tuple[str, ...]] = Counter()
    for action in actions:
        counts[tuple(_value(action, key) for key in keys)] += action.count

    def order(group: tuple[str, ...]) -> tuple[object, ...]:
        return tuple(CHANNELS.index(v) if k == "channel" and v in CHANNELS else v
                     for k, v in zip(keys, group, strict=True))

    return [{**dict(zip(keys, group, strict=True)), "count": counts[group]} for group in sorted(counts, key=order)]


def report(catalog: Catalog, case_id: str, actions: Sequence[Action]) -> str:
    """``UA 26/23: 37 letters, 5 emails, 2 calls to Chen Xiaojiang and Qin Gang, 1–15 May 2023``:
    the actions (not the labels and envelopes) on the case, the officials by their English names
    in alphabetical order, and the days from the first to the last."""
    case = catalog.case(case_id)
    name = case.reference or case.title_en
    done = [a for a in actions if a.case_id == case_id and a.channel in ACTION_CHANNELS]
    if not done:
        return f"{name}: no actions recorded"
    per_channel: Counter[str] = Counter()
    for action in done:
        per_channel[action.channel] += action.count
    counts = counts_text(per_channel)
    known = {t.id: t.name_en for t in catalog.targets.values()}
    names = sorted({known.get(a.target, a.target) for a in done if a.target})
    to = f" to {_and(names)}" if names else ""
    return f"{name}: {counts}{to}, {date_range(min(a.day for a in done), max(a.day for a in done))}"


def counts_text(per_channel: Mapping[str, int]) -> str:
    """``37 letters, 1 email, 2 calls``: the action channels with a count, in a fixed order."""
    return ", ".join(f"{n} {_NOUNS[c][n != 1]}" for c in ACTION_CHANNELS if (n := per_channel.get(c, 0)))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def date_range(first: dt.date, last: dt.date) -> str:
    """``1 May 2023``, ``1–15 May 2023``, ``28 April – 15 May 2023``, ``30 December 2022 – 2 January 2023``."""
    def full(day: dt.date) -> str:
        return format_date(day, "d MMMM y", locale="en_GB")

    if first == last:
        return full(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{full(last)}"
    if first.year == last.year:
        return f"{format_date(first, 'd MMMM', locale='en_GB')} – {full(last)}"
    return f"{full(first)} – {full(last)}"
