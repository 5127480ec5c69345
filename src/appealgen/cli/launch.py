"""The program's entry point: start the PDF engine while the command line is still being read.

For the commands that render one document (``letter``, ``labels``, ``envelope``) a prewarmed
engine process is forked before anything heavy is imported (see ``render.prewarm``) and
installed as the renderer's engine; then the command line runs. ``APPEALGEN_PREWARM=0`` turns
it off.
"""

from __future__ import annotations

import os
import sys

RENDERING_COMMANDS = frozenset({"letter", "labels", "envelope", "sheet"})
GLOBAL_OPTIONS_WITH_VALUES = frozenset({"--data-dir", "--today"})


def _command(argv: list[str]) -> str | None:
    """The command word, skipping the global options and their values."""
    words = iter(argv)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main() -> None:
    args = sys.argv[1:]
    engine = None
    if (hasattr(os, "fork") and _command(args) in RENDERING_COMMANDS and "--help" not in args
            and os.environ.get("APPEALGEN_PREWARM", "1") != "0"):
        from appealgen.render.prewarm import Prewarmed, engine_once

        child = Prewarmed()
        child.start()
        engine = engine_once(child)
    from appealgen.cli.root import main as cli_main

    cli_main(engine)
