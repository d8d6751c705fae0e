"""Reading filled workbooks back: check each file whole, then write it, or change nothing.

The stages, each refusing with problems that name sheet and cell: the package (size, zip, macros,
encryption), the metadata sheet (our template? which Party, cycle and questionnaire version?),
the structure (hidden row and column keys where the template put them), formulas in answer
cells, every value against its question (a number or error cell as the file stored it, not as the
text view writes it: `stored`), and answers changed online since the workbook was made.
Only then `submissions.save_imports` (the save of the online form, given what the checks already
read) writes the new answers and freezes an "imported" revision, so the online form and the
workbook obey the same rules. A batch writes the files that pass in groups, one transaction a
group; each file still imports whole or not at all, with its own revision and audit entries.
"""

from __future__ import annotations

import io
import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Union

import fastexcel

from review import limits
from review.access import Actor, PARTY_ROLES, allowed
from review.cycles import Cycle, cycle_questionnaire, get_cycle
from review.errors import InvalidTransition, NotFound, PermissionDenied, ReviewError, SaveFailed, StaleSave, ValidationFailed
from review.i18n import LANGUAGES, fill, label, t
from review.questionnaire import Questionnaire
from review.questionnaire.values import TABLE_ROWS_CEILING, check_value
from review.store import Store
from review.submissions import EDITABLE, Answers, CheckedSave, Submission, changes_since, save_imports, working_copies
from review.workbook import cells, layout, stored
from review.workbook.package import Limits, PackageRefused, has_formulas, open_package, read_file, sheets_by_name
from review.workbook.signature import installation_key, verify
from review.workbook.template import FORMAT, FORMAT_VERSION

_LOG = logging.getLogger(__name__)

IMPORTED, REJECTED, CHECKED = "imported", "rejected", "checked"


@dataclass(frozen=True)
class WorkbookProblem:
    """One reason a file was refused: where (sheet and cell, when known), a stable code, a message key."""

    sheet: str | None
    cell: str | None
    code: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    # the answer it concerns, as a problem's location ('15.1 legislation[2].link'), when it is one:
    # an interface names it by labels (`workspace.where`: "Art. 15(1) — ... — Row 2 — Link ...")
    location: str | None = None

    def message(self, lang: str = "en", escape: Callable[[Any], Any] | None = None) -> str:
        return fill(self.key, lang, self.params, escape)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"sheet": self.sheet, "cell": self.cell, "code": self.code, "message": self.message(lang)}


@dataclass
class ImportReport:
    """What happened to one file."""

    file: str
    status: str
    party: str | None = None
    cycle: str | None = None
    revision: int | None = None
    changed: int = 0
    took_workbook: bool = False
    errors: list[WorkbookProblem] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return self.status == IMPORTED

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "party": self.party,
            "cycle": self.cycle,
            "revision": self.revision,
            "errors": [e.as_dict(lang) for e in self.errors],
        }


class _Rejected(Exception):
    def __init__(self, problems: list[WorkbookProblem]):
        super().__init__(len(problems))
        self.problems = problems


def _refuse(code: str, key: str, sheet: str | None = None, cell: str | None = None, **params) -> _Rejected:
    return _Rejected([WorkbookProblem(sheet, cell, code, key, params)])


@dataclass(frozen=True)
class _Meta:
    party: str
    cycle: str
    questionnaire: str
    version: str
    fingerprint: str
    seq: int
    lang: str
    table_rows: dict[str, int]
    entries: dict[str, str]

    def answer_hash(self, key: tuple[str, str]) -> str | None:
        """The digest of an answer as the workbook was made (`cells.answer_hash`), if it had one."""
        return self.entries.get(f"answer:{key[0]}/{key[1]}")


