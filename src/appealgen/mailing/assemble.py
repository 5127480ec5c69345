"""A rendered mailing put together in OUTDIR: ``letters.pdf`` (with each letter's pages in the
manifest), the per-recipient files (earlier runs' that this mailing has not removed),
``labels.pdf`` and ``manifest.csv``.

The files of a mailing cannot be replaced all at once, so while they are, ``INCOMPLETE.txt``
says so and there is no ``manifest.csv`` (nor the record of a finished mailing): the manifest is
removed first and written last.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from appealgen.compose.letters import Sender
from appealgen.mailing import outdir as record
from appealgen.mailing.manifest import manifest_bytes, recipient_file_name
from appealgen.mailing.rows import BatchOptions, Plan, Planned, Rejected
from appealgen.mailing.workers import run_in_workers
from appealgen.output.files import write_atomic
from appealgen.output.pdfjoin import BLANK, Layered, Library, Source, join, join_layered

INCOMPLETE = "INCOMPLETE.txt"
RECIPIENTS_PER_WORKER = 50
"""Per-recipient files below which a worker costs more than it saves."""
INCOMPLETE_TEXT = """\
This mailing is not complete: appealgen batch was stopped while it replaced the files in this
folder, so letters.pdf, labels.pdf and the files in letters/ may come from different runs, and
manifest.csv is missing.

Run the same appealgen batch command again to finish it; that also removes this file.
"""
KILL_AFTER_WRITING_ENV = "APPEALGEN_TEST_KILL_AFTER_WRITING"
"""For the assembly test: the run kills its own process group with SIGKILL right after it has
written this file of the mailing (``letters.pdf``)."""


@dataclass
class Summary:
    """What a run did. ``letters`` counts one per supporter and official, ``versions`` each
    language's letter (an en+zh letter is two versions)."""

    rows: int = 0
    supporters: int = 0
    letters: int = 0
    versions: int = 0
    pages: int = 0
    labels: int = 0
    label_sheets: int = 0
    skipped: list[Rejected] = field(default_factory=list)
    by_case_target: Counter[tuple[str, str]] = field(default_factory=Counter)
    encoding: str = ""
    chunks_reused: int = 0
    chunks_rendered: int = 0
    seconds: float = 0.0
    written: list[str] = field(default_factory=list)
    no_return_address: int = 0
    """Labels that had no room for the sender's return address (it was left off)."""
    others_in_letters: int = 0
    """Files in ``letters/`` that appealgen did not write (left as they are)."""
    finished_before: bool = False
    """The OUTDIR already held this mailing, complete: nothing was rendered or written."""


def assemble(batch_plan: Plan, letter_pages: list[list[Layered]], label_results: list[tuple[Path, int]],
             options: BatchOptions, outdir: Path, summary: Summary, dropped: set[tuple[str, Sender | None]],
             preload: list[str]) -> None:
    """Write letters.pdf (``letter_pages``: each letter's pages, in input order; a blank page
    after an odd-length letter with --duplex), the per-recipient files (in the render workers,
    which ``preload`` what they need; removing earlier runs' files that this mailing has not),
    labels.pdf and manifest.csv; meanwhile INCOMPLETE.txt stands in the folder and the old
    manifest and record are gone. The caller removes INCOMPLETE.txt."""
    write_atomic(outdir / INCOMPLETE, INCOMPLETE_TEXT.encode())
    record.forget(outdir)
    (outdir / "manifest.csv").unlink(missing_ok=True)
    manifest: list[dict[str, object]] = []
    width = max(4, len(str(max(p.row for p in batch_plan.planned))))
    wanted: list[Layered | None] = []
    recipient_files: list[str] = []
    each = iter(letter_pages)
    recipients: list[tuple[Path, list[Layered]]] = []
    for item in batch_plan.planned:
        pages = [next(each) for _ in item.letters]
        file_name = "letters.pdf"
        if options.per_recipient:
            file_name = f"letters/{recipient_file_name(item.row, item.name, width)}"
            recipients.append((outdir / file_name, [page for letter in pages for page in letter]))
            recipient_files.append(file_name)
        langs = len(item.letters) // len(item.targets)
        index = 0
        for target in item.targets:
            count, first = 0, len(wanted) + 1
            last = first - 1
            for _ in range(langs):
                wanted.extend(pages[index])
                last = len(wanted)
                if options.duplex and len(pages[index]) % 2:
                    wanted.append(BLANK)
                count += len(pages[index])
                index += 1
            summary.letters += 1
            summary.versions += langs
            summary.by_case_target[(item.case.id, target.id)] += 1
            label = "no room for the return address" if (target.id, item.sender) in dropped else ""
            manifest.append({"row": item.row, "name": item.name, "case": item.case.id, "target": target.id,
                             "lang": _langs(item), "status": "ok", "pages": count, "first_page": first,
                             "last_page": last, "file": file_name, "label": label, "problem": ""})
    write_recipient_files(recipients, options.jobs, preload)
    summary.others_in_letters = record.remove_stale_recipient_files(
        outdir / "letters", {name.removeprefix("letters/") for name in recipient_files})
    summary.pages = join_layered(outdir / "letters.pdf", wanted, record.LETTERS_TITLE,
                                 f"{summary.versions} appeal letters")
    _written("letters.pdf")
    join(outdir / "labels.pdf", [Source(path, range(pages)) for path, pages in label_results], "Address labels",
         f"{summary.labels} address labels")
    for rejected in batch_plan.rejected:
        manifest.append({"row": rejected.row, "name": rejected.name, "case": rejected.case,
                         "target": rejected.target, "lang": rejected.lang, "status": "skipped", "pages": 0,
                         "first_page": "", "last_page": "", "file": "", "label": "",
                         "problem": "; ".join(rejected.problems)})
    manifest.sort(key=lambda line: int(str(line["row"])))
    write_atomic(outdir / "manifest.csv", manifest_bytes(manifest))
    summary.written = ["letters.pdf", "labels.pdf", "manifest.csv", *recipient_files]


@dataclass(frozen=True)
class RecipientFiles:
    """Per-recipient files for one worker to write: each file's path and pages."""

    files: list[tuple[Path, list[Layered]]]


def write_recipient_files(files: list[tuple[Path, list[Layered]]], jobs: int, preload: list[str]) -> None:
    """Write the per-recipient files, in ``jobs`` worker processes (one per core by default) when
    there are enough of them for that to pay; the folder's older temp files are gone already
    (``run`` removed them), so no write reads the folder through."""
    workers = min(jobs or os.cpu_count() or 1, len(files) // RECIPIENTS_PER_WORKER)
    if workers <= 1:
        write_recipients(RecipientFiles(files))
        return
    size = -(-len(files) // workers)  # in order, so each worker's files share their sources
    parts = [(number, RecipientFiles(files[at:at + size])) for number, at in enumerate(range(0, len(files), size))]
    for _ in run_in_workers(write_recipients, parts, workers, 1, preload, len(parts)):
        pass


def write_recipients(task: RecipientFiles) -> int:
    """In a worker (or here): write ``task``'s files, each body and font made once for all."""
    with Library() as library:
        for path, pages in task.files:
            join_layered(path, pages, record.LETTERS_TITLE, "Appeal letters", library, swept=True)
    return len(task.files)


def _written(name: str) -> None:
    if os.environ.get(KILL_AFTER_WRITING_ENV) == name:
        os.killpg(0, signal.SIGKILL)


def _langs(item: Planned) -> str:
    per_target = len(item.letters) // len(item.targets)
    return "+".join(letter.lang for letter in item.letters[:per_target])
