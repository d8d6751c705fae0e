"""Review cycles, for the secretariat: those open so far, and a new one from a registered
questionnaire version, with its chapters in scope, its Parties (by regional group too) and deadlines."""

import datetime as dt

import polars as pl
import streamlit as st

from app.bulk_workbooks import bulk_workbooks
from app.context import date_text, guarded, lang, refuse_unless, store, text, tr
from app.uploads import file_uploader
from app.dates import date_input
from app.tables import show_table
from review import cycles as cycle_service, participation
from review.errors import Problem, ValidationFailed
from review.parties import REGIONAL_GROUPS, all_parties, in_regions

st.title(tr("secretariat.cycles_title"))
who = refuse_unless("cycle.manage")
created = st.session_state.pop("cycle_created", None)
if created:
    st.success(tr("secretariat.cycle_created", cycle=created))
with guarded():
    existing = cycle_service.list_cycles(store())
    if existing:
        show_table(pl.DataFrame({
            tr("secretariat.cycle_id"): [c.id for c in existing],
            tr("secretariat.cycle_title"): [c.title for c in existing],
            tr("secretariat.questionnaire"): [f"{c.questionnaire_id} {c.questionnaire_version}" for c in existing],
            tr("secretariat.chapters"): [", ".join(c.chapters) for c in existing],
            tr("secretariat.opens"): [c.opens for c in existing],
            tr("secretariat.deadline"): [c.deadline for c in existing],
            tr("secretariat.parties_count"): [len(cycle_service.participants(store(), c.id)) for c in existing],
        }), hide_index=True)
        bulk_workbooks(who, existing)

        st.subheader(tr("cli_steps.extend_title"))
        with st.form("extend_form"):
            by_id = {c.id: c for c in existing}
            left, right = st.columns(2)
            extend_id = left.selectbox(tr("cli_steps.extend_cycle"), list(by_id), key="extend_cycle",
                                       format_func=lambda c: f"{c} ({date_text(by_id[c].deadline)})")
            new_deadline = date_input(tr("cli_steps.new_deadline"), key="extend_deadline", container=right)
            extend = st.form_submit_button(tr("cli_steps.extend_button"), key="extend_button")
        if extend:
            if new_deadline is None:
                raise ValidationFailed([Problem("deadline", "values.required", {})])
            moved = cycle_service.extend_deadline(store(), who, extend_id, new_deadline)
            st.success(tr("cli_steps.deadline_extended", id=moved.id, deadline=date_text(moved.deadline)))
    else:
        st.info(tr("errors.no_cycle"))

    st.subheader(tr("secretariat.new_cycle"))
    versions = cycle_service.registered_questionnaires(store())
    if not versions:
        st.info(tr("secretariat.no_questionnaire"))
        st.stop()
    version = st.selectbox(tr("secretariat.questionnaire"), versions, format_func=lambda v: f"{v[0]} {v[1]}",
                           key="cycle_questionnaire")
    q = cycle_service.questionnaire(store(), *version)
    instrument = q.instrument["id"]
    standing = participation.standings(store(), instrument, dt.date.today())
    names = {code: party.name(lang()) for code, party in all_parties(store()).items()}

    def party_label(code: str) -> str:
        kind = standing.get(code)
        return f"{names[code]} ({code})" + (f" · {tr('participation.standing.' + kind)}" if kind else "")

    with st.form("new_cycle"):
        left, right = st.columns(2)
        cycle_id = left.text_input(tr("secretariat.cycle_id"), key="cycle_id", help=tr("secretariat.cycle_id_help"))
        title = right.text_input(tr("secretariat.cycle_title"), key="cycle_title")
        chapters = st.multiselect(tr("secretariat.chapters"), [c.number for c in q.chapters],
                                  default=[c.number for c in q.chapters], key="cycle_chapters",
                                  format_func=lambda n: f"{n}. {text(q.chapter(n).title)}", placeholder=tr("app.choose_options"))
        regions = st.multiselect(tr("secretariat.cycle_regions"), REGIONAL_GROUPS, format_func=lambda g: tr(f"regions.{g}"),
                                 key="cycle_regions", placeholder=tr("app.choose_options"))
        all_parties_in = st.checkbox(tr("secretariat.cycle_all_parties"), value=True, key="cycle_all_parties",
                                     help=tr("secretariat.cycle_all_parties_help"))
        parties = st.multiselect(tr("secretariat.cycle_parties"), list(names), format_func=party_label,
                                 key="cycle_parties", help=tr("secretariat.cycle_volunteers_help"),
                                 placeholder=tr("app.choose_options"))
        left, right = st.columns(2)
        opens = date_input(tr("secretariat.opens"), dt.date.today(), key="cycle_opens", container=left)
        deadline = date_input(tr("secretariat.deadline"), dt.date.today() + dt.timedelta(days=180),
                              key="cycle_deadline", container=right)
        create = st.form_submit_button(tr("secretariat.create_cycle"), type="primary", key="create_cycle")
    if create:
        chosen = sorted(set(parties) | set(in_regions(store(), regions)))
        cycle = cycle_service.create_cycle(
            store(), who, cycle_id=cycle_id.strip(), title=title, questionnaire_id=version[0],
            questionnaire_version=version[1], chapters=chapters, parties=chosen, deadline=deadline, opens=opens,
            every_party=all_parties_in,
        )
        st.session_state["cycle_created"] = cycle.id
        st.rerun()

    st.subheader(tr("secretariat.treaty_status"))
    st.caption(tr("secretariat.treaty_status_help"))
    upload = file_uploader(tr("secretariat.treaty_status_file"), types=["csv"], key="treaty_status_upload", max_mb=1)
    if upload is not None and st.button(tr("secretariat.treaty_status_record"), key="treaty_status_record"):
        recorded = participation.import_status(store(), who, instrument, upload.name, upload.getvalue())
        st.success(tr("participation.cli.recorded", count=len(recorded), file=upload.name))
