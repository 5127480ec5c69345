"""A real CUPS server for the printing tests, private to the test session: its own ``cupsd``
with every folder under a temp dir, listening on a unix socket there, and one queue whose
backend keeps each job's PDF and options in a folder (a virtual PDF printer). The machine's
CUPS configuration and spool are never touched: the client tools find this server through
``CUPS_SERVER``. Where ``cupsd`` cannot start, the tests that need it are skipped, saying why.

(Debian's cups-pdf backend reads its output folder from /etc/cups only, so a private server
cannot point it at a temp dir; the backend here is a few lines of shell doing the same.)
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

QUEUE = "station"
_BACKEND = """#!/bin/sh
# A virtual printer: keeps each job's file and the options it was printed with.
if [ $# -eq 0 ]; then echo 'file pdfcapture "Unknown" "appealgen test printer"'; exit 0; fi
out="${DEVICE_URI#pdfcapture:}"
if [ -n "$6" ]; then cp "$6" "$out/job-$1.tmp"; else cat > "$out/job-$1.tmp"; fi
printf '%s\\n' "$4" "$5" > "$out/job-$1.options"
mv "$out/job-$1.tmp" "$out/job-$1.pdf"
"""


@dataclass(frozen=True)
class VirtualPrinter:
    """The private server's socket (for ``CUPS_SERVER``), its queue, and where jobs arrive."""

    server: str
    queue: str
    jobs: Path

    @property
    def env(self) -> dict[str, str]:
        return {"CUPS_SERVER": self.server}

    def wait_for_job(self, number: int, timeout: float = 60.0) -> tuple[Path, str]:
        """The PDF of job ``number`` once it has arrived, and the options it was printed with."""
        pdf = self.jobs / f"job-{number}.pdf"
        deadline = time.monotonic() + timeout
        while not pdf.exists():
            if time.monotonic() > deadline:
                raise AssertionError(f"job {number} did not reach the virtual printer")
            time.sleep(0.1)
        return pdf, (self.jobs / f"job-{number}.options").read_text()

    def arrived(self) -> list[Path]:
        return sorted(self.jobs.glob("job-*.pdf"))


def _configure(root: Path) -> tuple[Path, Path]:
    for folder in ("conf", "spool", "cache", "state", "tmp", "log", "bin/backend", "jobs"):
        (root / folder).mkdir(parents=True)
    # The server's helpers (filters, daemons) from the system, plus the capturing backend.
    for helper in Path("/usr/lib/cups").iterdir():
        if helper.name != "backend":
            (root / "bin" / helper.name).symlink_to(helper)
    backend = root / "bin/backend/pdfcapture"
    backend.write_text(_BACKEND)
    backend.chmod(stat.S_IRWXU)  # 0700: cupsd runs it as the user who owns the server
    (root / "jobs").chmod(0o777)
    files = root / "cups-files.conf"
    files.write_text("".join(f"{key} {root / value}\n" for key, value in (
        ("ServerRoot", "conf"), ("RequestRoot", "spool"), ("CacheDir", "cache"), ("StateDir", "state"),
        ("TempDir", "tmp"), ("ServerBin", "bin"), ("AccessLog", "log/access_log"),
        ("ErrorLog", "log/error_log"), ("PageLog", "log/page_log"))) + "DataDir /usr/share/cups\nFileDevice No\n")
    conf = root / "cupsd.conf"
    conf.write_text(f"Listen {root / 'cups.sock'}\nLogLevel warn\nBrowsing No\nWebInterface No\n"
                    "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n")
    return conf, files


@pytest.fixture(scope="session")
def virtual_printer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualPrinter]:
    """A private CUPS server with one queue, the default, that keeps what it prints."""
    cupsd, lpadmin = shutil.which("cupsd") or "/usr/sbin/cupsd", shutil.which("lpadmin") or "/usr/sbin/lpadmin"
    if not (os.path.exists(cupsd) and os.path.exists(lpadmin) and shutil.which("lp")):
        pytest.skip("CUPS is not installed (Debian: cups); scripts/system-packages.sh installs it")
    root = tmp_path_factory.mktemp("cups")
    conf, files = _configure(root)
    socket = root / "cups.sock"
    log = root / "log" / "cupsd.stderr"
    with log.open("wb") as stderr:
        server = subprocess.Popen([cupsd, "-f", "-c", str(conf), "-s", str(files)],
                                  stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        env = {**os.environ, "CUPS_SERVER": str(socket)}
        deadline = time.monotonic() + 30
        while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if not socket.exists():
            reason = log.read_text(errors="replace").strip() if server.poll() is not None else ""
            pytest.skip(f"cupsd did not start here: {reason or 'no socket after 30 s'}")
        added = subprocess.run([lpadmin, "-p", QUEUE, "-v", f"pdfcapture:{root / 'jobs'}", "-E"],
                               env=env, capture_output=True, text=True, check=False)
        if added.returncode != 0:
            pytest.skip(f"cannot add a queue to the private cupsd: {added.stderr.strip()}")
        subprocess.run([lpadmin, "-d", QUEUE], env=env, check=True, capture_output=True)
        yield VirtualPrinter(str(socket), QUEUE, root / "jobs")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
