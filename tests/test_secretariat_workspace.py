"""The secretariat's workspace through the app: the inbox, reviewing a submission (comments, return,
validate, publish), cycles and users; and every other role refused on each of these pages."""

from __future__ import annotations

import datetime as dt

from tests.text_helpers import shows_login


import pytest
from streamlit.testing.v1 import AppTest

from app import navigation
from review import cycles, formats, invitations, submissions, users
from review.access import PUBLIC
from review.demo import SECRETARIAT_EMAIL
from review.parties import in_regions

PAGES = {
    "app/pages/secretariat_inbox.py": "Submissions inbox",
    "app/pages/secretariat_submission.py": "Review a submission",
    "app/pages/secretariat_cycles.py": "Review cycles",
    "app/pages/secretariat_users.py": "Users",
}
OTHERS = {"focal": "ken.focal", "contributor": "ken.contributor", "observer": "ken.observer"}
CYCLE = "review-2026"


def store():
    from app.context import store as app_store

    return app_store()


def user(email: str) -> users.User:
    return users.find_by_email(store(), email if "@" in email else f"{email}@demo.example.org")


def open_page(app: AppTest, page: str, email: str | None = None, **state) -> AppTest:
    app.run()
    if email:
        app.session_state["user_id"] = user(email).id
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_secretariat_page_opens_for_the_secretariat(app, page):
    open_page(app, page, SECRETARIAT_EMAIL)
    assert app.title[0].value == PAGES[page]
    assert not app.error


@pytest.mark.parametrize("who", ["public", *OTHERS])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_other_role_is_refused_by_url_and_has_no_menu_entry(app, page, who):
    open_page(app, page, OTHERS.get(who))
    if who == "public":
        assert shows_login(app)
    else:
        assert app.error[0].value == "You are not allowed to open this page."
        assert not app.dataframe and not app.text_input and not app.metric
    actor = PUBLIC if who == "public" else user(OTHERS[who]).actor
    assert page not in [spec.path for spec in navigation.menu(actor)]


def test_the_inbox_lists_late_submissions_first_and_filters(app):
    open_page(app, "app/pages/secretariat_inbox.py", SECRETARIAT_EMAIL)
    table = app.dataframe[0].value
    late = list(table["Late"])
    assert late[0] and late == sorted(late, reverse=True)
    assert {"Draft", "Submitted", "Published"} <= set(table["State"])
    app.multiselect(key="inbox_states").set_value(["submitted"]).run()
    app.multiselect(key="inbox_regions").set_value(["WEOG"]).run()
    app.multiselect(key="inbox_cycles").set_value([CYCLE]).run()
    narrowed = app.dataframe[0].value
    assert set(narrowed["State"]) == {"Submitted"} and set(narrowed["Regional group"]) == {"Western European and Other States"}
    assert "New Zealand" in set(narrowed["Party"])
    options = app.selectbox(key="inbox_open").options
    app.selectbox(key="inbox_open").select_index(next(i for i, o in enumerate(options) if o.startswith("New Zealand"))).run()
    app.button(key="inbox_open_button").click().run()
    assert app.title[0].value == "Review a submission"
    assert app.selectbox(key="review_party").value == "NZL"


def test_the_review_shows_labels_not_codes(app):
    open_page(app, "app/pages/secretariat_submission.py", SECRETARIAT_EMAIL, review_target=(CYCLE, "NZL"))
    app.selectbox(key="review_chapter").set_value("II").run()
    shown = " ".join(m.value for m in app.markdown)
    assert "Art. 7(1)" in shown and "Has your State implemented the provision?" in shown
    assert any(label in shown for label in ("Fully implemented", "Partially implemented", "Not implemented"))
    assert "partially_implemented" not in shown and "fully_implemented" not in shown
    # the Party's full submission as a document (review.reports.submission_document), Word and PDF
    assert {"Full submission (Word)", "Full submission (PDF)"} <= {b.proto.label for b in app.get("download_button")}


def test_return_without_any_comment_is_refused_and_changes_nothing(app):
    open_page(app, "app/pages/secretariat_submission.py", SECRETARIAT_EMAIL, review_target=(CYCLE, "NZL"))
    app.button(key="return_submission").click().run()
    assert "Write at least one comment" in app.error[0].value
    assert submissions.get_submission(store(), CYCLE, "NZL").state == "submitted"


