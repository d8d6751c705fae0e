"""What counts as a valid answer to a question, and when a question is answered or required.

Both the online form and the workbook import call `check_value`, so a value refused in one is
refused in the other with the same message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping  # (typing.Mapping answers isinstance several times slower)
from typing import Any

from review import limits
from review.errors import Problem
from review.questionnaire.model import Provision, Question, Questionnaire

# The bounds on answers live with every other bound in `review.limits`.
DEFAULT_TEXT_LIMIT = limits.TEXT_CHARS
DEFAULT_LONG_TEXT_LIMIT = limits.LONG_TEXT_CHARS
DEFAULT_TABLE_ROWS_LIMIT = limits.TABLE_ROWS
TABLE_ROWS_CEILING = limits.TABLE_ROWS_CEILING
MIN_YEAR, MAX_YEAR = 1900, 2100
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


# Each row of a table answer carries a stable identity under this key (not a column): the matching
# of a TA need, say, stays with its row when other rows of the table are edited, added or removed.
ROW_ID = "_row"
_ROW_ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _is_mapping(value: Any) -> bool:
    """isinstance(value, Mapping), at once for a dict (the ABC's check, on every cell of every
    table answer, was a tenth of a bulk load's time)."""
    return type(value) is dict or isinstance(value, Mapping)


def is_answered(value: Any) -> bool:
    """Empty strings, empty lists and tables with no filled row count as unanswered."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(is_answered(v) if not _is_mapping(v) else any(is_answered(x) for k, x in v.items() if k != ROW_ID)
                   for v in value)
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
    return DEFAULT_LONG_TEXT_LIMIT if question.type == "long_text" else DEFAULT_TEXT_LIMIT


def table_row_limit(question: Question) -> int:
    """How many rows a table answer may have."""
    return min(question.max_rows or DEFAULT_TABLE_ROWS_LIMIT, TABLE_ROWS_CEILING)


def _scalar_problems(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    kind = question.type
    if kind == "choice":
        codes = q.offered(question)
        if not isinstance(value, str) or value not in codes:
            return [Problem(where, "values.not_in_code_list", {"value": value, "allowed": ", ".join(codes)})]
    elif kind == "multi_choice":
        codes = q.code_lists[question.code_list].codes
        if not isinstance(value, list):
            return [Problem(where, "values.not_a_list", {})]
        wrong = [v for v in value if v not in codes]
        if wrong:
            return [Problem(where, "values.not_in_code_list", {"value": ", ".join(map(str, wrong)), "allowed": ", ".join(codes)})]
    elif kind in ("text", "long_text", "url"):
        if not isinstance(value, str):
            return [Problem(where, "values.not_text", {})]
        limit = text_limit(question)
        if len(value) > limit:
            return [Problem(where, "values.too_long", {"length": len(value), "limit": limit})]
        if kind == "url" and value.strip() and not URL.match(value.strip()):
            return [Problem(where, "values.bad_url", {"value": value})]
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return [Problem(where, "values.not_integer", {"value": value})]
        if question.min is not None and value < question.min:
            return [Problem(where, "values.below_min", {"value": value, "min": question.min})]
        if question.max is not None and value > question.max:
            return [Problem(where, "values.above_max", {"value": value, "max": question.max})]
    elif kind == "year":
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
            return [Problem(where, "values.bad_year", {"value": value, "min": MIN_YEAR, "max": MAX_YEAR})]
    elif kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return [Problem(where, "values.bad_date", {"value": value})]
    elif kind == "boolean":
        if not isinstance(value, bool):
            return [Problem(where, "values.not_boolean", {"value": value})]
    return []


def check_value(q: Questionnaire, question: Question, value: Any, where: str = "") -> list[Problem]:
    """Problems with one answer (None means 'cleared' and is always acceptable)."""
    where = where or question.id
    if value is None:
        return []
    if question.type != "table":
        return _scalar_problems(q, question, value, where)
    if not isinstance(value, list) or not all(_is_mapping(row) for row in value):
        return [Problem(where, "values.not_a_table", {})]
    limit = table_row_limit(question)
    if len(value) > limit:
        return [Problem(where, "values.too_many_rows", {"rows": len(value), "limit": limit})]
    problems = []
    columns = {c.id: c for c in question.columns}
    for i, row in enumerate(value, start=1):
        for key in row:
            if key == ROW_ID:
                if not isinstance(row[key], str) or not _ROW_ID_SHAPE.match(row[key]):
                    problems.append(Problem(f"{where}[{i}]", "values.bad_row_id", {}))
            elif key not in columns:
                problems.append(Problem(f"{where}[{i}].{key}", "values.unknown_column", {"column": key}))
        if not any(is_answered(v) for k, v in row.items() if k != ROW_ID):
            continue
        for column in question.columns:
            cell = row.get(column.id)
            if is_answered(cell):
                problems += _scalar_problems(q, column, cell, f"{where}[{i}].{column.id}")
            elif column.required:
                problems.append(Problem(f"{where}[{i}].{column.id}", "values.required_column", {"column": column.id}))
    return problems


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


def _content(row: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if k != ROW_ID}, sort_keys=True, default=str)


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
    if question.type == "table" and isinstance(value, list):
        value = clean_table(value)
    if isinstance(value, str):
        value = value.strip()
    return value if is_answered(value) else None


def missing_required(provision: Provision, answers: Mapping[str, Any]) -> list[str]:
    """Question ids of this provision that are required and not answered."""
    return [
        q.id for q in provision.questions if is_required(q, answers) and not is_answered(answers.get(q.id))
    ]
