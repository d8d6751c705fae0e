"""The secretariat's "every Party's workbook" section: pick a cycle, prepare the zip with a progress
bar, download it. The library (`write_templates`) does the work and checks the rights."""

import streamlit as st

from app.context import lang, store, tr
from app.cycle_choice import titles
from review.access import Actor
from review.cycles import Cycle
from review.workbook import write_templates

_READY = "bulk_workbooks_ready"


def bulk_workbooks(who: Actor, cycles: list[Cycle]) -> None:
    st.subheader(tr("secretariat.bulk_workbooks"))
    st.caption(tr("secretariat.bulk_workbooks_help"))
    names = titles(cycles)
    cycle_id = st.selectbox(tr("dash.cycle"), [c.id for c in cycles], format_func=names.get, key="bulk_workbooks_cycle")
    if st.button(tr("secretariat.bulk_workbooks_prepare"), key="bulk_workbooks_prepare", icon=":material/folder_zip:"):
        bar = st.progress(0.0)

        def progress(done: int, total: int, party: str) -> None:
            bar.progress(done / total, text=tr("secretariat.bulk_workbooks_progress", done=done, total=total, party=party))

        st.session_state[_READY] = (cycle_id, lang(), write_templates(store(), who, cycle_id, lang(), progress=progress))
    ready = st.session_state.get(_READY)
    if ready and ready[0] == cycle_id:
        st.download_button(tr("secretariat.bulk_workbooks_download"), data=ready[2],
                           file_name=f"{ready[0]}-workbooks-{ready[1]}.zip", mime="application/zip",
                           on_click="ignore", icon=":material/download:", key="bulk_workbooks_download")
