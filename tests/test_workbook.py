"""The offline workbook: what a focal point downloads, and every reason an upload is refused unchanged."""

from __future__ import annotations

from tests.answer_helpers import contents

import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from review import audit, submissions
from review.workbook.signature import installation_key, sign
from review.access import Actor, Role
from tests.actors import SETUP
from review.cli import main
from review.errors import PermissionDenied
from review.workbook import Limits, import_workbook, import_workbooks, write_template
from review.workbook.safe import csv_value, write_csv, write_xlsx
from tests.workbook_helpers import all_kinds_cycle, damaged, database_state, edit, fill, find

FOCAL = Actor("fp-ken", Role.FOCAL_POINT, "KEN")


@pytest.fixture
def kinds(store):
    cycle, q = all_kinds_cycle(store)
    return store, cycle, q


def template(store, lang="en", actor=FOCAL, party="KEN"):
    return write_template(store, actor, "kinds-1", party, lang)


def refused(store, data, actor=FOCAL, **options):
    """Import `data`, assert it was refused and changed nothing; the report's problems."""
    before = database_state(store)
    report = import_workbook(store, actor, "filled.xlsx", data, **options)
    assert report.status == "rejected"
    assert report.errors
    assert database_state(store) == before
    return report.errors


def codes(problems):
    return [p.code for p in problems]


# --- the workbook out ---------------------------------------------------------------------------

def test_template_is_prefilled_with_labels_and_locks_everything_but_answers(kinds):
    store, _, q = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {
        ("1.1", "status"): "implemented",
        ("1.1", "law"): [{"title": "Lighthouse Act", "year": 2019}],
        ("1.2", "colours"): ["red", "green"],
    })
    book = load_workbook(io.BytesIO(template(store)))
    sheet, row = find(book, "1.1/status")
    assert sheet.cell(row=row, column=6).value == "Implemented"
    assert sheet.cell(row=row, column=6).protection.locked is False
    assert sheet.cell(row=row, column=5).protection.locked is True
    assert sheet.protection.sheet
    _, law = find(book, "1.1/law#1")
    assert [sheet.cell(row=law, column=c).value for c in (6, 7)] == ["Lighthouse Act", 2019]
    _, red = find(book, "1.2/colours=red")
    _, white = find(book, "1.2/colours=white")
    assert sheet.cell(row=red, column=6).value == "Yes" and sheet.cell(row=white, column=6).value is None
    assert book["meta"].sheet_state == "veryHidden" and book["lists"].sheet_state == "hidden"
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book.security.lockStructure


def test_dropdowns_use_named_ranges_never_long_inline_lists(kinds):
    store, _, _ = kinds
    book = load_workbook(io.BytesIO(template(store)))
    sheet = find(book, "1.1/status")[0]
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(dv.formula1.startswith("list_") for dv in lists)
    assert "list_status" in book.defined_names


def test_metadata_names_party_cycle_version_and_revision(kinds):
    store, cycle, q = kinds
    seq = submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "status"): "implemented"}).seq
    meta = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(template(store)))["meta"].iter_rows()}
    assert (meta["party"], meta["cycle"], meta["questionnaire"], meta["version"]) == ("KEN", "kinds-1", q.id, q.version)
    assert meta["fingerprint"] == q.fingerprint and meta["seq"] == str(seq)


def test_tables_get_more_rows_when_the_answer_has_more(kinds):
    store, _, _ = kinds
    rows = [{"title": f"Act {i}"} for i in range(7)]
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "law"): rows})
    book = load_workbook(io.BytesIO(template(store)))
    find(book, "1.1/law#9")
    find(book, "2/law#5")
    with pytest.raises(KeyError):
        find(book, "2/law#6")


def test_chinese_workbook_has_chinese_labels(kinds):
    store, _, _ = kinds
    book = load_workbook(io.BytesIO(template(store, "zh")))
    assert book.sheetnames[0] == "填写说明" and "第I章" in book.sheetnames
    assert find(book, "1.1/status")[0].cell(row=2, column=6).value == "答复"


