"""The text layer of a UA's PDF, read as a person reads it: a page set in two columns (two
officials' addresses side by side) gives the left column's lines, then the right's."""

from __future__ import annotations

import io
import itertools
import logging
import statistics
from typing import Any

from appealgen.errors import AppealgenError

_GAP = 12.0
"""Points of empty page between two columns at least, across every line of a band."""


def pdf_text(data: bytes, name: str) -> str:
    """The text of the PDF ``data`` (``name`` for messages); refuse an encrypted, broken or
    scanned PDF with one line."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on damaged files are not ours
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many kinds on a damaged file; pdfplumber wraps them
        inner = [exc, *exc.args, exc.__cause__, exc.__context__]
        if any(isinstance(e, (PDFEncryptionError, PDFPasswordIncorrect)) for e in inner):
            raise AppealgenError(f"{name}: the PDF is encrypted", "save it without a password, or import its "
                                 "text as .txt") from None
        kind = type(inner[1] if isinstance(inner[1], Exception) else exc).__name__
        raise AppealgenError(f"{name}: not a readable PDF ({kind})",
                             "download the document again, or import its text as .txt") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise AppealgenError(f"{name}: the PDF has no text layer (a scan?)",
                             "import the UA's original PDF, or its text as .txt (OCR it first)")
    return text


def _page_text(page: Any) -> str:
    """The page's lines, with any band of lines set in two columns read column by column."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    lines = _lines(words)
    out: list[str] = []
    band: list[list[dict[str, Any]]] = []
    split: float | None = None
    tops = [line[0]["top"] for line in lines]
    pitch = statistics.median([b - a for a, b in itertools.pairwise(tops)] or [0.0])
    for number, line in enumerate(lines):
        if number and tops[number] - tops[number - 1] > 1.4 * pitch:  # a paragraph's space above
            out += _band_text(band)
            band, split = [], None
            out.append("")
        here = _split_at(line)
        if here is not None or (split is not None and _one_side(line, split) and not _wide(line, page)):
            split = min(split, here) if split is not None and here is not None else split or here
            band.append(line)
            continue
        split = None
        out += _band_text(band)
        band = []
        out.append(" ".join(w["text"] for w in line))
    out += _band_text(band)
    return "\n".join(out)


def _lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _split_at(line: list[dict[str, Any]]) -> float | None:
    """Where a line's words leave a wide gap (two columns side by side), or None."""
    for left, right in itertools.pairwise(line):
        if right["x0"] - left["x1"] > _GAP * 2:
            return float(right["x0"])
    return None


def _one_side(line: list[dict[str, Any]], split: float) -> bool:
    """Whether a line's words all stand in one column (a column longer than the other)."""
    return all(w["x0"] >= split for w in line) or all(w["x1"] < split for w in line)


def _wide(line: list[dict[str, Any]], page: Any) -> bool:
    """A line running over most of the page is prose, not a column."""
    return float(line[-1]["x1"] - line[0]["x0"]) > 0.6 * float(page.width)


def _band_text(band: list[list[dict[str, Any]]]) -> list[str]:
    """Lines of a two-column band: the left column first, then the right; a blank between."""
    if not band:
        return []
    split = min(x for line in band if (x := _split_at(line)) is not None)
    left = [" ".join(w["text"] for w in line if w["x0"] < split) for line in band]
    right = [" ".join(w["text"] for w in line if w["x0"] >= split) for line in band]
    return [*(t for t in left if t), "", *(t for t in right if t), ""]