def _read_meta(reader) -> _Meta:
    if layout.META_SHEET not in reader.sheet_names:
        raise _refuse("not_our_template", "workbook.not_our_template")
    try:
        frame = reader.load_sheet(layout.META_SHEET, header_row=None, dtypes="string").to_polars()
    except Exception:  # calamine refuses a damaged sheet with its own error types
        raise _Rejected([WorkbookProblem(layout.META_SHEET, None, "sheet_unreadable", "workbook.sheet_unreadable",
                                         {"sheet": layout.META_SHEET})]) from None
    if frame.width < 2:
        raise _refuse("not_our_template", "workbook.not_our_template")
    entries = {k: v for k, v in zip(frame.to_series(0).to_list(), frame.to_series(1).to_list()) if k}
    if entries.get("format") != FORMAT or entries.get("format_version") != FORMAT_VERSION:
        raise _refuse("not_our_template", "workbook.not_our_template")
    try:
        rows = {k[5:]: int(v) for k, v in entries.items() if k.startswith("rows:")}
        meta = _Meta(entries["party"], entries["cycle"], entries["questionnaire"], entries["version"],
                     entries["fingerprint"], int(entries["seq"]), entries["lang"], rows, entries)
    except (KeyError, ValueError, TypeError):
        raise _refuse("not_our_template", "workbook.not_our_template") from None
    if meta.lang not in LANGUAGES or any(not 0 <= n <= TABLE_ROWS_CEILING for n in rows.values()):
        raise _refuse("not_our_template", "workbook.not_our_template")
    return meta


def _check_target(store: Store, actor: Actor, meta: _Meta, expect_party: str | None, expect_cycle: str | None,
                  known: dict[str, tuple[Cycle, Questionnaire]], key: bytes) -> tuple[Cycle, Questionnaire]:
    """The cycle and questionnaire the workbook is for, once its metadata is the installation's own
    (signed with `key`) and this actor may import it there."""
    if not verify(key, meta.entries):
        raise _refuse("tampered", "workbook.tampered")
    own_party = actor.party if actor.role in PARTY_ROLES else None
    for wanted in (own_party, expect_party):
        if wanted and wanted != meta.party:
            raise _refuse("wrong_party", "workbook.wrong_party", party=meta.party, expected=wanted)
    if expect_cycle and expect_cycle != meta.cycle:
        raise _refuse("wrong_cycle", "workbook.wrong_cycle", cycle=meta.cycle, expected=expect_cycle)
    if meta.cycle not in known:
        try:
            cycle = get_cycle(store, meta.cycle)
        except NotFound:
            raise _refuse("wrong_cycle", "workbook.unknown_cycle", cycle=meta.cycle) from None
        known[meta.cycle] = (cycle, cycle_questionnaire(store, cycle))
    cycle, q = known[meta.cycle]
    if (meta.questionnaire, meta.version, meta.fingerprint) != (q.id, q.version, q.fingerprint):
        raise _refuse("wrong_version", "workbook.wrong_version", found=f"{meta.questionnaire} {meta.version}",
                      expected=f"{q.id} {q.version}")
    if not allowed(actor, "submission.import", meta.party):
        raise _refuse("permission_denied", "errors.permission_denied", action="submission.import", role=actor.role.value)
    return cycle, q


def _check_submission(meta: _Meta, cycle: Cycle, copies: dict) -> tuple[Submission, Answers]:
    """The submission the workbook is for and its working answers, while it may still change."""
    if (cycle.id, meta.party) not in copies:
        raise _refuse("wrong_party", "workbook.not_participating", party=meta.party, cycle=cycle.id)
    sub, current = copies[(cycle.id, meta.party)]
    if sub.state not in EDITABLE:
        raise _refuse("not_editable", "workbook.not_editable", party=meta.party, state=t(f"states.{sub.state}", meta.lang))
    return sub, current


class _Grid:
    """A sheet's cells as text, addressed like Excel (1-based row and column)."""

    def __init__(self, reader, name: str):
        self.frame = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
        self.height = self.frame.height
        self.width = self.frame.width
        self.keys = self.frame.to_series(layout.KEY - 1).to_list() if self.width else []

    def get(self, row: int, col: int) -> str | None:
        if col > self.width or row > self.height:
            return None
        return self.frame.item(row - 1, col - 1)

    def filled(self, first_col: int) -> list[tuple[int, int, str]]:
        """(row, column, text) of every non-empty cell from column `first_col` on."""
        found = []
        for col in range(first_col, self.width + 1):
            values = self.frame.to_series(col - 1).to_list()
            found += [(r, col, v) for r, v in enumerate(values, start=1) if v is not None]
        return found


