"""The table of question types (review/questionnaire/types.py): every type a questionnaire uses has
a complete entry, the app has a widget for every kind of input, and the loader refuses a type the
table does not have (QY001), from a file as from the database."""

from __future__ import annotations

import pytest
import yaml

from review.questionnaire import DefinitionError, from_mapping
from review.questionnaire.loader import QUESTIONNAIRES_DIR
from review.questionnaire.types import CELL, CODE, CODES, DATE, OPTIONS, ROWS, TABLE_ROWS, TEXT, TYPES, WHOLE_NUMBER, BOOLEAN
from tests.tiny_instrument import tiny_definition

ANALYSIS_ROLES = {"category", "categories", "text", "link", "quantity", "year", "date", "flag", "records"}


def _types_used() -> dict[str, set[str]]:
    """Each type any definition in questionnaires/ uses, with the files using it (columns included)."""
    used: dict[str, set[str]] = {}

    def note(questions, name):
        for question in questions or ():
            used.setdefault(question["type"], set()).add(name)
            note(question.get("columns"), name)

    files = sorted(p for p in QUESTIONNAIRES_DIR.glob("*/*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in data["question_blocks"].values():
            note(block, path.name)
        for article in data["articles"]:
            for provision in article["provisions"]:
                note(provision.get("questions"), path.name)
    return used


def test_every_type_a_questionnaire_uses_has_a_complete_entry():
    from app.answer_inputs import WIDGETS

    used = _types_used()
    assert set(used) <= set(TYPES), {t: used[t] for t in set(used) - set(TYPES)}
    for name in used:
        kind = TYPES[name]
        assert kind.stored in {CODE, CODES, TEXT, WHOLE_NUMBER, DATE, BOOLEAN, ROWS}, name
        assert kind.workbook in {CELL, OPTIONS, TABLE_ROWS}, name
        assert kind.analysis in ANALYSIS_ROLES, name
        assert kind.widget in WIDGETS, name
        assert all(callable(f) for f in (kind.check, kind.text, kind.parse, kind.cell, kind.validation)), name
        assert (kind.text_limit is not None) == (kind.stored == TEXT) == kind.text_cell, name
    # the table's own columns: a table holds scalar types only
    assert not TYPES["table"].column and all(TYPES[t].column for t in TYPES if t != "table")


def _with_type(kind: str, *, in_column: bool = False) -> dict:
    data = tiny_definition()
    question = {"id": "mood", "type": kind, "label": {"en": "Mood"}}
    if in_column:
        question = {"id": "moods", "type": "table", "label": {"en": "Moods"}, "columns": [question]}
    data["question_blocks"]["basic"].append(question)
    return data


@pytest.mark.parametrize("registered", [False, True], ids=["file", "database"])
def test_an_unknown_type_is_refused_with_its_code(registered):
    with pytest.raises(DefinitionError) as caught:
        from_mapping(_with_type("feeling"), "broken.yaml", registered=registered)
    assert {e.code for e in caught.value.errors} == {"QY001"}
    assert "unknown question type 'feeling'" in caught.value.lines()[0]


def test_a_table_is_refused_as_a_tables_column():
    with pytest.raises(DefinitionError) as caught:
        from_mapping(_with_type("table", in_column=True), "broken.yaml")
    assert {e.code for e in caught.value.errors} == {"QY001"}
