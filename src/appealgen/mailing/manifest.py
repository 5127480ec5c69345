"""The mailing's manifest (``manifest.csv``) and the per-recipient file names."""

from __future__ import annotations

import csv
import io

from appealgen.output.files import safe_filename

MANIFEST_FIELDS = ("row", "name", "case", "target", "lang", "status", "pages", "file", "problem")


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


def excel_safe(value: str) -> str:
    """OWASP CSV injection: a cell starting with = + - @ tab or CR is prefixed with '."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