def _check_structure(q: Questionnaire, sheet: layout.SheetLayout, grid: _Grid) -> list[WorkbookProblem]:
    for col, marker in enumerate(sheet.markers, start=1):
        if grid.get(1, col) != marker:
            return [WorkbookProblem(sheet.name, layout.cell_ref(1, col), "columns_moved", "workbook.columns_moved",
                                    {"column": layout.column_letter(col)})]
    start = layout.FIRST_ROW - 1
    found = grid.keys[start:start + len(sheet.keys)]
    if found != sheet.keys:
        for row in sheet.rows:
            if grid.get(row.number, layout.KEY) != row.key:
                return [WorkbookProblem(sheet.name, layout.cell_ref(row.number, layout.REF), "rows_moved",
                                        "workbook.rows_moved", {"row": row.number})]
    last = sheet.rows[-1].number if sheet.rows else layout.FIRST_ROW - 1
    for number in range(last + 1, grid.height + 1):
        if grid.keys[number - 1]:
            return [WorkbookProblem(sheet.name, layout.cell_ref(number, layout.REF), "rows_moved", "workbook.rows_added",
                                    {"row": number})]
    return []


def _formula_cells(data: bytes, sheets: list[layout.SheetLayout]) -> list[WorkbookProblem]:
    """Answer cells holding a formula. openpyxl parses through defusedxml, which refuses entity
    declarations (an "entity bomb"): such a file is refused as unsafe, not a traceback."""
    try:
        return _formula_cells_in(data, sheets)
    except Exception:  # defusedxml's refusals, and any parser error on a hostile sheet
        return [WorkbookProblem(None, None, "unsafe_xml", "workbook.unsafe_xml", {})]


def _formula_cells_in(data: bytes, sheets: list[layout.SheetLayout]) -> list[WorkbookProblem]:
    from openpyxl import load_workbook  # only for files with formulas: most never load it

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        found = []
        for sheet in sheets:
            answer_cells = {(c.row, c.col) for c in sheet.cells}
            last_col = max((c for _, c in answer_cells), default=layout.ANSWER)
            for row in book[sheet.name].iter_rows(min_row=layout.FIRST_ROW, min_col=layout.ANSWER, max_col=last_col):
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and (cell.row, cell.column) in answer_cells:
                        found.append(WorkbookProblem(sheet.name, cell.coordinate, "formula", "workbook.formula", {}))
        return found
    finally:
        book.close()


def _problem(sheet: str, cell: str, key: str, params: dict[str, Any], location: str | None = None) -> WorkbookProblem:
    return WorkbookProblem(sheet, cell, key.rsplit(".", 1)[-1], key, params, location)


def _location(provision: str, question: str, row: int | None = None, column: str | None = None) -> str:
    return f"{provision} {question}" + (f"[{row}].{column}" if row is not None and column else "")


