"""Figures as each UN language writes them (issue 13): one module, review/formats.py (Babel),
used by the app's pages, the dashboards' tables, the CLI and the PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from hypothesis import given, settings, strategies as st

from review import formats
from review.analysis.profile import percent
from review.i18n import LANGUAGES, t

DAY = dt.date(2026, 3, 31)


@pytest.mark.parametrize("lang, day, number, share", [
    ("en", "Mar 31, 2026", "12,345.68", "46%"),
    ("zh", "2026年3月31日", "12,345.68", "46%"),
    ("fr", "31 mars 2026", "12\u202f345,68", "46\u00a0%"),
    ("es", "31 mar 2026", "12.345,68", "46\u00a0%"),
    ("ru", "31 мар. 2026\u202fг.", "12\u00a0345,68", "46\u00a0%"),
    ("ar", "31\u200f/03\u200f/2026", "12,345.68", "46%"),
])
def test_each_language_writes_figures_its_own_way(lang, day, number, share):
    assert formats.date(DAY, lang) == day
    assert formats.date(dt.datetime(2026, 3, 31, 23, 59), lang) == day  # a moment's day
    assert formats.number(12345.678, lang, 2) == number
    assert formats.percent(0.456, lang) == share


def test_no_value_is_a_dash_never_zero():
    for lang in LANGUAGES:
        assert formats.date(None, lang) == formats.number(None, lang) == formats.percent(None, lang) == "—"
    assert formats.percent(0.0, "fr") == "0\u00a0%"


def test_digits_are_at_most_not_always():
    assert formats.percent(0.4567, "fr", 1) == "45,7\u00a0%" and formats.percent(0.45, "fr", 1) == "45\u00a0%"
    assert formats.number(3, "es", 2) == "3" and formats.number(1234567, "es") == "1.234.567"


def test_an_unknown_language_is_written_in_english():
    assert formats.date(DAY, "de") == formats.date(DAY, "en") and formats.percent(0.5, "xx") == "50%"


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       lang=st.sampled_from(LANGUAGES))
def test_a_number_reads_back_as_itself(value, lang):
    """What a reader sees is the number, in any of the six: grouping and decimal signs parse back."""
    shown = formats.number(value, lang, 2)
    assert parse_decimal(shown.replace("\u200f", "").replace("\u061c", ""), locale=formats.locale(lang),
                         strict=False) == Decimal(value).normalize() or Decimal(value) == 0


def test_the_country_profile_pdf_percentages_follow_the_language():
    assert percent(0.825, "fr") == "82\u00a0%" and percent(0.825) == "82%" and percent(None, "ar") == "—"


def test_the_partys_cycle_page_writes_the_deadline_and_completeness_in_french(db):
    from tests.test_party_workspace import open_page
    from review import users
    from review.store import open_store

    store = open_store(db, create=False)
    try:
        ken = users.find_by_email(store, "ken.focal@demo.example.org").actor
        from review.cycles import get_cycle

        deadline = get_cycle(store).deadline
    finally:
        store.close()
    app = open_page("app/pages/party_cycle.py", ken, lang="fr")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[t("party.deadline", "fr")] == formats.date(deadline, "fr")
    assert metrics[t("party.completeness", "fr")].endswith("\u00a0%")
    assert formats.date(deadline, "fr") in app.caption[0].value  # the state line


def test_a_dashboards_table_shows_decimals_as_the_language_writes_them(app):
    app.session_state["lang"] = "fr"
    app.run()
    shown = app.dataframe[0].value.iloc[:, 1]
    assert all("," in v or v.isdigit() for v in shown) and not any("." in v for v in shown)
    import json

    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","  # the chart's axis too
    app.session_state["lang"] = "en"
    app.run()
    assert all("," not in v for v in app.dataframe[0].value.iloc[:, 1])
    assert json.loads(app.get("vega_lite_chart")[0].proto.spec)["config"]["locale"]["number"]["decimal"] == "."


def test_a_chart_png_renders_with_the_languages_number_locale():
    import altair as alt
    import polars as pl

    from review import charts

    chart = alt.Chart(pl.DataFrame({"x": [0.25, 0.75]})).mark_bar().encode(x="x:Q")
    french = chart.configure(locale={"number": formats.chart_locale("fr")})
    assert charts.png(french)[:8] == b"\x89PNG\r\n\x1a\n"
    assert formats.chart_locale("fr")["decimal"] == "," and formats.chart_locale("es")["thousands"] == "."
