"""My account: who I am, and changing my password (required first when the secretariat gave me
a first-login password)."""

import streamlit as st

from app.context import LANG_KEY, current_user, guarded, log_in, refuse, store, tr, language_names
from review.access import PUBLIC
from app.passwords import new_password_inputs, typed_twice_alike
from review import notices, users
from review.i18n import LANGUAGE_NAMES, LANGUAGES

st.title(tr("accounts.account_title"))
user = current_user()
if user is None:
    refuse(PUBLIC)

st.markdown(tr("accounts.account_summary", name=user.name, email=user.email, role=tr(f"roles.{user.role.value}"),
               party=user.party or "—"))
if user.provider:
    st.markdown(tr("accounts.account_provider", provider=user.provider))
if user.must_change_password:
    st.warning(tr("accounts.must_change"))

st.subheader(tr("lang.account.title"))
with st.form("language_form"):
    chosen = user.language or st.session_state.get(LANG_KEY, "en")
    language = st.selectbox(tr("lang.account.language"), LANGUAGES, index=LANGUAGES.index(chosen) if chosen in LANGUAGES else 0,
                            format_func=language_names().get, key="account_language", help=tr("lang.account.help"))
    keep = st.form_submit_button(tr("lang.account.save"), key="save_language")
if keep:
    with guarded():
        users.set_language(store(), user.actor, language)
        st.session_state[LANG_KEY] = language
        st.session_state["language_saved"] = True
        st.rerun()
if st.session_state.pop("language_saved", False):
    st.success(tr("lang.account.saved", language=LANGUAGE_NAMES[st.session_state[LANG_KEY]]))

st.subheader(tr("accounts.change_password"))
with st.form("password_form", clear_on_submit=True):
    current = st.text_input(tr("accounts.current_password"), type="password", key="current_password")
    new, repeat = new_password_inputs("new_password", "repeat_password")
    changed = st.form_submit_button(tr("accounts.change_password"), type="primary", key="change_password")
if changed and typed_twice_alike(new, repeat):
    with guarded():
        log_in(users.change_password(store(), user.actor, current, new))
        st.session_state["password_changed"] = True
        st.rerun()
if st.session_state.pop("password_changed", False):
    st.success(tr("accounts.password_changed"))

st.subheader(tr("notices.account.title"))
with guarded():
    chosen = notices.preferences(store(), user.actor)
    if not chosen.offered:
        st.caption(tr("notices.account.none_offered"))
    else:
        st.caption(tr("notices.account.intro", email=user.email))
        with st.form("notices_form"):
            language = st.selectbox(tr("notices.account.language"), LANGUAGES, index=LANGUAGES.index(chosen.language),
                                    format_func=language_names().get, key="notice_language")
            st.markdown(f"**{tr('notices.account.kinds')}**")
            wanted = [kind for kind in chosen.offered
                      if st.checkbox(tr(f"notices.kinds.{kind}"), value=kind in chosen.wanted, key=f"notice_{kind}")]
            saved = st.form_submit_button(tr("notices.account.save"), key="save_notices")
        if saved:
            notices.choose(store(), user.actor, kinds=wanted, language=language)
            st.success(tr("notices.account.saved"))
