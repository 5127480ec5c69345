"""Batch speed and memory, measured in one run.

appealgen: `appealgen batch` on a generated list of N supporters (one bilingual letter each,
with labels), as a subprocess with `--jobs` workers. Plain WeasyPrint: the same letters'
HTML from appealgen's templates, rendered in this one process as documents of 100 letters
each plus one label document (HTML built before the clock starts). Prints both times and
their ratio (goal ≤ 0.15 on 2 cores), the same batch with --per-recipient (goal: at most 20 %
more time; each file's size), the size of letters.pdf, and the peak resident memory of every
process of the batch's tree, sampled from /proc (goal ≤ 300 MB for 10,000 letters).

    .venv/bin/python benchmarks/batch.py              # 1,000 letters: time ratio
    .venv/bin/python benchmarks/batch.py --memory     # 10,000 letters: peak memory only
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-21"
CASE = ["--case", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline"]


def supporters(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "address", "city", "postcode", "country", "note"])
        for number in range(count):
            writer.writerow([f"Supporter {number}", f"{number} High Street", "Oxford", "OX1 1AA", "GB",
                             "I write as a teacher." if number % 10 == 0 else ""])


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_batch(csv_path: Path, outdir: Path, jobs: int, *extra: str) -> tuple[float, float, float]:
    """Wall time of the batch, the largest RSS of its main process and of any other process."""
    command = [str(ROOT / ".venv/bin/appealgen"), "--today", TODAY, "batch", str(csv_path), *CASE,
               "--jobs", str(jobs), "-o", str(outdir), *extra]
    peaks: dict[int, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in _tree(process.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), _rss_mb(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode:
        sys.exit(f"appealgen batch failed:\n{stderr}")
    main_peak = peaks.pop(process.pid, 0.0)
    return elapsed, main_peak, max(peaks.values(), default=0.0)


def plain_weasyprint(csv_path: Path, per_document: int = 100) -> float:
    """Render the same letters and labels with WeasyPrint in this process; the seconds spent."""
    import weasyprint

    from appealgen.catalog.loading import load_catalog
    from appealgen.catalog.shipped import templates_dir
    from appealgen.compose.label_sheets import label_pages
    from appealgen.compose.letters import Document
    from appealgen.compose.sheets import SheetDocument
    from appealgen.mailing.rows import BatchOptions, plan
    from appealgen.render.html import render_html

    catalog = load_catalog()
    options = BatchOptions(case_id="kamile-wayit", target_ids=("chen-xiaojiang",), after_deadline=True)
    planned = plan(csv_path, catalog, options, dt.date.fromisoformat(TODAY)).planned
    htmls = []
    for first in range(0, len(planned), per_document):
        group = planned[first:first + per_document]
        doc = Document(title="Appeal letters", subject="Appeal letters", paper="a4",
                       letters=[letter for p in group for letter in p.letters], slips=[])
        htmls.append(render_html(doc))
    sheet = catalog.sheet("L7160")
    labels = SheetDocument(title="Address labels", subject="Labels", width=210, height=297,
                           pages=label_pages(sheet, [(t, None) for p in planned for t in p.targets]))
    htmls.append(render_html(labels, "sheets.html.j2"))
    base = templates_dir().as_uri() + "/"
    started = time.perf_counter()
    for html in htmls:
        weasyprint.HTML(string=html, base_url=base).write_pdf()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memory", action="store_true", help="10,000 letters; report peak memory only")
    parser.add_argument("--letters", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    count = args.letters or (10_000 if args.memory else 1_000)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "supporters.csv"
        supporters(csv_path, count)
        out = Path(folder) / "out"
        batch_seconds, main_peak, other_peak = run_batch(csv_path, out, args.jobs)
        print(f"appealgen batch, {count} bilingual letters with labels, --jobs {args.jobs}: "
              f"{batch_seconds:.1f} s; peak RSS: main process {main_peak:.0f} MB, largest worker "
              f"{other_peak:.0f} MB (goal <= 300 MB for any process)")
        print(f"letters.pdf: {(out / 'letters.pdf').stat().st_size / 1e6:.1f} MB, "
              f"labels.pdf: {(out / 'labels.pdf').stat().st_size / 1e6:.2f} MB")
        if args.memory:
            return
        each, _, _ = run_batch(csv_path, Path(folder) / "each", args.jobs, "--per-recipient")
        sizes = sorted(path.stat().st_size / 1e3 for path in (Path(folder) / "each" / "letters").iterdir())
        print(f"with --per-recipient: {each:.1f} s, {100 * (each / batch_seconds - 1):+.0f} % (goal <= +20 %); "
              f"{len(sizes)} files of {sizes[len(sizes) // 2]:.0f} KB (median) to {sizes[-1]:.0f} KB (goal <= 60 KB)")
        plain = plain_weasyprint(csv_path)
        print(f"plain WeasyPrint, one process, documents of 100 letters + 1 label document: {plain:.1f} s")
        print(f"ratio appealgen / WeasyPrint: {batch_seconds / plain:.2f} (goal <= 0.15)")


if __name__ == "__main__":
    main()