def _read_answers(q: Questionnaire, sheet: layout.SheetLayout, grid: _Grid, lang: str,
                  changes: dict, where: dict, problems: list[WorkbookProblem],
                  held: dict[tuple[int, int], stored.Stored]) -> None:
    """The sheet's answers into `changes` (every question, empty ones as None), problems into `problems`.
    `held`: the sheet's number and error cells as the file stored them (`stored.stored_cells`)."""
    tables: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for key, (kind, ref) in sheet.questions.items():
        changes[key] = None if kind == "question" else []
        where[key] = (sheet.name, ref)
        if kind == "table":
            tables[key] = {}
    by_position = sheet.by_position
    filled = grid.filled(layout.ANSWER)
    # an error value (#N/A) is no text to the text view, as if the cell were empty: it is refused
    errors = [(r, c, None) for (r, c), h in held.items() if h.error and (r, c) in by_position]
    for row_number, col, raw in filled + errors if errors else filled:
        cell = by_position.get((row_number, col))
        if cell is None:
            continue
        key = (cell.provision, cell.question.id)
        at = _location(cell.provision, cell.question.id, cell.table_row, cell.spec.id)
        if (row_number, col) in held:
            try:
                raw = stored.as_typed(cell.spec if cell.option is None else cell.question, raw, held[(row_number, col)])
            except cells.CellProblem as bad:
                problems.append(_problem(sheet.name, cell.ref, bad.key, bad.params, at))
                continue
        if cell.option is not None:
            if not raw or not raw.strip():
                continue
            chosen = cells.yes_no(raw)
            if chosen is None:
                problems.append(_problem(sheet.name, cell.ref, "workbook.not_yes_no", {"value": raw.strip()}, at))
            elif chosen:
                changes[key].append(cell.option)
            continue
        try:
            value = cells.parse(q, cell.spec, raw, lang)
        except cells.CellProblem as bad:
            problems.append(_problem(sheet.name, cell.ref, bad.key, bad.params, at))
            continue
        if value is None:
            continue
        found = check_value(q, cell.spec, value, cell.ref)
        if found:
            problems += [_problem(sheet.name, cell.ref, p.key, p.params, at) for p in found]
        if cell.table_row is None:
            changes[key] = value
        else:
            tables[key].setdefault(cell.table_row, {})[cell.spec.id] = value
    positions = sheet.table_cells
    for key, rows in tables.items():
        if not rows:
            continue
        question = q.provision(key[0]).question(key[1])
        for number, values in sorted(rows.items()):
            for column in question.columns:
                if column.required and column.id not in values:
                    problems.append(_problem(sheet.name, positions[(*key, number, column.id)],
                                             "values.required_column", {"column": label(column.label, lang)},
                                             _location(*key, number, column.id)))
        changes[key] = [values for _, values in sorted(rows.items())]


def _conflicts(q: Questionnaire, store: Store, sub_id: str, meta: _Meta, changes: dict, where: dict,
               lang: str) -> list[WorkbookProblem]:
    """Answers changed online since the workbook was made that the workbook also changed, differently.

    An answer the workbook left as it was (its digest still matches the metadata) keeps its newer
    online value and is dropped from `changes`.
    """
    with store.read() as cur:
        online = changes_since(cur, sub_id, meta.seq)
    clashing: dict[str, list[tuple[str, str]]] = {}
    for change in online:
        key = (change.provision_id, change.question_id)
        if key not in changes:
            continue
        question = q.provision(key[0]).question(key[1])
        mine = cells.canonical(question, changes[key])
        if mine == cells.canonical(question, change.value):
            continue
        original = meta.answer_hash(key)
        untouched = cells.answer_hash(question, changes[key]) == original if original else mine is None
        if untouched:
            del changes[key]
            continue
        clashing.setdefault(key[0], []).append((label(question.label, lang), change.saved_by))
    problems = []
    for provision_id, found in clashing.items():
        sheet, cell = where[(provision_id, q.provision(provision_id).questions[0].id)]
        problems.append(WorkbookProblem(sheet, cell, "conflict", "workbook.conflict", {
            "provision": label(q.provision(provision_id).ref, lang),
            "questions": "; ".join(text for text, _ in found),
            "by": ", ".join(sorted({who for _, who in found})),
        }))
    return problems


def _package_problem(refused: PackageRefused) -> WorkbookProblem:
    return WorkbookProblem(None, None, refused.code, refused.key, refused.params)


def _save_problem(error: ReviewError, where: dict) -> list[WorkbookProblem]:
    if isinstance(error, ValidationFailed):
        found = []
        for p in error.problems:
            provision_id, _, question_id = p.location.partition(" ")
            sheet, cell = where.get((provision_id, question_id.split("[")[0]), (None, None))
            found.append(_problem(sheet, cell, p.key, p.params, p.location))
        return found
    code = {StaleSave: "changed_during_import", InvalidTransition: "not_editable", PermissionDenied: "permission_denied",
            SaveFailed: "write_failed"}
    return [WorkbookProblem(None, None, code.get(type(error), "refused"), error.key, dict(error.params))]


