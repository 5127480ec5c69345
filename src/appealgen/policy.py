"""The rules every command follows, each in one place: may I write to this official on this
case today, the defaults (paper, label sheet, envelope, languages), and how long typed text may be.

Pure: no I/O. A command turns a ``Review``'s refusals into errors (``letter``), warnings
(``labels``, ``envelope``: they say nothing about the case) or row problems (``batch``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

from babel import Locale

from appealgen.catalog.geometry import Paper
from appealgen.catalog.models import Case, Lang, Target
from appealgen.errors import RefusalError

LangChoice = Literal["auto", "en", "zh", "en+zh", "zh+en"]
LANG_CHOICES: tuple[LangChoice, ...] = get_args(LangChoice)

# Countries whose offices use US Letter paper (CLDR measurementData, paperSize "US-Letter").
LETTER_PAPER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "BZ", "CL", "CO", "CR", "GT",
                                      "NI", "PA", "PR", "SV", "VE"})


# Defaults ------------------------------------------------------------------------------------

def default_paper(sender: Locale) -> Paper:
    """US Letter where the sender's country uses it, else A4."""
    return "letter" if sender.territory in LETTER_PAPER_TERRITORIES else "a4"


def default_sheet_name(paper: Paper) -> str:
    """The commonest label sheet on ``paper``: Avery 5160 on Letter, L7160 on A4."""
    return "5160" if paper == "letter" else "L7160"


def default_envelope_name(paper: Paper) -> str:
    """The commonest business envelope where ``paper`` is used: US No. 10, else DL."""
    return "US10" if paper == "letter" else "DL"


def letter_languages(case: Case, choice: LangChoice) -> list[Lang]:
    """The languages to write in, in order: ``auto`` follows the case's preferred order (English
    alone while the case has no Chinese text); asking for Chinese then is refused."""
    if choice == "auto":
        preferred = [lang for lang in case.languages if lang in ("en", "zh")]
        langs: list[Lang] = preferred + [lang for lang in ("en", "zh") if lang not in preferred]
        return [lang for lang in langs if lang == "en" or case.letter.zh is not None]
    chosen: list[Lang] = [lang for lang in choice.split("+") if lang in ("en", "zh")]  # type: ignore[misc]
    if "zh" in chosen and case.letter.zh is None:
        raise RefusalError(f"case {case.id!r} has no Chinese letter text yet",
                           f"add a [letter.zh] table (paragraphs, asks_intro, asks) to cases/{case.id}.toml, "
                           "translating [letter.en]; until then write with --lang en (the address slip is "
                           "still in Chinese)")
    return chosen


# May I write? --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    """Why something must not be made as asked, and how to go ahead anyway."""

    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}"


@dataclass(frozen=True)
class Review:
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """Ids of former officials left out (``leave_out_former``): make the rest without them."""

    def enforce(self) -> list[str]:
        """Raise every refusal at once; otherwise return the warnings."""
        if self.refusals:
            raise RefusalError.of([(r.message, r.hint) for r in self.refusals])
        return self.warnings


def review(case: Case | None, targets: Iterable[Target], today: dt.date, known: dict[str, Target], *,
           after_deadline: bool, allow_former: bool, deadline_binds: bool = True,
           leave_out_former: bool = False) -> Review:
    """Whether to write on ``case`` to ``targets`` today. A case past its deadline is refused
    unless ``after_deadline`` (or, where ``deadline_binds`` is false, only warned about); an
    official who has left office is refused, naming the successor, unless ``allow_former``,
    or, with ``leave_out_former`` (a case's targets, not named one by one), left out with a
    warning while someone else is left to make it for. What is allowed anyway becomes a warning."""
    targets = list(targets)
    refusals: list[Refusal] = []
    warnings: list[str] = []
    left_out: list[str] = []
    days = case.days_past_deadline(today) if case else 0
    if case and days > 0:
        passed = (f"case {case.id!r} passed its deadline on {case.deadline:%Y-%m-%d} "
                  f"({days} day{'s' if days != 1 else ''} ago)")
        if deadline_binds and not after_deadline:
            refusals.append(Refusal(passed, "check with your section office, then add --after-deadline"))
        else:
            warnings.append(f"{passed}; check with your section office before sending")
    former = [target for target in targets if target.is_former(today)]
    leave_out = leave_out_former and not allow_former and len(former) < len(targets)
    for target in former:
        successor = known.get(target.successor or "")
        official = f"{target.name_en} ({target.id})"
        since = (f"left office on {target.left_office:%Y-%m-%d}"
                 + (f"; the successor is {successor.name_en} ({successor.id})" if successor
                    else "; no successor is recorded"))
        message = f"{official} {since}"
        if allow_former:
            warnings.append(message)
        elif leave_out:
            left_out.append(target.id)
            warnings.append(f"left out {official}, who {since}; add --allow-former to include them")
        else:
            hint = (f"write to the successor with --target {successor.id}, or add --allow-former" if successor
                    else "choose another --target, or add --allow-former")
            refusals.append(Refusal(message, hint))
    return Review(refusals, warnings, left_out)


def successor_offer(target: Target, known: dict[str, Target], today: dt.date) -> tuple[Target, str] | None:
    """For an official who has left office with a known successor: the successor, and one line
    saying why they are offered instead (the rule ``review`` refuses by); else None."""
    successor = known.get(target.successor or "") if target.is_former(today) else None
    if successor is None:
        return None
    return successor, (f"{target.name_en} left office on {target.left_office:%Y-%m-%d}; "
                       f"{successor.name_en} holds the post now, so the letter goes to {successor.name_en}")


# What a person may type ----------------------------------------------------------------------

TextKind = Literal["line", "address", "note"]
MAX_CHARACTERS: dict[TextKind, int] = {"line": 200, "address": 200, "note": 1000}
"""Characters at most in a name (or any one-line field), in each line of an address, and in a
note (a few sentences): more fits no label or signature, and the time to fit text to a label
grows with it."""
MAX_ADDRESS_LINES = 10


def text_problem(field: str, text: str, kind: TextKind = "line") -> str | None:
    """Why ``text`` is too long for ``field`` (an option or a column, which the message names;
    the text itself it never shows), or None: typed options and supporter rows alike."""
    if kind == "line" and len(lines := text.splitlines()) > 1:  # a name cell with a line break in it
        return f"{field} is on {len(lines)} lines; it must be one line"
    if kind != "address":
        return _too_long(field, text, MAX_CHARACTERS[kind])
    lines = text.splitlines()
    if (count := sum(1 for line in lines if line.strip())) > MAX_ADDRESS_LINES:
        return f"{field} has {count} lines; at most {MAX_ADDRESS_LINES}"
    too_long = (_too_long(f"{field} line {number}", line.strip(), MAX_CHARACTERS[kind])
                for number, line in enumerate(lines, 1))
    return next((problem for problem in too_long if problem), None)


def _too_long(field: str, text: str, limit: int) -> str | None:
    return f"{field} is too long ({len(text)} characters; at most {limit})" if len(text) > limit else None
