"""What the dashboard pages share: the cycle picker, the filters and the line saying whose answers
the figures include (published only, everything, or one's own beside the published)."""

from __future__ import annotations

import streamlit as st

from app.context import actor, store, tr
from review.access import allowed
from review.cycles import Cycle, list_cycles
from review.parties import CATEGORIES, REGIONAL_GROUPS


def cycle_picker(key: str, label_key: str = "dash.cycle", index: int = 0) -> Cycle:
    """The cycle to analyse (newest first); stops the page when there is none."""
    cycles = list_cycles(store())
    if not cycles:
        st.info(tr("errors.no_cycle"))
        st.stop()
    return st.selectbox(tr(label_key), cycles, index=min(index, len(cycles) - 1),
                        format_func=lambda c: f"{c.title} ({c.id})", key=key)


def scope_caption() -> None:
    """Say which answers the figures are made of, for the acting user."""
    who = actor()
    if allowed(who, "analysis.unpublished"):
        st.caption(tr("dash.scope_secretariat"))
    elif who.party:
        st.caption(tr("dash.scope_party"))
    else:
        st.caption(tr("dash.scope_public"))


def region_filter(key: str, container=st) -> list[str]:
    return container.multiselect(tr("dash.regions"), REGIONAL_GROUPS, format_func=lambda g: tr(f"regions.{g}"), key=key,
                               placeholder=tr("dash.all"))


def category_filter(key: str, container=st) -> list[str]:
    return container.multiselect(tr("dash.categories"), CATEGORIES, format_func=lambda c: tr(f"categories.{c}"), key=key,
                               placeholder=tr("dash.all"))


def chapter_filter(cycle: Cycle, key: str, container=st) -> list[str]:
    return container.multiselect(tr("dash.chapters"), cycle.chapters, key=key, placeholder=tr("dash.all"))
