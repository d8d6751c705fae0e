"""The published answers of the Parties that consented to their publication: open to everyone,
without login."""

import streamlit as st

from app.answers import show_chapter
from app.context import date_text, guarded, lang, store, tr
from app.dashboard import cycle_picker
from review import reading
from review.cycles import cycle_questionnaire
from review.parties import all_parties
from review.submissions import get_submission, published_answers

st.title(tr("reading.published_title"))
st.caption(tr("reading.published_intro"))
with guarded():
    cycle = cycle_picker("published_cycle")
    shown = reading.public_parties(store(), cycle.id)
    if not shown:
        st.info(tr("reading.none_published"))
        st.stop()
    names = {code: party.name(lang()) for code, party in all_parties(store()).items()}
    party = st.selectbox(tr("reading.party"), sorted(shown, key=lambda c: names.get(c, c)),
                         format_func=lambda c: names.get(c, c), key="published_party")
    chapter = st.selectbox(tr("reading.chapter"), cycle.chapters, key="published_chapter")
    sub = get_submission(store(), cycle.id, party)
    if sub.published_at:
        st.caption(tr("reading.published_on", date=date_text(sub.published_at)))
    sheet = reading.answer_sheet(cycle_questionnaire(store(), cycle), [chapter],
                                 published_answers(store(), cycle.id, party), lang())
    show_chapter(sheet[0])
