"""Turn a parsed Urgent Action (``importing.Draft``) into data files: the case's TOML, draft
entries for officials ``targets.toml`` does not know yet, and the review a person reads.

Pure: the texts are returned, the service writes them. Every field carries a comment naming
the document line it came from; what the document does not give is left out and reviewed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from appealgen.catalog.importing import Draft, Found, slug
from appealgen.catalog.models import Target
from appealgen.catalog.officials import Official


@dataclass
class Imported:
    """What an import writes and what it tells the person who ran it."""

    case_id: str
    case_toml: str
    targets_toml: str = ""
    new_targets: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    needs_person: list[str] = field(default_factory=list)


def q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def at(line: int) -> str:
    """Where a value came from: its document line (0: typed at ``appealgen case new``)."""
    return f"# line {line}" if line else "# as typed"


def case_id_for(draft: Draft) -> str | None:
    """The id from the main person's name (``kamile-wayit``), or None for a group."""
    person = next((p for p in draft.people if not p.group), None)
    return slug(person.name) if person else None


def match_target(official: Official, targets: dict[str, Target]) -> Target | None:
    """The known official: same name; or, for an office without a name, same organisation."""
    if official.name:
        wanted = official.name.lower()
        return next((t for t in targets.values() if t.name_en.lower() == wanted), None)
    if official.organisation:
        return next((t for t in targets.values() if t.address.latin.organisation == official.organisation
                     and (not official.title or t.title_en.startswith(official.title))), None)
    return None


def build_import(draft: Draft, case_id: str, source: str, targets: dict[str, Target]) -> Imported:
    """The case file and the new target entries for ``draft``, and the review."""
    result = Imported(case_id=case_id, case_toml="")
    roles: dict[str, list[tuple[str, int]]] = {"primary": [], "additional": [], "copy": []}
    taken = set(targets)
    for official in draft.officials:
        known = match_target(official, targets)
        if known is None:
            target_id = _free_id(slug(official.name or official.organisation or official.title or "official"), taken)
            taken.add(target_id)
            result.targets_toml += _target_toml(target_id, official, draft, source)
            result.new_targets.append(target_id)
            result.needs_person.append(
                f"{official.label()} ({target_id}) is new: a draft entry was added to targets.toml; check its "
                "address parts, and add name_zh, title_zh and salutation_zh from a source (until then letters "
                "to this official are English only)")
        else:
            target_id = known.id
            result.found.append(f"official: {official.label()} = {known.id} in targets.toml")
            _review_known(official, known, targets, result)
        if target_id not in [t for ids in roles.values() for t, _ in ids]:
            roles[official.role].append((target_id, official.line))
    result.case_toml = _case_toml(draft, case_id, source, roles, result)
    return result


def _review_known(official: Official, known: Target, targets: dict[str, Target], result: Imported) -> None:
    if known.left_office:
        successor = targets.get(known.successor or "")
        result.needs_person.append(
            f"{known.name_en} left office on {known.left_office:%Y-%m-%d}: "
            + (f"letters will go to {successor.name_en} ({successor.id})" if successor
               else "no successor is recorded; record one in targets.toml or write to another official")
            + " (the case keeps the official the document names)")
    if official.address_zh and (known.address.zh is None):
        result.needs_person.append(f"the document gives a Chinese address for {known.name_en} "
                                   f"({official.address_zh}); targets.toml has none: add it to [{known.id}.address.zh]")


def _free_id(base: str, taken: set[str]) -> str:
    candidate, number = base or "official", 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _case_toml(draft: Draft, case_id: str, source: str, roles: dict[str, list[tuple[str, int]]],
               result: Imported) -> str:
    lines = [f"# Urgent Action{' ' + draft.reference.value if draft.reference else ''}: "
             f"{draft.title.value if draft.title else case_id} (imported from {source}).",
             "# A draft made by `appealgen case import`: the comment beside each field names the line of the",
             "# document it came from. Check them against the document before printing.", ""]

    def scalar(key: str, found: Found | None, what: str, raw: str | None = None) -> None:
        if found is None:
            lines.append(f"# {key}: not in the document")
            result.missing.append(what)
        else:
            lines.append(f"{key} = {raw or q(found.value)}   {at(found.line)}")
            shown = found.value if len(found.value) <= 70 else found.value[:67] + "…"
            result.found.append(f"{what}: {shown}")

    scalar("reference", draft.reference, "UA number")
    scalar("ai_index", draft.ai_index, "AI index")
    scalar("title_en", draft.title, "title")
    lines.append("# title_zh: not in the document")
    scalar("summary_en", draft.summary, "summary")
    if draft.deadline:
        date, line = draft.deadline
        lines.append(f"deadline = {date:%Y-%m-%d}   {at(line)}")
        result.found.append(f"deadline: {date:%Y-%m-%d}")
    if draft.languages:
        langs, line = draft.languages
        lines.append(f"languages = {json.dumps(langs or ['en'])}   {at(line)}")
        result.found.append(f"preferred languages: {', '.join(langs)}")
    else:
        lines.append('languages = ["en"]   # the document names no preferred language')
        result.missing.append("preferred languages")
    for key, role in (("primary_targets", "primary"), ("additional_targets", "additional"), ("copies", "copy")):
        ids = roles[role]
        numbers = [str(line) for _, line in ids if line]
        where = f"   # line{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}" if numbers else ""
        lines.append(f"{key} = {json.dumps([target_id for target_id, _ in ids])}{where}")
    if not roles["primary"]:
        result.missing.append("the officials to write to (primary_targets)")
    scalar("previous_ua", draft.previous_ua, "link to the previous UA")
    lines += [f"sources = [{q(source)}]",
              f"verified_on = {draft.deadline[0]:%Y-%m-%d}   # the document carries no issue date: its deadline"
              if draft.deadline else "", ""]
    lines += _people_toml(draft, result)
    lines += _letter_toml(draft, result)
    return "\n".join(lines).rstrip() + "\n"


