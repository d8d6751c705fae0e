"""The session reports as Word (python-docx) and PDF (`review.pdf`), in any of the six languages.

The content is computed by `review.reports.thematic`; this module lays it out only. Labels come
from the translation layer (`sessionrep.*`), figures through `review.formats`, and the Parties'
examples are printed as they wrote them (plain text, never markup). Arabic documents run right to
left (the Word helpers of `review.peer.documents`, the PDF helpers of `review.pdf`).

The charts are the dashboards' own (`review.charts.rates_figure` and `needs_figure`, the
implementation and needs dashboards' figures), built from the report's frames and rendered offline
to PNG by vl-convert: the same specification draws the page and the document.
"""

from __future__ import annotations

import io

import polars as pl

from review.formats import number, percent
from review.i18n import t
from review.reports.thematic import CHANGE_KINDS, Thematic
from review.printable import visible

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


def figures(reports: list[Thematic], lang: str) -> dict[str, object]:
    """The charts ("rates", "challenges", "ta_needs") of a thematic report (one chapter: per article
    and per regional group) or of a regional report (several chapters: per chapter, the group's), by
    the dashboards' figure builders applied to the reports' frames. A figure without data has none."""
    from review import charts

    drawn = {}
    if len(reports) == 1 and reports[0].region is None:
        rates, unit, by = reports[0].articles, "article", "region"
    else:
        rates, unit, by = pl.concat([r.chapter_rates for r in reports], how="diagonal_relaxed"), "chapter", "chapter"
    if not rates.is_empty():
        drawn["rates"] = charts.rates_figure(rates, unit, lang)[0]
    for name, attribute in (("challenges", "challenge_cells"), ("ta_needs", "ta_need_cells")):
        cells = pl.concat([getattr(r, attribute) for r in reports], how="diagonal_relaxed")
        if not cells.is_empty():
            drawn[name] = charts.needs_figure(cells, by, lang, column_order=[r.chapter for r in reports])[0]
    return drawn


def picture(chart, lang: str) -> bytes:
    """The chart as the dashboards' PNG download renders it (numbers written as `lang` writes them)."""
    from review import charts

    return charts.png(charts.localized(chart, lang))


def sections(report: Thematic, lang: str, drawn: dict[str, bytes] | None = None, answers_file: str = "answers.csv"
             ) -> list[tuple[str, str | None, tuple | None, list[tuple[str, str]], bytes | None]]:
    """(heading, note, table (header, rows) or None, practices [(line, text)], chart PNG or None) in
    document order; `drawn`: the chart PNGs by section name. Each figure's note ends with its source:
    the query (cycle, provisions, scope) and how many answers of how many Parties it counts, all
    listed in the open-data file `answers_file` (`answers_behind`)."""
    practices = [(t("sessionrep.practice_line", lang, party=p.party_name, ref=p.ref), p.text) for p in report.practices]
    drawn = drawn or {}

    def noted(key: str, figure: str) -> str:
        return f"{t(key, lang)}\n{source(report, figure, lang, answers_file)}"

    return [
        (t("sessionrep.h_rates", lang), noted("sessionrep.rates_note", "rates"), article_table(report, lang), [],
         drawn.get("rates")),
        (t("sessionrep.h_challenges", lang), noted("sessionrep.challenges_note", "challenges"),
         count_table(report.challenges, lang), [], drawn.get("challenges")),
        (t("sessionrep.h_practices", lang), t("sessionrep.practices_note", lang), None, practices, None),
        (t("sessionrep.h_ta_needs", lang), noted("sessionrep.ta_needs_note", "ta_needs"), count_table(report.ta_needs, lang), [],
         drawn.get("ta_needs")),
        (t("sessionrep.h_ta_published", lang), t("sessionrep.ta_published_note", lang), ta_table(report, lang), [], None),
    ]


ANSWER_COLUMNS = {
    "figure": pl.String, "cycle_id": pl.String, "chapter": pl.String, "article": pl.Int64, "ref": pl.String,
    "party": pl.String, "party_name": pl.String, "region_name": pl.String, "status": pl.String, "status_label": pl.String,
    "score": pl.Float64, "counted": pl.String, "type": pl.String, "type_label": pl.String, "priority_label": pl.String,
    "description": pl.String,
}


