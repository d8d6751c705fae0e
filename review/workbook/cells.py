"""How an answer is shown in a cell and read back: labels not codes, Yes/No, dates, numbers.

Writing shows code-list labels in the workbook's language; reading accepts a label in any
language or the code itself, so a workbook passed between ministries using different languages
still imports. The reader gets every cell as text (calamine's string view), so numbers arrive as
"2021" and dates as "2024-05-01 00:00:00".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import cache
from typing import Any

from review.i18n import LANGUAGES, label, t
from review.questionnaire import Question, Questionnaire
from review.questionnaire.values import normalize, without_row_ids

_NUMBER = re.compile(r"^[+-]?\d+(\.0+)?$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


@cache
def _yes_no() -> tuple[frozenset[str], frozenset[str]]:
    yes = {t("workbook.yes", lang).casefold() for lang in LANGUAGES} | {"true", "1", "x", "✓"}
    no = {t("workbook.no", lang).casefold() for lang in LANGUAGES} | {"false", "0"}
    return frozenset(yes), frozenset(no)


def yes_no(raw: str) -> bool | None:
    """True, False, or None when the text is neither a yes nor a no."""
    yes, no = _yes_no()
    text = raw.strip().casefold()
    if text in yes:
        return True
    if text in no:
        return False
    return None


def display(q: Questionnaire, spec: Question, value: Any, lang: str) -> Any:
    """What a cell shows for a stored (scalar) value."""
    if value is None:
        return None
    kind = spec.type
    if kind == "choice":
        return q.code_lists[spec.code_list].label(value, lang)
    if kind == "boolean":
        return t("workbook.yes" if value else "workbook.no", lang)
    if kind == "date":
        return dt.date.fromisoformat(value)
    return value


_BY_LABEL: dict[tuple[int, str], tuple[Any, dict[str, str]]] = {}


def _codes_by_label(code_list, lang: str) -> dict[str, str]:
    """Codes by the label the workbook's language shows for them (English where it has none):
    looked up before the labels of other languages, so that a label one language gives to a
    code and another language to another code reads as the workbook's own language means it."""
    found = _BY_LABEL.get((id(code_list), lang))
    if found is None or found[0] is not code_list:
        if len(_BY_LABEL) > 256:
            _BY_LABEL.clear()
        found = (code_list, {label(item.label, lang): item.code for item in reversed(code_list.items)})
        _BY_LABEL[(id(code_list), lang)] = found
    return found[1]


class CellProblem(Exception):
    """A cell whose text cannot be an answer to its question: a translation key and parameters."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


def parse(q: Questionnaire, spec: Question, raw: str | None, lang: str) -> Any:
    """The stored value for a cell's text (None when empty); CellProblem when it cannot be one."""
    if raw is None or not raw.strip():
        return None
    kind = spec.type
    text = raw.strip()
    if kind == "choice":
        code_list = q.code_lists[spec.code_list]
        code = _codes_by_label(code_list, lang).get(text) or code_list.code_for_label(text)
        if code is None:
            raise CellProblem("values.not_in_code_list", value=text,
                              allowed=", ".join(code_list.label(c, lang) for c in code_list.codes))
        return code
    if kind in ("integer", "year"):
        if not _NUMBER.match(text):
            key = "values.bad_year" if kind == "year" else "values.not_integer"
            raise CellProblem(key, value=text, min=1900, max=2100)
        return int(float(text))
    if kind == "date":
        match = _DATE.match(text)
        if not match:
            raise CellProblem("values.bad_date", value=text)
        return match.group(1)
    if kind == "boolean":
        answer = yes_no(text)
        if answer is None:
            raise CellProblem("workbook.not_yes_no", value=text)
        return answer
    return raw


def canonical(question: Question, value: Any) -> Any:
    """The stored form of a value, with the order of a multiple choice not counting."""
    value = without_row_ids(normalize(question, value))
    if question.type == "multi_choice" and isinstance(value, list):
        return sorted(value)
    return value


def answer_hash(question: Question, value: Any) -> str:
    """A short digest of an answer: the metadata sheet records these to see what was edited."""
    text = json.dumps(canonical(question, value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
