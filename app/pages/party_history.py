"""History: every answer change saved, online or from a workbook (who, when, before and after, from
the audit log); every frozen revision of the Party's answers (who, when, why), and what changed
between any two of them or since the last one; all shown as labels."""

import polars as pl
import streamlit as st

from app.context import guarded, lang, moment_text, store, tr
from app.workspace import open_workspace, state_line
from app.tables import show_table
from review import submissions, workspace

CURRENT = 0  # stands for the working answers in the comparison pickers

st.title(tr("party.history_title"))
with guarded():
    ws = open_workspace("history")
    s, q = store(), ws.questionnaire
    st.caption(state_line(ws))

    st.subheader(tr("ux.history.saved_changes"))
    saved = workspace.saved_changes(s, ws.actor, ws.cycle.id, ws.party, lang())
    if not saved:
        st.caption(tr("ux.history.none_saved"))
    else:
        st.caption(tr("ux.history.saved_changes_intro", count=len(saved)))
        columns = [tr(k) for k in ("party.when", "party.by", "ux.history.how", "party.provision", "party.question",
                                   "party.before", "party.after")]
        show_table(pl.DataFrame(
            [(moment_text(c.when), c.who, c.how, c.provision, c.question, c.before, c.after) for c in saved],
            schema={name: pl.String for name in columns}, orient="row",
        ), hide_index=True, key="history_saved")

    st.subheader(tr("ux.history.revisions"))
    found = submissions.revisions(s, ws.actor, ws.cycle.id, ws.party)
    if not found:
        st.info(tr("party.no_revisions"))
        st.stop()
    names = workspace.user_names(s, [r.created_by for r in found])
    number, kind, who, when, note = (tr("party.revision"), tr("party.kind"), tr("party.by"), tr("party.when"), tr("party.note"))
    show_table(pl.DataFrame(
        [(r.number, tr(f"party.kind_{r.kind}"), names[r.created_by], moment_text(r.created_at), r.note or "") for r in found],
        schema={number: pl.Int64, kind: pl.String, who: pl.String, when: pl.String, note: pl.String}, orient="row",
    ), hide_index=True)

    st.subheader(tr("party.compare"))
    options = [r.number for r in found] + [CURRENT]

    def option_label(n: int) -> str:
        return tr("party.current_answers") if n == CURRENT else tr("party.revision_option", number=n)

    left, right = st.columns(2)
    older = left.selectbox(tr("party.compare_from"), options, index=max(0, len(options) - 2), format_func=option_label, key="ws_diff_from")
    newer = right.selectbox(tr("party.compare_to"), options, index=len(options) - 1, format_func=option_label, key="ws_diff_to")

    def answers_of(n: int):
        if n == CURRENT:
            return submissions.current_answers(s, ws.actor, ws.cycle.id, ws.party)
        return submissions.revision_answers(s, ws.actor, ws.cycle.id, ws.party, n)

    changes = workspace.labelled_diff(q, answers_of(older), answers_of(newer), lang())
    if not changes:
        st.caption(tr("party.no_differences"))
    else:
        provision, question, before, after = tr("party.provision"), tr("party.question"), tr("party.before"), tr("party.after")
        st.caption(tr("party.differences", count=len(changes)))
        show_table(pl.DataFrame(
            [(c.provision, c.question, c.before, c.after) for c in changes],
            schema={provision: pl.String, question: pl.String, before: pl.String, after: pl.String}, orient="row",
        ), hide_index=True)
