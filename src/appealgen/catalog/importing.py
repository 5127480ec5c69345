"""Read an Urgent Action document's text into a draft case: pure parsing, no files.

UAs keep a stable structure (heading, summary, ``TAKE ACTION``, the officials' blocks, the model
letter, ``ADDITIONAL INFORMATION``, then the labelled lines: preferred language, deadline, name and
pronoun, previous UA). Each value found remembers the document line it came from, so the case
file can say where every field came from. Nothing is guessed: what the document does not give
stays empty, and the review says so.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from appealgen.catalog.officials import CJK, Official, read_officials
from appealgen.errors import AppealgenError


@dataclass(frozen=True)
class Found:
    """A value and the (1-based) document line it was read from."""

    value: str
    line: int


@dataclass(frozen=True)
class PersonDraft:
    name: str
    pronouns: str
    line: int
    group: bool = False
    name_zh: Found | None = None


@dataclass
class Draft:
    """Everything read from one UA document."""

    title: Found | None = None
    summary: Found | None = None
    reference: Found | None = None
    ai_index: Found | None = None
    deadline: tuple[dt.date, int] | None = None
    languages: tuple[list[str], int] | None = None
    other_languages: list[str] = field(default_factory=list)
    people: list[PersonDraft] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    salutation: Found | None = None
    paragraphs: list[Found] = field(default_factory=list)
    asks_intro: Found | None = None
    asks: list[Found] = field(default_factory=list)
    previous_ua: Found | None = None


class NotAnUrgentAction(AppealgenError):
    """The document lacks what every UA has."""


_BULLETS = "•·\uf0b7\u2022\u25aa\u25cf*-–"
_SENTENCE_END = re.compile(r"[.!?][\"”’]?$")
_LANGUAGES = {"english": "en", "chinese": "zh", "mandarin": "zh"}
_END_OF_LETTER = re.compile(r"^\s*(Yours (sincerely|faithfully)|Sincerely)\b", re.I)


def clean_document(text: str) -> list[str]:
    """The document's lines, Markdown emphasis and link targets of ``#`` removed, NFC, no
    private-use bullets or trailing spaces (line numbers stay those of the document)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("**", "").replace("\uf0b7", "•")
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    return [line.rstrip() for line in text.split("\n")]


def parse_document(text: str) -> Draft:
    """Read ``text`` (a UA as plain text or Markdown) into a ``Draft``; refuse a document that
    is not an Urgent Action."""
    lines = clean_document(text)
    if not any(line.strip() for line in lines):
        raise NotAnUrgentAction("the document is empty", "import the Urgent Action's PDF or its text")
    heading = _find(lines, r"^\s*URGENT ACTION\s*$")
    draft = Draft()
    _read_labelled_lines(lines, draft)
    if heading is None or draft.deadline is None:
        missing = " and ".join(what for what, gone in (("no 'URGENT ACTION' heading", heading is None),
                                                       ("no deadline ('… until: DATE')", draft.deadline is None))
                               if gone)
        raise NotAnUrgentAction(f"this is not an Urgent Action: {missing}",
                                "import a UA document (a press release or report cannot become a case)")
    _read_heading(lines, heading, draft)
    # Older UAs have no model letter: bulleted asks after PLEASE WRITE IMMEDIATELY, then the
    # officials after PLEASE SEND APPEALS BEFORE <date> TO.
    appeals = _find(lines, r"^\s*PLEASE SEND APPEALS\b", heading)
    action = appeals if appeals is not None else _find(lines, r"^\s*TAKE ACTION\b", heading)
    if appeals is not None:
        _read_bulleted_asks(lines, heading, appeals, draft)
    salutation = _find(lines, r"^\s*Dear\b.*[,:]\s*$", action or heading)
    letter_end = _find(lines, _END_OF_LETTER.pattern, salutation or action or heading, flags=re.I)
    if salutation is not None:
        draft.salutation = Found(lines[salutation].strip(), salutation + 1)
    if action is not None:
        draft.officials = read_officials(lines, action, salutation, letter_end)
    if letter_end is not None and appeals is None:
        _read_letter(lines, salutation if salutation is not None else action or heading, letter_end, draft)
    _read_chinese_names(lines, draft)
    return draft


def _find(lines: list[str], pattern: str, start: int | None = 0, *, flags: int = 0) -> int | None:
    compiled = re.compile(pattern, flags)
    return next((i for i in range(start or 0, len(lines)) if compiled.search(lines[i])), None)


