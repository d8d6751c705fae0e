"""The session reports as Word (python-docx) and PDF (`review.pdf`), in any of the six languages.

The content is computed by `review.reports.thematic`; this module lays it out only. Labels come
from the translation layer (`sessionrep.*`), figures through `review.formats`, and the Parties'
examples are printed as they wrote them (plain text, never markup). Arabic documents run right to
left (the Word helpers of `review.peer.documents`, the PDF helpers of `review.pdf`).
"""

from __future__ import annotations

import io

from review.formats import number, percent
from review.i18n import t
from review.reports.thematic import CHANGE_KINDS, Thematic

FORMATS = ("docx", "pdf")
TA_MEASURES = ("needed", "matched", "received", "offered", "delivered")


def _rate(value, lang: str) -> str:
    return "-" if value is None else percent(value, lang)


def _count(value, lang: str) -> str:
    return "-" if value is None else number(value, lang)


def title(report: Thematic, lang: str) -> str:
    if report.region:
        return t("sessionrep.regional_title", lang, group=t(f"regions.{report.region}", lang),
                 chapter=report.chapter, title=report.chapter_title)
    return t("sessionrep.thematic_title", lang, chapter=report.chapter, title=report.chapter_title)


def head_lines(report: Thematic, lang: str) -> list[str]:
    lines = [t("sessionrep.cycle_line", lang, cycle=report.cycle_title, id=report.cycle_id),
             t(f"sessionrep.scope_{report.scope}", lang)]
    if report.previous_id:
        lines.append(t("sessionrep.previous_line", lang, cycle=report.previous_title, id=report.previous_id))
    else:
        lines.append(t("sessionrep.no_previous", lang))
    lines.append(t("sessionrep.trace_note", lang))
    return lines


def article_table(report: Thematic, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t(f"sessionrep.col.{k}", lang) for k in ("article", "responding", "rate", "score", "previous_rate",
                                                       *CHANGE_KINDS)]
    rows = [[t("sessionrep.article_cell", lang, number=r["article"], title=r["article_title"]),
             _count(r["responding"], lang), _rate(r["implementation_rate"], lang), _rate(r["score"], lang),
             _rate(r["previous_rate"], lang), *[_count(r[k], lang) for k in CHANGE_KINDS]]
            for r in report.articles.iter_rows(named=True)]
    return header, rows


def count_table(frame, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t(f"sessionrep.col.{k}", lang) for k in ("type", "mentions", "parties")]
    rows = [[r["type_label"], _count(r["mentions"], lang), _count(r["parties"], lang)] for r in frame.iter_rows(named=True)]
    return header, rows


def ta_table(report: Thematic, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t(f"sessionrep.col.{k}", lang) for k in ("type", "region", *TA_MEASURES)]
    rows = [[r["type_label"], r["region_name"], *[_count(r[k], lang) for k in TA_MEASURES]]
            for r in report.ta_published.iter_rows(named=True)]
    return header, rows


def sections(report: Thematic, lang: str) -> list[tuple[str, str | None, tuple | None, list[tuple[str, str]]]]:
    """(heading, note, table (header, rows) or None, practices [(line, text)]) in document order."""
    practices = [(t("sessionrep.practice_line", lang, party=p.party_name, ref=p.ref), p.text) for p in report.practices]
    return [
        (t("sessionrep.h_rates", lang), t("sessionrep.rates_note", lang), article_table(report, lang), []),
        (t("sessionrep.h_challenges", lang), t("sessionrep.challenges_note", lang), count_table(report.challenges, lang), []),
        (t("sessionrep.h_practices", lang), t("sessionrep.practices_note", lang), None, practices),
        (t("sessionrep.h_ta_needs", lang), t("sessionrep.ta_needs_note", lang), count_table(report.ta_needs, lang), []),
        (t("sessionrep.h_ta_published", lang), t("sessionrep.ta_published_note", lang), ta_table(report, lang), []),
    ]


