"""The program's entry point: start the PDF engine while the command line is still being read.

Importing WeasyPrint (and Jinja2) takes longer than everything appealgen does before it
renders: reading the options, loading and checking the data, composing the letter. For the
commands that render one document (``letter``, ``labels``, ``envelope``) a child process is
forked first thing; it imports the engine meanwhile, then renders the document the command
sends it and sends back the PDF. With two cores the two run side by side. If the child fails
for any reason other than a refusal, the command renders in its own process instead.

Only this module and ``appealgen/__init__`` are loaded before the fork, so the child starts
small; it never returns into the command line (``os._exit``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import sys
from typing import Any

RENDERING_COMMANDS = frozenset({"letter", "labels", "envelope"})
_child: Prewarmed | None = None


class Prewarmed:
    """A forked child that renders one document on request."""

    def __init__(self) -> None:
        self.pid = 0
        self.to_child = self.from_child = -1

    def start(self) -> None:
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(self.to_child)
            os.close(self.from_child)
            _serve(to_child_r, from_child_w)  # never returns
        os.close(to_child_r)
        os.close(from_child_w)
        self.pid = pid
        atexit.register(self.stop)

    def html_to_pdf(self, html: str) -> tuple[bytes, list[str]] | None:
        """``pdf.html_to_pdf`` in the child; None if the child could not render (the caller
        renders itself). A refusal (``RenderError``) is raised as it was raised."""
        from appealgen.errors import RenderError

        if not self.pid:
            return None
        try:
            with os.fdopen(self.to_child, "wb") as stream:
                stream.write(html.encode("utf-8"))
            with os.fdopen(self.from_child, "rb") as stream:
                reply = pickle.load(stream)  # noqa: S301 - from our own child, through a pipe
        except (OSError, EOFError, pickle.PickleError):
            reply = ("failed", "")
        self._reap()
        if reply[0] == "ok":
            return bytes(reply[1]), list(reply[2])
        if reply[0] == "refused":
            raise RenderError(reply[1], reply[2])
        return None

    def stop(self) -> None:
        """End a child that was never asked to render (the command failed or did not render)."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _serve(request_fd: int, reply_fd: int) -> None:
    """In the child: import the engine, wait for one document's HTML, render it, reply, exit."""
    code = 0
    try:
        import weasyprint  # noqa: F401 - the point of the child: import it while the parent works

        from appealgen import pdf
        from appealgen.errors import RenderError

        with os.fdopen(request_fd, "rb") as stream:
            data = stream.read()
        if data:
            try:
                reply: tuple[Any, ...] = ("ok", *pdf.html_to_pdf(data.decode("utf-8")))
            except RenderError as exc:
                reply = ("refused", exc.message, exc.hint)
            with os.fdopen(reply_fd, "wb") as stream:
                pickle.dump(reply, stream)
    except BaseException:  # any failure: the parent renders the document itself
        code = 1
    finally:
        os._exit(code)


def html_to_pdf(html: str) -> tuple[bytes, list[str]]:
    """``pdf.html_to_pdf``: in the prewarmed child if there is one, else here."""
    global _child
    child, _child = _child, None
    if child is not None:
        result = child.html_to_pdf(html)
        if result is not None:
            return result
    from appealgen import pdf

    return pdf.html_to_pdf(html)


def _command(argv: list[str]) -> str | None:
    """The command word, skipping the global options and their values."""
    takes_value = {"--data-dir", "--today"}
    words = iter(argv)
    for word in words:
        if word in takes_value:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main() -> None:
    args = sys.argv[1:]
    if (hasattr(os, "fork") and _command(args) in RENDERING_COMMANDS and "--help" not in args
            and os.environ.get("APPEALGEN_PREWARM", "1") != "0"):
        global _child
        _child = Prewarmed()
        _child.start()
    from appealgen.cli import main as cli_main

    cli_main()
