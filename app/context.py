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
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from app import input_words
from app.text import escape
from review import formats, sessions, users
from review.access import PUBLIC, Actor, allowed
from review.analysis.snapshot import Snapshot, open_snapshot
from review.errors import NotFound, ReviewError
from review.i18n import LANGUAGE_NAMES, LANGUAGES, RIGHT_TO_LEFT, label, language_name, normalize, preferred, t
from review.store import Store, default_path, open_store

log = logging.getLogger("review.app")
USER_KEY = "user_id"
LANG_KEY = "lang"
LAST_SEEN_KEY = "last_seen"
ENDED_KEY = "session_ended"
SNAPSHOT_ENV = "REVIEW_SNAPSHOT"
REVIEWING_KEY = "review_target"  # the (cycle, party) the inbox opens in the review page
TOKEN_KEY = "session_token"
# the browser's copy of a password session's token (only its hash is in the database): a reload
# opens a new Streamlit session, which resumes the user's from it
COOKIE = "cop_review_session"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    store = open_store(path)
    _start_notice_sender(store)
    return store


def _start_notice_sender(store: Store) -> None:
    """The process owning the database delivers the notices (`review.notices.Sender`) when mail is
    configured; a setting that cannot be used is logged, naming it, and the app runs without mail."""
    from review import notices

    try:
        sender = notices.sender_from_env(store)
    except ReviewError as error:
        log.error("notices are not sent: %s", error.message("en"))
        return
    if sender is not None:
        sender.start()


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


def first_language() -> str:
    """A visitor's first language: the browser's preferred one (its Accept-Language header) when it
    is one of the six, else the browser's own locale, else English."""
    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # no request behind the session (AppTest)
        header = None
    return preferred(header) or normalize(st.context.locale)


def lang() -> str:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = first_language()
    return st.session_state[LANG_KEY]


def use_account_language(user: users.User) -> None:
    """At login (and when a reload resumes a session), the interface takes the language the user
    chose on their account page, when they chose one."""
    if user.language:
        st.session_state[LANG_KEY] = user.language


def date_text(value) -> str:
    """A date (or the day of a moment) as the user's language writes it (`review.formats`)."""
    return formats.date(value, lang())


def moment_text(value) -> str:
    """A date and time to the minute, as the user's language writes it."""
    return formats.datetime(value, lang())


def number_text(value, digits: int = 0) -> str:
    return formats.number(value, lang(), digits)


def percent_text(ratio, digits: int = 0) -> str:
    """A 0-1 ratio as a percentage in the user's language; a dash when there is none."""
    return formats.percent(ratio, lang(), digits)


def tr(key: str, **params) -> str:
    """A UI string in the user's language, for a place that renders Markdown (as nearly every
    Streamlit element does): the values filled in (names, comments, file names, what a user typed)
    are escaped, so they show as text (`app.text.escape`)."""
    return t(key, lang(), **{k: escape(v) for k, v in params.items()})


def tr_plain(key: str, **params) -> str:
    """A UI string for a place that shows text as it is (table cells, option lists, `st.text`)."""
    return t(key, lang(), **params)


def language_names() -> dict[str, str]:
    """The six UN languages' names in the user's language (code -> name), for option lists."""
    return {code: language_name(code, lang()) for code in LANGUAGES}


def text(texts) -> str:
    """A multilingual data label (questionnaire, code list) in the user's language."""
    return label(texts, lang())


# The user checked once in a page run: the shell and the page both ask (`current_user`, `actor`),
# and each check reads the account and the session token (two to three queries). Kept only while
# the shell runs one page, on the thread running it (one session's script thread), and emptied when
# that run ends, at a login and at a logout: the next run, a callback before it, checks again.
_this_run = threading.local()


@contextmanager
def page_run() -> Iterator[None]:
    """The span of one page run (the shell's), within which the logged-in user is checked once."""
    _this_run.__dict__.clear()
    _this_run.active = True
    try:
        yield
    finally:
        _this_run.__dict__.clear()


def _forget_user() -> None:
    _this_run.__dict__.pop("user", None)


def current_user() -> users.User | None:
    """The logged-in user; None when nobody is, and the session ends when it was idle too long or
    the account is gone or deactivated (the login page then says why). Checked once per page run."""
    if getattr(_this_run, "active", False):
        if "user" not in _this_run.__dict__:
            _this_run.user = _checked_user()
        return _this_run.user
    return _checked_user()


