"""The dashboard pages, as the public, the secretariat and a Party's user see them on the demo.

The public (and the COP, who use the app without login) must never see a Party that did not
consent to publication; the secretariat sees every submission; a Party's user sees its own
working answers. Every figure has its table, its downloads, and the answers it comes from.
"""

from __future__ import annotations

from tests.text_helpers import shows_login

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app import navigation
from review import users
from review.access import PUBLIC
from review.demo import SECRETARIAT_EMAIL
from review.parties import all_parties
from review.store import Store
from review.submissions import list_submissions

PUBLIC_PAGES = {
    "app/pages/dashboard_implementation.py": "Implementation of the Convention",
    "app/pages/dashboard_map.py": "World map of implementation",
    "app/pages/dashboard_needs.py": "Technical assistance needs and challenges",
    "app/pages/dashboard_tracker.py": "Response tracker",
    "app/pages/dashboard_change.py": "Change between cycles",
    "app/pages/country_profile.py": "Country profile",
    "app/pages/legislation_library.py": "Legislation library",
}
SECRETARIAT_PAGES = {**PUBLIC_PAGES, "app/pages/dashboard_evidence.py": "Evidence quality"}


@pytest.fixture(scope="module")
def demo_facts(demo_db):
    """Who is who in the demo: user ids, and a Party published without consent and one with it."""
    with Store(demo_db) as s:
        subs = list_submissions(s, "review-2026")
        hidden = next(x.party for x in subs if x.state == "published" and not x.consent_publication)
        shown = next(x.party for x in subs if x.public)
        names = {code: party.name() for code, party in all_parties(s).items()}
        return {
            "secretariat": users.find_by_email(s, SECRETARIAT_EMAIL).id,
            "ken": users.find_by_email(s, "ken.focal@demo.example.org").id,
            "hidden": names[hidden],
            "shown": names[shown],
            "draft": names["KEN"],
        }


