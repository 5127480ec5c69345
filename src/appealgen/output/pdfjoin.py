"""Join pages of many PDFs into one file, streaming: memory stays bounded by one source.

A library merge (pikepdf, qpdf, pypdf) holds the whole result in memory until it is saved:
20,000 letter pages took 490 MB in pikepdf and 370 MB in the qpdf program. Here each source
is opened in turn, the objects its chosen pages reach are written out at once under new
numbers, and only the byte offsets are kept for the cross-reference table. Inheritable page
attributes are copied onto each page, so nothing depends on the source's page tree.

Each source subsets its fonts on its own, and WeasyPrint tags a subset from the font's name
(``LWGGBP+Noto-Serif-CJK-SC`` in every chunk); ISO 32000 §9.6.4 wants distinct subsets to
have distinct tags (a printer that caches fonts by name prints the wrong glyphs, or none). So
the tag of every embedded subset is made anew from its font program's bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from appealgen.output.files import atomic_path

INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
BLANK = None
"""In a page list: a blank page the size of the page before it (for duplex printing)."""
_SUBSET_TAG = re.compile(r"/[A-Z]{6}\+")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class Source:
    path: Path
    pages: Sequence[int | None]
    """Page indices from 0, in the order wanted; ``BLANK`` for a blank page."""


class _Writer:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.offsets: list[int] = []

    def reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets)

    def write(self, number: int, body: bytes) -> None:
        self.offsets[number - 1] = self.stream.tell()
        self.stream.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")


def join(path: Path, sources: Iterable[Source], title: str, subject: str) -> int:
    """Write the chosen pages of ``sources``, in order, to ``path`` (atomically), with only
    ``title`` and ``subject`` as metadata; return the number of pages."""
    import pikepdf

    digest = hashlib.md5(usedforsecurity=False)
    with atomic_path(path) as temp, temp.open("wb") as stream:
        stream.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        writer = _Writer(stream)
        catalog, root, info = writer.reserve(), writer.reserve(), writer.reserve()
        kids: list[int] = []
        for source in sources:
            digest.update(str(source.path.name).encode() + repr(list(source.pages)).encode())
            with pikepdf.open(source.path) as pdf:
                _copy_pages(pdf, source.pages, writer, root, kids)
        writer.write(root, b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                     + b"] /Count %d >>" % len(kids))
        writer.write(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % root)
        writer.write(info, b"<< /Title " + _string(title) + b" /Subject " + _string(subject) + b" >>")
        xref = stream.tell()
        stream.write(b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(writer.offsets) + 1))
        stream.writelines(b"%010d 00000 n\r\n" % offset for offset in writer.offsets)
        file_id = digest.hexdigest().encode()
        stream.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                     % (len(writer.offsets) + 1, catalog, info, file_id, file_id, xref))
    return len(kids)


def _copy_pages(pdf: Any, wanted: Sequence[int | None], writer: _Writer, root: int, kids: list[int]) -> None:
    """Write the wanted pages of ``pdf`` and every object they reach, numbered anew."""
    numbers: dict[tuple[int, int], int] = {}
    queue: list[Any] = []

    def ref(obj: Any) -> bytes:
        key = obj.objgen
        if key not in numbers:
            numbers[key] = writer.reserve()
            queue.append(obj)
        return b"%d 0 R" % numbers[key]

    last_box = None
    for index in wanted:
        number = writer.reserve()
        kids.append(number)
        if index is BLANK:
            writer.write(number, b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << >> >>"
                         % (root, last_box or b"[0 0 595.276 841.89]"))
            continue
        page = pdf.pages[index].obj
        entries = {key: value for key, value in page.items() if key != "/Parent"}
        for key in INHERITED:
            if key not in entries and (value := _inherited(page, key)) is not None:
                entries[key] = value
        body = [b"/Parent %d 0 R" % root]
        body += [_name(key) + b" " + _value(value, ref) for key, value in sorted(entries.items())]
        writer.write(number, b"<< " + b" ".join(body) + b" >>")
        last_box = _value(entries["/MediaBox"], ref) if "/MediaBox" in entries else last_box
        while queue:
            obj = queue.pop()
            writer.write(numbers[obj.objgen], _body(obj, ref))


def _inherited(page: Any, key: str) -> Any:
    node = page.get("/Parent")
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _body(obj: Any, ref: Any) -> bytes:
    """An indirect object's own body: its value, or a stream's dictionary and raw data."""
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        data = obj.read_raw_bytes()
        entries = {key: value for key, value in obj.stream_dict.items() if key != "/Length"}
        head = b" ".join(_name(key) + b" " + _value(value, ref) for key, value in sorted(entries.items()))
        return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    return _direct(obj, ref)


def _value(value: Any, ref: Any) -> bytes:
    """A value inside a dictionary or array: a reference if it is an indirect object."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return bytes(ref(value))
    return _direct(value, ref)


def _direct(value: Any, ref: Any) -> bytes:
    import pikepdf

    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal | float):
        return _number(value)
    if value is None:
        return b"null"
    if isinstance(value, pikepdf.Dictionary):
        entries = {**dict(value.items()), **_retagged(value)}
        return b"<< " + b" ".join(_name(k) + b" " + _value(v, ref) for k, v in sorted(entries.items())) + b" >>"
    if isinstance(value, pikepdf.Array):
        return b"[" + b" ".join(_value(item, ref) for item in value) + b"]"
    return bytes(value.unparse())


def _retagged(dictionary: Any) -> dict[str, Any]:
    """For a font or font descriptor of an embedded subset: its name (``BaseFont`` or
    ``FontName``) with a tag made from the font program, so the same subset gets the same tag
    and different subsets different tags; for anything else nothing."""
    import pikepdf

    kind = dictionary.get("/Type")
    key = {"/Font": "/BaseFont", "/FontDescriptor": "/FontName"}.get(str(kind)) if kind is not None else None
    if key is None or not _SUBSET_TAG.match(name := str(dictionary.get(key, ""))):
        return {}
    descriptor = dictionary
    if "/DescendantFonts" in dictionary:  # a Type0 font: its one CIDFont has the descriptor
        descriptor = dictionary["/DescendantFonts"][0]
    descriptor = descriptor.get("/FontDescriptor", descriptor)
    programs = [descriptor[file] for file in _FONT_FILES if file in descriptor]
    if not programs:  # not embedded (or a Type3 font): nothing to tell apart
        return {}
    digest = hashlib.sha256(programs[0].read_raw_bytes()).digest()
    tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
    return {key: pikepdf.Name(f"/{tag}+{name[8:]}")}


def _number(value: Decimal | float) -> bytes:
    text = f"{value:f}" if isinstance(value, Decimal) else repr(float(value))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.encode()


def _name(key: str) -> bytes:
    import pikepdf

    return bytes(pikepdf.Name(key).unparse())


def _string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
