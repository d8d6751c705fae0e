"""What counts as a valid answer to a question, and when a question is answered or required.

Both the online form and the workbook import call `check_value`, so a value refused in one is
refused in the other with the same message.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping  # (typing.Mapping answers isinstance several times slower)
from typing import Any

from review import limits
from review.errors import Problem
from review.questionnaire.model import Provision, Question, Questionnaire
from review.questionnaire.types import MAX_YEAR, MIN_YEAR, ROWS, URL, of  # noqa: F401 (years and URL: imported from here)

# The bounds on answers live with every other bound in `review.limits`.
DEFAULT_TEXT_LIMIT = limits.TEXT_CHARS
DEFAULT_LONG_TEXT_LIMIT = limits.LONG_TEXT_CHARS
DEFAULT_TABLE_ROWS_LIMIT = limits.TABLE_ROWS
TABLE_ROWS_CEILING = limits.TABLE_ROWS_CEILING


# Each row of a table answer carries a stable identity under this key (not a column): the matching
# of a TA need, say, stays with its row when other rows of the table are edited, added or removed.
ROW_ID = "_row"
ROW_ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _is_mapping(value: Any) -> bool:
    """isinstance(value, Mapping), at once for a dict (the ABC's check, on every cell of every
    table answer, was a tenth of a bulk load's time)."""
    return type(value) is dict or isinstance(value, Mapping)


def is_answered(value: Any) -> bool:
    """Empty strings, empty lists and tables with no filled row count as unanswered."""
    if value is None:
        return False
    kind = type(value)
    if kind is str:  # (exact types first: this runs on every cell of every answer a bulk load checks)
        return bool(value.strip())
    if kind is int or kind is bool:
        return True
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        for v in value:
            if _is_mapping(v):
                for k, x in v.items():
                    if k != ROW_ID and is_answered(x):
                        return True
            elif is_answered(v):
                return True
        return False
    return True


def is_required(question: Question, answers: Mapping[str, Any]) -> bool:
    """Required outright, or because another answer of the same provision asks for it."""
    if question.required:
        return True
    return any(answers.get(other) in codes for other, codes in question.required_when.items())


def text_limit(question: Question) -> int:
    """How many characters a text answer may have."""
    if question.max_length:
        return question.max_length
    return of(question).text_limit or DEFAULT_TEXT_LIMIT


def table_row_limit(question: Question) -> int:
    """How many rows a table answer may have."""
    return min(question.max_rows or DEFAULT_TABLE_ROWS_LIMIT, TABLE_ROWS_CEILING)


def check_value(q: Questionnaire, question: Question, value: Any, where: str = "") -> list[Problem]:
    """Problems with one answer (None means 'cleared' and is always acceptable): the check of its
    type (`types.TYPES`; a table checks each cell by its column's type)."""
    if value is None:
        return []
    return of(question).check(q, question, value, where or question.id)


def clean_table(value: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A table without its wholly empty rows, each cell blank-stripped: what is stored."""
    rows = []
    for row in value:
        kept = {k: v for k, v in row.items() if is_answered(v)}
        if any(k != ROW_ID for k in kept):
            rows.append(kept)
    return rows


def without_row_ids(value: Any) -> Any:
    """A table answer as its content alone (what a comparison or a digest of it looks at)."""
    if isinstance(value, list):
        return [{k: v for k, v in row.items() if k != ROW_ID} if _is_mapping(row) else row for row in value]
    return value


# json.dumps(value, sort_keys=True, default=str), without making an encoder for each row
_encode_sorted = json.JSONEncoder(sort_keys=True, default=str).encode


def _content(row: Mapping[str, Any]) -> str:
    if type(row) is dict and ROW_ID not in row:
        return _encode_sorted(row)
    return _encode_sorted({k: v for k, v in row.items() if k != ROW_ID})


def with_row_ids(rows: list, before: Any) -> list:
    """`rows` each with its identity: the one it carries (the online editor keeps it), else that of
    an unchanged row before (the same content), else that of the row at the same place before (a
    workbook has no ids: an edited row stays where it was), else a new one. Ids are never shared by two rows."""
    before = before if isinstance(before, list) else []
    used = set()
    out = []
    for row in rows:
        given = row.get(ROW_ID) if _is_mapping(row) else None
        out.append(dict(row) if _is_mapping(row) else row)
        if isinstance(given, str) and given not in used:
            used.add(given)
        elif _is_mapping(row):
            out[-1].pop(ROW_ID, None)
    # a row without one (a workbook carries none) first takes the id of an unchanged row from before,
    # so deleting or inserting a row never hands a sibling's id (and its accepted match) to another row
    earlier: dict[str, list[str]] = {}
    for row in before:
        if _is_mapping(row) and isinstance(row.get(ROW_ID), str) and row[ROW_ID] not in used:
            earlier.setdefault(_content(row), []).append(row[ROW_ID])
    for row in out if earlier else ():  # (nothing to take when no row before has an id)
        if isinstance(row, dict) and ROW_ID not in row:
            same = [i for i in earlier.get(_content(row), []) if i not in used]
            if same:
                row[ROW_ID] = same[0]
                used.add(same[0])
    for i, row in enumerate(out):
        if not isinstance(row, dict) or ROW_ID in row:
            continue
        old = before[i].get(ROW_ID) if i < len(before) and _is_mapping(before[i]) else None
        row[ROW_ID] = old if isinstance(old, str) and old not in used else _new_id(i, row, used)
        used.add(row[ROW_ID])
    return out


def _new_id(place: int, row: Mapping[str, Any], used: set[str]) -> str:
    """An id for a new row, made from its place and content: the same typing gives the same ids (the
    demo is the same for a seed), and two rows never share one."""
    seed, n = f"{place}:{_content(row)}", 0
    while True:
        candidate = hashlib.sha1(f"{seed}:{n}".encode()).hexdigest()[:10]
        if candidate not in used:
            return candidate
        n += 1


def normalize(question: Question, value: Any) -> Any:
    """The stored form of a value: empty answers become None, tables lose their empty rows."""
    if isinstance(value, list) and of(question).stored == ROWS:
        value = clean_table(value)
        return value or None  # (every row clean_table keeps has a filled cell: the table is answered)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value if is_answered(value) else None


def missing_required(provision: Provision, answers: Mapping[str, Any]) -> list[str]:
    """Question ids of this provision that are required and not answered."""
    return [
        q.id for q in provision.questions if is_required(q, answers) and not is_answered(answers.get(q.id))
    ]