def _read_heading(lines: list[str], heading: int, draft: Draft) -> None:
    body = [(i, line.strip()) for i, line in enumerate(lines) if i > heading and line.strip()]
    if not body:
        return
    index, title = body[0]
    draft.title = Found(sentence_case(title, lines), index + 1)
    summary: list[str] = []
    for _i, line in body[1:]:
        if re.match(r"^(TAKE ACTION|PLEASE WRITE|PLEASE SEND)\b", line):
            break
        summary.append(line)
    if summary:
        draft.summary = Found(" ".join(summary), index + 2)
    full = "\n".join(lines)
    if match := re.search(r"\b(?:UA|Urgent Action)\s*:?\s+(\d{1,3})[./](\d{2})\b", full):
        draft.reference = Found(f"UA {int(match[1])}/{match[2]}", full.count("\n", 0, match.start()) + 1)
    for match in re.finditer(r"\b([A-Z]{3})\s?(\d{2})/(\d{3,5})/(\d{4})\b", full, re.I):
        number = full.count("\n", 0, match.start()) + 1
        if not re.match(r"\s*LINK TO PREVIOUS", lines[number - 1], re.I):  # that is the earlier UA's index
            draft.ai_index = Found(f"{match[1].upper()} {match[2]}/{match[3]}/{match[4]}", number)
            break


def sentence_case(title: str, lines: list[str]) -> str:
    """An all-capitals heading in sentence case, keeping the capitals of the words the document
    writes capitalised elsewhere (Xinjiang, Kazakh)."""
    if title != title.upper():
        return title
    prose = " ".join(line for line in lines if line != line.upper())
    words = title.lower().split()

    def proper(word: str) -> bool:
        return bool(re.search(rf"\b{re.escape(word.capitalize())}\b", prose)
                    and not re.search(rf"\b{re.escape(word)}\b", prose))

    kept = [word.capitalize() if index == 0 or proper(word) else word for index, word in enumerate(words)]
    return " ".join(kept)


def _read_labelled_lines(lines: list[str], draft: Draft) -> None:
    for index, raw in enumerate(lines):
        line = raw.strip()
        if match := re.search(r"(?:UNTIL|BEFORE)\s*:?\s*(\d{1,2} [A-Za-z]+ \d{4})", line, re.I):
            try:
                date = dt.datetime.strptime(match[1].title(), "%d %B %Y").date()
            except ValueError:
                continue
            draft.deadline = draft.deadline or (date, index + 1)
        elif match := re.match(r"PREFERRED LANGUAGES? TO ADDRESS TARGETS?\s*:\s*(.+)", line, re.I):
            found = [w.strip().lower() for w in re.split(r",|/|\bor\b|\band\b", match[1]) if w.strip()]
            draft.languages = ([_LANGUAGES[w] for w in found if w in _LANGUAGES], index + 1)
            draft.other_languages = [w for w in found if w not in _LANGUAGES]
        elif match := re.match(r"NAMES? AND (?:PREF+ER+ED )?PRONOUNS?\s*:\s*(.+)", line, re.I):
            for person in re.finditer(r"\[?([^\[\]();,]+?)\]?\s*\((she/her|he/him|they/them)\)", match[1]):
                name = person[1].strip()
                group = name.lower() in ("group", "a group")
                draft.people.append(PersonDraft(name=name, pronouns=person[2], line=index + 1, group=group))
        elif match := re.match(r"PLEASE WRITE IMMEDIATELY in (.+?)(?:,? or (?:in )?your own language)?\s*:?\s*$",
                               line, re.I):
            found = [w.strip().lower() for w in re.split(r",|/|\bor\b|\band\b", match[1]) if w.strip()]
            draft.languages = draft.languages or ([_LANGUAGES[w] for w in found if w in _LANGUAGES], index + 1)
        elif match := re.match(r"Name\s*:\s*(.+)$", line):
            gender = next((re.match(r"Gender m/f\s*:\s*([mf])\b", lines[n].strip(), re.I)
                           for n in range(index + 1, min(index + 3, len(lines)))), None)
            if gender:
                pronouns = "she/her" if gender[1].lower() == "f" else "he/him"
                draft.people.append(PersonDraft(name=match[1].strip(), pronouns=pronouns, line=index + 1))
        elif match := re.match(r"LINK TO PREVIOUS UA\s*:\s*(\S+)", line, re.I):
            url = match[1]
            if url.endswith("-") and index + 1 < len(lines):
                url += lines[index + 1].strip().split()[0]
            draft.previous_ua = Found(url, index + 1)