def _checked_user() -> users.User | None:
    if snapshot_folder():
        return None
    user_id = st.session_state.get(USER_KEY) or _resumed()
    if not user_id:
        return None
    now = time.time()
    if sessions.expired(st.session_state.get(LAST_SEEN_KEY), now):
        logout("accounts.session_expired")
        return None
    try:
        user = users.get_user(store(), user_id)
    except NotFound:
        user = None
    if user is None or not user.active:
        logout("accounts.session_deactivated")
        return None
    token = st.session_state.get(TOKEN_KEY)
    # a password session stays live only while its token does: a logout in another tab, a password
    # change or the server-side idle window ends it here too; and each run (at most once a minute)
    # records the activity, so a reload after a long busy session still resumes it
    if token and sessions.resume(store(), token) is None:
        logout("accounts.session_revoked")
        return None
    st.session_state[LAST_SEEN_KEY] = now
    return user


def actor() -> Actor:
    """The logged-in user's actor, or the public when nobody is."""
    user = current_user()
    return user.actor if user else PUBLIC


def _cookie() -> str | None:
    """The session token the browser sent, if any."""
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) and token else None


def _resumed() -> str | None:
    """The user of the session token the browser holds (after a reload), when it is still live."""
    token = _cookie() if USER_KEY not in st.session_state else None
    if not token or st.session_state.get("ended_token") == token:
        return None
    user = sessions.resume(store(), token)
    if user is None:
        return None
    st.session_state[USER_KEY] = user.id
    st.session_state[TOKEN_KEY] = token
    st.session_state[LAST_SEEN_KEY] = time.time()
    use_account_language(user)
    return user.id


def log_in(user: users.User, remember: bool = True) -> None:
    """Start a session for a user the library has just let in; a password session gets a token the
    browser keeps in a cookie, so that a reload does not end it (an identity provider keeps its own)."""
    _forget_user()
    st.session_state[USER_KEY] = user.id
    st.session_state[LAST_SEEN_KEY] = time.time()
    st.session_state.pop(ENDED_KEY, None)
    use_account_language(user)
    if remember:
        st.session_state[TOKEN_KEY] = sessions.open_session(store(), user)


def session_cookie() -> None:
    """Keep the browser's cookie in step with the session: the live token while logged in with a
    password, nothing otherwise. Rendered on every run (an invisible frame whose script sets the
    cookie on the page: Streamlit cannot set cookies itself); it holds only the random token."""
    token = st.session_state.get(TOKEN_KEY) if st.session_state.get(USER_KEY) else None
    held = _cookie()
    if token is None and not held:
        return
    value = f"{COOKIE}={token}; max-age=86400" if token else f"{COOKIE}=; max-age=0"
    with st.sidebar:
        # st.iframe embeds an HTML string as a same-origin frame (what components.html did before
        # Streamlit deprecated it); a frame is at least 1 pixel high.
        st.iframe(
            "<script>const d = window.parent.document; const secure = window.parent.location.protocol === 'https:';"
            f"d.cookie = '{value}; path=/; SameSite=Strict' + (secure ? '; Secure' : '');</script>",
            height=1,
        )


def logout(reason: str | None = None) -> None:
    """End the session (and the identity provider's, when it was used); `reason` is shown at login.
    A password session's token is revoked, so neither a reload nor the back button resumes it."""
    _forget_user()
    token = st.session_state.pop(TOKEN_KEY, None) or _cookie()
    if token:
        sessions.revoke(store(), token)
        st.session_state["ended_token"] = token
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if reason:
        st.session_state[ENDED_KEY] = (reason, {})
    if identity_providers() and st.user.get("is_logged_in"):
        st.logout()


def identity_providers() -> list[str | None]:
    """OpenID Connect providers configured in `[auth]` of .streamlit/secrets.toml: None stands for
    a single unnamed provider, names for `[auth.<name>]` sections; empty when none is configured."""
    try:
        section = st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None
    except Exception:
        log.exception("unreadable secrets.toml")
        return []
    if not isinstance(section, Mapping):
        return []
    named = [name for name, value in section.items() if isinstance(value, Mapping)]
    return ([None] if "client_id" in section else []) + named


def identity_login() -> None:
    """Map the identity provider's logged-in user onto our active user with that e-mail; a refusal
    is shown on the login page."""
    if snapshot_folder() or st.session_state.get(USER_KEY) or not identity_providers() or not st.user.get("is_logged_in"):
        return
    try:
        log_in(sessions.login_with_identity(store(), st.user.get("email"), st.user.get("email_verified")),
               remember=False)
    except ReviewError as error:
        # kept signed in with the provider, so that the login page can say why and offer to sign out
        st.session_state[ENDED_KEY] = (error.key, error.params)


def refused_identity() -> bool:
    """Signed in with the identity provider, but not let in here."""
    return bool(identity_providers()) and bool(st.user.get("is_logged_in")) and not st.session_state.get(USER_KEY)


