"""Building and filling questionnaire workbooks in tests, the way a user would: by the cell beside a question."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any, Mapping

from openpyxl import load_workbook

from review import cycles
from tests.actors import SETUP
from review.i18n import t
from review.questionnaire import from_mapping
from review.workbook.safe import set_cell
from tests.tiny_instrument import T, tiny_definition

ANSWER_COLUMN = 6


def all_kinds_definition() -> dict:
    """The tiny instrument plus one question of every answer type, Arabic labels included."""
    data = tiny_definition()
    data["id"] = "tiny-all-kinds"
    data["code_lists"]["colour"] = [
        {"code": "red", "label": {"en": "Red", "zh": "红", "ar": "أحمر"}},
        {"code": "white", "label": {"en": "White", "zh": "白", "ar": "أبيض"}},
        {"code": "green", "label": {"en": "Green", "zh": "绿", "ar": "أخضر"}},
    ]
    data["question_blocks"]["basic"] += [
        {"id": "colours", "type": "multi_choice", "code_list": "colour", "label": T("Colours", "颜色")},
        {"id": "motto", "type": "text", "max_length": 60, "label": T("Motto", "格言")},
        {"id": "site", "type": "url", "label": T("Web site", "网站")},
        {"id": "built", "type": "year", "label": T("Year built", "建造年份")},
        {"id": "inspected", "type": "date", "label": T("Last inspected", "最近检查")},
        {"id": "staffed", "type": "boolean", "label": T("Staffed", "有人值守")},
    ]
    return data


def all_kinds_cycle(store):
    q = from_mapping(all_kinds_definition(), "all kinds")
    cycles.register_questionnaire(store, SETUP, q)
    cycle = cycles.create_cycle(
        store, SETUP, cycle_id="kinds-1", title="All kinds", questionnaire_id=q.id, questionnaire_version=q.version,
        chapters=["I", "II"], parties=["KEN", "FRA"], deadline=dt.date(2030, 1, 31),
    )
    return cycle, q


def rows_by_key(sheet) -> dict[str, int]:
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_col=1, max_col=1) if row[0].value}


def find(book, key: str):
    """The sheet and row whose hidden key (column A) is `key`."""
    for sheet in book.worksheets:
        rows = rows_by_key(sheet)
        if key in rows:
            return sheet, rows[key]
    raise KeyError(key)


def typed(q, spec, value: Any, lang: str = "en") -> Any:
    """What a user types for a value: labels for codes, Yes/No, real dates and numbers."""
    if value is None:
        return None
    if spec.type == "choice":
        return q.code_lists[spec.code_list].label(value, lang)
    if spec.type == "boolean":
        return t("workbook.yes" if value else "workbook.no", lang)
    if spec.type == "date":
        return dt.date.fromisoformat(value)
    return value


def fill(data: bytes, q, answers: Mapping[tuple[str, str], Any], lang: str = "en") -> bytes:
    """Type `answers` into a workbook (None clears), then save it as openpyxl does."""
    book = load_workbook(io.BytesIO(data))
    for (provision_id, question_id), value in answers.items():
        question = q.provision(provision_id).question(question_id)
        key = f"{provision_id}/{question_id}"
        if question.type == "multi_choice":
            for code in q.code_lists[question.code_list].codes:
                sheet, row = find(book, f"{key}={code}")
                set_cell(sheet.cell(row=row, column=ANSWER_COLUMN), t("workbook.yes", lang) if value and code in value else None)
        elif question.type == "table":
            sheet, _ = find(book, key)
            rows = rows_by_key(sheet)
            i = 1
            while f"{key}#{i}" in rows:
                given = value[i - 1] if value and i <= len(value) else {}
                for j, column in enumerate(question.columns):
                    set_cell(sheet.cell(row=rows[f"{key}#{i}"], column=ANSWER_COLUMN + j), typed(q, column, given.get(column.id), lang))
                i += 1
        else:
            sheet, row = find(book, key)
            set_cell(sheet.cell(row=row, column=ANSWER_COLUMN), typed(q, question, value, lang))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(data: bytes, change) -> bytes:
    """Apply `change(book)` to a workbook and save it again."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def database_state(store) -> tuple:
    """Everything an import could change: answers, submissions, revisions and the audit log."""
    with store.read() as cur:
        return tuple(
            cur.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("answer", "submission", "revision", "revision_answer", "audit_log")
        )


def damaged(data: bytes, sheet: str) -> bytes:
    """The workbook with the XML of one sheet cut in half, the package itself intact."""
    book = load_workbook(io.BytesIO(data))
    part = f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml"
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, body[:len(body) // 2] if info.filename == part else body)
    return out.getvalue()

