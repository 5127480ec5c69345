"""Hostile conditions around `appealgen batch`'s worker processes and the files of a mailing:
a booby-trapped working folder, a worker killed from outside, two runs into one folder, a
damaged part left by an earlier run, a batch stopped by a signal or killed while it assembles
the mailing, every row bad with --skip-invalid, and font subsets in a joined letters.pdf.

Every run is a real ``python -m appealgen`` process in its own session (so a run that kills
its own process group kills nothing else), with a generous timeout that only guards a hang."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from .conftest import Run, appealgen, pdf_fonts, pdf_pages, pdf_text
from .test_batch import CASE, TODAY, write_csv

SRC = Path(__file__).resolve().parents[1] / "src"
HANG = 120
HOLD_ENV = "APPEALGEN_TEST_HOLD_PARTS"
"""Test-only: every write waits (up to a minute) once its temp file is complete (output.files)."""
"""Seconds after which a run counts as hung (a run here takes a few seconds)."""
# Test-only fault injection, read by the batch (mailing.run and mailing.workers).
KILL_AFTER_PARTS = "APPEALGEN_TEST_KILL_AFTER_PARTS"
KILL_WORKER_AT_PART = "APPEALGEN_TEST_KILL_WORKER_AT_PART"
KILL_AFTER_WRITING = "APPEALGEN_TEST_KILL_AFTER_WRITING"


def supporters(path: Path, names: list[str]) -> Path:
    return write_csv(path, [["name"], *([name] for name in names)])


def sixty(path: Path) -> Path:
    """60 supporters: with --lang en, one label part and two letter parts (50 letters each)."""
    return supporters(path, [f"Supporter {n}" for n in range(60)])


def batch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real program in its own session (a run that kills its process group kills only
    itself), with a timeout that only guards a hang."""
    return appealgen(*TODAY, "batch", *args, env=env, start_new_session=True, timeout=HANG)


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "appealgen", *TODAY, "batch", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, **(env or {})})


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """Wait for the process and for everything holding its output (its workers too)."""
    try:
        stdout, stderr = process.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the batch hung for {HANG} s")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def wait_for(condition: Callable[[], Any], what: str) -> None:
    deadline = time.monotonic() + HANG
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


