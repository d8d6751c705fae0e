"""The country review report, the follow-up and the recommendations dashboard through the app
(AppTest): the secretariat drafts and edits, the reviewed Party's focal point gives a follow-up
status in the next cycle, the public sees only what is published, and a Party's user reads only its
own Party's report."""

from __future__ import annotations

import pytest

from review.access import PUBLIC, system
from review.demo import SECRETARIAT_EMAIL
from review.peer import followup as F, report as R
from review import cycles
from tests.test_review_report import MAIN, PILOT, add_review, set_stage
from tests.test_secretariat_workspace import open_page, store, user
from tests.text_helpers import shows_login

PAGE, FOLLOWUP, DASHBOARD = "app/pages/review_reports.py", "app/pages/party_followup.py", "app/pages/dashboard_recommendations.py"


def test_the_secretariat_drafts_and_edits_a_report_through_the_page(app):
    app.run()
    add_review(store(), MAIN, "POL", "dialogue")  # the demo's own report of this review is cleared
    open_page(app, PAGE, SECRETARIAT_EMAIL, report_cycle=MAIN)
    app.selectbox(key="report_party").set_value("POL").run()
    assert app.info[0].value == "The report has not been drafted yet."
    app.button[0].click().run()  # the draft form's button (its language: the user's)
    assert not app.exception and app.success, [e.value for e in app.exception]
    report = R.get_report(store(), system("tests"), MAIN, "POL")
    assert report.recommendations
    app.text_area(key="report_intro_text").set_value("An introduction *as typed*.")
    app.button(key="FormSubmitter:report_intro-Save").click().run()
    assert R.get_report(store(), system("tests"), MAIN, "POL").introduction == "An introduction *as typed*."
    assert not app.error


def test_the_focal_point_follows_up_a_recommendation_in_the_next_cycle(app):
    app.run()
    sec = system("tests")
    add_review(store(), PILOT, "POL", "draft_report")
    pilot = R.draft_report(store(), sec, PILOT, "POL")
    set_stage(store(), PILOT, "POL", "agreed")
    open_page(app, FOLLOWUP, "pol.focal", followup_cycle=MAIN)
    assert not app.error and not app.exception
    first = pilot.recommendations[0]
    app.selectbox(key=f"fu_s_{first.id}").set_value("in_progress")
    app.text_area(key=f"fu_e_{first.id}").set_value("Bill **12** is before parliament.")
    app.button[0].click().run()
    assert app.success and not app.error
    [now] = [i for i in F.earlier_recommendations(store(), sec, MAIN, "POL") if i.item_id == first.id]
    assert (now.status, now.evidence) == ("in_progress", "Bill **12** is before parliament.")


def test_the_public_sees_published_recommendations_only_and_a_party_only_its_own_report(app):
    app.run()
    sec = system("tests")
    add_review(store(), PILOT, "POL", "draft_report")
    pilot = R.draft_report(store(), sec, PILOT, "POL")
    R.draft_report(store(), sec, MAIN, "KEN")

    def listed() -> set[tuple[str, str]]:
        """(State Party, cycle id) of each listed recommendation; the page names a cycle by its title."""
        ids = {c.title: c.id for c in cycles.list_cycles(store())}
        table = app.dataframe[-1].value if app.dataframe else None
        return set() if table is None else {(p, ids[c]) for p, c in zip(table["State Party"], table["Cycle of the review"])}

    open_page(app, DASHBOARD)
    assert ("Poland", PILOT) not in listed() and ("Kenya", MAIN) not in listed()
    set_stage(store(), PILOT, "POL", "published")
    app.run()
    assert ("Poland", PILOT) in listed() and ("Kenya", MAIN) not in listed() and app.metric
    assert len(pilot.recommendations) == sum(1 for r in F.recommendation_rows(store(), PUBLIC)
                                             if (r["party"], r["cycle"]) == ("POL", PILOT))
    # the report page needs a login; a Party's user is offered its own Party's review only
    open_page(app, PAGE, None)
    assert shows_login(app)


@pytest.mark.parametrize("who", ["ken.focal"])
def test_a_partys_user_reads_only_its_own_partys_report(app, who):
    app.run()
    R.draft_report(store(), system("tests"), MAIN, "KEN")
    open_page(app, PAGE, who, report_cycle=MAIN)
    public = {p for c, p, full in R.published_reviews(store(), PUBLIC, MAIN) if full}
    from review.parties import all_parties
    names = all_parties(store())
    # its own Party's review, and the published ones whose Party agreed to publish the full report
    assert set(app.selectbox(key="report_party").options) == {"Kenya", *(names[p].name() for p in public)}
    assert "Poland" not in app.selectbox(key="report_party").options
    assert not app.text_area or all(a.disabled for a in app.text_area) or not any(
        b.label == "Save" for b in app.button)
    assert user(who).actor.party == "KEN"


def test_a_public_replica_shows_published_recommendations_and_summaries(demo_db, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from review.analysis.snapshot import write_snapshot
    from review.store import open_store

    db = tmp_path / "working.duckdb"
    shutil.copy(demo_db, db)
    sec = system("tests")
    with open_store(db) as s:
        add_review(s, PILOT, "POL", "draft_report")
        pilot = R.draft_report(s, sec, PILOT, "POL")
        R.edit_summary(s, sec, PILOT, "POL", "en", "Poland's summary, as edited.", 1)
        R.draft_report(s, sec, MAIN, "KEN")  # drafted, not published: never in the snapshot
        set_stage(s, PILOT, "POL", "published")
        write_snapshot(s, sec, tmp_path / "snapshot")
    monkeypatch.setenv("REVIEW_SNAPSHOT", str(tmp_path / "snapshot"))
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "absent" / "review.duckdb"))
    replica = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), default_timeout=90)
    replica.run()
    replica.switch_page(DASHBOARD).run()
    assert not replica.exception and not replica.error
    listed = replica.dataframe[-1].value
    assert {i.body for i in pilot.recommendations} <= set(listed["Recommendation"])
    assert "Kenya" not in set(listed["State Party"])
    replica.switch_page("app/pages/country_profile.py").run()
    replica.selectbox(key="profile_cycle").set_value(PILOT).run()
    replica.selectbox(key="profile_party").set_value("POL").run()
    assert not replica.exception and not replica.error
    assert "Poland's summary, as edited." in [t.value for t in replica.text]
    shown = next(d.value for d in replica.dataframe if "Recommendation" in d.value.columns)
    assert sorted(shown["Recommendation"]) == sorted(i.body for i in pilot.recommendations)  # POL's only
