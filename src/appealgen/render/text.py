"""Plain text from a template (an email's body): Jinja2 without HTML escaping, since the text
is never markup; undefined names are refused as in ``html``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from appealgen.catalog.shipped import templates_dir


@cache
def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=False,  # noqa: S701 - plain text for a text/plain body, never HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_text(template: str, folder: Path | None = None, **context: object) -> str:
    """``template`` rendered with ``context``."""
    return _environment(folder or templates_dir()).get_template(template).render(**context)
