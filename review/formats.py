"""Figures as a reader of each UN language writes them: dates, numbers and percentages (Babel, CLDR).

The one place the app, the CLI and the reports format a figure for people to read: `12 345,6` and
`31 mars 2026` in French, `12.345,6` in Spanish, `2026年3月31日` in Chinese. Files meant for
programs (CSV, JSON, Excel cells, Parquet) keep raw values; only their labels are translated.
Babel's data ships in the wheel: nothing is fetched at run time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from review.i18n import normalize

if TYPE_CHECKING:
    from babel import Locale

# Babel is imported by the first figure formatted, not with this module: the light commands
# (`review status --json`, `review --help`) import the CLI, which imports this, and format nothing.

# the CLDR locale each UN language is formatted in; Arabic keeps the Latin digits the UN's
# Arabic documents use (CLDR's "ar" does)
LOCALES = {"en": "en", "zh": "zh_Hans", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar"}
DASH = "—"  # no value: never shown as 0


def locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES.get(normalize(lang), "en"))


def date(value: dt.date | dt.datetime | None, lang: str, width: str = "medium") -> str:
    """A calendar day (`width`: short, medium, long); a dash when there is none."""
    if value is None:
        return DASH
    day = value.date() if isinstance(value, dt.datetime) else value
    from babel.dates import format_date

    return format_date(day, width, locale=locale(lang))


def datetime(value: dt.datetime | None, lang: str, width: str = "short") -> str:
    """A moment to the minute, in the server's time as stored (UTC unless said otherwise)."""
    if value is None:
        return DASH
    from babel.dates import format_datetime

    return format_datetime(value, width, locale=locale(lang))


def time(value: dt.datetime | dt.time | None, lang: str) -> str:
    """A time of day (hours and minutes)."""
    if value is None:
        return DASH
    from babel.dates import format_time

    return format_time(value, "short", locale=locale(lang))


def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """A count or a measure with at most `digits` decimals, grouped as the language groups thousands."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    from babel.numbers import format_decimal

    return format_decimal(value, format=pattern, locale=locale(lang))


def percent(ratio: float | None, lang: str, digits: int = 0) -> str:
    """A 0-1 ratio as a percentage with at most `digits` decimals; a dash when there is no ratio
    (nothing answered is not 0 %)."""
    if ratio is None:
        return DASH
    loc = locale(lang)
    pattern = loc.percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("0", "0." + "#" * digits, 1) if "." not in pattern else pattern
    from babel.numbers import format_percent

    return format_percent(ratio, format=pattern, locale=loc)



def chart_locale(lang: str) -> dict:
    """Vega's number locale for `lang` (decimal and grouping signs), so a chart's axes and
    tooltips write numbers as the page does."""
    symbols = locale(lang).number_symbols.get("latn", locale(lang).number_symbols)
    return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3], "currency": ["", ""],
            "percent": symbols["percentSign"]}


def column(values, write):
    """A polars column written as text by `write` (a formatter of this module, a label), nulls
    kept as nulls; computed in the calling thread.

    Never polars' `map_elements` with a Python function: polars runs the function on its own
    thread pool, and while it waits there for the interpreter lock, another thread converting a
    frame (Streamlit's `st.dataframe` calls `to_pandas`, which holds the lock and waits on the
    same pool) deadlocks the whole process: every session of the server froze under the load
    benchmark (polars issues 26821 and 27396). `tests/test_no_polars_udf.py` keeps Python
    functions out of polars expressions."""
    import polars as pl

    return pl.Series(values.name, [None if v is None else write(v) for v in values.to_list()], dtype=pl.String)
