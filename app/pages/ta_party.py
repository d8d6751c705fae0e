"""A Party's technical assistance: the state of its needs and matches, the partner it accepts or the
suggestion it declines, standalone requests, the languages it receives TA in, and its own offers
with the requests they could serve."""

import polars as pl
import streamlit as st

from review.access import allowed

from app.context import guarded, lang, language_names, refuse, refuse_unless, store, tr
from app.dates import date_input
from app.dashboard import cycle_picker
from app.ta_offers import offer_form, offer_publication, offer_views
from app.tables import show_table
from review.drafts import load_draft
from review.i18n import LANGUAGE_NAMES, language_name
from review.workspace import capabilities
from review.matching.engine import MODALITIES
from review.matching.matches import DECISIONS, TRANSITIONS, act
from review.matching.registry import RequestInput, file_request, party_languages, set_languages, vocabulary
from review.matching.report import Labels, headers, match_report

STEPS = sorted({step for (_, step) in TRANSITIONS}, key=["accept", "decline", "start", "deliver"].index)
SHOWN = ("ref", "type_label", "priority_label", "source", "provider", "offer_id", "state_label", "score", "alternatives")

st.title(tr("matching.page.party_title"))
who = refuse_unless("match.read")
if not who.party:
    refuse(who)
report = None
with guarded():
    language = lang()
    st.caption(tr("matching.page.party_intro"))
    cycle = cycle_picker("party_match_cycle", "matching.page.cycle")
    report = match_report(store(), who, cycle.id, lang=language)
    labels = Labels(store(), cycle, language)
    mine = [line for line in report.lines if line["party"] == who.party]
    cols = st.columns(3)
    cols[0].metric(tr("matching.page.needs"), len(mine), help=tr("matching.page.needs_help"))
    cols[1].metric(tr("matching.page.matched"), sum(1 for x in mine if x["state"] != "unmet"))
    cols[2].metric(tr("matching.page.unmet"), sum(1 for x in mine if x["state"] == "unmet"))
    if capabilities(who, who.party).edit:
        drafted = [k for k in load_draft(store(), who, cycle.id, who.party) if k[1] == "ta_needs"]
        if drafted:
            st.caption(tr("ux.ta.drafted_needs", count=len(drafted)))

    st.subheader(tr("matching.page.our_needs"))
    if not mine:
        st.info(tr("matching.page.no_needs"))
    else:
        table = pl.DataFrame([{c: x[c] for c in SHOWN} for x in mine],
                             schema={c: (pl.Float64 if c == "score" else pl.String) for c in SHOWN})
        show_table(table.rename(headers(list(SHOWN), language)), hide_index=True)
        choices: dict[str, tuple[str, str, str]] = {}

        def offer_choice(text: str, pick: tuple[str, str, str]) -> None:
            name, n = text, 1
            while name in choices:
                n += 1
                name = f"{text} #{n}"
            choices[name] = pick

        for x in mine:
            title = f"{x['ref']} · {x['type_label']}"
            if x["offer_id"]:
                offer_choice(f"{title} → {x['provider']} ({x['state_label']})", (x["need_key"], x["offer_id"], x["state"]))
            for offer in x["alternative_offers"]:
                offer_choice(f"{title} → {offer} ({tr('matching.states.suggested')})", (x["need_key"], offer, "suggested"))
        # only the steps this role may take on its Party's matches (the library's policy decides)
        steps = [step for step in STEPS if allowed(who, "match.decide" if step in DECISIONS else "match.progress", who.party)]
        if choices and steps:
            with st.form("party_act_form"):
                label = st.selectbox(tr("matching.page.choose_match"), list(choices), key="party_pick")
                pick = choices[label]
                step = st.selectbox(tr("matching.page.act"), steps, format_func=lambda s: tr(f"matching.steps.{s}"),
                                    key="party_step")
                if st.form_submit_button(tr("matching.page.do")):
                    with guarded():
                        state = act(store(), who, pick[0], pick[1], step, seen_state=pick[2])
                        st.success(tr("matching.page.done", state=tr(f"matching.states.{state}")))

if report is None:
    st.stop()
