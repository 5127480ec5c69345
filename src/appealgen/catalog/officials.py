"""Read the officials' blocks of an Urgent Action: who to write to, their addresses and contacts.

UAs print each official as a short block (title, name, organisation, address lines, labelled
contacts, ``Salutation:``), with ``Copy:`` for copies and an ``ADDITIONAL TARGET(S)`` section at
the end, sometimes as bullets sharing one postal address. Pure: lines in, blocks out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_TITLE_WORDS = ("President", "Party Secretary", "Secretary", "Director", "Ambassador", "Chairman",
                "Chairwoman", "Governor", "Minister", "Head", "Chief", "Procurator", "Mayor")
_ORG_WORDS = re.compile(r"\b(Embassy|Bureau|Committee|Ministry|Office|Department|Government|Branch|"
                        r"Court|Procuratorate|Prison|Police|Consulate|Mission)\b")
_HONORIFIC = re.compile(r"^(Mr|Ms|Mrs|Dr|H\.?E\.?)\.?\s+(.+)$")


@dataclass
class Official:
    """One official's block as the document prints it."""

    role: str  # "primary", "additional" or "copy"
    line: int
    name: str | None = None
    title: str | None = None
    honorific: str | None = None
    organisation: str | None = None
    address: list[str] = field(default_factory=list)
    address_zh: str | None = None
    phone: list[str] = field(default_factory=list)
    fax: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    social: list[str] = field(default_factory=list)
    salutation: str | None = None

    def label(self) -> str:
        """``Ma Xingrui (Party Secretary of Xinjiang)``, or the office alone where no name is given."""
        if self.name:
            return f"{self.name} ({self.title})" if self.title else self.name
        return " - ".join(p for p in (self.title, self.organisation) if p) or "an official"


_LABELS = {"phone": r"Phone|Tel|Telephone", "fax": r"Fax", "email": r"E-?mail",
           "social": r"Twitter|X|Facebook|Instagram|Weibo|WeChat|Social media",
           "salutation": r"Salutation"}
_LABEL = re.compile(rf"^({'|'.join(_LABELS.values())})\s*:\s*(.*)$", re.I)
_COUNTRY = re.compile(r"^(People.s Republic of China|P\.?R\.? China|China|United Kingdom|UK|USA|"
                      r"United States( of America)?)[.,]?$", re.I)
_NAME = re.compile(r"^[A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+){1,3}$")
_NAME_THEN_ADDRESS = re.compile(r"^([A-Z][a-z]+(?: [A-Z][a-z]+){1,3}) (\d.*)$")


def read_officials(lines: list[str], action: int, salutation: int | None, letter_end: int | None) -> list[Official]:
    """The officials of the ``TAKE ACTION`` part (before the model letter's first paragraph),
    then those of the ``ADDITIONAL TARGET(S)`` section."""
    start = action + 1
    after = salutation if salutation is not None else start
    first_paragraph = next((i for i in range(after + 1, len(lines))
                            if re.match(r"^\s*(I\s|ADDITIONAL INFORMATION|Also send copies)", lines[i], re.I)),
                           len(lines))
    zone = [(i, lines[i]) for i in range(start, first_paragraph) if i != salutation]
    officials = _read_blocks(zone, "primary")
    extra = next((i for i in range(letter_end or start, len(lines))
                  if re.match(r"^\s*ADDITIONAL TARGETS?\s*:?\s*$", lines[i], re.I)), None)
    if extra is not None:
        officials += _read_blocks([(i, lines[i]) for i in range(extra + 1, len(lines))], "additional")
    return officials


