"""The mailing's manifest (``manifest.csv``) and the per-recipient file names."""

from __future__ import annotations

import csv
import io
import re

from appealgen.output.files import safe_filename

MANIFEST_FIELDS = ("row", "name", "case", "target", "lang", "status", "pages", "first_page", "last_page", "file",
                   "label", "problem")
"""``first_page`` and ``last_page``: where the letter is in ``letters.pdf`` (from 1); ``label``:
what its label left off (``no room for the return address``)."""


def recipient_file_name(row: int, name: str, width: int) -> str:
    """``NNNN-slug.pdf``: the row number keeps names unique and in order; the slug is ASCII,
    with no separators or reserved names, and bounded."""
    return f"{row:0{width}d}-{safe_filename(name, suffix='', fallback='supporter', limit=60)}.pdf"


def manifest_bytes(lines: list[dict[str, object]]) -> bytes:
    """``manifest.csv`` for Excel: UTF-8 with BOM, and no cell that Excel would run as a formula."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for line in lines:
        writer.writerow({key: excel_safe(str(value)) for key, value in line.items()})
    return buffer.getvalue().encode("utf-8-sig")


# Where Excel may start a cell inside a value: Excel splits on the list separator of the
# user's locale (, or ;) or a tab, and a line break ends a row; spaces may come before a formula.
# Quoting the value is not enough: in a ;-locale a " inside a ,-separated field is no quote.
_CELL_START = re.compile(r"(^|[,;\t\r\n])( *)(?=[=+\-@])")


def excel_safe(value: str) -> str:
    """OWASP CSV injection: every part of ``value`` that Excel, whatever it splits on, could
    read as a cell starting with = + - @ (or the value starting with tab or CR) gets a ' first."""
    value = _CELL_START.sub(r"\1\2'", value)
    return f"'{value}" if value[:1] in ("\t", "\r") else value
