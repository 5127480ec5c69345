"""Join pages of many PDFs into one file, streaming: memory stays bounded by one source.

A library merge (pikepdf, qpdf, pypdf) holds the whole result in memory until it is saved:
20,000 letter pages took 490 MB in pikepdf and 370 MB in the qpdf program. Here each source
is opened in turn, the objects its chosen pages reach are written out at once under new
numbers, and only where each went is kept for the cross-reference stream. Inheritable page
attributes are copied onto each page, so nothing depends on the source's page tree.

The objects are written by ``pdfobjects``: each font subset with a tag of its own, each font
program compactly.

A page may also be *layered*: several source pages drawn one over the other (a letter's body,
rendered once for a whole mailing, and one supporter's overlay). Each layer becomes a Form
XObject, written once however many pages draw it, so a body's text and fonts are stored once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from appealgen.output import pdfobjects
from appealgen.output.files import atomic_path

INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
BLANK = None
"""In a page list: a blank page the size of the page before it (for duplex printing)."""


@dataclass(frozen=True)
class Source:
    path: Path
    pages: Sequence[int | None]
    """Page indices from 0, in the order wanted; ``BLANK`` for a blank page."""


@dataclass(frozen=True)
class Layer:
    """A source page drawn on an output page."""

    path: Path
    page: int


Layered = tuple[Layer, ...]
"""An output page: its layers, bottom first; the first gives the page its size."""


class _Writer:
    """Numbers objects and writes them out: each stream at once, every other object gathered
    into object streams of at most ``PACKED`` objects (ISO 32000-1 §7.5.7), which compress the
    dictionaries (a tenth of a per-recipient file) with Flate; a cross-reference stream
    (§7.5.8) finds them. Only one object stream's objects are held at a time."""

    PACKED = 100

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.entries: list[tuple[int, int, int]] = []
        """Per object number from 1: (1, its offset, 0), or (2, its object stream, its index)."""
        self.pending: list[tuple[int, bytes]] = []

    def reserve(self) -> int:
        self.entries.append((0, 0, 0))
        return len(self.entries)

    def write(self, number: int, body: bytes) -> None:
        if body.endswith(b"endstream"):
            self._write(number, body)
        else:
            self.pending.append((number, body))
            if len(self.pending) == self.PACKED:
                self._pack()

    def finish(self, catalog: int, info: int, file_id: bytes) -> None:
        """The last object stream, then the cross-reference stream and the trailer."""
        self._pack()
        number, offset = self.reserve(), self.stream.tell()
        self.entries[number - 1] = (1, offset, 0)
        rows = zlib.compress(b"".join(struct.pack(">BIH", *entry) for entry in [(0, 0, 65535), *self.entries]), 6)
        head = (b"<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] /Filter /FlateDecode"
                b" /Length %d >>" % (len(self.entries) + 1, catalog, info, file_id, file_id, len(rows)))
        self.stream.write(b"%d 0 obj\n" % number + head + b"\nstream\n" + rows + b"\nendstream\nendobj\n")
        self.stream.write(b"startxref\n%d\n%%%%EOF\n" % offset)

    def _write(self, number: int, body: bytes) -> None:
        self.entries[number - 1] = (1, self.stream.tell(), 0)
        self.stream.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _pack(self) -> None:
        if not self.pending:
            return
        number = self.reserve()
        offsets, at = [], 0
        for index, (member, body) in enumerate(self.pending):
            self.entries[member - 1] = (2, number, index)
            offsets.append(b"%d %d" % (member, at))
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"".join(body + b"\n" for _, body in self.pending), 6)
        self.pending = []
        self._write(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                    % (len(offsets), len(header), len(data)) + data + b"\nendstream")


def join(path: Path, sources: Iterable[Source], title: str, subject: str) -> int:
    """Write the chosen pages of ``sources``, in order, to ``path`` (atomically), with only
    ``title`` and ``subject`` as metadata; return the number of pages."""
    return join_layered(path, [BLANK if index is BLANK else (Layer(source.path, index),)
                               for source in sources for index in source.pages], title, subject)