def test_return_then_validate_then_publish_through_the_pages(app):
    open_page(app, "app/pages/secretariat_submission.py", SECRETARIAT_EMAIL, review_target=(CYCLE, "NZL"))
    assert app.button(key="publish_submission").disabled and not app.button(key="validate_submission").disabled
    app.selectbox(key="review_chapter").set_value("II").run()
    app.text_area(key="note_NZL_7.1").input("Please cite the law that criminalizes illegal access.").run()
    assert "1 comment(s) on provisions" in " ".join(c.value for c in app.caption)
    app.text_area(key=f"general_{CYCLE}/NZL").input("Thank you; two points to clarify.")
    app.button(key="return_submission").click().run()
    assert not app.exception
    assert "Returned for clarification" in app.success[0].value
    assert submissions.get_submission(store(), CYCLE, "NZL").state == "returned"
    focal = user("nzl.focal").actor
    seen = {c.provision_id: c.body for c in submissions.comments(store(), focal, CYCLE, "NZL")}
    assert seen["7.1"] == "Please cite the law that criminalizes illegal access."
    assert seen[None] == "Thank you; two points to clarify."
    assert app.text_area(key="note_NZL_7.1").value == ""

    submissions.submit(store(), focal, CYCLE, "NZL", consent=True)
    app.run()
    assert "Please cite the law" in " ".join(i.value for i in app.info)
    app.button(key="validate_submission").click().run()
    assert "The submission is validated." in app.success[0].value
    assert not app.button(key="publish_submission").disabled
    app.button(key="publish_submission").click().run()
    assert submissions.get_submission(store(), CYCLE, "NZL").state == "validated", "asked first, nothing published"
    assert "Publish the submission of New Zealand?" in app.warning[-1].value
    app.button(key="publish_cancelled").click().run()
    assert submissions.get_submission(store(), CYCLE, "NZL").state == "validated"
    app.button(key="publish_submission").click().run()
    app.button(key="publish_confirmed").click().run()
    assert "The submission is published" in app.success[0].value
    published = submissions.get_submission(store(), CYCLE, "NZL")
    assert published.state == "published" and published.public
    assert all(app.button(key=k).disabled for k in ("validate_submission", "publish_submission"))


def test_a_cycle_is_created_from_a_questionnaire_with_a_regions_parties(app):
    open_page(app, "app/pages/secretariat_cycles.py", SECRETARIAT_EMAIL)
    app.text_input(key="cycle_id").input("review-2027")
    app.text_input(key="cycle_title").input("Second review cycle")
    app.multiselect(key="cycle_chapters").set_value(["II", "IV"])
    app.multiselect(key="cycle_regions").set_value(["AFR"])
    app.multiselect(key="cycle_parties").set_value(["FRA"])
    app.button(key="create_cycle").click().run()
    assert not app.exception and "Cycle review-2027 is open" in app.success[0].value
    cycle = cycles.get_cycle(store(), "review-2027")
    assert cycle.chapters == ("II", "IV")
    assert set(cycles.participants(store(), "review-2027")) == set(in_regions(store(), ["AFR"])) | {"FRA"}
    assert "review-2027" in set(app.dataframe[0].value["Cycle id"])


def test_a_bad_cycle_is_refused_field_by_field_and_nothing_is_created(app):
    open_page(app, "app/pages/secretariat_cycles.py", SECRETARIAT_EMAIL)
    app.text_input(key="cycle_id").input("Bad Id!")
    app.button(key="create_cycle").click().run()
    message = app.error[0].value.replace("\\", "")  # the Markdown source, as the user reads it
    assert "Cycle code: 'Bad Id!' is not a valid cycle code" in message and "Title: this field is required" in message
    # "every Party" is ticked and nobody is a Party today in the recorded treaty status: said so, with
    # the day and what to do (it said "Parties: this field is required")
    day = formats.date(dt.date.today(), "en")
    assert f"Parties: no State is a Party to the questionnaire's instrument on {day}, the opening day" in message
    assert "this field is required" not in message.split("Parties:")[1]
    for raw in ("cycle_id", "parties:", "title:"):
        assert raw not in message, "fields are named by their labels"
    assert [c.id for c in cycles.list_cycles(store())] == [CYCLE, "pilot-2025"]


