"""Legislation library (like UNODC's TRACK legal library): every law and measure cited in the
answers the viewer may see, searchable by article, Party, regional group, year and title words."""

import datetime as dt

import streamlit as st

from app.context import actor, guarded, lang, store, tr
from app.dashboard import cycle_picker, scope_caption
from app.figures import downloads, labelled
from app.tables import show_table
from review.analysis import legislation, scoring
from review.cycles import cycle_questionnaire
from review.i18n import label
from review.parties import REGIONAL_GROUPS
from review.questionnaire.values import MAX_YEAR, MIN_YEAR

st.title(tr("legislation.title"))
with guarded():
    who, source, language = actor(), store(), lang()
    cycle = cycle_picker("law_cycle")
    st.caption(tr("legislation.intro"))
    scope_caption()
    q = cycle_questionnaire(source, cycle)
    articles = {a.number: f"{a.number}. {label(a.title, language)}" for a in q.articles if a.chapter in cycle.chapters}
    parties = scoring.party_scores(source, who, cycle.id, lang=language)
    names = dict(zip(parties["party"], parties["party_name"]))
    cols = st.columns([3, 2, 2, 2, 2])
    words = cols[0].text_input(tr("legislation.words"), key="law_words")
    article = cols[1].selectbox(tr("dash.article"), [None, *articles], key="law_article",
                                format_func=lambda a: tr("dash.all") if a is None else articles[a])
    party = cols[2].selectbox(tr("dash.party"), [None, *sorted(names, key=names.get)], key="law_party",
                              format_func=lambda p: tr("dash.all") if p is None else names[p])
    region = cols[3].selectbox(tr("dash.region"), [None, *REGIONAL_GROUPS], key="law_region",
                               format_func=lambda g: tr("dash.all") if g is None else tr(f"regions.{g}"))
    # Every year an answer may give is in reach; a range touching an end is open on that side.
    first, last = MIN_YEAR, dt.date.today().year + 1
    years = cols[4].slider(tr("legislation.year_range"), first, last, (first, last), key="law_years")
    found = legislation.legislation_library(
        source, who, cycle.id, article=article, party=party, region=region,
        year=None if years == (first, last) else (years[0], MAX_YEAR if years[1] == last else years[1]),
        words=words or None, lang=language,
    )
    st.caption(tr("legislation.results", count=found.height))
    table = labelled(found, {
        "party_name": "dash.party", "region_name": "dash.region", "ref": "dash.provision", "status": "dash.status",
        "title": "legislation.title_col", "provision_cited": "legislation.cited", "year": "legislation.year",
        "law_status": "legislation.status", "link": "legislation.link",
    })
    show_table(table, hide_index=True, column_config={tr("legislation.link"): st.column_config.LinkColumn()})
    downloads(table, f"legislation-{cycle.id}", "law_table")
