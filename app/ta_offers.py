"""What a provider of TA sees and does on its page, shared by a providing Party (its focal point's
page) and a provider organization (its provider user's page): its offers with the requests they
could serve, the state of the matches on them, and the form that registers one more offer."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app.context import guarded, language_names, store, tr
from app.dates import date_input
from app.tables import show_table
from review.access import Actor
from review.i18n import LANGUAGE_NAMES
from review.matching.engine import MODALITIES, ROLES
from review.matching.registry import OfferInput, Vocabulary, register_offer
from review.matching.report import Labels, MatchReport, headers
from review.parties import REGIONAL_GROUPS

FIELDS = ("role", "types", "chapters", "languages", "regions", "capacity", "modalities", "ends", "description")
MATCH_SHOWN = ("party_name", "ref", "type_label", "priority_label", "offer_id", "state_label", "score")


def offer_views(report: MatchReport, language: str, *, matches: bool = False) -> None:
    """Our offers and the requests they could serve (and, with `matches`, the matches on them)."""
    for view in ("providers", "could_serve", *(("matches",) if matches else ())):
        frame = report.views.get(view)
        if frame is None or frame.is_empty():
            continue
        if view == "matches":
            frame = frame.select(MATCH_SHOWN)
        st.caption(tr(f"matching.views.{view}"))
        show_table(frame.rename(headers(frame.columns, language)), hide_index=True)


def offer_form(who: Actor, key: str, v: Vocabulary, labels: Labels, cycle_id: str, *, provider: str, kind: str,
               party: str | None = None) -> None:
    """One more offer from `provider` (of `kind`, for `party` when a Party offers); the library
    refuses it unless `who` may offer for that provider. A registered offer is said once and the form
    starts empty again (the page is drawn anew, so the offer is listed at once)."""
    flash = st.session_state.pop(f"{key}_registered", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    with st.expander(tr("matching.page.offer")), st.form(f"{key}_form"):
        role = st.selectbox(tr("matching.page.role"), ROLES, format_func=lambda r: tr(f"matching.roles.{r}"), key=f"{key}_role")
        choose = tr("app.choose_options")
        types = st.multiselect(tr("matching.page.types"), v.ta_types, format_func=labels.ta_type, key=f"{key}_types",
                               placeholder=choose)
        chapters = st.multiselect(tr("matching.page.chapters"), v.chapters, key=f"{key}_chapters", placeholder=choose,
                                  format_func=labels.chapter)
        offered = st.multiselect(tr("matching.page.languages"), list(LANGUAGE_NAMES), format_func=language_names().get,
                                 key=f"{key}_languages", placeholder=choose)
        regions = st.multiselect(tr("matching.page.regions"), REGIONAL_GROUPS, format_func=lambda g: tr(f"regions.{g}"),
                                 key=f"{key}_regions", placeholder=choose)
        c1, c2, c3 = st.columns(3)
        capacity = c1.number_input(tr("matching.page.capacity"), value=3, step=1, key=f"{key}_capacity")
        modalities = c2.multiselect(tr("matching.page.modalities"), MODALITIES, key=f"{key}_modalities", placeholder=choose,
                                    format_func=lambda m: tr(f"matching.modalities.{m}"))
        ends = date_input(tr("matching.page.ends"), dt.date.today() + dt.timedelta(days=730), key=f"{key}_ends", container=c3)
        description = st.text_area(tr("matching.page.description"), key=f"{key}_description")
        if st.form_submit_button(tr("matching.page.save")):
            with guarded():
                offer_id = register_offer(store(), who, OfferInput(
                    provider=provider, provider_kind=kind, role=role, types=types, capacity=int(capacity),
                    provider_party=party, chapters=chapters, languages=offered, regions=regions, modalities=modalities,
                    starts=dt.date.today(), ends=ends, description=description), cycle_id)
                for field in FIELDS:
                    st.session_state.pop(f"{key}_{field}", None)
                st.session_state[f"{key}_registered"] = tr("matching.page.registered", offer=offer_id)
                st.rerun()


def offer_publication(who: Actor, key: str, report: MatchReport, *, party: str | None = None) -> None:
    """Which of our offers the public sees (the public TA page, the snapshot, the open data): one
    choice per offer; only for who may publish them (`offer.publish`: the library decides again)."""
    from review.access import allowed
    from review.matching.publication import publish_offers, published

    ours = report.views.get("providers")
    if ours is None or ours.is_empty():
        return
    offers = dict(zip(ours["offer_id"].to_list(), ours["types"].to_list()))
    now = published(store(), "offer")
    st.caption(tr("tapub.publish_offers_help"))
    if not allowed(who, "offer.publish", party, who.provider if party is None else None):
        st.write(tr("tapub.published_list", items=", ".join(o for o in offers if o in now) or tr("tapub.none_published")))
        return
    with st.form(f"{key}_publish_form"):
        picked = st.multiselect(tr("tapub.published_offers"), list(offers), default=[o for o in offers if o in now],
                                format_func=lambda o: f"{o}: {offers[o]}", key=f"{key}_published",
                                placeholder=tr("tapub.none_published"))
        if st.form_submit_button(tr("tapub.save_publication")):
            with guarded():
                publish_offers(store(), who, {o: o in picked for o in offers if (o in picked) != (o in now)})
                st.success(tr("tapub.publication_saved", count=len(picked)))
