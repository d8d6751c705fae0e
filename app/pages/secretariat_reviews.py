"""Peer reviews, for the secretariat: every review against its calendar (late first), the workload
of each reviewing Party, and one review's management: planned dates, experts attached, the
constructive dialogue, and completing the stages that are the secretariat's."""

import datetime as dt

import streamlit as st

from app import peer_view
from app.context import guarded, lang, refuse_unless, store, tr, tr_plain
from app.dates import date_input
from app.dashboard import cycle_picker
from app.figures import downloads
from app.tables import show_table
from review.peer import STAGES, reviews

DONE = "secretariat_reviews_done"

st.title(tr("peer.secretariat_title"))
who = refuse_unless("peer.progress")
with guarded():
    peer_view.done_message(DONE)
    cycle = cycle_picker("peer_progress_cycle")
    progress = reviews.progress_table(store(), who, cycle.id, lang())
    st.subheader(tr("peer.progress_title"))
    st.caption(tr("peer.progress_caption"))
    show_table(progress, hide_index=True)
    downloads(progress, f"review-progress-{cycle.id}", "peer_progress")
    st.subheader(tr("peer.workload_title"))
    workload = reviews.workload_table(store(), who, cycle.id, lang())
    show_table(workload, hide_index=True)
    downloads(workload, f"review-workload-{cycle.id}", "peer_workload")

    st.divider()
    st.subheader(tr("peer.manage_title"))
    review = peer_view.choose(reviews.reviews_for(store(), who, cycle.id), "peer_manage_review")
    peer_view.header(review)
    peer_view.advance_button(who, review, DONE)

    with st.form(f"plan_{review.id}"):
        st.markdown(tr("peer.plan_title"))
        planned = {s.stage: s.planned for s in review.stages}
        chosen = {}
        columns = st.columns(4)
        for i, stage in enumerate(STAGES[1:]):
            chosen[stage] = date_input(tr(f"peer.stage.{stage}"), planned[stage], key=f"plan_{review.id}_{stage}",
                                        container=columns[i % 4])
        if st.form_submit_button(tr("peer.save_plan"), key=f"plan_save_{review.id}"):
            with guarded():
                reviews.plan(store(), who, review.cycle_id, review.party, chosen)
                st.session_state[DONE] = ("peer.plan_saved", {})
                st.rerun()

    st.markdown(tr("peer.experts_title"))
    for expert in review.experts:
        left, right = st.columns([4, 1])
        left.text(f"{expert.name} <{expert.email}> · {expert.reviewing_party}")
        if right.button(tr("peer.remove_expert"), key=f"remove_{review.id}_{expert.user_id}", icon=":material/person_remove:"):
            reviews.remove_expert(store(), who, review.cycle_id, review.party, expert.user_id)
            st.session_state[DONE] = ("peer.expert_removed", {})
            st.rerun()
    candidates = {e.user_id: e for e in reviews.candidate_experts(store(), who, review.cycle_id, review.party)}
    if candidates:
        left, right = st.columns([4, 1])
        pick = left.selectbox(tr("peer.add_expert"), list(candidates), key=f"expert_pick_{review.id}",
                              format_func=lambda i: tr_plain("peer.expert_option", name=candidates[i].name,
                                                             email=candidates[i].email, party=candidates[i].reviewing_party))
        if right.button(tr("peer.attach_expert"), key=f"attach_{review.id}", icon=":material/person_add:"):
            reviews.assign_expert(store(), who, review.cycle_id, review.party, pick)
            st.session_state[DONE] = ("peer.expert_attached", {})
            st.rerun()
    else:
        st.caption(tr("peer.no_candidates"))

    st.markdown(tr("peer.dialogue_title"))
    held = reviews.dialogue(store(), who, review.cycle_id, review.party)
    with st.form(f"dialogue_{review.id}"):
        left, mid, right = st.columns(3)
        kind = left.selectbox(tr("fields.dialogue_kind"), reviews.DIALOGUE_KINDS, format_func=lambda k: tr_plain(f"peer.kind.{k}"),
                              index=reviews.DIALOGUE_KINDS.index(held.kind) if held else 0, key=f"dlg_kind_{review.id}")
        starts = date_input(tr("fields.starts"), held.starts if held else dt.date.today(), key=f"dlg_starts_{review.id}",
                            container=mid)
        ends = date_input(tr("fields.ends"), held.ends if held else dt.date.today(), key=f"dlg_ends_{review.id}",
                          container=right)
        place = st.text_input(tr("fields.place"), value=held.place if held else "", key=f"dlg_place_{review.id}")
        participants = st.text_area(tr("fields.participants"), value=held.participants if held else "",
                                    key=f"dlg_participants_{review.id}", height=80)
        notes = st.text_area(tr("fields.notes"), value=held.notes if held else "", key=f"dlg_notes_{review.id}")
        if st.form_submit_button(tr("peer.save_dialogue"), key=f"dlg_save_{review.id}"):
            with guarded():
                reviews.record_dialogue(store(), who, review.cycle_id, review.party, kind=kind, starts=starts, ends=ends,
                                        place=place, participants=participants, notes=notes)
                st.session_state[DONE] = ("peer.dialogue_saved", {})
                st.rerun()
