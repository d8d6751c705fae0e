"""The reviewed Party's view of its peer review: who reviews it, the stages and their dates, the
reviewers' questions to answer (those waiting first) and, for the focal point, the agreement to
the draft report when that stage is under way."""

import streamlit as st

from app import peer_view
from app.context import actor, guarded, refuse, store, text, tr
from review.access import PARTY_ROLES, allowed
from review.cycles import cycle_questionnaire, get_cycle
from review.peer import reviews

DONE = "party_review_done"

st.title(tr("peer.party_title"))
who = actor()
if who.role not in PARTY_ROLES:
    refuse(who)
with guarded():
    peer_view.done_message(DONE)
    review = peer_view.choose(reviews.reviews_for(store(), who), "party_review_review")
    peer_view.header(review)
    peer_view.advance_button(who, review, DONE)

    q = cycle_questionnaire(store(), get_cycle(store(), review.cycle_id))
    threads = reviews.threads(store(), who, review.cycle_id, review.party)
    threads.sort(key=lambda t: (not t.awaiting_answer, t.provision_id))
    may_answer = review.desk_open and allowed(who, "peer.answer", review.party, cycle=review.cycle_id)
    st.subheader(tr("peer.questions_title"))
    waiting = sum(t.awaiting_answer for t in threads)
    st.caption(tr("peer.questions_count", waiting=waiting, count=len(threads)))
    if not threads:
        st.info(tr("peer.no_questions"))
    for thread in threads:
        provision = q.provision(thread.provision_id)
        ref = text(provision.ref) if provision else thread.provision_id
        with st.expander(tr("peer.thread_title", ref=ref) + (" · " + tr("peer.awaiting") if thread.awaiting_answer else ""),
                         expanded=thread.awaiting_answer):
            if provision:
                st.caption(text(provision.text))
            peer_view.show_thread(thread)
            if not (may_answer and thread.awaiting_answer):
                continue
            key = f"answer_body_{thread.provision_id}"
            with st.form(f"answer_{review.id}_{thread.provision_id}"):
                body = st.text_area(tr("peer.your_answer"), key=key, height=100)
                sent = st.form_submit_button(tr("peer.send_answer"), key=f"answer_send_{thread.provision_id}")
            if sent:
                with guarded():
                    reviews.answer(store(), who, review.cycle_id, review.party, thread.provision_id, body)
                    st.session_state.pop(key, None)  # kept when refused, cleared once sent
                    st.session_state[DONE] = ("peer.answer_sent", {})
                    st.rerun()