def test_another_partys_user_cannot_download(kinds):
    store, _, _ = kinds
    with pytest.raises(PermissionDenied):
        template(store, actor=Actor("fp-fra", Role.FOCAL_POINT, "FRA"))


# --- the import in ------------------------------------------------------------------------------

def test_import_writes_one_revision_and_logs_it(kinds):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "status"): "partly_implemented", ("1.1", "law"): [{"title": "Act", "year": 2020}],
                                     ("1.1", "inspected"): "2024-05-01", ("1.2", "colour"): "white"})
    report = import_workbook(store, FOCAL, "ken.xlsx", data)
    assert report.status == "imported" and report.revision == 1 and report.changed == 4
    answers = submissions.current_answers(store, FOCAL, "kinds-1", "KEN")
    assert answers[("1.1", "inspected")] == "2024-05-01" and contents(answers[("1.1", "law")]) == [{"title": "Act", "year": 2020}]
    assert [r.kind for r in submissions.revisions(store, FOCAL, "kinds-1", "KEN")] == ["imported"]
    assert audit.entries(store, SETUP, entity_id="kinds-1/KEN")[1].action == "answers.import"


def test_labels_in_any_language_or_codes_are_accepted(kinds):
    store, _, q = kinds
    data = edit(template(store), lambda b: [
        b[find(b, k)[0].title].cell(row=find(b, k)[1], column=6).__setattr__("value", v)
        for k, v in (("1.1/status", "已执行"), ("1.2/colour", "أبيض"), ("2/status", "not_applicable"))
    ])
    assert import_workbook(store, FOCAL, "mixed.xlsx", data).imported
    answers = submissions.current_answers(store, FOCAL, "kinds-1", "KEN")
    assert (answers[("1.1", "status")], answers[("1.2", "colour")], answers[("2", "status")]) == ("implemented", "white", "not_applicable")


def test_emptied_cell_clears_the_answer(kinds):
    store, _, q = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "Keep it lit"})
    assert import_workbook(store, FOCAL, "k.xlsx", fill(template(store), q, {("1.1", "motto"): None})).imported
    assert ("1.1", "motto") not in submissions.current_answers(store, FOCAL, "kinds-1", "KEN")