def _read_chinese_names(lines: list[str], draft: Draft) -> None:
    """A person's Chinese name where the document writes it in brackets after the Latin one."""
    full = "\n".join(lines)
    people = []
    for person in draft.people:
        match = re.search(re.escape(person.name) + rf"\s*[（(]([{CJK}·.．]+)[)）]", full)
        if match:
            person = PersonDraft(person.name, person.pronouns, person.line, person.group,
                                 Found(match[1], full.count("\n", 0, match.start()) + 1))
        people.append(person)
    draft.people = people


def _read_letter(lines: list[str], start: int, end: int, draft: Draft) -> None:
    """The model letter's paragraphs, then its asks (after the line ending ``to:``)."""
    body = [(i, lines[i]) for i in range(start + 1, end)]
    intro = next((i for i, line in body if re.search(r"\b(urge|call on|ask|request)\b.*\bto:\s*$", line)), None)
    if intro is None:
        return
    draft.asks_intro = Found(lines[intro].strip(), intro + 1)
    first = next((i for i, line in body if re.match(r"^\s*I\s", line) and i < intro), None)
    if first is not None:
        draft.paragraphs = _paragraphs([(i, line) for i, line in body if first <= i < intro])
    draft.asks = _asks([(i, line) for i, line in body if i > intro])


def _read_bulleted_asks(lines: list[str], heading: int, appeals: int, draft: Draft) -> None:
    """An older UA's asks: the bullets after PLEASE WRITE IMMEDIATELY."""
    start = _find(lines, r"^\s*PLEASE WRITE\b", heading)
    if start is not None and start < appeals:
        draft.asks = _asks([(i, lines[i]) for i in range(start + 1, appeals)])


def _paragraphs(body: list[tuple[int, str]]) -> list[Found]:
    """Join wrapped lines into paragraphs. With blank lines, a blank after a sentence's end
    closes a paragraph (a PDF's text also puts blanks inside them); without, a short line
    ending a sentence does."""
    has_blanks = any(not line.strip() for _i, line in body)
    width = max((len(line.strip()) for _i, line in body), default=0)
    paragraphs: list[Found] = []
    current: list[str] = []
    start = 0
    for index, raw in body:
        line = raw.strip()
        if not line:
            if current and _SENTENCE_END.search(current[-1]):
                paragraphs.append(Found(_join(current), start + 1))
                current = []
            continue
        if not current:
            start = index
        current.append(line)
        if not has_blanks and _SENTENCE_END.search(line) and len(line) < 0.85 * width:
            paragraphs.append(Found(_join(current), start + 1))
            current = []
    if current:
        paragraphs.append(Found(_join(current), start + 1))
    return paragraphs


def _asks(body: list[tuple[int, str]]) -> list[Found]:
    """Bulleted asks (a bullet starts each, wrapped lines continue it), or one a line."""
    bulleted = any(line.strip()[:1] in _BULLETS for _i, line in body if line.strip())
    asks: list[tuple[int, list[str]]] = []
    for index, raw in body:
        line = raw.strip()
        if not line:
            continue
        if bulleted:
            starts = bool(line[:1] in _BULLETS or re.match(r"^\d+[.)]\s", line))
        else:  # one ask a line, or an indented first line and wrapped lower-case ones
            ended = bool(asks) and bool(re.search(r"[.;!]$", asks[-1][1][-1]))
            starts = line[:1].isupper() and (not asks or raw[:1].isspace() or ended)
        line = re.sub(rf"^(?:[{re.escape(_BULLETS)}]|\d+[.)])\s*", "", line) if starts else line
        if starts or not asks:
            asks.append((index, [line]))
        else:
            asks[-1][1].append(line)
    found = [Found(_join(parts), index + 1) for index, parts in asks]
    # A list of asks is one sentence: each but the last ends with ';', the last with '.'.
    return [Found(_end_ask(ask.value, last=n == len(found) - 1), ask.line) for n, ask in enumerate(found)]


def _end_ask(text: str, *, last: bool) -> str:
    text = text.rstrip(" ;,.")
    return text + ("." if last else ";")


def _join(parts: list[str]) -> str:
    """Wrapped lines as one line: a word broken at a hyphen is joined back."""
    text = ""
    for part in parts:
        if text.endswith("-") and not text.endswith(" -") and part[:1].islower():
            text += part
        else:
            text = f"{text} {part}" if text else part
    return re.sub(r"\s+", " ", text).strip()


def slug(text: str) -> str:
    """A case or target id from a name: ``Kamile Wayit`` → ``kamile-wayit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
