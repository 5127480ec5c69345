"""The batch job: a supporter list checked row by row (``plan_batch``), then rendered and
written as a mailing (``run_batch``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from appealgen.catalog.loading import Catalog
from appealgen.ledger.store import Action, Record, no_record
from appealgen.mailing.rows import BatchOptions, Plan, plan
from appealgen.mailing.run import Summary, label_sheet, run

__all__ = ["BatchOptions", "Plan", "Summary", "plan_batch", "run_batch"]


def plan_batch(supporters: Path, catalog: Catalog, options: BatchOptions, today: dt.date) -> Plan:
    """Read ``supporters`` and check every row (and that its labels fit the mailing's sheet);
    raise every problem at once unless ``options.skip_invalid``."""
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
    """Render the planned letters and labels and write the mailing into ``outdir``; then
    ``record`` its letters (per case, official and language) and labels, dated ``today``."""
    summary = run(checked, catalog, options, outdir, progress)
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
