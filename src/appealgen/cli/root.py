"""The appealgen command line: a thin skin over the jobs in ``appealgen.services``.

Each command parses its options, makes one library call and prints. An ``AppealgenError``
becomes ``Error: …`` (and ``Hint: …``) on stderr with exit code 1; nothing else reaches the
user as a traceback. Nothing heavy (pydantic models, Jinja2, WeasyPrint) is imported at
module level, so ``--help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import io
import signal
import sys
import typing
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from appealgen import __version__
from appealgen.catalog.shipped import DATA_DIR_ENV
from appealgen.errors import AppealgenError

if TYPE_CHECKING:
    from appealgen.catalog.loading import Catalog
    from appealgen.ledger.store import Record
    from appealgen.render.engine import Engine

TODAY_ENV = "APPEALGEN_TODAY"

app = typer.Typer(
    help="Print-ready appeal letters, with Chinese envelope labels, from Urgent Actions.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,  # supporter data must never appear in a traceback
    rich_markup_mode="rich",
)
# Typer 0.29's rich help gives every flag the type "<bool>", as if it took a value: show none.
# Only where this Typer has the method, so another version shows its own help, not a traceback.
_option_type = getattr(typer.core.TyperOption, "display_type_rich", None)


def _flag_type(option: typer.core.TyperOption, ctx: Any) -> str | None:
    return None if option.is_flag or _option_type is None else _option_type(option, ctx)


if _option_type is not None:
    typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign, assignment]

case_app = typer.Typer(help="Look at one case.", no_args_is_help=True)
app.add_typer(case_app, name="case")

out = Console()
err = Console(stderr=True)


@dataclass(frozen=True)
class Settings:
    """The options every command takes: ``--data-dir`` and ``--today``."""

    data_dir: Path | None = None
    today_option: str | None = None
    ledger_path: Path | None = None

    @functools.cached_property
    def catalog(self) -> Catalog:
        from appealgen.catalog.loading import load_catalog

        return load_catalog(self.data_dir)

    @functools.cached_property
    def today(self) -> dt.date:
        from appealgen.i18n import resolve_today

        return resolve_today(self.today_option)

    @property
    def ledger(self) -> Path:
        """The action ledger's file: ``--ledger``, ``APPEALGEN_LEDGER`` or the user's data folder."""
        from appealgen.ledger.store import default_ledger_path

        return self.ledger_path or default_ledger_path()

    def recorder(self) -> Record:
        """Record into the ledger, checked now, before a job writes anything."""
        from appealgen.ledger.store import recorder

        return recorder(self.ledger)


DataDirOption = Annotated[Path | None, typer.Option(
    "--data-dir", help="Folder with targets.toml and cases/ (default: the shipped data; "
    f"or {DATA_DIR_ENV}).")]
TodayOption = Annotated[str | None, typer.Option(
    "--today", metavar="YYYY-MM-DD",
    help=f"Take this date as today: for deadlines, letter dates and reproducible output (or {TODAY_ENV}).")]


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_root().obj
    assert isinstance(found, Settings)
    return found


def command(typer_app: typer.Typer, name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command that also takes ``--data-dir`` and ``--today`` after its name, and
    whose ``AppealgenError`` becomes ``Error: …`` on stderr with exit code 1."""

    def register(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def wrapper(*args: Any, data_dir_here: Path | None = None, today_here: str | None = None,
                    **kwargs: Any) -> None:
            if data_dir_here is not None or today_here is not None:
                root = kwargs["ctx"].find_root()  # every command takes the context as ``ctx``
                current = root.obj if isinstance(root.obj, Settings) else Settings()
                root.obj = replace(current, data_dir=data_dir_here or current.data_dir,
                                   today_option=today_here or current.today_option)
            try:
                function(*args, **kwargs)
            except AppealgenError as exc:
                for line in exc.lines():
                    note(line)
                raise typer.Exit(1) from None

        # Typer reads the wrapper's signature: the command's parameters (their annotations
        # resolved in the command's own module) and the two shared options.
        hints = {**typing.get_type_hints(function, include_extras=True), "data_dir_here": DataDirOption,
                 "today_here": TodayOption}
        parameters = [parameter.replace(annotation=hints[name])
                      for name, parameter in inspect.signature(function).parameters.items()]
        parameters += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=hints[name])
                       for name in ("data_dir_here", "today_here")]
        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = hints
        typer_app.command(name)(wrapper)
        return function

    return register


def _version(value: bool) -> None:
    if value:
        out.print(f"appealgen {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", envvar=DATA_DIR_ENV,
        help="Folder with targets.toml and cases/ (default: the shipped data).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", envvar=TODAY_ENV, metavar="YYYY-MM-DD",
        help="Take this date as today: for deadlines, letter dates and reproducible output.")] = None,
    ledger: Annotated[Path | None, typer.Option(
        "--ledger", envvar="APPEALGEN_LEDGER", metavar="FILE", dir_okay=False,
        help="The action ledger, where every letter, label and envelope made is counted (default: "
        "ledger.sqlite in your data folder).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Turn a case, an official and a language into a letter you can sign and post.

    --data-dir and --today go before or after the command's name."""
    ctx.obj = Settings(data_dir=data_dir, today_option=today, ledger_path=ledger)


# Characters a terminal acts on or hides instead of showing: controls (ESC starts sequences that
# retitle the window or write the clipboard; C1 0x9B is CSI on some), line and paragraph
# separators, surrogates, private-use and unassigned code points; and the bidi controls.
_UNSHOWN_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp"})


def shown(text: str) -> str:
    """``text`` safe to print to a terminal: each character it would act on, hide or reorder is
    written as an escape (``\\x1b``, ``\\u202e``). File names, headers, keys and paths from input
    reach the terminal only through this."""
    from appealgen.i18n import BIDI_CONTROLS  # Babel is not loaded for --help

    return "".join(char.encode("unicode_escape").decode("ascii")
                   if char in BIDI_CONTROLS or unicodedata.category(char) in _UNSHOWN_CATEGORIES else char
                   for char in text)


def note(message: str) -> None:
    """One line on stderr, with text from input escaped (see ``shown``)."""
    err.print(shown(message), markup=False, highlight=False, soft_wrap=True)


def warn(warning: str) -> None:
    note(f"Warning: {warning}")


class Interrupted(BaseException):
    """SIGTERM or SIGHUP, raised where the program is: it unwinds as Ctrl-C does, so every
    temp file is removed on the way out (a BaseException: no ``except Exception`` stops it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal = signal.Signals(signum)


def _interrupt(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def main(engine: Engine | None = None) -> None:
    """Run the command line; ``engine`` (the prewarmed one) renders the PDFs when given."""
    if engine is not None:
        from appealgen.render.engine import use_engine

        use_engine(engine)
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A terminal that cannot show a character (LC_ALL=C) gets an escape, not a traceback;
        # Rich draws its boxes in ASCII there by itself.
        sys.stdout.reconfigure(errors="backslashreplace")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)
    try:
        app(prog_name="appealgen")
    except Interrupted as stop:
        err.print(f"Error: interrupted by {stop.signal.name}", markup=False, highlight=False)
        sys.exit(128 + stop.signal)


# The commands register themselves on ``app``.
from appealgen.cli import (  # noqa: E402, F401
    batch,
    browse,
    call,
    importing,
    letter,
    mail,
    post,
    printer,
    sheet,
    station,
    stationery,
    tally,
)
