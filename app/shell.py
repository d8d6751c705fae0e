"""The frame around every page: title, language switch, who is logged in, and the menu."""

from __future__ import annotations

import streamlit as st

from app import context
from app.navigation import only, pages_for
from review import settings

ACCOUNT_PAGE = "app/pages/account.py"


def _who(user) -> None:
    """Who is logged in, and the way out."""
    party = f", {user.party}" if user.party else ""
    st.sidebar.caption(context.tr("accounts.logged_in_as", name=user.name, role=context.tr(f"roles.{user.role.value}"),
                                  party=party))
    if st.sidebar.button(context.tr("accounts.logout"), key="logout", icon=":material/logout:"):
        context.logout()
        st.rerun()


def run() -> None:
    st.set_page_config(page_title="COP Review", page_icon=":material/balance:", layout="wide")
    lang = context.lang()
    context.identity_login()
    user = context.current_user()
    actor = context.actor()
    context.language_picker()
    if settings.is_demo(context.store()):
        st.sidebar.caption(context.tr("demo.label"))
    if user is not None:
        _who(user)
        if user.must_change_password:
            st.navigation(only(ACCOUNT_PAGE, lang), expanded=True).run()
            return
    st.navigation(pages_for(actor, lang), expanded=True).run()