def test_the_secretariat_invites_by_link_and_the_link_works(app):
    open_page(app, "app/pages/secretariat_users.py", SECRETARIAT_EMAIL)
    app.text_input(key="invite_email").input("minister@example.org")
    app.text_input(key="invite_name").input("A Minister")
    app.selectbox(key="invite_role").set_value(users.Role.CONTRIBUTOR)
    app.selectbox(key="invite_party").set_value("KEN")
    app.button(key="invite_submit").click().run()
    assert not app.exception
    assert "Send this activation link to minister@example.org" in app.success[0].value
    link = app.code[0].value
    assert "activate?token=" in link
    token = link.split("token=", 1)[1]
    assert invitations.invited_user(store(), token).party == "KEN"
    app.run()
    assert not app.code  # the link is shown once


def _invite_with_password(app, password: str) -> None:
    """Fill the invitation form for an observer of Kenya with a first-login password, and send it."""
    app.text_input(key="invite_email").input("deputy@example.org")
    app.text_input(key="invite_name").input("A Deputy")
    app.selectbox(key="invite_role").set_value(users.Role.OBSERVER)
    app.selectbox(key="invite_party").set_value("KEN")
    app.text_input(key="invite_password").input(password)
    app.button(key="invite_submit").click().run()


def test_the_secretariat_gives_a_first_login_password(app):
    open_page(app, "app/pages/secretariat_users.py", SECRETARIAT_EMAIL)
    app.radio(key="invite_method").set_value("password").run()
    _invite_with_password(app, "short")
    assert "at least 10 characters" in app.error[0].value and user("deputy@example.org") is None
    _invite_with_password(app, "first login 1")
    assert "The account is created" in app.success[0].value
    assert user("deputy@example.org").must_change_password


def test_the_secretariat_changes_a_role_and_deactivates_then_reactivates(app):
    open_page(app, "app/pages/secretariat_users.py", SECRETARIAT_EMAIL)
    observer = user("ken.observer")
    app.selectbox(key="manage_user").set_value(observer.id).run()
    app.selectbox(key=f"manage_role_{observer.id}").set_value(users.Role.CONTRIBUTOR)
    app.button(key="save_role").click().run()
    assert "The role and Party are saved." in app.success[0].value
    assert user("ken.observer").role is users.Role.CONTRIBUTOR
    app.button(key="deactivate_user").click().run()
    assert "The account is deactivated" in app.success[0].value and not user("ken.observer").active
    app.button(key="reactivate_user").click().run()
    assert user("ken.observer").active


def test_the_secretariat_cannot_deactivate_itself_from_the_page(app):
    open_page(app, "app/pages/secretariat_users.py", SECRETARIAT_EMAIL)
    app.selectbox(key="manage_user").set_value(user(SECRETARIAT_EMAIL).id).run()
    app.button(key="deactivate_user").click().run()
    assert "you cannot change your own role or deactivate yourself" in app.error[0].value
    assert user(SECRETARIAT_EMAIL).active


def test_the_secretariat_prepares_every_partys_workbook_as_one_zip(app):
    import datetime as dt
    import io
    import zipfile

    # a small cycle of questionnaire 1.1 keeps the test quick: the page's batch is the same for three
    # Parties as for the demo's 153 (the CLI's bulk test and the benchmark cover the whole list)
    demo_cycle = cycles.get_cycle(store(), CYCLE)
    cycles.create_cycle(
        store(), user(SECRETARIAT_EMAIL).actor, cycle_id="bulk-2027", title="Bulk workbooks",
        questionnaire_id=demo_cycle.questionnaire_id, questionnaire_version=demo_cycle.questionnaire_version,
        chapters=list(demo_cycle.chapters), parties=["KEN", "FRA", "CHN"], deadline=dt.date(2027, 12, 31))
    open_page(app, "app/pages/secretariat_cycles.py", SECRETARIAT_EMAIL)
    app.selectbox(key="bulk_workbooks_cycle").set_value("bulk-2027")
    app.button(key="bulk_workbooks_prepare").click().run()
    assert not app.exception, [e.value for e in app.exception]
    cycle_id, _, data = app.session_state["bulk_workbooks_ready"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert cycle_id == "bulk-2027" and len(names) == 3
    assert all(any(code in name for name in names) for code in ("KEN", "FRA", "CHN"))
    assert app.get("download_button")
