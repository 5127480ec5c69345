"""Where a mailing's time goes: one batch of N bilingual letters with labels (a tenth with a
personal note), run in this process with one worker, timed part by part (letter bodies, chunks
of letters, label sheets), then the assembly; and, for one chunk's overlay document and one
document of whole letters, WeasyPrint's layout against its PDF writing.

    .venv/bin/python benchmarks/batch_phases.py [--letters 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import tempfile
import time
from pathlib import Path

from batch import TODAY, supporters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    args = parser.parse_args()

    import weasyprint

    from appealgen.catalog.loading import load_catalog
    from appealgen.catalog.shipped import templates_dir
    from appealgen.compose.letters import Document
    from appealgen.mailing.rows import BatchOptions, plan
    from appealgen.mailing.run import LABEL_SHEETS_PER_TASK, run
    from appealgen.render.html import render_html

    catalog = load_catalog()
    options = BatchOptions(case_id="kamile-wayit", target_ids=("chen-xiaojiang",), after_deadline=True, jobs=1)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "supporters.csv"
        supporters(csv_path, args.letters)
        started = time.perf_counter()
        checked = plan(csv_path, catalog, options, dt.date.fromisoformat(TODAY))
        planned = time.perf_counter()
        marks: list[float] = []
        summary = run(checked, catalog, options, Path(folder) / "out",
                      lambda done, total: marks.append(time.perf_counter()))
        ended = time.perf_counter()
    parts = [later - earlier for earlier, later in itertools.pairwise(marks)]
    labels = -(-summary.label_sheets // LABEL_SHEETS_PER_TASK)
    # The parts in the order one worker renders them: the bodies, the chunks of letters, the labels.
    print(f"{args.letters} bilingual letters, one worker: plan {planned - started:.2f} s; "
          f"letter bodies (with the worker's start) {parts[0]:.2f} s; "
          f"letters ({len(parts) - labels - 1} parts) {sum(parts[1:len(parts) - labels]):.2f} s; "
          f"label sheets ({summary.labels} labels on {summary.label_sheets} sheets, {labels} parts) "
          f"{sum(parts[len(parts) - labels:]):.2f} s; assembly {ended - marks[-1]:.2f} s; "
          f"total {ended - started:.2f} s")

    letters = [letter for p in checked.planned[:50] for letter in p.letters]
    base = templates_dir().as_uri() + "/"
    from appealgen.mailing import bodies

    distinct, _ = bodies.distinct_bodies(letters)
    from appealgen.catalog.geometry import PAPER_SIZES
    from appealgen.compose.overlays import OverlayDocument, body_layouts, packed_slots
    from appealgen.render.html import render_laid_out, render_letter_pages

    doc = bodies.bodies_documents(distinct, checked.paper)[0]
    _, starts, pages = render_letter_pages(doc)
    _, anchors = render_laid_out(doc)
    layouts = body_layouts(anchors, doc.letters, starts, pages)
    slots = []
    for number, letter in enumerate(letters):
        body = bodies.body_of(letter)
        layout = layouts[distinct.index(body)] if body is not None else None
        if layout is not None:
            slots += packed_slots(letter, layout, str(number))
    packed = OverlayDocument("x", "x", checked.paper, PAPER_SIZES[checked.paper][0], slots)
    for name, html in ((f"{len(slots)} slots packed", render_html(packed, "overlays.html.j2")),
                       ("whole letters", render_html(Document("x", "x", checked.paper, letters, [])))):
        begin = time.perf_counter()
        document = weasyprint.HTML(string=html, base_url=base).render()
        laid = time.perf_counter()
        document.write_pdf()
        written = time.perf_counter()
        count = len(document.pages)
        print(f"{name}: {count} pages, layout {1000 * (laid - begin) / count:.1f} ms a page, "
              f"drawing and PDF writing {1000 * (written - laid) / count:.1f} ms a page")


if __name__ == "__main__":
    main()