def test_refuses_a_file_that_is_not_an_xlsx(kinds):
    store, _, _ = kinds
    assert codes(refused(store, b"party,status\nKEN,implemented\n")) == ["not_xlsx"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert codes(refused(store, buffer.getvalue())) == ["not_xlsx"]


def _with_member(data: bytes, name: str, content: bytes, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def test_refuses_a_macro_enabled_workbook(kinds):
    store, _, _ = kinds
    assert codes(refused(store, _with_member(template(store), "xl/vbaProject.bin", b"\x00" * 64))) == ["macro_enabled"]


def test_refuses_an_encrypted_workbook(kinds):
    store, _, _ = kinds
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    problems = refused(store, ole)
    assert codes(problems) == ["encrypted"] and "password" in problems[0].message("en")


def test_refuses_a_file_over_the_size_limit(kinds):
    store, _, _ = kinds
    data = template(store)
    assert codes(refused(store, data, limits=Limits(max_bytes=len(data) - 1))) == ["too_large"]


def test_a_file_given_by_path_over_the_size_limit_is_refused_unread(kinds, tmp_path):
    store, _, _ = kinds
    path = tmp_path / "big.xlsx"
    path.write_bytes(template(store))
    before = database_state(store)
    (report,) = import_workbooks(store, FOCAL, [("big.xlsx", path)], limits=Limits(max_bytes=path.stat().st_size - 1))
    assert (report.status, codes(report.errors)) == ("rejected", ["too_large"])
    assert database_state(store) == before
    (report,) = import_workbooks(store, FOCAL, [("big.xlsx", path)])
    assert report.status == "imported"


def test_refuses_a_file_whose_unzipped_size_is_out_of_proportion(kinds):
    store, _, _ = kinds
    bomb = _with_member(template(store), "xl/media/padding.bin", b"\x00" * 40_000_000)
    assert codes(refused(store, bomb)) == ["unzipped_too_large"]


def test_refuses_a_workbook_that_is_not_our_template(kinds):
    store, _, _ = kinds
    plain = io.BytesIO()
    Workbook().save(plain)
    assert codes(refused(store, plain.getvalue())) == ["not_our_template"]
    tampered = edit(template(store), lambda b: b["meta"].cell(row=1, column=2).__setattr__("value", "something else"))
    assert codes(refused(store, tampered)) == ["not_our_template"]


def _meta(data: bytes, key: str, value: str, store=None) -> bytes:
    """The workbook with one metadata entry changed; with `store`, signed again with that
    installation's key, as a genuine workbook made for that target would be."""
    def change(book):
        for row in book["meta"].iter_rows():
            if row[0].value == key:
                row[1].value = value
        if store is not None:
            entries = {row[0].value: row[1].value for row in book["meta"].iter_rows() if row[0].value}
            for row in book["meta"].iter_rows():
                if row[0].value == "signature":
                    row[1].value = sign(installation_key(store), entries)
    return edit(data, change)


def test_refuses_a_template_for_another_party(kinds):
    store, _, _ = kinds
    fra = template(store, actor=SETUP, party="FRA")
    problems = refused(store, fra)
    assert codes(problems) == ["wrong_party"] and "FRA" in problems[0].message("en")
    assert codes(refused(store, template(store), actor=SETUP, expect_party="FRA")) == ["wrong_party"]
    assert codes(refused(store, _meta(template(store), "party", "CHN", store), actor=SETUP)) == ["wrong_party"]


def test_refuses_a_template_for_another_cycle(kinds):
    store, _, _ = kinds
    assert codes(refused(store, template(store), expect_cycle="kinds-2")) == ["wrong_cycle"]
    assert codes(refused(store, _meta(template(store), "cycle", "kinds-2", store))) == ["wrong_cycle"]


def test_refuses_a_template_for_another_questionnaire_version(kinds):
    store, _, _ = kinds
    assert codes(refused(store, _meta(template(store), "version", "0.9", store))) == ["wrong_version"]
    assert codes(refused(store, _meta(template(store), "fingerprint", "0" * 16, store))) == ["wrong_version"]


@pytest.mark.parametrize("key, value", [("party", "FRA"), ("seq", "99"), ("cycle", "kinds-2"), ("created_by", "x"),
                                        ("signature", "0" * 64)])
def test_a_workbook_whose_metadata_was_altered_is_refused_as_tampered_and_nothing_changes(kinds, key, value):
    """A tampered change counter made a stale workbook revert a colleague's newer answer; a tampered
    Party imported one Party's workbook into another's submission."""
    store, _, _ = kinds
    altered = _meta(template(store), key, value)
    before = database_state(store)
    problems = refused(store, altered, actor=SETUP)
    assert codes(problems) == ["tampered"] and "altered" in problems[0].message("en")
    assert database_state(store) == before


def test_a_workbook_signed_by_another_installation_is_refused(kinds, tmp_path):
    store, _, _ = kinds
    data = template(store)
    with store.transaction() as cur:
        cur.execute("UPDATE setting SET value = ? WHERE key = 'workbook_signing_key'", ["ab" * 32])
    assert codes(refused(store, data)) == ["tampered"]


@pytest.mark.parametrize("rows", ["300000", "100000000", "-1"])
def test_tampered_table_rows_in_the_metadata_are_refused_before_any_sheet_is_read(kinds, rows):
    store, _, _ = kinds
    data = template(store)
    key = next(k for k in _meta_keys(data) if k.startswith("rows:"))
    assert codes(refused(store, _meta(data, key, rows, store))) == ["not_our_template"]


def _meta_keys(data: bytes) -> list[str]:
    import io

    from openpyxl import load_workbook

    return [row[0].value for row in load_workbook(io.BytesIO(data))["meta"].iter_rows() if row[0].value]


def test_refuses_deleted_or_inserted_rows_naming_the_row(kinds):
    store, _, _ = kinds
    deleted = edit(template(store), lambda b: b["Chapter I"].delete_rows(6))
    problems = refused(store, deleted)
    assert codes(problems) == ["rows_moved"] and (problems[0].sheet, problems[0].cell) == ("Chapter I", "B6")
    inserted = edit(template(store), lambda b: b["Chapter I"].insert_rows(9))
    assert codes(refused(store, inserted)) == ["rows_moved"]


def test_refuses_moved_or_deleted_columns(kinds):
    store, _, _ = kinds
    problems = refused(store, edit(template(store), lambda b: b["Chapter I"].delete_cols(4)))
    assert codes(problems) == ["columns_moved"] and problems[0].cell == "D1"


def test_refuses_a_renamed_sheet(kinds):
    store, _, _ = kinds
    problems = refused(store, edit(template(store), lambda b: setattr(b["Chapter I"], "title", "Lights")))
    assert codes(problems) == ["sheet_missing"]


@pytest.mark.parametrize(("answers", "code"), [
    ({("1.1", "status"): "Maybe"}, "not_in_code_list"),
    ({("1.1", "built"): "last year"}, "bad_year"),
    ({("1.1", "built"): 1850}, "bad_year"),
    ({("1.1", "inspected"): "31/02/2024"}, "bad_date"),
    ({("1.1", "site"): "www.example.org"}, "bad_url"),
    ({("1.1", "motto"): "x" * 61}, "too_long"),
    ({("1.1", "keepers"): -2}, "below_min"),
    ({("1.1", "staffed"): "Perhaps"}, "not_yes_no"),
    ({("1.1", "law"): [{"year": 2020}]}, "required_column"),
])
def test_refuses_a_bad_value_naming_its_cell(kinds, answers, code):
    store, _, q = kinds
    data = template(store)
    (key,) = answers
    row = find(load_workbook(io.BytesIO(data)), f"{key[0]}/{key[1]}{'#1' if code == 'required_column' else ''}")[1]
    if code in ("bad_date", "not_yes_no", "not_in_code_list"):
        typed_text = answers[key]
        data = edit(data, lambda b: b["Chapter I"].cell(row=row, column=6).__setattr__("value", typed_text))
    else:
        data = fill(data, q, answers)
    problems = refused(store, data)
    assert codes(problems) == [code]
    assert problems[0].sheet == "Chapter I" and problems[0].cell == f"F{row}"


def test_refuses_a_formula_in_an_answer_cell(kinds):
    store, _, _ = kinds
    row = find(load_workbook(io.BytesIO(template(store))), "1.1/keepers")[1]
    problems = refused(store, edit(template(store), lambda b: b["Chapter I"].cell(row=row, column=6).__setattr__("value", "=1+1")))
    assert codes(problems) == ["formula"] and problems[0].cell == f"F{row}"


def test_every_problem_of_a_file_is_listed_at_once(kinds):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "built"): 1700, ("2", "site"): "ftp://x", ("1.2", "motto"): "y" * 70})
    assert sorted(codes(refused(store, data))) == ["bad_url", "bad_year", "too_long"]


