"""`review gap` files, the shared formula escaping, and the published snapshot's round trip."""

from __future__ import annotations

import json

import openpyxl
import polars as pl
import pytest

from review.access import PUBLIC
from tests.actors import SETUP
from review.analysis import gaps, legislation, responses, scoring
from review.analysis.snapshot import open_snapshot, write_snapshot
from review.cli import main
from review.errors import PermissionDenied, ReviewError
from review.export import to_bytes, write_table
from tests.analysis_data import analysed, tiny  # noqa: F401

PARTY_FIELDS = {"party", "score", "score_mandatory", "answered", "unknown", "not_applicable"}
ACROSS_FIELDS = {"implementation_rate", "score", "responding"}


def gap(capsys, store, tmp_path, *args, name="out.json"):
    out = tmp_path / name
    code = main(["--db", str(store.path), "gap", "--cycle", "tiny-1", "--out", str(out), *args])
    assert code == 0, capsys.readouterr().err
    return out


def test_gap_by_party_json(store, analysed, tmp_path, capsys):
    rows = json.loads(gap(capsys, store, tmp_path, "--by", "party", "--format", "json").read_text(encoding="utf-8"))
    by_name = {r["party"]: r for r in rows}
    assert set(by_name) == {"Kenya", "France", "China"}
    assert all(PARTY_FIELDS <= set(r) for r in rows)
    assert by_name["Kenya"]["score"] == pytest.approx(0.8333, abs=1e-4)
    assert by_name["France"]["score_mandatory"] == 0.0
    assert (by_name["China"]["answered"], by_name["China"]["unknown"], by_name["Kenya"]["not_applicable"]) == (1, 2, 1)
    assert by_name["China"]["state"] == "Draft"


def test_gap_by_article_chapter_region_json(store, analysed, tmp_path, capsys):
    articles = json.loads(gap(capsys, store, tmp_path, "--by", "article", "--format", "json").read_text(encoding="utf-8"))
    assert [a["article"] for a in articles] == [1, 2]
    assert all(ACROSS_FIELDS | {"article"} <= set(a) for a in articles)
    assert (articles[1]["responding"], articles[1]["implementation_rate"], articles[1]["score"]) == (2, 0.5, 0.75)
    (chapter,) = json.loads(gap(capsys, store, tmp_path, "--by", "chapter", "--format", "json").read_text(encoding="utf-8"))
    assert chapter["chapter"] == "I" and chapter["responding"] == 3
    regions = json.loads(gap(capsys, store, tmp_path, "--by", "region", "--format", "json").read_text(encoding="utf-8"))
    assert {r["region"] for r in regions} == {"African States", "Asia-Pacific States", "Western European and Other States"}
    assert all(ACROSS_FIELDS <= set(r) for r in regions)


def test_gap_published_only_and_in_chinese(store, analysed, tmp_path, capsys):
    rows = json.loads(gap(capsys, store, tmp_path, "--by", "party", "--format", "json", "--published-only", "--lang", "zh")
                      .read_text(encoding="utf-8"))
    assert [r["party"] for r in rows] == ["肯尼亚"]
    assert rows[0]["region"] == "非洲国家组"


def test_gap_xlsx_is_readable(store, analysed, tmp_path, capsys):
    path = gap(capsys, store, tmp_path, "--by", "party", name="gap.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "Party" and ws["A1"].font.bold
    assert ws["E1"].value == "Score"
    assert ws.column_dimensions["A"].width >= len("party")
    assert {ws.cell(row=r, column=1).value for r in range(2, 5)} == {"Kenya", "France", "China"}


def test_gap_csv_and_parquet(store, analysed, tmp_path, capsys):
    csv_rows = pl.read_csv(gap(capsys, store, tmp_path, "--by", "article", name="gap.csv"))
    assert csv_rows["article"].to_list() == [1, 2]
    parquet = pl.read_parquet(gap(capsys, store, tmp_path, "--by", "chapter", "--format", "parquet", name="gap.bin"))
    assert parquet["chapter"].to_list() == ["I"]


def test_gap_refuses_an_unknown_format(store, analysed, tmp_path, capsys):
    code = main(["--db", str(store.path), "gap", "--out", str(tmp_path / "out.txt")])
    assert code == 1 and "txt" in capsys.readouterr().err


def test_exports_escape_formulas(tmp_path):
    df = pl.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "Penal Code"], "score": [0.5, None]})
    write_table(df, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    write_table(df, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert ws["A2"].value.startswith("=") and ws["A2"].data_type == "s" and ws["A2"].quotePrefix
    assert ws["B2"].value == 0.5 and ws["B2"].number_format == "0.00"


def test_snapshot_round_trip(store, analysed, tmp_path, capsys):
    folder = tmp_path / "snap"
    assert main(["--db", str(store.path), "publish-snapshot", str(folder)]) == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {c["id"]: c["published"] for c in manifest["cycles"]} == {"tiny-1": 1, "tiny-2": 1}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert manifest["files"]["answer.parquet"]["rows"] == 0
    published = pl.read_parquet(folder / "revision_answer.parquet")
    assert set(published["submission_id"]) == {"tiny-1/KEN", "tiny-2/KEN"}
    with open_snapshot(folder) as snap:
        for function in (scoring.party_scores, gaps.evidence_quality):
            assert function(snap, SETUP, "tiny-1").equals(function(store, PUBLIC, "tiny-1"))
        assert scoring.implementation(snap, SETUP, "tiny-1", "article").equals(
            scoring.implementation(store, PUBLIC, "tiny-1", "article"))
        assert legislation.legislation_library(snap, SETUP, "tiny-1").equals(
            legislation.legislation_library(store, PUBLIC, "tiny-1"))
        assert responses.response_tracking(snap, "tiny-1").equals(responses.response_tracking(store, "tiny-1"))
        with pytest.raises(PermissionDenied):
            gaps.gap_profile(snap, SETUP, "FRA", "tiny-1")


def test_snapshot_refuses_tampered_files_and_non_secretariat(store, analysed, tmp_path):
    with pytest.raises(PermissionDenied):
        write_snapshot(store, analysed["focal"], tmp_path / "nope")
    folder = tmp_path / "snap"
    write_snapshot(store, analysed["secretariat"], folder)
    (folder / "party.parquet").write_bytes(b"not parquet")
    with pytest.raises(ReviewError):
        open_snapshot(folder)
    with pytest.raises(ReviewError):
        open_snapshot(tmp_path / "empty")


def test_download_bytes_match_the_files(tmp_path):
    from review.export import to_bytes

    df = pl.DataFrame({"party": ["Kenya", "-1 trick"], "score": [0.5, None]})
    for fmt in ("csv", "json", "parquet"):
        assert to_bytes(df, fmt) == write_table(df, tmp_path / f"t.{fmt}").read_bytes()
    (tmp_path / "d.xlsx").write_bytes(to_bytes(df, "xlsx"))
    cell = openpyxl.load_workbook(tmp_path / "d.xlsx").active["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("-1 trick", "s", True)
    assert "'-1 trick" in to_bytes(df, "csv").decode("utf-8-sig")
    assert json.loads(to_bytes(df, "json"))[1] == {"party": "-1 trick", "score": None}
