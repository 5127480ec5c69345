"""PDF objects written out as bytes, for the streaming joiner (``pdfjoin``): each indirect
object's body, its references numbered by the caller (``ref``).

Each source subsets its fonts on its own, and WeasyPrint tags a subset from the font's name
(``LWGGBP+Noto-Serif-CJK-SC`` in every chunk); ISO 32000 §9.6.4 wants distinct subsets to
have distinct tags (a printer that caches fonts by name prints the wrong glyphs, or none). So
the tag of every embedded subset is made anew from its font program's bytes (as the source
stored them). Font programs are written compactly (``fontpack``): WeasyPrint's subsets keep
tens of thousands of empty glyphs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from appealgen.output import fontpack

Ref = Callable[[Any], bytes]
"""An object of the source → ``N 0 R``, its number in the output."""
_SUBSET_TAG = re.compile(r"/[A-Z]{6}\+")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def object_bytes(obj: Any, ref: Ref) -> bytes:
    """An indirect object's own body: its value, or a stream's dictionary and raw data."""
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        data = obj.read_raw_bytes()
        entries = {key: value for key, value in obj.stream_dict.items() if key != "/Length"}
        if "/Length1" in entries or entries.get("/Subtype") == "/OpenType":  # an embedded font program
            entries, data = _font_program(entries, data)
        head = entries_bytes(entries, ref)
        return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    return _direct(obj, ref)


def _font_program(entries: dict[str, Any], data: bytes) -> tuple[dict[str, Any], bytes]:
    """A font program's stream dictionary and data, stored compactly when fontpack can."""
    import pikepdf

    plain = {key: str(value) if isinstance(value, pikepdf.Name) else value for key, value in entries.items()}
    if not all(isinstance(value, str | int) for value in plain.values()):
        return entries, data
    packed = fontpack.compact(plain, data)
    if packed is None:
        return entries, data
    packed_entries, packed_data = packed
    return {key: pikepdf.Name(value) if isinstance(value, str) else value
            for key, value in packed_entries.items()}, packed_data


def entries_bytes(entries: dict[str, Any], ref: Ref) -> bytes:
    """A dictionary's entries, in key order, without the brackets."""
    return b" ".join(name_bytes(key) + b" " + value_bytes(value, ref) for key, value in sorted(entries.items()))


def value_bytes(value: Any, ref: Ref) -> bytes:
    """A value inside a dictionary or array: a reference if it is an indirect object."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return bytes(ref(value))
    return _direct(value, ref)


def _direct(value: Any, ref: Ref) -> bytes:
    import pikepdf

    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal | float):
        return number_bytes(value)
    if value is None:
        return b"null"
    if isinstance(value, pikepdf.Dictionary):
        entries = {**dict(value.items()), **_retagged(value)}
        return b"<< " + entries_bytes(entries, ref) + b" >>"
    if isinstance(value, pikepdf.Array):
        return b"[" + b" ".join(value_bytes(item, ref) for item in value) + b"]"
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


def number_bytes(value: Decimal | float) -> bytes:
    text = f"{value:f}" if isinstance(value, Decimal) else repr(float(value))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.encode()


def name_bytes(key: str) -> bytes:
    import pikepdf

    return bytes(pikepdf.Name(key).unparse())


def text_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