_MARK = b"\x00appealgen-ref-" + secrets.token_hex(8).encode() + b":"
_MARKS = re.compile(re.escape(_MARK) + rb"(\d+)\x00")


class Library:
    """Sources kept open from one join to the next, and each object's output made once with its
    references left open: a mailing's per-recipient files all draw the same letter bodies and
    fonts, so each file then only numbers what it copies. After each join the sources used
    least lately are closed past ``KEEP``. Close it when done."""

    KEEP = 8

    def __init__(self) -> None:
        self.pdfs: OrderedDict[Path, Any] = OrderedDict()
        self.made: dict[Path, dict[tuple[object, ...], tuple[list[bytes], list[Any]]]] = {}

    def pdf(self, path: Path) -> Any:
        import pikepdf

        if path not in self.pdfs:
            self.pdfs[path] = pikepdf.open(path)
        self.pdfs.move_to_end(path)
        return self.pdfs[path]

    def trim(self) -> None:
        """Between joins: close the sources used least lately, past ``KEEP``."""
        while len(self.pdfs) > self.KEEP:
            old, pdf = self.pdfs.popitem(last=False)
            self.made.pop(old, None)
            pdf.close()

    def make(self, key: tuple[Path, object], make: Callable[[Any], bytes], ref: Callable[[Any], bytes]) -> bytes:
        """``make(ref)``, made once for ``key`` (a source, then what of it) and its references
        resolved by this ``ref``."""
        made = self.made.setdefault(key[0], {})
        if key not in made:
            refs: list[Any] = []

            def record(obj: Any) -> bytes:
                refs.append(obj)
                return _MARK + b"%d\x00" % (len(refs) - 1)

            made[key] = (_MARKS.split(make(record)), refs)
        parts, refs = made[key]
        return b"".join(part if at % 2 == 0 else ref(refs[int(part)]) for at, part in enumerate(parts))

    def close(self) -> None:
        for pdf in self.pdfs.values():
            pdf.close()
        self.pdfs.clear()
        self.made.clear()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def join_layered(path: Path, pages: Sequence[Layered | None], title: str, subject: str,
                 library: Library | None = None, swept: bool = False) -> int:
    """Write ``pages`` (each one source page, or layers of several; ``BLANK`` for a blank page)
    to ``path`` (atomically; ``swept``: see ``atomic_path``), with only ``title`` and ``subject``
    as metadata; return the number of pages. A source stays open from its first page to its
    last, or in ``library``."""
    digest = hashlib.md5(usedforsecurity=False)
    last_use = {layer.path: index for index, page in enumerate(pages) for layer in page or ()}
    with atomic_path(path, swept) as temp, temp.open("wb") as stream:
        stream.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        writer = _Writer(stream)
        catalog, root, info = writer.reserve(), writer.reserve(), writer.reserve()
        kids: list[int] = []
        sources = _Sources(writer, library)
        try:
            for index, page in enumerate(pages):
                digest.update(repr([(layer.path.name, layer.page) for layer in page or ()]).encode())
                sources.write_page(page, root, kids)
                for layer in page or ():
                    if last_use[layer.path] == index:
                        sources.close(layer.path)
        finally:
            sources.close_all()
            if library is not None:
                library.trim()
        writer.write(root, b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                     + b"] /Count %d >>" % len(kids))
        writer.write(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % root)
        writer.write(info, b"<< /Title " + pdfobjects.text_string(title) + b" /Subject "
                     + pdfobjects.text_string(subject) + b" >>")
        writer.finish(catalog, info, digest.hexdigest().encode())
    return len(kids)


