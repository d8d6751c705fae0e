"""The public overview page, as a visitor without login sees it."""

from __future__ import annotations

from tests.text_helpers import shown

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@pytest.fixture
def app(db):
    return AppTest.from_file(APP, default_timeout=60)


def test_the_overview_shows_the_latest_cycle_to_the_public(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Review of implementation"
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["Participating Parties"] > 100
    assert 0 < metrics["Submitted so far"] < metrics["Participating Parties"]
    assert metrics["Late"] > 0
    assert any("Synthetic demo" in c.value for c in app.sidebar.caption)


def test_the_language_switch_shows_chinese(app):
    app.run()
    app.selectbox(key="lang_picker").set_value("zh").run()
    assert app.title[0].value == "执行情况审议"
    assert "参与缔约国" in [m.label for m in app.metric]


def test_an_earlier_cycle_can_be_chosen(app):
    app.run()
    app.selectbox(key="overview_cycle").set_value("pilot-2025")
    app.run()
    assert not app.exception
    assert int(next(m.value for m in app.metric if m.label == "Participating Parties")) == 60


def test_the_completeness_chart_has_its_table_and_downloads(app):
    app.run()
    assert app.get("vega_lite_chart"), "the chart is drawn"
    table = app.dataframe[0].value
    # shown as English writes decimals (review.formats); the downloads keep the numbers
    assert len(table) == 9, "every chapter in scope, chapter VIII too"
    shown = table.iloc[:, 1].replace("", None).dropna()
    assert shown.astype(float).between(0, 100).all() and len(shown) == 8, "chapter VIII has no completeness"
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["CSV", "Excel", "PNG"]


def test_a_file_that_is_not_a_database_is_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    wrong = tmp_path / "notes.duckdb"
    wrong.write_text("not a database")
    monkeypatch.setenv("REVIEW_DB", str(wrong))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert shown(app.error[0].value).startswith(f"Cannot open the database {wrong}:")


def test_the_submitted_tile_says_it_is_cumulative_and_agrees_with_its_table(app):
    """Issue 12, item 11: "Submitted 83" in a tile beside 23 in its own table read as a contradiction."""
    app.run()
    tile = next(m for m in app.metric if m.label == "Submitted so far")
    assert "submitted, validated or published" in tile.proto.help
    by_state = dict(zip(*(app.dataframe[-1].value[c] for c in ("State", "Parties"))))
    assert int(tile.value) == sum(int(by_state[s]) for s in ("Submitted", "Validated", "Published"))
    assert any("counted once, in its current state" in c.value for c in app.caption)


def test_chapter_viii_is_in_the_completeness_chart_said_to_have_nothing_to_answer(app):
    app.run()
    table = app.dataframe[0].value
    row = table[table.iloc[:, 0].str.startswith("VIII.")]
    assert len(row) == 1 and row.iloc[0, 1] != row.iloc[0, 1], "listed, with no completeness (NaN)"
    assert any(c.value.startswith("VIII. Mechanism of implementation: nothing to answer") for c in app.caption)
