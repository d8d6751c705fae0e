"""My cycle: where the Party's submission stands, how complete each chapter is, and what the
secretariat asked to clarify."""

import polars as pl
import streamlit as st

from app.context import date_text, guarded, lang, number_text, percent_text, store, text, tr
from app.session_reports import submission_downloads
from app.text import as_markdown_text
from app.workspace import chapter_title, open_workspace, state_line
from app.tables import show_table
from review import drafts, submissions, workspace

st.title(tr("party.cycle_title"))
with guarded():
    ws = open_workspace("cycle")
    s, sub, cycle = store(), ws.submission, ws.cycle
    st.caption(state_line(ws))
    done = submissions.submission_completeness(s, ws.actor, cycle.id, ws.party)
    left = workspace.days_left(cycle)
    # tiles as wide as their text, wrapping to a new line rather than cutting "Returned for clarification" off
    tiles = st.container(horizontal=True, gap="large")
    tiles.metric(tr("party.state"), tr(f"states.{sub.state}"), width="content")
    tiles.metric(tr("party.deadline"), date_text(cycle.deadline),
                 tr("party.days_left", days=left) if left >= 0 else tr("party.days_late", days=-left),
                 delta_color="off" if left >= 0 else "inverse", width="content")
    tiles.metric(tr("party.completeness"), percent_text(done.ratio),
                 tr("party.answered_of", answered=number_text(done.answered), required=number_text(done.required)),
                 delta_color="off", width="content")
    if sub.state in ("submitted", "validated", "published"):
        tiles.metric(tr("party.consent"), tr("party.consent_yes" if sub.consent_publication else "party.consent_no"),
                     width="content")
    if ws.can.edit:
        unsaved = drafts.load_draft(s, ws.actor, cycle.id, ws.party)
        if unsaved:
            st.warning(tr("party.unsaved_drafts", count=len(unsaved)), icon=":material/edit_note:")
    if sub.state == "returned":
        st.warning(tr("party.returned_explained"), icon=":material/undo:")
    submission_downloads(ws.actor, cycle.id, ws.party, lang(), "cycle_document")

    st.subheader(tr("party.by_chapter"))
    chapter, answered, required, share = tr("party.chapter"), tr("party.answered"), tr("party.required"), tr("party.completeness")
    rows = [(chapter_title(ws, number), a, r, (a / r) if r else 1.0) for number, (a, r) in done.chapters.items()]
    table = pl.DataFrame(rows, schema={chapter: pl.String, answered: pl.Int64, required: pl.Int64, share: pl.Float64}, orient="row")
    show_table(table, hide_index=True, column_config={share: st.column_config.ProgressColumn(share, format="percent", min_value=0, max_value=1)})

    st.subheader(tr("party.clarifications"))
    notes = submissions.comments(s, ws.actor, cycle.id, ws.party)
    if not notes:
        st.caption(tr("party.no_clarifications"))
    q = ws.questionnaire
    for note in notes:
        provision = q.provision(note.provision_id) if note.provision_id else None
        where = text(provision.ref) if provision else tr("party.general_comment")
        st.info(f"**{where}** ({date_text(note.created_at)}): {as_markdown_text(note.body)}", icon=":material/help:")
    st.page_link("app/pages/party_questionnaire.py", label=tr("party.go_questionnaire"), icon=":material/edit:")
