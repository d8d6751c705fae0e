"""A workbook's answers are imported as the user typed them, or refused naming the cell: never changed.

The importer reads every cell through calamine's text view, which writes numbers its own way
(0.123456789012 as "0.123456789", 3.0000000001 as "3") and leaves out error values (#N/A) as if the
cell were empty. What the file stored decides instead: each case below is a cell as Excel,
LibreOffice or a ministry's own script writes it (openpyxl here), typed into a template.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from review import submissions
from review.i18n import LANGUAGES
from review.workbook import import_workbook, write_template
from tests.test_workbook import FOCAL, codes, refused
from tests.test_workbook_roundtrip import calc  # noqa: F401 (the fixture: LibreOffice re-saves a workbook)
from tests.workbook_helpers import all_kinds_cycle, edit, find

ANSWER = 6


@pytest.fixture
def kinds(store):
    all_kinds_cycle(store)
    return store


def typed_in(data: bytes, key: str, value, number_format: str | None = None, column: int = ANSWER) -> bytes:
    """The workbook with `value` in the answer cell of `key` as openpyxl stores it (a number as a
    number, "#N/A" as an error value), in `number_format` if given."""
    def change(book):
        sheet, row = find(book, key)
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if number_format:
            cell.number_format = number_format
    return edit(data, change)


def imported(store, data: bytes):
    report = import_workbook(store, FOCAL, "filled.xlsx", data)
    assert report.status == "imported", [p.as_dict() for p in report.errors]
    return submissions.current_answers(store, FOCAL, "kinds-1", "KEN")


@pytest.mark.parametrize(("key", "value", "number_format", "kept"), [
    ("1.1/motto", 12, "General", "12"),  # a whole number in a number cell of a text question: "12", not "12.0"
    ("1.1/motto", 12.0, None, "12"),
    ("1.1/motto", 123456789012345, None, "123456789012345"),  # 15 digits: what a spreadsheet keeps
    ("1.1/motto", "007", None, "007"),
    ("1.1/motto", "0044 20 7946 0000", None, "0044 20 7946 0000"),
    ("1.1/motto", "1234567890123456789", None, "1234567890123456789"),  # typed as text: every digit
    ("1.1/notes", "first line\r\nsecond line", None, "first line\r\nsecond line"),  # Windows line ends
    ("1.1/notes", "  Kept.\n\u00a0", None, "Kept."),  # outer blanks are no part of an answer, online too
    ("1.1/keepers", 12.0, None, 12),
    ("1.1/keepers", "12.0", None, 12),
    ("1.1/keepers", "12345678901234567890", None, 12345678901234567890),  # as text: no digit lost
    ("1.1/built", 2021, None, 2021),
    ("1.1/inspected", dt.datetime(2024, 5, 1), "yyyy-mm-dd", "2024-05-01"),
    ("1.1/inspected", "2024-05-01", None, "2024-05-01"),
    ("1.1/staffed", True, None, True),
    ("1.1/staffed", "Oui", None, True),
    ("1.1/staffed", 1, None, True),
    ("1.1/status", "\u00a0Implemented ", None, "implemented"),  # blanks around a label
    ("1.1/status", "已执行", None, "implemented"),  # the label of another language's workbook
    ("1.1/status", "partly_implemented", None, "partly_implemented"),  # the code itself
])
def test_a_value_whose_meaning_is_plain_is_kept_as_typed(kinds, key, value, number_format, kept):
    store = kinds
    data = typed_in(write_template(store, FOCAL, "kinds-1", "KEN", "en"), key, value, number_format)
    provision, question = key.split("/")
    assert imported(store, data)[(provision, question)] == kept


def test_a_table_cell_typed_as_a_number_in_a_text_column_is_kept_as_its_digits(kinds):
    store = kinds
    data = typed_in(write_template(store, FOCAL, "kinds-1", "KEN", "en"), "1.1/law#1", 2019)
    assert imported(store, data)[("1.1", "law")][0]["title"] == "2019"


@pytest.mark.parametrize(("key", "value", "number_format", "code"), [
    ("1.1/motto", 1234567890123456, None, "digits_lost"),  # Excel shows 1.23457E+15; digits past 15 are gone
    ("1.1/motto", 1.23457e15, "0.00E+00", "digits_lost"),
    ("1.1/motto", 0.123456789012, None, "not_text"),  # the text view said "0.123456789"
    ("1.1/motto", 3.7, None, "not_text"),
    ("1.1/motto", dt.datetime(2024, 1, 2), "d-mmm", "not_text"),  # "1-2" turned into a date by the spreadsheet
    ("1.1/motto", True, None, "not_text"),
    ("1.1/motto", 7, "00000", "not_text"),  # shown as 00007 (a postcode's format): was imported as "7"
    ("1.1/motto", 1234, "#,##0", "not_text"),  # shown as 1,234: was imported as "1234"  # TRUE in a cell that was no text: was imported as "true"
    ("1.1/motto", 0.5, "0%", "percent"),
    ("1.1/keepers", 1, "0%", "percent"),  # "100%" typed: was imported as 1
    ("1.1/keepers", 0.5, "0.0%", "percent"),
    ("1.1/keepers", 3.0000000001, None, "not_integer"),  # was imported as 3
    ("1.1/keepers", 3.7, None, "not_integer"),
    ("1.1/keepers", 1e16, None, "digits_lost"),
    ("1.1/keepers", "1 234", None, "not_integer"),
    ("1.1/keepers", "1,5", None, "not_integer"),
    ("1.1/keepers", -2, None, "below_min"),
    ("1.1/built", 2021.5, None, "bad_year"),
    ("1.1/inspected", dt.datetime(2024, 5, 1, 13, 45), "yyyy-mm-dd hh:mm", "bad_date"),  # the time is not dropped
    ("1.1/inspected", 45000, None, "bad_date"),  # a serial number without a date format
    ("1.1/inspected", "2025-13-01", None, "bad_date"),
    ("1.1/motto", "#N/A", None, "error_value"),  # an error value: was read as an empty cell
    ("1.1/status", "#N/A", None, "error_value"),
    ("1.1/law#1", 1234567890123456, None, "digits_lost"),
])
def test_a_value_the_spreadsheet_changed_is_refused_naming_its_cell(kinds, key, value, number_format, code):
    store = kinds
    data = write_template(store, FOCAL, "kinds-1", "KEN", "en")
    row = find(load_workbook(io.BytesIO(data)), key)[1]
    problems = refused(store, typed_in(data, key, value, number_format))
    assert codes(problems) == [code]
    assert (problems[0].sheet, problems[0].cell) == ("Chapter I", f"F{row}")
    for lang in LANGUAGES:
        text = problems[0].message(lang)
        assert text and "{" not in text and "keep." not in text, (lang, text)


def test_an_error_value_over_a_saved_answer_does_not_clear_it(kinds):
    store = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "Keep the light"})
    data = typed_in(write_template(store, FOCAL, "kinds-1", "KEN", "en"), "1.1/motto", "#DIV/0!")
    assert codes(refused(store, data)) == ["error_value"]
    assert submissions.current_answers(store, FOCAL, "kinds-1", "KEN")[("1.1", "motto")] == "Keep the light"


def test_text_answer_cells_are_formatted_as_text_so_excel_keeps_digits_as_typed(kinds):
    store = kinds
    book = load_workbook(io.BytesIO(write_template(store, FOCAL, "kinds-1", "KEN", "en")))
    formats = {key: find(book, key)[0].cell(row=find(book, key)[1], column=ANSWER).number_format
               for key in ("1.1/motto", "1.1/notes", "1.1/site", "1.1/law#1", "1.1/keepers", "1.1/built")}
    assert formats == {"1.1/motto": "@", "1.1/notes": "@", "1.1/site": "@", "1.1/law#1": "@",
                       "1.1/keepers": "General", "1.1/built": "General"}


def test_libreoffice_keeps_what_the_import_looks_at(kinds, calc):
    """The same cells re-saved by LibreOffice Calc (its own styles part and cell types) are refused alike;
    Calc writes the error value as the formula =NA(), refused as a formula."""
    store = kinds
    data = write_template(store, FOCAL, "kinds-1", "KEN", "en")
    for key, value, number_format in (("1.1/keepers", 1, "0%"), ("1.1/motto", 1234567890123456, None),
                                      ("1.1/law#1", 3.7, None), ("1.1/site", "#N/A", None)):
        data = typed_in(data, key, value, number_format)
    problems = refused(store, calc(data))
    book = load_workbook(io.BytesIO(data))
    assert sorted((p.code, p.cell) for p in problems) == sorted(
        (code, f"F{find(book, key)[1]}") for key, code in (("1.1/keepers", "percent"), ("1.1/motto", "digits_lost"),
                                                          ("1.1/law#1", "not_text"), ("1.1/site", "formula")))


def test_a_long_whole_number_answered_online_goes_out_and_back_with_every_digit(kinds):
    store = kinds
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "keepers"): 12345678901234567890})
    data = write_template(store, FOCAL, "kinds-1", "KEN", "en")
    sheet, row = find(load_workbook(io.BytesIO(data)), "1.1/keepers")
    assert sheet.cell(row=row, column=ANSWER).value == "12345678901234567890"  # a number would show 1.23457E+19
    report = import_workbook(store, FOCAL, "back.xlsx", data)
    assert report.imported and report.changed == 0, [p.as_dict() for p in report.errors]
    assert submissions.current_answers(store, FOCAL, "kinds-1", "KEN")[("1.1", "keepers")] == 12345678901234567890


def test_a_whole_number_without_bounds_may_be_typed_in_excel_up_to_fifteen_digits(kinds):
    store = kinds
    book = load_workbook(io.BytesIO(write_template(store, FOCAL, "kinds-1", "KEN", "en")))
    sheet, row = find(book, "1.1/keepers")
    (rule,) = [v for v in sheet.data_validations.dataValidation if f"F{row}" in v.sqref]
    assert (rule.type, rule.formula1, rule.formula2) == ("whole", "0", "999999999999999")  # was 1000000000


def test_a_hostile_styles_part_is_read_in_one_pass():
    """styles.xml is the sender's: openings repeated without their closing tags (which regular
    expressions rescanned to the end of the file from each one) are read in one pass, and a part that
    does not parse has no style of its own."""
    from review.workbook import stored

    hostile = b"<styleSheet>" + b"<cellXfs><xf numFmtId=\"9\"<numFmt numFmtId=\"1" * 20_000 + b"</styleSheet>"
    assert stored.number_styles(hostile) == {}
    good = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
            b'<numFmt numFmtId="164" formatCode="0.0&quot;%&quot;"/><numFmt numFmtId="165" formatCode="00000"/></numFmts>'
            b'<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>')
    # a quoted "%" is a literal, not a percentage
    assert stored.number_styles(good) == {1: stored.PERCENT, 2: stored.FORMATTED, 3: stored.FORMATTED}
    assert stored.number_styles(good.replace(b"0.0&quot;%&quot;", b"0.0%"))[2] == stored.PERCENT
