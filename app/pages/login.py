"""Log in (the form is app/login_form.py, which pages needing a login show in their place too)."""

import streamlit as st

from app.context import current_user, tr
from app.login_form import login_form

st.title(tr("accounts.login_title"))
user = current_user()
if user is not None:
    st.success(tr("accounts.already_logged_in", name=user.name))
    st.page_link("app/pages/overview.py", label=tr("accounts.go_to_start"), icon=":material/home:")
    st.stop()
login_form()