def _parts(reports: list[Thematic], lang: str) -> list[tuple[str | None, list]]:
    """(chapter heading or None for a single chapter, sections) per chapter."""
    if len(reports) == 1 and reports[0].region is None:
        return [(None, sections(reports[0], lang))]
    return [(t("sessionrep.chapter_heading", lang, chapter=r.chapter, title=r.chapter_title), sections(r, lang))
            for r in reports]


def regional_title(reports: list[Thematic], lang: str) -> str:
    return t("sessionrep.regional_report_title", lang, group=t(f"regions.{reports[0].region}", lang))


def _docx(doc_title: str, reports: list[Thematic], lang: str) -> bytes:
    from review.peer.documents import docx_writer

    document, heading, para, grid = docx_writer(lang)
    document.core_properties.title = doc_title
    document.core_properties.language = lang
    heading(doc_title, 0)
    for line in head_lines(reports[0], lang):
        para(line)
    for chapter_heading, parts in _parts(reports, lang):
        level = 1
        if chapter_heading:
            heading(chapter_heading, 1)
            level = 2
        for head, note, tbl, practices in parts:
            heading(head, level)
            if note:
                para(note)
            if tbl is not None:
                grid(*tbl)
            if tbl is None and not practices:
                para(t("sessionrep.none", lang))
            for line, text in practices:
                heading(line, 3 if level == 1 else 4)
                para(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(doc_title: str, reports: list[Thematic], lang: str) -> bytes:
    from review.pdf import FAMILY, new_document, paragraph, table

    pdf = new_document(doc_title, lang)
    pdf.set_font(FAMILY, "B", 15)
    paragraph(pdf, 8, doc_title, lang)
    pdf.set_font(FAMILY, "", 9)
    for line in head_lines(reports[0], lang):
        paragraph(pdf, 5, line, lang)
    width = {9: (40, 16, 16, 16, 16, 17, 17, 17, 17), 3: (110, 35, 35), 7: (40, 40, 20, 20, 20, 20, 20)}
    for chapter_heading, parts in _parts(reports, lang):
        if chapter_heading:
            pdf.ln(4)
            pdf.set_font(FAMILY, "B", 14)
            paragraph(pdf, 8, chapter_heading, lang)
        for head, note, tbl, practices in parts:
            pdf.ln(3)
            pdf.set_font(FAMILY, "B", 12)
            paragraph(pdf, 7, head, lang)
            pdf.set_font(FAMILY, "", 9)
            if note:
                paragraph(pdf, 4.5, note, lang)
            if tbl is not None:
                header, rows = tbl
                cols = len(header)
                table(pdf, header, rows, width.get(cols, tuple([int(180 / cols)] * cols)), lang, t("sessionrep.none", lang))
            if tbl is None and not practices:
                paragraph(pdf, 5, t("sessionrep.none", lang), lang)
            for line, text in practices:
                pdf.set_font(FAMILY, "B", 9)
                paragraph(pdf, 5, line, lang)
                pdf.set_font(FAMILY, "", 9)
                paragraph(pdf, 4.5, text, lang)
    return bytes(pdf.output())


def thematic_docx(report: Thematic, lang: str) -> bytes:
    """The thematic report of one chapter as a Word document."""
    return _docx(title(report, lang), [report], lang)


def thematic_pdf(report: Thematic, lang: str) -> bytes:
    """The thematic report of one chapter as a PDF."""
    return _pdf(title(report, lang), [report], lang)


def regional_docx(reports: list[Thematic], lang: str) -> bytes:
    """The regional report (one `Thematic` per chapter, all for one regional group) as a Word document."""
    return _docx(regional_title(reports, lang), reports, lang)


def regional_pdf(reports: list[Thematic], lang: str) -> bytes:
    return _pdf(regional_title(reports, lang), reports, lang)


def render_thematic(report: Thematic, fmt: str, lang: str) -> bytes:
    return thematic_docx(report, lang) if fmt == "docx" else thematic_pdf(report, lang)


def render_regional(reports: list[Thematic], fmt: str, lang: str) -> bytes:
    return regional_docx(reports, lang) if fmt == "docx" else regional_pdf(reports, lang)
