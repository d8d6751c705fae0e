"""The drawing of lots: every rule met on the 196 possible Parties, the same list for the same seed,
impossible rule sets named, redraws counted and kept apart, every draw witnessed in the audit log."""

from __future__ import annotations

import json

import pytest

from review import audit
from review.access import PUBLIC, Actor, Role
from review.errors import NotFound, PermissionDenied, ReviewError, ValidationFailed
from review.peer import DRAWN
from review.peer import lots
from review.peer.lots import KINDS, Inputs, Rules, DrawImpossible
from tests.actors import SETUP
from tests.lots_helpers import DAY, groups, lots_cycle, violations
from tests.workbook_helpers import database_state

ALL = groups()
EVERYONE = sorted(ALL)


def _inputs(parties=EVERYONE, pool=EVERYONE, group_of=ALL) -> Inputs:
    return Inputs(dict(group_of), tuple(sorted(pool)), tuple((p, k) for p in sorted(parties) for k in KINDS), {}, {})


def _pairs(chosen) -> dict[str, tuple[str, str]]:
    return {p: (chosen[(p, "regional")], chosen[(p, "other")]) for p in {p for p, _ in chosen}}


def _listed(rows) -> dict[str, tuple[str, str]]:
    return {r.party: (r.regional_reviewer, r.other_reviewer) for r in rows}


@pytest.mark.parametrize("seed", [0, 1, 2026, 987654321])
def test_the_drawing_meets_every_rule_on_the_196_possible_parties(seed):
    assert len(EVERYONE) == 196
    chosen = _pairs(lots.solve(_inputs(), Rules(), seed))
    assert sorted(chosen) == EVERYONE
    assert violations(chosen, set(EVERYONE), ALL) == []


@pytest.mark.parametrize("rules", [Rules(other_reviewer="any"), Rules(max_reviews_per_reviewer=2),
                                   Rules(no_reciprocal_reviews=False, max_reviews_per_reviewer=2)])
def test_other_rule_sets_are_met_too_even_at_full_capacity(rules):
    chosen = _pairs(lots.solve(_inputs(), rules, 11))
    assert violations(chosen, set(EVERYONE), ALL, other_reviewer=rules.other_reviewer,
                      cap=rules.max_reviews_per_reviewer, reciprocal=rules.no_reciprocal_reviews) == []


def test_the_same_seed_gives_the_same_list_and_another_seed_another():
    first = lots.solve(_inputs(), Rules(), 42)
    assert lots.solve(_inputs(), Rules(), 42) == first
    # the inputs' order does not matter: they are sorted before the seed is used
    shuffled = Inputs(dict(reversed(list(ALL.items()))), tuple(reversed(EVERYONE)),
                      tuple(reversed(_inputs().open)), {}, {})
    assert lots.solve(shuffled, Rules(), 42) == first
    assert lots.solve(_inputs(), Rules(), 43) != first


def test_a_draw_in_the_database_meets_the_rules_and_replays_to_the_same_result(store, tiny):
    lots_cycle(store, tiny, EVERYONE)
    record = lots.draw(store, SETUP, "lots-1", seed=2026, on=DAY)
    rows = lots.drawn_list(store, PUBLIC, "lots-1")
    assert violations(_listed(rows), set(EVERYONE), ALL) == []
    assert {r.seed for r in rows} == {2026} and {r.stage for r in rows} == {DRAWN}
    assert record.kind == "draw" and record.seed == 2026 and record.rules == lots.default_rules()
    assert lots.replay(store, PUBLIC, record.id)
    with store.read() as cur:
        stages = cur.execute("SELECT stage, done_by, count(*) FROM peer_review_stage GROUP BY ALL").fetchall()
        same_region = cur.execute("SELECT same_region, count(*) FROM peer_review_reviewer GROUP BY ALL ORDER BY 1").fetchall()
    assert stages == [(DRAWN, SETUP.id, 196)]
    assert same_region == [(False, 196), (True, 196)]


def test_the_same_seed_and_inputs_give_the_same_list_in_another_database(store, tiny, tmp_path):
    from review import parties
    from review.store import open_store

    parties_ = ["KEN", "UGA", "TZA", "FRA", "DEU", "ITA", "CHN", "IND", "JPN", "BRA", "ARG", "CHL", "POL", "CZE", "HUN"]
    lots_cycle(store, tiny, parties_)
    other = open_store(tmp_path / "other.duckdb")
    parties.load_reference(other)
    lots_cycle(other, tiny, parties_)
    lots.draw(store, SETUP, "lots-1", seed=5, on=DAY)
    lots.draw(other, SETUP, "lots-1", seed=5, on=DAY)
    assert _listed(lots.drawn_list(store, PUBLIC, "lots-1")) == _listed(lots.drawn_list(other, PUBLIC, "lots-1"))
    other.close()