def answers_behind(reports: list[Thematic]) -> pl.DataFrame:
    """The open-data file of a report: every answer behind its figures, one row per answer and figure
    (`ANSWER_COLUMNS`, a stable schema). figure "rates": each Party x provision of the chapter with its
    status, score and how it counts (`counted`: scored, unknown, not_applicable, by_choice), from which
    the rates table is recomputed; "challenges" and "ta_needs": each mention counted, with its type."""
    frames = []
    for r in reports:
        rates = r.answers.with_columns(pl.lit("rates").alias("figure"), pl.lit(r.cycle_id).alias("cycle_id"))
        frames += [rates, r.mentions.with_columns(pl.lit(r.cycle_id).alias("cycle_id"))]
    rows = pl.concat([f.select([c for c in ANSWER_COLUMNS if c in f.columns]) for f in frames], how="diagonal_relaxed")
    rows = rows.with_columns([pl.lit(None).alias(c) for c in ANSWER_COLUMNS if c not in rows.columns])
    return rows.select([pl.col(c).cast(kind) for c, kind in ANSWER_COLUMNS.items()])


def source(report: Thematic, figure: str, lang: str, answers_file: str) -> str:
    """Where a figure comes from, in words: cycle, provisions, answers and Parties counted, the file."""
    provisions = ", ".join(report.answers["ref"].unique(maintain_order=True).to_list()) or "-"
    if figure == "rates":
        rows = report.answers
        counted = rows.filter(pl.col("counted") == "scored")
        return t("sess2.source_rates", lang, cycle=report.cycle_id, provisions=provisions, answers=number(rows.height, lang),
                 parties=number(rows["party"].n_unique(), lang), counted=number(counted.height, lang),
                 responding=number(counted["party"].n_unique(), lang), file=answers_file)
    rows = report.mentions.filter(pl.col("figure") == figure)
    return t("sess2.source_mentions", lang, cycle=report.cycle_id, provisions=provisions, mentions=number(rows.height, lang),
             parties=number(rows["party"].n_unique(), lang), file=answers_file, figure=figure)


def overview_source(reports: list[Thematic], figure: str, lang: str, answers_file: str) -> str:
    """The source of a regional report's chart across chapters."""
    rows = answers_behind(reports).filter(pl.col("figure") == figure)
    counted = rows.filter(pl.col("counted") == "scored") if figure == "rates" else rows
    return t("sess2.source_overview", lang, cycle=reports[0].cycle_id, chapters=", ".join(r.chapter for r in reports),
             answers=number(counted.height, lang), parties=number(counted["party"].n_unique(), lang), file=answers_file,
             figure=figure)


def document_name(reports: list[Thematic], fmt: str, lang: str) -> str:
    """The document's default file name (the CLI's and the app's download)."""
    first = reports[0]
    if len(reports) == 1 and first.region is None:
        return f"thematic-{first.cycle_id}-{first.chapter}-{lang}.{fmt}"
    if len(reports) == 1:
        return f"thematic-{first.cycle_id}-{first.region}-{first.chapter}-{lang}.{fmt}"
    return f"regional-{first.cycle_id}-{first.region}-{lang}.{fmt}"


def answers_name(document: str) -> str:
    """The open-data file beside a document: its name with "-answers.csv"."""
    stem = document.rsplit(".", 1)[0]
    return f"{stem}-answers.csv"


def answers_csv(reports: list[Thematic]) -> bytes:
    """`answers_behind` as CSV, through the safe writer (formula-escaped, UTF-8 with BOM)."""
    from review.export import to_bytes

    return to_bytes(answers_behind(reports), "csv", "answers")


def _size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (its IHDR chunk)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _parts(reports: list[Thematic], lang: str, answers_file: str) -> list[tuple[str | None, list]]:
    """(chapter heading or None, sections) in document order: a thematic report's one chapter with its
    charts; a regional report's charts across its chapters first, then each chapter's tables."""
    drawn = {name: picture(chart, lang) for name, chart in figures(reports, lang).items()}
    if len(reports) == 1 and reports[0].region is None:
        return [(None, sections(reports[0], lang, drawn, answers_file))]
    heads = {"rates": "sess2.h_rates_chapter", "challenges": "sessionrep.h_challenges", "ta_needs": "sessionrep.h_ta_needs"}
    overview = [(t(heads[name], lang),
                 f"{t(f'sess2.regional_{name}_note', lang)}\n{overview_source(reports, name, lang, answers_file)}", None, [], png)
                for name, png in drawn.items()]
    return [(None, overview)] + [(t("sessionrep.chapter_heading", lang, chapter=r.chapter, title=r.chapter_title),
                                  sections(r, lang, answers_file=answers_file)) for r in reports]


def regional_title(reports: list[Thematic], lang: str) -> str:
    return t("sessionrep.regional_report_title", lang, group=t(f"regions.{reports[0].region}", lang))


