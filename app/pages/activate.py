"""Activate an account from the secretariat's invitation link (`activate?token=...`): the invited
user chooses a password. Works without login; the library checks the link."""

import streamlit as st

from app.context import guarded, store, tr
from review import invitations, users

st.title(tr("accounts.activate_title"))
if st.session_state.get("activated"):
    st.success(tr("accounts.activated", email=st.session_state["activated"]))
    st.page_link("app/pages/login.py", label=tr("accounts.login"), icon=":material/login:")
    st.stop()

token = st.query_params.get("token", "")
with guarded():
    invited = invitations.invited_user(store(), token)
    st.markdown(tr("accounts.activate_for", name=invited.name, email=invited.email))
    with st.form("activate_form"):
        password = st.text_input(tr("accounts.new_password"), type="password", key="activate_password",
                                 help=tr("accounts.password_rule", min=users.MIN_PASSWORD))
        repeat = st.text_input(tr("accounts.repeat_password"), type="password", key="activate_repeat")
        done = st.form_submit_button(tr("accounts.activate"), type="primary", key="activate_submit")
    if done:
        if password != repeat:
            st.error(tr("accounts.passwords_differ"))
        else:
            user = invitations.activate(store(), token, password)
            st.session_state["activated"] = user.email
            st.query_params.clear()
            st.rerun()
