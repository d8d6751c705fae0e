"""The cycle a user is looking at: the same on every page, and in the address (`?cycle=<id>`), so a
reload or a shared link opens the same cycle. Until the user chooses one, the library's
`default_cycle` decides (for a Party, the cycle it is working on; for the public, the latest with
published answers)."""

from __future__ import annotations

from collections import Counter
from typing import Callable

import streamlit as st

from app.context import date_text, tr_plain
from review.cycles import Cycle

PARAM = "cycle"
CHOSEN_KEY = "chosen_cycle"


def starting_id(ids: list[str], default: str | None | Callable[[], str | None]) -> str:
    """Which of `ids` a cycle picker starts on: the address's, else the one chosen on an earlier
    page, else the default, else the first. A callable default is asked only when the address and
    the session name none of `ids` (the library's default is a query: most runs do not need it)."""
    for candidate in (st.query_params.get(PARAM), st.session_state.get(CHOSEN_KEY)):
        if candidate in ids:
            return candidate
    if callable(default):
        default = default()
    return default if default in ids else ids[0]


def titles(cycles: list[Cycle]) -> dict[str, str]:
    """What a picker shows of each cycle: its title as typed (the id is a code, never shown); two
    cycles with the same title are told apart by their deadline."""
    seen = Counter(c.title for c in cycles)
    return {c.id: c.title if seen[c.title] == 1 else f"{c.title} · {date_text(c.deadline)}" for c in cycles}


def pick(label: str, cycles: list[Cycle], key: str, default: Cycle | None | Callable[[], Cycle | None],
         shared: bool = True, index: int | None = None) -> Cycle:
    """A selectbox of `cycles`; a `shared` picker starts on the user's cycle and makes its choice
    the user's cycle (session and address); a picker that is not shared starts at `index`. The
    `default` may be a callable, called only when the user has chosen no cycle yet."""
    by_id = {c.id: c for c in cycles}
    ids = list(by_id)

    def default_id() -> str | None:
        cycle = default() if callable(default) else default
        return cycle.id if cycle else None

    start = starting_id(ids, default_id) if shared else ids[min(index or 0, len(ids) - 1)]
    names = titles(cycles)
    chosen = st.selectbox(label, ids, index=ids.index(start), key=key, format_func=names.get,
                          placeholder=tr_plain("ux4.choose_option"))
    if shared:
        remember(chosen)
    return by_id[chosen]


def remember(cycle_id: str) -> None:
    """Make `cycle_id` the user's cycle on every page, and put it in the address."""
    st.session_state[CHOSEN_KEY] = cycle_id
    if st.query_params.get(PARAM) != cycle_id:
        st.query_params[PARAM] = cycle_id
