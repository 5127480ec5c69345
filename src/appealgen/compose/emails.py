"""The view model of appeal emails: pure, no I/O. One email per official, holding the same
letters a printed appeal would (``compose_document``), with the official's addresses and a
subject; and the shorter versions tried when a ``mailto:`` link must stay short."""

from __future__ import annotations

from dataclasses import dataclass, replace

from appealgen.compose.letters import Letter, LetterRequest, compose_document


@dataclass(frozen=True)
class Email:
    case_id: str
    target_id: str
    to_name: str
    to: list[str]
    subject: str
    letters: list[Letter]


def compose_emails(request: LetterRequest) -> list[Email]:
    """One email per target of ``request`` (each must have an email address)."""
    case = request.case
    doc = compose_document(replace(request, labels=False))
    person = ", ".join(p.name_en for p in case.people) if len(case.people) <= 2 else case.title_en
    subject = f"{case.reference}: {person}" if case.reference else f"{case.title_en}: {person}"
    return [Email(case.id, target.id, target.addressee_en, list(target.email), subject,
                  [letter for letter in doc.letters if letter.target_id == target.id])
            for target in request.targets]


def shorter_versions(email: Email) -> list[tuple[Email, str]]:
    """Ever shorter versions of ``email``, each with what it leaves out: the first language
    only, then without the background paragraphs (the asks, thanks and signature stay)."""
    versions = []
    first = email.letters[:1]
    if len(email.letters) > 1:
        versions.append((replace(email, letters=first), "only the first language"))
    versions.append((replace(email, letters=[replace(first[0], paragraphs=[])]),
                     "only the first language, without the background paragraphs"))
    return versions