def test_only_parties_to_the_instrument_on_the_day_are_drawn_as_reviewers(store, tiny):
    under = ["KEN", "UGA", "TZA", "NGA", "FRA", "DEU", "ITA", "ESP"]
    may_review = ["KEN", "UGA", "NGA", "FRA", "DEU", "ESP", "GHA"]  # TZA and ITA are not Parties
    lots_cycle(store, tiny, under, reviewers=may_review)
    lots.draw(store, SETUP, "lots-1", seed=3, on=DAY)
    listed = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))
    assert sorted(listed) == sorted(under)
    assert violations(listed, set(may_review), ALL) == []


def test_no_state_recorded_as_a_party_names_the_rule_and_writes_nothing(store, tiny):
    lots_cycle(store, tiny, ["KEN", "UGA", "FRA"], reviewers=[])
    before = database_state(store)
    with pytest.raises(DrawImpossible) as refused:
        lots.draw(store, SETUP, "lots-1", seed=1, on=DAY)
    assert refused.value.rule == "reviewers"
    assert "reviewers: parties_to_instrument" in refused.value.message()
    assert database_state(store) == before


def test_impossible_rule_sets_say_which_rule_and_why():
    small = {"A1": "A", "A2": "A", "B1": "B", "B2": "B", "C1": "C", "Z": None}
    # a regional group with nobody else able to review
    with pytest.raises(DrawImpossible) as refused:
        lots.solve(_inputs(["A1", "B1"], ["B1", "B2", "A1"], small), Rules(), 1)
    assert refused.value.rule == "regional"
    assert "A1" in refused.value.message() and "regional group A" in refused.value.message()
    # two members who can only review each other
    with pytest.raises(DrawImpossible) as refused:
        lots.solve(_inputs(["A1", "A2"], ["A1", "A2", "B1", "C1"], small), Rules(), 1)
    assert refused.value.rule == "no_reciprocal_reviews"
    assert "A1 and A2" in refused.value.message()
    # capacity of a group below the regional seats of its members
    with pytest.raises(DrawImpossible) as refused:
        lots.solve(_inputs(["A1", "A2", "B1", "B2"], ["A1", "A2", "B1", "B2", "C1"], small),
                   Rules(max_reviews_per_reviewer=1, no_reciprocal_reviews=False), 1)
    assert refused.value.rule == "max_reviews_per_reviewer"
    # a Party with no group, when the rules refuse it
    with pytest.raises(DrawImpossible) as refused:
        lots.solve(_inputs(["Z"], ["A1", "B1"], small), Rules(party_without_group="refuse"), 1)
    assert refused.value.rule == "party_without_group" and "Z" in refused.value.message()
    # every message is complete in every language
    for lang in ("en", "zh", "fr", "es", "ru", "ar"):
        assert "{" not in refused.value.message(lang)


def test_a_group_too_small_for_the_whole_world_is_named_with_its_numbers():
    with pytest.raises(DrawImpossible) as refused:
        lots.solve(_inputs(), Rules(max_reviews_per_reviewer=1), 1)
    message = refused.value.message()
    assert refused.value.rule == "max_reviews_per_reviewer" and "max_reviews_per_reviewer: 1" in message


def test_only_the_secretariat_draws_and_a_refusal_writes_nothing(store, tiny):
    lots_cycle(store, tiny, ["KEN", "UGA", "TZA", "FRA", "DEU"])
    before = database_state(store)
    for actor in (PUBLIC, Actor("fp", Role.FOCAL_POINT, party="KEN"), Actor("p", Role.PROVIDER, provider="UNODC")):
        with pytest.raises(PermissionDenied):
            lots.draw(store, actor, "lots-1", seed=1, on=DAY)
    assert database_state(store) == before
    assert lots.drawn_list(store, PUBLIC, "lots-1") == []


@pytest.fixture
def drawn(store, tiny):
    under = ["KEN", "UGA", "TZA", "NGA", "GHA", "FRA", "DEU", "ITA", "ESP", "GBR", "NLD", "SWE", "CHN", "IND", "JPN", "KOR", "IDN", "THA"]
    lots_cycle(store, tiny, under)
    lots.draw(store, SETUP, "lots-1", seed=77, on=DAY)
    return under


