"""The one error family that reaches the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

class AppealgenError(Exception):
    """A problem the user can fix: a one-line message and, where it helps, a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def lines(self) -> list[str]:
        """What the command line prints: ``Error: …`` then ``Hint: …``."""
        return [f"Error: {self.message}", *([f"Hint: {self.hint}"] if self.hint else [])]


class DataError(AppealgenError):
    """The data directory (cases, targets, label geometry) is unreadable or invalid.

    ``problems`` lists every problem found, each naming file, key and what is wrong.
    """

    def __init__(self, problems: list[str], hint: str | None = None) -> None:
        count = len(problems)
        head = problems[0] if count == 1 else f"{count} problems in the data directory"
        super().__init__(head, hint or "fix the file named above, then run `appealgen validate`")
        self.problems = problems

    def lines(self) -> list[str]:
        return [*(f"Error: {problem}" for problem in self.problems), *([f"Hint: {self.hint}"] if self.hint else [])]


class RefusalError(AppealgenError):
    """A letter that must not be made as asked (expired case, former official, bad glyph).

    ``refusals`` holds each reason with its own hint, so all of them are reported at once.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.refusals = [(message, hint)]

    @classmethod
    def of(cls, refusals: list[tuple[str, str | None]]) -> RefusalError:
        error = cls(*refusals[0])
        error.refusals = list(refusals)
        return error

    def lines(self) -> list[str]:
        return [line for message, hint in self.refusals
                for line in (f"Error: {message}", *([f"Hint: {hint}"] if hint else []))]


class Refusals:
    """The reasons a request is refused, gathered so that all of them are reported at once:
    ``check`` runs each check, keeping what it refuses; ``raise_any`` raises them together."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str | None]] = []

    def check(self, check: Callable[[], T]) -> T | None:
        """``check()``'s result, or None after keeping the refusal it raised."""
        try:
            return check()
        except RefusalError as exc:
            self.found.extend(exc.refusals)
        except AppealgenError as exc:
            self.found.append((exc.message, exc.hint))
        return None

    def raise_any(self) -> None:
        if self.found:
            raise RefusalError.of(self.found)


class RenderError(AppealgenError):
    """WeasyPrint or the fonts failed; nothing was written."""
