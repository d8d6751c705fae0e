"""Where every answer sits in the workbook: one function both the writer and the importer use.

The layout is computed from the questionnaire, the cycle's chapters, the workbook language and
the number of rows each table was given (recorded in the metadata sheet), so the importer knows
exactly which cell holds what and notices any row or column that was moved or deleted.

One sheet per chapter. Row 1 (hidden) holds column markers, row 2 the headings, and column A
(hidden) a key for every row:

    article:7            an article heading
    provision:7.1        a provision: reference, text, obligation level
    7.1/status           a question with one answer cell (column F)
    7.1/challenges       a multiple-choice question heading, then one row per option:
    7.1/challenges=legal     "Yes" in column F selects the option
    7.1/legislation      a table heading with the column labels in F, G, ...
    7.1/legislation#1    table row 1: one answer cell per table column from F on
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Mapping

from review.i18n import t
from review.questionnaire import Chapter, Provision, Question, Questionnaire

KEY, REF, TEXT, OBLIGATION, QUESTION, ANSWER = 1, 2, 3, 4, 5, 6
BASE_MARKERS = ("key", "ref", "provision", "obligation", "question")
FIRST_ROW = 3
DEFAULT_TABLE_ROWS = 5
SPARE_TABLE_ROWS = 2
META_SHEET = "meta"
LISTS_SHEET = "lists"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Cell:
    """One answer cell: which question (and table column, row or option) it answers."""

    row: int
    col: int
    provision: str
    question: Question
    spec: Question
    table_row: int | None = None
    option: str | None = None
    ref: str = ""


@dataclass(frozen=True)
class Row:
    number: int
    key: str
    kind: str
    provision: Provision | None = None
    question: Question | None = None
    article: int | None = None
    option: str | None = None
    table_row: int | None = None


@dataclass
class SheetLayout:
    name: str
    chapter: Chapter
    rows: list[Row] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    markers: tuple[str, ...] = ()
    keys: list[str] = field(default_factory=list)
    table_cells: dict[tuple[str, str, int, str], str] = field(default_factory=dict)
    by_position: dict[tuple[int, int], Cell] = field(default_factory=dict)
    questions: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def finish(self) -> "SheetLayout":
        """Index the rows' keys and the table cells, which the importer looks up for every file."""
        self.keys = [row.key for row in self.rows]
        self.table_cells = {(c.provision, c.question.id, c.table_row, c.spec.id): c.ref for c in self.cells if c.table_row}
        self.by_position = {(c.row, c.col): c for c in self.cells}
        self.questions = {
            (row.provision.id, row.question.id): (row.kind, cell_ref(row.number, ANSWER))
            for row in self.rows if row.kind in ("question", "table", "options")
        }
        return self


@cache
def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def answer_width(q: Questionnaire) -> int:
    """How many answer columns the widest table needs (at least one)."""
    widths = [len(question.columns) for p in q.provisions() for question in p.questions if question.type == "table"]
    return max([1, *widths])


def markers(q: Questionnaire) -> tuple[str, ...]:
    """The hidden row-1 markers that reveal a moved or deleted column."""
    return BASE_MARKERS + tuple(f"answer{i}" for i in range(1, answer_width(q) + 1))


def sheet_name(chapter: Chapter, lang: str) -> str:
    name = _BAD_SHEET_CHARS.sub(" ", t("workbook.sheet_chapter", lang, number=chapter.number))
    return name[:31]


def table_key(provision_id: str, question_id: str) -> str:
    return f"{provision_id}/{question_id}"


_CACHE: dict[tuple, tuple[Questionnaire, list[SheetLayout]]] = {}
_CACHE_SIZE = 64


def build_layout(q: Questionnaire, chapters: tuple[str, ...], table_rows: Mapping[str, int], lang: str) -> list[SheetLayout]:
    """Every chapter sheet of the workbook, row by row, with its answer cells (shared: do not modify).

    Cached, since a batch of workbooks for one cycle mostly shares one layout; kept with the
    questionnaire object it was made from, whose questions (and labels) its rows hold, so that a
    definition whose labels were corrected (a new object, same fingerprint) gets its own.
    """
    key = (id(q), q.id, q.version, q.fingerprint, tuple(chapters), tuple(sorted(table_rows.items())), lang)
    found = _CACHE.get(key)
    if found is None or found[0] is not q:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        found = _CACHE[key] = (q, _build(q, chapters, table_rows, lang))
    return found[1]


def _build(q: Questionnaire, chapters: tuple[str, ...], table_rows: Mapping[str, int], lang: str) -> list[SheetLayout]:
    sheets = []
    for chapter in q.chapters:
        if chapter.number not in chapters:
            continue
        provisions = q.assessed_provisions([chapter.number])
        if not provisions:
            continue
        sheet = SheetLayout(sheet_name(chapter, lang), chapter, markers=markers(q))
        row = FIRST_ROW

        def add(key: str, kind: str, **extra) -> int:
            nonlocal row
            sheet.rows.append(Row(row, key, kind, **extra))
            row += 1
            return row - 1

        article = None
        for provision in provisions:
            if provision.article != article:
                article = provision.article
                add(f"article:{article}", "article", article=article)
            add(f"provision:{provision.id}", "provision", provision=provision)
            for question in provision.questions:
                key = table_key(provision.id, question.id)
                if question.type == "table":
                    add(key, "table", provision=provision, question=question)
                    for i in range(1, table_rows.get(key, DEFAULT_TABLE_ROWS) + 1):
                        n = add(f"{key}#{i}", "table_row", provision=provision, question=question, table_row=i)
                        sheet.cells += [
                            Cell(n, ANSWER + c, provision.id, question, column, table_row=i, ref=cell_ref(n, ANSWER + c))
                            for c, column in enumerate(question.columns)
                        ]
                elif question.type == "multi_choice":
                    add(key, "options", provision=provision, question=question)
                    for code in q.code_lists[question.code_list].codes:
                        n = add(f"{key}={code}", "option", provision=provision, question=question, option=code)
                        sheet.cells.append(Cell(n, ANSWER, provision.id, question, question, option=code, ref=cell_ref(n, ANSWER)))
                else:
                    n = add(key, "question", provision=provision, question=question)
                    sheet.cells.append(Cell(n, ANSWER, provision.id, question, question, ref=cell_ref(n, ANSWER)))
        sheets.append(sheet.finish())
    return sheets
