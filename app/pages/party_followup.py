"""Follow-up of recommendations, in a Party's workspace: each recommendation of the Party's earlier
agreed country review reports, with where it stands in this cycle and the evidence. The focal point
and contributors save; observers read. The library checks every save (and refuses a stale one)."""

import streamlit as st

from app.context import guarded, lang, store, tr, tr_plain
from app.workspace import open_workspace, state_line
from review.access import allowed
from review.peer import followup as F

st.title(tr("report.followup.title"))
with guarded():
    ws = open_workspace("followup")
    s, language = store(), lang()
    st.caption(state_line(ws))
    st.caption(tr("report.followup.intro"))
    if "followup_flash" in st.session_state:
        st.success(tr("report.followup.saved"))
        del st.session_state["followup_flash"]
    found = F.earlier_recommendations(s, ws.actor, ws.cycle.id, ws.party, language)
    if not found:
        st.info(tr("report.followup.nothing"))
        st.stop()
    editable = allowed(ws.actor, "followup.edit", ws.party)
    choices = (None, *F.STATUSES)
    for item in found:
        with st.container(border=True):
            st.caption(tr("report.followup.origin", cycle=item.origin_cycle,
                          priority=tr_plain(f"report.priorities.{item.priority}")) + f" · {tr_plain(item.provision)}")
            st.text(item.body)
            if not editable:
                st.text(f"{tr_plain('report.followup.status')}: "
                        f"{tr_plain('report.followup_statuses.' + (item.status or F.AWAITING))}")
                if item.evidence:
                    st.text(item.evidence)
                continue
            with st.form(f"followup_{item.item_id}"):
                status = st.selectbox(tr("report.followup.status"), choices, index=choices.index(item.status),
                                      format_func=lambda c: tr_plain(f"report.followup_statuses.{c or F.AWAITING}"),
                                      key=f"fu_s_{item.item_id}")
                evidence = st.text_area(tr("report.followup.evidence"), item.evidence, key=f"fu_e_{item.item_id}")
                if st.form_submit_button(tr("report.followup.save")):
                    F.record(s, ws.actor, ws.cycle.id, ws.party, item.item_id, status or "", evidence, item.seq)
                    st.session_state["followup_flash"] = True
                    st.rerun()
