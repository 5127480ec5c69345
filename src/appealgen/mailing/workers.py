"""Render workers: processes that each render one part at a time and are replaced after a few.

``multiprocessing.Pool`` loses the task of a worker that dies (the out-of-memory killer,
``kill -9``) and then waits for it forever, and ``concurrent.futures``' ``max_tasks_per_child``
hung on Python 3.11.7. Here every worker is a forkserver ``Process`` with a ``Pipe`` of its
own, and the main process waits on the pipes and the processes' sentinels together, so a worker
that dies is seen at once, with the signal that ended it.

The workers never import from the current folder (the forkserver starts as ``python -c``, which
would put it first on ``sys.path``); they leave Ctrl-C to the main process, which ends them when
it stops, and end quietly when the main process is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.pool import ExceptionWithTraceback  # type: ignore[attr-defined]  # what Pool sends
from typing import Any, Generic, TypeVar

from appealgen.errors import AppealgenError, RenderError

T = TypeVar("T")
R = TypeVar("R")

KILL_WORKER_ENV = "APPEALGEN_TEST_KILL_WORKER_AT_PART"
"""For the dead-worker test: the worker given part N (counted from 1) kills itself with
SIGKILL before rendering it, as the out-of-memory killer would."""


def _serve(connection: Connection, function: Callable[[Any], Any]) -> None:
    """In a worker: render each ``(number, item)`` received and send back its result (or the
    error), until told to stop (``None``) or the main process is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the main process decides
    kill_at = os.environ.get(KILL_WORKER_ENV)
    try:
        while (request := connection.recv()) is not None:
            number, item = request
            if kill_at == str(number + 1):
                os.kill(os.getpid(), signal.SIGKILL)
            try:
                reply: tuple[str, Any] = ("ok", function(item))
            except AppealgenError as exc:  # the main process raises it
                reply = ("error", exc)
            except Exception as exc:  # a bug: raised in the main process with this traceback as its cause
                reply = ("error", ExceptionWithTraceback(exc, exc.__traceback__))
            connection.send(reply)
    except (EOFError, OSError):  # the main process is gone: nobody to tell
        pass


@dataclass
class _Worker(Generic[T]):
    process: Any  # a multiprocessing Process (the forkserver context's class)
    connection: Connection
    rendered: int = 0
    part: tuple[int, T] | None = None

    def stop(self) -> None:
        with suppress(OSError):
            self.connection.send(None)
        self.connection.close()
        self.process.join()

    def kill(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def start_server(preload: list[str]) -> None:
    """Start the forkserver now, so it imports ``preload`` (WeasyPrint: most of a second) while
    the caller does other work; ``run_in_workers`` then finds it running. It ends with this
    process."""
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    with _no_imports_from_the_current_folder():
        forkserver.ensure_running()


def run_in_workers(function: Callable[[T], R], parts: Sequence[tuple[int, T]], workers: int, recycle_after: int,
                   preload: list[str], total: int) -> Iterator[tuple[int, R]]:
    """Call ``function`` on each numbered part in ``workers`` processes (each replaced after
    ``recycle_after`` parts); yield ``(number, result)`` as each is done. An error in a worker is
    raised here. A worker that dies stops the run with a ``RenderError`` once the parts other
    workers are rendering are done (a rerun keeps them); ``total`` is the number of parts of the
    whole job, for that message."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    waiting = list(reversed(parts))
    running: list[_Worker[T]] = []
    idle: list[_Worker[T]] = []
    died: RenderError | None = None
    with _no_imports_from_the_current_folder():
        try:
            while running or (waiting and died is None):
                while died is None and waiting and len(running) < workers:
                    worker = idle.pop() if idle else _start(context, function)
                    worker.part = waiting.pop()
                    with suppress(OSError):  # a worker that died meanwhile is seen by its sentinel
                        worker.connection.send(worker.part)
                    running.append(worker)
                ready = set(wait([w.connection for w in running] + [w.process.sentinel for w in running]))
                for worker in [w for w in running if w.connection in ready or w.process.sentinel in ready]:
                    running.remove(worker)
                    reply = _reply(worker)
                    if reply is None:
                        died = died or _died(worker, total)
                        continue
                    worker.rendered += 1
                    if worker.rendered < recycle_after:
                        idle.append(worker)
                    else:  # WeasyPrint's memory grows over many renders: a fresh process
                        worker.stop()
                    yield reply
            for worker in idle:
                worker.stop()
        finally:  # an error, Ctrl-C or SIGTERM: the parts being rendered are not waited for
            for worker in running + idle:
                worker.kill()
    if died:
        raise died


def _start(context: Any, function: Callable[[Any], Any]) -> _Worker[Any]:
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, function), daemon=True)
    process.start()
    theirs.close()
    return _Worker(process, ours)


def _reply(worker: _Worker[Any]) -> tuple[int, Any] | None:
    """The worker's part's number and result; None if the worker died. A worker that died or
    failed is ended (the failure is raised)."""
    assert worker.part is not None
    try:
        kind, value = worker.connection.recv()
    except (EOFError, OSError):
        kind, value = "died", None
    if kind != "ok":
        worker.kill()
    if kind == "error":
        raise value
    return (worker.part[0], value) if kind == "ok" else None


def _died(worker: _Worker[Any], total: int) -> RenderError:
    assert worker.part is not None
    exitcode = worker.process.exitcode
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        how = f"was killed (signal {name}{'; out of memory?' if name == 'SIGKILL' else ''})"
    else:
        how = f"stopped (exit code {exitcode})"
    return RenderError(f"a render worker {how} while rendering part {worker.part[0] + 1} of {total}",
                       "run the same command again: it keeps the parts already rendered (with little memory, "
                       "add --jobs 1)")


@contextmanager
def _no_imports_from_the_current_folder() -> Iterator[None]:
    """Start the forkserver (and the resource tracker) with ``PYTHONSAFEPATH``: ``python -c``
    would otherwise put the current folder first on their ``sys.path``, so a ``weasyprint.py``
    or ``multiprocessing.py`` there would run in every worker."""
    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before
