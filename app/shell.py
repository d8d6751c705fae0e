"""The frame around every page: title, language switch, who is logged in, and the menu."""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

# The libraries the pages import, loaded once with this module: sessions arriving together run their
# first pages in parallel threads, and two threads importing pandas at once can get it half
# initialized ("partially initialized module 'pandas'", seen under benchmarks/load.py). Importing
# app.shell is serialized by Python's import lock, so they are whole before any page needs them.
import altair  # noqa: E402,F401
import pandas  # noqa: E402,F401
import polars  # noqa: E402,F401

from app import context
from app.text import escape
from app.navigation import only, pages_for
from review import settings
from review.access import PUBLIC
from review.errors import ReviewError
from review.store import default_path, failure_reason

ACCOUNT_PAGE = "app/pages/account.py"
# the page's icon, a file of ours: a ":material/...:" icon makes the browser fetch it from a font host
ICON = str(Path(__file__).resolve().parent / "static" / "icon.png")


def _who(user) -> None:
    """Who is logged in, and the way out."""
    where = user.party or user.provider
    party = f", {where}" if where else ""
    st.sidebar.caption(context.tr("accounts.logged_in_as", name=user.name, role=context.tr(f"roles.{user.role.value}"),
                                  party=party))
    if st.sidebar.button(context.tr("accounts.logout"), key="logout", icon=":material/logout:"):
        context.logout()
        st.rerun()


def run() -> None:
    # the logged-in user is checked once for the run, not again by the page (`context.page_run`)
    with context.page_run():
        _run()


def _run() -> None:
    st.set_page_config(page_title="COP Review", page_icon=ICON, layout="wide")
    lang = context.lang()
    context.language_picker()
    try:
        source = context.store()
    except ReviewError as error:
        st.error(error.message(lang, escape))
        st.stop()
    except duckdb.Error as error:
        st.error(context.tr("errors.database_unreadable", path=str(default_path()), reason=failure_reason(error)))
        st.stop()
    replica = bool(context.snapshot_folder())
    if replica:
        st.sidebar.caption(context.tr("analysis.snapshot_serving", created=source.manifest["created_at"]))
    elif settings.is_demo(source):
        st.sidebar.caption(context.tr("demo.label"))
    context.identity_login()
    user = context.current_user()
    if not replica:
        context.session_cookie()
    if user is not None:
        _who(user)
        if user.must_change_password:
            st.navigation(only(ACCOUNT_PAGE, lang), expanded=True).run()
            return
    st.navigation(pages_for(user.actor if user else PUBLIC, lang, replica=replica), expanded=True).run()
