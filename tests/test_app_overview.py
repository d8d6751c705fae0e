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
    assert shown.astype(float).between(0, 100).all()
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


def test_every_chapter_in_scope_is_in_the_completeness_chart(app):
    """Issue 12, item 11: chapter VIII was in scope but missing from the chart (nothing to answer)."""
    app.run()
    table = app.dataframe[0].value
    assert [c.split(".")[0] for c in table.iloc[:, 0]] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    for chapter, value in zip(table.iloc[:, 0], table.iloc[:, 1]):
        if value in ("", None):  # a chapter with nothing to answer is listed, and says why
            assert any(c.value.startswith(f"{chapter}: nothing to answer") for c in app.caption), chapter


def test_a_chapter_with_nothing_to_answer_has_no_completeness(tiny_cycle, store):
    from review.tracking import cycle_overview

    view = cycle_overview(store, "tiny-1")
    asked = {c.chapter for c in view.chapters}
    unasked = {c.chapter for c in view.without_questions}
    assert asked | unasked <= {"I", "II"} and not asked & unasked
