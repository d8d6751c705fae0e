"""The matching engine on plain data: hand-worked scenarios, then properties over generated ones.

The scenarios are small enough to work out on paper (the expected totals are in the comments);
the properties hold for any input: no offer over capacity, no ineligible pair, every need either
matched or unmet with a reason, the same input giving the same output, a total never below the
greedy baseline and equal to an independent exact solver's."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from review.matching.engine import Need, Offer, find_candidates, greedy, optimal

T = "capacity_building"


def _match(needs, offers, **kw):
    c = find_candidates(needs, offers, **kw)
    return c, optimal(c)


def test_optimal_beats_greedy_where_greedy_takes_the_best_pair_first():
    # A-X: 3 x (1 + same provision 3) = 12; A-Y: 3 x (1 + any topic 0.5 + Party named 1) = 7.5;
    # B-X: 3 x (1 + same chapter 1) = 6; B-Y: not eligible (Y is for P1 only).
    # Greedy takes A-X (12) and leaves B alone: 12. The optimum is A-Y + B-X = 13.5.
    needs = [Need("A", "P1", T, "high", provision="7.1", article=7, chapter="II"),
             Need("B", "P2", T, "high", provision="8.1", article=8, chapter="II")]
    offers = [Offer("X", "Provider X", frozenset({T}), 1, provisions=frozenset({"7.1"})),
              Offer("Y", "Provider Y", frozenset({T}), 1, countries=frozenset({"P1"}))]
    c, best = _match(needs, offers)
    base = greedy(c)
    assert base.total == 12 and base.chosen.tolist() == [0, -1]
    assert best.total == 13.5 and best.chosen.tolist() == [1, 0]
    assert best.proven
    assert best.reason(0) is None and greedy(c).reason(1) == "no_capacity"


def test_capacity_goes_to_the_highest_priorities():
    # One offer with two places, three needs of the same kind: high (3 x 1.5 = 4.5), medium (3), low (1.5).
    needs = [Need(k, f"P{k}", T, p, chapter="II") for k, p in (("a", "low"), ("b", "high"), ("c", "medium"))]
    c, best = _match(needs, [Offer("X", "X", frozenset({T}), 2)])
    assert best.chosen.tolist() == [-1, 0, 0]
    assert best.total == 7.5
    assert best.reason(0) == "no_capacity"


def test_score_parts_are_each_counted():
    need = Need("A", "KEN", T, "medium", region="AFR", provision="40.1", article=40, chapter="V",
                languages=frozenset({"en", "fr"}), modality="on_site")
    offer = Offer("X", "France", frozenset({T}), 3, provider_party="FRA", provider_region="AFR", articles=frozenset({40}),
                  languages=frozenset({"fr"}), regions=frozenset({"AFR"}), modalities=frozenset({"on_site", "remote"}))
    c = find_candidates([need], [offer])
    row = c.frame.row(0, named=True)
    assert {k: row[k] for k in ("weight", "topic", "language", "eligibility", "region", "modality")} == {
        "weight": 2, "topic": 2.0, "language": 1.0, "eligibility": 0.5, "region": 0.5, "modality": 0.5}
    assert row["total"] == 2 * (1 + 2 + 1 + 0.5 + 0.5 + 0.5)


def test_each_unmet_need_says_why():
    start = dt.date(2027, 1, 1)
    offers = [Offer("X", "X", frozenset({T}), 1, chapters=frozenset({"II"}), regions=frozenset({"AFR"}),
                    languages=frozenset({"fr"}), starts=start)]
    needs = [
        Need("1-type", "KEN", "data_security", "high", region="AFR", chapter="II"),
        Need("2-topic", "KEN", T, "high", region="AFR", chapter="V"),
        Need("3-eligible", "FRA", T, "high", region="WEOG", chapter="II"),
        Need("4-language", "KEN", T, "high", region="AFR", chapter="II", languages=frozenset({"en"})),
        Need("5-time", "KEN", T, "high", region="AFR", chapter="II", needed_by=dt.date(2026, 6, 1)),
        Need("6-served", "SEN", T, "high", region="AFR", chapter="II"),
        Need("7-capacity", "MLI", T, "low", region="AFR", chapter="II"),
    ]
    c, best = _match(needs, offers)
    assert [best.reason(i) for i in range(len(needs))] == [
        "no_offer_of_type", "topic_not_covered", "not_eligible", "no_shared_language", "not_available_in_time", None,
        "no_capacity"]


def test_a_party_never_serves_itself_and_declined_or_expired_offers_are_left_out():
    need = Need("A", "JPN", T, "high", chapter="II")
    own = Offer("X", "Japan", frozenset({T}), 1, provider_party="JPN")
    assert find_candidates([need], [own]).frame.height == 0
    other = Offer("Y", "UNODC", frozenset({T}), 1, ends=dt.date(2025, 12, 31))
    assert find_candidates([need], [other], as_of=dt.date(2026, 1, 1)).frame.height == 0
    assert find_candidates([need], [other], as_of=dt.date(2025, 1, 1)).frame.height == 1
    assert find_candidates([need], [other], excluded={("A", "Y")}).frame.height == 0


TYPES = ["capacity_building", "legal_advice", "data_security"]
CHAPTERS = ["II", "IV", "V"]
GROUPS = ["AFR", "APG", "WEOG"]
LANGS = ["en", "fr", "zh"]


@st.composite
def scenarios(draw):
    parties = [(f"P{k}", draw(st.sampled_from(GROUPS))) for k in range(draw(st.integers(1, 5)))]
    needs = []
    for k in range(draw(st.integers(0, 14))):
        party, group = draw(st.sampled_from(parties))
        chapter = draw(st.sampled_from(CHAPTERS))
        article = CHAPTERS.index(chapter) * 10 + draw(st.integers(1, 3))
        needs.append(Need(f"n{k:02d}", party, draw(st.sampled_from(TYPES)), draw(st.sampled_from(["high", "medium", "low"])),
                          group, f"{article}.{draw(st.integers(1, 2))}", article, chapter,
                          languages=frozenset(draw(st.lists(st.sampled_from(LANGS), max_size=2)))))
    offers = []
    for k in range(draw(st.integers(0, 6))):
        provider = draw(st.sampled_from([None, *[p for p, _ in parties]]))
        offers.append(Offer(
            f"o{k}", f"Provider {k}", frozenset(draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2))),
            draw(st.integers(1, 3)), provider_party=provider,
            provider_region=dict(parties).get(provider) if provider else None,
            chapters=frozenset(draw(st.lists(st.sampled_from(CHAPTERS), max_size=2))),
            articles=frozenset(draw(st.lists(st.integers(1, 23), max_size=2))),
            languages=frozenset(draw(st.lists(st.sampled_from(LANGS), max_size=2))),
            regions=frozenset(draw(st.lists(st.sampled_from(GROUPS), max_size=2))),
            countries=frozenset(draw(st.lists(st.sampled_from([p for p, _ in parties]), max_size=1))),
        ))
    return needs, offers


def _eligible(n: Need, o: Offer) -> bool:
    """The rules, restated independently of the engine's vectorized form."""
    topic_chapters = set(o.chapters) | {c for c in CHAPTERS if any(CHAPTERS.index(c) * 10 < a <= CHAPTERS.index(c) * 10 + 9
                                                                    for a in o.articles)}
    covered = not (o.chapters or o.articles or o.provisions) or n.chapter in topic_chapters
    who = (not o.regions and not o.countries) or n.region in o.regions or n.party in o.countries
    speaks = not n.languages or not o.languages or bool(n.languages & o.languages)
    return n.type in o.types and covered and who and speaks and o.provider_party != n.party


