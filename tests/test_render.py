"""The locked-down renderer: only template assets are read; Chinese runs get lang="zh-Hans"."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from appealgen.render.engine import html_to_pdf
from appealgen.render.html import mark_zh

from .conftest import pdf_text


def test_mark_zh_wraps_chinese_runs_and_escapes_the_rest() -> None:
    assert str(mark_zh("Kamile Wayit (卡米莱.瓦依提) <b>")) == (
        'Kamile Wayit (<span lang="zh-Hans">卡米莱.瓦依提</span>) &lt;b&gt;')
    assert str(mark_zh("加娜古丽·朱马太")) == '<span lang="zh-Hans">加娜古丽·朱马太</span>'
    assert str(mark_zh("plain")) == "plain"


@pytest.fixture
def server() -> Iterator[list[str]]:
    """A loopback HTTP server that records every path asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    asked.append(f"http://127.0.0.1:{httpd.server_port}")
    yield asked
    httpd.shutdown()
    httpd.server_close()


def test_fetcher_reads_no_file_outside_templates_and_no_network(tmp_path: Path, server: list[str]) -> None:
    base = server.pop(0)
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "ok.css").write_text("p { margin: 0 }")
    html = (f'<html><head><link rel="stylesheet" href="ok.css"><link rel="stylesheet" href="{secret.as_uri()}">'
            f'<link rel="stylesheet" href="{base}/x.css"><style>@import url("{base}/y.css");</style></head>'
            f'<body><img src="file:///etc/passwd"><img src="../secret.css"><p>visible</p></body></html>')
    pdf, refused = html_to_pdf(html, folder)
    assert server == []  # the network was never asked
    assert set(refused) == {secret.as_uri(), f"{base}/x.css", f"{base}/y.css", "file:///etc/passwd"}
    out = tmp_path / "out.pdf"
    out.write_bytes(pdf)
    assert "visible" in pdf_text(out)


def test_a_missing_glyph_fails_the_render_instead_of_printing_a_box(tmp_path: Path) -> None:
    from appealgen.errors import RenderError

    with pytest.raises(RenderError) as caught:
        html_to_pdf('<html><body><p>Egyptian \U00013000</p></body></html>', tmp_path)
    assert caught.value.message == "a character has no glyph in the installed fonts and would print as a box"
