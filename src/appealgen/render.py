"""Document view model → HTML (Jinja2) → PDF bytes (through ``pdf``).

Jinja2 autoescapes everything and refuses undefined names. The PDF is made by ``pdf`` (a
locked-down WeasyPrint), in the prewarmed render process when ``launch`` started one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from appealgen.errors import RenderError
from appealgen.pdf import render_with_anchors
from appealgen.shipped import templates_dir

if TYPE_CHECKING:
    from appealgen.compose import Document
    from appealgen.stationery import SheetDocument

# Runs of Han characters and CJK punctuation, joined by a middle dot or full stop inside a
# name (加娜古丽·朱马太, 卡米莱.瓦依提): each run is set in the SC face with lang="zh-Hans".
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_CJK_RUN = re.compile(rf"[{_CJK}]+(?:[·.][{_CJK}]+)*")


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
    return env


def render_html(doc: object, template: str = "letters.html.j2", folder: Path | None = None) -> str:
    return _environment(folder or templates_dir()).get_template(template).render(doc=doc)


def render_letter_pages(doc: Document) -> tuple[bytes, list[int], int]:
    """The PDF of ``doc``'s letters, the page (from 0) each letter starts on, and the pages."""
    pdf, refused, anchors = render_with_anchors(render_html(doc))
    if refused:
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    starts: dict[int, int] = {}
    for number, ids in enumerate(anchors):
        for anchor in ids:
            if anchor.startswith("letter-"):
                starts.setdefault(int(anchor.removeprefix("letter-")), number)
    return pdf, [starts[index] for index in range(len(doc.letters))], len(anchors)


def render_pdf(doc: Document | SheetDocument, template: str = "letters.html.j2") -> bytes:
    """The PDF of ``doc`` through ``template``: letters and their address slips, or label
    sheets and envelopes."""
    from appealgen.launch import html_to_pdf  # the prewarmed process's, when there is one

    pdf, refused = html_to_pdf(render_html(doc, template))
    if refused:  # the templates themselves asked for something outside their folder
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    return pdf
