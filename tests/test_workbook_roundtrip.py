"""Round trip: template -> fill every kind of answer -> import -> template again gives the same answers.

Generated answers include Chinese and Arabic text and text starting with formula signs; a
workbook re-saved by LibreOffice Calc imports like one saved by Excel or openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from review import parties, submissions
from review.access import Actor, Role
from review.questionnaire.values import normalize
from review.store import open_store
from review.workbook import import_workbook, write_template
from review.workbook.cells import canonical
from tests.workbook_helpers import all_kinds_cycle, database_state, edit, fill, find

FOCAL = Actor("fp-ken", Role.FOCAL_POINT, "KEN")
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)
OTHER = st.characters(categories=["L", "N", "P", "S", "Zs"], max_codepoint=0x2FFF)


def texts(limit: int):
    """Text as people type it, in Chinese, Arabic and more, sometimes starting with a formula sign."""
    first = st.one_of(CHINESE, ARABIC, st.characters(categories=["L", "N"], max_codepoint=0x2FFF))
    body = st.text(alphabet=st.one_of(CHINESE, ARABIC, OTHER), max_size=min(limit, 40) - 2)
    return st.builds(lambda sign, head, rest: (sign + head + rest).rstrip()[:limit].replace("_x", "_ x"),
                     st.sampled_from(["", "=", "+", "-", "@"]), first, body)


def value_for(q, spec):
    kind = spec.type
    if kind == "choice":
        return st.sampled_from(q.code_lists[spec.code_list].codes)
    if kind == "multi_choice":
        codes = q.code_lists[spec.code_list].codes
        return st.sets(st.sampled_from(codes), min_size=1).map(lambda chosen: [c for c in codes if c in chosen])
    if kind in ("text", "long_text"):
        return texts(spec.max_length or 500)
    if kind == "url":
        return st.from_regex(r"https://[a-z]{1,12}\.org/[a-z0-9]{0,10}", fullmatch=True)
    if kind == "integer":
        return st.integers(min_value=spec.min if spec.min is not None else -1000, max_value=spec.max or 10**6)
    if kind == "year":
        return st.integers(min_value=1900, max_value=2100)
    if kind == "date":
        return st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.isoformat())
    if kind == "boolean":
        return st.booleans()
    row = st.fixed_dictionaries(
        {c.id: value_for(q, c) for c in spec.columns if c.required},
        optional={c.id: value_for(q, c) for c in spec.columns if not c.required},
    )
    return st.lists(row, max_size=5)


def answers_for(q, chapters):
    keys = [(p, question) for p in q.assessed_provisions(chapters) for question in p.questions]
    return st.fixed_dictionaries({
        (p.id, question.id): st.one_of(st.none(), value_for(q, question)) for p, question in keys
    })


def stored(q, answers):
    out = {}
    for (provision_id, question_id), value in answers.items():
        question = q.provision(provision_id).question(question_id)
        value = canonical(question, normalize(question, value))
        if value is not None:
            out[(provision_id, question_id)] = value
    return out


def current(store, q):
    return stored(q, submissions.current_answers(store, FOCAL, "kinds-1", "KEN"))


def answer_cells(data: bytes) -> dict:
    """Every filled answer cell, by the row's hidden key and the cell's column letter."""
    book = load_workbook(io.BytesIO(data))
    return {
        (sheet.title, row[0].value, cell.column_letter): cell.value
        for sheet in book.worksheets if sheet.title.startswith(("Chapter", "第"))
        for row in sheet.iter_rows(min_row=3) for cell in row[5:]
        if cell.protection.locked is False and cell.value is not None
    }


@contextmanager
def fresh_store():
    """A database of its own for each generated example, so examples cannot affect each other."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "review.duckdb")
        parties.load_reference(store)
        try:
            yield store
        finally:
            store.close()


@pytest.fixture
def kinds(store):
    cycle, q = all_kinds_cycle(store)
    return store, cycle, q


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_holds_for_every_kind_of_answer(data):
    with fresh_store() as store:
        _round_trip(store, data)


def _round_trip(store, data):
    cycle, q = all_kinds_cycle(store)
    lang = data.draw(st.sampled_from(["en", "zh"]))
    answers = data.draw(answers_for(q, cycle.chapters))
    filled = fill(write_template(store, FOCAL, "kinds-1", "KEN", lang), q, answers, lang)
    report = import_workbook(store, FOCAL, "generated.xlsx", filled)
    assert report.imported, [e.message("en") for e in report.errors]
    assert current(store, q) == stored(q, answers)
    again = write_template(store, FOCAL, "kinds-1", "KEN", lang)
    assert answer_cells(again) == answer_cells(filled)
    assert import_workbook(store, FOCAL, "again.xlsx", again).changed == 0


