"""HTML → PDF bytes with WeasyPrint, locked down.

WeasyPrint may read only the files of the templates folder, never another ``file://`` path
nor the network. A ``.notdef`` glyph (a box where a character should be) fails the render.
This module imports nothing heavy of appealgen's, so the prewarmed render process (see
``prewarm``) loads only WeasyPrint.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from appealgen.catalog.shipped import templates_dir
from appealgen.errors import RenderError

Positions = dict[str, tuple[float, float, float, float]]
"""An element's id → its border box on its page (left, top, right, bottom), in CSS px."""
Engine = Callable[[str], tuple[bytes, list[str], list[Positions]]]
"""HTML → (PDF bytes, URLs the fetcher refused, each page's positions), as ``render_with_positions``."""
_installed: Engine | None = None


def use_engine(html_to_pdf: Engine) -> None:
    """Render documents with ``html_to_pdf`` from now on: the entry point installs the
    prewarmed render process's (see ``prewarm``)."""
    global _installed
    _installed = html_to_pdf


def installed() -> Engine:
    """The engine documents are rendered with: the installed one, else ``render_with_positions`` here."""
    return _installed or render_with_positions



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
    pdf, refused, _ = render_with_positions(html, folder)
    return pdf, refused


def render_with_positions(html: str, folder: Path | None = None) -> tuple[bytes, list[str], list[Positions]]:
    """The PDF, the refused URLs, and where each page's elements with an id are."""
    import weasyprint

    folder = folder or templates_dir()
    fetcher = asset_fetcher(folder)
    with _weasyprint_warnings() as messages:
        document = weasyprint.HTML(string=html, base_url=folder.resolve().as_uri() + "/",
                                   url_fetcher=fetcher).render()
        anchors = [dict(page.anchors) for page in document.pages]
        pdf = document.write_pdf()
    boxes = [m for m in messages if ".notdef" in m]
    if boxes:
        raise RenderError("a character has no glyph in the installed fonts and would print as a box",
                          "run `appealgen doctor` to check the fonts")
    assert isinstance(pdf, bytes)
    return pdf, list(fetcher.refused), anchors


