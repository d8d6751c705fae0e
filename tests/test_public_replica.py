"""A public replica: the app served from a published snapshot alone (`$REVIEW_SNAPSHOT`, `make
serve-snapshot`), without the working database, showing what the public sees on the working one.
"""

from __future__ import annotations

from review import formats

from tests.text_helpers import shown

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review import users
from tests.actors import SETUP
from review.analysis.snapshot import open_snapshot, write_snapshot
from review.demo import SECRETARIAT_EMAIL
from review.parties import all_parties
from review.store import Store
from review.submissions import cycle_status, list_submissions
from review.tracking import cycle_overview, party_statuses
from tests.browser_app import CHROMIUM, FLAGS, require_chromium, serve, wait_idle
from tests.test_dashboards import PUBLIC_PAGES, charts, open_page, options

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture(scope="module")
def published(demo_db, tmp_path_factory):
    """A snapshot of the demo, the working database it came from (a copy), and who is who."""
    folder = tmp_path_factory.mktemp("replica")
    db = folder / "working.duckdb"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        write_snapshot(s, SETUP, folder / "snapshot")
        subs = list_submissions(s, "review-2026")
        names = {code: party.name() for code, party in all_parties(s).items()}
        hidden = next(x.party for x in subs if x.state == "published" and not x.consent_publication)
        facts = {"hidden": names[hidden], "draft": names["KEN"], "shown": names[next(x.party for x in subs if x.public)],
                 "secretariat": users.find_by_email(s, SECRETARIAT_EMAIL).id}
    return folder / "snapshot", db, facts


@pytest.fixture
def replica(published, tmp_path, monkeypatch):
    snapshot, _, _ = published
    monkeypatch.setenv("REVIEW_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "absent" / "review.duckdb"))
    return AppTest.from_file(APP, default_timeout=90)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_public_dashboard_runs_from_the_snapshot_alone(replica, tmp_path, page):
    open_page(replica, page)
    assert replica.title[0].value == PUBLIC_PAGES[page]
    assert not replica.error
    assert replica.dataframe and replica.download_button
    assert any("Public replica" in c.value for c in replica.sidebar.caption)
    assert not (tmp_path / "absent").exists(), "no database file is created or opened"


def test_the_overview_from_the_snapshot_matches_the_working_database(replica, published):
    _, db, _ = published
    with Store(db) as s:
        working = cycle_overview(s)
    open_page(replica, "app/pages/overview.py")
    assert [m.value for m in replica.metric] == [str(working.participating), str(working.submitted),
                                                 str(working.published), str(working.late)]
    table = replica.dataframe[0].value
    # shown as English writes decimals (review.formats); the figures are the working database's
    assert table.iloc[:, 1].tolist() == [formats.number(round(c.completeness * 100, 1), "en", 2) for c in working.chapters]
    assert max(table.iloc[:, 1].astype(float)) > 0


def test_the_snapshot_carries_states_and_chapter_averages_not_any_partys_answers(published):
    snapshot, db, _ = published
    with Store(db) as s:
        _, working = cycle_status(s, SETUP, "review-2026")
    with open_snapshot(snapshot) as snap:
        _, served = party_statuses(snap, "review-2026")
        with snap.read() as cur:
            assert cur.execute("SELECT count(*) FROM answer").fetchone()[0] == 0
            assert [c[0] for c in cur.execute("DESCRIBE progress").fetchall()] == ["cycle_id", "chapter", "completeness"]
    assert [(p.party, p.state, p.late) for p in served] == [(p.party, p.state, p.late) for p in working]
    assert all(p.completeness is None for p in served), "no single Party's completeness is published"


def test_nobody_logs_in_on_a_replica_and_unconsented_parties_stay_out(replica, published):
    _, _, facts = published
    open_page(replica, "app/pages/dashboard_implementation.py", user=facts["secretariat"])
    assert any("published" in c.value.lower() for c in replica.caption), "the public view, whoever claims to be logged in"
    parties = options(replica, "impl_trace_party")
    assert facts["shown"] in parties
    assert facts["hidden"] not in parties and facts["draft"] not in parties
    assert facts["hidden"] not in json.dumps(charts(replica)[0], ensure_ascii=False)
    with pytest.raises(ValueError):
        replica.switch_page("app/pages/dashboard_evidence.py")


@pytest.mark.browser
def test_a_replica_serves_the_public_pages_in_a_browser(published, tmp_path):
    from playwright.sync_api import sync_playwright

    require_chromium()
    snapshot, _, _ = published
    absent = tmp_path / "absent" / "review.duckdb"
    with serve(absent, REVIEW_SNAPSHOT=str(snapshot)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1200})
        tab.goto(f"{url}/dashboard_map")
        wait_idle(tab)
        tab.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=60_000)
        assert tab.get_by_text("World map of implementation").first.is_visible()
        assert tab.get_by_text("Public replica").first.is_visible()
        assert not tab.get_by_role("link", name="Log in", exact=True).count(), "nobody logs in on a replica"
        browser.close()
    assert not absent.parent.exists(), "the replica opened no database file"


def test_a_folder_that_is_not_a_snapshot_is_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_SNAPSHOT", str(tmp_path))
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "absent" / "review.duckdb"))
    app = AppTest.from_file(APP, default_timeout=90)
    app.run()
    assert not app.exception
    assert [shown(e.value) for e in app.error] == [f"No snapshot in {tmp_path}: manifest.json is missing."]


def test_a_snapshot_of_another_format_is_refused_with_what_to_do(published, tmp_path):
    from review.errors import ReviewError

    snapshot, _, _ = published
    old = tmp_path / "old"
    shutil.copytree(snapshot, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 1
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReviewError) as refused:
        open_snapshot(old)
    assert "Publish it again" in refused.value.message("en")


def _tampered(snapshot, tmp_path, change) -> Path:
    copy = tmp_path / "tampered"
    shutil.copytree(snapshot, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return copy


@pytest.mark.parametrize("change", [
    # the finding: a table name pasted into SQL ran COPY (read_text('/etc/hostname')) TO ...
    lambda m: m["files"]["party.parquet"].update(table="x AS SELECT 1; COPY (SELECT * FROM read_text('/etc/hostname')) "
                                                        "TO 'leak.csv'; CREATE TABLE y"),
    lambda m: m["files"].update({"../../etc/passwd": {"table": "party", "sha256": "0" * 64}}),
    lambda m: m["files"].pop("answer.parquet"),
    lambda m: m.update(files=["party.parquet"]),
], ids=["table name", "file name", "missing file", "not a mapping"])
def test_a_tampered_manifest_is_refused_before_any_sql(published, tmp_path, monkeypatch, change):
    from review.errors import ReviewError

    snapshot, _, _ = published
    copy = _tampered(snapshot, tmp_path, change)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReviewError) as refused:
        open_snapshot(copy)
    assert "does not match its manifest" in refused.value.message("en")
    assert not (tmp_path / "leak.csv").exists()
