"""The login form: e-mail and password (throttled by the library), or an OpenID Connect provider when
one is configured. In demo mode the demo accounts are listed; otherwise no account ever is.

Shown by the login page, and in place of any page that needs a login when nobody is logged in: the
user logs in where they are and the page (its address, the section they were on) comes back.
"""

import polars as pl
import streamlit as st

from app.context import ended_message, guarded, identity_providers, log_in, refused_identity, store, tr
from app.tables import show_table
from review import sessions
from review.demo import DEMO_PASSWORD, demo_accounts


def login_form() -> None:
    """The form, any sign-in refusal, and in demo mode the demo accounts; a login reruns the page."""
    message = ended_message()
    if message:
        st.warning(message)
    if refused_identity() and st.button(tr("accounts.identity_logout"), key="logout_oidc", icon=":material/logout:"):
        st.logout()

    with st.form("login_form"):
        email = st.text_input(tr("accounts.email"), key="login_email", autocomplete="username")
        password = st.text_input(tr("accounts.password"), type="password", key="login_password", autocomplete="current-password")
        submitted = st.form_submit_button(tr("accounts.login"), type="primary", key="login_submit")
    if submitted:
        with guarded():
            log_in(sessions.login(store(), email, password))
            st.rerun()

    providers = identity_providers()
    if providers:
        st.divider()
        for provider in providers:
            name = provider.replace("_", " ").title() if provider else tr("accounts.single_sign_on")
            if st.button(tr("accounts.login_with", provider=name), key=f"login_oidc_{provider or 'default'}"):
                st.login(provider)

    with guarded():
        accounts = demo_accounts(store())
        if accounts:
            st.divider()
            st.subheader(tr("accounts.demo_accounts"))
            st.caption(tr("accounts.demo_password", password=DEMO_PASSWORD))
            show_table(
                pl.DataFrame({
                    tr("accounts.email"): [a.email for a in accounts],
                    tr("accounts.role"): [tr(f"roles.{a.role.value}") for a in accounts],
                    tr("accounts.party"): [a.party or "" for a in accounts],
                    tr("secretariat.provider"): [a.provider or "" for a in accounts],
                }),
                hide_index=True,
            )
