"""The command line: the Typer app and the options every command shares (``root``), one module
per command group, Rich output (``present``), and the entry point that starts the PDF engine
early (``launch``).

Light on purpose: the entry point imports ``cli.launch`` before anything heavy.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "app":
        from appealgen.cli.root import app

        return app
    raise AttributeError(name)
