"""Date inputs that take any day typed by keyboard (issue 12).

Streamlit's date input is a field of year, month and day that takes typed digits, but a complete date
outside the widget's range (by default ten years either side of today) does not take: the field shows
an English error and the page gets the previous value, or none ("this field is required" for a day the
user did type). So every date input of the app accepts the widest range and writes dates as
YYYY-MM-DD; what a date means (a deadline after the opening, an end after the start) is the library's
to check, refusing by the field's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

FIRST_DATE, LAST_DATE = dt.date(1000, 1, 1), dt.date(9999, 12, 31)
FORMAT = "YYYY-MM-DD"


def date_input(label: str, value: dt.date | None = None, *, key: str, container: Any = None, **options: Any) -> dt.date | None:
    """`st.date_input` (in `container`, a column say) over the widest range, in YYYY-MM-DD."""
    return (container or st).date_input(label, value=value, key=key, min_value=FIRST_DATE, max_value=LAST_DATE,
                                        format=FORMAT, **options)
