"""A Party's country profile: its figures, who may see it, and the printable PDF (Chinese included)."""

from __future__ import annotations

import io
import statistics

import polars as pl
import pytest
from pypdf import PdfReader

from review.access import Actor, PUBLIC, Role
from tests.actors import SETUP
from review.analysis import scoring
from review.analysis.profile import country_profile, percent
from review.errors import PermissionDenied
from review.reports.country_profile import country_profile_pdf
from review.submissions import list_submissions

CYCLE = "review-2026"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def parties(demo_store):
    subs = list_submissions(demo_store, CYCLE)
    return {
        "public": next(s.party for s in subs if s.public),
        "unconsented": next(s.party for s in subs if s.state == "published" and not s.consent_publication),
    }


def test_scores_by_chapter_stand_beside_the_regional_average_of_visible_parties(demo_store, parties):
    party = parties["public"]
    profile = country_profile(demo_store, PUBLIC, party, CYCLE)
    cells = scoring.consolidated(demo_store, PUBLIC, CYCLE, "chapter")
    region = cells.filter(pl.col("party") == party)["region"][0]
    for line in profile.chapters:
        own = cells.filter((pl.col("party") == party) & (pl.col("chapter") == line.chapter))["score"][0]
        group = [s for s in cells.filter((pl.col("region") == region) & (pl.col("chapter") == line.chapter))["score"]
                 if s is not None]
        assert line.score == pytest.approx(own) if own is not None else line.score is None
        assert line.group_average == pytest.approx(statistics.mean(group))
    assert profile.published_only


def test_the_gap_profile_holds_mandatory_provisions_not_fully_implemented(demo_store):
    profile = country_profile(demo_store, SETUP, "KEN", CYCLE)
    assert profile.gaps
    assert {g.status for g in profile.gaps} <= {"Partly implemented", "Not implemented"}
    assert all(law.title for law in profile.legislation)
    assert not profile.published_only


def test_the_public_may_not_open_a_party_that_did_not_consent(demo_store, parties):
    with pytest.raises(PermissionDenied):
        country_profile(demo_store, PUBLIC, parties["unconsented"], CYCLE)
    assert country_profile(demo_store, SETUP, parties["unconsented"], CYCLE).party == parties["unconsented"]


def test_a_partys_user_sees_its_own_working_answers_but_not_another_draft(demo_store):
    kenya = Actor("k", Role.FOCAL_POINT, "KEN")
    own = country_profile(demo_store, kenya, "KEN", CYCLE)
    assert own.state_label == "Draft" and not own.published_only
    with pytest.raises(PermissionDenied):
        country_profile(demo_store, kenya, "COL", CYCLE)


def test_unanswered_is_shown_as_a_dash_never_as_zero():
    assert percent(None) == "—"
    assert percent(0.0) == "0%"
    assert percent(0.825) == "82%"


def test_the_pdf_in_chinese_carries_the_partys_chinese_name_and_headings(demo_store):
    profile = country_profile(demo_store, SETUP, "KEN", CYCLE, lang="zh")
    text = pdf_text(country_profile_pdf(profile, "zh"))
    assert "肯尼亚" in text
    assert "各章得分" in text and "援引的立法" in text
    assert "非洲国家组" in text


def test_the_pdf_in_english_has_the_same_content_as_the_page(demo_store, parties):
    profile = country_profile(demo_store, PUBLIC, parties["public"], CYCLE)
    data = country_profile_pdf(profile, "en")
    assert data[:5] == b"%PDF-"
    text = pdf_text(data)
    assert profile.party_name in text
    for heading in ("Scores by chapter", "Gap profile", "Technical assistance needs", "Legislation cited"):
        assert heading in text
    assert "Based on the published answers." in text
    if profile.legislation:
        assert profile.legislation[0].title in text.replace("\n", " ")


def test_the_pdfs_print_party_text_as_typed_never_as_markup(demo_store):
    """fpdf2 can read `**bold**`, `__underline__` and `--strike--` as markup: every PDF keeps it off,
    so what a Party typed is printed character for character."""
    import dataclasses

    from review.analysis.profile import CitationLine, NeedLine
    from review.matching.files import pdf_bytes
    from review.matching.report import MatchReport

    hostile = "**bold** __under__ --strike-- <b>tag</b> [x](https://t.example) $x$"
    profile = country_profile(demo_store, SETUP, "KEN", CYCLE)
    profile = dataclasses.replace(
        profile,
        ta_needs=(NeedLine("1.1", "1.1", "training", "high", hostile),),
        legislation=(CitationLine("1.1", "1.1", hostile, "art. 1", 2020, "in force", "https://t.example"),),
    )
    text = pdf_text(country_profile_pdf(profile, "en"))
    assert text.replace("\n", " ").count(hostile) == 2
    report = MatchReport("c", hostile, "en", "secretariat", {"optimal": True, "total_score": 1}, views={
        "providers": pl.DataFrame({c: [hostile] for c in ["provider", "role_label", "capacity", "engaged", "suggested",
                                                          "remaining", "could_serve"]}),
        "unmet_summary": pl.DataFrame({c: [hostile] for c in ["type_label", "chapter_title", "region_name", "needs", "parties"]}),
        "parties": pl.DataFrame({c: [hostile] for c in ["party_name", "needs", "suggested", "accepted", "in_progress",
                                                        "delivered", "unmet"]}),
    })
    report.totals.update({k: 0 for k in ("offers", "needs", "matched", "unmet", "engaged", "capacity")})
    data = pdf_bytes(report)
    assert hostile.replace(" ", "") in pdf_text(data).replace("\n", "").replace(" ", "")
