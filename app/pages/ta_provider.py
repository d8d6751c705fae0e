"""A provider organization's technical assistance (UNODC, the Council of Europe...): its offers, the
requests they could serve, the state of the matches on them, one more offer, or one withdrawn.

The report shows a provider user only its own organization's offers and, of the needs, standalone
requests and published answers (`review.matching.report`)."""

import streamlit as st

from app.context import guarded, lang, refuse_unless, store, tr
from app.dashboard import cycle_picker
from app.ta_offers import offer_form, offer_publication, offer_views
from review.matching.registry import organizations, vocabulary, withdraw_offer
from review.matching.report import Labels, match_report

st.title(tr("matching.page.provider_title"))
who = refuse_unless("provider.workspace")
with guarded():
    language = lang()
    st.caption(tr("matching.page.provider_intro", provider=who.provider))
    cycle = cycle_picker("provider_match_cycle", "matching.page.cycle")
    report = match_report(store(), who, cycle.id, lang=language)
    ours = report.views["providers"]
    cols = st.columns(3)
    cols[0].metric(tr("matching.page.our_offer_count"), ours.height)
    cols[1].metric(tr("matching.page.could_serve_count"), report.views["could_serve"].height)
    cols[2].metric(tr("matching.page.matched"), report.views["matches"].height)

    st.subheader(tr("matching.page.provider_offers"))
    if ours.is_empty():
        st.info(tr("matching.page.no_offers_yet"))
    offer_views(report, language, matches=True)
    offer_publication(who, "provider_offer", report)
    v = vocabulary(store(), cycle.id)
    labels = Labels(store(), cycle, language)
    offer_form(who, "provider_offer", v, labels, cycle.id, provider=who.provider,
               kind=organizations(store()).get(who.provider, "organization"))
    if not ours.is_empty():
        offers = dict(zip(ours["offer_id"].to_list(), ours["types"].to_list()))
        chosen = st.selectbox(tr("matching.page.withdraw"), list(offers), key="provider_withdraw_pick",
                              format_func=lambda o: f"{o}: {offers[o]}")
        if st.button(tr("matching.page.withdraw"), key="provider_withdraw"):
            withdraw_offer(store(), who, chosen)
            st.success(tr("matching.page.withdrawn", offer=chosen))
