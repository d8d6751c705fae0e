"""The "Drawing of lots" page: the secretariat draws with a seed shown (the rules from a file it
uploads), redraws one reviewer, downloads the list; a refusal names the rule and draws nothing;
every other role is refused by URL and has no menu entry."""

from __future__ import annotations

import pytest

from app import navigation
from review.access import PUBLIC
from review.demo import SECRETARIAT_EMAIL
from review.peer import lots
from tests.lots_helpers import groups, violations
from tests.test_secretariat_workspace import open_page, store, user
from tests.text_helpers import shows_login

PAGE = "app/pages/secretariat_lots.py"


def test_the_demo_cycle_shows_its_list_and_the_secretariat_redraws_one_reviewer(app):
    open_page(app, PAGE, SECRETARIAT_EMAIL)
    assert app.title[0].value == "Drawing of lots" and not app.error
    listed = {r.party: r for r in lots.drawn_list(store(), PUBLIC, "review-2026")}
    shown = app.dataframe[0].value
    assert list(shown["Party under review"]) == sorted(listed)
    assert set(shown["Seed"]) == {str(next(iter(listed.values())).seed)}
    app.selectbox(key="lots_redraw_party").set_value("KEN").run()
    other = listed["KEN"].other_reviewer
    app.selectbox(key="lots_redraw_reviewer_KEN").set_value(other).run()
    app.text_input(key="lots_redraw_seed").input("31")
    app.button(key="lots_redraw_button").click().run()
    assert not app.exception and not app.error
    assert app.success[0].value == "KEN: drawn again with seed 31."
    now = {r.party: r for r in lots.drawn_list(store(), PUBLIC, "review-2026")}
    assert now["KEN"].other_reviewer != other and now["KEN"].regional_reviewer == listed["KEN"].regional_reviewer
    assert {p: r for p, r in now.items() if p != "KEN"} == {p: r for p, r in listed.items() if p != "KEN"}
    assert "Redraw" in set(app.dataframe[1].value["Kind"])


def test_a_draw_with_uploaded_rules_and_a_seed_then_the_downloads(app):
    open_page(app, PAGE, SECRETARIAT_EMAIL)
    app.selectbox(key="lots_cycle").set_value("pilot-2025").run()
    assert app.info[0].value == "No lots have been drawn for this cycle yet."
    # the default rules need treaty status, which the demo does not record: refused, naming the rule
    app.text_input(key="lots_seed").input("12")
    app.button(key="lots_draw_button").click().run()
    assert "reviewers: parties_to_instrument" in app.error[0].value.replace("\\", "")
    assert lots.drawn_list(store(), PUBLIC, "pilot-2025") == []
    app.file_uploader(key="lots_rules").set_value(("rules.yaml", b"reviewers: cycle_participants\n", "application/x-yaml"))
    app.text_input(key="lots_seed").input("12")
    app.button(key="lots_draw_button").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    rows = lots.drawn_list(store(), PUBLIC, "pilot-2025")
    assert app.success[0].value == f"{len(rows)} review(s) drawn with seed 12."
    pool = {r.party for r in rows}
    assert violations({r.party: (r.regional_reviewer, r.other_reviewer) for r in rows}, pool, groups()) == []
    csv_button = app.get("download_button")
    assert len(csv_button) == 2


def test_a_bad_seed_is_refused_naming_the_field(app):
    open_page(app, PAGE, SECRETARIAT_EMAIL)
    app.selectbox(key="lots_cycle").set_value("pilot-2025").run()
    app.text_input(key="lots_seed").input("twelve")
    app.button(key="lots_draw_button").click().run()
    assert "Seed: “twelve” is not a seed" in app.error[0].value.replace("\\", "")
    assert lots.drawn_list(store(), PUBLIC, "pilot-2025") == []


@pytest.mark.parametrize("who", ["public", "ken.focal", "ken.observer"])
def test_every_other_role_is_refused_by_url_and_has_no_menu_entry(app, who):
    open_page(app, PAGE, None if who == "public" else who)
    if who == "public":
        assert shows_login(app)
    else:
        assert app.error[0].value == "You are not allowed to open this page."
        assert not app.dataframe and not app.text_input
    actor = PUBLIC if who == "public" else user(who).actor
    assert PAGE not in [spec.path for spec in navigation.menu(actor)]
