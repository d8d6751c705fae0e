"""Submit the answers to the secretariat (the focal point only): blocked, with the list of what is
missing, until every required answer is there; then a confirmation, with the Party's choice on
publication of its full answers."""

import polars as pl
import streamlit as st

from app.context import date_text, guarded, lang, store, tr
from app.workspace import open_workspace, state_line
from app.tables import show_table
from review import drafts, submissions, workspace

CONFIRM, FLASH = "ws_confirm_submit", "ws_submit_flash"
# the questionnaire page's "open this section next" (app/pages/party_questionnaire.py), and the request to go there
GOTO, OPEN_QUESTIONNAIRE = "ws_goto", "ws_open_questionnaire"

def open_section(article: int) -> None:
    """Open the questionnaire on the section of `article` (the questionnaire page takes it)."""
    st.session_state[GOTO] = article
    st.session_state[OPEN_QUESTIONNAIRE] = True


if st.session_state.pop(OPEN_QUESTIONNAIRE, False):
    st.switch_page("app/pages/party_questionnaire.py")

st.title(tr("party.submit_title"))
with guarded():
    ws = open_workspace("submit", need="submit")
    s, sub = store(), ws.submission
    st.caption(state_line(ws))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    if sub.state not in submissions.TRANSITIONS["submit"]:
        if sub.submitted_at:
            st.info(tr("party.already_submitted", state=tr(f"states.{sub.state}"), date=date_text(sub.submitted_at)))
        else:
            st.info(tr("party.nothing_to_submit"))
        if sub.submitted_at:
            st.caption(tr("party.consent_now", consent=tr("party.consent_yes" if sub.consent_publication else "party.consent_no")))
            wanted = st.radio(tr("party.consent_question"), [True, False], index=0 if sub.consent_publication else 1,
                              key="ws_consent_change", format_func=lambda yes: tr("party.consent_give" if yes else "party.consent_refuse"))
            if st.button(tr("party.change_consent"), disabled=wanted == bool(sub.consent_publication), key="ws_change_consent"):
                submissions.set_consent(s, ws.actor, ws.cycle.id, ws.party, wanted)
                st.session_state[FLASH] = tr("party.consent_changed")
                st.rerun()
        st.stop()
    unsaved = drafts.load_draft(s, ws.actor, ws.cycle.id, ws.party)
    if unsaved:
        st.warning(tr("party.drafts_not_submitted", count=len(unsaved)), icon=":material/edit_note:")
    missing = workspace.missing_answers(s, ws.actor, ws.cycle.id, ws.party, lang())
    if missing:
        st.error(tr("party.submit_blocked", count=len(missing)), icon=":material/block:")
        chapter, article, provision, question = (tr("party.chapter"), tr("party.article"), tr("party.provision"), tr("party.question"))
        show_table(pl.DataFrame(
            [(m.chapter, m.article, m.provision, m.question) for m in missing],
            schema={chapter: pl.String, article: pl.Int64, provision: pl.String, question: pl.String}, orient="row",
        ), hide_index=True)
        # each article with a missing answer opens its section of the questionnaire
        st.caption(tr("ux.submit.go_to_intro"))
        articles = list(dict.fromkeys(m.article for m in missing))
        for place, number in zip(st.columns(min(8, len(articles))) * len(articles), articles):
            place.button(tr("ux.submit.go_to", article=number), key=f"ws_goto_{number}", type="tertiary",
                         on_click=open_section, args=(number,), icon=":material/arrow_forward:")
    else:
        st.success(tr("party.ready_to_submit"), icon=":material/task_alt:")
    consent = st.radio(tr("party.consent_question"), [True, False], index=None, key="ws_consent",
                       format_func=lambda yes: tr("party.consent_give" if yes else "party.consent_refuse"),
                       help=tr("party.consent_help"))
    pending = st.session_state.get(CONFIRM)
    if st.button(tr("party.submit"), type="primary", disabled=bool(missing) or bool(pending), key="ws_submit",
                 icon=":material/send:"):
        if consent is None:
            st.error(tr("party.consent_needed"))
        else:
            st.session_state[CONFIRM] = {"sub": sub.id, "seq": sub.seq, "consent": consent}
            st.rerun()
    if pending and pending["sub"] == sub.id:
        with st.container(border=True):
            st.warning(tr("party.confirm_text", party=ws.party_name,
                          consent=tr("party.consent_give" if pending["consent"] else "party.consent_refuse")))
            yes, no = st.columns(2)
            if yes.button(tr("party.confirm_submit"), type="primary", key="ws_confirm"):
                st.session_state.pop(CONFIRM)
                revision = submissions.submit(s, ws.actor, ws.cycle.id, ws.party, consent=pending["consent"],
                                              base_seq=pending["seq"])
                st.session_state[FLASH] = tr("party.submitted", revision=revision)
                st.rerun()
            if no.button(tr("party.cancel"), key="ws_cancel_submit"):
                st.session_state.pop(CONFIRM)
                st.rerun()
