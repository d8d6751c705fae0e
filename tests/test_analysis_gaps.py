"""Gap profiles, needs and challenges, evidence quality, tracking, change, the legislation library
and traceability, against the hand-computed dataset of tests/analysis_data.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from review.access import PUBLIC
from tests.actors import SETUP
from review.analysis import change, gaps, legislation, responses, scope, scoring, trace
from review.errors import PermissionDenied, ReviewError
from review.i18n import t
from tests.analysis_data import analysed, tiny  # noqa: F401


def test_gap_profile_lists_mandatory_gaps_with_ta_and_challenges(store, analysed):
    profile = gaps.gap_profile(store, SETUP, "FRA", "tiny-1")
    (row,) = profile.iter_rows(named=True)
    assert (row["provision_id"], row["status"], row["status_label"]) == ("1.1", "not_implemented", "Not implemented")
    assert sorted(row["challenges"]) == ["Limited capacity", "Limited resources"]
    assert row["ta_needs"] == ["Legislative drafting (High): Draft a law"]
    assert gaps.gap_profile(store, SETUP, "KEN", "tiny-1").is_empty()


def test_gap_profile_can_include_unknown_mandatory_provisions(store, analysed):
    assert gaps.gap_profile(store, SETUP, "FRA", "tiny-2").is_empty()
    (row,) = gaps.gap_profile(store, SETUP, "FRA", "tiny-2", include_unknown=True).iter_rows(named=True)
    assert row["provision_id"] == "1.1" and row["status"] is None


def test_gap_profile_of_an_unpublished_party_is_refused(store, analysed):
    with pytest.raises(PermissionDenied):
        gaps.gap_profile(store, PUBLIC, "FRA", "tiny-1")
    with pytest.raises(PermissionDenied):
        gaps.gap_profile(store, analysed["focal"], "CHN", "tiny-1")
    assert gaps.gap_profile(store, analysed["other_focal"], "FRA", "tiny-1").height == 1


def test_ta_needs_and_challenges_by_type_chapter_region(store, analysed):
    ta = {(r["type"], r["chapter"], r["region"]): (r["mentions"], r["parties"])
          for r in gaps.needs_counts(store, SETUP, "tiny-1", "ta").iter_rows(named=True)}
    assert ta == {("legislative_drafting", "I", "WEOG"): (1, 1), ("training", "I", "AFR"): (1, 1)}
    found = {(r["type_label"], r["region"]): r["mentions"]
             for r in gaps.needs_counts(store, SETUP, "tiny-1", "challenge").iter_rows(named=True)}
    assert found == {("Limited capacity", "WEOG"): 1, ("Limited resources", "WEOG"): 1, ("Limited resources", "AFR"): 1}
    public = gaps.needs_counts(store, PUBLIC, "tiny-1", "ta")
    assert public["type"].to_list() == ["training"]
    with pytest.raises(ReviewError):
        gaps.needs_counts(store, SETUP, "tiny-1", "wishes")


def test_evidence_quality(store, analysed):
    quality = {r["party"]: r for r in gaps.evidence_quality(store, SETUP, "tiny-1").iter_rows(named=True)}
    assert (quality["CHN"]["implemented_without_legislation"], quality["CHN"]["share_without_legislation"]) == (1, 1.0)
    assert quality["CHN"]["unknown"] == 2
    assert (quality["KEN"]["implemented_without_legislation"], quality["FRA"]["implemented"]) == (0, 2)
    issues = {(r["party"], r["provision_id"]): r["issue"] for r in gaps.evidence_issues(store, SETUP, "tiny-1").iter_rows(named=True)}
    assert issues == {("CHN", "1.1"): "no_legislation", ("CHN", "1.2"): "unknown", ("CHN", "2"): "unknown"}


def test_response_tracking(store, analysed):
    summary = responses.response_summary(store, "tiny-1", today=dt.date(2030, 2, 1)).row(0, named=True)
    assert summary == {"participating": 3, "submitted": 2, "validated": 2, "published": 2, "public": 1, "late": 1}
    rows = {r["party"]: r for r in responses.response_tracking(store, "tiny-1", today=dt.date(2030, 2, 1), lang="zh").iter_rows(named=True)}
    assert rows["CHN"]["late"] and not rows["KEN"]["late"]
    assert (rows["CHN"]["state"], rows["CHN"]["state_label"]) == ("draft", t("states.draft", "zh"))
    on_time = responses.response_summary(store, "tiny-1", today=dt.date(2030, 1, 31))
    assert on_time["late"].to_list() == [0]


def test_change_between_cycles(store, analysed):
    changes = change.cycle_change(store, SETUP, "tiny-1", "tiny-2")
    found = {(r["party"], r["provision_id"]): r["change"] for r in changes.iter_rows(named=True)}
    assert found == {
        ("KEN", "1.1"): "regressed", ("KEN", "1.2"): "not_comparable", ("KEN", "2"): "improved",
        ("FRA", "1.1"): "not_comparable", ("FRA", "1.2"): "not_comparable", ("FRA", "2"): "not_comparable",
    }
    summary = {r["party"]: r for r in change.change_summary(changes).iter_rows(named=True)}
    assert (summary["KEN"]["improved"], summary["KEN"]["regressed"], summary["KEN"]["not_comparable"]) == (1, 1, 1)
    public = change.cycle_change(store, PUBLIC, "tiny-1", "tiny-2")
    assert set(public["party"]) == {"KEN"}


def test_legislation_library_and_its_filters(store, analysed):
    everything = legislation.legislation_library(store, SETUP, "tiny-1")
    assert sorted(everything["title"]) == ["Keeper Training Act", "Keepers Decree", "Lighthouse Act", "Paint Rules"]
    public = legislation.legislation_library(store, PUBLIC, "tiny-1")
    assert sorted(public["title"]) == ["Keepers Decree", "Lighthouse Act"]
    words = legislation.legislation_library(store, SETUP, "tiny-1", words="KEEPER")
    assert sorted(words["title"]) == ["Keeper Training Act", "Keepers Decree"]
    assert legislation.legislation_library(store, SETUP, "tiny-1", words="training keeper")["title"].to_list() == ["Keeper Training Act"]
    assert legislation.legislation_library(store, SETUP, "tiny-1", year=2020)["title"].to_list() == ["Lighthouse Act"]
    assert sorted(legislation.legislation_library(store, SETUP, "tiny-1", year=(2019, 2021))["title"]) == [
        "Keeper Training Act", "Lighthouse Act", "Paint Rules"]
    assert legislation.legislation_library(store, SETUP, "tiny-1", article=2).height == 2
    assert set(legislation.legislation_library(store, SETUP, "tiny-1", party="FRA")["title"]) == {"Paint Rules", "Keeper Training Act"}
    assert legislation.legislation_library(store, SETUP, "tiny-1", region="AFR")["party"].unique().to_list() == ["KEN"]


def test_trace_returns_the_rows_behind_a_cell(store, analysed):
    cell = trace.trace(store, SETUP, "tiny-1", article=1)
    assert cell.height == 6
    counted = {(r["party"], r["provision_id"]): r["counted"] for r in cell.iter_rows(named=True)}
    assert counted[("KEN", "1.2")] == "not_applicable" and counted[("CHN", "1.2")] == "unknown"
    assert counted[("FRA", "1.1")] == "scored"
    assert trace.trace(store, SETUP, "tiny-1", region="WEOG", mandatory_only=True)["provision_id"].to_list() == ["1.1"]
    assert trace.trace(store, PUBLIC, "tiny-1", party="FRA").is_empty()
    assert trace.trace(store, SETUP, "tiny-1", category="other").height == 9


def test_answers_frame_per_viewer(store, analysed):
    everything = scope.answers_frame(store, SETUP, "tiny-1")
    assert set(everything["party"]) == {"KEN", "FRA", "CHN"}
    assert set(everything["origin"]) == {"current"}
    public = scope.answers_frame(store, PUBLIC, "tiny-1")
    assert set(public["party"]) == {"KEN"} and set(public["origin"]) == {"published"}
    own = scope.answers_frame(store, analysed["chn"], "tiny-1")
    assert {(r["party"], r["origin"]) for r in own.iter_rows(named=True)} == {("CHN", "current"), ("KEN", "published")}
    assert scope.viewer_scope(store, SETUP) == "all"
    assert scope.viewer_scope(store, SETUP, published_only=True) == "public"
    assert scope.viewer_scope(store, analysed["observer"]) == "party"
    assert scope.viewer_scope(store, PUBLIC) == "public"


def test_a_view_limited_to_parties_holds_their_rows_as_the_whole_view_does(store, analysed):
    def tables(view, where=""):
        return [view.sql(f"SELECT * FROM {t} {where} ORDER BY ALL").rows() for t in ("seen_submission", "seen_answer", "grid")]

    for actor in (SETUP, analysed["chn"], PUBLIC):
        with scope.open_view(store, actor, ["tiny-1"]) as whole:
            expected = {p: tables(whole, f"WHERE party = '{p}'") for p in ("KEN", "CHN")}
        for parties in (["KEN"], ["KEN", "CHN"]):
            with scope.open_view(store, actor, ["tiny-1"], parties=parties) as limited:
                held = tables(limited)
                assert limited.parties == tuple(sorted(parties))
                assert [sorted(r for p in parties for r in expected[p][k]) for k in range(3)] == held
    with scope.open_view(store, PUBLIC, ["tiny-1"], parties=["FRA"]) as unseen:
        assert tables(unseen) == [[], [], []]
    grids = "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'grid' AND temporary"
    with store.batch():  # every view of a batch shares its cursor: none keeps the grid of the one before
        with scope.open_view(store, SETUP, ["tiny-1"]) as full:
            assert full.sql(grids)["n"][0] == 1
            answers = full.sql("SELECT * FROM seen_answer ORDER BY ALL").rows()
        with scope.open_view(store, SETUP, ["tiny-1"], grid=False) as answers_only:
            assert answers_only.sql(grids)["n"][0] == 0
            assert answers_only.sql("SELECT * FROM seen_answer ORDER BY ALL").rows() == answers != []


def test_public_answers_come_from_the_published_revision(store, analysed):
    """The public reads the frozen revision, even if working answers changed after it."""
    with store.transaction() as cur:
        cur.execute("UPDATE answer SET value = '\"not_implemented\"' WHERE submission_id = 'tiny-1/KEN' "
                    "AND provision_id = '1.1' AND question_id = 'status'")
    assert scoring.party_scores(store, SETUP, "tiny-1").filter(pl.col("party") == "KEN")["score_mandatory"].item() == 0.0
    public = scope.answers_frame(store, PUBLIC, "tiny-1")
    status = public.filter((public["provision_id"] == "1.1") & (public["question_id"] == "status"))["value"].to_list()
    assert status == ['"implemented"']


def test_needs_rows_for_one_party(store, analysed):
    (need,) = gaps.needs_rows(store, SETUP, "tiny-1", "ta", party="KEN").iter_rows(named=True)
    assert (need["provision_id"], need["type_label"], need["priority_label"], need["description"]) == (
        "2", "Training", "High", "Train keepers")
    challenges = gaps.needs_rows(store, SETUP, "tiny-1", "challenge")
    assert challenges.height == 3
    with pytest.raises(PermissionDenied):
        gaps.needs_rows(store, PUBLIC, "tiny-1", "ta", party="FRA")


def test_legislation_library_across_cycles(store, analysed):
    library = legislation.legislation_library(store, PUBLIC, all_cycles=True, words="decree")
    assert [(r["cycle_id"], r["year"]) for r in library.iter_rows(named=True)] == [("tiny-2", 2024), ("tiny-1", 2018)]
    assert legislation.legislation_library(store, SETUP, all_cycles=True).height == 4 + 2


def test_a_cycle_is_not_compared_with_itself(store, analysed):
    """`review change --from X --to X` wrote a file of 'unchanged' rows: the library refuses, in the
    reader's language, naming the option (the CLI and the change page show the same refusal)."""
    with pytest.raises(change.SameCycle) as refused:
        change.cycle_change(store, SETUP, "tiny-2", "tiny-2")
    assert "--to" in refused.value.message("fr") and "tiny-2" in refused.value.message("fr")
    assert refused.value.message("fr").startswith("Le cycle ultérieur (--to)")
