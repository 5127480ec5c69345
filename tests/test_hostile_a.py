"""Where and how appealgen writes files, as a hostile or unlucky user finds out: special files
and folders as ``-o``, file modes and the umask, signals during a write, a full disk, a
read-only folder, over-long names, a closed or full standard output, and a C locale.

Everything happens inside ``tmp_path``: FIFOs, sockets, read-only folders and full disks are
made there (a full disk with ``RLIMIT_FSIZE`` in a subprocess); no real system path is
written to.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, appealgen
from .test_batch import CASE, write_csv

TODAY = ("--today", "2023-06-20")
LETTER = (*TODAY, "letter", "kamile-wayit", "--lang", "en", "--no-labels")
"""A letter that needs no flags to be allowed, so stderr holds only what a test looks for."""
LETTER_NAME = "kamile-wayit_ma-xingrui.pdf"
BATCH = ("--today", "2026-11-21", "batch")
BATCH_CASE = (*CASE, "--jobs", "1")
HOLD_ENV = "APPEALGEN_TEST_HOLD_PARTS"
"""For the signal test: a write waits, once its temp file is complete, for a signal."""
ANOTHER_O = "Hint: choose another -o"
MAKE_ROOM = "Hint: make room on the disk or choose another -o"

# Commands that write one PDF, with their default file name, for the `-o` tests.
ONE_FILE = {
    "letter": (LETTER, LETTER_NAME),
    "labels": ((*TODAY, "labels", "--case", "kamile-wayit"), "kamile-wayit_labels-L7160.pdf"),
    "envelope": ((*TODAY, "envelope", "--case", "kamile-wayit"), "kamile-wayit_envelopes-DL.pdf"),
}


def full_disk(limit: int = 20_000) -> Callable[[], None]:
    """A ``preexec_fn``: files may not grow past ``limit`` bytes, as on a full disk (the write
    fails with EFBIG instead of the process being killed by SIGXFSZ)."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


def supporters(path: Path, count: int = 2) -> Path:
    return write_csv(path, [["name"], *([f"Supporter {n}"] for n in range(count))])


def leftovers(folder: Path) -> list[str]:
    """Temp files left anywhere under ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.part"))


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Error:" in stderr, stderr


# 1. -o never replaces a FIFO, socket, device or folder --------------------------------------

def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a FIFO (named pipe)"


def _socket(path: Path) -> str:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    return "a socket"


def _folder(path: Path) -> str:
    path.mkdir()
    return "a folder"


@pytest.mark.parametrize("make", [_fifo, _socket, _folder], ids=["fifo", "socket", "folder"])
def test_letter_output_onto_a_special_file_is_refused(make: Callable[[Path], str], run: Run, tmp_path: Path) -> None:
    """A FIFO or socket as -o stays what it is; a folder named like the default file (reached
    through ``-o DIR``) is not replaced by a file either."""
    special = tmp_path / "out" / LETTER_NAME
    special.parent.mkdir()
    kind = make(special)
    before = os.lstat(special)
    target = special if kind != "a folder" else special.parent
    result = run(*LETTER, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {special}: it is {kind}, not a file\n{ANOTHER_O}\n"
    after = os.lstat(special)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)
    assert sorted(p.name for p in special.parent.iterdir()) == [LETTER_NAME]


@pytest.mark.parametrize("command", ["labels", "envelope"])
def test_labels_and_envelope_onto_a_fifo_are_refused(command: str, run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run(*ONE_FILE[command][0], "-o", str(fifo))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {fifo}: it is a FIFO (named pipe), not a file\n{ANOTHER_O}\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_output_through_a_link_to_a_device_is_refused(run: Run, tmp_path: Path) -> None:
    """``-o mynull`` where mynull leads to /dev/null: refused; /dev/null is only looked at."""
    if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        pytest.skip("/dev/null is not a character device on this machine")
    link = tmp_path / "mynull"
    link.symlink_to("/dev/null")
    result = run(*LETTER, "-o", str(link))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {link}: it is a character device, not a file\n{ANOTHER_O}\n"
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mynull"]


def test_batch_refuses_a_fifo_in_outdir_before_writing_anything(run: Run, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    fifo = outdir / "labels.pdf"
    os.mkfifo(fifo)
    result = run(*BATCH, str(supporters(tmp_path / "s.csv")), *BATCH_CASE, "-o", str(outdir))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"Error: cannot write {fifo}: it is a FIFO (named pipe), not a file", ANOTHER_O]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in outdir.iterdir()) == ["labels.pdf"]


# 3. Modes: the umask for new files, the old mode for a replaced one -------------------------

def test_new_letter_respects_the_umask(tmp_path: Path) -> None:
    """A letter holds the sender's name: with umask 027 it is 0640 (0666 & ~umask, as open()
    makes it), not 0644."""
    out = tmp_path / "letter.pdf"
    result = appealgen(*LETTER, "--sender-name", "Jane Doe", "-o", str(out), umask=0o027)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_replacing_a_private_file_keeps_its_mode(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    out.write_bytes(b"old")
    out.chmod(0o600)
    result = run(*LETTER, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_batch_files_respect_the_umask(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    result = appealgen(*BATCH, str(supporters(tmp_path / "s.csv")), *BATCH_CASE, "--per-recipient",
                       "-o", str(outdir), umask=0o077)
    assert result.returncode == 0, result.stderr
    modes = {str(p.relative_to(outdir)): stat.S_IMODE(p.stat().st_mode) for p in outdir.rglob("*")}
    assert modes == {"letters.pdf": 0o600, "labels.pdf": 0o600, "manifest.csv": 0o600, "letters": 0o700,
                     "letters/0002-Supporter-0.pdf": 0o600, "letters/0003-Supporter-1.pdf": 0o600,
                     ".appealgen-mailing.json": 0o600}


# 10. A signal during a write leaves no temp file; the next run clears older runs' ------------

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_signal_during_letter_write_leaves_no_temp_file(signum: signal.Signals, tmp_path: Path) -> None:
    """A real ``kill -TERM`` / ``-HUP`` once the temp file (a complete letter with the sender's
    name) exists: the program exits cleanly and removes it."""
    out = tmp_path / "letter.pdf"
    with subprocess.Popen(
            [sys.executable, "-m", "appealgen", *LETTER, "--sender-name", "Jane Doe", "-o", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, HOLD_ENV: "1"}) as process:
        deadline = time.monotonic() + 60  # a hang guard only
        while not leftovers(tmp_path) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        caught = bool(leftovers(tmp_path)) and process.poll() is None
        if process.poll() is None:
            process.send_signal(signum if caught else signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
    assert caught, "the letter was written without waiting in its temp file"
    assert "Jane Doe" not in stderr
    assert process.returncode == 128 + signum
    assert stderr.splitlines()[-1:] == [f"Error: interrupted by {signum.name}"]
    assert leftovers(tmp_path) == []
    assert not out.exists()


def test_next_run_removes_temp_files_of_older_runs(run: Run, tmp_path: Path) -> None:
    """Its own temp files that no running write holds (locked) are an older run's: removed;
    a running write's and other files are left alone."""
    stale = tmp_path / f".{LETTER_NAME}.k1ll3d00.part"
    stale.write_bytes(b"%PDF- a letter a killed run left behind")
    live = tmp_path / f".{LETTER_NAME}.runn1ng0.part"
    live.write_bytes(b"%PDF- a letter another run is writing")
    others = [tmp_path / ".other.pdf.k1ll3d00.part", tmp_path / f".{LETTER_NAME}.notes", tmp_path / "keep.part"]
    for other in others:
        other.write_text("not ours")
    with live.open("rb") as writing:
        fcntl.flock(writing, fcntl.LOCK_EX)
        result = run(*LETTER, "-o", str(tmp_path / LETTER_NAME))
    assert result.exit_code == 0, result.stderr
    assert not stale.exists()
    assert live.exists()
    assert all(other.read_text() == "not ours" for other in others)


