"""What every page needs: the store, the user's language, the acting user, and safe error display.

Pages never talk to DuckDB themselves and never decide permissions on their own: they call the
library with `actor()` and show what it returns or refuses.

With `$REVIEW_SNAPSHOT` naming a folder written by `review publish-snapshot`, the app is a public
replica: the source is that snapshot (read-only, in memory), nobody logs in, and no database file
is opened, so any number of replicas can run while one instance owns the working database.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from review import users
from review.access import PUBLIC, Actor, allowed
from review.analysis.snapshot import Snapshot, open_snapshot
from review.errors import NotFound, ReviewError
from review.i18n import LANGUAGES, RIGHT_TO_LEFT, label, normalize, t
from review.store import Store, default_path, open_store

log = logging.getLogger("review.app")
USER_KEY = "user_id"
LANG_KEY = "lang"
SNAPSHOT_ENV = "REVIEW_SNAPSHOT"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return open_store(path)


@st.cache_resource(show_spinner=False)
def _snapshot(path: str) -> Snapshot:
    return open_snapshot(path)


def snapshot_folder() -> str | None:
    """The published snapshot this app serves from, when it is a public replica."""
    return os.environ.get(SNAPSHOT_ENV) or None


def store() -> Store | Snapshot:
    """The process's one source: the snapshot named by $REVIEW_SNAPSHOT, else the database file
    named by $REVIEW_DB."""
    folder = snapshot_folder()
    if folder:
        return _snapshot(str(os.path.abspath(folder)))
    return _store(str(default_path().resolve()))


def lang() -> str:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalize(st.context.locale)
    return st.session_state[LANG_KEY]


def tr(key: str, **params) -> str:
    """A UI string in the user's language."""
    return t(key, lang(), **params)


def text(texts) -> str:
    """A multilingual data label (questionnaire, code list) in the user's language."""
    return label(texts, lang())


def actor() -> Actor:
    """The logged-in user's actor, or the public when nobody is (or the account is gone or inactive)."""
    user_id = st.session_state.get(USER_KEY)
    if not user_id or snapshot_folder():
        return PUBLIC
    try:
        user = users.get_user(store(), user_id)
    except NotFound:
        return PUBLIC
    return user.actor if user.active else PUBLIC


def refuse_unless(action: str, party: str | None = None) -> Actor:
    """Stop the page with a refusal when the user may not use it (opened by URL, say)."""
    who = actor()
    if not allowed(who, action, party):
        st.error(tr("app.refused"))
        st.stop()
    return who


@contextmanager
def guarded() -> Iterator[None]:
    """Show a user error in the user's language, and never a traceback."""
    try:
        yield
    except ReviewError as error:
        st.error(error.message(lang()))
    except Exception:
        log.exception("unexpected error")
        st.error(tr("errors.unexpected"))


def language_picker() -> None:
    current = lang()
    names = {"en": "English", "zh": "中文", "fr": "Français", "es": "Español", "ru": "Русский", "ar": "العربية"}
    choice = st.sidebar.selectbox(
        tr("app.language"), LANGUAGES, index=LANGUAGES.index(current), format_func=names.get, key="lang_picker"
    )
    if choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()
    if current in RIGHT_TO_LEFT:
        st.markdown(
            "<style>[data-testid='stMain'] .stMarkdown, [data-testid='stMain'] h1, [data-testid='stMain'] h2"
            " {direction: rtl; text-align: right;}</style>",
            unsafe_allow_html=True,
        )
