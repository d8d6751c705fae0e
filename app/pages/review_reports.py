"""Country review reports: draft a review's report from the reviewed Party's answers, edit its texts,
observations and recommendations and the executive summary in each language, and download it as
Word or PDF. The secretariat and the review's reviewers edit; the reviewed Party's users read (its
focal point agrees to the publication of the full report). The library decides every permission."""

import polars as pl
import streamlit as st

from app import peer_view
from app.context import language_names, actor, guarded, lang, refuse, store, tr, tr_plain
from app.text import escape
from app.dashboard import cycle_picker
from app.tables import show_table
from review.access import PUBLIC, allowed
from review.cycles import cycle_questionnaire
from review.i18n import LANGUAGES, label
from review.parties import all_parties
from review.peer import documents, report as R, reviews

STEP_DONE = "report_step_done"

st.title(tr("report.page.title"))
with guarded():
    who, language, s = actor(), lang(), store()
    if who is PUBLIC or who.role is PUBLIC.role:
        refuse(who)
    cycle = cycle_picker("report_cycle", "report.page.cycle")
    lines = {r.party: r for r in R.readable_reviews(s, who, cycle.id)}
    if not lines:
        st.info(tr("report.page.nothing_readable"))
        st.stop()
    names = {code: p.name(language) for code, p in all_parties(s).items()}
    party = st.selectbox(tr("report.page.party"), list(lines), format_func=lambda c: names.get(c, c), key="report_party")
    line = lines[party]
    st.caption(tr("report.page.stage", stage=tr_plain(f"report.stages.{line.stage}")))
    may_edit = allowed(who, "report.edit", party, cycle=cycle.id)
    editable = may_edit and R.open_for(line.stage, "agreed")  # the Party agreed to the texts and items as they are
    summary_editable = may_edit and R.open_for(line.stage, "summary")
    if line.stage == R.PUBLISHED:
        st.caption(tr("report.page.published_note"))
    peer_view.done_message(STEP_DONE)
    if line.drafted and allowed(who, "peer.read", party, cycle=cycle.id):
        review = reviews.get_review(s, who, cycle.id, party)
        if review.next_stage in R.STEPS:  # the report's next step, for whom acts at it (agree, summary, publish)
            peer_view.advance_button(who, review, STEP_DONE)

    if allowed(who, "report.consent", party):
        agreed = st.checkbox(tr("report.page.consent", party=names.get(party, party)), value=bool(line.full_report_public),
                             key="report_consent")
        if agreed != bool(line.full_report_public):
            R.agree_full_report(s, who, cycle.id, party, agreed)
            st.toast(tr("report.page.consent_saved"))
            st.rerun()

    if not line.drafted:
        st.info(tr("report.page.not_drafted"))
        if editable:
            with st.form("report_draft"):
                chosen = st.selectbox(tr("report.page.draft_lang"), LANGUAGES, index=LANGUAGES.index(language),
                                      format_func=language_names().get)
                if st.form_submit_button(tr("report.page.draft_button"), type="primary"):
                    done = R.draft_report(s, who, cycle.id, party, chosen)
                    st.session_state["report_flash"] = tr_plain("report.page.drafted", items=len(done.items))
                    st.rerun()
        st.stop()

    if "report_flash" in st.session_state:
        st.success(tr("report.page.saved") + " " + st.session_state.pop("report_flash"))
    report = R.get_report(s, who, cycle.id, party, language)
    q = cycle_questionnaire(s, cycle)
    base = report.seq  # every edit on this page starts from the report as loaded
    if not editable and line.stage != R.PUBLISHED:
        st.caption(tr("report.page.read_only"))
    report_tab, items_tab, summary_tab, export_tab = st.tabs(
        [tr("report.page.report_tab"), tr("report.page.items_tab"), tr("report.page.summary_tab"), tr("report.page.export_tab")])

    def saved() -> None:
        st.session_state["report_flash"] = ""
        st.rerun()

    with report_tab:
        st.subheader(tr("report.sections.introduction"))
        if editable:
            with st.form("report_intro"):
                body = st.text_area(tr("report.sections.introduction"), report.introduction, height=150,
                                    label_visibility="collapsed", key="report_intro_text")
                if st.form_submit_button(tr("report.page.save")):
                    R.edit_text(s, who, cycle.id, party, R.GENERAL, "introduction", body, base)
                    saved()
        else:
            st.text(report.introduction)
        for chapter in report.chapters:
            st.subheader(tr("report.doc.chapter", number=chapter.number, title=chapter.title))
            for article in chapter.articles:
                with st.expander(tr_plain("report.doc.article", number=article.number, title=article.title)):
                    if editable:
                        with st.form(f"report_article_{article.number}"):
                            typed = {section: st.text_area(tr(f"report.sections.{section}"), article.texts.get(section, ""),
                                                           height=120, key=f"report_text_{article.number}_{section}")
                                     for section in R.SECTIONS}
                            if st.form_submit_button(tr("report.page.save")):
                                for section, body in typed.items():
                                    if body != article.texts.get(section, ""):
                                        R.edit_text(s, who, cycle.id, party, str(article.number), section, body, base)
                                saved()
                    else:
                        for section in R.SECTIONS:
                            if article.texts.get(section):
                                st.markdown(f"**{tr(f'report.sections.{section}')}**")
                                st.text(article.texts[section])
                    if article.items:
                        show_table(pl.DataFrame(
                            [(i.provision, tr_plain(f"report.kinds.{i.kind}"), tr_plain(f"report.priorities.{i.priority}"), i.body)
                             for i in article.items],
                            schema=[tr_plain(f"report.doc.{k}") for k in ("provision", "kind", "priority", "text")],
                            orient="row"), hide_index=True)

    provisions = [p.id for p in q.assessed_provisions(cycle.chapters)]
    refs = {p.id: label(p.ref, language) for p in q.assessed_provisions(cycle.chapters)}
    with items_tab:
        items = report.items
        if not items:
            st.caption(tr("report.page.no_items"))
        for item in items:
            with st.container(border=True):
                if editable:
                    with st.form(f"report_item_{item.id}"):
                        cols = st.columns(3)
                        provision = cols[0].selectbox(tr("report.doc.provision"), provisions,
                                                      index=provisions.index(item.provision_id) if item.provision_id in provisions else 0,
                                                      format_func=refs.get, key=f"ri_p_{item.id}")
                        kind = cols[1].selectbox(tr("report.doc.kind"), R.KINDS, index=R.KINDS.index(item.kind),
                                                 format_func=lambda k: tr_plain(f"report.kinds.{k}"), key=f"ri_k_{item.id}")
                        priority = cols[2].selectbox(tr("report.doc.priority"), R.PRIORITIES, index=R.PRIORITIES.index(item.priority),
                                                     format_func=lambda k: tr_plain(f"report.priorities.{k}"), key=f"ri_r_{item.id}")
                        body = st.text_area(tr("report.doc.text"), item.body, key=f"ri_t_{item.id}")
                        left, right = st.columns(2)
                        if left.form_submit_button(tr("report.page.save")):
                            R.edit_item(s, who, cycle.id, party, item.id, base, provision_id=provision, kind=kind,
                                        priority=priority, body=body)
                            saved()
                        if right.form_submit_button(tr("report.page.remove")):
                            R.remove_item(s, who, cycle.id, party, item.id, base)
                            saved()
                else:
                    st.caption(f"{tr(f'report.kinds.{item.kind}')} · {tr('report.doc.provision')}: {escape(item.provision)} · "
                               f"{tr('report.doc.priority')}: {tr(f'report.priorities.{item.priority}')}")
                    st.text(item.body)
        if editable:
            st.subheader(tr("report.page.add_item"))
            with st.form("report_add_item", clear_on_submit=False):
                cols = st.columns(3)
                provision = cols[0].selectbox(tr("report.doc.provision"), provisions, format_func=refs.get, key="ri_new_p")
                kind = cols[1].selectbox(tr("report.doc.kind"), R.KINDS, format_func=lambda k: tr_plain(f"report.kinds.{k}"),
                                         key="ri_new_k")
                priority = cols[2].selectbox(tr("report.doc.priority"), R.PRIORITIES,
                                             format_func=lambda k: tr_plain(f"report.priorities.{k}"), key="ri_new_r")
                body = st.text_area(tr("report.doc.text"), key="ri_new_t")
                if st.form_submit_button(tr("report.page.add"), type="primary"):
                    R.add_item(s, who, cycle.id, party, provision, kind, priority, body, base)
                    saved()

    with summary_tab:
        chosen = st.selectbox(tr("report.page.summary_lang"), LANGUAGES, index=LANGUAGES.index(language),
                              format_func=language_names().get, key="report_summary_lang")
        summary = R.get_summary(s, who, cycle.id, party, chosen)
        st.markdown(f"**{tr('report.page.summary_drafted')}**")
        st.text(summary.drafted)
        if summary_editable:
            with st.form(f"report_summary_{chosen}"):
                body = st.text_area(tr("report.page.summary_edited"), summary.edited or "", height=300,
                                    key=f"report_summary_text_{chosen}")
                if st.form_submit_button(tr("report.page.save")):
                    R.edit_summary(s, who, cycle.id, party, chosen, body, summary.seq)
                    saved()
            if st.button(tr("report.page.redraft"), key="report_redraft"):
                R.redraft_summaries(s, who, cycle.id, party)
                st.session_state["report_flash"] = tr_plain("report.page.redrafted")
                st.rerun()
        elif summary.edited:
            st.markdown(f"**{tr('report.page.summary_tab')}**")
            st.text(summary.edited)

    with export_tab:
        chosen = st.selectbox(tr("report.page.export_lang"), LANGUAGES, index=LANGUAGES.index(language),
                              format_func=language_names().get, key="report_export_lang")
        for what in ("report", "summary"):
            title = tr("report.page.report_tab") if what == "report" else tr("report.page.summary_tab")
            cols = st.columns(2)
            cols[0].download_button(
                f"{title}: {tr_plain('report.page.download_docx')}",
                data=lambda what=what: documents.render(s, who, cycle.id, party, "docx", chosen, what),
                file_name=f"{what}-{party}-{cycle.id}-{chosen}.docx", on_click="ignore", key=f"report_docx_{what}",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", icon=":material/description:")
            cols[1].download_button(
                f"{title}: {tr_plain('report.page.download_pdf')}",
                data=lambda what=what: documents.render(s, who, cycle.id, party, "pdf", chosen, what),
                file_name=f"{what}-{party}-{cycle.id}-{chosen}.pdf", mime="application/pdf", on_click="ignore",
                key=f"report_pdf_{what}", icon=":material/picture_as_pdf:")
