"""Scores, the consolidated table and implementation rates, checked against hand-computed figures."""

from __future__ import annotations

import pytest

from review.access import PUBLIC
from tests.actors import SETUP
from review.analysis import scoring
from review.errors import PermissionDenied, ReviewError
from tests.analysis_data import analysed, tiny  # noqa: F401

approx = pytest.approx


def rows_by(df, key):
    return {row[key]: row for row in df.iter_rows(named=True)}


def test_party_scores_for_the_secretariat(store, analysed):
    rows = rows_by(scoring.party_scores(store, SETUP, "tiny-1"), "party")
    assert set(rows) == {"KEN", "FRA", "CHN"}
    ken, fra, chn = rows["KEN"], rows["FRA"], rows["CHN"]
    # KEN: 1.1 implemented (1 x w1), 2 partly (0.5 x w0.5); 1.2 not applicable is left out.
    assert ken["score"] == approx(1.25 / 1.5)
    assert ken["score_mandatory"] == approx(1.0)
    assert ken["implementation_rate"] == approx(0.5)
    assert (ken["answered"], ken["scored"], ken["unknown"], ken["not_applicable"]) == (3, 2, 0, 1)
    # FRA: 1.1 not (0 x w1), 1.2 implemented (1 x w0.25), 2 implemented (1 x w0.5).
    assert fra["score"] == approx(0.75 / 1.75)
    assert fra["score_mandatory"] == approx(0.0)
    assert fra["implementation_rate"] == approx(2 / 3)
    assert (fra["implemented"], fra["partly"], fra["not_implemented"]) == (2, 0, 1)
    # CHN: only 1.1 answered; the two unanswered provisions are unknown, not zero.
    assert chn["score"] == approx(1.0)
    assert (chn["answered"], chn["scored"], chn["unknown"]) == (1, 1, 2)
    assert chn["state"] == "draft"


def test_nothing_answered_scores_null(store, analysed):
    rows = rows_by(scoring.party_scores(store, SETUP, "tiny-2"), "party")
    assert rows["FRA"]["score"] is None and rows["FRA"]["unknown"] == 3
    assert rows["KEN"]["score"] == approx((0.5 * 1 + 1 * 0.5) / 1.5)


def test_public_sees_only_consenting_published_parties(store, analysed):
    public = scoring.party_scores(store, PUBLIC, "tiny-1")
    assert public["party"].to_list() == ["KEN"]
    assert scoring.party_scores(store, SETUP, "tiny-1", published_only=True)["party"].to_list() == ["KEN"]


def test_a_party_sees_its_own_answers_beside_the_public_ones(store, analysed):
    fra_view = rows_by(scoring.party_scores(store, analysed["other_focal"], "tiny-1"), "party")
    assert set(fra_view) == {"FRA", "KEN"}
    assert fra_view["FRA"]["score"] == approx(0.75 / 1.75)
    chn_view = scoring.party_scores(store, analysed["chn"], "tiny-1")
    assert sorted(chn_view["party"].to_list()) == ["CHN", "KEN"]


def test_consolidated_table_by_article(store, analysed):
    table = scoring.consolidated(store, SETUP, "tiny-1", "article")
    cells = {(r["party"], r["article"]): r for r in table.iter_rows(named=True)}
    assert len(cells) == 6
    assert cells[("FRA", 1)]["score"] == approx(0.25 / 1.25)
    assert cells[("KEN", 1)]["score"] == approx(1.0) and cells[("KEN", 1)]["not_applicable"] == 1
    assert cells[("CHN", 1)]["unknown"] == 1
    assert cells[("CHN", 2)]["score"] is None and cells[("CHN", 2)]["unknown"] == 1
    wide = scoring.consolidated_wide(table, "article")
    assert wide.columns == ["party", "party_name", "region_name", "1", "2"]
    assert rows_by(wide, "party")["KEN"]["2"] == approx(0.5)


