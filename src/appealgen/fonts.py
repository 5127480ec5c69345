"""The fonts letters are set in, found by fontconfig, and the glyph check before rendering.

WeasyPrint draws a box (``.notdef``) for a character no font has; a box in an official's
name or a supporter's signature ruins the letter, so every text is checked against the
cmaps of the fonts the stylesheet names before anything is rendered.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from appealgen.errors import RefusalError

# The font stacks, in order: the one place they are named. The templates' stylesheets get them
# from here (``css_font_family``), and text is measured and checked against the same fonts.
LATIN_FAMILIES = ("Liberation Serif", "DejaVu Serif", "DejaVu Sans")
CJK_FAMILY = "Noto Serif CJK SC"
FONT_PACKAGES = {"Liberation Serif": "fonts-liberation2", "DejaVu Serif": "fonts-dejavu-core",
                 "DejaVu Sans": "fonts-dejavu-core", CJK_FAMILY: "fonts-noto-cjk"}
_NOT_GLYPHS = frozenset("\n\r\t")


@dataclass(frozen=True)
class FontFile:
    family: str
    path: str
    index: int


def find_font(family: str, lang: str | None = None) -> FontFile | None:
    """The file fontconfig gives for ``family`` (and ``lang``), or None if it substitutes another."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{family}:lang={lang}" if lang else family
    result = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern],
                            capture_output=True, text=True, check=False, timeout=30)
    parts = result.stdout.split("\t")
    if result.returncode != 0 or len(parts) != 3:
        return None
    families = parts[0].split(",")
    if family not in families:
        return None
    return FontFile(family=family, path=parts[1], index=int(parts[2] or 0))


@cache
def _advances(family: str) -> dict[int, float]:
    """Each code point one family of the stack can draw, with its advance width in em (empty
    if the family is not installed)."""
    from fontTools.ttLib import TTFont  # slow import; only when checking or measuring text

    found = find_font(family, "zh-cn" if family == CJK_FAMILY else None)
    if found is None:
        return {}
    with TTFont(found.path, fontNumber=found.index, lazy=True) as font:
        metrics = font["hmtx"].metrics
        units = font["head"].unitsPerEm
        return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}


def is_drawable(char: str) -> bool:
    """Whether some font of the stack has ``char``; fonts are read only as far as needed, so
    Latin text never pays for reading the 45,000-glyph CJK font's cmap."""
    code = ord(char)
    return any(code in _advances(family) for family in LATIN_STACK)


LATIN_STACK = (*LATIN_FAMILIES, CJK_FAMILY)
ZH_STACK = (CJK_FAMILY, *LATIN_FAMILIES)
"""The stacks for Latin text and for ``lang="zh-Hans"`` text."""
CJK = r"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
"""Han characters and CJK punctuation, as a regular-expression character range: text set in
the ZH stack (and wrapped between any two of them)."""


def css_font_family(script: str) -> str:
    """The CSS ``font-family`` value of the stack for ``script`` ("zh" or "latin")."""
    stack = ZH_STACK if script == "zh" else LATIN_STACK
    return ", ".join([*(f'"{family}"' for family in stack), "serif"])


def text_width(text: str, script: str) -> float:
    """The width of ``text`` set on one line, in em, as the stylesheet's font stack for
    ``script`` ("zh" or "latin") draws it: each character from the first font that has it.
    Kerning is left out (it narrows text), so this errs on the wide side."""
    stack = ZH_STACK if script == "zh" else LATIN_STACK
    width = 0.0
    for char in text:
        code = ord(char)
        width += next((advances[code] for advances in map(_advances, stack) if code in advances), 0.0)
    return width


def in_first_font(text: str) -> bool:
    """Whether the Latin stack's first font draws every character of ``text``: a line of such
    text is exactly its line height tall (no other font's ascent or descent enters it)."""
    advances = _advances(LATIN_FAMILIES[0])
    return all(ord(char) in advances for char in text)


def first_undrawable(text: str) -> str | None:
    for char in dict.fromkeys(text):
        if char not in _NOT_GLYPHS and not is_drawable(char):
            return char
    return None


def check_drawable(fields: dict[str, str | None]) -> None:
    """Refuse, naming each field and its first ``U+XXXX``, if any character has no glyph in the
    font stack (every field at once)."""
    refusals: list[tuple[str, str | None]] = []
    for field, text in fields.items():
        if not text:
            continue
        char = first_undrawable(text)
        if char is not None:
            refusals.append((f"{field} contains U+{ord(char):04X}, a character no installed font can draw",
                             "remove or replace it; `appealgen doctor` shows which fonts are installed"))
    if refusals:
        raise RefusalError.of(refusals)
