"""Printing through CUPS: ``lp`` sends a PDF to a queue, ``lpstat`` lists the queues.

The CUPS client tools are run as processes, so whatever server the machine (or ``CUPS_SERVER``)
points them at is used. Every failure becomes an ``AppealgenError`` saying how to fix it; the
caller has written the PDF before, so nothing is lost when printing fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from appealgen.catalog.geometry import MM_PER_PT
from appealgen.errors import AppealgenError

_NO_CUPS_HINT = ("install CUPS (Debian: apt-get install cups) and add the printer, or print the saved PDF "
                 "from another program")
_TIMEOUT = 30  # seconds: a CUPS server that does not answer in this time is not going to


@dataclass(frozen=True)
class Queues:
    """The printers CUPS knows, and the default one (None if there is none)."""

    names: list[str]
    default: str | None


@dataclass(frozen=True)
class PrintJob:
    """How to print: the queue (None: the default), both sides, copies, and at exactly 100 %
    (``exact_size``: a label sheet, where CUPS must not shrink the page to the printable
    area). The paper is the PDF's own page size."""

    printer: str | None = None
    duplex: bool = False
    copies: int = 1
    exact_size: bool = False


def _run(tool: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    path = shutil.which(tool)
    if path is None:
        raise AppealgenError(f"cannot print: the CUPS command `{tool}` is not installed", _NO_CUPS_HINT)
    try:
        return subprocess.run([path, *args], capture_output=True, text=True, timeout=_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired:
        raise AppealgenError(f"cannot print: the CUPS server did not answer `{tool}` within {_TIMEOUT} s",
                             "check that CUPS is running (`lpstat -r`)") from None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "no reason given")


def list_queues() -> Queues:
    """The printer queues and the default, from ``lpstat -e`` and ``lpstat -d``."""
    queues = _run("lpstat", ["-e"])
    if queues.returncode != 0:
        raise AppealgenError(f"cannot list the printers: {_first_line(queues.stderr)}",
                             "check that CUPS is running (`lpstat -r`), or start it")
    if not queues.stdout.strip() and "not running" in _run("lpstat", ["-r"]).stdout:
        raise AppealgenError("cannot print: the CUPS server is not running",
                             "start it (`sudo systemctl start cups`), then try again")
    default = _run("lpstat", ["-d"])
    found = re.search(r":\s*(\S+)\s*$", default.stdout.strip()) if default.returncode == 0 else None
    names = [line.strip() for line in queues.stdout.splitlines() if line.strip()]
    return Queues(names, found.group(1) if found and found.group(1) in names else None)


def media(pdf: Path) -> str:
    """CUPS's name for the size of ``pdf``'s first page: ``A4``, ``Letter``, else the size in
    millimetres (an envelope: ``Custom.220x110mm``)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        box = [float(v) for v in document.pages[0].mediabox]
    width, height = (round(abs(box[2] - box[0]) * MM_PER_PT), round(abs(box[3] - box[1]) * MM_PER_PT))
    named = {(210, 297): "A4", (216, 279): "Letter"}
    return named.get((width, height)) or named.get((height, width)) or f"Custom.{width}x{height}mm"


def lp_arguments(pdf: Path, job: PrintJob) -> list[str]:
    """The ``lp`` command line for ``job`` (paper, sides, copies), without ``lp`` itself."""
    args = [*(["-d", job.printer] if job.printer else []), "-n", str(job.copies),
            "-o", f"media={media(pdf)}",
            "-o", f"sides={'two-sided-long-edge' if job.duplex else 'one-sided'}",
            *(["-o", "print-scaling=none"] if job.exact_size else []),
            "-t", "appealgen", "--", str(pdf)]
    return args


def check_printer(printer: str | None) -> str:
    """The queue a job for ``printer`` (None: the default) goes to; refuse one CUPS does not
    know, naming the ones it does."""
    queues = list_queues()
    if printer is None and queues.default is None:
        raise AppealgenError("cannot print: there is no default printer", _choose_hint(queues))
    if printer is not None and printer not in queues.names:
        raise AppealgenError(f"cannot print: there is no printer {printer!r}", _choose_hint(queues))
    return printer or queues.default or ""


def print_pdf(pdf: Path, job: PrintJob) -> str:
    """Send ``pdf`` to CUPS; return the job id."""
    check_printer(job.printer)
    result = _run("lp", lp_arguments(pdf, job))
    if result.returncode != 0:
        raise AppealgenError(f"the printer refused the job: {_first_line(result.stderr)}",
                             "check the printer with `appealgen printers` and `lpstat -p`, then print the "
                             "saved PDF again")
    found = re.search(r"request id is (\S+)", result.stdout)
    return found.group(1) if found else ""


def _choose_hint(queues: Queues) -> str:
    if not queues.names:
        return "CUPS has no printer: add one (system settings, or `lpadmin`)"
    return "choose one with --printer: " + ", ".join(queues.names)
