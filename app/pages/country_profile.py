"""Skeleton."""

import streamlit as st

from app.context import tr

st.title(tr("profile.title"))
