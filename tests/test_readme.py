"""The README's examples are run as written, and their output must match."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import pdf_text

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
EXAMPLES = [(block.splitlines()[0][2:], block.splitlines()[1:]) for block in BLOCKS]
PYTHON = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```")[0]
    assert [line.split()[:2] for line in first_block.splitlines()] == [["make", "demo"], ["make", "test"]]
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(command: str, expected: list[str], tmp_path: Path) -> None:
    args = shlex.split(command)
    assert args[0] == "appealgen"
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("APPEALGEN_TODAY", None)
    env.pop("APPEALGEN_DATA_DIR", None)
    shutil.copytree(README.parent / "examples", tmp_path / "examples")
    result = subprocess.run([sys.executable, "-m", "appealgen", *args[1:]], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    printed = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
    assert printed == expected
    for line in expected:
        if line.startswith("Wrote "):
            pdf = (tmp_path / line.split()[1]).read_bytes()
            assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000


def test_readme_python_example_writes_the_letter(tmp_path: Path) -> None:
    """The API example runs as written: it prints the warning it was told and where it wrote."""
    [example] = PYTHON
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "case 'kamile-wayit' passed its deadline on 2023-08-29 (1180 days ago); check with your section office "
        "before sending", "letter.pdf"]
    assert "Dear Secretary Chen," in pdf_text(tmp_path / "letter.pdf")
