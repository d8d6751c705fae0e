"""The public calendar of peer reviews: who reviews whom, the stage each review has reached, and
every stage's planned and completed dates. Public, and served by public replicas from the snapshot."""

import streamlit as st

from app.context import guarded, lang, store, tr
from app.dashboard import cycle_picker
from app.figures import downloads
from app.tables import show_table
from review.peer import reviews

st.title(tr("peer.calendar_title"))
with guarded():
    source = store()
    cycle = cycle_picker("peer_calendar_cycle")
    table = reviews.calendar_table(source, cycle.id, lang())
    if table.is_empty():
        st.info(tr("peer.calendar_empty"))
        st.stop()
    late = table[tr("peer.col.late")].sum()
    st.caption(tr("peer.calendar_caption", count=table.height, late=late))
    show_table(table, hide_index=True)
    downloads(table, f"review-calendar-{cycle.id}", "peer_calendar")
