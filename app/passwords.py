"""Choosing a new password, typed twice: shared by activating an account and changing a password.
The library checks the password's rules; the two boxes only guard against a typing slip."""

import streamlit as st

from app.context import tr
from review import users


def new_password_inputs(key: str, repeat_key: str) -> tuple[str, str]:
    """The new password and its repetition, as typed (inside the caller's form)."""
    new = st.text_input(tr("accounts.new_password"), type="password", key=key,
                        help=tr("accounts.password_rule", min=users.MIN_PASSWORD))
    repeat = st.text_input(tr("accounts.repeat_password"), type="password", key=repeat_key)
    return new, repeat


def typed_twice_alike(new: str, repeat: str) -> bool:
    """Whether both boxes hold the same password; says so when they do not."""
    if new != repeat:
        st.error(tr("accounts.passwords_differ"))
        return False
    return True