with guarded():
    # which of our needs the public sees, apart from publishing our answers (review.matching.publication)
    from review.matching.publication import publish_needs, published

    st.subheader(tr("tapub.publish_needs"))
    st.caption(tr("tapub.publish_needs_help"))
    ours = {x["need_key"]: f"{x['ref']} · {x['type_label']} · {x['priority_label']}" for x in mine}
    public_now = published(store(), "need")
    if not ours:
        st.write(tr("matching.page.no_needs"))
    elif not allowed(who, "need.publish", who.party):
        st.write(tr("tapub.published_list", items="; ".join(v for k, v in ours.items() if k in public_now)
                    or tr("tapub.none_published")))
    else:
        with st.form("tapub_needs_form"):
            picked = st.multiselect(tr("tapub.published_needs"), list(ours), default=[k for k in ours if k in public_now],
                                    format_func=ours.get, key="tapub_needs", placeholder=tr("tapub.none_published"))
            if st.form_submit_button(tr("tapub.save_publication")):
                with guarded():
                    publish_needs(store(), who, {k: k in picked for k in ours if (k in picked) != (k in public_now)})
                    st.success(tr("tapub.publication_saved", count=len(picked)))
with guarded():
    v = vocabulary(store(), cycle.id)
    may_request = allowed(who, "request.file", who.party)
    st.subheader(tr("matching.page.our_languages"))
    current = sorted(party_languages(store()).get(who.party, frozenset()))
    if not may_request:
        st.write(", ".join(language_name(code, lang()) for code in current if code in LANGUAGE_NAMES) or tr("matching.page.none_chosen"))
    else:
        with st.form("party_languages_form"):
            chosen = st.multiselect(tr("matching.page.languages"), list(LANGUAGE_NAMES), default=current,
                                    format_func=language_names().get, key="party_languages", placeholder=tr("app.choose_options"))
            if st.form_submit_button(tr("matching.page.save")):
                with guarded():
                    set_languages(store(), who, who.party, chosen)
                    st.success(tr("matching.page.languages_saved"))

with guarded():
    if may_request:
        st.subheader(tr("matching.page.request"))
        with st.form("party_request_form"):
            c1, c2 = st.columns(2)
            kind = c1.selectbox(tr("matching.page.request_type"), v.ta_types, format_func=labels.ta_type, key="request_type")
            priority = c2.selectbox(tr("matching.page.priority"), v.priorities, format_func=labels.priority, key="request_priority")
            c1, c2 = st.columns(2)
            chapter = c1.selectbox(tr("matching.page.chapter"), [None, *v.chapters], key="request_chapter",
                                   format_func=lambda c: tr("matching.any_topic") if c is None else labels.chapter(c))
            article = c2.selectbox(tr("matching.page.article"), [None, *sorted(v.articles)], key="request_article",
                                   format_func=lambda a: tr("matching.page.none_chosen") if a is None else labels.topic(a, None))
            c1, c2, c3 = st.columns(3)
            wanted = c1.multiselect(tr("matching.page.languages"), list(LANGUAGE_NAMES), format_func=language_names().get,
                                    key="request_languages", placeholder=tr("app.choose_options"))
            modality = c2.selectbox(tr("matching.page.modality"), [None, *MODALITIES], key="request_modality",
                                    format_func=lambda m: tr("matching.page.none_chosen") if m is None else tr(f"matching.modalities.{m}"))
            needed_by = date_input(tr("matching.page.needed_by"), key="request_needed_by", container=c3)
            description = st.text_area(tr("matching.page.description"), key="request_description")
            if st.form_submit_button(tr("matching.page.save")):
                request_id = file_request(store(), who, RequestInput(
                    party=who.party, type=kind, priority=priority, description=description, article=article, chapter=chapter,
                    languages=wanted, modality=modality, needed_by=needed_by), cycle.id)
                st.success(tr("matching.page.filed", request=request_id))

with guarded():
    st.subheader(tr("matching.page.our_offers"))
    offer_views(report, language)
    offer_publication(who, "poffer", report, party=who.party)
    if allowed(who, "offer.register", who.party):
        offer_form(who, "poffer", v, labels, cycle.id, provider=labels.party(who.party), kind="party", party=who.party)
