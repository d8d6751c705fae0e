"""The solver over random rule sets: it draws a list meeting every rule, or says the draw is
impossible naming a rule; on these small instances an exhaustive search written apart from the
library proves every "impossible" true, and that leaving out the rule it names would allow a draw."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings, strategies as st

from review.i18n import LANGUAGES
from review.peer import lots
from review.peer.lots import KINDS, DrawImpossible, Inputs, Rules
from tests.lots_helpers import violations

NAMED_RULES = {"reviewers", "regional", "other_reviewer", "party_without_group", "max_reviews_per_reviewer",
               "no_reciprocal_reviews", "two_reviewers", "together"}


def exhaustive(under, pool, group_of, *, other_reviewer, cap, reciprocal, without_group) -> dict | None:
    """Some list meeting every rule, found by trying every reviewer for every seat; None when none exists."""
    def options(party):
        group = group_of[party]
        others = [r for r in pool if r != party]
        if group is None:
            regional = others if without_group == "any" else []
        else:
            regional = [r for r in others if group_of[r] == group]
        second = [r for r in others if group is None or other_reviewer == "any" or group_of[r] != group]
        return [(a, b) for a in regional for b in second if a != b]

    choices = {party: options(party) for party in under}
    result: dict[str, tuple[str, str]] = {}

    def fits() -> bool:
        return not violations(result, set(pool), group_of, other_reviewer=other_reviewer, cap=cap,
                              reciprocal=reciprocal, without_group=without_group)

    def place(i: int) -> bool:
        if i == len(under):
            return True
        for pair in choices[under[i]]:
            result[under[i]] = pair
            if fits() and place(i + 1):
                return True
            del result[under[i]]
        return False

    return dict(result) if place(0) else None


@st.composite
def instances(draw):
    codes = [f"S{i}" for i in range(draw(st.integers(2, 7)))]
    group_of = {c: draw(st.sampled_from(["A", "B", "C", None])) for c in codes}
    under = sorted(draw(st.lists(st.sampled_from(codes), min_size=1, max_size=min(5, len(codes)), unique=True)))
    pool = set(draw(st.lists(st.sampled_from(codes), max_size=len(codes), unique=True)))
    if draw(st.booleans()):  # usually the States under review may review too
        pool |= set(under)
    pool = sorted(pool)
    rules = Rules(other_reviewer=draw(st.sampled_from(["other_group", "any"])),
                  max_reviews_per_reviewer=draw(st.integers(1, 3)),
                  no_reciprocal_reviews=draw(st.booleans()),
                  party_without_group=draw(st.sampled_from(["any", "refuse"])))
    return under, pool, group_of, rules, draw(st.integers(0, 2**63 - 1))


def _exhaustive(under, pool, group_of, rules):
    return exhaustive(under, pool, group_of, other_reviewer=rules.other_reviewer, cap=rules.max_reviews_per_reviewer,
                      reciprocal=rules.no_reciprocal_reviews, without_group=rules.party_without_group)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
# a regional group whose reviewers' capacity is exactly its members' regional seats: possible
@example((["S0", "S1"], ["S0", "S1", "S2", "S3"], {"S0": "A", "S1": "A", "S2": "B", "S3": "C"},
          Rules(max_reviews_per_reviewer=1, no_reciprocal_reviews=False), 5))
# every reviewing State at its cap
@example((["S0", "S1", "S2"], ["S0", "S1", "S2"], {"S0": "A", "S1": "A", "S2": "A"},
          Rules(max_reviews_per_reviewer=2, other_reviewer="any"), 5))
def test_a_valid_list_or_a_true_impossibility_naming_a_rule(instance):
    under, pool, group_of, rules, seed = instance
    inputs = Inputs(group_of, tuple(pool), tuple((p, k) for p in under for k in KINDS), {}, {})
    try:
        chosen = lots.solve(inputs, rules, seed)
    except DrawImpossible as refused:
        assert _exhaustive(under, pool, group_of, rules) is None, refused.message()
        assert refused.rule in NAMED_RULES
        for lang in LANGUAGES:
            text = refused.message(lang)
            assert text.strip() and "{" not in text
        if refused.key.startswith("lots.impossible.without_"):
            relaxed = {"no_reciprocal_reviews": Rules(**{**rules.as_dict(), "no_reciprocal_reviews": False}),
                       "max_reviews_per_reviewer": Rules(**{**rules.as_dict(), "max_reviews_per_reviewer": 1000})}
            assert _exhaustive(under, pool, group_of, relaxed[refused.rule]) is not None
        return
    listed = {p: (chosen[(p, "regional")], chosen[(p, "other")]) for p in under}
    assert len(chosen) == 2 * len(under)
    assert violations(listed, set(pool), group_of, other_reviewer=rules.other_reviewer,
                      cap=rules.max_reviews_per_reviewer, reciprocal=rules.no_reciprocal_reviews,
                      without_group=rules.party_without_group) == []
    assert lots.solve(inputs, rules, seed) == chosen
