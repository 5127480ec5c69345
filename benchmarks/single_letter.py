"""Cold wall-clock time of one `appealgen letter` run against bare `weasyprint` on the same HTML.

Run from the project root:

    .venv/bin/python benchmarks/single_letter.py [--runs N]

Both commands run as fresh subprocesses (cold Python each time), alternating a, b, a, b, ...
after one untimed warm-up of each that only warms the OS file cache. The script prints
min/median/max seconds, the median ratio and the page counts of both PDFs. It is not a
test: it exits 0 whatever the ratio, and 1 only if a command fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from appealgen.catalog.loading import load_catalog
from appealgen.catalog.shipped import DATA_DIR_ENV, templates_dir
from appealgen.cli.root import TODAY_ENV
from appealgen.compose.letters import compose_document
from appealgen.render.html import render_html
from appealgen.services.common import SenderOptions
from appealgen.services.letter import LetterOptions, prepare_letter

BIN = Path(sys.executable).parent
TODAY = "2023-06-20"
CASE = "kamile-wayit"
LANG = "en+zh"
SENDER_NAME = "Jane Doe"
SENDER_ADDRESS = "12 High Street\\nOxford"  # a literal backslash-n, as typed in a shell
GOAL = 1.25


def write_equivalent_html(folder: Path) -> Path:
    """The HTML `appealgen letter` renders for the benchmarked options, next to letter.css."""
    request, _ = prepare_letter(load_catalog(), LetterOptions(CASE, lang=LANG, sender=SenderOptions(
        SENDER_NAME, SENDER_ADDRESS, "en_GB")), dt.date.fromisoformat(TODAY))
    html_path = folder / "letter.html"
    html_path.write_text(render_html(compose_document(request)), encoding="utf-8")
    shutil.copyfile(templates_dir() / "letter.css", folder / "letter.css")
    return html_path


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds of wall-clock time for ``command``; exit 1 with its stderr if it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(f"command failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
        raise SystemExit(1)
    return elapsed


def page_count(pdf: Path) -> int | None:
    return len(PdfReader(pdf).pages) if pdf.is_file() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command (default 7)")
    runs = max(1, parser.parse_args().runs)
    # Both sides use the shipped data and the explicit --today, whatever the shell has set.
    env = {k: v for k, v in os.environ.items() if k not in (DATA_DIR_ENV, TODAY_ENV)}

    with tempfile.TemporaryDirectory(prefix="appealgen-bench-") as tmp:
        folder = Path(tmp)
        html_path = write_equivalent_html(folder)
        appealgen_pdf, weasyprint_pdf = folder / "appealgen.pdf", folder / "out.pdf"
        commands = {
            "appealgen": [str(BIN / "appealgen"), "--today", TODAY, "letter", CASE, "--lang", LANG,
                          "--labels", "--sender-name", SENDER_NAME, "--sender-address", SENDER_ADDRESS,
                          "-o", str(appealgen_pdf)],
            "weasyprint": [str(BIN / "weasyprint"), str(html_path), str(weasyprint_pdf)],
        }
        for command in commands.values():  # untimed warm-up of the OS file cache
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(timed(command, env))
        pages = {"appealgen": page_count(appealgen_pdf), "weasyprint": page_count(weasyprint_pdf)}

    print(f"python {sys.version.split()[0]}, {runs} cold runs each, alternating")
    print(f"{'command':<12}{'min':>8}{'median':>8}{'max':>8}")
    for name, values in times.items():
        print(f"{name:<12}{min(values):>8.2f}{statistics.median(values):>8.2f}{max(values):>8.2f}")
    ratio = statistics.median(times["appealgen"]) / statistics.median(times["weasyprint"])
    print(f"ratio appealgen/weasyprint (median): {ratio:.2f}")
    print(f"goal: <= {GOAL}")
    same = pages["appealgen"] is not None and pages["appealgen"] == pages["weasyprint"]
    print(f"pages: appealgen {pages['appealgen']}, weasyprint {pages['weasyprint']}"
          f" ({'same' if same else 'DIFFERENT or missing'})")


if __name__ == "__main__":
    main()
