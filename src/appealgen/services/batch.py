"""The batch job: a supporter list checked row by row (``plan_batch``), then rendered and
written as a mailing (``run_batch``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from appealgen.catalog.loading import Catalog
from appealgen.ledger.store import Action, Record, no_record
from appealgen.mailing.rows import BatchOptions, Plan, plan, row_list
from appealgen.mailing.run import Summary, label_sheet, run

__all__ = ["BatchOptions", "Plan", "Summary", "parse_rows", "plan_batch", "reprint_folder", "run_batch"]

_ROW_SPEC = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")
MAX_REPRINT_ROWS = 100_000


def parse_rows(text: str) -> tuple[int, ...]:
    """``17,42-45`` → (17, 42, 43, 44, 45), in order, each once; ``ValueError`` saying what is wrong."""
    numbers: dict[int, None] = {}
    for part in text.split(","):
        match = _ROW_SPEC.fullmatch(part)
        if not match:
            raise ValueError(f"{part.strip()!r} is not a row number or range: write rows as 17,42-45")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 2 or last < first or last - first > MAX_REPRINT_ROWS:
            raise ValueError(f"{part.strip()!r} is not a range of supporter rows (the header is row 1; "
                             "write the smaller number first)")
        numbers.update(dict.fromkeys(range(first, last + 1)))
    return tuple(sorted(numbers))


def reprint_folder(rows: tuple[int, ...]) -> str:
    """The folder in OUTDIR for a reprint of ``rows``: ``reprint-rows-17,42-45`` (a long list
    is named by its first and last row and a hash)."""
    text = row_list(list(rows)).split(" ", 1)[1].replace(", ", ",")
    if len(text) > 40:
        text = f"{rows[0]}-{rows[-1]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return f"reprint-rows-{text}"


def warm_up() -> None:
    """Start loading the PDF engine for the render workers now, while the list is checked."""
    from appealgen.mailing.run import warm_up as start

    start()


def plan_batch(supporters: Path, catalog: Catalog, options: BatchOptions, today: dt.date) -> Plan:
    """Read ``supporters`` and check every row (only ``options.rows`` if given) and that its
    labels fit the mailing's sheet; raise every problem at once unless ``options.skip_invalid``."""
    if options.sheet:
        catalog.sheet(options.sheet)
    if options.case_id:  # an option's value is not supporter data: named once, before any row
        catalog.case(options.case_id)
    for target_id in options.target_ids:
        catalog.target(target_id)
    return plan(supporters, catalog, options, today, lambda paper: label_sheet(catalog, options, paper))


def run_batch(checked: Plan, catalog: Catalog, options: BatchOptions, outdir: Path,
              progress: Callable[[int, int], None] | None = None, record: Record = no_record,
              today: dt.date | None = None) -> Summary:
    """Render the planned letters and labels and write the mailing into ``outdir``; a reprint
    (``options.rows``) goes to its own folder in it (``reprint_folder``), the mailing's files
    beside it untouched. Then ``record`` its letters (per case, official and language) and
    labels, dated ``today``; a mailing that was already complete printed nothing new."""
    if options.rows:
        outdir = outdir / reprint_folder(options.rows)
    summary = run(checked, catalog, options, outdir, progress)
    if summary.finished_before:
        return summary
    letters: Counter[tuple[str, str, str]] = Counter()
    labels: Counter[tuple[str, str]] = Counter()
    for item in checked.planned:
        for letter in item.letters:
            letters[(item.case.id, letter.target_id, letter.lang)] += 1
        for target in item.targets:
            labels[(item.case.id, target.id)] += 1
    day = today or dt.date.today()
    record([*(Action(case, target, "letter", lang, n, day) for (case, target, lang), n in letters.items()),
            *(Action(case, target, "label", "", n, day) for (case, target), n in labels.items())])
    return summary
