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


# calls whose arguments a person reads: the translation layer, the CLI's output, and refusals
_SHOWN = {"t", "tr", "tr_plain", "fill", "print", "Problem"}
_REFUSAL = ("Error", "Refused", "Denied", "Failed", "NotFound")


def _name(call) -> str:
    import ast

    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _by_hand(node) -> bool:
    """`x.strftime(...)`, `x.isoformat(...)` or an f-string's `{x:%Y-%m-%d}`: a date written without
    the reader's language."""
    import ast

    if isinstance(node, ast.Call) and _name(node) in ("strftime", "isoformat"):
        return True
    return isinstance(node, ast.FormattedValue) and node.format_spec is not None and "%" in ast.unparse(node.format_spec)


def hand_formatted_dates() -> list[str]:
    """Where app/ writes a date or moment by hand anywhere (its pages show what they build), and where
    review/ does so in what a person reads: a message, a refusal, a CLI line. Files for programs
    (JSON, CSV, the audit log's values) keep ISO dates, so review/'s other isoformat calls stand."""
    import ast
    from pathlib import Path

    import app
    import review

    found = []
    for package, everywhere in ((app, True), (review, False)):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), str(path))
            if everywhere:
                suspects = [n for n in ast.walk(tree) if _by_hand(n)
                            # a date answer is stored as ISO text (the questionnaire's value), not shown
                            and not (path.name == "answer_inputs.py" and _name(n) == "isoformat")]
            else:
                shown = [c for c in ast.walk(tree) if isinstance(c, ast.Call)
                         and (_name(c) in _SHOWN or _name(c).endswith(_REFUSAL))]
                suspects = [n for c in shown for n in ast.walk(c) if n is not c and _by_hand(n)]
            found += sorted({f"{package.__name__}/{path.relative_to(root)}:{n.lineno}" for n in suspects})
    return found




def test_no_page_message_or_cli_line_writes_a_date_by_hand():
    """Pages wrote moments as `%Y-%m-%d %H:%M` whatever the language (the replaced answers, the
    history, the drawings of lots, the desk review's messages): every date and moment a person reads
    goes through review/formats (app.context.date_text / moment_text on pages; a refusal carries the
    date itself, which `i18n.fill` writes in the reader's language)."""
    assert hand_formatted_dates() == []


def test_a_refusal_writes_its_dates_in_the_readers_language():
    """The library hands a refusal the dates themselves; the message writes them per language."""
    from review.errors import Problem, ValidationFailed

    refused = ValidationFailed([Problem("deadline", "cli_steps.deadline_not_later",
                                        {"value": dt.date(2030, 3, 1), "current": dt.date(2030, 3, 31)})])
    assert "1 mars 2030" in refused.message("fr") and "31 mars 2030" in refused.message("fr")
    assert "Mar 1, 2030" in refused.message("en")
    assert "2030-03-01" not in refused.message("zh")