class _Sources:
    """The open source PDFs, each with the numbers its objects got in the output."""

    def __init__(self, writer: _Writer, library: Library | None = None) -> None:
        self.writer = writer
        self.library = library
        self.open: dict[Path, tuple[Any, dict[tuple[int, int], int]]] = {}
        self.forms: dict[tuple[Path, int], int] = {}
        self.last_box: bytes | None = None

    def _source(self, path: Path) -> tuple[Any, dict[tuple[int, int], int]]:
        import pikepdf

        if path not in self.open:
            self.open[path] = (self.library.pdf(path) if self.library else pikepdf.open(path), {})
        return self.open[path]

    def _made(self, key: tuple[Path, object], make: Callable[[Any], bytes], ref: Callable[[Any], bytes]) -> bytes:
        return self.library.make(key, make, ref) if self.library else make(ref)

    def close(self, path: Path) -> None:
        if (opened := self.open.pop(path, None)) is not None and self.library is None:
            opened[0].close()
        self.forms = {key: number for key, number in self.forms.items() if key[0] != path}

    def close_all(self) -> None:
        for path in list(self.open):
            self.close(path)

    def _copier(self, path: Path) -> Any:
        """``ref(obj)``: the output number of an object of ``path`` (queued to be written)."""
        numbers = self._source(path)[1]
        queue: list[Any] = []

        def ref(obj: Any) -> bytes:
            key = obj.objgen
            if key not in numbers:
                numbers[key] = self.writer.reserve()
                queue.append(obj)
            return b"%d 0 R" % numbers[key]

        def flush() -> None:
            while queue:
                obj = queue.pop()
                body = self._made((path, obj.objgen), partial(pdfobjects.object_bytes, obj), ref)
                self.writer.write(numbers[obj.objgen], body)

        ref.flush = flush  # type: ignore[attr-defined]
        return ref

    def _entries(self, layer: Layer) -> dict[str, Any]:
        page = self._source(layer.path)[0].pages[layer.page].obj
        entries = {key: value for key, value in page.items() if key != "/Parent"}
        for key in INHERITED:
            if key not in entries and (value := _inherited(page, key)) is not None:
                entries[key] = value
        return entries

    def write_page(self, page: Layered | None, root: int, kids: list[int]) -> None:
        number = self.writer.reserve()
        kids.append(number)
        if page is BLANK:
            self.writer.write(number, b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << >> >>"
                              % (root, self.last_box or b"[0 0 595.276 841.89]"))
            return
        ref = self._copier(page[0].path)
        entries = self._entries(page[0])
        if len(page) > 1:  # each layer a Form XObject, drawn in order
            names = b" ".join(b"/L%d %d 0 R" % (at, self._form(layer)) for at, layer in enumerate(page))
            draw = b"".join(b"q /L%d Do Q\n" % at for at in range(len(page)))
            contents = self.writer.reserve()
            self.writer.write(contents, b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
            entries = {key: entries[key] for key in ("/MediaBox", "/CropBox", "/Rotate", "/Type") if key in entries}
            body = [b"/Parent %d 0 R" % root, b"/Contents %d 0 R" % contents,
                    b"/Resources << /XObject << " + names + b" >> >>"]
        else:
            body = [b"/Parent %d 0 R" % root]
        self.writer.write(number, b"<< " + b" ".join([*body, pdfobjects.entries_bytes(entries, ref)]) + b" >>")
        self.last_box = pdfobjects.value_bytes(entries["/MediaBox"], ref) if "/MediaBox" in entries else self.last_box
        ref.flush()

    def _form(self, layer: Layer) -> int:
        """The output number of ``layer``'s page as a Form XObject, written the first time."""
        key = (layer.path, layer.page)
        if key not in self.forms:
            ref = self._copier(layer.path)
            number = self.writer.reserve()
            form = self._made((layer.path, ("form", layer.page)), partial(self._form_body, layer), ref)
            self.writer.write(number, form)
            ref.flush()
            self.forms[key] = number
        return self.forms[key]

    def _form_body(self, layer: Layer, ref: Callable[[Any], bytes]) -> bytes:
        import pikepdf

        entries = self._entries(layer)
        contents = entries.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents else []
        packed = zlib.compress(b"\n".join(stream.read_bytes() for stream in streams), 6)
        head = [b"/Type /XObject /Subtype /Form", b"/BBox " + pdfobjects.value_bytes(entries["/MediaBox"], ref)]
        if "/Resources" in entries:
            head.append(b"/Resources " + pdfobjects.value_bytes(entries["/Resources"], ref))
        return (b"<< " + b" ".join(head) + b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed
                + b"\nendstream")


def _inherited(page: Any, key: str) -> Any:
    node = page.get("/Parent")
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
