"""The personal workbook: one Party's questionnaire for one cycle, pre-filled with its current answers.

Structure cells are locked and only answer cells are open; coded answers get dropdowns fed from
named ranges on a hidden sheet (Excel refuses inline lists over 255 characters); a hidden,
protected metadata sheet records what the importer needs to trust the file back: questionnaire
id, version and fingerprint, Party, cycle, the change counter (`seq`) it was made from, the rows
given to each table and a digest of every pre-filled answer (to tell edited answers from
untouched ones when the answers changed online meanwhile), all signed with the installation's key.
Sheets run right to left when the workbook's language is written that way (Arabic).

Written with XlsxWriter, a writer made for writing: about five times faster than openpyxl for the
same workbook (docs/benchmarks.md). Every text goes in through `write_string` (never `write`,
which would turn a text starting with "=" into a formula), with Excel's quote prefix when it looks
like one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from typing import Any, Callable, Mapping

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook as _XlsxWorkbook
from xlsxwriter.worksheet import CellBlankTuple, CellStringTuple, Worksheet as _XlsxWorksheet

from review import collector, formats as figures, limits, parties
from review.access import Actor, require
from review.cycles import Cycle, cycle_questionnaire, get_cycle, participants
from review.errors import ReviewError
from review.i18n import RIGHT_TO_LEFT, label, t
from review.questionnaire import Question, Questionnaire
from review.questionnaire.types import CODE, TABLE_ROWS, of
from review.questionnaire.values import table_row_limit
from review.store import Store
from review.submissions import Answers, working_copies, working_copy
from review.workbook import cells, layout, stored
from review.workbook.safe import needs_escape
from review.workbook.signature import SIGNATURE, installation_key, sign

FORMAT = "cop-review-workbook"
FORMAT_VERSION = "2"  # 2: the metadata is signed (`signature`)
INSTRUCTION_STEPS = 7
_NAME = re.compile(r"[^A-Za-z0-9_]")
EXCEL_CELL_LIMIT = limits.EXCEL_CELL_CHARS  # characters (UTF-16 units); XlsxWriter would cut the rest

_WIDTHS = {layout.KEY: 4, layout.REF: 14, layout.TEXT: 48, layout.OBLIGATION: 14, layout.QUESTION: 42, layout.ANSWER: 48}
_BOLD = {"bold": True}
_TITLE = {"bold": True, "font_size": 14}
_HELP = {"italic": True, "font_color": "#666666", "font_size": 9}
_WRAP = {"text_wrap": True, "valign": "top"}
_HEADING = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "pattern": 1, **_WRAP}
_ARTICLE = {"bg_color": "#D9E2F3", "pattern": 1}
_PROVISION = {"bg_color": "#F2F2F2", "pattern": 1}
_ANSWER = {"bg_color": "#FFF9E5", "pattern": 1, "locked": False, **_WRAP}


class _Book(_XlsxWorkbook):
    """XlsxWriter's workbook with its structure locked (no sheet added, removed, renamed or
    unhidden), which XlsxWriter has no option for: `<workbookProtection lockStructure="1"/>`
    follows `<workbookPr>`, where the file format puts it."""

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        self._xml_empty_tag("workbookProtection", [("lockStructure", 1)])


Style = tuple  # a format's properties as sorted (name, value) pairs: hashable, one Format per workbook


def _style(*parts: Mapping[str, Any]) -> Style | None:
    props: dict[str, Any] = {}
    for part in parts:
        props.update(part)
    return tuple(sorted(props.items())) if props else None


def _checked_text(value: str, style: Style | None, where: str) -> tuple[str, Style | None]:
    """The text and its style (with Excel's quote prefix when it would read as a formula); refused
    when Excel would cut it. Nothing is taken out: XlsxWriter writes the characters XML cannot carry
    as Excel's `_xHHHH_` escapes, and a literal `_x0041_` as `_x005F_x0041_`, so the import reads
    back exactly the answer."""
    if needs_escape(value):
        style = _style(dict(style or ()), {"quote_prefix": True})
    if len(value) > EXCEL_CELL_LIMIT or len(value.encode("utf-16-le")) // 2 > EXCEL_CELL_LIMIT:
        raise ReviewError("workbook.text_too_long_for_excel", field=where,
                          length=len(value), limit=EXCEL_CELL_LIMIT)
    return value, style


_STRING, _BLANK, _NUMBER = 0, 1, 2


class _Plan:
    """What a sheet holds whatever the answers: every cell's value and style, and row heights,
    recorded once per questionnaire, chapters, table rows and language (`_chapter_plan`) and
    replayed into each workbook; the same calls as `_Sheet` (`text`, `value`, `height`)."""

    def __init__(self) -> None:
        self.cells: list[tuple[int, int, int, Any, int]] = []  # row, column (0-based), kind, value, style
        self.styles: list[Style | None] = []
        self._style_index: dict[Style | None, int] = {}
        self.heights: dict[int, float] = {}
        # the answer cells of each question, (provision, question): [(position, cell, style, where)]
        self.answers: dict[tuple[str, str], list[tuple[int, layout.Cell, Style, str]]] = {}
        self.validations: list[dict[str, Any]] = []

    def _add(self, row: int, col: int, kind: int, value: Any, style: Style | None) -> None:
        if style not in self._style_index:
            self._style_index[style] = len(self.styles)
            self.styles.append(style)
        self.cells.append((row - 1, col - 1, kind, value, self._style_index[style]))

    def text(self, row: int, col: int, value: str, *parts: Mapping[str, Any], where: str = "") -> None:
        value, style = _checked_text(value, _style(*parts), where or layout.cell_ref(row, col))
        self._add(row, col, _STRING, value, style)

    def value(self, row: int, col: int, value: Any, *parts: Mapping[str, Any]) -> None:
        if value is None:
            if parts:
                self._add(row, col, _BLANK, None, _style(*parts))
        elif isinstance(value, str):
            self.text(row, col, value, *parts)
        elif isinstance(value, int) and not isinstance(value, bool):
            self._add(row, col, _NUMBER, value, _style(*parts))
        else:
            raise TypeError(f"a sheet's structure holds texts and whole numbers, not {value!r}")

    def height(self, row: int, points: float) -> None:
        self.heights[row] = max(points, self.heights.get(row, 0))


class _Worksheet(_XlsxWorksheet):
    """XlsxWriter's worksheet with the innermost loop of its file writer shortened for the two
    cells a workbook holds by the ten thousand: a shared string and an empty cell, each with a
    format. They come out exactly as XlsxWriter writes them (`<c r="F12" s="5" t="s"><v>7</v></c>`,
    `<c r="F13" s="5"/>`) without its escaping of each attribute, which a cell reference and a
    format's number never need (a third of the time it took to close a workbook); every other
    cell goes through XlsxWriter's own code."""

    def _write_cell(self, row: int, col: int, cell) -> None:
        cell_format = cell.format
        if cell_format is not None and not self.constant_memory:
            kind = type(cell)
            if kind is CellStringTuple:
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell_format._get_xf_index()}" t="s">'
                              f'<v>{cell.string}</v></c>')
                return
            if kind is CellBlankTuple:
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell_format._get_xf_index()}"/>')
                return
        super()._write_cell(row, col, cell)


