"""TA matching for the secretariat: suggested matches, per provider, per Party, unmet needs and their
summary, the downloads (Excel, PDF, JSON), and the offers (register one, import a workbook, withdraw)."""

import datetime as dt

import streamlit as st

from app.context import guarded, lang, language_names, refuse_unless, store, tr
from app.uploads import file_uploader
from app.dates import date_input
from app.text import escape
from app.dashboard import cycle_picker
from app.tables import show_table
from review import limits
from review.matching.engine import MODALITIES, PROVIDER_KINDS, ROLES
from review.matching.files import report_bytes
from review.matching.offer_workbook import import_offers, offer_template
from review.matching.registry import OfferInput, active_offers, register_offer, vocabulary, withdraw_offer
from review.matching.report import VIEWS, Labels, headers, match_report
from review.i18n import LANGUAGE_NAMES
from review.parties import REGIONAL_GROUPS, all_parties

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title(tr("matching.page.title"))
who = refuse_unless("offer.import")
with guarded():
    language = lang()
    st.caption(tr("matching.page.intro"))
    cycle = cycle_picker("match_cycle", "matching.page.cycle")
    report = match_report(store(), who, cycle.id, lang=language)
    totals = report.totals
    cols = st.columns(5)
    for col, (key, value) in zip(cols, (("needs", totals["needs"]), ("matched", totals["matched"]), ("unmet", totals["unmet"]),
                                        ("offers", totals["offers"]), ("total_score", totals["total_score"]))):
        col.metric(tr(f"matching.page.{key}"), value)
    st.caption(tr("matching.page.optimal") if totals["optimal"] else tr("matching.page.bounded"))
    st.caption(tr("matching.scoring_note"))
    st.subheader(tr("matching.page.downloads"))
    # the buttons as wide as their labels ("Excel (every view)" was cut off in narrow columns)
    cols = [st.container(horizontal=True)] * 3
    name = f"ta-matching-{cycle.id}"
    cols[0].download_button(tr("matching.page.xlsx"), data=lambda: report_bytes(report, "xlsx"), file_name=f"{name}.xlsx",
                            mime=XLSX, key="match_xlsx", on_click="ignore", icon=":material/download:")
    cols[1].download_button(tr("matching.page.pdf"), data=lambda: report_bytes(report, "pdf"), file_name=f"{name}.pdf",
                            mime="application/pdf", key="match_pdf", on_click="ignore", icon=":material/picture_as_pdf:")
    cols[2].download_button(tr("matching.page.json"), data=lambda: report_bytes(report, "json"), file_name=f"{name}.json",
                            mime="application/json", key="match_json", on_click="ignore", icon=":material/download:")

    tabs = st.tabs([tr(f"matching.views.{v}") for v in VIEWS] + [tr("matching.page.offers_tab")])
    for tab, view in zip(tabs, VIEWS):
        with tab:
            frame = report.views[view]
            if frame.is_empty():
                st.info(tr("matching.none"))
            else:
                show_table(frame.rename(headers(frame.columns, language)), hide_index=True)

    with tabs[-1]:
        offers = active_offers(store())
        names = {o.id: f"{o.id}: {o.provider} ({o.capacity})" for o in offers}
        if offers:
            chosen = st.selectbox(tr("matching.page.withdraw"), list(names), format_func=names.get, key="match_withdraw_pick")
            if st.button(tr("matching.page.withdraw"), key="match_withdraw"):
                withdraw_offer(store(), who, chosen)
                st.success(tr("matching.page.withdrawn", offer=chosen))
        st.subheader(tr("matching.page.register"))
        v = vocabulary(store(), cycle.id)
        labels = Labels(store(), cycle, language)
        parties = all_parties(store())
        with st.form("match_offer_form"):
            provider = st.text_input(tr("matching.page.provider"), key="offer_provider")
            c1, c2, c3 = st.columns(3)
            kind = c1.selectbox(tr("matching.page.kind"), PROVIDER_KINDS, format_func=lambda k: tr(f"matching.kinds.{k}"),
                                key="offer_kind")
            party = c2.selectbox(tr("matching.page.provider_party"), [None, *parties], key="offer_party",
                                 format_func=lambda c: tr("matching.page.none_chosen") if c is None else parties[c].name(language))
            role = c3.selectbox(tr("matching.page.role"), ROLES, format_func=lambda r: tr(f"matching.roles.{r}"), key="offer_role")
            types = st.multiselect(tr("matching.page.types"), v.ta_types, key="offer_types", format_func=labels.ta_type,
                                   placeholder=tr("app.choose_options"))
            chapters = st.multiselect(tr("matching.page.chapters"), v.chapters, key="offer_chapters",
                                      placeholder=tr("app.choose_options"))
            articles = st.multiselect(tr("matching.page.articles"), sorted(v.articles), key="offer_articles",
                                      placeholder=tr("app.choose_options"))
            languages = st.multiselect(tr("matching.page.languages"), list(LANGUAGE_NAMES), format_func=language_names().get,
                                       key="offer_languages", placeholder=tr("app.choose_options"))
            regions = st.multiselect(tr("matching.page.regions"), REGIONAL_GROUPS, format_func=lambda g: tr(f"regions.{g}"),
                                     key="offer_regions", placeholder=tr("app.choose_options"))
            countries = st.multiselect(tr("matching.page.countries"), list(parties), key="offer_countries",
                                       format_func=lambda c: parties[c].name(language), placeholder=tr("app.choose_options"))
            c1, c2, c3, c4 = st.columns(4)
            # no range on the widget: the browser would clamp what is typed; the library refuses it by name
            capacity = c1.number_input(tr("matching.page.capacity"), value=5, step=1, key="offer_capacity")
            modalities = c2.multiselect(tr("matching.page.modalities"), MODALITIES, key="offer_modalities",
                                        format_func=lambda m: tr(f"matching.modalities.{m}"), placeholder=tr("app.choose_options"))
            starts = date_input(tr("matching.page.starts"), dt.date.today(), key="offer_starts", container=c3)
            ends = date_input(tr("matching.page.ends"), dt.date.today() + dt.timedelta(days=730), key="offer_ends",
                                container=c4)
            description = st.text_area(tr("matching.page.description"), key="offer_description")
            if st.form_submit_button(tr("matching.page.save")):
                offer_id = register_offer(store(), who, OfferInput(
                    provider=provider, provider_kind=kind, role=role, types=types, capacity=int(capacity), provider_party=party,
                    chapters=chapters, articles=articles, languages=languages, regions=regions, countries=countries,
                    modalities=modalities, starts=starts, ends=ends, description=description), cycle.id)
                st.success(tr("matching.page.registered", offer=offer_id))
        st.subheader(tr("matching.page.import"))
        st.download_button(tr("matching.page.template"), data=lambda: offer_template(language), file_name="ta-offers.xlsx",
                           mime=XLSX, key="match_template", on_click="ignore", icon=":material/download:")
        upload = file_uploader(tr("matching.page.import"), types=["xlsx"], key="match_upload",
                               max_mb=limits.UPLOAD_BYTES // limits.MB)
        if upload is not None and st.button(tr("matching.page.import_button"), key="match_import"):
            result = import_offers(store(), who, upload.name, upload.getvalue())
            if result.errors:
                st.error(tr("matching.page.refused") + "\n\n" + "\n".join(
                    f"- {escape(p.where)}: {p.message(language, escape)}" for p in result.errors))
            else:
                st.success(tr("matching.page.imported", count=len(result.offers)))
