"""The offline workbook: download the Party's questionnaire as Excel, pre-filled with its answers,
and bring a filled one back (checked whole, imported all or nothing, each error by sheet and cell)."""

import streamlit as st

from app.context import guarded, lang, store, tr
from app.uploads import file_uploader
from app.workspace import open_workspace, state_line
from app.text import escape
from review import workspace
from review.workbook import Limits, import_workbook, write_template

st.title(tr("party.workbook_title"))
with guarded():
    ws = open_workspace("workbook")
    s = store()
    st.caption(state_line(ws))
    st.markdown(tr("party.workbook_intro"))
    st.download_button(
        tr("party.download_workbook"), data=lambda: write_template(s, ws.actor, ws.cycle.id, ws.party, lang()),
        file_name=f"{ws.party}-{ws.cycle.id}.xlsx", on_click="ignore", icon=":material/download:", key="ws_download",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.subheader(tr("party.upload_heading"))
    if not ws.can.import_workbook:
        st.info(tr("party.read_only_role"), icon=":material/visibility:")
        st.stop()
    if not ws.editable:
        st.info(tr("party.read_only_state"), icon=":material/lock:")
        st.stop()
    upload = file_uploader(tr("party.upload_workbook"), types=["xlsx"], key="ws_upload",
                           max_mb=Limits().max_bytes // (1024 * 1024))
    take = st.checkbox(tr("party.take_workbook"), key="ws_take_workbook", help=tr("party.take_workbook_help"))
    if st.button(tr("party.import"), type="primary", disabled=upload is None, key="ws_import", icon=":material/upload:"):
        report = import_workbook(s, ws.actor, upload.name, upload.getvalue(), take_workbook=take,
                                 expect_party=ws.party, expect_cycle=ws.cycle.id)
        if report.imported:
            st.success(tr("party.imported", file=report.file, changed=report.changed, revision=report.revision),
                       icon=":material/check_circle:")
        else:
            st.error(tr("party.import_refused", file=report.file, count=len(report.errors)))
            # one line a problem, whole (a table cell would cut a long message off): the sheet and cell,
            # then the answer in words (provision, question, row, column), then what is wrong
            for e in report.errors:
                place = ", ".join(p for p in (e.sheet, e.cell) if p)
                answer = workspace.where(ws.questionnaire, e.location, lang()) if e.location else ""
                st.markdown("- " + " · ".join(escape(p) for p in (place, answer) if p)
                            + (": " if place or answer else "") + e.message(lang(), escape))
