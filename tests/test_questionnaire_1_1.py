"""Version 1.1 of the convention's questionnaire: every article at paragraph level, each provision
with one obligation level, statuses that respect options, designations asked on a condition, and
a map from version 1.0."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from review import cycles, submissions as subs, users
from review.access import Role
from review.cli import main
from review.questionnaire import catalogue
from tests.actors import SETUP

CHAPTER_RANGES = {"I": (1, 6), "II": (7, 21), "III": (22, 22), "IV": (23, 34), "V": (35, 52),
                  "VI": (53, 53), "VII": (54, 56), "VIII": (57, 58), "IX": (59, 68)}
LEVELS = ("mandatory", "consider", "optional", "institutional")
SPLIT = (16, 19, 22, 23, 31, 34, 37)
CHECKED_ARTICLES = set(range(1, 16)) | {65}


@pytest.fixture(scope="module")
def summary():
    """What `review questionnaire summary --json` says of version 1.1."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["questionnaire", "summary", "--json"]) == 0
    (found,) = [q for q in json.loads(out.getvalue()) if q["id"] == "uncc-self-assessment" and q["version"] == "1.1"]
    return found


@pytest.fixture(scope="module")
def v11():
    return catalogue()[("uncc-self-assessment", "1.1")]


@pytest.fixture(scope="module")
def v10():
    return catalogue()[("uncc-self-assessment", "1.0")]


def test_the_summary_shows_68_articles_in_their_chapters(summary):
    assert {c["number"]: tuple(c["articles"]) for c in summary["chapters"]} == CHAPTER_RANGES
    assert [a["number"] for a in summary["articles"]] == list(range(1, 69))
    for article in summary["articles"]:
        first, last = CHAPTER_RANGES[article["chapter"]]
        assert first <= article["number"] <= last, article["number"]


def test_every_provision_has_one_level_and_cites_its_paragraph(summary, v11):
    for article in summary["articles"]:
        assert article["provisions"], article["number"]
        for p in article["provisions"]:
            assert p["obligation"] in LEVELS and isinstance(p["checked"], bool), p["id"]
            parts = p["id"].split(".")
            assert parts[0] == str(article["number"])
            ref = v11.provision(p["id"]).ref["en"]
            assert ref.startswith(f"Art. {article['number']}"), (p["id"], ref)
            for part in parts[1:]:
                assert f"({part}" in ref, (p["id"], ref)  # the paragraph or subparagraph is cited
        # an article is as strong as its strongest provision
        assert article["obligation"] == min((p["obligation"] for p in article["provisions"]), key=LEVELS.index)


def test_no_provision_mixes_levels(v11):
    """A provision's paraphrase speaks with its level's voice: permissions say 'may', requests to
    consider say 'consider' or 'endeavour', and a duty does not open with either."""
    for p in v11.provisions():
        text = p.text["en"]
        if p.obligation == "optional":
            assert re.search(r"\bmay\b", text, re.I), p.id
        elif p.obligation == "consider":
            assert re.search(r"\b(consider|endeavour)", text, re.I), p.id
        elif p.obligation == "mandatory":
            assert not re.match(r"(May|Consider|Endeavour)\b", text), p.id
            assert not re.search(r"\bmay (consider|reserve|require)\b", text, re.I), p.id


def test_mixed_articles_are_split_into_provisions_of_each_level(v11):
    for number in SPLIT:
        levels = {p.obligation for p in v11.article(number).provisions if p.assessed}
        assert len(levels) >= 2, (number, levels)
    levels = {p.id: p.obligation for p in v11.provisions()}
    assert [levels[f"22.2.{x}"] for x in "abcd"] == ["optional"] * 4
    assert (levels["22.1.a"], levels["22.1.b"], levels["22.3"], levels["22.4"]) == ("mandatory", "mandatory", "mandatory", "optional")
    assert (levels["19.1"], levels["19.2"], levels["19.3"]) == ("mandatory", "optional", "optional")
    assert (levels["16.1"], levels["16.5"]) == ("mandatory", "optional")
    assert (levels["31.1"], levels["31.8"]) == ("mandatory", "consider")
    assert (levels["34.1"], levels["34.6"]) == ("mandatory", "consider")
    assert (levels["37.11"], levels["37.5"], levels["37.9"]) == ("mandatory", "optional", "consider")


def test_every_article_outside_the_final_clauses_is_at_paragraph_level(v11, v10):
    whole = [a.number for a in v11.articles if len(a.provisions) == 1 and a.provisions[0].id == str(a.number)]
    # single-paragraph articles (and final clauses summarised whole) only
    assert set(whole) <= {10, 13, 20, 32, 38, 39, 43, 45, 46, 48, 51, 58, 61, 62, 63, 66, 67, 68}, whole
    assert sum(1 for _ in v11.provisions()) > 2 * sum(1 for _ in v10.provisions())


