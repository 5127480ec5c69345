"""Where the shipped ``data`` and ``templates`` folders are: inside the wheel, else the
source tree. Light on purpose: the prewarmed render process imports it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DATA_DIR_ENV = "APPEALGEN_DATA_DIR"
"""Where a section keeps its own data folder, instead of ``--data-dir``."""


def shipped_path(name: str) -> Path:
    """The shipped ``data`` or ``templates`` folder: inside the wheel, else the source tree."""
    packaged = Path(str(resources.files("appealgen"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name


def templates_dir() -> Path:
    return shipped_path("templates")