# 8. One line instead of a traceback -----------------------------------------------------------

def test_disk_full_during_letter(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    result = appealgen(*LETTER, "-o", str(out), preexec_fn=full_disk())
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write {out}: File too large\n{MAKE_ROOM}\n"
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_batch(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    result = appealgen(*BATCH, str(supporters(tmp_path / "s.csv")), *BATCH_CASE, "-o", str(outdir),
                       preexec_fn=full_disk())
    assert result.returncode == 1
    no_traceback(result.stderr)
    error, hint = result.stderr.splitlines()[-2:]
    assert re.fullmatch(rf"Error: cannot write {re.escape(str(outdir))}/\S+: File too large", error), error
    assert hint == MAKE_ROOM
    assert leftovers(outdir) == []
    assert not (outdir / "letters.pdf").exists()


def _read_only(path: Path) -> list[str]:
    """Make ``path`` a read-only folder; the command prefix that makes it read-only for root too
    (without the capability to override file modes)."""
    path.mkdir()
    path.chmod(0o555)
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]


def test_read_only_folder_for_letter(tmp_path: Path) -> None:
    prefix = _read_only(tmp_path / "ro")
    out = tmp_path / "ro" / "letter.pdf"
    result = subprocess.run([*prefix, sys.executable, "-m", "appealgen", *LETTER, "-o", str(out)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write {out}: Permission denied\n{ANOTHER_O}\n"


@pytest.mark.parametrize("sub", ["", "sub"])
def test_read_only_folder_for_batch(sub: str, tmp_path: Path) -> None:
    """OUTDIR read-only, or a new OUTDIR inside a read-only folder."""
    prefix = _read_only(tmp_path / "ro")
    outdir = tmp_path / "ro" / sub if sub else tmp_path / "ro"
    result = subprocess.run([*prefix, sys.executable, "-m", "appealgen", *BATCH, str(supporters(tmp_path / "s.csv")),
                             *BATCH_CASE, "-o", str(outdir)], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 1
    no_traceback(result.stderr)
    assert result.stderr.splitlines()[-2:] == [f"Error: cannot write in {outdir}: Permission denied", ANOTHER_O]
    assert list((tmp_path / "ro").iterdir()) == []


def test_output_under_a_file_names_the_file(run: Run, tmp_path: Path) -> None:
    (tmp_path / "somefile").write_text("keep")
    out = tmp_path / "somefile" / "x.pdf"
    result = run(*LETTER, "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: cannot write {out}: {tmp_path / 'somefile'} is a file, not a folder\n"
                             f"{ANOTHER_O}\n")
    assert (tmp_path / "somefile").read_text() == "keep"


def test_batch_outdir_under_a_file_names_the_file(run: Run, tmp_path: Path) -> None:
    (tmp_path / "somefile").write_text("keep")
    outdir = tmp_path / "somefile" / "sub"
    result = run(*BATCH, str(supporters(tmp_path / "s.csv")), *BATCH_CASE, "-o", str(outdir))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"Error: cannot write in {outdir}: {tmp_path / 'somefile'} is a file, not a folder", ANOTHER_O]
    assert (tmp_path / "somefile").read_text() == "keep"


def test_longest_name_the_folder_allows_is_written(run: Run, tmp_path: Path) -> None:
    """The temp file's name is made to fit whenever the name itself fits (255 bytes here)."""
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    out = tmp_path / ("a" * (limit - 4) + ".pdf")
    result = run(*LETTER, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    too_long = tmp_path / ("b" * (limit - 3) + ".pdf")
    result = run(*LETTER, "-o", str(too_long))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {too_long}: File name too long\n{ANOTHER_O}\n"


def test_closed_standard_output() -> None:
    """``appealgen letter … -o - >&-``"""
    result = appealgen(*LETTER, "-o", "-", preexec_fn=lambda: os.close(1))
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write to standard output: it is closed\nHint: give -o a file name\n"


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
def test_full_standard_output(unbuffered: str, tmp_path: Path) -> None:
    """``appealgen letter … -o - > file`` on a full disk; with PYTHONUNBUFFERED=1 a short write
    must not pass for a whole one (the letter cut off, exit 0)."""
    with (tmp_path / "stdout").open("wb") as stdout:
        result = subprocess.run([sys.executable, "-m", "appealgen", *LETTER, "-o", "-"], stdout=stdout,
                                stderr=subprocess.PIPE, text=True, check=False, timeout=120,
                                env={**os.environ, "PYTHONUNBUFFERED": unbuffered}, preexec_fn=full_disk())
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write to standard output: File too large\n{MAKE_ROOM}\n"


def test_standard_output_closed_by_the_reader() -> None:
    """``appealgen letter … -o - | lp`` where lp has died: one line, no "Exception ignored"."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "appealgen", *LETTER, "-o", "-"], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, check=False, timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write to standard output: Broken pipe\n{ANOTHER_O}\n"


C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
"""A terminal that can show only ASCII (Python's UTF-8 mode off, as some builds and users set)."""


@pytest.mark.parametrize(("args", "shown"), [
    (("cases",), "| kamile-wayit       | \\u2014"),
    (("targets",), "\\u9a6c\\u5174\\u745e"),  # 马兴瑞
    (("case", "show", "kamile-wayit"), "convicted for \\u201cpromoting extremism\\u201d"),
], ids=["cases", "targets", "case-show"])
def test_ascii_terminal_shows_tables(args: tuple[str, ...], shown: str) -> None:
    """Characters the terminal cannot show degrade to escapes instead of a traceback."""
    result = appealgen(*TODAY, *args, env=C_LOCALE)
    assert (result.returncode, result.stderr) == (0, "")
    assert shown in result.stdout


def test_ascii_terminal_gets_the_same_json() -> None:
    utf8 = appealgen(*TODAY, "case", "show", "kamile-wayit", "--json")
    ascii_only = appealgen(*TODAY, "case", "show", "kamile-wayit", "--json", env=C_LOCALE)
    assert ascii_only.returncode == 0, ascii_only.stderr
    assert json.loads(ascii_only.stdout) == json.loads(utf8.stdout)
    assert "维吾尔族" in json.loads(ascii_only.stdout)["title_zh"]


def test_ascii_terminal_with_a_non_ascii_path(tmp_path: Path) -> None:
    folder = tmp_path / "größe"
    folder.mkdir()
    result = appealgen(*LETTER, "-o", str(folder / "brief.pdf"), env=C_LOCALE)
    assert result.returncode == 0, result.stderr
    assert (folder / "brief.pdf").read_bytes().startswith(b"%PDF")
    assert result.stderr.startswith("Wrote ") and "brief.pdf" in result.stderr


# Issue 10 #14: -o DIR writes the default name inside DIR -------------------------------------

@pytest.mark.parametrize("command", sorted(ONE_FILE))
def test_output_to_a_folder_writes_the_default_name_inside(command: str, run: Run, tmp_path: Path) -> None:
    args, name = ONE_FILE[command]
    folder = tmp_path / "prints"
    folder.mkdir()
    result = run(*args, "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in folder.iterdir()] == [name]
    assert (folder / name).read_bytes().startswith(b"%PDF")
    assert result.stderr.startswith(f"Wrote {folder / name}")
