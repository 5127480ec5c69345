"""What the jobs share: the sender as typed, and what a job reports back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from appealgen.catalog.models import clean_text
from appealgen.compose.letters import Sender
from appealgen.errors import AppealgenError, Refusals
from appealgen.fonts import check_drawable
from appealgen.i18n import parse_locale
from appealgen.output.files import check_output, write_output
from appealgen.policy import TextKind, text_problem
from appealgen.render.html import render_pdf


@dataclass(frozen=True)
class SenderOptions:
    """The sender as typed on the command line (or by a program using the API)."""

    name: str | None = None
    address: str | None = None
    """Lines separated by line breaks, or by a typed ``\\n``."""
    locale: str = "en_GB"


Warn = Callable[[str], None]
"""Told each warning as soon as a job knows it (a case past its deadline written to anyway)."""


def ignore(_warning: str) -> None:
    """The default ``warn``: a program that does not ask is not told."""


@dataclass(frozen=True)
class Written:
    """Where a job wrote its PDF, and what it holds."""

    destination: str
    """A path, or ``standard output``."""
    what: str = ""


def build_sender(options: SenderOptions) -> Sender:
    """The sender as typed: text cleaned, the locale parsed; every field's refusal at once."""
    refusals = Refusals()
    name = refusals.check(lambda: clean_typed(options.name, "--sender-name"))
    address = refusals.check(lambda: clean_typed(options.address, "--sender-address", "address"))
    locale = refusals.check(lambda: parse_locale(options.locale))
    refusals.check(lambda: check_drawable({"--sender-name": name, "--sender-address": address}))
    refusals.raise_any()
    return Sender(name=name, address=address, locale=locale)  # type: ignore[arg-type]


def clean_typed(text: str | None, what: str = "typed text", kind: TextKind = "line") -> str | None:
    """Typed text, NFC-normalised; a literal ``\\n`` from a shell becomes a line break. Text
    that cannot be printed, or is too long for its ``kind``, is refused naming ``what`` (the
    option, as the glyph check does)."""
    if text is None or not text.strip():
        return None
    try:
        cleaned = clean_text(text.replace("\\n", "\n").strip())
    except ValueError as exc:
        raise AppealgenError(f"{what} {exc}") from None
    if (problem := text_problem(what, cleaned, kind)) is not None:
        raise AppealgenError(problem, "shorten it")
    return cleaned


def render_and_write(doc: object, template: str, destination: str,
                     render: Callable[[Any, str], bytes] = render_pdf) -> str:
    """Render ``doc`` through ``template`` (with ``render``) and write the PDF atomically; return
    where. A destination that cannot be written is refused before the render."""
    check_output(destination)
    return write_output(destination, render(doc, template))
