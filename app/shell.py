"""The frame around every page: title, language switch, who is logged in, and the menu."""

from __future__ import annotations

import duckdb
import streamlit as st

from app import context
from app.navigation import pages_for
from review import settings
from review.errors import ReviewError
from review.store import default_path


def run() -> None:
    st.set_page_config(page_title="COP Review", page_icon=":material/balance:", layout="wide")
    lang = context.lang()
    actor = context.actor()
    context.language_picker()
    try:
        source = context.store()
    except ReviewError as error:
        st.error(error.message(lang))
        st.stop()
    except duckdb.Error as error:
        reason = str(error).splitlines()[0].removeprefix("IO Error: ")
        st.error(context.tr("errors.database_unreadable", path=str(default_path()), reason=reason))
        st.stop()
    if settings.is_demo(source):
        st.sidebar.caption(context.tr("demo.label"))
    if context.snapshot_folder():
        st.sidebar.caption(context.tr("analysis.snapshot_serving", created=source.manifest["created_at"]))
    st.navigation(pages_for(actor, lang)).run()
