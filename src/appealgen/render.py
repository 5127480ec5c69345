"""Document view model → HTML (Jinja2) → PDF bytes (WeasyPrint), locked down.

Jinja2 autoescapes everything and refuses undefined names; WeasyPrint may read only the
files of the templates folder, never another ``file://`` path nor the network. A
``.notdef`` glyph (a box where a character should be) fails the render.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup, escape

from appealgen.catalog import shipped_path
from appealgen.compose import Document
from appealgen.errors import RenderError

if TYPE_CHECKING:
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


def templates_dir() -> Path:
    return shipped_path("templates")


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


def asset_fetcher(root: Path):  # type: ignore[no-untyped-def]
    """A WeasyPrint fetcher that serves files under ``root`` and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.root = root.resolve()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if (path is None or parts.netloc not in ("", "localhost")
                    or not path.is_relative_to(self.root) or not path.is_file()):
                self.refused.append(url)
                raise ValueError(f"appealgen reads only its own template assets, not {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return AssetFetcher()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    old_propagate = logger.propagate
    logger.propagate = False  # its messages are ours to report, not to print
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def html_to_pdf(html: str, folder: Path | None = None) -> tuple[bytes, list[str]]:
    """Render ``html`` (whose relative URLs point into ``folder``); return the PDF and the
    URLs the fetcher refused."""
    pdf, refused, _ = _render(html, folder)
    return pdf, refused


def _render(html: str, folder: Path | None = None) -> tuple[bytes, list[str], list[set[str]]]:
    """The PDF, the refused URLs, and the ids of the elements that start on each page."""
    import weasyprint

    folder = folder or templates_dir()
    fetcher = asset_fetcher(folder)
    with _weasyprint_warnings() as messages:
        document = weasyprint.HTML(string=html, base_url=folder.resolve().as_uri() + "/",
                                   url_fetcher=fetcher).render()
        anchors = [set(page.anchors) for page in document.pages]
        pdf = document.write_pdf()
    boxes = [m for m in messages if ".notdef" in m]
    if boxes:
        raise RenderError("a character has no glyph in the installed fonts and would print as a box",
                          "run `appealgen doctor` to check the fonts")
    assert isinstance(pdf, bytes)
    return pdf, list(fetcher.refused), anchors


def render_letter_pages(doc: Document) -> tuple[bytes, list[int]]:
    """The PDF of ``doc``'s letters and the page (from 0) each letter starts on."""
    pdf, refused, anchors = _render(render_html(doc))
    if refused:
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    starts: dict[int, int] = {}
    for number, ids in enumerate(anchors):
        for anchor in ids:
            if anchor.startswith("letter-"):
                starts.setdefault(int(anchor.removeprefix("letter-")), number)
    return pdf, [starts[index] for index in range(len(doc.letters))]


def render_pdf(doc: Document | SheetDocument, template: str = "letters.html.j2") -> bytes:
    """The PDF of ``doc`` through ``template``: letters and their address slips, or label
    sheets and envelopes."""
    pdf, refused = html_to_pdf(render_html(doc, template))
    if refused:  # the templates themselves asked for something outside their folder
        raise RenderError(f"the templates refer to {refused[0]}, outside the templates folder")
    return pdf
