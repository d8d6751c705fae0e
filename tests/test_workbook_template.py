"""The workbook out, written with XlsxWriter: right-to-left sheets in Arabic, every language's
labels read back to codes whatever language the workbook was made in, no text ever cut or turned
into a formula, and every participating Party's workbook in one zip."""

from __future__ import annotations

import gc
import io
import zipfile

import pytest
from openpyxl import load_workbook

from review import submissions
from review.cli import main
from review.errors import PermissionDenied, ReviewError
from review.i18n import LANGUAGES
from review.questionnaire import from_mapping
from review.workbook import import_workbook, write_template
from review.workbook.template import bundle_name, render, write_templates
from tests.actors import SETUP
from tests.test_workbook import FOCAL, kinds, template  # noqa: F401 (fixture)
from tests.workbook_helpers import all_kinds_definition, fill, find

ANSWERS = {
    ("1.1", "status"): "partly_implemented",
    ("1.1", "colours"): ["red", "green"],
    ("1.1", "staffed"): True,
    ("1.2", "colour"): "white",
}


def test_an_arabic_workbook_runs_right_to_left_and_others_do_not(kinds):
    store, _, _ = kinds
    arabic = load_workbook(io.BytesIO(template(store, "ar")))
    chapters = [s for s in arabic.worksheets if s.title not in ("meta", "lists")]
    assert chapters and all(s.sheet_view.rightToLeft for s in chapters)
    english = load_workbook(io.BytesIO(template(store, "en")))
    assert not any(s.sheet_view.rightToLeft for s in english.worksheets)


def test_the_arabic_workbook_offers_arabic_dropdown_labels(kinds):
    store, _, _ = kinds
    book = load_workbook(io.BytesIO(template(store, "ar")))
    labels = [c.value for c in next(book["lists"].iter_cols(min_col=1, max_col=99)) if c.value]
    column = next(col for col in book["lists"].iter_cols() if "أحمر" in [c.value for c in col])
    assert [c.value for c in column if c.value] == ["أحمر", "أبيض", "أخضر"]
    assert labels  # the first list is there too


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_workbook_filled_in_any_language_imports_its_labels_as_codes(kinds, lang):
    """Made and filled in `lang` (labels it lacks are English until translated), imported by a user
    whatever their own language: the codes are saved."""
    store, _, q = kinds
    filled = fill(template(store, lang), q, ANSWERS, lang)
    report = import_workbook(store, FOCAL, "filled.xlsx", filled)
    assert report.status == "imported", [e.message("en") for e in report.errors]
    saved = submissions.current_answers(store, FOCAL, "kinds-1", "KEN")
    assert sorted(saved.pop(("1.1", "colours"))) == ["green", "red"]
    assert {key: saved.get(key) for key in ANSWERS if key != ("1.1", "colours")} == \
        {key: value for key, value in ANSWERS.items() if key != ("1.1", "colours")}


def test_a_label_is_read_in_the_workbooks_language_first(store):
    """When one language's label of a code is another language's label of another code, the
    workbook's own language decides (before: the first code in list order won)."""
    from review import cycles
    import datetime as dt

    data = all_kinds_definition()
    data["id"] = "tiny-ambiguous"
    data["code_lists"]["colour"] = [
        {"code": "red", "label": {"en": "Red", "zh": "红", "es": "White"}},  # English "White" is another code
        {"code": "white", "label": {"en": "White", "zh": "白", "es": "Blanco"}},
        {"code": "green", "label": {"en": "Green", "zh": "绿", "es": "Verde"}},
    ]
    q = from_mapping(data, "ambiguous")
    cycles.register_questionnaire(store, SETUP, q)
    cycles.create_cycle(store, SETUP, cycle_id="amb-1", title="Ambiguous", questionnaire_id=q.id,
                        questionnaire_version=q.version, chapters=["I", "II"], parties=["KEN"],
                        deadline=dt.date(2030, 1, 31))
    for lang, expected in (("en", "white"), ("es", "red")):
        made = write_template(store, FOCAL, "amb-1", "KEN", lang)
        book = load_workbook(io.BytesIO(made))
        sheet, row = find(book, "1.2/colour")
        sheet.cell(row=row, column=6).value = "White"
        out = io.BytesIO()
        book.save(out)
        report = import_workbook(store, FOCAL, "filled.xlsx", out.getvalue())
        assert report.status == "imported", [e.message("en") for e in report.errors]
        assert submissions.current_answers(store, FOCAL, "amb-1", "KEN")[("1.2", "colour")] == expected


