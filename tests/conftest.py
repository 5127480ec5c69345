"""Shared fixtures: a throwaway copy of the shipped data, the CLI, and PDF readers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from appealgen.catalog import default_data_dir
from appealgen.cli import app

Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run ``appealgen ARGS`` in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})},
                             catch_exceptions=False)

    return invoke


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data directory that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def pdf_text(path: Path, *extra: str) -> str:
    """The PDF's text as pdftotext reads it (layout kept, so columns stay apart)."""
    return subprocess.run(["pdftotext", "-layout", *extra, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
