"""The personal workbook: one Party's questionnaire for one cycle, pre-filled with its current answers.

Structure cells are locked and only answer cells are open; coded answers get dropdowns fed from
named ranges on a hidden sheet (Excel refuses inline lists over 255 characters); a hidden,
protected metadata sheet records what the importer needs to trust the file back: questionnaire
id, version and fingerprint, Party, cycle, the change counter (`seq`) it was made from, the rows
given to each table and a digest of every pre-filled answer (to tell edited answers from
untouched ones when the answers changed online meanwhile).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from typing import Any, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from review import parties
from review.access import Actor, require
from review.cycles import Cycle, cycle_questionnaire, get_cycle
from review.i18n import label, t
from review.questionnaire import Question, Questionnaire
from review.questionnaire.values import DEFAULT_LONG_TEXT_LIMIT, DEFAULT_TEXT_LIMIT, MAX_YEAR, MIN_YEAR, table_row_limit
from review.store import Store
from review.submissions import Answers, working_copy
from review.workbook import cells, layout
from review.workbook.signature import SIGNATURE, installation_key, sign
from review.workbook.safe import set_cell

FORMAT = "cop-review-workbook"
FORMAT_VERSION = "2"  # 2: the metadata is signed (`signature`)
INSTRUCTION_STEPS = 7
_NAME = re.compile(r"[^A-Za-z0-9_]")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HELP = Font(italic=True, color="666666", size=9)
_HEADING_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADING_FONT = Font(bold=True, color="FFFFFF")
_ARTICLE_FILL = PatternFill("solid", fgColor="D9E2F3")
_PROVISION_FILL = PatternFill("solid", fgColor="F2F2F2")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF9E5")
_WRAP = Alignment(wrap_text=True, vertical="top")
_OPEN = Protection(locked=False)
_WIDTHS = {layout.KEY: 4, layout.REF: 14, layout.TEXT: 48, layout.OBLIGATION: 14, layout.QUESTION: 42, layout.ANSWER: 48}


def write_template(store: Store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> bytes:
    """The workbook (XLSX bytes) for `party` in `cycle_id`, in `lang`, pre-filled with its answers."""
    require(actor, "submission.read", party)
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    sub, answers = working_copy(store, actor, cycle.id, party)
    seq = sub.seq
    names = parties.all_parties(store)
    party_name = names[party].name(lang) if party in names else party
    return render(q, cycle, party, party_name, seq, answers, lang, actor, installation_key(store))


def table_rows(q: Questionnaire, chapters: tuple[str, ...], answers: Answers) -> dict[str, int]:
    """Rows each table gets: five, or the current rows plus two spare ones when there are more."""
    rows = {}
    for provision in q.assessed_provisions(chapters):
        for question in provision.questions:
            if question.type == "table":
                given = len(answers.get((provision.id, question.id)) or [])
                wanted = given + layout.SPARE_TABLE_ROWS if given >= layout.DEFAULT_TABLE_ROWS else layout.DEFAULT_TABLE_ROWS
                wanted = max(min(wanted, table_row_limit(question)), given)
                rows[layout.table_key(provision.id, question.id)] = wanted
    return rows


def _list_name(code_list: str) -> str:
    return "list_" + _NAME.sub("_", code_list)


def _write_lists(book: Workbook, q: Questionnaire, lang: str) -> None:
    sheet = book.create_sheet(layout.LISTS_SHEET)
    lists = {cid: [cl.label(code, lang) for code in cl.codes] for cid, cl in q.code_lists.items()}
    lists["yes_no"] = [t("workbook.yes", lang), t("workbook.no", lang)]
    for col, (cid, labels) in enumerate(lists.items(), start=1):
        for row, text in enumerate(labels, start=1):
            set_cell(sheet.cell(row=row, column=col), text)
        letter = layout.column_letter(col)
        ref = f"'{layout.LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
        book.defined_names[_list_name(cid)] = DefinedName(_list_name(cid), attr_text=ref)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _validation_for(spec: Question) -> tuple[str, dict[str, Any]]:
    """A key grouping cells under one validation, and that validation's settings."""
    kind = spec.type
    if kind == "choice":
        return f"list:{spec.code_list}", {"type": "list", "formula1": _list_name(spec.code_list)}
    if kind in ("boolean", "multi_choice"):
        return "list:yes_no", {"type": "list", "formula1": _list_name("yes_no")}
    if kind == "year":
        return "year", {"type": "whole", "operator": "between", "formula1": str(MIN_YEAR), "formula2": str(MAX_YEAR)}
    if kind == "integer":
        low = spec.min if spec.min is not None else -(10**9)
        high = spec.max if spec.max is not None else 10**9
        return f"whole:{low}:{high}", {"type": "whole", "operator": "between", "formula1": str(low), "formula2": str(high)}
    if kind in ("text", "long_text", "url"):
        limit = spec.max_length or (DEFAULT_LONG_TEXT_LIMIT if kind == "long_text" else DEFAULT_TEXT_LIMIT)
        return f"length:{limit}", {"type": "textLength", "operator": "lessThanOrEqual", "formula1": str(limit)}
    return "", {}