def test_more_table_rows_than_the_default_round_trip(kinds):
    store, _, q = kinds
    rows = [{"title": f"Act {i} 法 قانون", "year": 2000 + i} for i in range(8)]
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "law"): rows})
    data = write_template(store, FOCAL, "kinds-1", "KEN", "en")
    assert import_workbook(store, FOCAL, "k.xlsx", data).changed == 0
    extended = fill(data, q, {("1.1", "law"): [*rows, {"title": "Act 8"}, {"title": "Act 9"}]})
    assert import_workbook(store, FOCAL, "k.xlsx", extended).imported
    assert len(submissions.current_answers(store, FOCAL, "kinds-1", "KEN")[("1.1", "law")]) == 10


@pytest.fixture
def calc(tmp_path):
    """Open a workbook in LibreOffice Calc and save it again as .xlsx, as a ministry using Calc would.

    Skipped when LibreOffice is missing (`make test` installs it where it can), but under CI=true
    a missing LibreOffice fails the run.
    """
    if shutil.which("soffice") is None:
        message = "LibreOffice (soffice) is missing: apt-get install --no-install-recommends libreoffice-calc"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    def resave(data: bytes, name: str = "filled.xlsx") -> bytes:
        source = tmp_path / name
        source.write_bytes(data)
        out = tmp_path / "calc"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--calc",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=180,
        )
        resaved = (out / name).read_bytes()
        assert resaved != data
        return resaved

    return resave


EVERY_KIND = {
    ("1.1", "status"): "partly_implemented",
    ("1.1", "law"): [{"title": "灯塔法 قانون المنارات", "year": 2019, "link": "https://example.org/act"}],
    ("1.1", "notes"): "=not a formula, and more text",
    ("1.1", "inspected"): "2024-05-01",
    ("1.1", "staffed"): True,
    ("1.1", "built"): 1987,
    ("1.2", "colours"): ["red", "green"],
    ("1.2", "staffed"): False,
    ("2", "keepers"): 12,
    ("2", "site"): "https://example.org/light",
}


def test_workbook_filled_then_resaved_by_libreoffice_imports(kinds, calc):
    store, _, q = kinds
    resaved = calc(fill(write_template(store, FOCAL, "kinds-1", "KEN", "zh"), q, EVERY_KIND, "zh"))
    report = import_workbook(store, FOCAL, "calc.xlsx", resaved)
    assert report.imported, [e.message("en") for e in report.errors]
    assert current(store, q) == stored(q, EVERY_KIND)
    assert find(load_workbook(io.BytesIO(resaved)), "1.1/status")


def test_prefilled_template_resaved_by_libreoffice_gives_the_same_answers(kinds, calc):
    store, _, q = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, EVERY_KIND)
    resaved = calc(write_template(store, FOCAL, "kinds-1", "KEN", "en"))
    report = import_workbook(store, FOCAL, "calc.xlsx", resaved)
    assert report.imported and report.changed == 0, [e.message("en") for e in report.errors]
    assert current(store, q) == stored(q, EVERY_KIND)
    edited = calc(fill(resaved, q, {("1.1", "status"): "implemented", ("1.1", "notes"): None}), "edited.xlsx")
    assert import_workbook(store, FOCAL, "edited.xlsx", edited).changed == 2
    expected = {**stored(q, EVERY_KIND), ("1.1", "status"): "implemented"}
    del expected[("1.1", "notes")]
    assert current(store, q) == expected


def test_formula_saved_by_libreoffice_is_refused(kinds, calc):
    store, _, _ = kinds
    data = write_template(store, FOCAL, "kinds-1", "KEN", "en")
    row = find(load_workbook(io.BytesIO(data)), "1.1/keepers")[1]
    resaved = calc(edit(data, lambda b: b["Chapter I"].cell(row=row, column=6).__setattr__("value", "=2*3")))
    before = database_state(store)
    report = import_workbook(store, FOCAL, "calc.xlsx", resaved)
    assert [(e.code, e.cell) for e in report.errors] == [("formula", f"F{row}")]
    assert database_state(store) == before
