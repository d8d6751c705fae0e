"""TA received counted: needed vs received by type, chapter and region; the country profile (page
data and PDF); the matching's note on a need already being met. On the tiny instrument (hand-counted)
and on the demo (checked against the raw answers)."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from pypdf import PdfReader

from review.access import PUBLIC
from review.analysis import gaps
from review.analysis.profile import country_profile
from review.matching.needs import questionnaire_needs
from review.matching.report import headers, match_report
from review.questionnaire import from_mapping
from review.reports.country_profile import country_profile_pdf
from tests.actors import SETUP
from tests.analysis_data import FRA_1, KEN_1, T, publish, tiny_with_needs

RECEIVED = {"id": "ta_received", "type": "table", "label": T("TA received", "已获得的技术援助"), "columns": [
    {"id": "type", "type": "choice", "code_list": "ta_type", "label": T("Type", "类型")},
    {"id": "provider", "type": "text", "required": True, "label": T("Provider", "提供方")},
    {"id": "year", "type": "year", "label": T("Year", "年份")},
]}
# KEN (published with consent): a training need on 2, training received there (meets it) and help of no type;
# FRA (published without consent): a drafting need on 1.1, training received there (does not meet it)
KEN = {**KEN_1, ("2", "ta_received"): [{"type": "training", "provider": "UNODC", "year": 2024},
                                        {"provider": "Friends of Lights", "year": 2023}]}
FRA = {**FRA_1, ("1.1", "ta_received"): [{"type": "training", "provider": "EU", "year": 2022}]}


@pytest.fixture
def tiny():
    d = tiny_with_needs()
    d["question_blocks"]["basic"].append(RECEIVED)
    return from_mapping(d, "tiny")


@pytest.fixture
def received(store, tiny_cycle):
    _, people = tiny_cycle
    publish(store, people["focal"], "tiny-1", "KEN", KEN, consent=True)
    publish(store, people["other_focal"], "tiny-1", "FRA", FRA, consent=False)
    return people


def _cells(frame: pl.DataFrame) -> dict:
    return {(r["type_label"], r["region"]): (r["needed"], r["received"], r["met"]) for r in frame.iter_rows(named=True)}


def test_needed_and_received_by_type_chapter_and_region(store, received):
    frame = gaps.needed_received(store, SETUP, "tiny-1")
    assert set(frame["chapter"]) == {"I"}
    assert _cells(frame) == {
        ("Training", "AFR"): (1, 1, 1),
        ("Type not given", "AFR"): (0, 1, 0),
        ("Legislative drafting", "WEOG"): (1, 0, 0),
        ("Training", "WEOG"): (0, 1, 0),
    }
    # the public sees the Party that consented only
    assert _cells(gaps.needed_received(store, PUBLIC, "tiny-1")) == {
        ("Training", "AFR"): (1, 1, 1), ("Type not given", "AFR"): (0, 1, 0)}
    counts = {(r["type"], r["region"]): (r["mentions"], r["parties"])
              for r in gaps.needs_counts(store, SETUP, "tiny-1", "received").iter_rows(named=True)}
    assert counts == {("training", "AFR"): (1, 1), (None, "AFR"): (1, 1), ("training", "WEOG"): (1, 1)}
    rows = gaps.needs_rows(store, SETUP, "tiny-1", "received", party="FRA")
    assert rows.select("provision_id", "type", "provider", "year").rows() == [("1.1", "training", "EU", 2022)]


def test_received_labels_follow_the_language(store, received):
    labels = set(gaps.needed_received(store, SETUP, "tiny-1", lang="zh")["type_label"])
    assert labels == {"培训", "立法起草", "未注明类型"}


def test_the_country_profile_shows_needs_beside_assistance_received(store, received):
    profile = country_profile(store, SETUP, "KEN", "tiny-1")
    (need,) = profile.ta_needs
    assert (need.provision_id, need.received_from) == ("2", ("UNODC (2024)",))
    assert {(r.type, r.provider, r.year) for r in profile.ta_received} == {
        ("Training", "UNODC", 2024), ("Type not given", "Friends of Lights", 2023)}
    assert {(b.type, b.needed, b.received, b.met) for b in profile.ta_balance} == {
        ("Training", 1, 1, 1), ("Type not given", 0, 1, 0)}
    fra = country_profile(store, SETUP, "FRA", "tiny-1")
    assert fra.ta_needs[0].received_from == ()
    assert {(b.type, b.needed, b.received, b.met) for b in fra.ta_balance} == {
        ("Legislative drafting", 1, 0, 0), ("Training", 0, 1, 0)}
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(country_profile_pdf(profile, "en"))).pages)
    for words in ("Technical assistance needed and received", "Technical assistance already received",
                  "UNODC (2024)", "Friends of Lights", "Needs already being met"):
        assert words in text


def test_the_matching_notes_a_need_already_being_met(store, received):
    _, info = questionnaire_needs(store, SETUP, "tiny-1")
    notes = {key.split("/")[1]: i.received for key, i in info.items()}
    assert notes == {"KEN": "UNODC (2024)", "FRA": ""}
    report = match_report(store, SETUP, "tiny-1")
    unmet = {r["party_name"]: r["received"] for r in report.views["unmet"].iter_rows(named=True)}
    assert unmet == {"Kenya": "UNODC (2024)", "France": None}
    assert headers(["received"], "fr") == {"received": "Déjà reçue"}


DEMO_CYCLE = "review-2026"


def test_needed_and_received_on_the_demo_agree_with_the_answers(demo_store):
    frame = gaps.needed_received(demo_store, SETUP, DEMO_CYCLE)
    with demo_store.read() as cur:
        rows = cur.execute(
            "SELECT a.submission_id, a.provision_id, a.question_id, a.value FROM answer a "
            "JOIN submission s ON s.id = a.submission_id "
            "WHERE s.cycle_id = ? AND a.question_id IN ('ta_needs', 'ta_received') AND a.value IS NOT NULL",
            [DEMO_CYCLE]).fetchall()
    needs: list[tuple] = []
    got: set[tuple] = set()
    received = 0
    for submission, provision, question, value in rows:
        for row in json.loads(value):
            if question == "ta_needs":
                needs.append((submission, provision, row["type"]))
            else:
                received += 1
                got.add((submission, provision, row.get("type")))
    met = sum(1 for n in needs if n in got)
    assert (frame["needed"].sum(), frame["received"].sum(), frame["met"].sum()) == (len(needs), received, met)
    assert received > 0 and met > 0
    assert (frame["met"] <= frame["needed"]).all()
