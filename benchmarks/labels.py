"""Label sheets of a mailing: each sheet laid out whole by WeasyPrint, against stamps.

1,000 labels (one per supporter of benchmarks/batch.py's list, each with its return address)
on L7160, in documents of 20 sheets as ``appealgen batch`` renders them, joined into one
``labels.pdf`` as the batch joins them. Prints the CPU seconds of each renderer in this one
process (WeasyPrint imported and warmed before the clock starts), their ratio and the sizes
of the joined files (goal: stamps ≲ 1.5 s).

    .venv/bin/python benchmarks/labels.py [--labels 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import CASE, TODAY, supporters

SHEETS_PER_DOCUMENT = 20  # mailing.run.LABEL_SHEETS_PER_TASK


def label_documents(count: int, folder: Path) -> list[object]:
    from appealgen.catalog.loading import load_catalog
    from appealgen.compose.label_sheets import LabelFitter, label_pages
    from appealgen.compose.sheets import SheetDocument
    from appealgen.mailing.rows import BatchOptions, plan

    catalog = load_catalog()
    csv_path = folder / "supporters.csv"
    supporters(csv_path, count)
    options = BatchOptions(case_id=CASE[1], target_ids=(CASE[3],), after_deadline=True)
    planned = plan(csv_path, catalog, options, dt.date.fromisoformat(TODAY)).planned
    sheet = catalog.sheet("L7160")
    items = [(target, p.sender) for p in planned for target in p.targets]
    pages = label_pages(sheet, items, fitter=LabelFitter(sheet, return_if_room=True))
    width, height = sheet.paper_size
    return [SheetDocument(title="Address labels", subject=f"Labels on {sheet.name}", width=width, height=height,
                          pages=pages[at:at + SHEETS_PER_DOCUMENT])
            for at in range(0, len(pages), SHEETS_PER_DOCUMENT)]


def measure(render: Callable[[object], bytes], docs: list[object], out: Path) -> tuple[float, int]:
    """CPU seconds to render ``docs``, and the size of the joined file."""
    from appealgen.output.pdfjoin import Source, join

    started = time.process_time()
    pdfs = [render(doc) for doc in docs]
    seconds = time.process_time() - started
    parts = []
    for number, pdf in enumerate(pdfs):
        parts.append(out.with_name(f"{out.stem}-{number}.pdf"))
        parts[-1].write_bytes(pdf)
    pages = [len(doc.pages) for doc in docs]  # type: ignore[attr-defined]
    join(out, [Source(path, range(count)) for path, count in zip(parts, pages, strict=True)],
         "Address labels", "Labels")
    return seconds, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=int, default=1_000)
    args = parser.parse_args()
    from appealgen.render.html import render_pdf
    from appealgen.render.stamps import render_sheets_by_stamps

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        docs = label_documents(args.labels, folder)
        render_sheets_by_stamps(docs[-1])  # warm: imports, fonts, caches
        render_pdf(docs[-1], "sheets.html.j2")
        sheets = sum(len(doc.pages) for doc in docs)  # type: ignore[attr-defined]
        print(f"{args.labels} labels with return addresses on {sheets} sheets of L7160, "
              f"documents of {SHEETS_PER_DOCUMENT} sheets:")
        whole, whole_size = measure(lambda doc: render_pdf(doc, "sheets.html.j2"), docs, folder / "whole.pdf")
        print(f"  each sheet laid out whole: {whole:.2f} s CPU, labels.pdf {whole_size / 1000:.0f} KB")
        stamped, stamped_size = measure(render_sheets_by_stamps, docs, folder / "stamped.pdf")
        print(f"  by stamps:                 {stamped:.2f} s CPU, labels.pdf {stamped_size / 1000:.0f} KB")
        print(f"  ratio stamps / whole: {stamped / whole:.2f} (goal: stamps <= 1.5 s)")


if __name__ == "__main__":
    main()
