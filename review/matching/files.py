"""The matching report as files: Excel (one sheet per view, translated headers, formulas escaped),
JSON (every view, stable column names), CSV (one view) and a printable PDF summary."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from review.errors import ReviewError
from review.export import HEADER_FILL, MAX_WIDTH, _plain, csv_text, safe_sheet_title
from review.i18n import t
from review.matching.report import MatchReport, headers
from review.pdf import FAMILY, new_document, paragraph, table
from review.workbook.safe import set_cell

FORMATS = ("xlsx", "json", "csv", "pdf")


def xlsx_bytes(report: MatchReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, frame in report.views.items():
        sheet = book.create_sheet(safe_sheet_title(t(f"matching.views.{name}", report.lang)))
        names = headers(frame.columns, report.lang)
        for col, column in enumerate(frame.columns, start=1):
            cell = sheet.cell(row=1, column=col)
            set_cell(cell, names[column])
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            longest = max([len(names[column])] + [len(str(v)) for v in frame[column].head(300).to_list() if v is not None])
            sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(8, longest + 2))
        for r, row in enumerate(frame.iter_rows(), start=2):
            for col, value in enumerate(row, start=1):
                set_cell(sheet.cell(row=r, column=col), _plain(value))
        sheet.freeze_panes = "A2"
        if frame.height:
            sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_bytes(report: MatchReport) -> bytes:
    data = {
        "cycle": report.cycle_id, "title": report.cycle_title, "lang": report.lang, "scope": report.scope,
        "totals": report.totals,
        "views": {name: [{k: _plain(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]
                  for name, frame in report.views.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def csv_bytes(report: MatchReport, view: str = "matches") -> bytes:
    if view not in report.views:
        raise ReviewError("matching.bad_view", value=view, allowed=", ".join(report.views))
    return csv_text(report.views[view]).encode("utf-8-sig")


def _figure(value, lang: str) -> str:
    """A cell of the printed report: numbers as the language writes them (`review.formats`)."""
    from review.formats import number

    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value if isinstance(value, bool) else str(value)
    return number(value, lang, 2)


def pdf_bytes(report: MatchReport, top: int = 25) -> bytes:
    """A printable summary: totals, providers, the largest groups of unmet needs, the Parties."""
    lang = report.lang

    def tr(key: str, **params) -> str:
        return t(f"matching.{key}", lang, **params)

    def col(name: str) -> str:
        return tr(f"columns.{name}")

    pdf = new_document(tr("pdf_title", cycle=report.cycle_title), lang)
    pdf.set_font(FAMILY, "B", 15)
    paragraph(pdf, 8, tr("pdf_title", cycle=report.cycle_title), lang)
    pdf.set_font(FAMILY, "", 9)
    totals = {k: _figure(v, lang) for k, v in report.totals.items()}
    for line in (tr("totals_line", **totals), tr("score_line", score=totals["total_score"]),
                 tr("optimal_note") if totals["optimal"] else tr("bounded_note"), tr("scoring_note")):
        paragraph(pdf, 5, line, lang)
    sections = [
        ("providers", ["provider", "role_label", "capacity", "engaged", "suggested", "remaining", "could_serve"],
         (50, 26, 20, 20, 22, 20, 22)),
        ("unmet_summary", ["type_label", "chapter_title", "region_name", "needs", "parties"], (50, 60, 40, 15, 15)),
        ("parties", ["party_name", "needs", "suggested", "accepted", "in_progress", "delivered", "unmet"],
         (55, 18, 22, 20, 22, 20, 23)),
    ]
    for view, columns, widths in sections:
        frame = report.views[view]
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 12)
        paragraph(pdf, 7, tr(f"views.{view}"), lang)
        pdf.set_font(FAMILY, "", 8)
        rows = [[_figure(v, lang) for v in r] for r in frame.select(columns).head(top).iter_rows()]
        table(pdf, [col(c) for c in columns], rows, widths, lang, tr("none"))
        if frame.height > top:
            paragraph(pdf, 5, tr("more_rows", count=frame.height - top), lang)
    return bytes(pdf.output())


def report_bytes(report: MatchReport, fmt: str, view: str = "matches") -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(report)
    if fmt == "json":
        return json_bytes(report)
    if fmt == "csv":
        return csv_bytes(report, view)
    if fmt == "pdf":
        return pdf_bytes(report)
    raise ReviewError("analysis.bad_format", value=fmt, allowed=", ".join(FORMATS))


def write_report(report: MatchReport, path: Path, fmt: str | None = None, view: str = "matches") -> Path:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    data = report_bytes(report, fmt, view)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path