def test_a_redraw_replaces_one_partys_reviewer_and_keeps_every_other_assignment(store, drawn):
    before = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))
    regional, other = before["KEN"]
    record = lots.redraw(store, SETUP, "lots-1", "KEN", reviewer=regional, seed=9, on=DAY)
    after = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))
    assert {p: v for p, v in after.items() if p != "KEN"} == {p: v for p, v in before.items() if p != "KEN"}
    assert after["KEN"][1] == other and after["KEN"][0] != regional
    assert record.kind == "redraw" and record.party == "KEN" and record.result["replaced"] == [regional]
    assert violations(after, set(drawn), ALL) == []
    row = next(r for r in lots.drawn_list(store, PUBLIC, "lots-1") if r.party == "KEN")
    assert row.redraws == 1 and row.seed == 9
    assert lots.replay(store, PUBLIC, record.id)


def test_at_most_the_rules_redraws_and_a_replaced_reviewer_never_comes_back(store, drawn):
    replaced = set()
    for seed in (1, 2):
        current = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))["FRA"]
        replaced |= set(current)
        lots.redraw(store, SETUP, "lots-1", "FRA", seed=seed, on=DAY)
        now = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))["FRA"]
        assert not set(now) & replaced
    before = database_state(store)
    with pytest.raises(ReviewError) as refused:
        lots.redraw(store, SETUP, "lots-1", "FRA", seed=3, on=DAY)
    assert refused.value.key == "lots.redraw_limit" and "(2)" in refused.value.message()
    assert database_state(store) == before


def test_a_redraw_is_refused_for_an_unknown_party_or_reviewer_and_once_the_review_moved_on(store, drawn):
    with pytest.raises(NotFound):
        lots.redraw(store, SETUP, "lots-1", "BRA", on=DAY)
    with pytest.raises(NotFound):
        lots.redraw(store, SETUP, "lots-1", "KEN", reviewer="KEN", on=DAY)
    with pytest.raises(PermissionDenied):
        lots.redraw(store, Actor("fp", Role.FOCAL_POINT, party="KEN"), "lots-1", "KEN", on=DAY)
    with store.transaction() as cur:
        cur.execute("UPDATE peer_review SET stage = 'desk_review' WHERE party = 'KEN'")
    with pytest.raises(ReviewError) as refused:
        lots.redraw(store, SETUP, "lots-1", "KEN", on=DAY)
    assert refused.value.key == "lots.redraw_too_late"


def test_each_draw_and_redraw_is_witnessed_in_the_audit_log(store, drawn):
    lots.redraw(store, SETUP, "lots-1", "JPN", seed=4, on=DAY)
    entries = audit.entries(store, SETUP)
    drew = next(e for e in entries if e.action == "peer.draw")
    assert drew.entity == "review_draw" and drew.entity_id == "lots-1/lots/1" and drew.actor == SETUP.id
    assert drew.after["seed"] == 77 and sorted(drew.after["reviews"]) == sorted(drawn)
    assert drew.after["rules"] == Rules().as_dict()
    redrew = next(e for e in entries if e.action == "peer.redraw")
    assert redrew.entity_id == "lots-1/JPN" and redrew.before["redraws"] == 0 and redrew.after["redraws"] == 1
    assert redrew.after["seed"] == 4 and redrew.after["reviewers"] != redrew.before["reviewers"]
    kinds = [(r.kind, r.party) for r in lots.draw_records(store, PUBLIC, "lots-1")]
    assert kinds == [("draw", None), ("redraw", "JPN")]


def test_a_second_draw_takes_only_states_that_joined_later_and_a_full_one_is_refused(store, drawn, tiny):
    before = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))
    with pytest.raises(ReviewError) as refused:
        lots.draw(store, SETUP, "lots-1", seed=1, on=DAY)
    assert refused.value.key == "lots.already_drawn" and "77" in refused.value.message()
    # the day of the drawing as the reader's language writes it, not ISO
    from review import formats
    with store.read() as cur:
        drawn = cur.execute("SELECT min(drawn_at) FROM review_draw WHERE cycle_id = 'lots-1'").fetchone()[0].date()
    assert formats.date(drawn, "fr") in refused.value.message("fr") and drawn.isoformat() not in refused.value.message("fr")
    with store.transaction() as cur:
        cur.execute("INSERT INTO submission (id, cycle_id, party, state, seq) VALUES ('lots-1/EGY', 'lots-1', 'EGY', "
                    "'not_started', 0)")
    with pytest.raises(ReviewError) as refused:
        lots.draw(store, SETUP, "lots-1", seed=1, rules=Rules(max_reviews_per_reviewer=5), on=DAY)
    assert refused.value.key == "lots.rules_differ"
    lots.draw(store, SETUP, "lots-1", seed=1, on=DAY)
    after = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))
    assert {p: v for p, v in after.items() if p != "EGY"} == before and "EGY" in after


def test_the_installations_rules_file_is_the_documented_defaults():
    assert lots.default_rules() == Rules()


