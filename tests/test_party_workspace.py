"""A Party's workspace on the demo, as its focal point, contributor and observer use it, and as
the secretariat and the public are refused it: sections saved, drafts kept, a colleague's save
resolved answer by answer, workbooks uploaded with and without errors, a submission blocked then
made, and the history of revisions."""

from __future__ import annotations

from tests.answer_helpers import contents
from tests.text_helpers import shown, shows_login

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import navigation
from app.navigation import PAGES as PAGES_SPECS
from review import drafts, submissions, users
from review.access import PUBLIC
from review.cycles import cycle_questionnaire, get_cycle
from review.demo import SECRETARIAT_EMAIL
from review.errors import PermissionDenied
from review.i18n import t
from review.store import open_store
from review.workbook import write_template
from tests.workbook_helpers import fill

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
CYCLE = "review-2026"
PAGES = {
    "app/pages/party_cycle.py": "My cycle",
    "app/pages/party_questionnaire.py": "Questionnaire",
    "app/pages/party_workbook.py": "Offline workbook",
    "app/pages/party_submit.py": "Submit to the secretariat",
    "app/pages/party_history.py": "History",
}
REFUSED = "You are not allowed to open this page."
EMAILS = {
    "focal": "ken.focal@demo.example.org",
    "contributor": "ken.contributor@demo.example.org",
    "observer": "ken.observer@demo.example.org",
    "vnm": "vnm.focal@demo.example.org",
    "secretariat": SECRETARIAT_EMAIL,
}


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.close()


@pytest.fixture
def people(store):
    return {name: users.find_by_email(store, email).actor for name, email in EMAILS.items()}


def open_page(page: str, user=None, party: str | None = None, lang: str | None = None) -> AppTest:
    """The page through the app's menu, as a user clicks it."""
    app = AppTest.from_file(APP, default_timeout=90)
    if user is not None:
        app.session_state["user_id"] = user.id
    if lang:
        app.session_state["lang"] = lang
    app.run()
    app.switch_page(page)
    if party:
        app.query_params["party"] = party
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_by_url(page: str, user=None) -> AppTest:
    """A page left out of the user's menu, opened by its address: the page itself refuses."""
    actor = user or PUBLIC
    assert page not in [spec.path for spec in navigation.menu(actor)]
    app = AppTest.from_file(APP, default_timeout=90)
    if user is not None:
        app.session_state["user_id"] = user.id
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def status_radio(app: AppTest, provision: str):
    return next(r for r in app.radio if r.key and r.key.endswith(f"_{provision}_status"))


def choose_section(app: AppTest, article: int) -> AppTest:
    """Pick a section in the menu: an editable one opens with the button beside the menu, a
    read-only one as soon as it is picked."""
    app.selectbox(key="ws_section_pick").set_value(article)
    opener = [b for b in app.button if b.label == "Open section"]
    (opener[0].click() if opener else app).run()
    assert app.header[0].value.startswith(f"Article {article}:")
    return app


def open_section(user, article: int) -> AppTest:
    return choose_section(open_page("app/pages/party_questionnaire.py", user), article)


def answers(store, actor, party="KEN"):
    return submissions.current_answers(store, actor, CYCLE, party)


def texts(app: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(app, kind)]


# --- who sees what ---------------------------------------------------------------------------

def test_the_menu_offers_the_workspace_to_party_users_and_submit_to_the_focal_point_only(people):
    def titles(actor):
        return {t(spec.title_key) for spec in PAGES_SPECS if spec.audience(actor)}

    workspace = {"My cycle", "Questionnaire", "Offline workbook", "History"}
    assert workspace | {"Submit"} <= titles(people["focal"])
    assert workspace <= titles(people["contributor"]) and "Submit" not in titles(people["contributor"])
    assert workspace <= titles(people["observer"]) and "Submit" not in titles(people["observer"])
    for outsider in (people["secretariat"], PUBLIC):
        assert not (workspace | {"Submit"}) & titles(outsider)


