"""Shared fixtures: a real DuckDB file per test, a tiny second instrument, and the demo database."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from review import cycles, demo, parties, submissions, users
from review.access import Role
from tests.actors import SETUP
from review.questionnaire import from_mapping
from review.store import Store, open_store
from tests.tiny_instrument import tiny_definition


@pytest.fixture
def store(tmp_path):
    """An empty, migrated database with the reference Parties loaded."""
    s = open_store(tmp_path / "review.duckdb")
    parties.load_reference(s)
    yield s
    s.close()


@pytest.fixture
def tiny():
    return from_mapping(tiny_definition(), "tiny")


@pytest.fixture
def tiny_cycle(store, tiny):
    """The tiny instrument registered, a cycle for three Parties, and a user in each role."""
    cycles.register_questionnaire(store, SETUP, tiny)
    cycle = cycles.create_cycle(
        store, SETUP, cycle_id="tiny-1", title="Tiny cycle", questionnaire_id=tiny.id,
        questionnaire_version=tiny.version, chapters=["I", "II"], parties=["FRA", "KEN", "CHN"],
        deadline=dt.date(2030, 1, 31),
    )
    people = {
        "secretariat": users.create_user(store, SETUP, email="sec@example.org", name="Sec", role=Role.SECRETARIAT),
        "focal": users.create_user(store, SETUP, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN"),
        "contributor": users.create_user(store, SETUP, email="c@example.org", name="C", role=Role.CONTRIBUTOR, party="KEN"),
        "observer": users.create_user(store, SETUP, email="o@example.org", name="O", role=Role.OBSERVER, party="KEN"),
        "other_focal": users.create_user(store, SETUP, email="fra@example.org", name="FRA FP", role=Role.FOCAL_POINT, party="FRA"),
    }
    return cycle, {k: u.actor for k, u in people.items()}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The synthetic demo, built once per test session (the file is copied for each test using it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store(path) as s:
        from review.migrations import migrate

        migrate(s)
        demo.load_demo(s, seed=7)
    return path


@pytest.fixture
def demo_store(demo_db, tmp_path):
    """A private copy of the demo database, free to change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    s = open_store(path)
    yield s
    s.close()


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo that the app under test opens (through $REVIEW_DB)."""
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("REVIEW_DB", str(path))
    return path


@pytest.fixture
def app(db):
    """The whole Streamlit app under AppTest, on its own copy of the demo."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), default_timeout=90)


@pytest.fixture
def submitted(tiny_cycle, store):
    """KEN has submitted (with consent), FRA has a draft, CHN has not started."""
    from tests.test_workflow import COMPLETE

    _, a = tiny_cycle
    submissions.save_answers(store, a["focal"], "tiny-1", "KEN", 0, COMPLETE)
    submissions.submit(store, a["focal"], "tiny-1", "KEN", consent=True)
    submissions.save_answers(store, a["other_focal"], "tiny-1", "FRA", 0, {("1.1", "status"): "implemented"})
    return a