@pytest.mark.parametrize("started", ["script", "-m"])
def test_batch_never_imports_python_files_from_the_working_folder(started: str, tmp_path: Path) -> None:
    """The forkserver starts as ``python -c``, which puts the current folder first on sys.path:
    a weasyprint.py (even a multiprocessing.py) there ran in every worker. Started as its
    console script does (a script file outside the working folder), only the workers could
    import from there; ``python -m appealgen`` puts the folder first in the main process too."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    markers = {name: tmp_path / f"imported-{name}" for name in ("weasyprint", "jinja2", "multiprocessing")}
    for name, marker in markers.items():
        (folder / f"{name}.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    launcher = tmp_path / "bin" / "appealgen"
    launcher.parent.mkdir()
    launcher.write_text("import sys\nfrom appealgen.cli.launch import main\n"
                        "if __name__ == '__main__':\n    sys.exit(main())\n", encoding="utf-8")
    list_path = supporters(folder / "list.csv", ["Jane Doe"])
    env = {key: value for key, value in os.environ.items() if key != "PYTHONSAFEPATH"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))  # src, not ./src
    program = [str(launcher)] if started == "script" else ["-m", "appealgen"]
    result = subprocess.run([sys.executable, *program, *TODAY, "batch", list_path.name, "-o", "out", *CASE,
                             "--lang", "en"], cwd=folder, env=env, capture_output=True, text=True, timeout=HANG,
                            check=False)
    assert [name for name, marker in markers.items() if marker.exists()] == []
    assert result.returncode == 0, result.stderr
    assert "Jane Doe" in pdf_text(folder / "out" / "letters.pdf")


def test_a_worker_killed_from_outside_ends_the_run_with_an_error_and_the_rerun_finishes(tmp_path: Path) -> None:
    """The worker rendering part 2 of 3 (the letter bodies) is killed with SIGKILL (as the OOM
    killer would): the run must not hang; it says so in one line, and the same command finishes
    the job."""
    command = (str(sixty(tmp_path / "list.csv")), "-o", str(tmp_path / "out"), *CASE, "--lang", "en", "--jobs", "1")
    killed = batch(*command, env={KILL_WORKER_AT_PART: "2"})
    assert killed.returncode == 1, killed.stderr
    assert "Traceback" not in killed.stderr
    assert killed.stderr.splitlines()[-2:] == [
        "Error: a render worker was killed (signal SIGKILL; out of memory?) while rendering part 2 of 3",
        "Hint: run the same command again: it keeps the parts already rendered (with little memory, "
        "add --jobs 1)",
    ]
    assert not (tmp_path / "out" / "letters.pdf").exists()
    resumed = batch(*command)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resumed: 1 of 3 parts were rendered by an earlier run" in resumed.stderr
    assert len(pdf_pages(tmp_path / "out" / "letters.pdf")) == 60


def test_a_second_batch_into_the_same_folder_is_refused_while_the_first_runs(run: Run, tmp_path: Path) -> None:
    """The first run is frozen (SIGSTOP) once it has started writing in OUTDIR; a second run
    into that folder must refuse in one line and touch nothing; the first then finishes."""
    list_path, out = sixty(tmp_path / "list.csv"), tmp_path / "out"
    first = start(str(list_path), "-o", str(out), *CASE, "--lang", "en", "--jobs", "1")
    try:
        wait_for(lambda: (out / ".appealgen-work").is_dir() or first.poll() is not None, "the first run")
        os.killpg(first.pid, signal.SIGSTOP)
        before = sorted(p.name for p in out.rglob("*"))
        second = run(*TODAY, "batch", str(list_path), "-o", str(out), *CASE, "--lang", "en")
        assert second.exit_code == 1, second.stderr
        assert second.stderr.splitlines()[-2:] == [
            f"Error: {out}: another appealgen batch is writing in this folder",
            "Hint: wait for it to finish, or choose another -o",
        ]
        assert sorted(p.name for p in out.rglob("*")) == before
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    result = finish(first)
    assert result.returncode == 0, result.stderr
    assert len(pdf_pages(out / "letters.pdf")) == 60


def test_a_truncated_part_left_by_a_killed_run_is_rendered_again(tmp_path: Path) -> None:
    command = (str(sixty(tmp_path / "list.csv")), "-o", str(tmp_path / "out"), *CASE, "--lang", "en", "--jobs", "1")
    killed = batch(*command, env={KILL_AFTER_PARTS: "1"})
    assert killed.returncode == -signal.SIGKILL
    [part] = (tmp_path / "out" / ".appealgen-work").glob("*.pdf")
    part.write_bytes(part.read_bytes()[:len(part.read_bytes()) // 2])  # as a full disk would leave it
    resumed = batch(*command)
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr and "Resumed" not in resumed.stderr
    assert len(pdf_pages(tmp_path / "out" / "letters.pdf")) == 60
    assert len(pdf_pages(tmp_path / "out" / "labels.pdf")) == 3
    assert not (tmp_path / "out" / ".appealgen-work").exists()


@pytest.mark.parametrize(("sig", "whole_group", "last_line"), [
    (signal.SIGTERM, False, "Error: interrupted by SIGTERM"),  # `kill PID`, `timeout`, a service manager
    (signal.SIGKILL, False, None),  # `kill -9 PID` of the main process alone
    (signal.SIGINT, True, None),  # Ctrl-C: the terminal signals the whole foreground process group
], ids=["SIGTERM-main", "SIGKILL-main", "SIGINT-group"])
def test_a_stopped_batch_ends_quietly(sig: signal.Signals, whole_group: bool, last_line: str | None,
                                      tmp_path: Path) -> None:
    """Stopped while its workers render: no worker prints a traceback (BrokenPipeError) or a
    warning afterwards, and none outlives the run (``finish`` waits for all who hold stderr).
    The workers hold each part once written (HOLD_ENV), so the signal comes mid-run however fast
    the machine is."""
    out = tmp_path / "out"
    process = start(str(sixty(tmp_path / "list.csv")), "-o", str(out), *CASE, "--lang", "en", "--jobs", "2",
                    env={HOLD_ENV: "1"})
    wait_for(lambda: any((out / ".appealgen-work").glob(".*.part")) or process.poll() is not None,
             "a part being written")
    assert process.poll() is None, "the run ended before it could be stopped"
    if whole_group:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    result = finish(process)
    assert result.returncode in (-sig, 128 + sig)
    if last_line:
        assert result.stderr.splitlines()[-1] == last_line
    for noise in ("Traceback", "BrokenPipeError", "KeyboardInterrupt", "leaked"):
        assert noise not in result.stderr, result.stderr


def test_a_batch_killed_while_assembling_leaves_a_visibly_incomplete_mailing(tmp_path: Path) -> None:
    """kill -9 after the new letters.pdf is in place, before labels.pdf and manifest.csv: the
    folder must not look like a complete mailing (INCOMPLETE.txt, no manifest); the rerun
    completes it and removes the marker."""
    out = tmp_path / "out"
    old = batch(str(supporters(tmp_path / "old.csv", ["Old One", "Old Two"])), "-o", str(out), *CASE, "--lang", "en")
    assert old.returncode == 0, old.stderr
    command = (str(sixty(tmp_path / "list.csv")), "-o", str(out), *CASE, "--lang", "en")
    killed = batch(*command, env={KILL_AFTER_WRITING: "letters.pdf"})
    assert killed.returncode == -signal.SIGKILL
    assert (out / "INCOMPLETE.txt").is_file()
    assert "Run the same appealgen batch command again" in (out / "INCOMPLETE.txt").read_text(encoding="utf-8")
    assert not (out / "manifest.csv").exists()
    resumed = batch(*command)
    assert resumed.returncode == 0, resumed.stderr
    assert not (out / "INCOMPLETE.txt").exists()
    names = [line["name"] for line in csv.DictReader((out / "manifest.csv").read_text("utf-8-sig").splitlines())]
    assert names == [f"Supporter {n}" for n in range(60)]
    labels = pdf_text(out / "labels.pdf")
    assert "Supporter 59" in labels and "Old One" not in labels


def test_skip_invalid_with_every_row_bad_lists_every_bad_row(run: Run, tmp_path: Path) -> None:
    """A staffer who asked for the good rows gets none: the run refuses as it would without
    --skip-invalid, listing each bad row, and writes nothing (no folder with only a manifest)."""
    path = tmp_path / "bad.csv"
    path.write_text("name,case\n,kamile-wayit\nBob,nope\n", encoding="utf-8")
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), "--skip-invalid", "--after-deadline",
                 "--target", "chen-xiaojiang")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: bad.csv: row 2: name is empty",
        "Error: bad.csv: row 3: case is not a case appealgen knows (see `appealgen cases`)",
        "Hint: no row can be printed: fix these rows, then run the command again",
    ]
    assert not (tmp_path / "out").exists()


def _programs(path: Path) -> dict[str, set[str]]:
    """Each font name in the PDF (as pdffonts lists them) and the hashes of its font programs."""
    found: dict[str, set[str]] = defaultdict(set)
    with pikepdf.open(path) as pdf:
        for line in pdf_fonts(path).splitlines()[2:]:
            name, number = line.split()[0], int(line.split()[-2])
            font = pdf.get_object((number, 0))
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            [program] = [descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
            found[name].add(hashlib.sha256(program.read_bytes()).hexdigest())
            assert descriptor.FontName == descendant.BaseFont == f"/{name}"
    return found


def test_joined_letters_give_distinct_font_subsets_distinct_names(tmp_path: Path) -> None:
    """ISO 32000 §9.6.4: distinct subsets need distinct tags. The two letter parts use
    different glyphs (the second has names the first lacks), so their subsets differ."""
    names = [f"Supporter {n}" for n in range(50)] + [f"Zoë Quixote-Jäger {n}" for n in range(10)]
    result = batch(str(supporters(tmp_path / "list.csv", names)), "-o", str(tmp_path / "out"), *CASE, "--lang", "en")
    assert result.returncode == 0, result.stderr
    programs = _programs(tmp_path / "out" / "letters.pdf")
    assert {name: hashes for name, hashes in programs.items() if len(hashes) > 1} == {}
    serif = [name for name in programs if name.endswith("+Liberation-Serif")]
    assert len(serif) >= 2, programs  # the two parts' subsets really differ