class _Sheet:
    """One worksheet and the workbook's formats, made once per set of properties."""

    def __init__(self, book: _Book, name: str, formats: dict, lang: str):
        self.ws = book.add_worksheet(name, worksheet_class=_Worksheet)
        self.formats = formats
        self.book = book
        self.heights: dict[int, float] = {}
        if lang in RIGHT_TO_LEFT:
            self.ws.right_to_left()

    def format(self, style: Style | None):
        if style not in self.formats:
            self.formats[style] = self.book.add_format(dict(style)) if style else None
        return self.formats[style]

    def fmt(self, *parts: Mapping[str, Any]):
        return self.format(_style(*parts))

    def text(self, row: int, col: int, value: str, *parts: Mapping[str, Any], where: str = "") -> None:
        """A text cell (1-based row and column), never a formula, whatever it starts with."""
        value, style = _checked_text(value, _style(*parts), where or layout.cell_ref(row, col))
        self.ws.write_string(row - 1, col - 1, value, self.format(style))

    def value(self, row: int, col: int, value: Any, *parts: Mapping[str, Any], where: str = "") -> None:
        if value is None:
            if parts:
                self.ws.write_blank(row - 1, col - 1, None, self.fmt(*parts))
        elif isinstance(value, str):
            self.text(row, col, value, *parts, where=where)
        elif isinstance(value, bool):
            self.ws.write_boolean(row - 1, col - 1, value, self.fmt(*parts))
        elif isinstance(value, int) and abs(value) >= 10 ** stored.DIGITS:
            self.text(row, col, str(value), *parts, where=where)  # as a number it keeps 15 digits: the rest read back as 0
        elif isinstance(value, (int, float)):
            self.ws.write_number(row - 1, col - 1, value, self.fmt(*parts))
        elif isinstance(value, dt.date):
            self.ws.write_datetime(row - 1, col - 1, value, self.fmt(*parts, {"num_format": "yyyy-mm-dd"}))
        else:
            self.text(row, col, str(value), *parts, where=where)

    def replay(self, plan: _Plan) -> None:
        """Every cell of `plan`, as `text` and `value` would have written them. XlsxWriter's
        undecorated writers (`_write_string`...: what `write_string` calls once it has turned an
        "A1" reference into numbers) since every position here is already a number."""
        ws = self.ws
        write = (ws._write_string, ws._write_blank, ws._write_number)
        formats = [self.format(style) for style in plan.styles]
        for row, col, kind, value, style in plan.cells:
            write[kind](row, col, value, formats[style])
        for row, points in plan.heights.items():
            self.height(row, points)

    def height(self, row: int, points: float) -> None:
        self.heights[row] = max(points, self.heights.get(row, 0))

    def finish(self, hidden_rows: tuple[int, ...] = ()) -> None:
        for row in hidden_rows:
            self.ws.set_row(row - 1, self.heights.get(row), None, {"hidden": True})
        for row, points in self.heights.items():
            if row not in hidden_rows:
                self.ws.set_row(row - 1, points)


