"""User errors that carry a translation key, so each interface shows them in the user's language.

Anything raised as a `ReviewError` is the user's to fix (or to be told about); anything else is a
bug. Interfaces print `error.message(lang)` and never a traceback for these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from review.i18n import fill, messages, normalize

_FIELD = re.compile(r"^(.*?)([a-z_]+)$")


def field_label(location: str, lang: str = "en") -> str:
    """A problem's location as the user knows the field: 'types' reads 'Types of assistance' (the
    `fields.*` labels); a location with no label (a cell, a provision) is shown as it is."""
    found = _FIELD.match(location or "")
    if not found:
        return location
    prefix, name = found.groups()
    if prefix and not prefix.endswith(" "):
        return location  # a column of a table row: the questionnaire names those (workspace.where)
    text = messages(normalize(lang)).get(f"fields.{name}") or messages("en").get(f"fields.{name}")
    return f"{prefix}{text}" if text else location


class ReviewError(Exception):
    """A refusal the user can understand: a translation key and its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "en", escape: Callable[[Any], Any] | None = None) -> str:
        """The message in `lang`; `escape` (an interface's) is applied to the values it carries."""
        return fill(self.key, lang, self.params, escape)

    def __str__(self) -> str:
        return self.message("en")


class NotFound(ReviewError):
    """The thing asked for does not exist (or the actor may not know it exists)."""


class PermissionDenied(ReviewError):
    """The acting user may not do this."""


class InvalidTransition(ReviewError):
    """The submission's state does not allow this step."""


class SaveFailed(ReviewError):
    """The database could not write a save; nothing of it was written."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field: where, a translation key and its parameters."""

    location: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en", escape: Callable[[Any], Any] | None = None) -> str:
        return fill(self.key, lang, self.params, escape)


class ValidationFailed(ReviewError):
    """Input broke one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem], key: str = "errors.validation_failed", **params: Any):
        super().__init__(key, count=len(problems), **params)
        self.problems = problems

    def message(self, lang: str = "en", escape: Callable[[Any], Any] | None = None) -> str:
        lines = [fill(self.key, lang, self.params, escape)]
        lines += [f"{escape(field_label(p.location, lang)) if escape else field_label(p.location, lang)}: {p.message(lang, escape)}"
                  for p in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class Change:
    """An answer somebody else saved after the revision a user started from."""

    provision_id: str
    question_id: str
    value: Any
    saved_by: str
    saved_at: Any


class StaleSave(ReviewError):
    """A save based on an old revision: refused, with what changed since, so nothing is overwritten."""

    def __init__(self, base: int, current: int, changes: list[Change]):
        super().__init__("errors.stale_save", base=base, current=current, count=len(changes))
        self.base = base
        self.current = current
        self.changes = changes
