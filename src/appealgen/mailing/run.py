"""The batch command's rendering: a checked mailing plan becomes files.

Each row's letters are rendered in chunks of many letters per WeasyPrint document, in worker
processes that are replaced after a few chunks (WeasyPrint's memory grows over many renders),
then assembled into ``letters.pdf``, ``labels.pdf``, per-recipient files and ``manifest.csv``.

Each chunk's PDF is kept in ``OUTDIR/.appealgen-work/`` under a hash of everything that
decides its bytes, with its own hash beside it, so a run that is killed (even ``kill -9``) and
started again renders only the chunks it had not finished (and any found damaged), and gives
the same bytes as a run that never stopped. Every output is written to a temporary file and
renamed; the work folder goes when the run is done.

One run at a time writes in an OUTDIR (it holds a lock on the folder). The files of a mailing
cannot be replaced all at once, so while they are, ``INCOMPLETE.txt`` says so and there is no
``manifest.csv``: the manifest is removed first and written last. The OUTDIR then holds exactly
this mailing: per-recipient files of earlier runs that it has not are removed, and a record of
it (``mailing.outdir``) lets the same command, run again, see that there is nothing to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from appealgen.catalog.geometry import LabelSheet
from appealgen.catalog.loading import Catalog
from appealgen.compose.label_sheets import LabelFitter, label_pages
from appealgen.compose.overlays import BodiesDocument
from appealgen.compose.sheets import SheetDocument
from appealgen.mailing import bodies
from appealgen.mailing import outdir as record
from appealgen.mailing.assemble import INCOMPLETE, Summary, assemble
from appealgen.mailing.rows import BatchOptions, Plan
from appealgen.mailing.workers import run_in_workers
from appealgen.output.files import check_target, hold_folder, make_folders, write_atomic
from appealgen.output.pdfjoin import Layer, Layered
from appealgen.policy import default_sheet_name

CHUNK_LETTERS = 50
"""Letters rendered whole per WeasyPrint document: its cost grows faster than linearly with the
length."""
OVERLAY_LETTERS = 100
"""Letters per chunk laid over their bodies: each costs only its slots, packed a few pages per
chunk, so a chunk holds more of them (fewer documents, each with its fonts to load and subset)."""
RECYCLE_AFTER = 8
"""Chunks a worker renders before it is replaced (WeasyPrint's memory grows over many renders)."""
WORK_DIR = ".appealgen-work"
OUTPUTS = ("letters.pdf", "labels.pdf", "manifest.csv", INCOMPLETE)
PRELOAD = ["appealgen.mailing.run", "appealgen.mailing.bodies", "appealgen.render.html", "appealgen.render.stamps",
           "weasyprint", "pikepdf"]
"""Imported once by the forkserver, so each worker starts with the engine loaded."""
KILL_AFTER_ENV = "APPEALGEN_TEST_KILL_AFTER_PARTS"
"""For the resume test: after this many newly rendered parts the run kills its own process
group with SIGKILL, as ``kill -9`` would, at a known point instead of a guessed time."""
INTERRUPT_AFTER_ENV = "APPEALGEN_TEST_INTERRUPT_AFTER_PARTS"
"""For the Ctrl-C test: after this many parts are done (counted as the progress counts them) the
run sends SIGINT to its process group, as Ctrl-C in a terminal does."""

__all__ = ["Summary", "label_sheet", "render_task", "run", "warm_up"]


# Rendering ---------------------------------------------------------------------------------

LABEL_SHEETS_PER_TASK = 20


@dataclass(frozen=True)
class Task:
    """One document to render in a worker: its PDF goes to ``path`` (a chunk of letters may add
    a ``.whole.pdf``), and what the rendering found to ``path`` with ``.json``, written last
    with each file's hash. A task whose files are all there, whole, is done."""

    doc: object
    path: Path

    @property
    def done_path(self) -> Path:
        return self.path.with_suffix(".json")


def render_task(task: Task) -> dict[str, Any]:
    """In a worker: render one document, write its PDFs, then what was found (as JSON)."""
    from appealgen.render.stamps import render_sheets_by_stamps

    if isinstance(task.doc, SheetDocument):
        files, found = {task.path: render_sheets_by_stamps(task.doc)}, {"pages": len(task.doc.pages)}
    elif isinstance(task.doc, BodiesDocument):
        pdf, found = bodies.render_bodies(task.doc)
        files = {task.path: pdf}
    else:
        assert isinstance(task.doc, bodies.MailingChunk)
        files, found = bodies.render_chunk(task.doc, task.path)
    for path, data in files.items():
        write_atomic(path, data)
    done = {**found, "files": {path.name: hashlib.sha256(data).hexdigest() for path, data in files.items()}}
    write_atomic(task.done_path, json.dumps(done).encode())
    return done


def _finished(task: Task) -> dict[str, Any] | None:
    """What an earlier run found for the task if it finished it and its PDFs are whole (the
    hashes written beside them match); a damaged or half-written part is removed, to be
    rendered again."""
    try:
        done = json.loads(task.done_path.read_bytes())
        if all(hashlib.sha256((task.path.parent / name).read_bytes()).hexdigest() == digest
               for name, digest in done["files"].items()):
            return dict(done)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # not rendered yet, unreadable, not ours
        pass
    for path in (task.path, task.path.with_suffix(".whole.pdf"), task.done_path):
        path.unlink(missing_ok=True)
    return None


@cache
def _software_and_templates() -> bytes:
    """What decides every document's bytes besides its view model, read once per run."""
    from importlib.metadata import version

    from appealgen.catalog.shipped import templates_dir

    digest = hashlib.sha256(f"{version('appealgen')} {version('weasyprint')}".encode())
    for path in sorted(templates_dir().iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def _fingerprint(doc: object) -> str:
    """What decides a document's bytes: its view model, the templates, and the software."""
    return hashlib.sha256(_software_and_templates() + repr(doc).encode()).hexdigest()[:24]


def chunks(uses: Sequence[int | None]) -> list[list[int]]:
    """The letters (their indices) in chunks: those laid over a body (``uses``: each letter's
    body, None for one rendered whole) ``OVERLAY_LETTERS`` at a time, then the others
    ``CHUNK_LETTERS`` at a time."""
    over = [index for index, use in enumerate(uses) if use is not None]
    whole = [index for index, use in enumerate(uses) if use is None]
    return ([over[at:at + OVERLAY_LETTERS] for at in range(0, len(over), OVERLAY_LETTERS)]
            + [whole[at:at + CHUNK_LETTERS] for at in range(0, len(whole), CHUNK_LETTERS)])


def warm_up() -> None:
    """Start the render workers' server, which loads the engine while the list is checked."""
    from appealgen.mailing.workers import start_server

    start_server(PRELOAD)


def run(batch_plan: Plan, catalog: Catalog, options: BatchOptions, outdir: Path,
        progress: Callable[[int, int], None] | None = None) -> Summary:
    """Render and write everything in ``outdir``; return what was done. Another run writing in
    ``outdir`` at the same time is refused."""
    make_folders(outdir)
    with hold_folder(outdir):
        return _run(batch_plan, catalog, options, outdir, progress)


def _run(batch_plan: Plan, catalog: Catalog, options: BatchOptions, outdir: Path,
         progress: Callable[[int, int], None] | None) -> Summary:
    started = time.monotonic()
    summary = Summary(rows=len(batch_plan.table.rows), encoding=batch_plan.table.encoding,
                      skipped=batch_plan.rejected, supporters=len(batch_plan.planned))
    fitter = batch_plan.fitter or LabelFitter(label_sheet(catalog, options, batch_plan.paper), return_if_room=True)
    sheet = fitter.sheet
    labels = [(target, p.sender) for p in batch_plan.planned for target in p.targets]
    pages = label_pages(sheet, labels, fitter=fitter)
    width, height = sheet.paper_size
    label_docs = [SheetDocument(title="Address labels", subject=f"Labels on {sheet.name}", width=width,
                                height=height, pages=pages[at:at + LABEL_SHEETS_PER_TASK])
                  for at in range(0, len(pages), LABEL_SHEETS_PER_TASK)]
    letters = [letter for p in batch_plan.planned for letter in p.letters]
    distinct, uses = bodies.distinct_bodies(letters)
    groups = chunks(uses)
    work = outdir / WORK_DIR
    # First the bodies, which the chunks of letters need; the label sheets go with the chunks.
    first = [Task(doc, work / f"bodies-{_fingerprint(doc)}.pdf")
             for doc in bodies.bodies_documents(distinct, batch_plan.paper)]
    label_tasks = [Task(doc, work / f"labels-{_fingerprint(doc)}.pdf") for doc in label_docs]
    fingerprint = record.plan_fingerprint([
        [task.path.name for task in first + label_tasks],
        [_fingerprint([letters[index] for index in group]) for group in groups],
        options.per_recipient, options.duplex, sorted(map(repr, fitter.dropped)),
        [(p.row, p.name, p.case.id, [t.id for t in p.targets], len(p.letters)) for p in batch_plan.planned],
        batch_plan.rejected])
    summary.supporters = len(batch_plan.planned)
    if (finished := record.finished_letters(outdir, fingerprint)) is not None:
        summary.letters, summary.finished_before = finished, True
        return summary
    for name in OUTPUTS:  # a FIFO or folder in the way is refused before anything is written
        check_target(outdir / name)
    make_folders(outdir, WORK_DIR, *(["letters"] if options.per_recipient else []))
    _remove_partial_files(outdir)
    parts = len(first) + len(groups) + len(label_tasks)
    found = _render_all(first, options.jobs, summary, progress, parts)
    refs = [ref for task, done in zip(first, found, strict=True)
            for ref in bodies.body_refs(task.doc, task.path, done)]  # type: ignore[arg-type]
    body_of = [None if use is None else refs[use] for use in uses]
    chunk_tasks = [Task(chunk, work / f"letters-{_fingerprint(chunk)}.pdf") for chunk in (
        bodies.MailingChunk(batch_plan.paper, [letters[index] for index in group], [body_of[index] for index in group])
        for group in groups)]
    written = _render_all(chunk_tasks + label_tasks, options.jobs, summary, progress, parts, len(first))
    letter_pages: list[list[Layered]] = [[] for _ in letters]
    for group, done in zip(groups, written, strict=False):  # the label sheets' results follow
        for index, layered in zip(group, done["letters"], strict=True):
            letter_pages[index] = [tuple(Layer(work / name, page) for name, page in layers) for layers in layered]
    label_results = [(task.path, done["pages"]) for task, done in zip(label_tasks, written[len(groups):], strict=True)]
    summary.labels, summary.label_sheets = len(labels), len(pages)
    summary.no_return_address = sum(1 for target, sender in labels if (target.id, sender) in fitter.dropped)
    assemble(batch_plan, letter_pages, label_results, options, outdir, summary, fitter.dropped, PRELOAD)
    record.remember(outdir, fingerprint, summary.letters, summary.written)
    (outdir / INCOMPLETE).unlink()
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    summary.seconds = time.monotonic() - started
    return summary


def label_sheet(catalog: Catalog, options: BatchOptions, paper: str) -> LabelSheet:
    """``--sheet``, else L7160 for A4 and 5160 for Letter."""
    return catalog.sheet(options.sheet or default_sheet_name(paper))  # type: ignore[arg-type]


def _remove_partial_files(outdir: Path) -> None:
    """Temp files a killed run left behind (``.NAME.XXXX.part``)."""
    for folder in (outdir, outdir / "letters", outdir / WORK_DIR):
        if folder.is_dir():
            for path in folder.glob(".*.part"):
                path.unlink(missing_ok=True)


def _render_all(tasks: list[Task], jobs: int, summary: Summary, progress: Callable[[int, int], None] | None,
                total: int, before: int = 0) -> list[dict[str, Any]]:
    """Render the tasks that a previous run has not finished, in worker processes; what each
    found. ``before`` of the run's ``total`` parts are done already (for the progress)."""
    results: dict[int, dict[str, Any]] = {}
    todo: list[int] = []
    for index, task in enumerate(tasks):
        if (result := _finished(task)) is not None:
            results[index] = result
            summary.chunks_reused += 1
        else:
            todo.append(index)
    done = before + len(results)
    if progress:
        progress(done, total)
    kill_after = int(os.environ.get(KILL_AFTER_ENV, "0") or 0)
    interrupt_after = int(os.environ.get(INTERRUPT_AFTER_ENV, "0") or 0)
    if todo:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        for number, result in run_in_workers(render_task, [(before + i, tasks[i]) for i in todo], workers,
                                             RECYCLE_AFTER, PRELOAD, total):
            results[number - before] = result
            summary.chunks_rendered += 1
            if summary.chunks_rendered == kill_after:
                os.killpg(0, signal.SIGKILL)
            done += 1
            if progress:
                progress(done, total)
            if done == interrupt_after:
                os.killpg(0, signal.SIGINT)
    return [results[index] for index in range(len(tasks))]