def write_template(store: Store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> bytes:
    """The workbook (XLSX bytes) for `party` in `cycle_id`, in `lang`, pre-filled with its answers."""
    require(actor, "submission.read", party)
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    sub, answers = working_copy(store, actor, cycle.id, party)
    names = parties.all_parties(store)
    party_name = names[party].name(lang) if party in names else party
    return render(q, cycle, party, party_name, sub.seq, answers, lang, actor, installation_key(store))


Progress = Callable[[int, int, str], None]


def write_templates(store: Store, actor: Actor, cycle_id: str, lang: str = "en",
                    progress: Progress | None = None) -> bytes:
    """A zip of every participating Party's workbook for `cycle_id` (`<cycle>-<PARTY>.xlsx`), for
    the secretariat to send out; `progress(done, total, party)` after each. The secretariat's inbox
    right (`submission.review`) is needed, and each Party's read is checked as for one workbook."""
    require(actor, "submission.review")
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    members = participants(store, cycle.id)
    copies = working_copies(store, actor, [(cycle.id, party) for party in members])
    names = parties.all_parties(store)
    key = installation_key(store)
    out = io.BytesIO()
    # an xlsx is already deflated: stored, the zip costs nothing more to make or to open
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as bundle:
        for done, party in enumerate(members, start=1):
            sub, answers = copies[(cycle.id, party)]
            party_name = names[party].name(lang) if party in names else party
            data = render(q, cycle, party, party_name, sub.seq, answers, lang, actor, key)
            bundle.writestr(bundle_name(cycle.id, party), data)
            if progress:
                progress(done, len(members), party)
    return out.getvalue()


def bundle_name(cycle_id: str, party: str) -> str:
    """A workbook's file name in the zip of `write_templates`."""
    return f"{_NAME.sub('_', cycle_id)}-{party}.xlsx"


def table_rows(q: Questionnaire, chapters: tuple[str, ...], answers: Answers) -> dict[str, int]:
    """Rows each table gets: five, or the current rows plus two spare ones when there are more
    (never more than the question's row limit, unless it already holds more)."""
    rows = {}
    for provision in q.assessed_provisions(chapters):
        for question in provision.questions:
            if of(question).workbook == TABLE_ROWS:
                given = len(answers.get((provision.id, question.id)) or [])
                wanted = given + layout.SPARE_TABLE_ROWS if given >= layout.DEFAULT_TABLE_ROWS else layout.DEFAULT_TABLE_ROWS
                wanted = max(min(wanted, table_row_limit(question)), given)
                rows[layout.table_key(provision.id, question.id)] = wanted
    return rows


def _list_name(code_list: str, choices: tuple[str, ...] | None = None) -> str:
    """The defined name of a code list's dropdown; a list restricted on some provisions (a status
    offered on optional provisions only) has one name per set of codes offered."""
    name = "list_" + _NAME.sub("_", code_list)
    if choices is not None:
        name += "__" + hashlib.sha1("|".join(choices).encode()).hexdigest()[:8]
    return name


def _write_lists(book: _Book, formats: dict, q: Questionnaire, lang: str) -> None:
    sheet = _Sheet(book, layout.LISTS_SHEET, formats, lang)
    lists = {_list_name(cid): [cl.label(code, lang) for code in cl.codes] for cid, cl in q.code_lists.items()}
    lists[_list_name("yes_no")] = [t("workbook.yes", lang), t("workbook.no", lang)]
    for provision in q.assessed_provisions():
        for question in provision.questions:
            if of(question).stored == CODE and question.choices is not None:
                cl = q.code_lists[question.code_list]
                lists.setdefault(_list_name(question.code_list, question.choices), [cl.label(c, lang) for c in question.choices])
    for col, (name, labels) in enumerate(lists.items(), start=1):
        for row, text in enumerate(labels, start=1):
            sheet.text(row, col, text)
        letter = layout.column_letter(col)
        book.define_name(name, f"='{layout.LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}")
    sheet.ws.hide()
    sheet.ws.protect()


def _validation_for(spec: Question) -> tuple[str, dict[str, Any]]:
    """A key grouping cells under one validation, and that validation's settings (its type's)."""
    return of(spec).validation(spec, _list_name)


def _filled(q: Questionnaire, plan: _Plan, answers: Answers, lang: str) -> list[tuple[layout.Cell, Style, str, Any]]:
    """The sheet's answer cells that show something, in the sheet's order, with what they show."""
    filled = []
    yes = t("workbook.yes", lang)
    for key, value in answers.items():
        if value is None or key not in plan.answers:
            continue
        for position, cell, style, where in plan.answers[key]:
            if cell.option is not None:
                shown = yes if cell.option in value else None
            elif cell.table_row is not None:
                rows = value if isinstance(value, list) else []
                row = rows[cell.table_row - 1] if cell.table_row <= len(rows) else {}
                shown = cells.display(q, cell.spec, row.get(cell.spec.id), lang)
            else:
                shown = cells.display(q, cell.spec, value, lang)
            if shown is not None:
                filled.append((position, cell, style, where, shown))
    filled.sort(key=lambda item: item[0])
    return [item[1:] for item in filled]


def _lines(text: str, width: int) -> int:
    """Roughly how many lines a wrapped text takes in a column `width` characters wide."""
    return sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n")) if text else 1


def _height(text: str, width: int) -> float | None:
    lines = _lines(text, width)
    return 15.0 * lines if lines > 1 else None


_PLANS: dict[tuple, tuple[Questionnaire, layout.SheetLayout, _Plan]] = {}
_PLANS_SIZE = 64


def _chapter_plan(q: Questionnaire, sheet: layout.SheetLayout, lang: str, width: int) -> _Plan:
    """The sheet's structure, made once for every workbook sharing its layout and language (a
    batch for a cycle, or one Party's workbook asked for again): the texts, translated and
    checked, their formats, the answer cells and their validations by range. Kept with the
    questionnaire object it was made from, so a questionnaire whose labels were corrected (a new
    object in `Store.cache`) gets a new plan."""
    key = (id(q), id(sheet), lang, width)
    found = _PLANS.get(key)
    if found is not None and found[0] is q and found[1] is sheet:
        return found[2]
    if len(_PLANS) >= _PLANS_SIZE:
        _PLANS.clear()
    plan = _make_plan(q, sheet, lang, width)
    _PLANS[key] = (q, sheet, plan)
    return plan


def _make_plan(q: Questionnaire, sheet: layout.SheetLayout, lang: str, width: int) -> _Plan:
    out = _Plan()
    for col, marker in enumerate(layout.markers(q), start=1):
        out.text(1, col, marker)
    headings = [t(f"workbook.heading.{m}", lang) for m in layout.BASE_MARKERS]
    headings[0] = ""
    headings.append(t("workbook.heading.answer", lang))
    headings += [""] * (width - 1)
    for col, text in enumerate(headings, start=1):
        out.text(2, col, text, _HEADING)
    last = layout.ANSWER + width - 1
    obligation = q.code_lists.get("obligation")
    for row in sheet.rows:
        n = row.number
        out.text(n, layout.KEY, row.key)
        if row.kind == "article":
            article = q.article(row.article)
            out.text(n, layout.REF, t("workbook.article", lang, number=row.article), _ARTICLE, _BOLD)
            out.text(n, layout.TEXT, label(article.title, lang), _ARTICLE, _BOLD)
            for col in range(layout.OBLIGATION, last + 1):
                out.value(n, col, None, _ARTICLE)
        elif row.kind == "provision":
            p = row.provision
            text = label(p.text, lang)
            level = obligation.label(p.obligation, lang) if obligation else p.obligation
            out.text(n, layout.REF, label(p.ref, lang), _PROVISION, _WRAP, _BOLD)
            out.text(n, layout.TEXT, text, _PROVISION, _WRAP)
            out.text(n, layout.OBLIGATION, level, _PROVISION, _WRAP)
            for col in range(layout.QUESTION, last + 1):
                out.value(n, col, None, _PROVISION, _WRAP)
            if height := _height(text, 55):
                out.height(n, height)
        elif row.kind in ("question", "table", "options"):
            question = row.question
            mark = " *" if question.required else ""
            out.text(n, layout.QUESTION, label(question.label, lang) + mark, _WRAP)
            help_text = label(question.help, lang) if question.help else ""
            if help_text:
                out.text(n, layout.TEXT, help_text, _HELP, _WRAP)
            lines = max(_lines(label(question.label, lang) + mark, 40), math.ceil(_lines(help_text, 62) * 0.8))
            if lines > 1:
                out.height(n, 15.0 * lines)
            if row.kind == "table":
                for i, column in enumerate(question.columns):
                    out.text(n, layout.ANSWER + i, label(column.label, lang) + (" *" if column.required else ""),
                             _BOLD, _WRAP, _PROVISION)
            elif row.kind == "options":
                out.text(n, layout.ANSWER, t("workbook.select_all", lang), _HELP)
        elif row.kind == "option":
            out.text(n, layout.QUESTION, "   " + q.code_lists[row.question.code_list].label(row.option, lang))
        elif row.kind == "table_row":
            out.value(n, layout.QUESTION, row.table_row, {"align": "right"})
    groups: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for position, cell in enumerate(sheet.cells):
        kind = of(cell.spec)
        number_format = {"num_format": "@"} if kind.text_cell else {}
        where = f"{sheet.name}!{cell.ref} ({cell.provision} {cell.question.id})"
        out.value(cell.row, cell.col, None, _ANSWER, number_format)  # open and empty until an answer fills it
        entry = (position, cell, _style(_ANSWER, number_format), where)
        out.answers.setdefault((cell.provision, cell.question.id), []).append(entry)
        if kind.tall_cell and cell.table_row is None:
            out.height(cell.row, 60.0)
        key, settings = _validation_for(cell.spec if cell.option is None else cell.question)
        if key:
            groups.setdefault(key, (settings, []))[1].append(cell.ref)
    error = t("workbook.invalid_entry", lang)[:255]  # Excel's limit: XlsxWriter drops a validation past it
    out.validations = [
        {**settings, "ignore_blank": True, "show_error": True, "error_message": error, "multi_range": " ".join(refs)}
        for settings, refs in groups.values()
    ]
    return out


def _write_chapter(book: _Book, formats: dict, q: Questionnaire, sheet: layout.SheetLayout, answers: Answers,
                   lang: str, width: int) -> None:
    plan = _chapter_plan(q, sheet, lang, width)
    out = _Sheet(book, sheet.name, formats, lang)
    ws = out.ws
    last = layout.ANSWER + width - 1
    ws.set_column(layout.KEY - 1, layout.KEY - 1, _WIDTHS[layout.KEY], None, {"hidden": True})
    for col in range(layout.REF, last + 1):
        ws.set_column(col - 1, col - 1, _WIDTHS.get(col, 24))
    out.replay(plan)
    for cell, style, where, value in _filled(q, plan, answers, lang):
        out.value(cell.row, cell.col, value, dict(style), where=where)
        if of(cell.spec).tall_cell and cell.table_row is None:
            out.height(cell.row, _height(str(value), 55) or 0)
    for settings in plan.validations:
        ws.data_validation(settings["multi_range"].split(" ", 1)[0], settings)
    ws.freeze_panes(layout.FIRST_ROW - 1, layout.QUESTION - 1)
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)
    out.finish(hidden_rows=(1,))