def ended_message() -> str | None:
    """Why the last session ended or a sign-in was refused, once, in the user's language."""
    ended = st.session_state.pop(ENDED_KEY, None)
    return tr(ended[0], **ended[1]) if ended else None


def refuse(who: Actor) -> None:
    """Stop a page its user may not open. Nobody logged in (logged out, or a link opened in a new
    browser): the login form in the page's place, and once logged in the page itself comes back, at
    the same address and on the section they were on (kept in the session); a logged-in user: a refusal."""
    if who.role is PUBLIC.role and not snapshot_folder():
        from app.login_form import login_form

        st.info(tr("accounts.login_needed"), icon=":material/login:")
        login_form()
        st.stop()
    st.error(tr("app.refused"))
    st.stop()


def refuse_unless(action: str, party: str | None = None) -> Actor:
    """Stop the page with a refusal when the user may not use it (opened by URL, say)."""
    who = actor()
    if not allowed(who, action, party):
        refuse(who)
    return who


@contextmanager
def guarded() -> Iterator[None]:
    """Show a user error in the user's language, and never a traceback."""
    try:
        yield
    except ReviewError as error:
        # one problem a line: Markdown would run single line breaks together
        st.error(error.message(lang(), escape).replace("\n", "  \n"))
    except Exception:
        log.exception("unexpected error")
        st.error(tr("errors.unexpected"))


PICKER_KEY = "lang_picker"
# the whole page right to left in Arabic: the root element's `dir` (the sidebar moves to the right,
# forms, tables and menus follow), set by a script, since Streamlit has no setting for it (#552);
# the rules below only undo what Streamlit fixes to the left
RTL_STYLE = """<style>
html[dir='rtl'] [data-testid='stSidebar'] {border-right: none; border-left: 1px solid rgba(49, 51, 63, 0.1);}
html[dir='rtl'] [data-testid='stMarkdownContainer'], html[dir='rtl'] h1, html[dir='rtl'] h2, html[dir='rtl'] h3,
html[dir='rtl'] [data-testid='stWidgetLabel'], html[dir='rtl'] [data-testid='stCaptionContainer'] {text-align: right;}
html[dir='rtl'] [data-testid='stSidebarNav'] a {flex-direction: row;}
html[dir='rtl'] [data-testid='stVegaLiteChart'] {direction: ltr;}
html[dir='rtl'] code, html[dir='rtl'] input[type='email'], html[dir='rtl'] input[type='password'] {direction: ltr;}
</style>"""


# The grid's own "Download as CSV" (every st.dataframe and st.data_editor, and a chart's table view)
# writes each cell as it stands: a Party's "=HYPERLINK(...)" opens as a formula in Excel. Streamlit
# offers no per-table switch and its `client.disableDataExport` also takes copying cells away, so the
# button is hidden; the platform's own downloads (`review.export`, `review.workbook.safe`) stand beside
# the tables that are meant to leave, formulas defused. docs/security.md ("Spreadsheets").
NO_RAW_CSV_STYLE = ("<style>[data-testid='stElementToolbarButton']:has(button[aria-label^='Download as CSV'])"
                    " {display: none;}</style>")


def _picked() -> None:
    st.session_state[LANG_KEY] = st.session_state[PICKER_KEY]


def page_direction(current: str) -> None:
    """The page's language and direction on its root element (`<html lang dir>`), every run, so a
    page opened, reloaded or switched to another language is always laid out for its language; and
    the style that hides the tables' raw CSV export (`NO_RAW_CSV_STYLE`), and the one that words the
    instruction under a field being typed in in the page's language (`app.input_words`)."""
    current = current if current in LANGUAGES else "en"
    direction = "rtl" if current in RIGHT_TO_LEFT else "ltr"
    st.html(f"<script>document.documentElement.lang = '{current}'; document.documentElement.dir = '{direction}';"
            "</script>" + NO_RAW_CSV_STYLE + input_words.style(current) + (RTL_STYLE if direction == "rtl" else ""),
            unsafe_allow_javascript=True)


def language_picker() -> None:
    current = lang()
    # the picker shows the session's language, whichever way it was set (the account's at login);
    # each language by its own name (whoever cannot read this page finds theirs), and in the page's
    # language beside it: "English · 英语" on a Chinese page
    st.session_state[PICKER_KEY] = current
    names = {code: LANGUAGE_NAMES[code] if code == current else f"{LANGUAGE_NAMES[code]} · {language_name(code, current)}"
             for code in LANGUAGES}
    st.sidebar.selectbox(tr("app.language"), LANGUAGES, format_func=names.get, key=PICKER_KEY,
                         on_change=_picked, placeholder=tr_plain("ux4.choose_option"))
    page_direction(current)
