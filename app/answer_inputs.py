"""One input per kind of question, shown with its label and help from the questionnaire, returning
the value in the form the library stores (codes, ISO dates, lists of rows).

The inputs only gather what the user types: no length limit, range or required cell is given to a
widget, because the browser enforces those by cutting a paste, clamping a number or dropping a table
row without a word. The library checks the value on save (`review.questionnaire.values`) and refuses
it with the field named, and the page keeps it on screen and in the user's draft.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import streamlit as st

from app.context import lang, text, tr
from app.dates import date_input
from review.questionnaire import Question, Questionnaire
from review.questionnaire.values import ROW_ID, text_limit

RADIO_LIMIT = 5  # code lists this short are answered with radio buttons, longer ones with a menu


def _help(question: Question) -> str | None:
    """The question's help, with the length limit said in words for a text (the widget has none)."""
    help_ = text(question.help) or ""
    if question.type in ("text", "long_text", "url"):
        help_ = (help_ + "\n\n" if help_ else "") + tr("party.at_most_characters", limit=text_limit(question))
    return help_ or None


def _title(question: Question, required: bool) -> str:
    return text(question.label) + (" *" if required else "")


def answer_input(q: Questionnaire, question: Question, value: Any, key: str, required: bool, disabled: bool = False) -> Any:
    """The widget for one question, pre-filled with `value`; returns what the user entered."""
    title, help_ = _title(question, required), _help(question)
    kind = question.type
    if kind == "choice":
        codes = list(q.offered(question))
        index = codes.index(value) if value in codes else None
        name = lambda code: text(q.code_lists[question.code_list].item(code).label)  # noqa: E731
        if len(codes) <= RADIO_LIMIT:
            return st.radio(title, codes, index=index, format_func=name, key=key, help=help_, horizontal=True, disabled=disabled)
        return st.selectbox(title, codes, index=index, format_func=name, key=key, help=help_, disabled=disabled,
                            placeholder=tr("party.choose"))
    if kind == "multi_choice":
        code_list = q.code_lists[question.code_list]
        return st.multiselect(title, list(code_list.codes), default=[v for v in value or [] if v in code_list.codes],
                              format_func=lambda code: text(code_list.item(code).label), key=key, help=help_,
                              disabled=disabled, placeholder=tr("party.choose"))
    if kind in ("text", "url"):
        return st.text_input(title, value=value or "", key=key, help=help_, disabled=disabled)
    if kind == "long_text":
        return st.text_area(title, value=value or "", key=key, help=help_, disabled=disabled)
    if kind in ("integer", "year"):
        got = st.number_input(title, value=value, step=1, format="%d", key=key, help=help_, disabled=disabled)
        return None if got is None else int(got)
    if kind == "date":
        got = date_input(title, value=dt.date.fromisoformat(value) if value else None, key=key, help=help_,
                         disabled=disabled)
        return got.isoformat() if got else None
    if kind == "boolean":
        options = [True, False]
        index = options.index(value) if value in options else None
        return st.radio(title, options, index=index, horizontal=True, key=key, help=help_, disabled=disabled,
                        format_func=lambda v: tr("workbook.yes" if v else "workbook.no"))
    if kind == "table":
        return table_input(q, question, value, key, title, help_, disabled)
    raise ValueError(f"unknown question type {kind}")


def _column(q: Questionnaire, column: Question):
    """A column that takes whatever is typed: `required`, `max_chars` and a range would make the browser
    drop the row, cut the text or clamp the number (the library refuses them on save instead)."""
    title, help_ = _title(column, column.required), _help(column)
    if column.type == "choice":
        code_list = q.code_lists[column.code_list]
        names = {code: text(code_list.item(code).label) for code in code_list.codes}
        return st.column_config.SelectboxColumn(title, options=list(code_list.codes), help=help_,
                                                format_func=lambda code: names.get(code, code))
    if column.type in ("integer", "year"):
        return st.column_config.NumberColumn(title, step=1, format="%d", help=help_)
    if column.type == "boolean":
        return st.column_config.CheckboxColumn(title, help=help_)
    return st.column_config.TextColumn(title, help=help_)


_DTYPES = {"integer": "Int64", "year": "Int64", "boolean": "boolean"}


# Built once per process: a section shows a dozen tables, most of them empty, on every rerun.
_CONFIGS: dict[tuple, dict] = {}
_EMPTY: dict[tuple, pd.DataFrame] = {}


def _configs(q: Questionnaire, question: Question) -> dict:
    key = (q.fingerprint, q.version, question.id, tuple(c.id for c in question.columns), lang())
    if key not in _CONFIGS:
        # each row's stable identity rides along, hidden, so that editing a row keeps it
        _CONFIGS[key] = {**{c.id: _column(q, c) for c in question.columns}, ROW_ID: None}
    return _CONFIGS[key]


def _frame(question: Question, rows: list[dict]) -> pd.DataFrame:
    if not rows:
        key = tuple((c.id, c.type) for c in question.columns)
        if key not in _EMPTY:
            _EMPTY[key] = _build_frame(question, rows)
        return _EMPTY[key]
    return _build_frame(question, rows)


def _build_frame(question: Question, rows: list[dict]) -> pd.DataFrame:
    data = {c.id: pd.Series([row.get(c.id) for row in rows], dtype=_DTYPES.get(c.type, "object")) for c in question.columns}
    data[ROW_ID] = pd.Series([row.get(ROW_ID) for row in rows], dtype="object")
    return pd.DataFrame(data)


def _cell(column: Question, value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if column.type in ("integer", "year"):
        return int(value)
    if column.type == "boolean":
        return bool(value)
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def table_input(q: Questionnaire, question: Question, value: Any, key: str, title: str, help_: str | None, disabled: bool) -> list[dict]:
    """An editable table (rows added and deleted by the user), e.g. legislation cited or TA needs."""
    name, required = title.removesuffix(" *"), title.endswith(" *")
    st.markdown(f"**{name}**" + (" \\*" if required else ""), help=help_)
    edited = st.data_editor(
        _frame(question, list(value or [])), key=key, num_rows="fixed" if disabled else "dynamic", disabled=disabled,
        hide_index=True, column_config=_configs(q, question), width="stretch", placeholder="",
    )
    if edited.empty:
        return []
    rows = []
    for record in edited.to_dict("records"):
        row = {c.id: _cell(c, record.get(c.id)) for c in question.columns}
        row = {k: v for k, v in row.items() if v is not None}
        if row:
            if isinstance(record.get(ROW_ID), str):
                row[ROW_ID] = record[ROW_ID]
            rows.append(row)
    return rows
