"""The offline questionnaire: a personal Excel workbook out, a validated all-or-nothing import in.

Focal points fill long questionnaires over weeks, passing a workbook between ministries and
sometimes LibreOffice; this package makes that path as safe as the online form.

API for interfaces (the app's Party workspace, the CLI):

    write_template(store, actor, cycle_id, party, lang="en") -> bytes
        The XLSX for one Party and cycle, pre-filled with its current answers. Needs
        `submission.read` on the Party. Sheets run right to left in Arabic.

    write_templates(store, actor, cycle_id, lang="en", progress=None) -> bytes
        A zip of every participating Party's workbook (`template.bundle_name`), for the
        secretariat (`submission.review`); `progress(done, total, party)` after each.

    import_workbooks(store, actor, files, *, take_workbook=False, progress=None,
                     limits=Limits(), expect_party=None, expect_cycle=None, dry_run=False) -> list[ImportReport]
        `files` is a list of (file name, bytes or path; a path is read only when its turn comes,
        and one that cannot be read is rejected as `unreadable`). Each file is checked whole and
        written in its own transaction (a new "imported" revision, in the audit log), or refused
        with nothing changed. Needs `submission.import` on the Party named in the workbook; a Party user may
        only import its own Party's workbook. `expect_party` / `expect_cycle` refuse a workbook
        for another Party or cycle (the workspace passes the ones on screen). `take_workbook`
        saves the workbook's values over answers changed online since it was made (logged as
        `answers.import.take_workbook`); without it such conflicts refuse the file.
        `progress(done, total, file_name, report)` is called after each file. `dry_run` runs every
        check and writes nothing (status "checked": the file would import), for a preview.

    ImportReport: file, status ("imported" | "rejected" | "checked"), party, cycle, revision, changed,
        took_workbook, errors: list[WorkbookProblem]; `as_dict(lang)` is the CLI's JSON object.
    WorkbookProblem: sheet, cell (e.g. "F12", or None for the whole file), code (stable, e.g.
        "formula", "not_in_code_list", "conflict"), key + params (render with `message(lang)`).

Exports that cannot hurt their readers: `safe.csv_value`, `safe.write_csv`, `safe.set_cell`
and `safe.write_xlsx` escape values a spreadsheet would run as a formula; use them for every
CSV or spreadsheet the platform writes.

Workbook layout: see `layout` (one sheet per chapter; hidden key column A and marker row 1;
answers from column F; tables as numbered rows, multiple choices as one Yes row per option).
"""

from review.workbook.importer import ImportReport, WorkbookProblem, import_workbook, import_workbooks
from review.workbook.package import Limits
from review.workbook.template import write_template, write_templates

__all__ = ["ImportReport", "Limits", "WorkbookProblem", "import_workbook", "import_workbooks", "write_template", "write_templates"]