def _cell_values(q: Questionnaire, sheet: layout.SheetLayout, answers: Answers, lang: str) -> dict[tuple[int, int], Any]:
    values: dict[tuple[int, int], Any] = {}
    yes = t("workbook.yes", lang)
    for cell in sheet.cells:
        value = answers.get((cell.provision, cell.question.id))
        if value is None:
            continue
        if cell.option is not None:
            shown = yes if cell.option in value else None
        elif cell.table_row is not None:
            rows = value if isinstance(value, list) else []
            row = rows[cell.table_row - 1] if cell.table_row <= len(rows) else {}
            shown = cells.display(q, cell.spec, row.get(cell.spec.id), lang)
        else:
            shown = cells.display(q, cell.spec, value, lang)
        if shown is not None:
            values[(cell.row, cell.col)] = shown
    return values


def _lines(text: str, width: int) -> int:
    """Roughly how many lines a wrapped text takes in a column `width` characters wide."""
    return sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n")) if text else 1


def _height(text: str, width: int) -> float | None:
    lines = _lines(text, width)
    return 15.0 * lines if lines > 1 else None


def _write_chapter(book: Workbook, q: Questionnaire, sheet: layout.SheetLayout, answers: Answers, lang: str, width: int) -> None:
    ws = book.create_sheet(sheet.name)
    for col, marker in enumerate(layout.markers(q), start=1):
        ws.cell(row=1, column=col, value=marker)
    ws.row_dimensions[1].hidden = True
    headings = [t(f"workbook.heading.{m}", lang) for m in layout.BASE_MARKERS]
    headings[0] = ""
    headings.append(t("workbook.heading.answer", lang))
    headings += [""] * (width - 1)
    for col, text in enumerate(headings, start=1):
        c = ws.cell(row=2, column=col, value=text)
        c.font, c.fill, c.alignment = _HEADING_FONT, _HEADING_FILL, _WRAP
    for col in range(1, layout.ANSWER + width):
        ws.column_dimensions[layout.column_letter(col)].width = _WIDTHS.get(col, 24)
    ws.column_dimensions["A"].hidden = True
    obligation = q.code_lists.get("obligation")
    for row in sheet.rows:
        n = row.number
        ws.cell(row=n, column=layout.KEY, value=row.key)
        if row.kind == "article":
            article = q.article(row.article)
            c = ws.cell(row=n, column=layout.REF, value=t("workbook.article", lang, number=row.article))
            c.font = _BOLD
            set_cell(ws.cell(row=n, column=layout.TEXT), label(article.title, lang))
            for col in range(layout.REF, layout.ANSWER + width):
                ws.cell(row=n, column=col).fill = _ARTICLE_FILL
            ws.cell(row=n, column=layout.TEXT).font = _BOLD
        elif row.kind == "provision":
            p = row.provision
            set_cell(ws.cell(row=n, column=layout.REF), label(p.ref, lang))
            text = label(p.text, lang)
            set_cell(ws.cell(row=n, column=layout.TEXT), text)
            level = obligation.label(p.obligation, lang) if obligation else p.obligation
            set_cell(ws.cell(row=n, column=layout.OBLIGATION), level)
            for col in range(layout.REF, layout.ANSWER + width):
                c = ws.cell(row=n, column=col)
                c.fill, c.alignment = _PROVISION_FILL, _WRAP
            ws.cell(row=n, column=layout.REF).font = _BOLD
            if height := _height(text, 55):
                ws.row_dimensions[n].height = height
        elif row.kind in ("question", "table", "options"):
            question = row.question
            mark = " *" if question.required else ""
            c = ws.cell(row=n, column=layout.QUESTION)
            set_cell(c, label(question.label, lang) + mark)
            c.alignment = _WRAP
            help_text = label(question.help, lang) if question.help else ""
            if help_text:
                h = ws.cell(row=n, column=layout.TEXT)
                set_cell(h, help_text)
                h.font, h.alignment = _HELP, _WRAP
            lines = max(_lines(label(question.label, lang) + mark, 40), math.ceil(_lines(help_text, 62) * 0.8))
            if lines > 1:
                ws.row_dimensions[n].height = 15.0 * lines
            if row.kind == "table":
                for i, column in enumerate(question.columns):
                    h = ws.cell(row=n, column=layout.ANSWER + i)
                    set_cell(h, label(column.label, lang) + (" *" if column.required else ""))
                    h.font, h.alignment, h.fill = _BOLD, _WRAP, _PROVISION_FILL
            elif row.kind == "options":
                set_cell(ws.cell(row=n, column=layout.ANSWER), t("workbook.select_all", lang))
                ws.cell(row=n, column=layout.ANSWER).font = _HELP
        elif row.kind == "option":
            set_cell(ws.cell(row=n, column=layout.QUESTION), "   " + q.code_lists[row.question.code_list].label(row.option, lang))
        elif row.kind == "table_row":
            ws.cell(row=n, column=layout.QUESTION, value=row.table_row).alignment = Alignment(horizontal="right")
    values = _cell_values(q, sheet, answers, lang)
    groups: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for cell in sheet.cells:
        c = ws.cell(row=cell.row, column=cell.col)
        value = values.get((cell.row, cell.col))
        if value is not None:
            set_cell(c, value)
        c.protection, c.fill, c.alignment = _OPEN, _ANSWER_FILL, _WRAP
        kind = cell.spec.type
        if kind in ("text", "long_text", "url"):
            c.number_format = "@"
        elif kind == "date":
            c.number_format = "yyyy-mm-dd"
        if kind == "long_text" and cell.table_row is None:
            current = ws.row_dimensions[cell.row].height or 0
            ws.row_dimensions[cell.row].height = max(60.0, current, _height(str(value or ""), 55) or 0)
        key, settings = _validation_for(cell.spec if cell.option is None else cell.question)
        if key:
            groups.setdefault(key, (settings, []))[1].append(cell.ref)
    for settings, refs in groups.values():
        dv = DataValidation(allow_blank=True, showErrorMessage=True, **settings)
        dv.error = t("workbook.invalid_entry", lang)
        dv.sqref = " ".join(refs)
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=layout.FIRST_ROW, column=layout.QUESTION)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "2:2"