def test_consolidated_table_by_provision_has_statuses(store, analysed):
    table = scoring.consolidated(store, SETUP, "tiny-1", "provision", lang="zh")
    cells = {(r["party"], r["provision_id"]): r for r in table.iter_rows(named=True)}
    assert cells[("KEN", "1.2")]["status"] == "not_applicable"
    assert cells[("KEN", "1.2")]["status_label"] == "不适用"
    assert cells[("CHN", "2")]["status"] is None
    assert cells[("FRA", "1.1")]["party_name"] == "法国"


def test_implementation_rate_per_article(store, analysed):
    rows = rows_by(scoring.implementation(store, SETUP, "tiny-1", "article"), "article")
    one, two = rows[1], rows[2]
    assert (one["parties"], one["responding"]) == (3, 3)
    assert one["implementation_rate"] == approx((1 + 0.5 + 1) / 3)
    assert one["score"] == approx((1 + 0.2 + 1) / 3)
    assert one["score_mandatory"] == approx(2 / 3)
    assert (one["unknown"], one["not_applicable"]) == (1, 1)
    assert (two["responding"], two["implementation_rate"], two["score"]) == (2, approx(0.5), approx(0.75))
    assert two["score_mandatory"] is None


def test_implementation_per_chapter_and_by_region(store, analysed):
    (chapter,) = scoring.implementation(store, SETUP, "tiny-1", "chapter").iter_rows(named=True)
    assert chapter["chapter"] == "I" and chapter["responding"] == 3
    assert chapter["score"] == approx((1.25 / 1.5 + 0.75 / 1.75 + 1.0) / 3)
    assert chapter["implementation_rate"] == approx((0.5 + 2 / 3 + 1) / 3)
    regions = rows_by(scoring.implementation(store, SETUP, "tiny-1", "cycle", by="region"), "group")
    assert set(regions) == {"AFR", "APG", "WEOG"}
    assert regions["WEOG"]["score"] == approx(0.75 / 1.75)
    assert regions["AFR"]["group_name"] == "African States"


def test_implementation_by_development_category(store, analysed):
    groups = rows_by(scoring.implementation(store, SETUP, "tiny-1", "chapter", by="category"), "group")
    assert set(groups) == {"other"}
    assert groups["other"]["parties"] == 3 and groups["other"]["group_name"] == "Other Parties"


def test_unknown_levels_are_refused(store, analysed):
    with pytest.raises(ReviewError):
        scoring.implementation(store, SETUP, "tiny-1", "paragraph")
    with pytest.raises(ReviewError):
        scoring.implementation(store, SETUP, "tiny-1", "article", by="income")
    with pytest.raises(ReviewError):
        scoring.consolidated(store, SETUP, "tiny-1", "cycle")


def test_demo_scores_are_in_range(demo_store):
    parties = scoring.party_scores(demo_store, SETUP, "review-2026")
    scored = parties.filter(parties["score"].is_not_null())
    assert scored.height > 100
    assert scored["score"].min() >= 0 and scored["score"].max() <= 1
    not_started = parties.filter(parties["state"] == "not_started")
    assert not_started.height > 0 and not_started["score"].is_null().all()


def test_one_view_serves_several_aggregates(store, analysed):
    from review.analysis.scope import open_view

    with open_view(store, SETUP, ["tiny-1"]) as view:
        assert scoring.party_scores(view, SETUP).equals(scoring.party_scores(store, SETUP, "tiny-1"))
        assert scoring.implementation(view, SETUP, "tiny-1", "article").equals(
            scoring.implementation(store, SETUP, "tiny-1", "article"))
        with pytest.raises(ReviewError):
            scoring.party_scores(view, SETUP, "tiny-2")
        with pytest.raises(ReviewError):
            scoring.party_scores(view, PUBLIC, "tiny-1")


def test_chapter_comparison_for_the_country_profile(store, analysed):
    (row,) = scoring.chapter_comparison(store, SETUP, "FRA", "tiny-1").iter_rows(named=True)
    assert row["chapter"] == "I" and row["score"] == approx(0.75 / 1.75)
    assert row["region_score"] == approx(0.75 / 1.75)
    assert row["all_score"] == approx((1.25 / 1.5 + 0.75 / 1.75 + 1.0) / 3)
    with pytest.raises(PermissionDenied):
        scoring.chapter_comparison(store, PUBLIC, "FRA", "tiny-1")
