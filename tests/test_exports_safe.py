"""Every CSV and XLSX the platform writes is safe to open: separators quoted, formulas neutralised,
whatever the spreadsheet's locale (`;` as separator, full-width signs, spaces first)."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from openpyxl import load_workbook

from review import export
from review.workbook.safe import FORMULA_STARTS, csv_value, needs_escape, write_csv, write_xlsx

HOSTILE = ["x;=1+1;y", "  =1+1", "\u3000=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A1", "\t=1", "\n=1",
           "=HYPERLINK(\"http://x\")", "a,b", 'say "hi"', "line\nbreak"]


@pytest.mark.parametrize("text", ["  =1+1", "\u3000=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A1", "\t=1",
                                  "\n=1", " @x", "\u00a0-2"])
def test_formula_triggers_after_whitespace_or_in_full_width_are_neutralised(text):
    assert needs_escape(text) and csv_value(text).startswith("'")
    assert csv_value(text).replace("'", "") == text


@pytest.mark.parametrize("text", ["plain", "x = 1", "1+1", "Law no. 12/2020 - art. 3"])
def test_ordinary_text_is_left_alone(text):
    assert not needs_escape(text) and csv_value(text) == text


def test_text_fields_holding_a_separator_quote_or_line_break_are_quoted():
    """`x;=1+1;y` was written bare, and a spreadsheet splitting on `;` made `=1+1` a cell of its own."""
    text = write_csv([["party", "note", "count"], ["KEN", "x;=1+1;y", 3], ["FRA", 'say "hi"\nthen, go', 4]])
    assert text.splitlines()[1] == '"KEN","x;\'=1+1;y",3'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [["KEN", "x;'=1+1;y", "3"], ["FRA", 'say "hi"\nthen, go', "4"]]


def _cells(text: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


def _no_live_formula(text: str) -> None:
    """Whether the file is split on `,` (its own separator) or on `;` or tabs (as spreadsheets in many
    locales do, ignoring quotes that do not open a cell), no cell is a formula."""
    for delimiter in (",", ";", "\t"):
        live = [cell for cell in _cells(text, delimiter) if cell.lstrip(" \u00a0\u3000\t\r\n").startswith(FORMULA_STARTS)]
        assert not live, (delimiter, live)


def test_a_reader_splitting_on_another_separator_finds_no_formula_either():
    """Quotes keep `x;=1+1;y` one cell only for a reader splitting on `,`: one splitting on `;` read
    `"KEN","x;=1+1;y"` as `"KEN","x` / `=1+1` / `y"`. A formula sign after an inner separator or line
    break is neutralised too."""
    text = write_csv([["party", "note"], *[["KEN", h] for h in HOSTILE], ["FRA", "a;\t=1"], ["FRA", "a,  \uff0b1"]])
    _no_live_formula(text)
    assert [row[1] for row in csv.reader(io.StringIO(text, newline=""))][1:] == [
        csv_value(h) for h in HOSTILE + ["a;\t=1", "a,  \uff0b1"]]
    assert csv_value("x;=1+1;y") == "x;'=1+1;y" and csv_value("a, b - c") == "a, b - c"


def test_the_analysis_csv_goes_through_the_same_writer():
    df = pl.DataFrame({"party": ["KEN", "FRA"], "note": HOSTILE[:2], "score": [0.5, None]})
    text = export.csv_text(df)
    assert text.splitlines()[1] == '"KEN","x;\'=1+1;y",0.5'
    assert text.splitlines()[2] == '"FRA","\'  =1+1",""'


def test_every_xlsx_writer_stores_hostile_text_as_quote_prefixed_text():
    df = pl.DataFrame({"note": HOSTILE})
    books = {"export": io.BytesIO(export.to_bytes(df, "xlsx")), "safe": io.BytesIO(write_xlsx([["note"], *[[h] for h in HOSTILE]]))}
    for name, data in books.items():
        sheet = load_workbook(data).active
        for r, text in enumerate(HOSTILE, start=2):
            cell = sheet.cell(row=r, column=1)
            assert cell.data_type == "s", (name, text)
            assert cell.value == text.replace("\r", "") or cell.value == text, (name, text)
            assert bool(cell.quotePrefix) == needs_escape(text), (name, text)


def test_the_matching_report_csv_and_xlsx_go_through_the_same_helpers():
    from review.matching.files import report_bytes
    from review.matching.report import MatchReport

    frame = pl.DataFrame({"description": HOSTILE, "score": [float(i) for i in range(len(HOSTILE))]})
    report = MatchReport("c", "Cycle", "en", "secretariat", {}, views={"matches": frame, "unmet": frame})
    text = report_bytes(report, "csv", "matches").decode("utf-8-sig")
    _no_live_formula(text)
    assert [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:] == [csv_value(h) for h in HOSTILE]
    for sheet in load_workbook(io.BytesIO(report_bytes(report, "xlsx"))).worksheets:
        cells = [sheet.cell(row=r, column=1) for r in range(2, len(HOSTILE) + 2)]
        assert all(c.data_type == "s" and bool(c.quotePrefix) == needs_escape(c.value) for c in cells)
        assert sum(bool(c.quotePrefix) for c in cells) == sum(needs_escape(h) for h in HOSTILE)


@pytest.mark.parametrize("value", ["x;=1+1;y", "\uff1dHYPERLINK(\"http://x\")", "-5 days", "@A1"])
def test_the_questionnaire_workbook_keeps_a_partys_answer_as_text(store, value):
    from review import submissions
    from review.workbook import write_template
    from tests.test_workbook import FOCAL
    from tests.workbook_helpers import all_kinds_cycle, find

    all_kinds_cycle(store)
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): value})
    sheet, row = find(load_workbook(io.BytesIO(write_template(store, FOCAL, "kinds-1", "KEN", "en"))), "1.1/motto")
    cell = sheet.cell(row=row, column=6)
    assert (cell.value, cell.data_type, bool(cell.quotePrefix)) == (value, "s", needs_escape(value))


def test_an_openpyxl_cell_reads_back_as_typed_in_the_importers_reader():
    import fastexcel

    texts = ["_x0041_ stays", "line\x0bbreak\x01", "_x005F_x0041_", "=1+1"]
    reader = fastexcel.read_excel(write_xlsx([["note"], *[[x] for x in texts]]))
    assert reader.load_sheet(0, dtypes="string").to_polars()["note"].to_list() == texts


@pytest.mark.parametrize("value", ["=1+1", "@SUM(A1)", "_x0041_", "line\x0bbreak from Word"])
def test_a_questionnaire_workbook_reads_back_exactly_what_was_typed(store, value):
    from review import submissions
    from review.workbook import import_workbook, write_template
    from tests.test_workbook import FOCAL
    from tests.workbook_helpers import all_kinds_cycle, fill

    _, q = all_kinds_cycle(store)
    typed = {("1.1", "motto"): value, ("1.1", "law"): [{"title": value}]}
    assert import_workbook(store, FOCAL, "k.xlsx", fill(write_template(store, FOCAL, "kinds-1", "KEN"), q, typed)).imported
    answers = submissions.current_answers(store, FOCAL, "kinds-1", "KEN")
    assert (answers[("1.1", "motto")], answers[("1.1", "law")][0]["title"]) == (value, value)
    # the workbook made from those answers, sent back untouched, changes nothing
    assert import_workbook(store, FOCAL, "k.xlsx", write_template(store, FOCAL, "kinds-1", "KEN")).changed == 0


def test_the_word_and_pdf_documents_print_a_partys_text_as_typed(store):
    from docx import Document
    from pypdf import PdfReader

    from review import submissions
    from review.reports.submission_document import submission_docx, submission_pdf
    from tests.test_workbook import FOCAL
    from tests.workbook_helpers import all_kinds_cycle

    all_kinds_cycle(store)
    submissions.save_answers(store, FOCAL, "kinds-1", "KEN", 0, {("1.1", "motto"): "{nb} **x** a\x0bb\x01c"})
    lines = [p.text for p in Document(io.BytesIO(submission_docx(store, FOCAL, "kinds-1", "KEN"))).paragraphs]
    assert "{nb} **x** a" in lines and "b\u2401c" in lines  # Word's line break, a visible control picture
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(submission_pdf(store, FOCAL, "kinds-1", "KEN"))).pages)
    assert "{nb} **x** a" in pdf


def test_a_pdf_keeps_every_line_and_shows_control_characters():
    """fpdf2 leaves control characters out: a lone carriage return ran two words together and a
    control character vanished. Each line end starts a line, any other control shows as its picture."""
    from pypdf import PdfReader

    from review import pdf

    document = pdf.new_document("t\x01", "en")
    pdf.paragraph(document, 5, "first\rsecond\r\nthird x\x01y", "en")
    pdf.table(document, ["h"], [["cell\rnext"]], (100,), "en", "-")
    text = PdfReader(io.BytesIO(bytes(document.output()))).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines()]
    assert "first" in lines and "second" in lines and "third x\\u0001y" in lines
    assert "cell" in lines and "next" in lines and "firstsecond" not in text
