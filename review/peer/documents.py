"""The country review report and its executive summary as Word (python-docx: UN documents are edited
in Word) and PDF (`review.pdf`: shaped Arabic, right to left; Chinese wrapped between characters).

Labels are in the document's language; the report's texts and items are printed as written, never
interpreted as markup. An Arabic Word document is marked right to left (paragraphs and runs).
"""

from __future__ import annotations

import io

from review.i18n import t
from review.pdf import FAMILY, is_rtl, new_document, paragraph, table
from review.peer.report import SECTIONS, Report, Summary
from review.printable import visible

FORMATS = ("docx", "pdf")


def _head_lines(report: Report, names: dict[str, str], lang: str) -> list[str]:
    reviewers = ", ".join(names.get(code, code) for code in report.reviewers) or t("report.summary.no_reviewers", lang)
    lines = [t("report.doc.cycle", lang, cycle=report.cycle_title),
             t("report.doc.reviewers", lang, reviewers=reviewers),
             t("report.doc.stage", lang, stage=t(f"report.stages.{report.stage}", lang))]
    if not report.published:
        lines.append(t("report.doc.draft_notice", lang))
    return lines


def _item_rows(items, lang: str) -> list[list[str]]:
    return [[i.provision, t(f"report.kinds.{i.kind}", lang), t(f"report.priorities.{i.priority}", lang), i.body]
            for i in items]


def _item_header(lang: str) -> list[str]:
    return [t(f"report.doc.{k}", lang) for k in ("provision", "kind", "priority", "text")]


# --- Word ---------------------------------------------------------------------------------------

