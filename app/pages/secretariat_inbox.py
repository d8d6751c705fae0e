"""The secretariat's inbox: every Party's submission across cycles, late ones first, with filters;
open one to review it."""

import polars as pl
import streamlit as st

from app.context import REVIEWING_KEY, date_text, guarded, lang, moment_text, percent_text, refuse_unless, store, tr
from app.dashboard import region_filter
from app.tables import show_table
from review.cycles import list_cycles
from review.inbox import inbox
from review.parties import all_parties
from review.submissions import STATES


st.title(tr("secretariat.inbox_title"))
who = refuse_unless("submission.review")
with guarded():
    cycles = {c.id: c for c in list_cycles(store())}
    left, middle, right, far = st.columns(4)
    chosen_cycles = left.multiselect(tr("secretariat.cycles"), list(cycles), format_func=lambda c: cycles[c].title,
                                     key="inbox_cycles", placeholder=tr("dash.all"))
    with middle:
        regions = region_filter("inbox_regions")
    state_names = {s: tr(f"states.{s}") for s in STATES}
    states = right.multiselect(tr("ux.inbox.submission_state"), STATES, format_func=state_names.get,
                               key="inbox_states", placeholder=tr("dash.all"))
    names = {code: party.name(lang()) for code, party in all_parties(store()).items()}
    parties = far.multiselect(tr("ux.inbox.parties"), sorted(names, key=names.get), format_func=names.get,
                              key="inbox_parties", placeholder=tr("dash.all"))
    rows = inbox(store(), who, cycles=chosen_cycles, regions=regions, states=states, lang=lang(), parties=parties)
    st.caption(tr("secretariat.inbox_count", count=len(rows)))
    if not rows:
        st.info(tr("secretariat.inbox_empty"))
        st.stop()
    show_table(
        pl.DataFrame({
            tr("secretariat.party"): [r.party_name for r in rows],
            tr("secretariat.late"): [r.late for r in rows],
            tr("secretariat.state"): [tr(f"states.{r.state}") for r in rows],
            tr("secretariat.completeness"): [percent_text(r.completeness, 1) for r in rows],
            tr("secretariat.last_change"): [moment_text(r.updated_at) if r.updated_at else "—" for r in rows],
            tr("secretariat.cycle"): [r.cycle_title for r in rows],
            tr("secretariat.region"): [tr(f"regions.{r.region or 'none'}") for r in rows],
            tr("secretariat.deadline"): [date_text(r.deadline) for r in rows],
        }),
        hide_index=True,
    )
    chosen = st.selectbox(tr("secretariat.open_which"), range(len(rows)), key="inbox_open",
                          format_func=lambda i: f"{rows[i].party_name} · {rows[i].cycle_title} · {tr(f'states.{rows[i].state}')}")
    if st.button(tr("secretariat.open"), key="inbox_open_button", type="primary"):
        st.session_state[REVIEWING_KEY] = (rows[chosen].cycle_id, rows[chosen].party)
        st.switch_page("app/pages/secretariat_submission.py")
