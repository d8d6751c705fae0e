"""Definition errors carry stable codes, one per rule family; docs/questionnaire-format.md lists the
question types and the codes, and this test holds the document and the code together."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from review.questionnaire import DefinitionError, from_mapping, load_file
from review.questionnaire.loader import CODES, translation_catalogues
from review.questionnaire.types import SCALAR_TYPES, TYPES
from tests.tiny_instrument import tiny_definition

DOC = (Path(__file__).resolve().parent.parent / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return DOC.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_documented_codes_are_the_codes():
    documented = dict(re.findall(r"^\| `(Q[A-Z]\d{3})` \| (.+) \|$", _section("Errors and their codes"), re.M))
    assert set(documented) == set(CODES)


def test_the_documented_types_are_the_types():
    rows = re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", _section("Questions"), re.M)
    documented = {t for row in rows for t in re.findall(r"`([a-z_]+)`", row)}
    assert documented == set(TYPES) == {*SCALAR_TYPES, "table"}


BROKEN = {
    "QS001": lambda d: d.update(title="not a text"),
    "QL001": lambda d: d["code_lists"]["obligation"].pop(),
    "QQ001": lambda d: d["question_blocks"]["basic"].append({"id": "status", "type": "text", "label": {"en": "Again"}}),
    "QQ002": lambda d: d["question_blocks"]["basic"][1].update(required_when={"status": ["maybe"]}),
    "QB001": lambda d: d.update(default_block="missing"),
    "QC001": lambda d: d["chapters"][1].update(number="III"),
    "QA001": lambda d: d["articles"][2].update(chapter="I"),
    "QP001": lambda d: d["articles"][1]["provisions"][0].update(id="1.1"),
    "QM001": lambda d: d.update(maps_from={"1": {}}),
    "QY001": lambda d: d["question_blocks"]["basic"].append({"id": "mood", "type": "feeling", "label": {"en": "Mood"}}),
}


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_each_rule_family_reports_its_code(code):
    data = tiny_definition()
    BROKEN[code](data)
    with pytest.raises(DefinitionError) as caught:
        from_mapping(data, "broken.yaml")
    codes = {error.code for error in caught.value.errors}
    assert code in codes, caught.value.lines()
    assert all(f"[{error.code}]" in line for error, line in zip(caught.value.errors, caught.value.lines()))
    # each error still reads as (path, message)
    assert all(len(error) == 2 for error in caught.value.errors)


def test_file_and_translation_errors_have_their_codes(tmp_path):
    with pytest.raises(DefinitionError) as caught:
        load_file(tmp_path / "absent.yaml")
    assert [e.code for e in caught.value.errors] == ["QF001"]
    (tmp_path / "fr.yaml").write_text("language: es\ntexts: {}\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        translation_catalogues(tmp_path)
    assert [e.code for e in caught.value.errors] == ["QT001"]
    assert set(BROKEN) | {"QF001", "QT001"} == set(CODES)


# definitions that break the schema, each in its own way (types, unknown keys, patterns, required keys)
SCHEMA_BREAKS = [
    lambda d: d.update(title="not a text"),
    lambda d: d.update(surprise=True),
    lambda d: d["chapters"][0].update(number="1"),
    lambda d: d["articles"][0].update(number="one"),
    lambda d: d["question_blocks"]["basic"][0].update(id="Status!"),
    lambda d: d.pop("articles"),
]


@pytest.mark.parametrize("index", range(len(SCHEMA_BREAKS)))
def test_the_fast_schema_check_refuses_what_the_reference_validator_refuses(index):
    """A definition passes the schema on the fast validator's word alone (jsonschema-rs); one it
    refuses has its errors listed by the reference validator (jsonschema), as before."""
    from review.questionnaire import loader

    assert loader._fast_validator().is_valid(tiny_definition())
    data = tiny_definition()
    SCHEMA_BREAKS[index](data)
    assert not loader._fast_validator().is_valid(data)
    assert list(loader._validator().iter_errors(data))
    with pytest.raises(DefinitionError) as caught:
        from_mapping(data, "broken.yaml")
    assert "QS001" in {error.code for error in caught.value.errors}
