"""Activate an account from the secretariat's invitation link (`activate?token=...`): the invited
user chooses a password. Works without login; the library checks the link."""

import streamlit as st

from app.context import guarded, store, tr
from app.passwords import new_password_inputs, typed_twice_alike
from review import invitations

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
        password, repeat = new_password_inputs("activate_password", "activate_repeat")
        done = st.form_submit_button(tr("accounts.activate"), type="primary", key="activate_submit")
    if done and typed_twice_alike(password, repeat):
        user = invitations.activate(store(), token, password)
        st.session_state["activated"] = user.email
        st.query_params.clear()
        st.rerun()
