"""Tables as drawn (issue 12, item 10): the grid shows a date as a time stamp ("2026-12-03 00:00:00")
and an empty cell as "None"; `app.tables` gives it dates as text in the user's language and a blank
placeholder."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import polars as pl

from app.tables import EMPTY, readable


def test_dates_lose_the_time_of_day_and_are_written_in_the_users_language():
    frame = pl.DataFrame({"date": [dt.date(2026, 12, 3), None], "midnight": [dt.datetime(2026, 12, 3), None],
                          "time": [dt.datetime(2026, 12, 3, 9, 30, 15), None], "score": [1.5, None]})
    shown = readable(frame, "en")
    assert shown.row(0)[:2] == ("Dec 3, 2026", "Dec 3, 2026") and "00:00" not in shown.row(0)[2]
    assert "9:30" in shown.row(0)[2] and ":15" not in shown.row(0)[2]
    assert shown.row(1) == (None, None, None, None), "empty stays empty (the placeholder draws it)"
    assert shown["score"].dtype == pl.Float64, "numbers stay numbers, so they sort as numbers"
    assert readable(frame, "zh").row(0)[0] == "2026年12月3日"


def test_pandas_frames_too():
    frame = pd.DataFrame({"when": pd.to_datetime(["2026-12-03", None]), "date": [dt.date(2026, 12, 3), None]})
    shown = readable(frame, "en")
    assert shown["when"][0] == "Dec 3, 2026" and shown["date"][0] == "Dec 3, 2026" and pd.isna(shown["when"][1])
    assert EMPTY == ""