def _rtl(paragraph_) -> None:
    """Mark a Word paragraph and its runs right to left (Word then lays Arabic out from the right)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    p_pr = paragraph_._p.get_or_add_pPr()
    p_pr.append(OxmlElement("w:bidi"))
    paragraph_.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in paragraph_.runs:
        r_pr = run._r.get_or_add_rPr()
        r_pr.append(OxmlElement("w:rtl"))
        run.font.cs_bold = run.bold


def word_text(text: str) -> str:
    """The text as a Word run can hold it (`review.printable.visible`: nothing a Party typed disappears)."""
    return visible(text)


def docx_writer(lang: str):
    """A new Word document and its writers (heading, paragraph, table) laid out for `lang`, right to
    left in Arabic; shared by the review report and the session and submission documents."""
    from docx import Document

    document = Document()
    rtl = is_rtl(lang)

    def heading(text: str, level: int) -> None:
        p = document.add_heading(word_text(text), level=level)
        if rtl:
            _rtl(p)

    def para(text: str) -> None:
        # one Word paragraph per line typed: line breaks stay where the writer put them
        for line in word_text(text).split("\n"):
            p = document.add_paragraph(line)
            if rtl:
                _rtl(p)

    def grid(header: list[str], rows: list[list[str]]) -> None:
        if not rows:
            para(t("report.doc.none", lang))
            return
        order = slice(None, None, -1) if rtl else slice(None)
        tbl = document.add_table(rows=1, cols=len(header))
        tbl.style = "Table Grid"
        for cell, text in zip(tbl.rows[0].cells, header[order]):
            cell.text = word_text(text)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold = True
                if rtl:
                    _rtl(p)
        for row in rows:
            cells = tbl.add_row().cells
            for cell, text in zip(cells, list(row)[order]):
                cell.text = word_text(text)
                if rtl:
                    for p in cell.paragraphs:
                        _rtl(p)

    return document, heading, para, grid


def report_docx(report: Report, lang: str, names: dict[str, str]) -> bytes:
    """The full report as a Word document: heading lines, the introduction, per chapter and article the
    four texts and the items, and an annex of every recommendation."""
    document, heading, para, grid = docx_writer(lang)
    document.core_properties.title = visible(t("report.doc.title", lang, party=report.party_name))
    document.core_properties.language = lang
    heading(t("report.doc.title", lang, party=report.party_name), 0)
    for line in _head_lines(report, names, lang):
        para(line)
    heading(t("report.sections.introduction", lang), 1)
    para(report.introduction)
    for chapter in report.chapters:
        heading(t("report.doc.chapter", lang, number=chapter.number, title=chapter.title), 1)
        for article in chapter.articles:
            heading(t("report.doc.article", lang, number=article.number, title=article.title), 2)
            for section in SECTIONS:
                body = article.texts.get(section, "")
                if body:
                    heading(t(f"report.sections.{section}", lang), 3)
                    para(body)
            if article.items:
                heading(t("report.doc.items", lang), 3)
                grid(_item_header(lang), _item_rows(article.items, lang))
    heading(t("report.doc.all_recommendations", lang), 1)
    grid(_item_header(lang), _item_rows(report.recommendations, lang))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def summary_docx(report: Report, summary: Summary, lang: str, names: dict[str, str]) -> bytes:
    """The executive summary in `lang` as a Word document."""
    document, heading, para, _ = docx_writer(lang)
    document.core_properties.title = visible(t("report.doc.summary_title", lang, party=report.party_name))
    document.core_properties.language = lang
    heading(t("report.doc.summary_title", lang, party=report.party_name), 0)
    for line in _head_lines(report, names, lang):
        para(line)
    para(summary.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------

def _pdf_heading(pdf, text: str, lang: str, size: int) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", size)
    paragraph(pdf, size * 0.55, text, lang)
    pdf.set_font(FAMILY, "", 9)


def report_pdf(report: Report, lang: str, names: dict[str, str]) -> bytes:
    """The full report as a PDF, laid out as the Word document."""
    pdf = new_document(t("report.doc.title", lang, party=report.party_name), lang)
    _pdf_heading(pdf, t("report.doc.title", lang, party=report.party_name), lang, 16)
    for line in _head_lines(report, names, lang):
        paragraph(pdf, 5, line, lang)
    _pdf_heading(pdf, t("report.sections.introduction", lang), lang, 13)
    paragraph(pdf, 5, report.introduction, lang)
    for chapter in report.chapters:
        _pdf_heading(pdf, t("report.doc.chapter", lang, number=chapter.number, title=chapter.title), lang, 13)
        for article in chapter.articles:
            _pdf_heading(pdf, t("report.doc.article", lang, number=article.number, title=article.title), lang, 11)
            for section in SECTIONS:
                body = article.texts.get(section, "")
                if body:
                    _pdf_heading(pdf, t(f"report.sections.{section}", lang), lang, 10)
                    paragraph(pdf, 4.5, body, lang)
            if article.items:
                _pdf_heading(pdf, t("report.doc.items", lang), lang, 10)
                table(pdf, _item_header(lang), _item_rows(article.items, lang), (30, 28, 22, 100), lang,
                      t("report.doc.none", lang))
    _pdf_heading(pdf, t("report.doc.all_recommendations", lang), lang, 13)
    table(pdf, _item_header(lang), _item_rows(report.recommendations, lang), (30, 28, 22, 100), lang,
          t("report.doc.none", lang))
    return bytes(pdf.output())


def summary_pdf(report: Report, summary: Summary, lang: str, names: dict[str, str]) -> bytes:
    """The executive summary in `lang` as a PDF."""
    pdf = new_document(t("report.doc.summary_title", lang, party=report.party_name), lang)
    _pdf_heading(pdf, t("report.doc.summary_title", lang, party=report.party_name), lang, 16)
    for line in _head_lines(report, names, lang):
        paragraph(pdf, 5, line, lang)
    pdf.ln(2)
    paragraph(pdf, 5, summary.text, lang)
    return bytes(pdf.output())


def render(store, actor, cycle_id: str, party: str, fmt: str, lang: str, what: str = "report") -> bytes:
    """The report (or the executive summary, `what="summary"`) of `party`'s review in `cycle_id` as
    `fmt` ('docx' or 'pdf') in `lang`, as this actor may read it (the policy decides, in
    `review.peer.report`: unpublished reports are refused to the public)."""
    from review.errors import ReviewError
    from review.i18n import normalize
    from review.parties import all_parties
    from review.peer.report import get_report, get_summary, report_header

    if fmt not in FORMATS:
        raise ReviewError("report.errors.bad_format", value=fmt)
    lang = normalize(lang)
    names = {code: p.name(lang) for code, p in all_parties(store).items()}
    if what == "summary":
        summary = get_summary(store, actor, cycle_id, party, lang)
        head = report_header(store, actor, cycle_id, party, lang)
        return (summary_docx if fmt == "docx" else summary_pdf)(head, summary, lang, names)
    report = get_report(store, actor, cycle_id, party, lang)
    return (report_docx if fmt == "docx" else report_pdf)(report, lang, names)