def _docx(doc_title: str, reports: list[Thematic], lang: str, answers_file: str) -> bytes:
    from review.peer.documents import docx_writer

    from docx.shared import Inches

    document, heading, para, grid = docx_writer(lang)
    document.core_properties.title = visible(doc_title)
    document.core_properties.language = lang
    heading(doc_title, 0)
    for line in head_lines(reports[0], lang):
        para(line)
    for chapter_heading, parts in _parts(reports, lang, answers_file):
        level = 1
        if chapter_heading:
            heading(chapter_heading, 1)
            level = 2
        for head, note, tbl, practices, png in parts:
            heading(head, level)
            if note:
                para(note)
            if png is not None:
                px, _ = _size(png)
                document.add_picture(io.BytesIO(png), width=Inches(min(6.3, px / 2 / 96)))  # drawn at scale 2
            if tbl is not None:
                grid(*tbl)
            if tbl is None and not practices and png is None:
                para(t("sessionrep.none", lang))
            for line, text in practices:
                heading(line, 3 if level == 1 else 4)
                para(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(doc_title: str, reports: list[Thematic], lang: str, answers_file: str) -> bytes:
    from review.pdf import FAMILY, is_rtl, new_document, paragraph, table

    pdf = new_document(doc_title, lang)
    pdf.set_font(FAMILY, "B", 15)
    paragraph(pdf, 8, doc_title, lang)
    pdf.set_font(FAMILY, "", 9)
    for line in head_lines(reports[0], lang):
        paragraph(pdf, 5, line, lang)
    width = {9: (40, 16, 16, 16, 16, 17, 17, 17, 17), 3: (110, 35, 35), 7: (40, 40, 20, 20, 20, 20, 20)}
    for chapter_heading, parts in _parts(reports, lang, answers_file):
        if chapter_heading:
            pdf.ln(4)
            pdf.set_font(FAMILY, "B", 14)
            paragraph(pdf, 8, chapter_heading, lang)
        for head, note, tbl, practices, png in parts:
            pdf.ln(3)
            pdf.set_font(FAMILY, "B", 12)
            paragraph(pdf, 7, head, lang)
            pdf.set_font(FAMILY, "", 9)
            if note:
                paragraph(pdf, 4.5, note, lang)
            if png is not None:
                px, _ = _size(png)
                # 96 px to the inch at scale 2, at most the text's width; Arabic pages put it on the right
                mm = min(pdf.epw, px / 2 / 96 * 25.4)
                pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - mm if is_rtl(lang) else 0), w=mm)
                pdf.ln(2)
            if tbl is not None:
                header, rows = tbl
                cols = len(header)
                table(pdf, header, rows, width.get(cols, tuple([int(180 / cols)] * cols)), lang, t("sessionrep.none", lang))
            if tbl is None and not practices and png is None:
                paragraph(pdf, 5, t("sessionrep.none", lang), lang)
            for line, text in practices:
                pdf.set_font(FAMILY, "B", 9)
                paragraph(pdf, 5, line, lang)
                pdf.set_font(FAMILY, "", 9)
                paragraph(pdf, 4.5, text, lang)
    return bytes(pdf.output())


def _answers(reports: list[Thematic], fmt: str, lang: str, answers_file: str | None) -> str:
    return answers_file or answers_name(document_name(reports, fmt, lang))


def thematic_docx(report: Thematic, lang: str, answers_file: str | None = None) -> bytes:
    """The thematic report of one chapter as a Word document; its notes name `answers_file`, the
    open-data file of the answers behind it (default: beside the document's default name)."""
    return _docx(title(report, lang), [report], lang, _answers([report], "docx", lang, answers_file))


def thematic_pdf(report: Thematic, lang: str, answers_file: str | None = None) -> bytes:
    """The thematic report of one chapter as a PDF."""
    return _pdf(title(report, lang), [report], lang, _answers([report], "pdf", lang, answers_file))


def regional_docx(reports: list[Thematic], lang: str, answers_file: str | None = None) -> bytes:
    """The regional report (one `Thematic` per chapter, all for one regional group) as a Word document."""
    return _docx(regional_title(reports, lang), reports, lang, _answers(reports, "docx", lang, answers_file))


def regional_pdf(reports: list[Thematic], lang: str, answers_file: str | None = None) -> bytes:
    return _pdf(regional_title(reports, lang), reports, lang, _answers(reports, "pdf", lang, answers_file))


def render_thematic(report: Thematic, fmt: str, lang: str, answers_file: str | None = None) -> bytes:
    return (thematic_docx if fmt == "docx" else thematic_pdf)(report, lang, answers_file)


def render_regional(reports: list[Thematic], fmt: str, lang: str, answers_file: str | None = None) -> bytes:
    return (regional_docx if fmt == "docx" else regional_pdf)(reports, lang, answers_file)
