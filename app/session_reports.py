"""Downloads of the documents for a session of the Conference and of a Party's full submission.

The library builds them (`review.reports`) and decides who gets what: the thematic and regional reports
count the answers the viewer may see (the library's viewer scope), the full submission is for the
Party's own users and the secretariat (action `submission.document`, checked again by the library).
Each document is built only when its button is clicked."""

from __future__ import annotations

import streamlit as st

from app.context import store, tr
from review.access import Actor, allowed
from review.analysis.scope import REGIONS

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf",
        "csv": "text/csv"}
ICON = {"docx": ":material/description:", "pdf": ":material/picture_as_pdf:", "csv": ":material/table:"}
FORMATS = ("docx", "pdf")


def _reports(source, who: Actor, cycle_id: str, kind: str, choice: str, language: str):
    from review.reports.thematic import regional, thematic

    if kind == "thematic":
        return [thematic(source, who, cycle_id, choice, lang=language)]
    return regional(source, who, cycle_id, choice, lang=language)


def _document(source, who: Actor, cycle_id: str, kind: str, choice: str, fmt: str, language: str) -> bytes:
    from review.reports import session_documents as docs

    reports = _reports(source, who, cycle_id, kind, choice, language)
    name = docs.answers_name(docs.document_name(reports, fmt, language))
    if kind == "thematic":
        return docs.render_thematic(reports[0], fmt, language, name)
    return docs.render_regional(reports, fmt, language, name)


def _answers(source, who: Actor, cycle_id: str, kind: str, choice: str, language: str) -> bytes:
    from review.reports.session_documents import answers_csv

    return answers_csv(_reports(source, who, cycle_id, kind, choice, language))


def conference_reports(who: Actor, cycle, language: str, key: str) -> None:
    """The thematic report of a chapter and the regional report of a group, Word and PDF, with the
    answers behind their figures (CSV, the file the documents' notes name)."""
    source = store()
    st.subheader(tr("sess2.reports_title"))
    st.caption(tr("sess2.reports_help"))
    cols = st.columns(2)
    chapter = cols[0].selectbox(tr("sess2.report_chapter"), list(cycle.chapters), key=f"{key}_chapter")
    group = cols[1].selectbox(tr("sess2.report_group"), REGIONS, format_func=lambda g: tr(f"regions.{g}"), key=f"{key}_group")
    for kind, choice, label in (("thematic", chapter, {"chapter": chapter}), ("regional", group, {"group": tr(f"regions.{group}")})):
        # the names the CLI gives (review.reports.session_documents.document_name)
        stem = f"{kind}-{cycle.id}-{choice}-{language}"
        row = st.container(horizontal=True)
        for fmt in FORMATS:
            row.download_button(tr(f"sess2.{kind}_{fmt}", **label),
                                data=lambda kind=kind, choice=choice, fmt=fmt: _document(source, who, cycle.id, kind, choice, fmt, language),
                                file_name=f"{stem}.{fmt}", mime=MIME[fmt], key=f"{key}_{kind}_{fmt}", on_click="ignore",
                                icon=ICON[fmt])
        row.download_button(tr(f"sess2.{kind}_answers"),
                            data=lambda kind=kind, choice=choice: _answers(source, who, cycle.id, kind, choice, language),
                            file_name=f"{stem}-answers.csv", mime=MIME["csv"], key=f"{key}_{kind}_csv", on_click="ignore",
                            icon=ICON["csv"])


def submission_downloads(who: Actor, cycle_id: str, party: str, language: str, key: str) -> None:
    """A Party's full submission in the cycle as Word and PDF, for whom the policy lets have it."""
    if not allowed(who, "submission.document", party):
        return
    from review.reports.submission_document import render_submission

    source = store()
    row = st.container(horizontal=True)
    for fmt in FORMATS:
        row.download_button(tr(f"sess2.submission_{fmt}"),
                            data=lambda fmt=fmt: render_submission(source, who, cycle_id, party, fmt, language),
                            file_name=f"submission-{party}-{cycle_id}-{language}.{fmt}", mime=MIME[fmt],
                            key=f"{key}_{fmt}", on_click="ignore", icon=ICON[fmt])