Source = Union[bytes, str, os.PathLike]


@dataclass
class _Examined:
    """A file as far as it can be read without the database: its package and its metadata, or why
    it was refused before that."""

    name: str
    refused: list[WorkbookProblem] | None = None
    data: bytes = b""
    package: Any = None
    reader: Any = None
    meta: _Meta | None = None

    @property
    def submission(self) -> tuple[str, str] | None:
        return (self.meta.cycle, self.meta.party) if self.meta else None


def _unpack(source: Source, limits: Limits) -> tuple[bytes, Any]:
    """The file read (a path only now) and its package checked: every part inflated within its
    bounds and each sheet's reach measured (`package.open_package`)."""
    data = source if isinstance(source, bytes) else read_file(source, limits)
    return data, open_package(data, limits)


# A file's package is unpacked and checked (zlib and a Polars regular expression, which run
# without the GIL) while the file before it is read: one file ahead, on another core when the
# machine has one.
_PACKAGES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook-package")


def _examine(name: str, unpacked: Future, limits: Limits) -> _Examined:
    """The file's package (`_unpack`, under way), then its metadata sheet read."""
    try:
        data, package = unpacked.result()
        try:
            reader = fastexcel.read_excel(data)
        except Exception:  # calamine refuses a broken package with its own error types
            raise _refuse("not_xlsx", "workbook.not_xlsx") from None
        return _Examined(name, None, data, package, reader, _read_meta(reader))
    except OSError as error:
        return _Examined(name, [WorkbookProblem(None, None, "unreadable", "workbook.unreadable",
                                                {"reason": error.strerror or str(error)})])
    except PackageRefused as refused:
        return _Examined(name, [_package_problem(refused)])
    except _Rejected as rejected:
        return _Examined(name, rejected.problems)
    except Exception:  # a hostile file must never end the batch: it alone is refused
        _LOG.exception("workbook %s: unexpected error while opening", name)
        return _Examined(name, [WorkbookProblem(None, None, "unexpected", "workbook.unexpected", {})])


# The formula scan inflates the sheets with zlib, which (like calamine reading the same sheets)
# runs without the GIL: the two go side by side, on one more core when the machine has one; so
# does the scan for number and error cells (`stored`: a Polars regular expression).
_FORMULA_SCAN = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formula-scan")


def _stored_cells(package, names: list[str]) -> dict[str, dict[tuple[int, int], stored.Stored]]:
    """The number and error cells of the sheets named, as the file stored them (`stored.stored_cells`)."""
    xml = sheets_by_name(package)
    return stored.stored_cells({name: xml[name] for name in names if name in xml},
                               stored.number_styles(package.parts.get("xl/styles.xml")))


def _read_sheets(q: Questionnaire, cycle: Cycle, examined: _Examined) -> tuple[dict, dict]:
    """The chapter sheets against their layout: structure first, then formulas and every value;
    (the answers, where each one sits), or _Rejected with every problem found."""
    meta = examined.meta
    sheets = layout.build_layout(q, cycle.chapters, meta.table_rows, meta.lang)
    problems: list[WorkbookProblem] = []
    formulas = _FORMULA_SCAN.submit(has_formulas, examined.package, examined.data)
    numbers = _FORMULA_SCAN.submit(_stored_cells, examined.package, [sheet.name for sheet in sheets])
    grids = {}
    for sheet in sheets:
        if sheet.name not in examined.reader.sheet_names:
            problems.append(WorkbookProblem(sheet.name, None, "sheet_missing", "workbook.sheet_missing", {"sheet": sheet.name}))
            continue
        try:
            grids[sheet.name] = _Grid(examined.reader, sheet.name)
        except Exception:  # calamine refuses a damaged sheet with its own error types
            problems.append(WorkbookProblem(sheet.name, None, "sheet_unreadable", "workbook.sheet_unreadable",
                                            {"sheet": sheet.name}))
            continue
        problems += _check_structure(q, sheet, grids[sheet.name])
    if problems:
        raise _Rejected(problems)
    try:
        with_formulas = formulas.result()
    except PackageRefused as refused:
        raise _Rejected([_package_problem(refused)]) from None
    if with_formulas:
        problems += _formula_cells(examined.data, sheets)
    changes: dict[tuple[str, str], Any] = {}
    where: dict[tuple[str, str], tuple[str, str]] = {}
    held = numbers.result()
    for sheet in sheets:
        _read_answers(q, sheet, grids[sheet.name], meta.lang, changes, where, problems, held.get(sheet.name, {}))
    if problems:
        raise _Rejected(problems)
    return changes, where