def test_refuses_when_answers_changed_online_since_the_workbook_was_made(kinds):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "motto"): "From the workbook", ("2", "keepers"): 3})
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "Typed online"})
    problems = refused(store, data)
    assert codes(problems) == ["conflict"] and "Art. 1(1)" in problems[0].message("en")
    report = import_workbook(store, FOCAL, "k.xlsx", data, take_workbook=True)
    assert report.imported and report.took_workbook
    assert submissions.current_answers(store, FOCAL, "kinds-1", "KEN")[("1.1", "motto")] == "From the workbook"
    assert audit.entries(store, SETUP, entity_id="kinds-1/KEN")[1].action == "answers.import.take_workbook"


def test_online_changes_the_workbook_left_alone_are_kept(kinds):
    store, _, q = kinds
    data = fill(template(store), q, {("2", "keepers"): 3})
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "Typed online"})
    report = import_workbook(store, FOCAL, "k.xlsx", data)
    assert report.imported and not report.took_workbook
    answers = submissions.current_answers(store, FOCAL, "kinds-1", "KEN")
    assert answers[("1.1", "motto")] == "Typed online" and answers[("2", "keepers")] == 3


def test_refuses_an_observer(kinds):
    store, _, _ = kinds
    assert codes(refused(store, template(store), actor=Actor("obs", Role.OBSERVER, "KEN"))) == ["permission_denied"]