def open_page(app: AppTest, page: str, user: str | None = None) -> AppTest:
    if user:
        app.session_state["user_id"] = user
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def charts(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def options(app: AppTest, key: str) -> list[str]:
    return list(app.selectbox(key=key).options)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_dashboard_opens_for_the_public_populated(app, page):
    open_page(app, page)
    assert app.title[0].value == PUBLIC_PAGES[page]
    assert not app.error
    assert app.dataframe, "a table is shown"
    assert app.download_button, "downloads are offered"


@pytest.mark.parametrize("page", SECRETARIAT_PAGES)
def test_every_dashboard_opens_for_the_secretariat(app, demo_facts, page):
    open_page(app, page, demo_facts["secretariat"])
    assert app.title[0].value == SECRETARIAT_PAGES[page]
    assert not app.error
    assert any("secretariat view" in c.value for c in app.caption) or page.endswith("tracker.py")


@pytest.mark.parametrize("page", sorted({*SECRETARIAT_PAGES, "app/pages/overview.py"} - {"app/pages/legislation_library.py"}))
def test_every_chart_has_its_table_and_csv_excel_and_png_downloads(app, demo_facts, page):
    open_page(app, page, demo_facts["secretariat"])
    drawn = len(app.get("vega_lite_chart"))
    labels = [b.proto.label for b in app.get("download_button")]
    assert drawn and labels.count("PNG") == drawn
    assert labels.count("CSV") >= drawn and labels.count("Excel") == labels.count("CSV")
    assert len(app.expander) >= drawn, "each chart's table behind it"


def test_the_public_never_sees_a_party_that_did_not_consent(app, demo_facts):
    open_page(app, "app/pages/dashboard_implementation.py")
    trace_parties = options(app, "impl_trace_party")
    assert demo_facts["shown"] in trace_parties
    assert demo_facts["hidden"] not in trace_parties and demo_facts["draft"] not in trace_parties
    heatmap = charts(app)[0]
    assert demo_facts["hidden"] not in json.dumps(heatmap, ensure_ascii=False)

    app.switch_page("app/pages/country_profile.py").run()
    assert demo_facts["hidden"] not in options(app, "profile_party")
    app.switch_page("app/pages/legislation_library.py").run()
    assert demo_facts["hidden"] not in options(app, "law_party")
    assert all(demo_facts["hidden"] != name for name in app.dataframe[0].value.iloc[:, 0])
    app.switch_page("app/pages/dashboard_map.py").run()
    assert demo_facts["hidden"] not in options(app, "map_trace_party")


def test_the_secretariat_sees_unpublished_and_unconsented_parties(app, demo_facts):
    open_page(app, "app/pages/dashboard_implementation.py", demo_facts["secretariat"])
    trace_parties = options(app, "impl_trace_party")
    assert {demo_facts["hidden"], demo_facts["shown"], demo_facts["draft"]} <= set(trace_parties)


def test_a_partys_user_sees_its_own_draft_beside_published_parties(app, demo_facts):
    open_page(app, "app/pages/country_profile.py", demo_facts["ken"])
    assert app.selectbox(key="profile_party").value == "KEN"
    assert app.header[0].value == demo_facts["draft"]
    assert "Draft" in [m.value for m in app.metric]
    parties = options(app, "profile_party")
    assert demo_facts["shown"] in parties and demo_facts["hidden"] not in parties


def test_the_evidence_page_is_for_the_secretariat_only(app, demo_facts):
    assert "app/pages/dashboard_evidence.py" not in [spec.path for spec in navigation.menu(PUBLIC)]
    open_page(app, "app/pages/dashboard_evidence.py")
    assert shows_login(app), "the public is asked to log in"
    open_page(app, "app/pages/dashboard_evidence.py", demo_facts["secretariat"])
    assert app.subheader[0].value == '"Implemented" without any legislation cited'


def test_a_heatmap_cell_traces_back_to_its_answers(app, demo_facts):
    open_page(app, "app/pages/dashboard_implementation.py")
    assert "Choose a Party" in app.info[0].value
    app.selectbox(key="impl_trace_party").set_value(demo_facts["shown"]).run()
    app.selectbox(key="impl_trace_unit").set_value("7").run()
    answers = app.dataframe[-1].value
    assert len(answers) > 0
    assert set(answers["Party"]) == {demo_facts["shown"]}
    assert all(ref.startswith(("Art. 7", "Article 7")) for ref in answers["Provision"])
    assert any(f"{len(answers)} Party x provision answers" in c.value for c in app.caption)


def test_filters_narrow_the_consolidated_table(app):
    open_page(app, "app/pages/dashboard_implementation.py")
    # the reports for the Conference, for the public too (counted over the published answers)
    labels = {b.proto.label for b in app.get("download_button")}
    assert {"Thematic report, chapter I (Word)", "Thematic report, chapter I (PDF)", "Regional report, African States (PDF)",
            "Answers behind the thematic report (CSV)", "Answers behind the regional report (CSV)"} <= labels
    everyone = options(app, "impl_trace_party")
    app.multiselect(key="impl_regions").set_value(["WEOG"]).run()
    weog = options(app, "impl_trace_party")
    assert 0 < len(weog) - 1 < len(everyone) - 1
    app.multiselect(key="impl_chapters").set_value(["II"]).run()
    app.radio(key="impl_level").set_value("chapter").run()
    heatmap = charts(app)[0]
    assert heatmap["encoding"]["x"]["sort"] == ["II"]


def test_sorting_by_name_orders_the_parties_alphabetically(app):
    open_page(app, "app/pages/dashboard_implementation.py")
    app.radio(key="impl_sort").set_value("name").run()
    rows = charts(app)[0]["encoding"]["y"]["sort"]
    assert rows == sorted(rows)
    app.radio(key="impl_sort").set_value("score").run()
    assert charts(app)[0]["encoding"]["y"]["sort"] != sorted(rows)


def test_the_world_map_is_inline_and_lists_parties_it_cannot_draw(app):
    open_page(app, "app/pages/dashboard_map.py")
    app.selectbox(key="map_cycle").set_value("pilot-2025").run()
    spec = charts(app)[0]
    assert spec["datasets"]["world"]["type"] == "Topology"
    assert '"url":' not in json.dumps(spec)
    assert '"name": "country"' in json.dumps(spec), "a country can be clicked to trace its score"
    beside = app.dataframe[0].value
    assert "Tuvalu" in list(beside.iloc[:, 0])


def test_states_too_small_to_see_are_listed_beside_the_map(app, demo_db, demo_facts):
    from review.world import too_small_to_see

    with Store(demo_db) as s, s.read() as cur:
        numeric = dict(cur.execute("SELECT name_en, iso_numeric FROM party").fetchall())
    open_page(app, "app/pages/dashboard_map.py", demo_facts["secretariat"])
    tables = [d.value for d in app.dataframe]
    beside = next(t for t in tables if len(t.columns) == 2)
    shown = next(t for t in tables if len(t.columns) > 2)
    tiny = {name for name in shown.iloc[:, 0] if numeric[name] in too_small_to_see()}
    assert tiny and tiny <= set(beside.iloc[:, 0])


def test_the_response_tracker_counts_every_participating_party(app):
    open_page(app, "app/pages/dashboard_tracker.py")
    metrics = {m.label: int(m.value) for m in app.metric}
    parties = app.dataframe[-1].value
    assert metrics["Participating"] == len(parties)
    assert metrics["Published"] == (parties["State"] == "Published").sum()


def test_change_between_cycles_adds_up(app, demo_facts):
    open_page(app, "app/pages/dashboard_change.py", demo_facts["secretariat"])
    metrics = {m.label: int(m.value) for m in app.metric}
    answers = app.dataframe[-1].value
    assert sum(metrics.values()) == len(answers)
    app.selectbox(key="change_before").set_value(app.selectbox(key="change_after").value).run()
    # the library's refusal (review change says the same), naming the pickers and the options
    assert app.info[0].value.startswith("The later cycle (--to) is the earlier cycle (--from) again")


def test_needs_show_counts_and_the_mentions_behind_them(app, demo_facts):
    open_page(app, "app/pages/dashboard_needs.py", demo_facts["secretariat"])
    by_chapter = app.dataframe[0].value
    mentions = app.dataframe[2].value
    assert by_chapter["Count"].sum() == len(mentions)


def test_the_legislation_library_searches_title_words_and_year(app):
    open_page(app, "app/pages/legislation_library.py")
    app.text_input(key="law_words").set_value("penal code").run()
    titles = list(app.dataframe[0].value["Title"])
    assert titles and all("penal code" in t.lower() for t in titles)
    app.slider(key="law_years").set_value((2010, 2012)).run()
    assert all(2010 <= y <= 2012 for y in app.dataframe[0].value["Year"])


def test_the_legislation_library_filters_by_article_party_and_region(app, demo_facts):
    open_page(app, "app/pages/legislation_library.py", demo_facts["secretariat"])
    everything = app.dataframe[0].value
    app.selectbox(key="law_article").set_value(7).run()
    assert set(app.dataframe[0].value["Provision"].str.extract(r"(\d+)")[0]) == {"7"}
    app.selectbox(key="law_article").set_value(None).run()
    assert "Kenya" in app.selectbox(key="law_party").options
    app.selectbox(key="law_party").set_value("KEN").run()
    assert set(app.dataframe[0].value["Party"]) == {"Kenya"}
    app.selectbox(key="law_party").set_value(None).run()
    app.selectbox(key="law_region").set_value("GRULAC").run()
    latin = app.dataframe[0].value
    assert 0 < len(latin) < len(everything)
    assert set(latin["Regional group"]) == {"Latin American and Caribbean States"}


def test_every_year_an_answer_may_give_is_within_the_year_filter(app):
    from review.questionnaire.values import MIN_YEAR

    open_page(app, "app/pages/legislation_library.py")
    assert app.slider(key="law_years").min == MIN_YEAR
    cited = [y for y in app.dataframe[0].value["Year"] if y == y]
    app.slider(key="law_years").set_value((min(cited), app.slider(key="law_years").max)).run()
    assert len(app.dataframe[0].value) == len(cited), "a range up to the end keeps every later year"


def test_dashboards_speak_chinese(app):
    app.run()
    app.selectbox(key="lang_picker").set_value("zh").run()
    app.switch_page("app/pages/dashboard_implementation.py").run()
    assert not app.exception
    assert app.title[0].value == "公约执行情况"
    assert "缔约国" in json.dumps(charts(app)[0], ensure_ascii=False)


def test_downloads_are_labelled_and_formula_safe():
    from app.figures import file_bytes

    table = pl.DataFrame({"Party": ["=cmd|' /C calc'!A0", "Kenya"], "Score": [0.5, None]})
    csv = file_bytes(table, "csv", "t").decode("utf-8-sig")
    assert csv.splitlines()[0] == '"Party","Score"'
    assert "'=cmd" in csv
    xlsx = file_bytes(table, "xlsx", "t")
    assert xlsx[:2] == b"PK"


def test_charts_render_to_png_offline():
    from review import charts

    # a French label holds an apostrophe, which Vega reads as a quote in a field name unless escaped
    rate = "Taux d'application"
    table = pl.DataFrame({"iso": ["404", "250"], "Score": [0.5, 1.0], rate: [0.3, 0.2], "Party": ["Kenya", "France"]})
    spec = charts.world_map(table, "iso", rate, fields=["Score", rate, "Party"], tooltip=["Party:N", f"{rate}:Q"])
    assert charts.png(spec, scale=0.5)[:8] == b"\x89PNG\r\n\x1a\n"
    bars = charts.bars(table, "Party", rate, tooltip=["Party", rate])
    assert charts.png(bars, scale=0.5)[:8] == b"\x89PNG\r\n\x1a\n"