def _answers_to_save(store: Store, q: Questionnaire, sub: Submission, current: Answers, meta: _Meta,
                     changes: dict, where: dict, take_workbook: bool, report: ImportReport) -> dict:
    """The workbook's answers that differ from the working ones; _Rejected when they clash with
    answers saved online since the workbook was made."""
    if sub.seq != meta.seq:
        conflicts = _conflicts(q, store, sub.id, meta, changes, where, meta.lang)
        if conflicts and not take_workbook:
            raise _Rejected(conflicts)
        report.took_workbook = bool(conflicts)
    for key in list(changes):
        if changes[key] in (None, []) and key not in current:
            del changes[key]
            continue
        if changes[key] == current.get(key):
            del changes[key]
            continue
        question = q.provision(key[0]).question(key[1])
        if cells.canonical(question, changes[key]) == cells.canonical(question, current.get(key)):
            del changes[key]
    return changes


@dataclass
class _Group:
    """Files for different submissions on their way: read and checked without the database, then
    against their submissions' working copies, then written together."""

    files: list[_Examined]
    reports: list[ImportReport] = field(default_factory=list)
    read: dict[int, tuple] = field(default_factory=dict)
    saves: dict[int, CheckedSave] = field(default_factory=dict)
    where: dict[int, dict] = field(default_factory=dict)


def _read_group(store: Store, actor: Actor, group: _Group, expect_party: str | None, expect_cycle: str | None,
                known: dict[str, tuple[Cycle, Questionnaire]], key: bytes) -> None:
    """Each file's target, and its sheets read and checked: all that needs no submission's answers."""
    group.reports = [ImportReport(examined.name, REJECTED) for examined in group.files]
    for i, examined in enumerate(group.files):
        report = group.reports[i]
        if examined.refused:
            report.errors = examined.refused
            continue
        report.party, report.cycle = examined.meta.party, examined.meta.cycle
        try:
            cycle, q = _check_target(store, actor, examined.meta, expect_party, expect_cycle, known, key)
        except _Rejected as rejected:
            report.errors = rejected.problems
            continue
        try:
            group.read[i] = (cycle, q, _read_sheets(q, cycle, examined), None)
        except _Rejected as rejected:
            group.read[i] = (cycle, q, None, rejected.problems)
        except Exception:  # a hostile file must never end the batch: it alone is refused
            _LOG.exception("workbook %s: unexpected error while reading", examined.name)
            group.read[i] = (cycle, q, None, [WorkbookProblem(None, None, "unexpected", "workbook.unexpected", {})])


def _check_group(store: Store, actor: Actor, group: _Group, take_workbook: bool, dry_run: bool) -> None:
    """Each file against its submission's working copy (read once for the group): the saves to make."""
    copies = working_copies(store, actor, [group.files[i].submission for i in group.read]) if group.read else {}
    for i, (cycle, q, answers, problems) in group.read.items():
        examined, report = group.files[i], group.reports[i]
        try:
            sub, current = _check_submission(examined.meta, cycle, copies)
            if problems:
                raise _Rejected(problems)
            changes, group.where[i] = answers
            changes = _answers_to_save(store, q, sub, current, examined.meta, changes, group.where[i], take_workbook,
                                       report)
        except _Rejected as rejected:
            report.errors = rejected.problems
            continue
        if dry_run:
            report.status, report.changed = CHECKED, len(changes)
            continue
        group.saves[i] = CheckedSave(cycle, q, (sub, current), changes, note=t("workbook.revision_note", "en", file=examined.name),
                                     took_workbook=report.took_workbook)


