"""What the peer review pages share: choosing a review, its stages, its desk review threads shown
as text, and the button that completes the stage under way for whom the policy lets act."""

from __future__ import annotations

import streamlit as st

from app.context import lang, moment_text, store, tr, tr_plain
from app.text import as_markdown_text
from app.tables import show_table
from review.cycles import list_cycles
from review.parties import all_parties
from review.peer import report, reviews


def party_names() -> dict[str, str]:
    return {code: party.name(lang()) for code, party in all_parties(store()).items()}


def choose(found: list[reviews.Review], key: str) -> reviews.Review:
    """A picker of the reviews given (late ones marked); stops the page when there is none."""
    if not found:
        st.info(tr("peer.no_reviews"))
        st.stop()
    names = party_names()
    by_id = {r.id: r for r in found}
    cycle_titles = {c.id: c.title for c in list_cycles(store())}  # the cycle by its title, never its code
    label = lambda i: tr_plain("peer.review_label", party=names.get(by_id[i].party, by_id[i].party),  # noqa: E731
                               cycle=cycle_titles.get(by_id[i].cycle_id, by_id[i].cycle_id),
                               stage=tr_plain(f"peer.stage.{by_id[i].stage}"))
    chosen = st.selectbox(tr("peer.which_review"), list(by_id), format_func=label, key=key)
    return by_id[chosen]


def header(review: reviews.Review) -> None:
    """Who reviews, and the stages with their dates."""
    names = party_names()
    reviewing = ", ".join(names.get(p, p) for p, _ in review.reviewing)
    st.markdown(tr("peer.reviewed_by", party=names.get(review.party, review.party), reviewing=reviewing))
    if review.experts:
        st.caption(tr("peer.experts_line", experts="; ".join(f"{e.name} ({e.reviewing_party})" for e in review.experts)))
    show_table(reviews.stage_table(review, lang()), hide_index=True)
    if review.late:
        st.warning(tr("peer.review_late"), icon=":material/schedule:")


def advance_button(who, review: reviews.Review, done_key: str) -> None:
    """Complete the stage under way, when this user is the one who acts at it."""
    nxt = review.next_stage
    if nxt is None or not reviews.may_advance(who, review):
        return
    if st.button(tr("peer.complete_stage", stage=tr(f"peer.stage.{nxt}")), key=f"advance_{review.id}_{nxt}",
                 type="primary", icon=":material/check:"):
        report.complete_step(store(), who, review.cycle_id, review.party, nxt)  # the report's steps are stages
        st.session_state[done_key] = ("peer.stage_completed", {"stage": tr(f"peer.stage.{nxt}")})
        st.rerun()


def show_thread(thread: reviews.Thread | None) -> None:
    """A provision's thread, every message shown as text (what a user typed is never markup)."""
    if thread is None:
        return
    for message in thread.messages:
        with st.chat_message("user" if message.side == "party" else "assistant",
                             avatar=":material/flag:" if message.side == "party" else ":material/rate_review:"):
            st.caption(tr("peer.message_meta", kind=tr(f"peer.kind.{message.kind}"), side=tr(f"peer.side.{message.side}"),
                          author=message.author_name, date=moment_text(message.created_at)))
            st.markdown(as_markdown_text(message.body))


def done_message(done_key: str) -> None:
    done = st.session_state.pop(done_key, None)
    if done:
        st.success(tr(done[0], **done[1]))