def test_the_data_records_which_provisions_were_checked_against_the_text(v11):
    for p in v11.provisions():
        assert p.checked is (p.article in CHECKED_ARTICLES), p.id


def test_statuses_are_offered_where_they_apply(v11):
    for p in v11.assessed_provisions():
        offered = set(v11.offered(p.question("status")))
        assert {"implemented", "partly_implemented", "not_applicable"} <= offered, p.id
        assert ("option_not_used" in offered) is (p.obligation == "optional"), p.id
        assert ("considered_not_adopted" in offered) is (p.obligation == "consider"), p.id
        assert ("not_implemented" in offered) is (p.obligation != "optional"), p.id  # not using an option is no failure
    assert v11.code_lists["status"].item("option_not_used").score is None
    assert v11.code_lists["status"].item("considered_not_adopted").score is None


def test_guiding_questions_ask_for_the_options_the_convention_offers(v11):
    asked = lambda pid: [q.id for q in v11.provision(pid).questions]  # noqa: E731
    assert {"requires_security_measures", "requires_dishonest_intent", "requires_connected_system"} <= set(asked("7.2"))
    assert "requires_intent_to_harm" in asked("16.5") and "safeguards" in asked("24.1")
    for pid in ("17.2.d", "37.6", "40.14", "50.5"):
        assert "notified_to_sg" in asked(pid), pid
    for pid in ("11.3", "23.3", "42.4"):
        assert "reservation_made" in asked(pid), pid


def test_designations_are_asked_only_when_implemented_and_designated(v11):
    for pid, table in (("37.18", "extradition_authority"), ("40.13", "central_authority"), ("41.1", "contact_point_247"),
                       ("53.7", "prevention_authority")):
        provision = v11.provision(pid)
        designation, details = provision.question("designation"), provision.question(table)
        assert not designation.required and designation.required_when == {"status": ("implemented", "partly_implemented")}
        assert not details.required and details.required_when == {"designation": ("designated",)}
        assert v11.offered(designation) == ("designated", "not_yet_designated")


def test_article_57_reporting_duty_is_assessed_and_institutional_articles_are_not(v11):
    assert v11.provision("57.6").obligation == "mandatory" and v11.provision("57.6").assessed
    assert "information_channels" in [q.id for q in v11.provision("57.6").questions]
    for p in v11.provisions():
        assert p.assessed is (p.obligation != "institutional"), p.id
    assert not any(p.assessed for n in (58, 60, 61, 62, 63, 64, 65, 66, 67, 68) for p in v11.article(n).provisions)


def test_every_1_0_provision_maps_to_1_1_provisions(v11, v10):
    moves = v11.provision_map("1.0", v10)
    assert set(moves) == {p.id for p in v10.provisions()}
    for old, new in moves.items():
        assert new, old
        assert all(v11.provision(pid) is not None for pid in new), old
        if v10.provision(old).assessed:
            assert any(v11.provision(pid).assessed for pid in new), old
    assert moves["7.1"] == ("7.1",)
    assert set(moves["22"]) == {p.id for p in v11.article(22).provisions if p.assessed}
    assert set(moves["41"]) == {"41.1", "41.3", "41.4", "41.5"}