def _exact_total(c) -> float:
    if c.frame.height == 0:
        return 0.0
    i, j, w = (c.frame[k].to_numpy() for k in ("i", "j", "total"))
    n, m, e = len(c.needs), len(c.offers), len(i)
    a = np.zeros((n + m, e))
    a[i, np.arange(e)] = 1
    a[n + j, np.arange(e)] = 1
    caps = [o.capacity for o in c.offers]
    result = milp(-w, constraints=LinearConstraint(a, -np.inf, np.concatenate([np.ones(n), caps])),
                  integrality=np.ones(e), bounds=Bounds(0, 1))
    return -result.fun


@settings(max_examples=120, deadline=None)
@given(scenarios())
def test_properties_of_any_assignment(scenario):
    needs, offers = scenario
    # Articles 1-9 are in chapter II, 11-19 in IV, 21-29 in V, as `_eligible` has it.
    places = {a: CHAPTERS[(a - 1) // 10] for a in range(1, 30) if a % 10}
    c = find_candidates(needs, offers, article_chapters=places)
    best = optimal(c)
    load = best.load()
    assert all(load[j] <= o.capacity for j, o in enumerate(offers))
    pairs = {(needs[i].key, offers[j].id) for i, j in zip(c.frame["i"], c.frame["j"])}
    assert pairs == {(n.key, o.id) for n in needs for o in offers if _eligible(n, o)}
    for i, need in enumerate(needs):
        j = best.chosen[i]
        assert (j >= 0 and _eligible(need, offers[j]) and best.reason(i) is None) or (j < 0 and best.reason(i))
    again = optimal(find_candidates(needs, offers, article_chapters=places))
    assert again.chosen.tolist() == best.chosen.tolist() and again.total == best.total
    assert best.total >= greedy(c).total
    assert abs(best.total - _exact_total(c)) < 1e-6