def _write_instructions(book: Workbook, q: Questionnaire, cycle: Cycle, party: str, party_name: str, lang: str) -> None:
    ws = book.active
    ws.title = t("workbook.sheet_instructions", lang)[:31]
    ws.column_dimensions["A"].width = 85
    lines: list[tuple[str, Font | None]] = [
        (t("workbook.title", lang, questionnaire=label(q.title, lang)), _TITLE),
        (t("workbook.for_party", lang, party=party_name, code=party, cycle=cycle.title, deadline=cycle.deadline.isoformat()), _BOLD),
        ("", None),
    ]
    lines += [(t(f"workbook.instructions.step{i}", lang), None) for i in range(1, INSTRUCTION_STEPS + 1)]
    for row, (text, font) in enumerate(lines, start=1):
        c = ws.cell(row=row, column=1)
        set_cell(c, text)
        c.alignment = _WRAP
        if font:
            c.font = font
        if height := _height(text, 55 if font is _TITLE else 78):
            ws.row_dimensions[row].height = height * (1.3 if font is _TITLE else 1.0)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.protection.sheet = True


def _write_meta(book: Workbook, q: Questionnaire, cycle: Cycle, party: str, seq: int, lang: str,
                rows: Mapping[str, int], answers: Answers, actor: Actor, key: bytes) -> None:
    ws = book.create_sheet(layout.META_SHEET)
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
    entries += [(f"rows:{key}", str(n)) for key, n in rows.items()]
    in_scope = {p.id: p for p in q.assessed_provisions(cycle.chapters)}
    for (provision_id, question_id), value in sorted(answers.items()):
        provision = in_scope.get(provision_id)
        question = provision.question(question_id) if provision else None
        if question is not None and value is not None:
            entries.append((f"answer:{provision_id}/{question_id}", cells.answer_hash(question, value)))
    entries.append((SIGNATURE, sign(key, dict(entries))))
    for row, (key, value) in enumerate(entries, start=1):
        set_cell(ws.cell(row=row, column=1), key)
        set_cell(ws.cell(row=row, column=2), value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def render(q: Questionnaire, cycle: Cycle, party: str, party_name: str, seq: int, answers: Answers, lang: str,
           actor: Actor, key: bytes) -> bytes:
    """The workbook for already-loaded data (what `write_template` and the benchmark call), its
    metadata signed with the installation's `key` (`signature.installation_key`)."""
    rows = table_rows(q, cycle.chapters, answers)
    book = Workbook()
    _write_instructions(book, q, cycle, party, party_name, lang)
    width = layout.answer_width(q)
    for sheet in layout.build_layout(q, cycle.chapters, rows, lang):
        _write_chapter(book, q, sheet, answers, lang, width)
    _write_lists(book, q, lang)
    _write_meta(book, q, cycle, party, seq, lang, rows, answers, actor, key)
    book.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