def test_a_party_answering_not_implemented_on_37_40_and_41_can_submit(store, v11):
    cycles.register_questionnaire(store, SETUP, v11)
    cycles.create_cycle(store, SETUP, cycle_id="v11", title="1.1", questionnaire_id=v11.id, questionnaire_version="1.1",
                        chapters=["V"], parties=["KEN"], deadline=dt.date(2030, 1, 1))
    focal = users.create_user(store, SETUP, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN").actor
    answers = {}
    for p in v11.assessed_provisions(["V"]):
        if p.obligation == "optional":
            answers[(p.id, "status")] = "option_not_used"
        elif p.obligation == "consider":
            answers[(p.id, "status")] = "considered_not_adopted"
            answers[(p.id, "reasons")] = "Weighed by the ministry of justice in 2026; existing treaties suffice."
        else:
            answers[(p.id, "status")] = "not_implemented"
            answers[(p.id, "steps_needed")] = "A bill is being drafted."
    assert not subs.completeness(v11, ["V"], answers).missing
    # implemented, the designation is asked; "not yet designated" is an answer, and the table is then not needed
    implemented = {**answers, ("41.1", "status"): "implemented", ("41.1", "legislation"): [{"title": "Cybercrime Act 2025"}]}
    assert subs.completeness(v11, ["V"], implemented).missing == [("41.1", "designation")]
    implemented[("41.1", "designation")] = "not_yet_designated"
    assert not subs.completeness(v11, ["V"], implemented).missing
    implemented[("41.1", "designation")] = "designated"
    assert subs.completeness(v11, ["V"], implemented).missing == [("41.1", "contact_point_247")]
    subs.save_answers(store, focal, "v11", "KEN", 0, answers)
    assert subs.submit(store, focal, "v11", "KEN", consent=False) == 1


def _two_versions(store, v10, v11):
    """A 1.0 cycle and a 1.1 cycle on chapters III and V, one Party answering both."""
    for q in (v10, v11):
        cycles.register_questionnaire(store, SETUP, q)
    for cycle_id, q in (("c10", v10), ("c11", v11)):
        cycles.create_cycle(store, SETUP, cycle_id=cycle_id, title=cycle_id, questionnaire_id=q.id, questionnaire_version=q.version,
                            chapters=["III", "V"], parties=["KEN"], deadline=dt.date(2030, 1, 1))
    focal = users.create_user(store, SETUP, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN").actor
    law = [{"title": "Cybercrime Act"}]
    subs.save_answers(store, focal, "c10", "KEN", 0, {
        ("22", "status"): "partly_implemented", ("22", "legislation"): law, ("41", "status"): "implemented", ("41", "legislation"): law})
    subs.save_answers(store, focal, "c11", "KEN", 0, {
        ("22.1.a", "status"): "implemented", ("22.1.a", "legislation"): law, ("22.2.a", "status"): "option_not_used",
        ("22.3", "status"): "not_implemented", ("41.1", "status"): "implemented", ("41.1", "legislation"): law,
        ("41.1", "designation"): "not_yet_designated"})


def test_a_1_0_cycle_and_a_1_1_cycle_compare_through_the_map(store, v10, v11, tmp_path, capsys):
    from review.analysis.change import change_summary, cycle_change

    _two_versions(store, v10, v11)
    rows = {r["provision_id"]: r for r in cycle_change(store, SETUP, "c10", "c11").to_dicts()}
    assert {pid: rows[pid]["provision_id_before"] for pid in ("22.1.a", "22.3", "41.1")} == {"22.1.a": "22", "22.3": "22", "41.1": "41"}
    assert (rows["22.1.a"]["change"], rows["22.3"]["change"], rows["41.1"]["change"]) == ("improved", "regressed", "unchanged")
    assert rows["22.2.a"]["change"] == "not_comparable"  # an option not used is no change, up or down
    assert rows["22.4"]["change"] == "not_comparable"  # unanswered
    (chapter_iii,) = change_summary(cycle_change(store, SETUP, "c10", "c11"), by="chapter").filter(chapter="III").to_dicts()
    assert (chapter_iii["improved"], chapter_iii["regressed"]) == (1, 1)
    backwards = {(r["provision_id"], r["provision_id_before"]): r["change"] for r in cycle_change(store, SETUP, "c11", "c10").to_dicts()}
    assert (backwards[("22", "22.1.a")], backwards[("22", "22.3")], backwards[("41", "41.1")]) == ("regressed", "improved", "unchanged")

    store.close()
    out = tmp_path / "change.json"
    assert main(["--db", str(tmp_path / "review.duckdb"), "change", "--from", "c10", "--to", "c11", "--by", "chapter", "--out", str(out)]) == 0
    by_chapter = {r["chapter"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert (by_chapter["III"]["improved"], by_chapter["III"]["regressed"]) == (1, 1)


def test_a_party_implementing_every_duty_and_using_no_option_scores_1_on_1_1(store, v11):
    """The issue's example: on 1.0 such a Party scored 0.947 (rate 0.831) unless it claimed the options as implemented."""
    from review.analysis import gaps, scoring

    cycles.register_questionnaire(store, SETUP, v11)
    chapters = ["II", "III"]
    cycles.create_cycle(store, SETUP, cycle_id="v11", title="1.1", questionnaire_id=v11.id, questionnaire_version="1.1",
                        chapters=chapters, parties=["KEN"], deadline=dt.date(2030, 1, 1))
    focal = users.create_user(store, SETUP, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN").actor
    answers, choices = {}, 0
    for p in v11.assessed_provisions(chapters):
        if p.obligation == "mandatory":
            answers[(p.id, "status")] = "implemented"
            answers[(p.id, "legislation")] = [{"title": "Cybercrime Act 2025"}]
        else:
            choices += 1
            answers[(p.id, "status")] = "option_not_used" if p.obligation == "optional" else "considered_not_adopted"
            if p.obligation == "consider":
                answers[(p.id, "reasons")] = "Considered by the legislature in 2025."
    subs.save_answers(store, focal, "v11", "KEN", 0, answers)
    (row,) = scoring.party_scores(store, SETUP, "v11").to_dicts()
    assert (row["score"], row["implementation_rate"], row["score_mandatory"]) == (1.0, 1.0, 1.0)
    assert row["by_choice"] == choices > 10 and row["not_applicable"] == 0
    assert gaps.gap_profile(store, SETUP, "KEN", "v11").is_empty()
