"""The PDF engine in a forked process, started before the command line has read its options.

Importing WeasyPrint (and Jinja2) takes longer than everything appealgen does before it
renders: reading the options, loading and checking the data, composing the letter. For the
commands that render one document the entry point forks a child first thing; it imports the
engine meanwhile, then renders the document the command sends it and sends back the PDF. With
two cores the two run side by side. If the child fails for any reason other than a refusal,
the document is rendered in the command's own process instead.

Only this module, ``appealgen.errors`` and the package ``__init__`` files are loaded before the
fork, so the child starts small; it never returns into the command line (``os._exit``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

from appealgen.errors import RenderError


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

    def html_to_pdf(self, html: str) -> tuple[bytes, list[str], list[dict[str, Any]]] | None:
        """``engine.render_with_positions`` in the child; None if the child could not render (the caller
        renders itself). A refusal (``RenderError``) is raised as it was raised."""
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
            return bytes(reply[1]), list(reply[2]), list(reply[3])
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

        from appealgen.render import engine

        with os.fdopen(request_fd, "rb") as stream:
            data = stream.read()
        if data:
            try:
                reply: tuple[Any, ...] = ("ok", *engine.render_with_positions(data.decode("utf-8")))
            except RenderError as exc:
                reply = ("refused", exc.message, exc.hint)
            with os.fdopen(reply_fd, "wb") as stream:
                pickle.dump(reply, stream)
    except BaseException:  # any failure: the parent renders the document itself
        code = 1
    finally:
        os._exit(code)




def engine_once(child: Prewarmed) -> Callable[[str], tuple[bytes, list[str], list[dict[str, Any]]]]:
    """An engine for ``render.html.use_engine``: the first document goes to ``child``, the rest
    (and the first, if the child could not render it) are rendered here."""
    pending = [child]

    def html_to_pdf(html: str) -> tuple[bytes, list[str], list[dict[str, Any]]]:
        if pending:
            result = pending.pop().html_to_pdf(html)
            if result is not None:
                return result
        from appealgen.render import engine

        return engine.render_with_positions(html)

    return html_to_pdf