def test_refuses_a_submission_that_can_no_longer_change(kinds):
    store, _, q = kinds
    data = template(store)
    with store.transaction() as cur:
        cur.execute("UPDATE submission SET state = 'submitted' WHERE id = 'kinds-1/KEN'")
    assert codes(refused(store, data)) == ["not_editable"]



def test_refuses_a_damaged_sheet_naming_it(kinds):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "keepers"): 4})
    chapter = load_workbook(io.BytesIO(data)).sheetnames[1]
    problems = refused(store, damaged(data, chapter))
    assert [(p.code, p.sheet) for p in problems] == [("sheet_unreadable", chapter)]
    assert chapter in problems[0].message("en") and chapter in problems[0].message("zh")
    assert codes(refused(store, damaged(data, "meta"))) == ["sheet_unreadable"]


def _meanwhile(monkeypatch, store, change) -> list:
    """Run `change` after the import's checks, just before it writes; the database right after it."""
    from review.workbook import importer

    real, states = importer.save_imports, []

    def late(*args, **kwargs):
        change()
        states.append(database_state(store))
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "save_imports", late)
    return states


def test_a_save_online_between_the_checks_and_the_write_is_not_overwritten(kinds, monkeypatch):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "motto"): "From the workbook"})
    states = _meanwhile(monkeypatch, store, lambda: submissions.save_answers(
        store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "Typed online"}))
    report = import_workbook(store, FOCAL, "k.xlsx", data)
    assert codes(report.errors) == ["changed_during_import"]
    assert states == [database_state(store)]
    assert submissions.current_answers(store, FOCAL, "kinds-1", "KEN") == {("1.1", "motto"): "Typed online"}
    assert [r.kind for r in submissions.revisions(store, FOCAL, "kinds-1", "KEN")] == []


def test_a_submission_sent_between_the_checks_and_the_write_is_left_alone(kinds, monkeypatch):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "motto"): "From the workbook"})

    def send():
        with store.transaction() as cur:
            cur.execute("UPDATE submission SET state = 'submitted' WHERE id = 'kinds-1/KEN'")

    states = _meanwhile(monkeypatch, store, send)
    report = import_workbook(store, FOCAL, "k.xlsx", data)
    assert codes(report.errors) == ["not_editable"]
    assert states == [database_state(store)]
    assert submissions.get_submission(store, "kinds-1", "KEN").state == "submitted"
    assert submissions.current_answers(store, FOCAL, "kinds-1", "KEN") == {}


def test_many_files_each_on_its_own_with_progress(kinds):
    store, _, q = kinds
    good = fill(template(store), q, {("1.1", "keepers"): 4})
    fra = fill(template(store, actor=SETUP, party="FRA"), q, {("1.1", "keepers"): 9})
    seen = []
    reports = import_workbooks(store, SETUP, [("ken.xlsx", good), ("junk.xlsx", b"junk"), ("fra.xlsx", fra)],
                               progress=lambda done, total, name, report: seen.append((done, total, name, report.status)))
    assert [r.status for r in reports] == ["imported", "rejected", "imported"]
    assert seen == [(1, 3, "ken.xlsx", "imported"), (2, 3, "junk.xlsx", "rejected"), (3, 3, "fra.xlsx", "imported")]
    assert submissions.current_answers(store, SETUP, "kinds-1", "FRA")[("1.1", "keepers")] == 9