@pytest.mark.parametrize("role", ["focal", "contributor", "observer"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_for_the_partys_users(people, role, page):
    if page.endswith("party_submit.py") and role != "focal":
        assert texts(open_by_url(page, people[role]), "error") == [REFUSED], "only the focal point submits"
        return
    app = open_page(page, people[role])
    assert app.title[0].value == PAGES[page]
    assert REFUSED not in texts(app, "error")
    assert "Kenya" in app.caption[0].value


@pytest.mark.parametrize("role", ["secretariat", "public"])
@pytest.mark.parametrize("page", list(PAGES))
def test_the_secretariat_and_the_public_are_refused_the_workspace(people, role, page):
    app = open_by_url(page, people.get(role))
    if role == "public":
        assert shows_login(app), "nobody logged in: the login, which brings them back"
        return
    assert texts(app, "error") == [REFUSED]
    assert [s.key for s in app.selectbox] == ["lang_picker"] and not app.dataframe


@pytest.mark.parametrize("page", list(PAGES))
def test_another_partys_data_is_refused_even_by_url(people, page):
    app = open_page(page, people["focal"], party="FRA")
    assert texts(app, "error") == [REFUSED]
    assert not app.dataframe


def test_the_workspace_speaks_chinese(people):
    app = open_page("app/pages/party_questionnaire.py", people["focal"], lang="zh")
    assert app.title[0].value == "问卷"
    assert status_radio(app, "4.1").label == "贵国是否已执行本条款？ *"
    assert button(app, "保存本部分")


# --- my cycle and the questionnaire ------------------------------------------------------------

def test_my_cycle_shows_deadline_state_completeness_by_chapter_and_clarifications(people):
    app = open_page("app/pages/party_cycle.py", people["vnm"])
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["State"] == "Returned for clarification" and metrics["Deadline"] == "Oct 31, 2026"  # as English writes it (review.formats)
    chapters = app.dataframe[0].value
    assert list(chapters.iloc[:, 0])[:2] == ["Chapter I: General provisions", "Chapter II: Criminalization"]
    assert any("Please cite the article of the law" in i for i in texts(app, "info"))
    assert {"Full submission (Word)", "Full submission (PDF)"} <= {b.proto.label for b in app.get("download_button")}


def test_a_provision_is_shown_with_its_text_obligation_and_the_secretariats_question(people):
    app = open_page("app/pages/party_questionnaire.py", people["vnm"])
    app.toggle(key="ws_filter_returned").set_value(True).run()
    assert [s.value for s in app.subheader] == ["Art. 4(1)"]
    assert any(c.value == "Obligation: Mandatory" for c in app.caption)
    assert any("Please cite the article of the law" in w for w in texts(app, "warning"))


def test_filters_narrow_the_sections(people):
    app = open_page("app/pages/party_questionnaire.py", people["focal"])
    every = list(app.selectbox(key="ws_section_pick").options)
    app.toggle(key="ws_filter_mandatory").set_value(True).run()
    mandatory = list(app.selectbox(key="ws_section_pick").options)
    app.toggle(key="ws_filter_unanswered").set_value(True).run()
    unanswered = list(app.selectbox(key="ws_section_pick").options)
    assert len(unanswered) < len(mandatory) < len(every)
    assert any(o.startswith("IV · Art. 32 ") for o in every)
    assert not any(o.startswith("IV · Art. 32 ") for o in mandatory), "article 32 is optional"


def test_saving_a_section_with_its_legislation_table(store, people):
    app = open_section(people["focal"], 7)
    status_radio(app, "7.2").set_value("partly_implemented")
    gen = app.session_state["ws_snapshot"]["gen"]
    app.session_state[f"ans_{gen}_7.2_legislation"] = {
        "edited_rows": {}, "deleted_rows": [], "added_rows": [{"title": "Cybercrime Act 2019", "provision_cited": "s. 4", "year": 2019}],
    }
    button(app, "Save section").click().run()
    assert texts(app, "success") == ["Saved: 2 answer(s) changed (change 2)."]
    saved = answers(store, people["focal"])
    assert saved[("7.2", "status")] == "partly_implemented"
    assert contents(saved[("7.2", "legislation")]) == [{"title": "Cybercrime Act 2019", "provision_cited": "s. 4", "year": 2019}]
    assert "(2/4)" in app.selectbox(key="ws_section_pick").format_func(7), "legislation and steps needed are now required too"


def test_a_wrong_value_is_refused_by_row_and_column_and_kept_as_draft(store, people):
    app = open_section(people["focal"], 7)
    gen = app.session_state["ws_snapshot"]["gen"]
    app.session_state[f"ans_{gen}_7.1_legislation"] = {
        "edited_rows": {}, "deleted_rows": [], "added_rows": [{"title": "Penal Code", "link": "not a link"}],
    }
    button(app, "Save section").click().run()
    assert texts(app, "error")[0].startswith("Nothing was saved: 1 answer(s) need correcting.")
    assert "Art. 7(1) — Legislation and other measures that implement the provision — row 1 — Link to the official text" in app.markdown[-1].value
    assert ("7.1", "legislation") not in answers(store, people["focal"])
    assert ("7.1", "legislation") in drafts.load_draft(store, people["focal"], CYCLE, "KEN")


def test_unsaved_changes_survive_moving_between_sections_and_leaving_the_page(store, people):
    app = open_section(people["focal"], 7)
    status_radio(app, "7.1").set_value("implemented")
    button(app, "Next section").click().run()
    assert app.header[0].value.startswith("Article 8:")
    assert texts(app, "success") == ["1 unsaved answer(s) kept as your draft."]
    assert ("7.1", "status") not in answers(store, people["focal"]), "a draft is not saved yet"

    later = open_section(people["focal"], 7)
    assert status_radio(later, "7.1").value == "implemented"
    assert any("unsaved answers kept as your draft" in c.value for c in later.caption)
    button(later, "Save section").click().run()
    assert answers(store, people["focal"])[("7.1", "status")] == "implemented"
    assert drafts.load_draft(store, people["focal"], CYCLE, "KEN") == {}


def test_unsaved_changes_survive_moving_away_with_the_section_menu(store, people):
    app = open_section(people["focal"], 7)
    status_radio(app, "7.1").set_value("implemented")
    app.selectbox(key="ws_section_pick").set_value(8)
    button(app, "Open section").click().run()
    assert app.header[0].value.startswith("Article 8:")
    assert texts(app, "success") == ["1 unsaved answer(s) kept as your draft."]
    assert app.selectbox(key="ws_section_pick").value == 8
    assert "✎" in app.selectbox(key="ws_section_pick").format_func(7)

    choose_section(app, 7)
    assert status_radio(app, "7.1").value == "implemented"
    assert "**Legislation and other measures that implement the provision** \\*" in texts(app, "markdown"), \
        "the draft makes the legislation required"
    assert ("7.1", "status") not in answers(store, people["focal"]), "a draft is not saved yet"
    button(app, "Save section").click().run()
    assert answers(store, people["focal"])[("7.1", "status")] == "implemented"
    assert drafts.load_draft(store, people["focal"], CYCLE, "KEN") == {}
    assert "✎" not in app.selectbox(key="ws_section_pick").format_func(7), "the menu shows the save at once"


def test_the_observer_moves_with_the_section_menu_alone(people):
    app = open_section(people["observer"], 7)
    assert "Open section" not in [b.label for b in app.button]
    choose_section(app, 8)
    assert app.selectbox(key="ws_section_pick").value == 8


@pytest.mark.parametrize("choice, kept", [("mine", "implemented"), ("theirs", "not_implemented")])
def test_a_colleagues_save_in_between_is_shown_and_the_user_chooses(store, people, choice, kept):
    app = open_section(people["focal"], 7)
    status_radio(app, "7.1").set_value("implemented")
    app.text_area(key=next(t.key for t in app.text_area if t.key.endswith("_7.2_examples"))).set_value("Mine only")
    seq = submissions.get_submission(store, CYCLE, "KEN").seq
    submissions.save_answers(store, people["contributor"], CYCLE, "KEN", seq, {("7.1", "status"): "not_implemented"})

    button(app, "Save section").click().run()
    assert texts(app, "warning")[0].startswith("A colleague saved 1 of the answers you changed")
    assert "Implemented" in [t.value for t in app.text] and "Not implemented" in [t.value for t in app.text]
    assert any("Contributor, Kenya" in c.value for c in app.caption)
    assert answers(store, people["focal"])[("7.1", "status")] == "not_implemented", "nothing overwritten yet"

    button(app, "Save with my choices").click().run()
    assert texts(app, "error") == ["Choose a version for every answer first."]
    next(r for r in app.radio if r.key.startswith("ws_conflict_")).set_value(choice)
    button(app, "Save with my choices").click().run()
    assert texts(app, "success")[0].startswith("Saved:")
    saved = answers(store, people["focal"])
    assert saved[("7.1", "status")] == kept
    assert saved[("7.2", "examples")] == "Mine only", "answers only I changed are saved either way"


def test_the_observer_reads_and_cannot_change_anything(store, people):
    app = open_section(people["observer"], 7)
    assert not app.radio and "Save section" not in [b.label for b in app.button]
    assert texts(app, "info")[0] == "You can read this submission; your role does not allow changing it."
    workbook = open_page("app/pages/party_workbook.py", people["observer"])
    assert not workbook.get("file_uploader") and workbook.get("download_button")
    with pytest.raises(PermissionDenied):
        drafts.save_changes(store, people["observer"], CYCLE, "KEN", 0, {("7.1", "status"): "implemented"}, {})


# --- the workbook --------------------------------------------------------------------------------

def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    app.get("file_uploader")[0].set_value((name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    app.run()
    button(app, "Import the workbook").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_workbook_with_errors_is_refused_cell_by_cell(store, people):
    q = cycle_questionnaire(store, get_cycle(store, CYCLE))
    data = fill(write_template(store, people["focal"], CYCLE, "KEN"), q,
                {("7.1", "status"): "Maybe", ("7.2", "legislation"): [{"title": "Penal Code", "year": 1800}]})
    before = answers(store, people["focal"])
    app = upload(open_page("app/pages/party_workbook.py", people["contributor"]), "ken.xlsx", data)
    assert texts(app, "error")[0].startswith("ken.xlsx was not imported (2 problem(s)); nothing was changed.")
    problems = [shown(m.value) for m in app.markdown if m.value.startswith("- ")]
    assert len(problems) == 2 and all(p.startswith("- Chapter II, ") for p in problems)
    cells = [p.split(", ", 1)[1].split(" ", 1)[0] for p in problems]
    assert all(cell[0] in "FGHIJK" and cell[1:].isdigit() for cell in cells)
    assert any("'Maybe' is not one of the allowed answers" in p and "Art. 7(1)" in p for p in problems)
    # issue 12, item 8: the answer named by its labels, the table row and the column too, and nothing cut off
    year = next(p for p in problems if "1800" in p)
    assert "Art. 7(2) — Legislation and other measures that implement the provision — row 1 — Year of adoption" in year
    assert answers(store, people["focal"]) == before


def test_a_good_workbook_is_imported_as_a_new_revision(store, people):
    q = cycle_questionnaire(store, get_cycle(store, CYCLE))
    data = fill(write_template(store, people["focal"], CYCLE, "KEN"), q, {("7.1", "status"): "not_implemented",
                                                                           ("7.1", "steps_needed"): "A bill is drafted."})
    app = upload(open_page("app/pages/party_workbook.py", people["contributor"]), "ken.xlsx", data)
    [revision] = submissions.revisions(store, people["focal"], CYCLE, "KEN")
    assert texts(app, "success") == [f"ken.xlsx imported: 2 answer(s) changed; new revision {revision.number}."]
    assert answers(store, people["focal"])[("7.1", "steps_needed")] == "A bill is drafted."
    history = open_page("app/pages/party_history.py", people["observer"])
    row = history.dataframe[1].value.iloc[0]  # the first table lists every saved change, the second the revisions
    assert (row["Kind"], row["By"]) == ("Workbook import", "Contributor, Kenya")


# --- submitting and history ------------------------------------------------------------------

def complete(store, actor, party="KEN") -> None:
    """Answer every required question still missing, as a Party would, through the library."""
    q = cycle_questionnaire(store, get_cycle(store, CYCLE))

    def value(question):
        if question.type == "choice":
            codes = q.offered(question)  # the answers this provision offers (1.1: no "not implemented" on an option)
            return "not_implemented" if "not_implemented" in codes else codes[0]
        if question.type == "table":
            return [{c.id: value(c) for c in question.columns if c.required}]
        return {"multi_choice": ["other"], "integer": 1, "year": 2020, "url": "https://example.org"}.get(question.type, "Described.")

    for _ in range(3):
        missing = submissions.submission_completeness(store, actor, CYCLE, party).missing
        if not missing:
            return
        changes = {(p, qid): value(q.provision(p).question(qid)) for p, qid in missing}
        seq = submissions.get_submission(store, CYCLE, party).seq
        submissions.save_answers(store, actor, CYCLE, party, seq, changes)
    raise AssertionError("could not complete the answers")


def test_submitting_is_blocked_with_the_list_of_whats_missing(store, people):
    app = open_page("app/pages/party_submit.py", people["focal"])
    missing = submissions.submission_completeness(store, people["focal"], CYCLE, "KEN").missing
    assert texts(app, "error") == [f"Submitting is not possible yet: {len(missing)} required answer(s) are missing."]
    listed = app.dataframe[0].value
    assert len(listed) == len(missing) and list(listed.columns) == ["Chapter", "Article", "Provision", "Question"]
    assert "Has your State implemented the provision?" in set(listed["Question"])
    assert button(app, "Submit").disabled


def test_the_focal_point_submits_after_confirming_with_a_choice_on_publication(store, people):
    complete(store, people["focal"])
    app = open_page("app/pages/party_submit.py", people["focal"])
    assert texts(app, "success") == ["Every required answer is there."]
    button(app, "Submit").click().run()
    assert texts(app, "error") == ["Choose whether the full answers may be published."]
    app.radio(key="ws_consent").set_value(False).run()
    button(app, "Submit").click().run()
    assert submissions.get_submission(store, CYCLE, "KEN").state == "draft", "nothing happens before confirming"
    button(app, "Confirm submission").click().run()
    sub = submissions.get_submission(store, CYCLE, "KEN")
    assert (sub.state, sub.consent_publication) == ("submitted", False)
    assert texts(app, "success")[0].startswith("Submitted. The answers are frozen as revision")
    questionnaire = open_page("app/pages/party_questionnaire.py", people["contributor"])
    assert "Save section" not in [b.label for b in questionnaire.button], "a submitted questionnaire is closed"


def test_cancelling_the_confirmation_submits_nothing(store, people):
    complete(store, people["focal"])
    app = open_page("app/pages/party_submit.py", people["focal"])
    app.radio(key="ws_consent").set_value(True).run()
    button(app, "Submit").click().run()
    button(app, "Cancel").click().run()
    assert submissions.get_submission(store, CYCLE, "KEN").state == "draft"
    assert "Confirm submission" not in [b.label for b in app.button]


def test_history_lists_revisions_and_shows_what_changed_as_labels(store, people):
    seq = submissions.get_submission(store, CYCLE, "VNM").seq
    before = answers(store, people["vnm"], "VNM")[("4.1", "status")]
    after = "not_applicable" if before != "not_applicable" else "implemented"
    submissions.save_answers(store, people["vnm"], CYCLE, "VNM", seq, {("4.1", "status"): after})
    app = open_page("app/pages/party_history.py", people["vnm"])
    revisions = app.dataframe[1].value  # after every saved change (tests/test_history_saves.py)
    assert list(revisions["Kind"]) == ["Submitted"] and revisions["By"][0] == "Focal point, Viet Nam"
    changes = app.dataframe[2].value
    q = cycle_questionnaire(store, get_cycle(store, CYCLE))
    assert changes.iloc[0].to_dict() == {
        "Provision": "Art. 4(1)", "Question": "Has your State implemented the provision?",
        "Before": q.code_lists["status"].label(before), "After": q.code_lists["status"].label(after),
    }


def test_the_focal_point_can_change_the_choice_on_publication_after_submitting(store):
    nzl = users.find_by_email(store, "nzl.focal@demo.example.org").actor
    before = bool(submissions.get_submission(store, CYCLE, "NZL").consent_publication)
    app = open_page("app/pages/party_submit.py", nzl)
    assert texts(app, "info")[0].startswith("The submission is Submitted (submitted on")
    assert button(app, "Change my choice on publication").disabled
    app.radio(key="ws_consent_change").set_value(not before).run()
    button(app, "Change my choice on publication").click().run()
    assert texts(app, "success") == ["Your choice on publication is saved."]
    assert submissions.get_submission(store, CYCLE, "NZL").consent_publication is (not before)


def test_every_kind_of_question_has_an_input_giving_the_stored_form():
    def script():
        import streamlit as st

        from app.answer_inputs import answer_input
        from review.questionnaire import from_mapping
        from tests.workbook_helpers import all_kinds_definition

        q = from_mapping(all_kinds_definition(), "kinds")
        provision = q.provision("1.1")
        st.session_state["given"] = {
            question.id: answer_input(q, question, None, f"k_{question.id}", question.required) for question in provision.questions
        }

    import datetime as dt

    from review.questionnaire import from_mapping
    from review.questionnaire.values import check_value
    from tests.workbook_helpers import all_kinds_definition

    app = AppTest.from_function(script, default_timeout=60)
    app.run()
    app.radio(key="k_status").set_value("implemented")
    app.multiselect(key="k_colours").set_value(["red", "green"])
    app.text_input(key="k_motto").set_value("Light for all")
    app.text_input(key="k_site").set_value("https://light.example.org")
    app.number_input(key="k_built").set_value(1901)
    app.number_input(key="k_keepers").set_value(3)
    app.date_input(key="k_inspected").set_value(dt.date(2024, 5, 1))
    app.radio(key="k_staffed").set_value(False)
    app.text_area(key="k_notes").set_value("Kept by the harbour.")
    app.session_state["k_law"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{"title": "Light Act", "year": 2001}]}
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    given = app.session_state["given"]
    assert given == {
        "status": "implemented", "law": [{"title": "Light Act", "year": 2001}], "notes": "Kept by the harbour.", "keepers": 3,
        "colours": ["red", "green"], "motto": "Light for all", "site": "https://light.example.org", "built": 1901,
        "inspected": "2024-05-01", "staffed": False,
    }
    q = from_mapping(all_kinds_definition(), "kinds")
    assert all(not check_value(q, q.provision("1.1").question(k), v) for k, v in given.items())


def test_coming_back_to_a_section_shows_what_colleagues_saved_meanwhile(store, people):
    app = open_section(people["focal"], 7)
    app.switch_page("app/pages/party_cycle.py").run()
    seq = submissions.get_submission(store, CYCLE, "KEN").seq
    submissions.save_answers(store, people["contributor"], CYCLE, "KEN", seq, {("7.1", "status"): "not_applicable"})
    app.switch_page("app/pages/party_questionnaire.py").run()
    assert app.header[0].value.startswith("Article 7:"), "the section is remembered"
    assert status_radio(app, "7.1").value == "not_applicable"


def test_a_provision_not_checked_against_the_text_says_so(store, people):
    """Version 1.1 records which paraphrases were checked against the Convention's text (the demo's main cycle)."""
    note = "This paraphrase has not yet been checked against the official text"
    app = open_section(people["focal"], 7)
    assert not any(note in c.value for c in app.caption), "article 7 was checked"
    choose_section(app, 16)
    asked = [p for p in cycle_questionnaire(store, get_cycle(store, CYCLE)).article(16).provisions if p.assessed]
    assert sum(note in c.value for c in app.caption) == len(asked) == 4
