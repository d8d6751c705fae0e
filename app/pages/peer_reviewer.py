"""The reviewer's workspace: the reviews I am attached to, the reviewed Party's submission of that
cycle (unpublished answers included), and the desk review: a comment or a question per provision,
the Party's answers in the same thread."""

import streamlit as st

from app import peer_view
from app.answers import show_chapter
from app.context import actor, guarded, lang, refuse, store, tr
from review import reading, submissions
from review.access import allowed
from review.cycles import cycle_questionnaire, get_cycle
from review.peer import reviews

DONE = "peer_reviewer_done"

st.title(tr("peer.reviewer_title"))
who = actor()
with guarded():
    mine = [r for r in reviews.reviews_for(store(), who) if allowed(who, "peer.question", r.party, cycle=r.cycle_id)]
    if not mine and not allowed(who, "peer.progress"):
        refuse(who)
    peer_view.done_message(DONE)
    review = peer_view.choose(mine, "peer_reviewer_review")
    peer_view.header(review)
    peer_view.advance_button(who, review, DONE)

    cycle = get_cycle(store(), review.cycle_id)
    q = cycle_questionnaire(store(), cycle)
    answers = submissions.readable_answers(store(), who, review.cycle_id, review.party)
    threads = {t.provision_id: t for t in reviews.threads(store(), who, review.cycle_id, review.party)}
    waiting = sorted(p for p, t in threads.items() if t.awaiting_answer)
    st.caption(tr("peer.threads_count", count=len(threads), waiting=len(waiting)))
    if not review.desk_open:
        st.info(tr("peer.desk_not_open", stage=tr(f"peer.stage.{review.stage}")))

    def beside(provision) -> None:
        peer_view.show_thread(threads.get(provision.id))
        if not review.desk_open:
            return
        with st.form(f"ask_{review.id}_{provision.id}"):
            body = st.text_area(tr("peer.your_message", ref=provision.ref), key=f"ask_body_{provision.id}", height=80)
            kind = st.radio(tr("fields.message_kind"), reviews.MESSAGE_KINDS, horizontal=True, key=f"ask_kind_{provision.id}",
                            index=1, format_func=lambda k: tr(f"peer.kind.{k}"))
            sent = st.form_submit_button(tr("peer.send"), key=f"ask_send_{provision.id}")
        if sent:
            with guarded():
                reviews.ask(store(), who, review.cycle_id, review.party, provision.id, body, kind)
                st.session_state.pop(f"ask_body_{provision.id}", None)  # kept when refused, cleared once sent
                st.session_state[DONE] = ("peer.message_sent", {})
                st.rerun()

    chapter = st.selectbox(tr("peer.chapter"), cycle.chapters, key="peer_reviewer_chapter")
    sheet = reading.answer_sheet(q, [chapter], answers, lang())
    show_chapter(sheet[0], beside)
