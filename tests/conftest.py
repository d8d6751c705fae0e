"""Shared fixtures: a real DuckDB file per test, a tiny second instrument, and the demo database."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from review import cycles, demo, parties, users
from review.access import OPERATOR, Role
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
    cycles.register_questionnaire(store, tiny)
    cycle = cycles.create_cycle(
        store, OPERATOR, cycle_id="tiny-1", title="Tiny cycle", questionnaire_id=tiny.id,
        questionnaire_version=tiny.version, chapters=["I", "II"], parties=["FRA", "KEN", "CHN"],
        deadline=dt.date(2030, 1, 31),
    )
    people = {
        "secretariat": users.create_user(store, OPERATOR, email="sec@example.org", name="Sec", role=Role.SECRETARIAT),
        "focal": users.create_user(store, OPERATOR, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN"),
        "contributor": users.create_user(store, OPERATOR, email="c@example.org", name="C", role=Role.CONTRIBUTOR, party="KEN"),
        "observer": users.create_user(store, OPERATOR, email="o@example.org", name="O", role=Role.OBSERVER, party="KEN"),
        "other_focal": users.create_user(store, OPERATOR, email="fra@example.org", name="FRA FP", role=Role.FOCAL_POINT, party="FRA"),
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