def _write_group(store: Store, actor: Actor, group: _Group) -> list[ImportReport]:
    """The group's saves written together (`save_imports`); every file's report."""
    for i, result in zip(group.saves, save_imports(store, actor, list(group.saves.values()))):
        report = group.reports[i]
        if isinstance(result, ReviewError):
            report.errors = _save_problem(result, group.where[i])
        else:
            report.status, report.revision, report.changed = IMPORTED, result.revision, result.changed
    return group.reports


def import_workbook(store: Store, actor: Actor, name: str, data: bytes, *, take_workbook: bool = False,
                    limits: Limits = Limits(), expect_party: str | None = None,
                    expect_cycle: str | None = None, dry_run: bool = False) -> ImportReport:
    """Check one file whole, then import it in one transaction; a rejected file changes nothing.

    With `dry_run` every check runs but nothing is written: status "checked" means it would import.
    """
    return import_workbooks(store, actor, [(name, data)], take_workbook=take_workbook, limits=limits,
                            expect_party=expect_party, expect_cycle=expect_cycle, dry_run=dry_run)[0]


Progress = Callable[[int, int, str, ImportReport], None]

# Files are checked one by one, and those that pass are written in groups of up to this many
# (and this many bytes of files held at once): one transaction with one statement per kind of row
# for all of them, instead of a transaction of six statements per file. Each file keeps its own
# checks, refusals, revision and audit entries. A group is written by another thread while the
# next one is read: DuckDB, like calamine, works without the GIL.
GROUP = limits.IMPORT_GROUP_FILES
GROUP_BYTES = limits.IMPORT_GROUP_BYTES
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook-writer")


def import_workbooks(store: Store, actor: Actor, files: Iterable[tuple[str, Source]], *, take_workbook: bool = False,
                     progress: Progress | None = None, limits: Limits = Limits(), expect_party: str | None = None,
                     expect_cycle: str | None = None, dry_run: bool = False) -> list[ImportReport]:
    """Import each file on its own: it imports whole or changes nothing, whatever the others do.
    `progress(done, total, name, report)` after each, in the order given.

    A file may be given as bytes or as a path, read only when its group comes (so a batch of
    many files is never all in memory, and one over the size limit is refused unread); a path
    that cannot be read is rejected with code `unreadable`. Two files for the same submission
    go to different groups, and a group is checked against its submissions only once the group
    before it is written, so the second file is checked against what the first wrote.
    """
    files = list(files)
    reports: list[ImportReport] = []
    known: dict[str, tuple[Cycle, Questionnaire]] = {}
    key = installation_key(store)
    files_of_group: list[_Examined] = []
    writing: Future | None = None

    def written() -> None:
        for report in writing.result():
            reports.append(report)
            if progress:
                progress(len(reports), len(files), report.file, report)

    def finish_group() -> None:
        nonlocal writing
        group = _Group(list(files_of_group))
        files_of_group.clear()
        _read_group(store, actor, group, expect_party, expect_cycle, known, key)
        if writing:
            written()
        _check_group(store, actor, group, take_workbook, dry_run)
        writing = _WRITER.submit(_write_group, store, actor, group)

    try:
        ahead = [_PACKAGES.submit(_unpack, source, limits) for _, source in files[:1]]
        for i, (name, _) in enumerate(files):
            if i + 1 < len(files):
                ahead.append(_PACKAGES.submit(_unpack, files[i + 1][1], limits))
            examined = _examine(name, ahead.pop(0), limits)
            held = sum(len(e.data) for e in files_of_group) + len(examined.data)
            if len(files_of_group) == GROUP or held > GROUP_BYTES or (
                    examined.submission and examined.submission in {e.submission for e in files_of_group}):
                finish_group()
            files_of_group.append(examined)
        finish_group()
        written()
    finally:
        if writing:
            wait([writing])
    return reports
