"""Document view model → HTML (Jinja2) → PDF bytes.

Jinja2 autoescapes everything and refuses undefined names. The PDF is made by ``engine`` (a
locked-down WeasyPrint), in the prewarmed render process when the entry point installed one.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from functools import cache
from pathlib import Path
from typing import Protocol

import jinja2
from markupsafe import Markup, escape

from appealgen.catalog.shipped import templates_dir
from appealgen.errors import RenderError
from appealgen.fonts import CJK, css_font_family
from appealgen.render import engine

# Runs of Han characters and CJK punctuation, joined by a middle dot or full stop inside a
# name (加娜古丽·朱马太, 卡米莱.瓦依提): each run is set in the SC face with lang="zh-Hans".
_CJK_RUN = re.compile(rf"[{CJK}]+(?:[·.][{CJK}]+)*")

class LetterDocument(Protocol):
    @property
    def letters(self) -> Sized: ...


def mark_zh(text: str) -> Markup:
    """Escape ``text`` and wrap its Chinese runs in ``<span lang="zh-Hans">``."""
    parts: list[str] = []
    last = 0
    for match in _CJK_RUN.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup('<span lang="zh-Hans">{}</span>').format(match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@cache
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mark_zh"] = mark_zh
    env.filters["mm"] = lambda value: f"{value:.3f}mm"
    env.filters["pt"] = lambda value: f"{value:.3f}pt"
    # The stacks are our own family names, quoted for CSS; escaping would break the quotes.
    env.globals["font_family"] = lambda script: Markup(css_font_family(script))  # noqa: S704
    return env


def render_html(doc: object, template: str = "letters.html.j2", folder: Path | None = None) -> str:
    return _environment(folder or templates_dir()).get_template(template).render(doc=doc)


def render_laid_out(doc: object, template: str = "letters.html.j2") -> tuple[bytes, list[engine.Positions]]:
    """The PDF of ``doc`` through ``template``, and where each element with an id sits."""
    pdf, refused, anchors = engine.render_with_positions(render_html(doc, template))
    if refused:
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    return pdf, anchors


def render_letter_pages(doc: LetterDocument) -> tuple[bytes, list[int], int]:
    """The PDF of ``doc``'s letters, the page (from 0) each letter starts on, and the pages."""
    pdf, anchors = render_laid_out(doc)
    starts: dict[int, int] = {}
    for number, ids in enumerate(anchors):
        for anchor in ids:
            if anchor.startswith("letter-"):
                starts.setdefault(int(anchor.removeprefix("letter-")), number)
    return pdf, [starts[index] for index in range(len(doc.letters))], len(anchors)


def render_pdf(doc: object, template: str = "letters.html.j2") -> bytes:
    """The PDF of ``doc`` through ``template``: letters and their address slips
    (``letters.html.j2``), or label sheets and envelopes (``sheets.html.j2``)."""
    pdf, refused, _ = engine.installed()(render_html(doc, template))
    if refused:  # the templates themselves asked for something outside their folder
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    return pdf