def test_a_text_that_looks_like_a_formula_is_written_as_text(kinds):
    store, _, _ = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "=HYPERLINK(\"http://x\")"})
    book = load_workbook(io.BytesIO(template(store)))
    sheet, row = find(book, "1.1/motto")
    cell = sheet.cell(row=row, column=6)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == "=HYPERLINK(\"http://x\")"


def test_an_answer_longer_than_an_excel_cell_refuses_the_workbook_naming_the_field(store):
    """XlsxWriter cuts a text over 32,767 characters: the workbook would import a shortened answer
    over the Party's own. It is refused instead, naming the answer."""
    from review import cycles
    import datetime as dt

    data = all_kinds_definition()
    data["id"] = "tiny-long"
    data["question_blocks"]["basic"][-1] = {"id": "staffed", "type": "long_text", "max_length": 40000,
                                            "label": {"en": "Long", "zh": "长"}}
    q = from_mapping(data, "long")
    cycles.register_questionnaire(store, SETUP, q)
    cycles.create_cycle(store, SETUP, cycle_id="long-1", title="Long", questionnaire_id=q.id,
                        questionnaire_version=q.version, chapters=["I", "II"], parties=["KEN"],
                        deadline=dt.date(2030, 1, 31))
    submissions.save_answers(store, FOCAL, "long-1", "KEN", 0, {("1.1", "staffed"): "x" * 33000})
    with pytest.raises(ReviewError) as caught:
        write_template(store, FOCAL, "long-1", "KEN")
    assert caught.value.key == "workbook.text_too_long_for_excel"
    assert "staffed" in caught.value.params["field"] and caught.value.params["length"] == 33000


def test_every_participating_partys_workbook_in_one_zip_with_progress(kinds):
    store, _, _ = kinds
    seen = []
    data = write_templates(store, SETUP, "kinds-1", "fr", progress=lambda done, total, party: seen.append((done, total, party)))
    bundle = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(bundle.namelist()) == [bundle_name("kinds-1", p) for p in ("FRA", "KEN")]
    assert seen == [(1, 2, "FRA"), (2, 2, "KEN")]
    for party in ("FRA", "KEN"):
        book = load_workbook(io.BytesIO(bundle.read(bundle_name("kinds-1", party))))
        meta = {r[0].value: r[1].value for r in book["meta"].iter_rows()}
        assert (meta["party"], meta["cycle"], meta["lang"]) == (party, "kinds-1", "fr")
    # each one is a valid workbook: it imports (unchanged) as its Party's
    report = import_workbook(store, FOCAL, "ken.xlsx", bundle.read(bundle_name("kinds-1", "KEN")))
    assert report.status == "imported" and report.party == "KEN"


def test_only_the_secretariat_writes_every_partys_workbook(kinds):
    store, _, _ = kinds
    with pytest.raises(PermissionDenied):
        write_templates(store, FOCAL, "kinds-1")


def test_review_template_all_writes_the_zip(kinds, tmp_path, capsys):
    store, _, _ = kinds
    store.close()
    code = main(["--db", str(store.path), "template", "--cycle", "kinds-1", "--all", "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    [written] = list(tmp_path.glob("*.zip"))
    assert len(zipfile.ZipFile(written).namelist()) == 2
    assert "2/2" in err and str(written) in out
    with pytest.raises(SystemExit) as usage:
        main(["--db", str(store.path), "template", "--cycle", "kinds-1", "--out", str(tmp_path / "x.xlsx")])
    assert usage.value.code != 0


def test_writing_a_workbook_does_not_load_openpyxl():
    """openpyxl (and the numpy it pulls in) cost about a second to import: the template no longer
    uses it, and the importer loads it only for a file holding formulas."""
    import subprocess
    import sys

    code = ("import sys, review.workbook.template, review.workbook.importer; "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert out.stdout.strip() == "False"


def test_a_corrected_label_shows_in_the_next_workbook_and_the_collector_is_back_on(kinds):
    """A sheet's structure is kept per questionnaire object: a definition whose labels were corrected
    (a new object, as `Store.cache` holds after a correction) gets its own; writing a workbook pauses
    the cycle collector and leaves it as it found it."""
    store, cycle, _ = kinds
    data = all_kinds_definition()

    def motto_label(q) -> str:
        book = load_workbook(io.BytesIO(render(q, cycle, "KEN", "Kenya", 0, {}, "en", SETUP, b"key")))
        sheet, row = find(book, "1.1/motto")
        return sheet.cell(row, 5).value

    assert motto_label(from_mapping(data)) == "Motto"
    data["question_blocks"]["basic"][-5]["label"]["en"] = "Motto, corrected"
    assert motto_label(from_mapping(data)) == "Motto, corrected"
    assert gc.isenabled()
    gc.disable()
    try:
        motto_label(from_mapping(data))
        assert not gc.isenabled()
    finally:
        gc.enable()