def _write_instructions(book: _Book, formats: dict, q: Questionnaire, cycle: Cycle, party: str, party_name: str,
                        lang: str) -> None:
    out = _Sheet(book, t("workbook.sheet_instructions", lang)[:31], formats, lang)
    out.ws.set_column(0, 0, 85)
    lines: list[tuple[str, dict | None]] = [
        (t("workbook.title", lang, questionnaire=label(q.title, lang)), _TITLE),
        (t("workbook.for_party", lang, party=party_name, code=party, cycle=cycle.title, deadline=figures.date(cycle.deadline, lang)), _BOLD),
        ("", None),
    ]
    lines += [(t(f"workbook.instructions.step{i}", lang), None) for i in range(1, INSTRUCTION_STEPS + 1)]
    for row, (text, font) in enumerate(lines, start=1):
        out.text(row, 1, text, _WRAP, font or {})
        if height := _height(text, 55 if font is _TITLE else 78):
            out.height(row, height * (1.3 if font is _TITLE else 1.0))
    out.ws.fit_to_pages(1, 0)
    out.ws.protect()
    out.ws.activate()
    out.finish()


def _write_meta(book: _Book, formats: dict, q: Questionnaire, cycle: Cycle, party: str, seq: int, lang: str,
                rows: Mapping[str, int], answers: Answers, actor: Actor, key: bytes) -> None:
    out = _Sheet(book, layout.META_SHEET, formats, "en")
    entries: list[tuple[str, str]] = [
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("questionnaire", q.id),
        ("version", q.version),
        ("fingerprint", q.fingerprint),
        ("party", party),
        ("cycle", cycle.id),
        ("seq", str(seq)),
        ("lang", lang),
        ("created_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")),
        ("created_by", actor.id),
    ]
    entries += [(f"rows:{name}", str(n)) for name, n in rows.items()]
    in_scope = {p.id: p for p in q.assessed_provisions(cycle.chapters)}
    for (provision_id, question_id), value in sorted(answers.items()):
        provision = in_scope.get(provision_id)
        question = provision.question(question_id) if provision else None
        if question is not None and value is not None:
            entries.append((f"answer:{provision_id}/{question_id}", cells.answer_hash(question, value)))
    entries.append((SIGNATURE, sign(key, dict(entries))))
    for row, (name, value) in enumerate(entries, start=1):
        out.text(row, 1, name)
        out.text(row, 2, value)
    out.ws.very_hidden()
    out.ws.protect()


def render(q: Questionnaire, cycle: Cycle, party: str, party_name: str, seq: int, answers: Answers, lang: str,
           actor: Actor, key: bytes) -> bytes:
    """The workbook for already-loaded data (what `write_template` and the benchmark call), its
    metadata signed with the installation's `key` (`signature.installation_key`)."""
    with collector.paused():
        rows = table_rows(q, cycle.chapters, answers)
        out = io.BytesIO()
        book = _Book(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        formats: dict = {}
        _write_instructions(book, formats, q, cycle, party, party_name, lang)
        width = layout.answer_width(q)
        for sheet in layout.build_layout(q, cycle.chapters, rows, lang):
            _write_chapter(book, formats, q, sheet, answers, lang, width)
        _write_lists(book, formats, q, lang)
        _write_meta(book, formats, q, cycle, party, seq, lang, rows, answers, actor, key)
        book.close()
        return out.getvalue()