def _people_toml(draft: Draft, result: Imported) -> list[str]:
    lines: list[str] = []
    if not draft.people:
        result.missing.append("the people concerned (NAME AND PRONOUN)")
    for person in draft.people:
        name = draft.title.value if person.group and draft.title else person.name
        lines += ["[[people]]", f"name_en = {q(name)}   {at(person.line)}"]
        if person.group:
            result.needs_person.append(f"the group's name: the document says only [{person.name}]; "
                                       f"name_en is the UA's title for now")
        if person.name_zh:
            lines.append(f"name_zh = {q(person.name_zh.value)}   {at(person.name_zh.line)}")
            result.found.append(f"Chinese name of {person.name}: {person.name_zh.value}")
        else:
            lines.append("# name_zh: not in the document")
        lines.append(f"pronouns = {q(person.pronouns)}   {at(person.line)}")
        if person.group:
            lines.append("group = true")
        result.found.append(f"person: {person.name} ({person.pronouns})")
        lines.append("")
    return lines


def _letter_toml(draft: Draft, result: Imported) -> list[str]:
    lines = ["[letter.en]", "paragraphs = ["]
    lines += [f"  {q(p.value)},   {at(p.line)}" for p in draft.paragraphs]
    lines.append("]")
    if draft.paragraphs:
        result.found.append(f"model letter: {len(draft.paragraphs)} paragraphs")
    else:
        result.needs_person.append("the letter: the document has no model letter, only its asks; write the "
                                   "paragraphs of [letter.en] and check asks_intro reads well before the asks")
    intro = draft.asks_intro
    lines.append(f"asks_intro = {q(intro.value)}   {at(intro.line)}" if intro
                 else 'asks_intro = "I urge you to:"   # not in the document')
    lines.append("asks = [")
    lines += [f"  {q(a.value)},   {at(a.line)}" for a in draft.asks]
    lines += ["]", ""]
    if draft.asks:
        result.found.append(f"asks: {len(draft.asks)}")
    else:
        result.missing.append("the asks")
    lines += ["# [letter.zh]: the document has no Chinese letter. Add [letter.zh] with paragraphs, asks_intro",
              "# and asks, a faithful translation of [letter.en]; until then letters print in English with",
              "# the Chinese address slip."]
    result.needs_person.append("the Chinese letter text: until it is added, letters print in English with the "
                               "Chinese address slip")
    if draft.other_languages:
        result.needs_person.append(f"preferred languages appealgen cannot write: {', '.join(draft.other_languages)}")
    return lines


def _target_toml(target_id: str, official: Official, draft: Draft, source: str) -> str:
    """A draft ``[id]`` entry for an official ``targets.toml`` does not know."""
    title = official.title or "Official"
    name = official.name or official.title or official.organisation or target_id
    salutation = official.salutation or (draft.salutation.value.rstrip(":,") + ","
                                         if official.role == "primary" and draft.salutation else f"Dear {title},")
    addressee = f"{official.honorific} {name}" if official.honorific else (
        f"{title} {name}" if official.name and len(title.split()) == 1 else name)
    verified = f"{draft.deadline[0]:%Y-%m-%d}" if draft.deadline else "1970-01-01"
    lines = ["", "", f"[{target_id}]   # draft from {source}, line {official.line}: check every field",
             f"name_en = {q(name)}", f"title_en = {q(title)}", f"addressee_en = {q(addressee)}",
             f"salutation_en = {q(salutation)}",
             "# name_zh, title_zh, salutation_zh: not in the document; add them from a source"]
    for key in ("phone", "fax", "email", "social"):
        if values := getattr(official, key):
            lines.append(f"{key} = [{', '.join(q(v) for v in values)}]")
    lines += [f"sources = [{q(source)}]", f"verified_on = {verified}   # the document's deadline", ""]
    lines += _address_toml(target_id, official)
    return "\n".join(lines) + "\n"


def _address_toml(target_id: str, official: Official) -> list[str]:
    """Latin address parts from the block's lines: the country last, a postcode, a ``… Qu``
    district, a region or province, the city before them, the street first."""
    parts = [p.strip() for line in official.address for p in line.split(",") if p.strip()]
    country = "CN"
    if parts and re.search(r"China", parts[-1].replace("’", "'")):
        parts.pop()
    postcode = next((p for p in parts if re.fullmatch(r"\d{6}", p)), None)
    parts = [p for p in parts if p != postcode]
    district = next((p for p in parts if p.endswith(" Qu")), None)
    province = next((p for p in parts if re.search(r"Region|Province|Shi$", p)), None)
    rest = [p for p in parts if p not in (district, province)]
    street = rest[0] if rest else None
    city = rest[-1] if len(rest) > 1 else None
    lines = [f"[{target_id}.address]   # {'; '.join(official.address)}", f'country = "{country}"']
    if postcode:
        lines.append(f"postcode = {q(postcode)}")
    lines += ["", f"[{target_id}.address.latin]"]
    for key, value in (("organisation", official.organisation), ("street", street), ("district", district),
                       ("city", city), ("province", province)):
        if value:
            lines.append(f"{key} = {q(value)}")
    if official.address_zh:
        lines.append(f"# Chinese address in the document: {official.address_zh} (split it into "
                     f"[{target_id}.address.zh] province, city, district, street)")
    return lines
