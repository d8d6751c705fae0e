"""Backups, for the secretariat: take a consistent, checked copy of the database now, from the
app's own process (which owns the file), and see every backup taken with its check."""

import polars as pl
import streamlit as st

from app.context import guarded, lang, refuse_unless, store, tr, tr_plain
from app.tables import show_table
from review import backup

st.title(tr("backup.page_title"))
who = refuse_unless("backup.take")
root = backup.backup_root(store().path)
st.caption(tr("backup.page_help", path=str(root)))
with guarded():
    if st.button(tr("backup.take_now"), type="primary", icon=":material/backup:"):
        with st.spinner(tr("backup.taking")):
            taken = backup.take_now(store(), who, root)
        st.success(tr("backup.taken", path=str(taken.folder), tables=len(taken.tables),
                      rows=sum(taken.tables.values()), sha=taken.sha256[:12]))
    found = backup.list_backups(who, root)
    if not found:
        st.info(tr("backup.none_yet"))
    else:
        rows = []
        for item in found:
            if isinstance(item, backup.Backup):
                rows.append({tr_plain("backup.column_folder"): item.folder.name,
                             tr_plain("backup.column_taken"): item.created_at.replace("T", " ").replace("+00:00", " UTC"),
                             tr_plain("backup.column_rows"): sum(item.tables.values()),
                             tr_plain("backup.column_check"): tr_plain("backup.checked", sha=item.sha256[:12])})
            else:
                folder, wrong = item
                rows.append({tr_plain("backup.column_folder"): folder.name, tr_plain("backup.column_taken"): "",
                             tr_plain("backup.column_rows"): None,
                             tr_plain("backup.column_check"): wrong.message(lang())})
        show_table(pl.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("backup.restore_help"))