def test_two_workbooks_for_one_party_in_one_batch_both_land(kinds):
    """Files are written in groups; the second workbook for a Party is checked against the first's write."""
    store, _, q = kinds
    start = template(store)
    motto = fill(start, q, {("1.1", "motto"): "From the first ministry"})
    keepers = fill(start, q, {("1.1", "keepers"): 7})
    fra = fill(template(store, actor=SETUP, party="FRA"), q, {("1.1", "keepers"): 9})
    reports = import_workbooks(store, SETUP, [("motto.xlsx", motto), ("keepers.xlsx", keepers), ("fra.xlsx", fra)])
    assert [(r.party, r.status, r.revision) for r in reports] == [("KEN", "imported", 1), ("KEN", "imported", 2),
                                                                  ("FRA", "imported", 1)]
    answers = submissions.current_answers(store, SETUP, "kinds-1", "KEN")
    assert answers[("1.1", "motto")] == "From the first ministry" and answers[("1.1", "keepers")] == 7
    notes = {r.number: r.note for r in submissions.revisions(store, SETUP, "kinds-1", "KEN")}
    assert "motto.xlsx" in notes[1] and "keepers.xlsx" in notes[2]


def test_a_save_online_during_a_batch_refuses_only_that_file(kinds, monkeypatch):
    store, _, q = kinds
    ken = fill(template(store), q, {("1.1", "motto"): "From the workbook"})
    fra = fill(template(store, actor=SETUP, party="FRA"), q, {("1.1", "keepers"): 9})
    _meanwhile(monkeypatch, store, lambda: submissions.save_answers(
        store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "Typed online"}))
    reports = import_workbooks(store, SETUP, [("ken.xlsx", ken), ("fra.xlsx", fra)])
    assert [(r.status, codes(r.errors)) for r in reports] == [("rejected", ["changed_during_import"]), ("imported", [])]
    assert submissions.current_answers(store, SETUP, "kinds-1", "KEN") == {("1.1", "motto"): "Typed online"}
    assert submissions.current_answers(store, SETUP, "kinds-1", "FRA")[("1.1", "keepers")] == 9
    assert [r.kind for r in submissions.revisions(store, SETUP, "kinds-1", "KEN")] == []


def test_a_database_failure_while_a_group_is_written_leaves_each_file_its_own_outcome(kinds, monkeypatch):
    """The group is rolled back and its files written one transaction each: only the failing one is refused."""
    import duckdb

    store, _, q = kinds
    ken = fill(template(store), q, {("1.1", "motto"): "From the workbook"})
    fra = fill(template(store, actor=SETUP, party="FRA"), q, {("1.1", "keepers"): 9})
    real = submissions._write

    def failing_for_kenya(cur, now, writes):
        if any(w.sub_id == "kinds-1/KEN" for w in writes):
            raise duckdb.ConstraintException("Constraint Error: simulated")
        return real(cur, now, writes)

    monkeypatch.setattr(submissions, "_write", failing_for_kenya)
    before = database_state(store)
    reports = import_workbooks(store, SETUP, [("ken.xlsx", ken), ("fra.xlsx", fra)])
    assert [(r.status, codes(r.errors)) for r in reports] == [("rejected", ["write_failed"]), ("imported", [])]
    assert "simulated" in reports[0].errors[0].message("en")
    assert submissions.current_answers(store, SETUP, "kinds-1", "KEN") == {}
    kenya = [row for row in database_state(store)[1] if row[2] == "KEN"]
    assert kenya == [row for row in before[1] if row[2] == "KEN"]
    assert submissions.current_answers(store, SETUP, "kinds-1", "FRA")[("1.1", "keepers")] == 9
    kenya_entries = [e for e in audit.entries(store, SETUP, "submission", "kinds-1/KEN") if e.action.startswith("answers")]
    assert kenya_entries == []


# --- the command line ---------------------------------------------------------------------------

