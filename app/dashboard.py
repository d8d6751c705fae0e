"""What the dashboard pages share: the cycle picker, the filters and the line saying whose answers
the figures include (published only, everything, or one's own beside the published)."""

from __future__ import annotations

import streamlit as st

from app.context import actor, store, tr
from app.cycle_choice import pick
from review.access import viewer
from review.cycles import Cycle, default_cycle, list_cycles
from review.parties import CATEGORIES, REGIONAL_GROUPS


def cycle_picker(key: str, label_key: str = "dash.cycle", index: int | None = None) -> Cycle:
    """The cycle to analyse: the user's cycle (chosen on any page, or in the address), else the
    library's default for this user; stops the page when there is none. With `index`, a picker of
    its own (the change page compares two cycles) that starts at that place, newest first."""
    cycles = list_cycles(store())
    if not cycles:
        st.info(tr("errors.no_cycle"))
        st.stop()
    # the library's default is asked only when the user has chosen no cycle (a query on every run otherwise)
    default = (lambda: default_cycle(store(), actor())) if index is None else None
    return pick(tr(label_key), cycles, key, default, shared=index is None, index=index)


def scope_caption() -> None:
    """Say which answers the figures are made of, for the acting user."""
    sight = viewer(actor()).sight  # the policy's, not the account's Party: a reviewer names one but sees the public's
    if sight == "all":
        st.caption(tr("dash.scope_secretariat"))
    elif sight == "party":
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
