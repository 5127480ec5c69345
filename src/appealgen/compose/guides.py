"""The handwriting guide (``appealgen sheet``): what a supporter needs to write a letter in
their own words, per official. Pure: a view model from a letter request, no I/O, no HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass

from appealgen.catalog.geometry import Paper
from appealgen.catalog.models import Lang, Target
from appealgen.compose import addresses
from appealgen.compose.letters import HTML_LANG, LetterRequest, Slip, compose_slip
from appealgen.i18n import chinese_date, english_date
from appealgen.policy import letter_languages

SHORT_POINT = 110
"""Characters at most in one point to make: the ask's first clause, cut at a word if longer."""
RULED_LINES = 24


@dataclass(frozen=True)
class Guide:
    """One official's page: whom to write to, how to greet them, what to ask, by when."""

    target_id: str
    lang: Lang
    html_lang: str
    name_en: str
    name_zh: str | None
    chinese_address: list[str] | None
    latin_address: list[str]
    salutation_en: str
    salutation_zh: str | None
    points: list[str]
    deadline: str
    reference: str


@dataclass(frozen=True)
class GuideDocument:
    title: str
    subject: str
    paper: Paper
    guides: list[Guide]
    slips: list[Slip]
    ruled_lines: int = RULED_LINES


def shorten(ask: str, limit: int = SHORT_POINT) -> str:
    """An ask as a point to make: up to its first ``;``/``；`` or its first "unless" / "and
    ensure" clause (除非 / 并确保), and at most ``limit`` characters, cut at a word with "…"."""
    point = re.split(r"[;；]|,? unless\b|, and (?:ensure|she|he|they)\b|，(?:除非|并确保|并且)", ask.strip(),
                     maxsplit=1)[0].strip()
    point = point.rstrip(".,;。，；")
    if len(point) <= limit:
        return point
    cut = point[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;，") + "…"


def compose_guides(request: LetterRequest, lang: Lang) -> GuideDocument:
    """A guide per official of ``request`` in ``lang``, then the address slips."""
    case = request.case
    [lang] = letter_languages(case, lang)  # refuses Chinese for a case without its Chinese text
    text = case.letter.zh if lang == "zh" and case.letter.zh else case.letter.en
    deadline = chinese_date(case.deadline) if lang == "zh" else english_date(case.deadline, request.sender.locale)
    reference = case.reference or case.id
    guides = [_guide(target, lang, [shorten(ask) for ask in text.asks], deadline, reference)
              for target in request.targets]
    return GuideDocument(title=f"Writing by hand: {case.title_en} ({reference})",
                         subject=f"Handwriting guide on case {case.id} to {', '.join(t.id for t in request.targets)}",
                         paper=request.paper, guides=guides, slips=[compose_slip(t) for t in request.targets])


def _guide(target: Target, lang: Lang, points: list[str], deadline: str, reference: str) -> Guide:
    title_zh = target.title_zh or ""
    return Guide(target_id=target.id, lang=lang, html_lang=HTML_LANG[lang],
                 name_en=f"{target.name_en}, {target.title_en}",
                 name_zh=f"{target.name_zh or ''}{title_zh}" or None,
                 chinese_address=addresses.chinese_block(target), latin_address=addresses.latin_block(target),
                 salutation_en=target.salutation_en, salutation_zh=target.salutation_zh, points=points,
                 deadline=deadline, reference=reference)
