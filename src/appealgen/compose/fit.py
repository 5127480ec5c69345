"""Sizing and wrapping a block of address text to a box, given a function that measures text.

Pure: the caller passes the measure (``fonts.text_width``), so this runs without fonts in tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from appealgen.catalog.geometry import MM_PER_PT, TOLERANCE
from appealgen.fonts import CJK

LINE_HEIGHT = 1.25
"""Line height as a multiple of the font size; the stylesheet sets each line to it."""
GAP = 0.5
"""Space between the parts of a block (Chinese, Latin, sender), in em of the main size."""
STEP = 0.25
"""pt; font sizes are tried from the largest down in these steps."""
WIDTH_SAFETY = 1.03
"""Measured widths are stretched by this before comparing, for shaping the measure omits."""

Script = Literal["zh", "latin"]
Measure = Callable[[str, Script], float]
"""The width of one line of text in em."""


@dataclass(frozen=True)
class Part:
    """Lines of one script, set together: the Chinese block, the Latin block, a sender line."""

    lines: tuple[tuple[str, ...], ...]
    """Each line as segments; a long line wraps between segments first."""
    script: Script
    scale: float = 1.0
    """Font size relative to the block's size."""
    min_pt: float = 0.0
    """This part is never set smaller than this, whatever the block's size."""

    def size(self, block_pt: float) -> float:
        return max(block_pt * self.scale, self.min_pt)


@dataclass(frozen=True)
class FittedPart:
    lines: tuple[str, ...]
    script: Script
    size_pt: float

    @property
    def line_height_pt(self) -> float:
        return self.size_pt * LINE_HEIGHT


@dataclass(frozen=True)
class Fitted:
    """A block sized and wrapped to fit its box."""

    parts: tuple[FittedPart, ...]
    size_pt: float
    height: float
    """mm, from the first line's top to the last line's bottom."""
    gap_pt: float


_TOKEN = re.compile(rf"[{CJK}]\s*|[^\s{CJK}]+\s*|\s+")
"""Inside a segment, a line breaks after a space or between two Han characters, never inside
a word or a number."""


def wrap(segments: Sequence[str], width_em: float, script: Script, measure: Measure) -> list[str] | None:
    """One line of text, given as segments (address parts with their separators), broken into
    lines at most ``width_em`` wide: between segments where it can, inside one only when it
    is too wide alone. None when a single word is wider than the line."""
    lines: list[str] = []
    current = ""

    def fits(text: str) -> bool:
        return measure(text.rstrip(), script) <= width_em

    for segment in segments:
        if fits(current + segment):
            current += segment
            continue
        if current:
            lines.append(current.rstrip())
            current = ""
        if fits(segment):
            current = segment
            continue
        for token in _TOKEN.findall(segment):
            if current and not fits(current + token):
                lines.append(current.rstrip())
                current = token.lstrip()
            else:
                current += token
            if not fits(current):
                return None
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def block_height(parts: Sequence[FittedPart], size_pt: float) -> float:
    """mm: every line at its line height, and a gap between parts."""
    lines = sum(len(part.lines) * part.line_height_pt for part in parts)
    return (lines + GAP * size_pt * (len(parts) - 1)) * MM_PER_PT


def fit(layouts: Sequence[Sequence[Part]], width: float, height: float, measure: Measure,
        max_pt: float, min_pt: float, good_pt: float | None = None) -> Fitted | None:
    """The largest size, from ``max_pt`` down to ``min_pt``, at which one of ``layouts`` (the
    same text, most spacious first) fits ``width`` × ``height`` mm, lines wrapped. A layout
    that fits at ``good_pt`` or more is taken before any later one; otherwise the largest
    size wins and the more spacious layout wins a tie. None if nothing fits at ``min_pt``."""
    best: Fitted | None = None
    for layout in layouts:
        size = max_pt
        while size >= min_pt - TOLERANCE and (best is None or size > best.size_pt + TOLERANCE):
            fitted = _fit_at(layout, size, width, height, measure)
            if fitted is not None:
                best = fitted
                break
            size -= STEP
        if best is not None and good_pt is not None and best.size_pt >= good_pt - TOLERANCE:
            return best
    return best


def _fit_at(layout: Sequence[Part], size: float, width: float, height: float,
            measure: Measure) -> Fitted | None:
    parts = []
    for part in layout:
        part_pt = part.size(size)
        width_em = width / (part_pt * MM_PER_PT) / WIDTH_SAFETY
        lines: list[str] = []
        for segments in part.lines:
            wrapped = wrap(segments, width_em, part.script, measure)
            if wrapped is None:
                return None
            lines.extend(wrapped)
        parts.append(FittedPart(tuple(lines), part.script, part_pt))
    total = block_height(parts, size)
    if total > height + TOLERANCE:
        return None
    return Fitted(parts=tuple(parts), size_pt=size, height=total, gap_pt=GAP * size)
