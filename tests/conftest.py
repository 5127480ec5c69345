"""What every test uses, in one place: the CLI in-process (``run``) and as the real program
(``appealgen``), a throwaway copy of the shipped data and a way to edit it (``data_copy``,
``edit``), and the PDF readers (pdftotext, pdffonts, pypdf)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from pypdf import PdfReader
from typer.testing import CliRunner, Result

from appealgen.catalog.geometry import Rect
from appealgen.catalog.loading import default_data_dir
from appealgen.cli import app

Run = Callable[..., Result]

# No test may depend on the machine's speed: the first example of a property that measures text
# loads the fonts through fontconfig, which takes longer than Hypothesis's default deadline.
settings.register_profile("appealgen", deadline=None, print_blob=True)
settings.load_profile("appealgen")


@pytest.fixture(autouse=True)
def ledger(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test's action ledger is its own file, outside ``tmp_path`` (which tests list): no
    test writes to the user's data folder."""
    path = tmp_path_factory.mktemp("ledger") / "ledger.sqlite"
    monkeypatch.setenv("APPEALGEN_LEDGER", str(path))
    return path


@pytest.fixture
def run() -> Run:
    """Run ``appealgen ARGS`` in-process; stdout and stderr are kept apart. Tables are 200
    columns wide: Rich fixes a console's width when it is made if COLUMNS is set then (as
    pytest-xdist's workers have it), so the width is set on the consoles themselves."""
    from appealgen.cli.root import err, out

    runner = CliRunner()
    for console in (out, err):
        console.width = 200

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})},
                             catch_exceptions=False)

    return invoke


def appealgen(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, text: bool = True,
              **options: Any) -> subprocess.CompletedProcess[Any]:
    """Run the real program (``python -m appealgen``, through its entry point) in a new process."""
    return subprocess.run([sys.executable, "-m", "appealgen", *args], cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=text, check=False, **options)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data directory that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the text file ``path`` (which must contain it) with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pdf_text(path: Path, *extra: str) -> str:
    """The PDF's text as pdftotext reads it (layout kept, so columns stay apart)."""
    options = list(extra) if "-bbox" in extra else ["-layout", *extra]
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def page_size(path: Path, index: int = 0) -> tuple[float, float]:
    """A page's width and height in points, as pypdf reads its media box."""
    box = PdfReader(path).pages[index].mediabox
    return (round(float(box.width), 2), round(float(box.height), 2))


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox places it, in mm from the page's top-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, rect: Rect, tolerance: float = 0.0) -> bool:
        return (self.x0 >= rect.x - tolerance and self.y0 >= rect.y - tolerance
                and self.x1 <= rect.right + tolerance and self.y1 <= rect.bottom + tolerance)


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    words: list[Word]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
MM_PER_PT = 25.4 / 72


def pdf_words(path: Path) -> list[PdfPage]:
    """Every page's size and words, in mm."""
    xhtml = pdf_text(path, "-bbox")
    pages = []
    for width, height, body in _PAGE.findall(xhtml):
        words = [Word(html.unescape(text), *(float(v) * MM_PER_PT for v in box))
                 for *box, text in _WORD.findall(body)]
        pages.append(PdfPage(float(width) * MM_PER_PT, float(height) * MM_PER_PT, words))
    return pages


# A private CUPS server with a virtual PDF printer, for the printing tests.
from tests.printers import virtual_printer  # noqa: E402, F401
