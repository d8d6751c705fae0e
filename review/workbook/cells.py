"""How an answer is shown in a cell and read back: labels not codes, Yes/No, dates, numbers.

Writing shows code-list labels in the workbook's language; reading accepts a label in any
language or the code itself, so a workbook passed between ministries using different languages
still imports. The reader gets every cell as text (calamine's string view), so numbers arrive as
"2021" and dates as "2024-05-01 00:00:00". What each type shows and reads is its entry in the
table of question types (`review.questionnaire.types`: `cell`, `parse`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from review.questionnaire import Question, Questionnaire
from review.questionnaire.types import CellProblem, of, yes_no  # noqa: F401 (the importer's names for them)
from review.questionnaire.values import normalize, without_row_ids


def display(q: Questionnaire, spec: Question, value: Any, lang: str) -> Any:
    """What a cell shows for a stored (scalar) value (its type's `cell`)."""
    if value is None:
        return None
    return of(spec).cell(q, spec, value, lang)


def parse(q: Questionnaire, spec: Question, raw: str | None, lang: str) -> Any:
    """The stored value for a cell's text (None when empty); CellProblem when it cannot be one."""
    if raw is None or not raw.strip():
        return None
    return of(spec).parse(q, spec, raw, lang)


def canonical(question: Question, value: Any) -> Any:
    """The stored form of a value, with the order of a multiple choice not counting."""
    value = without_row_ids(normalize(question, value))
    if of(question).unordered and isinstance(value, list):
        return sorted(value)
    return value


def answer_hash(question: Question, value: Any) -> str:
    """A short digest of an answer: the metadata sheet records these to see what was edited."""
    text = json.dumps(canonical(question, value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
