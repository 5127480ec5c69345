"""Build the view model of a letter document: pure, no I/O, no HTML.

A ``LetterRequest`` (case, targets, languages, sender) becomes a ``Document``: one letter per
target and language, in order, then one address slip per target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from babel import Locale

from appealgen.catalog.geometry import Paper
from appealgen.catalog.models import Case, Lang, Pronouns, Target
from appealgen.compose import addresses
from appealgen.errors import AppealgenError
from appealgen.fonts import check_drawable
from appealgen.i18n import chinese_date, english_date
from appealgen.policy import LangChoice, letter_languages

HTML_LANG: dict[Lang, str] = {"en": "en", "zh": "zh-Hans"}

# The closing line, whose grammar follows the case's pronouns.
_THANKS: dict[Lang, dict[Pronouns, str]] = {
    "en": {"she/her": "Thank you for your attention to her case.",
           "he/him": "Thank you for your attention to his case.",
           "they/them": "Thank you for your attention to their cases."},
    "zh": {"she/her": "感谢您对她的案件的关注。",
           "he/him": "感谢您对他的案件的关注。",
           "they/them": "感谢您对他们的案件的关注。"},
}


@dataclass(frozen=True)
class Sender:
    name: str | None = None
    address: str | None = None
    locale: Locale = field(default_factory=lambda: Locale("en", "GB"))

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class LetterRequest:
    case: Case
    targets: list[Target]
    lang: LangChoice
    sender: Sender
    today: dt.date
    paper: Paper
    note: str | None = None
    labels: bool = True
    copies: list[Target] = field(default_factory=list)  # the case's cc, on letters to its primary targets


@dataclass(frozen=True)
class Letter:
    lang: Lang
    html_lang: str
    target_id: str
    date: str
    recipient_lines: list[str]
    salutation: str
    paragraphs: list[str]
    asks_intro: str
    asks: list[str]
    note: str | None
    thanks: str
    reference: str
    copies: list[str]
    sender_name: str | None = None
    sender_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Slip:
    """An address slip to stick on the envelope."""

    target_id: str
    chinese_lines: list[str] | None
    latin_lines: list[str]


@dataclass(frozen=True)
class Document:
    title: str
    subject: str
    paper: Paper
    letters: list[Letter]
    slips: list[Slip]


def compose_document(request: LetterRequest) -> Document:
    """The letters and slips for ``request``; refuse text no installed font can draw."""
    check_drawable({"--sender-name": request.sender.name, "--sender-address": request.sender.address,
                    "--note": request.note})
    case = request.case
    langs = letter_languages(case, request.lang)
    letters = []
    for target in request.targets:
        for position, lang in enumerate(langs):
            note = request.note if position == 0 else None
            copies = request.copies if target.id in case.primary_targets else []
            letters.append(compose_letter(case, target, lang, request.today, request.sender, note, copies))
    slips = [compose_slip(target) for target in request.targets] if request.labels else []
    reference = f" ({case.reference})" if case.reference else ""
    return Document(
        title=f"Appeal: {case.title_en}{reference}",
        subject=f"Letters on case {case.id} to {', '.join(t.id for t in request.targets)}",
        paper=request.paper,
        letters=letters,
        slips=slips,
    )


def compose_letter(case: Case, target: Target, lang: Lang, today: dt.date, sender: Sender,
                   note: str | None, copies: list[Target] | None = None) -> Letter:
    text = case.letter.zh if lang == "zh" and case.letter.zh else case.letter.en
    if lang == "zh":
        if target.salutation_zh is None:
            raise AppealgenError(f"target {target.id!r} has no Chinese salutation (salutation_zh)",
                                 "add it to targets.toml, or write in English with --lang en")
        salutation, date = target.salutation_zh, chinese_date(today)
        recipient: list[str] = []  # a Chinese letter opens with the salutation
    else:
        salutation, date = target.salutation_en, english_date(today, sender.locale)
        recipient = addresses.latin_block(target)
        if target.title_en not in recipient[0]:
            recipient.insert(1, target.title_en)
    return Letter(
        lang=lang, html_lang=HTML_LANG[lang], target_id=target.id, date=date,
        recipient_lines=recipient, salutation=salutation, paragraphs=text.paragraphs,
        asks_intro=text.asks_intro, asks=text.asks, note=note,
        thanks=_THANKS[lang][case.pronouns],
        reference=_reference_line(case, lang),
        copies=[_copy_line(copy, lang) for copy in copies or []],
        sender_name=sender.name, sender_lines=sender.address_lines,
    )


def _copy_line(target: Target, lang: Lang) -> str:
    """Who a copy goes to, as the letter's cc line names them."""
    if lang == "zh" and target.title_zh:
        return (target.name_zh or "") + target.title_zh
    return target.title_en if target.title_en.startswith(target.name_en) else f"{target.name_en}, {target.title_en}"


def _reference_line(case: Case, lang: Lang) -> str:
    ref = case.reference or case.id
    return f"参考：{ref}" if lang == "zh" else f"Ref: {ref}"


def compose_slip(target: Target) -> Slip:
    return Slip(target_id=target.id, chinese_lines=addresses.chinese_block(target),
                latin_lines=addresses.latin_block(target))
