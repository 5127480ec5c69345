"""The text of an Urgent Action document: ``.txt`` and ``.md`` as written, ``.pdf`` from its text
layer, read column by column (UAs often set two officials' addresses side by side)."""

from __future__ import annotations

from pathlib import Path

from appealgen.catalog.reading import FileRefused, read_bounded
from appealgen.errors import AppealgenError

MAX_DOCUMENT = 20 << 20
"""Bytes in a UA document at most: the seeds' PDFs are a few hundred KB."""
TEXT_SUFFIXES = (".txt", ".md")


def read_document(path: Path) -> str:
    """The document's text; refuse (one line naming the file) what cannot be read as a UA."""
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, ".pdf"):
        raise AppealgenError(f"{path.name}: not a .pdf, .txt or .md file",
                             "import the Urgent Action as a PDF, or save its text as .txt")
    try:
        data = read_bounded(path, MAX_DOCUMENT, "a UA document")
    except FileNotFoundError:
        raise AppealgenError(f"{path}: no such file") from None
    except FileRefused as exc:
        raise AppealgenError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise AppealgenError(f"{path.name}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise AppealgenError(f"{path.name}: the file is empty", "import the Urgent Action's PDF or its text")
    if suffix == ".pdf":
        from appealgen.catalog.pdftext import pdf_text

        return pdf_text(data, path.name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AppealgenError(f"{path.name}: not UTF-8 text", "save the text as UTF-8, or import the PDF") from None
