"""The batch job: a supporter list checked row by row (``plan_batch``), then rendered and
written as a mailing (``run_batch``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from appealgen.catalog.loading import Catalog
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
              progress: Callable[[int, int], None] | None = None) -> Summary:
    """Render the planned letters and labels and write the mailing into ``outdir``."""
    return run(checked, catalog, options, outdir, progress)
