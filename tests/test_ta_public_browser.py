"""In a real browser, as the public: the published TA page and its open-data downloads carry the
needs their Parties published (the demo's Kenyan request) and not the others (Colombia's request,
never published)."""

from __future__ import annotations

import io
from csv import reader

import polars as pl
import pytest

from review.matching import open_data
from tests.browser_app import page, served, wait_idle  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PUBLISHED = "Training for the new digital forensics laboratory of the police."
UNPUBLISHED = "Review of the draft cybercrime bill before it goes to Congress."


def download(tab, key: str) -> bytes:
    with tab.expect_download() as started:
        tab.locator(f".st-key-{key} button").click()
    return open(started.value.path(), "rb").read()


def test_the_public_downloads_the_published_needs_only(page):
    url, tab = page
    tab.goto(f"{url}/ta_public")
    wait_idle(tab)
    tab.get_by_role("heading", name="Published technical assistance needs and offers").wait_for()
    csv = download(tab, "tapub_ta-needs_csv").decode("utf-8-sig")
    assert PUBLISHED in csv and UNPUBLISHED not in csv
    header = next(reader(io.StringIO(csv)))
    assert header == [*open_data.NEED_SCHEMA, *open_data.NEED_LABELS]
    needs = pl.read_parquet(io.BytesIO(download(tab, "tapub_ta-needs_parquet")))
    assert PUBLISHED in needs["description"].to_list() and UNPUBLISHED not in needs["description"].to_list()
    summary = pl.read_parquet(io.BytesIO(download(tab, "tapub_ta-summary_parquet")))
    assert summary["needed"].sum() == needs.height
