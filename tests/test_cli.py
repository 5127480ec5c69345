"""The browsing commands, global options and the machine check, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from appealgen import __version__

from .conftest import Run, appealgen, pdf_text


def test_version(run: Run) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"appealgen {__version__}\n")


def test_help_does_not_import_weasyprint() -> None:
    code = ("import sys; from appealgen.cli import app\n"
            "from typer.testing import CliRunner\n"
            "CliRunner().invoke(app, ['--help'])\n"
            "print('weasyprint' in sys.modules, 'jinja2' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


def test_python_dash_m_runs_the_cli() -> None:
    result = appealgen("--version")
    assert (result.returncode, result.stdout) == (0, f"appealgen {__version__}\n")


def _table_rows(stdout: str) -> dict[str, str]:
    """A Rich table's rows, keyed by the first column (a row's first line holds the id)."""
    return {line.split("│")[1].strip(): line for line in stdout.splitlines() if line.count("│") >= 5}


def test_cases_table_shows_status_relative_to_today(run: Run) -> None:
    result = run("--today", "2023-06-20", "cases")
    assert result.exit_code == 0
    rows = _table_rows(result.stdout)
    assert "open" in rows["kamile-wayit"]
    assert "2023-08-29" in rows["kamile-wayit"]
    assert "expired 36 days ago" in rows["zhanargul-zhumatai"]
    assert "UA 26/23" in rows["zhanargul-zhumatai"]
    assert "expired 1 day ago" in run("--today", "2023-08-30", "cases").stdout


def test_today_comes_from_the_environment(run: Run) -> None:
    result = run("cases", env={"APPEALGEN_TODAY": "2023-08-30"})
    assert "Cases (today is 2023-08-30)" in result.stdout


def test_malformed_today_is_refused(run: Run) -> None:
    result = run("--today", "2023-13-01", "cases")
    assert result.exit_code == 1
    assert result.stderr == "Error: --today '2023-13-01' is not a date\nHint: write it as YYYY-MM-DD\n"


def test_case_show_prints_the_whole_record(run: Run) -> None:
    result = run("--today", "2023-06-20", "case", "show", "zhanargul-zhumatai")
    assert result.exit_code == 0
    for text in ("Zhanargul Zhumatai 加娜古丽·朱马太 (she/her)", "2023-05-15 (expired 36 days ago)",
                 "urumqi-psb-shayibake", "I therefore urge you to:", "Model letter (Chinese)",
                 "seeds/004_2a00f550bfb6b578.txt"):
        assert text in result.stdout, text


def test_unknown_case_names_the_fix(run: Run) -> None:
    result = run("case", "show", "nobody")
    assert result.exit_code == 1
    assert result.stderr == ("Error: unknown case 'nobody'\n"
                             "Hint: run `appealgen cases` to list the known ones\n")


def test_targets_show_who_left_office(run: Run) -> None:
    result = run("--today", "2026-11-21", "targets")
    assert result.exit_code == 0
    lines = _table_rows(result.stdout)
    assert "left office on 2025-07-01 → chen-xiaojiang (Chen Xiaojiang)" in lines["ma-xingrui"]
    assert "left office on 2022-12-30" in lines["qin-gang"]
    assert "in office" in lines["chen-xiaojiang"]
    assert "马兴瑞" in result.stdout
    # before Ma left, he is in office
    early = run("--today", "2023-06-20", "targets", "--case", "kamile-wayit").stdout
    assert "in office" in early and "zheng-zeguang" in early and "xi-jinping" not in early


def test_json_outputs_carry_every_field(run: Run) -> None:
    cases = json.loads(run("cases", "--json").stdout)
    assert {c["id"] for c in cases} == {"kamile-wayit", "nagyz-muhammed", "xinjiang-detainees",
                                        "zhanargul-zhumatai"}
    one = json.loads(run("case", "show", "kamile-wayit", "--json").stdout)
    assert one["deadline"] == "2023-08-29"
    assert one["people"][0]["name_zh"] == "卡米莱.瓦依提"
    assert one["letter"]["zh"]["asks"]
    targets = json.loads(run("targets", "--case", "zhanargul-zhumatai", "--json").stdout)
    assert [t["id"] for t in targets] == ["ma-xingrui", "qin-gang", "urumqi-psb-shayibake"]
    assert targets[0]["address"]["zh"]["province"] == "新疆维吾尔自治区"


def test_data_dir_option_and_environment(run: Run, data_copy: Path) -> None:
    (data_copy / "cases" / "nagyz-muhammed.toml").unlink()
    assert "OK: 3 cases" in run("--data-dir", str(data_copy), "validate").stdout
    assert "OK: 3 cases" in run("validate", env={"APPEALGEN_DATA_DIR": str(data_copy)}).stdout
    listed = run("--data-dir", str(data_copy), "cases", "--json").stdout
    assert "nagyz-muhammed" not in listed


def test_doctor_passes_on_a_set_up_machine(run: Run) -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.stdout + result.stderr
    for check in ("Latin font", "Liberation Serif", "Chinese font (zh-Hans)", "Noto Serif CJK SC",
                  "HarfBuzz font subsetting", "Pango", "WeasyPrint"):
        assert check in result.stdout
    assert "All checks passed" in result.stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_go_before_or_after_the_command(where: str, run: Run, data_copy: Path) -> None:
    """``--today`` and ``--data-dir`` work on either side of the command's name."""
    (data_copy / "cases" / "nagyz-muhammed.toml").unlink()
    options = ["--today", "2023-06-20", "--data-dir", str(data_copy)]
    result = run(*options, "cases") if where == "before" else run("cases", *options)
    assert result.exit_code == 0, result.stderr
    assert "Cases (today is 2023-06-20)" in result.stdout
    assert "nagyz-muhammed" not in result.stdout and "kamile-wayit" in result.stdout


def test_letter_takes_today_after_the_case(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run("letter", "kamile-wayit", "--today", "2023-06-20", "--lang", "en", "--no-labels", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "20 June 2023" in pdf_text(out)


def test_the_import_contract_holds() -> None:
    """Lower layers never import higher ones (import-linter's layers contract in pyproject.toml)."""
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], capture_output=True, text=True,
                            check=False, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stdout[-2000:]
    assert "Contracts: 1 kept, 0 broken." in result.stdout