def test_cli_template_then_import_json(kinds, tmp_path, capsys):
    store, _, q = kinds
    db = str(store.path)
    store.close()
    out = tmp_path / "for ministries" / "ken.xlsx"
    assert main(["--db", db, "template", "--party", "KEN", "--cycle", "kinds-1", "--lang", "zh", "--out", str(out)]) == 0
    assert "第I章" in load_workbook(out).sheetnames
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill(out.read_bytes(), q, {("1.1", "status"): "implemented"}, lang="zh"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    capsys.readouterr()
    assert main(["--db", db, "import", str(filled), str(bad), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in result] == ["imported", "rejected"]
    assert result[0]["party"] == "KEN" and result[0]["cycle"] == "kinds-1" and result[0]["revision"] == 1
    assert result[1]["errors"][0]["code"] == "not_xlsx" and set(result[1]["errors"][0]) == {"sheet", "cell", "code", "message"}
    assert main(["--db", db, "import", str(filled)]) == 0


def test_cli_reports_a_missing_file_and_still_imports_the_others(kinds, tmp_path, capsys):
    store, _, q = kinds
    db = str(store.path)
    filled = tmp_path / "ken.xlsx"
    filled.write_bytes(fill(template(store), q, {("1.1", "keepers"): 4}))
    store.close()
    capsys.readouterr()
    assert main(["--db", db, "import", str(tmp_path / "missing.xlsx"), str(filled), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert [(r["file"], r["status"]) for r in result] == [("missing.xlsx", "rejected"), ("ken.xlsx", "imported")]
    assert result[0]["errors"][0]["code"] == "unreadable" and "nothing was imported" in result[0]["errors"][0]["message"]


def test_a_cells_control_sequences_reach_the_operators_terminal_as_text(kinds, tmp_path, capsys):
    store, _, q = kinds
    hostile = "\x1b]0;owned\x07\x1b[1A\x1b[2K\x9b2J"  # window title, erase the line above, clear (C1)
    filled = tmp_path / "ken.xlsx"
    filled.write_bytes(fill(template(store), q, {("1.1", "built"): hostile}))
    store.close()
    capsys.readouterr()
    assert main(["--db", str(store.path), "import", str(filled)]) == 1
    out = capsys.readouterr().out
    assert "\\u001b]0;owned\\u0007\\u001b[1A\\u001b[2K\\u009b2J" in out and not set("\x1b\x07\x9b") & set(out)
    assert main(["--db", str(store.path), "import", str(filled), "--json"]) == 1
    assert hostile in json.loads(capsys.readouterr().out)[0]["errors"][0]["message"]  # JSON keeps the text exact


# --- exports that cannot hurt their readers -----------------------------------------------------

def test_csv_values_that_look_like_formulas_are_escaped():
    assert [csv_value(v) for v in ("=1+1", "+31", "-x", "@SUM", "\tx", "\rx", "plain", 5)] == \
        ["'=1+1", "'+31", "'-x", "'@SUM", "'\tx", "'\rx", "plain", 5]
    assert write_csv([["a", "=cmd|' /C calc'!A0"]]).splitlines()[0] == '"a","\'=cmd|\' /C calc\'!A0"'


def test_xlsx_text_that_looks_like_a_formula_stays_text():
    book = load_workbook(io.BytesIO(write_xlsx([["note"], ["=HYPERLINK(\"http://x\")"], ["-5 days"]])))
    cells = [book.active.cell(row=r, column=1) for r in (2, 3)]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_workbook_answers_starting_with_formula_signs_round_trip(kinds):
    store, _, q = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "=1+1 is not a formula here"})
    data = template(store)
    sheet, row = find(load_workbook(io.BytesIO(data)), "1.1/motto")
    assert sheet.cell(row=row, column=6).data_type == "s" and sheet.cell(row=row, column=6).quotePrefix
    assert import_workbook(store, FOCAL, "k.xlsx", data).changed == 0


def test_dry_run_checks_everything_and_writes_nothing(kinds):
    store, _, q = kinds
    data = fill(template(store), q, {("1.1", "keepers"): 4, ("2", "built"): 1999})
    before = database_state(store)
    report = import_workbook(store, FOCAL, "k.xlsx", data, dry_run=True)
    assert (report.status, report.changed) == ("checked", 2)
    assert database_state(store) == before
    assert import_workbook(store, FOCAL, "bad.xlsx", b"junk", dry_run=True).status == "rejected"
