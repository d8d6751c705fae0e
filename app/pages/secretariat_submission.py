"""A submission read-only, for the secretariat: answers by chapter and article, a comment per
provision, and the steps: return for clarification (with the comments), validate, publish."""

import streamlit as st

from app.answers import show_chapter
from app.context import REVIEWING_KEY, date_text, guarded, lang, moment_text, percent_text, refuse_unless, store, tr
from app.session_reports import submission_downloads
from review import reading, submissions
from review.cycles import cycle_questionnaire, list_cycles, participants
from review.inbox import secretariat_steps
from review.parties import all_parties

PENDING = "pending_comments"
CONFIRM_PUBLISH = "confirm_publish"


def forget_comments(party: str, sub_id: str) -> None:
    """Clear the comment boxes once they are sent."""
    st.session_state[PENDING].pop(sub_id, None)
    for key in [k for k in st.session_state if str(k).startswith(f"note_{party}_") or k == f"general_{sub_id}"]:
        del st.session_state[key]


st.title(tr("secretariat.review_title"))
who = refuse_unless("submission.review")
done_key = st.session_state.pop("review_done", None)
if done_key:
    st.success(tr(done_key))
with guarded():
    cycles = {c.id: c for c in list_cycles(store())}
    if not cycles:
        st.info(tr("errors.no_cycle"))
        st.stop()
    target_cycle, target_party = st.session_state.get(REVIEWING_KEY, (next(iter(cycles)), None))
    left, right = st.columns(2)
    cycle_ids = list(cycles)
    cycle_id = left.selectbox(tr("secretariat.cycle"), cycle_ids, index=cycle_ids.index(target_cycle) if target_cycle in cycles else 0,
                              format_func=lambda c: cycles[c].title, key="review_cycle")
    cycle = cycles[cycle_id]
    names = {code: party.name(lang()) for code, party in all_parties(store()).items()}
    codes = sorted(participants(store(), cycle.id), key=lambda c: names.get(c, c))
    if target_party not in codes:
        waiting = [s.party for s in submissions.list_submissions(store(), cycle.id) if s.state == "submitted"]
        target_party = waiting[0] if waiting else None
    party = right.selectbox(tr("secretariat.party"), codes, index=codes.index(target_party) if target_party in codes else 0,
                            format_func=lambda c: names.get(c, c), key="review_party")
    st.session_state[REVIEWING_KEY] = (cycle.id, party)
    q = cycle_questionnaire(store(), cycle)
    sub, answers = submissions.working_copy(store(), who, cycle.id, party)
    done = submissions.completeness(q, cycle.chapters, answers)
    # tiles as wide as their text, wrapping to a new line rather than cutting "Returned for clarification" off
    tiles = st.container(horizontal=True, gap="large")
    tiles.metric(tr("secretariat.state"), tr(f"states.{sub.state}"), width="content")
    tiles.metric(tr("secretariat.completeness"), percent_text(done.ratio), width="content")
    tiles.metric(tr("secretariat.submitted_at"), date_text(sub.submitted_at), width="content")
    consent = {True: "secretariat.consent_yes", False: "secretariat.consent_no", None: "secretariat.consent_unknown"}
    tiles.metric(tr("secretariat.consent"), tr(consent[sub.consent_publication]), width="content")
    submission_downloads(who, cycle.id, party, lang(), "review_document")

    earlier = submissions.comments(store(), who, cycle.id, party)
    by_provision: dict = {}
    for comment in earlier:
        by_provision.setdefault(comment.provision_id, []).append(comment)
    pending = st.session_state.setdefault(PENDING, {}).setdefault(sub.id, {})

    def keep(provision_id: str, key: str) -> None:
        pending[provision_id] = st.session_state[key]

    def comment_box(provision) -> None:
        for comment in by_provision.get(provision.id, []):
            st.info(tr("secretariat.earlier_comment", date=date_text(comment.created_at), body=comment.body))
        key = f"note_{party}_{provision.id}"
        st.text_area(tr("secretariat.comment_on", ref=provision.ref), value=pending.get(provision.id, ""), key=key,
                     on_change=keep, args=(provision.id, key), height=68)

    chapter = st.selectbox(tr("secretariat.chapter"), cycle.chapters, key="review_chapter",
                           format_func=lambda c: f"{c} ({done.chapters.get(c, (0, 0))[0]}/{done.chapters.get(c, (0, 0))[1]})")
    sheet = reading.answer_sheet(q, [chapter], answers, lang())
    show_chapter(sheet[0], comment_box)

    st.divider()
    st.subheader(tr("secretariat.decide"))
    for comment in by_provision.get(None, []):
        st.info(tr("secretariat.earlier_comment", date=date_text(comment.created_at), body=comment.body))
    written = {p: b for p, b in pending.items() if b and b.strip()}
    st.caption(tr("secretariat.pending_count", count=len(written)))
    general = st.text_area(tr("secretariat.general_comment"), key=f"general_{sub.id}")
    steps = secretariat_steps(sub.state)
    a, b, c = st.columns(3)
    if a.button(tr("secretariat.return"), key="return_submission", disabled="return" not in steps, icon=":material/undo:"):
        submissions.return_for_clarification(store(), who, cycle.id, party, {**written, None: general})
        forget_comments(party, sub.id)
        st.session_state["review_done"] = "secretariat.returned"
        st.rerun()
    if b.button(tr("secretariat.validate"), key="validate_submission", disabled="validate" not in steps, icon=":material/check:"):
        submissions.validate(store(), who, cycle.id, party)
        st.session_state["review_done"] = "secretariat.validated"
        st.rerun()
    if c.button(tr("secretariat.publish"), key="publish_submission", disabled="publish" not in steps, type="primary",
                icon=":material/public:"):
        st.session_state[CONFIRM_PUBLISH] = sub.id
    if st.session_state.get(CONFIRM_PUBLISH) == sub.id and "publish" in steps:
        # publishing shows a Party's answers to everyone and cannot be taken back from readers: asked twice
        st.warning(tr("secretariat.publish_confirm", party=names.get(party, party)), icon=":material/public:")
        yes, no = st.columns(2)
        if yes.button(tr("secretariat.publish_yes"), key="publish_confirmed", type="primary"):
            st.session_state.pop(CONFIRM_PUBLISH, None)
            submissions.publish(store(), who, cycle.id, party)
            st.session_state["review_done"] = "secretariat.published"
            st.rerun()
        if no.button(tr("secretariat.publish_cancel"), key="publish_cancelled"):
            st.session_state.pop(CONFIRM_PUBLISH, None)
            st.rerun()