def _split(zone: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines as blocks need them: ``Copy:`` on a line of its own, a name glued to its street
    number (``Ma Xingrui 479 Zhongshan Lu``) apart, a copy's wrapped lines joined."""
    split: list[tuple[int, str]] = []
    for index, raw in zone:
        for part in re.split(r"\s+(?=(?:Copy|And copies to)\s*:)", raw.strip(), flags=re.I):
            if match := _NAME_THEN_ADDRESS.match(part):
                split += [(index, match[1]), (index, match[2])]
            else:
                split.append((index, part))
    joined: list[tuple[int, str]] = []
    in_copy = False
    for index, line in split:
        if re.match(r"^(Copy|And copies to)\s*:", line, re.I):
            in_copy = True
            joined.append((index, line))
        elif in_copy and line:
            joined[-1] = (joined[-1][0], f"{joined[-1][1]} {line}")
        else:
            in_copy = False
            joined.append((index, line))
    return joined


def _read_blocks(zone: list[tuple[int, str]], role: str) -> list[Official]:
    blocks: list[Official] = []
    group: list[Official] = []  # bulleted officials that share the address after them
    shared = False
    chinese_next = False
    for index, line in _split(zone):
        current = blocks[-1] if blocks else None
        receivers = group if shared and group else [current] if current else []
        if not line or line.startswith("http"):
            continue
        if chinese_next and re.search(f"[{CJK}]", line):
            for official in receivers:
                official.address_zh = line
            chinese_next = False
            continue
        if re.search(r"\bin Chinese\s*:\s*$", line, re.I):
            chinese_next = True
            shared = shared or line.lower().startswith("their")
            continue
        if re.match(r"^Their postal address", line, re.I):
            shared = True
            continue
        if match := re.match(r"^(?:Copy|And copies to)\s*:\s*(.*)$", line, re.I):
            blocks.append(_copy(match[1], index))
            group, shared = [], False
            continue
        if line[:1] in "•\u2022-–*":
            blocks.append(_bulleted(re.sub(r"^[•\u2022\-–*\s]+", "", line), index, role))
            group.append(blocks[-1])
            continue
        if len(line) > 70 and line[-1] in ".:" and not _LABEL.match(line):
            continue  # a sentence of instructions, not part of an address
        if re.match(r"^\d+\.\s", line):
            continue  # the numbered steps of TAKE ACTION
        if current is not None and _labelled(line, current):
            continue
        kind = _kind(line)
        if kind in ("title", "name", "honorific") and (
                current is None or current.address or current.email or current.fax or current.phone
                or (kind == "name" and current.name) or (kind == "title" and current.title)):
            blocks.append(Official(role=role, line=index + 1))
            current, group, shared = blocks[-1], [], False
            receivers = [current]
        if current is None:
            continue
        _add(current, receivers, kind, line)
    return blocks


def _kind(line: str) -> str:
    if re.search(r"\d", line):
        return "address"
    if _HONORIFIC.match(line):
        return "honorific"
    if any(line.startswith(word) for word in _TITLE_WORDS):
        return "title"
    if _ORG_WORDS.search(line):
        return "organisation"
    if _COUNTRY.match(line.replace("’", "'")):
        return "address"
    if _NAME.match(line):
        return "name"
    return "other"


def _add(current: Official, receivers: list[Official], kind: str, line: str) -> None:
    if kind == "honorific":
        match = _HONORIFIC.match(line)
        assert match
        current.honorific, current.name = match[1], match[2]
    elif kind == "title":
        word = next(w for w in _TITLE_WORDS if line.startswith(w))
        rest = line[len(word):].strip(" -,")
        if rest and _NAME.match(rest) and not rest.startswith("of "):
            current.title, current.name = word, rest
        else:
            current.title = line
    elif kind == "name" and not current.name:
        current.name = line
    elif kind in ("organisation", "other") and not current.organisation and not current.address:
        current.organisation = line
    else:
        for official in receivers or [current]:
            official.address.append(line.strip(" ,"))


def _labelled(line: str, current: Official) -> bool:
    """Phone, fax, email, social handles and salutation lines; ``Phone: … / Fax: …`` too."""
    parts = [part.strip() for part in re.split(r"\s+/\s+(?=[A-Za-z-]+\s*:)", line)]
    matches = [_LABEL.match(part) for part in parts]
    if not all(matches):
        return False
    for match in matches:
        assert match
        field = next(name for name, pattern in _LABELS.items() if re.fullmatch(pattern, match[1], re.I))
        value = match[2].strip()
        if field == "salutation":
            current.salutation = value if value[-1:] in ",:" else value + ","
        elif field == "social":
            links = re.findall(r"\((https?://[^)\s]+)\)", value)
            current.social += links or [v.strip() for v in re.split(r"[;,]|\s+", value) if v.strip()]
        else:
            getattr(current, field).extend(v.strip() for v in re.split(r"\s*[;/]\s*", value) if v.strip())
    return True


def _copy(text: str, index: int) -> Official:
    """``Director - Urumqi Public Security Bureau Shayibake Branch 4 Jingyi Lu, Urumqi, …``."""
    official = Official(role="copy", line=index + 1)
    match = re.search(r"\s(?=\d)", text)
    head, address = (text[:match.start()], text[match.end():]) if match else (text, "")
    title, _, organisation = head.partition(" - ")
    official.title = title.strip(" ,") or None
    official.organisation = organisation.strip(" ,") or None
    official.address = [part.strip() for part in address.split(",") if part.strip()]
    return official


def _bulleted(text: str, index: int, role: str) -> Official:
    """``Ma Xingrui, party secretary of Xinjiang, and``: the name, then the title."""
    name, _, title = text.partition(",")
    title = re.sub(r"[,.;]?\s*(and|or)?\s*$", "", title.strip()).strip(" ,.;")
    return Official(role=role, line=index + 1, name=name.strip(), title=title or None)
