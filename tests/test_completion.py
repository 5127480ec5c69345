"""Shell completion: enabled, and it completes case and target ids from the data folder in use."""

from __future__ import annotations

from pathlib import Path

import typer

from appealgen.cli import app
from appealgen.cli.completion import complete_case, complete_target
from tests.conftest import appealgen


def context(*args: str) -> typer.Context:
    """The root command's context for ``appealgen ARGS``, parsed as a shell completing it would."""
    command = typer.main.get_command(app)
    return command.make_context("appealgen", list(args), resilient_parsing=True)


def test_case_ids_complete_with_the_peoples_names_whatever_the_case_typed() -> None:
    assert complete_case(context(), "ZH") == [("zhanargul-zhumatai", "Zhanargul Zhumatai")]
    assert [case_id for case_id, _ in complete_case(context(), "")] == [
        "kamile-wayit", "nagyz-muhammed", "xinjiang-detainees", "zhanargul-zhumatai"]


def test_target_ids_complete_with_name_and_title() -> None:
    assert complete_target(context(), "ma") == [
        ("ma-xingrui", "Ma Xingrui, Party Secretary of Xinjiang Uyghur Autonomous Region")]
    assert complete_target(context(), "nobody") == []


def test_ids_come_from_the_data_dir_typed_and_a_folder_that_does_not_load_completes_nothing(
        data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "cases" / "nagyz-muhammed.toml").rename(data_copy / "cases" / "nagyz-elsewhere.toml")
    assert [case_id for case_id, _ in complete_case(context("--data-dir", str(data_copy)), "n")] == ["nagyz-elsewhere"]
    assert complete_case(context("--data-dir", str(tmp_path / "missing")), "") == []


def test_the_shell_gets_the_ids_and_the_completion_script() -> None:
    # Named, not detected: detection walks up the process tree for a shell, and a test run
    # started from a script that has exited has none.
    shown = appealgen("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert shown.returncode == 0
    assert "complete -o default -F _appealgen_completion appealgen" in shown.stdout
    completed = appealgen(env={"_APPEALGEN_COMPLETE": "complete_bash", "COMP_WORDS": "appealgen labels --case ka",
                               "COMP_CWORD": "3"})
    assert (completed.returncode, completed.stdout) == (0, "kamile-wayit\n")
    for command in ("letter", "email", "call", "post", "sheet"):  # every command's CASE_ID completes
        completed = appealgen(env={"_APPEALGEN_COMPLETE": "complete_bash", "COMP_WORDS": f"appealgen {command} zh",
                                   "COMP_CWORD": "2"})
        assert (completed.returncode, completed.stdout) == (0, "zhanargul-zhumatai\n"), command
