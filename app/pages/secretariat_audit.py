"""The audit trail for the secretariat: who changed what and when, filtered by Party, user, action
and date, with before and after as labels in the reader's language; CSV and Excel downloads of
every line matching the filters (the same rows as `review audit`)."""

import streamlit as st

from app.context import guarded, lang, refuse_unless, store, tr
from app.dates import date_input
from app.figures import downloads
from app.tables import show_table
from review.audit_trail import Filters, action_label, known_actions, trail, users_in_log
from review.parties import all_parties

SHOWN = ("logged_at", "user", "party_name", "action_label", "subject", "field", "before", "after")
MAX_SHOWN = 5000

st.title(tr("audit_trail.title"))
who = refuse_unless("audit.read")
with guarded():
    language = lang()
    st.caption(tr("audit_trail.intro"))
    names = {code: party.name(language) for code, party in all_parties(store()).items()}
    people = users_in_log(store(), who)
    any_ = tr("audit_trail.any")
    c1, c2, c3 = st.columns(3)
    party = c1.selectbox(tr("audit_trail.party"), [None, *names], key="audit_party",
                         format_func=lambda c: any_ if c is None else f"{names[c]} ({c})")
    user = c2.selectbox(tr("audit_trail.user"), [None, *people], key="audit_user",
                        format_func=lambda u: any_ if u is None else people[u])
    action = c3.selectbox(tr("audit_trail.action"), [None, *known_actions(store(), who)], key="audit_action",
                          format_func=lambda a: any_ if a is None else action_label(a, language))
    c1, c2 = st.columns(2)
    since = date_input(tr("audit_trail.since"), key="audit_since", container=c1)
    until = date_input(tr("audit_trail.until"), key="audit_until", container=c2)
    found = trail(store(), who, Filters(party=party, user=user, action=action, since=since, until=until), lang=language)
    table = found.frame()
    st.caption(tr("audit_trail.shown", entries=found.entries, lines=table.height))
    if table.is_empty():
        st.info(tr("audit_trail.nothing"))
    else:
        if table.height > MAX_SHOWN:
            st.warning(tr("audit_trail.too_many", shown=MAX_SHOWN, lines=table.height))
        readable = table.select([table[c].alias(tr(f"audit_trail.columns.{c}")) for c in ("entry", *SHOWN)])
        show_table(readable.head(MAX_SHOWN), hide_index=True)
        downloads(readable, "audit-trail", "audit_trail")
