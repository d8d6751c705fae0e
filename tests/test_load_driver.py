"""Several users at once on the real server, over Streamlit's websocket protocol (the load
benchmark's driver, benchmarks/load.py, run small): every save the page confirmed is in the
database, and nobody meets an error. Asserts no timing."""

from __future__ import annotations

import pytest

from benchmarks import load

pytestmark = pytest.mark.browser  # a real server process, like the browser tests


def test_colleagues_saving_at_once_lose_nothing(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(load, "THINK", (0.2, 0.6))
    # eleven Party users on three Parties: colleagues save the same submission, each their own sections
    result = load.one_population(12, 20, tmp_path, demo=demo_db, parties_at_most=3)
    tally = result["tally"]
    assert tally.errors == []
    assert len({party for party, _, _ in tally.confirmed}) == 3  # saves were confirmed on every Party
    assert len(tally.confirmed) >= 6
    assert result["lost"] == []
    assert tally.pages and tally.saves