@pytest.mark.parametrize("text, key, where", [
    (b"max_reviews_per_reviewer: 0\n", "lots.rules.bad_number", "max_reviews_per_reviewer"),
    (b"max_reviews_per_reviewer: true\n", "lots.rules.bad_number", "max_reviews_per_reviewer"),
    (b"max_redraws_per_party: 2.5\n", "lots.rules.bad_number", "max_redraws_per_party"),
    (b"no_reciprocal_reviews: maybe\n", "lots.rules.bad_flag", "no_reciprocal_reviews"),
    (b"other_reviewer: neighbour\n", "lots.rules.bad_choice", "other_reviewer"),
    (b"max_reviews: 3\n", "lots.rules.unknown", "max_reviews"),
    (b"- a list\n", "lots.rules.not_mapping", None),
    (b"a: [unclosed\n", "lots.rules.not_yaml", None),
    (b"", "lots.rules.empty", None),
    (b"\xff\xfe", "lots.rules.not_text", None),
    (b"#" * (lots.MAX_RULES_BYTES + 1), "lots.rules.too_large", None),
])
def test_a_bad_rules_file_is_refused_naming_the_key(text, key, where):
    with pytest.raises(ValidationFailed) as refused:
        lots.parse_rules(text, "rules.yaml")
    [problem] = refused.value.problems
    assert problem.key == key
    assert problem.location == (f"rules.yaml: {where}" if where else "rules.yaml")


def test_a_seed_is_a_whole_number_in_range_or_refused_naming_the_field():
    assert lots.check_seed("  12 ") == 12 and lots.check_seed(0) == 0
    for bad in ("-1", "1e3", "twelve", "", 2**63, -5, 1.5, True, "١٢"):
        with pytest.raises(ValidationFailed) as refused:
            lots.check_seed(bad)
        assert refused.value.problems[0].location == "seed"


@pytest.mark.parametrize("seed", [3, 19, 2024])
def test_at_full_capacity_every_seed_finds_a_list(seed):
    """Two reviews at most each: 392 seats for exactly 392 places, where plain backtracking can wander."""
    rules = Rules(max_reviews_per_reviewer=2)
    chosen = _pairs(lots.solve(_inputs(), rules, seed))
    assert violations(chosen, set(EVERYONE), ALL, cap=2) == []


def test_restarts_from_derived_seeds_still_give_the_same_list_for_the_same_seed(monkeypatch):
    monkeypatch.setattr(lots, "FIRST_BUDGET", 40)  # far too small for 392 seats: restarts are certain
    rules = Rules(max_reviews_per_reviewer=2)
    first = lots.solve(_inputs(), rules, 8)
    assert lots.solve(_inputs(), rules, 8) == first
    assert violations(_pairs(first), set(EVERYONE), ALL, cap=2) == []


def test_a_search_that_runs_out_of_steps_says_so_rather_than_impossible():
    with pytest.raises(DrawImpossible) as refused:
        lots.solve(_inputs(), Rules(max_reviews_per_reviewer=2), 1, steps=50)
    assert refused.value.rule == "search" and "after trying 50 choices" in refused.value.message()


def test_the_audit_trail_names_draws_and_redraws_in_words():
    from review.audit_trail import action_label

    assert action_label("peer.draw") == "Lots drawn" and action_label("peer.redraw", "fr") == "Examinateur tiré de nouveau"


def test_a_redraw_takes_the_review_from_the_replaced_states_experts(store, drawn):
    from review import users
    from review.peer.reviews import assign_expert

    regional, other = _listed(lots.drawn_list(store, PUBLIC, "lots-1"))["KEN"]
    expert = users.create_user(store, SETUP, email="x@example.org", name="X", role=Role.REVIEWER, party=regional)
    kept = users.create_user(store, SETUP, email="y@example.org", name="Y", role=Role.REVIEWER, party=other)
    assign_expert(store, SETUP, "lots-1", "KEN", expert.id)
    assign_expert(store, SETUP, "lots-1", "KEN", kept.id)
    assert ("lots-1", "KEN") in users.get_user(store, expert.id).actor.reviews
    lots.redraw(store, SETUP, "lots-1", "KEN", reviewer=regional, seed=2, on=DAY)
    assert ("lots-1", "KEN") not in users.get_user(store, expert.id).actor.reviews
    assert ("lots-1", "KEN") in users.get_user(store, kept.id).actor.reviews
    removed = [e for e in audit.entries(store, SETUP) if e.action == "peer.expert_remove"]
    assert [(e.entity_id, e.before["user"]) for e in removed] == [("lots-1/KEN", expert.id)]
    redrew = next(e for e in audit.entries(store, SETUP) if e.action == "peer.redraw")
    assert redrew.after["experts_removed"] == [expert.id]
