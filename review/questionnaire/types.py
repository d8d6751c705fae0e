"""One table of question types: what each type stores and how every part of the platform treats it.

A questionnaire gives each question a type (`choice`, `text`, `table`...). What depends on the type
lives here, one entry per type, instead of a switch in every module:

- `check`: the problems of a stored value (the online form and the workbook import both call it,
  through `values.check_value`);
- `parse` and `cell`: a workbook cell's text read back to a stored value, and the value a cell
  shows (labels, not codes; Yes/No; dates);
- `validation`, `text_cell`, `tall_cell`, `workbook`: the cell's dropdown or bounds, whether Excel
  keeps it as text, whether it is tall enough for paragraphs, and how the answer is laid out
  (one cell, one "Yes" cell per code, or a table's rows);
- `text`: the answer as a reader sees it;
- `analysis`: the role the answer plays in the analysis (a category, a quantity, records...);
- `widget`: the kind of input the app shows. The app maps each kind to a Streamlit widget
  (`app/answer_inputs.py`); this module knows nothing of Streamlit.

The loader refuses a type this table does not have (QY001), whether the definition comes from a
file or from the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

from review import limits
from review.errors import Problem
from review.i18n import LANGUAGES, label, t
from review.questionnaire.model import Question, Questionnaire

MIN_YEAR, MAX_YEAR = 1900, 2100
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
EXCEL_CELL_LIMIT = limits.EXCEL_CELL_CHARS

# A workbook's reader gets every cell as text (calamine's string view): numbers arrive as "2021",
# dates as "2024-05-01 00:00:00".
_NUMBER = re.compile(r"^[+-]?\d+(\.0+)?$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")

# the stored values
CODE, CODES, TEXT, WHOLE_NUMBER, DATE, BOOLEAN, ROWS = "code", "codes", "text", "whole_number", "date", "boolean", "rows"
# the workbook's layouts of an answer
CELL, OPTIONS, TABLE_ROWS = "cell", "options", "rows"


class CellProblem(Exception):
    """A cell whose text cannot be an answer to its question: a translation key and parameters."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


@cache
def _yes_no() -> tuple[frozenset[str], frozenset[str]]:
    yes = {t("workbook.yes", lang).casefold() for lang in LANGUAGES} | {"true", "1", "x", "✓"}
    no = {t("workbook.no", lang).casefold() for lang in LANGUAGES} | {"false", "0"}
    return frozenset(yes), frozenset(no)


def yes_no(raw: str) -> bool | None:
    """True, False, or None when the text is neither a yes nor a no (in any language)."""
    yes, no = _yes_no()
    text = raw.strip().casefold()
    if text in yes:
        return True
    if text in no:
        return False
    return None


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


# --- checks of stored values -------------------------------------------------------------------

def _check_choice(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    codes = q.offered(question)
    if not isinstance(value, str) or value not in codes:
        return [Problem(where, "values.not_in_code_list", {"value": value, "allowed": ", ".join(codes)})]
    return []


def _check_codes(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    codes = q.code_lists[question.code_list].codes
    if not isinstance(value, list):
        return [Problem(where, "values.not_a_list", {})]
    wrong = [v for v in value if v not in codes]
    if wrong:
        return [Problem(where, "values.not_in_code_list", {"value": ", ".join(map(str, wrong)), "allowed": ", ".join(codes)})]
    return []


def _check_text(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(where, "values.not_text", {})]
    limit = _text_limit()(question)
    if len(value) > limit:
        return [Problem(where, "values.too_long", {"length": len(value), "limit": limit})]
    return []


def _check_url(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    problems = _check_text(q, question, value, where)
    if not problems and value.strip() and not URL.match(value.strip()):
        return [Problem(where, "values.bad_url", {"value": value})]
    return problems


def _check_integer(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [Problem(where, "values.not_integer", {"value": value})]
    if question.min is not None and value < question.min:
        return [Problem(where, "values.below_min", {"value": value, "min": question.min})]
    if question.max is not None and value > question.max:
        return [Problem(where, "values.above_max", {"value": value, "max": question.max})]
    return []


def _check_year(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        return [Problem(where, "values.bad_year", {"value": value, "min": MIN_YEAR, "max": MAX_YEAR})]
    return []


def _check_date(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return [Problem(where, "values.bad_date", {"value": value})]
    return []


def _check_boolean(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    if not isinstance(value, bool):
        return [Problem(where, "values.not_boolean", {"value": value})]
    return []


def _check_table(q: Questionnaire, question: Question, value: Any, where: str) -> list[Problem]:
    """Rows of cells: each row's identity, no unknown column, each cell by its column's type."""
    ROW_ID, ROW_ID_SHAPE, _is_mapping, is_answered, table_row_limit = _table_helpers()

    if not isinstance(value, list) or not all(_is_mapping(row) for row in value):
        return [Problem(where, "values.not_a_table", {})]
    limit = table_row_limit(question)
    if len(value) > limit:
        return [Problem(where, "values.too_many_rows", {"rows": len(value), "limit": limit})]
    problems = []
    known, columns = _columns(question)
    for i, row in enumerate(value, start=1):
        filled = False
        for key, cell in row.items():
            if key == ROW_ID:
                if not isinstance(cell, str) or not ROW_ID_SHAPE.fullmatch(cell):
                    problems.append(Problem(f"{where}[{i}]", "values.bad_row_id", {}))
                continue
            if key not in known:
                problems.append(Problem(f"{where}[{i}].{key}", "values.unknown_column", {"column": key}))
            if not filled:
                filled = is_answered(cell)
        if not filled:
            continue
        for column_id, column, check in columns:
            cell = row.get(column_id)
            if is_answered(cell):
                problems += check(q, column, cell, f"{where}[{i}].{column_id}")
            elif column.required:
                problems.append(Problem(f"{where}[{i}].{column_id}", "values.required_column", {"column": column_id}))
    return problems


@cache
def _text_limit() -> Callable[[Question], int]:
    from review.questionnaire.values import text_limit  # values builds on this table

    return text_limit


@cache
def _table_helpers():
    from review.questionnaire.values import ROW_ID, ROW_ID_SHAPE, _is_mapping, is_answered, table_row_limit  # (built on this table)

    return ROW_ID, ROW_ID_SHAPE, _is_mapping, is_answered, table_row_limit


Columns = tuple[frozenset[str], tuple[tuple[str, Question, Callable], ...]]
_COLUMNS: dict[int, tuple[Question, Columns]] = {}


def _columns(question: Question) -> Columns:
    """A table's column ids, and its columns in order, each with the check of its type: found once
    per question object (a bulk load checks thousands of tables of the same few questions)."""
    found = _COLUMNS.get(id(question))
    if found is None or found[0] is not question:
        if len(_COLUMNS) > 4096:
            _COLUMNS.clear()
        columns = tuple((column.id, column, of(column).check) for column in question.columns)
        found = _COLUMNS[id(question)] = (question, (frozenset(c[0] for c in columns), columns))
    return found[1]


# --- workbook cells: read back, shown, validated ----------------------------------------------

def _parse_as_typed(q: Questionnaire, question: Question, raw: str, lang: str) -> Any:
    return raw


def _parse_choice(q: Questionnaire, question: Question, raw: str, lang: str) -> Any:
    text = raw.strip()
    code_list = q.code_lists[question.code_list]
    code = _codes_by_label(code_list, lang).get(text) or code_list.code_for_label(text)
    if code is None:
        raise CellProblem("values.not_in_code_list", value=text,
                          allowed=", ".join(code_list.label(c, lang) for c in code_list.codes))
    return code


def _parse_whole(key: str) -> Callable[[Questionnaire, Question, str, str], Any]:
    def parse(q: Questionnaire, question: Question, raw: str, lang: str) -> Any:
        text = raw.strip()
        if not _NUMBER.match(text):
            raise CellProblem(key, value=text, min=MIN_YEAR, max=MAX_YEAR)
        return int(text.split(".")[0])  # every digit of a long number typed as text (a float keeps 15)
    return parse


def _parse_date(q: Questionnaire, question: Question, raw: str, lang: str) -> Any:
    match = _DATE.match(raw.strip())
    if not match:
        raise CellProblem("values.bad_date", value=raw.strip())
    return match.group(1)


def _parse_boolean(q: Questionnaire, question: Question, raw: str, lang: str) -> Any:
    answer = yes_no(raw.strip())
    if answer is None:
        raise CellProblem("workbook.not_yes_no", value=raw.strip())
    return answer


def _cell_as_stored(q: Questionnaire, question: Question, value: Any, lang: str) -> Any:
    return value


def _cell_choice(q: Questionnaire, question: Question, value: Any, lang: str) -> Any:
    return q.code_lists[question.code_list].label(value, lang)


def _cell_boolean(q: Questionnaire, question: Question, value: Any, lang: str) -> Any:
    return t("workbook.yes" if value else "workbook.no", lang)


def _cell_date(q: Questionnaire, question: Question, value: Any, lang: str) -> Any:
    return dt.date.fromisoformat(value)


ListName = Callable[..., str]  # (code list, offered codes or None) -> the workbook's name of the list
Validation = tuple[str, dict[str, Any]]  # a key grouping cells under one validation, its settings


def _no_validation(question: Question, list_name: ListName) -> Validation:
    return "", {}


def _codes_validation(question: Question, list_name: ListName) -> Validation:
    name = list_name(question.code_list, question.choices)
    return f"list:{name}", {"validate": "list", "source": "=" + name}


def _yes_no_validation(question: Question, list_name: ListName) -> Validation:
    return "list:yes_no", {"validate": "list", "source": "=" + list_name("yes_no")}


def _year_validation(question: Question, list_name: ListName) -> Validation:
    return "year", {"validate": "integer", "criteria": "between", "minimum": MIN_YEAR, "maximum": MAX_YEAR}


def _whole_validation(question: Question, list_name: ListName) -> Validation:
    # without bounds of its own, the whole numbers a spreadsheet keeps every digit of (15): a
    # statistic over a billion is typed in Excel as online, and one Excel would cut is refused there
    low = question.min if question.min is not None else -(10**15 - 1)
    high = question.max if question.max is not None else 10**15 - 1
    return f"whole:{low}:{high}", {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high}


def _length_validation(question: Question, list_name: ListName) -> Validation:
    from review.questionnaire.values import text_limit

    limit = text_limit(question)
    return f"length:{limit}", {"validate": "length", "criteria": "<=", "value": min(limit, EXCEL_CELL_LIMIT)}


# --- what a reader sees -----------------------------------------------------------------------

YesNo = tuple[str, str]  # the translation keys of yes and no
WORKBOOK_WORDS: YesNo = ("workbook.yes", "workbook.no")


def _text_as_stored(q: Questionnaire, question: Question, value: Any, lang: str, words: YesNo) -> str:
    return str(value)


def _text_choice(q: Questionnaire, question: Question, value: Any, lang: str, words: YesNo) -> str:
    return q.code_lists[question.code_list].label(value, lang)


def _text_codes(q: Questionnaire, question: Question, value: Any, lang: str, words: YesNo) -> str:
    return "; ".join(q.code_lists[question.code_list].label(v, lang) for v in value)


def _text_boolean(q: Questionnaire, question: Question, value: Any, lang: str, words: YesNo) -> str:
    return t(words[0] if value else words[1], lang)


def _text_table(q: Questionnaire, question: Question, value: Any, lang: str, words: YesNo) -> str:
    """One line per row: each filled cell as "column: value"."""
    lines = []
    for row in value:
        cells = [f"{label(c.label, lang)}: {answer_text(q, c, row[c.id], lang, words)}"
                 for c in question.columns if row.get(c.id) is not None]
        lines.append("; ".join(cells))
    return "\n".join(lines)


@dataclass(frozen=True)
class QuestionType:
    """Everything that depends on a question's type (see the module's docstring)."""

    name: str
    stored: str  # the stored value: CODE, CODES, TEXT, WHOLE_NUMBER, DATE, BOOLEAN or ROWS
    widget: str  # the input's kind: choice, choices, line, paragraph, whole_number, date, yes_no, table
    analysis: str  # the answer's role: category, categories, text, link, quantity, year, date, flag, records
    check: Callable[[Questionnaire, Question, Any, str], list[Problem]]
    text: Callable[[Questionnaire, Question, Any, str, YesNo], str]
    parse: Callable[[Questionnaire, Question, str, str], Any] = _parse_as_typed
    cell: Callable[[Questionnaire, Question, Any, str], Any] = _cell_as_stored
    validation: Callable[[Question, ListName], Validation] = _no_validation
    workbook: str = CELL  # CELL, OPTIONS (a "Yes" cell per code) or TABLE_ROWS
    text_cell: bool = False  # the workbook cell is formatted as text (Excel keeps "007" and "1-2" as typed)
    tall_cell: bool = False  # the workbook answer cell is tall enough for paragraphs
    text_limit: int | None = None  # characters, unless the question sets `max_length`
    column: bool = True  # may be a table's column
    unordered: bool = False  # a list whose order is no part of the answer


TYPES: dict[str, QuestionType] = {kind.name: kind for kind in (
    QuestionType("choice", CODE, "choice", "category", _check_choice, _text_choice, parse=_parse_choice,
                 cell=_cell_choice, validation=_codes_validation),
    QuestionType("multi_choice", CODES, "choices", "categories", _check_codes, _text_codes,
                 validation=_yes_no_validation, workbook=OPTIONS, unordered=True),
    QuestionType("text", TEXT, "line", "text", _check_text, _text_as_stored, validation=_length_validation,
                 text_cell=True, text_limit=limits.TEXT_CHARS),
    QuestionType("long_text", TEXT, "paragraph", "text", _check_text, _text_as_stored,
                 validation=_length_validation, text_cell=True, tall_cell=True, text_limit=limits.LONG_TEXT_CHARS),
    QuestionType("url", TEXT, "line", "link", _check_url, _text_as_stored, validation=_length_validation,
                 text_cell=True, text_limit=limits.TEXT_CHARS),
    QuestionType("integer", WHOLE_NUMBER, "whole_number", "quantity", _check_integer, _text_as_stored,
                 parse=_parse_whole("values.not_integer"), validation=_whole_validation),
    QuestionType("year", WHOLE_NUMBER, "whole_number", "year", _check_year, _text_as_stored,
                 parse=_parse_whole("values.bad_year"), validation=_year_validation),
    QuestionType("date", DATE, "date", "date", _check_date, _text_as_stored, parse=_parse_date, cell=_cell_date),
    QuestionType("boolean", BOOLEAN, "yes_no", "flag", _check_boolean, _text_boolean, parse=_parse_boolean,
                 cell=_cell_boolean, validation=_yes_no_validation),
    QuestionType("table", ROWS, "table", "records", _check_table, _text_table, workbook=TABLE_ROWS, column=False),
)}

# the types a table's column may have
SCALAR_TYPES = tuple(name for name, kind in TYPES.items() if kind.column)


def of(question: Question) -> QuestionType:
    """The entry of a question's type (the loader lets no other type in)."""
    return TYPES[question.type]


def answer_text(q: Questionnaire, question: Question, value: Any, lang: str, words: YesNo = WORKBOOK_WORDS) -> str:
    """An answer as a reader sees it ("" when unanswered): labels for codes, Yes/No, a line per table row."""
    from review.questionnaire.values import is_answered

    if value is None or (isinstance(value, (list, str)) and not is_answered(value)):
        return ""
    return of(question).text(q, question, value, lang, words)
