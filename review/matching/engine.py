"""The matching itself, on plain data: which offer could serve which need, how well, and the
assignment that serves the most weighted value without any offer going over its capacity.

Candidate pairs are found in bulk (Polars joins on TA type and chapter, bit masks for languages,
regions and modalities), never by comparing every need with every offer in Python, so 20,000 needs
against 1,000 offers stay fast. The assignment is a linear programme solved by HiGHS (`highspy`,
kept open so that pairs added later restart from the last basis): needs take at most one offer,
offers at most their capacity. The constraint matrix of a
bipartite b-matching is totally unimodular, so the simplex vertex it returns is an integral
optimum: the best total there is, not a first-come greedy one (`greedy` is kept as the baseline
the benchmark and the tests compare against).

Score of a candidate pair (every part is shown beside the total):
    total = priority weight x (1 + topic + language + eligibility + region + modality)
- priority weight: high 3, medium 2, low 1 (other codes 1);
- topic: same provision 3, same article 2, same chapter 1, an offer open to every topic 0.5;
- language: 1 when need and offer share a language, 0 when either side names none;
- eligibility: 1 when the offer names the Party, 0.5 when it names its regional group, 0 when open
  to all;
- region (documented preference): 0.5 when the provider is a Party of the same regional group;
- modality: 0.5 when the offer has the modality the need prefers.
The TA type must match; a need is never paired with an offer its Party is not eligible for, with
no shared language (when both name languages), that starts after the need is wanted, or that its
own Party provides.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from dataclasses import dataclass, field

import numpy as np
import polars as pl
import highspy

PRIORITY_WEIGHTS = {"high": 3, "medium": 2, "low": 1}
TOPIC_POINTS = {"provision": 3.0, "article": 2.0, "chapter": 1.0, "general": 0.5}
MODALITIES = ("remote", "on_site", "regional_workshop")
ROLES = ("funding", "implementing")
PROVIDER_KINDS = ("party", "unodc", "organization")
# Why a need found no partner, in the order the filters apply; the furthest stage reached names it.
REASONS = ("no_offer_of_type", "topic_not_covered", "not_eligible", "no_shared_language", "not_available_in_time",
           "no_capacity")
PARTS = ("topic", "language", "eligibility", "region", "modality")
ALTERNATIVES = 3
SEED_PER_NEED = 1
ENTER_PER_NEED = 2
MAX_ROUNDS = 3
WHOLE_PROGRAMME = 60_000


@dataclass(frozen=True)
class Need:
    """One TA need: a row of a questionnaire's TA-needs table, or a standalone request."""

    key: str
    party: str
    type: str
    priority: str
    region: str | None = None
    provision: str | None = None
    article: int | None = None
    chapter: str | None = None
    description: str = ""
    languages: frozenset[str] = frozenset()
    modality: str | None = None
    needed_by: dt.date | None = None
    source: str = "questionnaire"


@dataclass(frozen=True)
class Offer:
    """What a provider offers: types, topics (empty: every topic), who may ask, how many engagements."""

    id: str
    provider: str
    types: frozenset[str]
    capacity: int
    provider_kind: str = "organization"
    provider_party: str | None = None
    provider_region: str | None = None
    role: str = "implementing"
    provisions: frozenset[str] = frozenset()
    articles: frozenset[int] = frozenset()
    chapters: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    starts: dt.date | None = None
    ends: dt.date | None = None
    description: str = ""


@dataclass
class Candidates:
    """Every candidate pair (one frame row each: i, j, weight, the score's parts, total) and, per need,
    the furthest filter stage it reached (an index into `REASONS`)."""

    needs: list[Need]
    offers: list[Offer]
    frame: pl.DataFrame
    stage: np.ndarray


@dataclass
class Assignment:
    """Which offer each need got (-1: none), the total score, and the candidates it was chosen from."""

    candidates: Candidates
    chosen: np.ndarray
    pair_rows: dict[int, int] = field(default_factory=dict)
    proven: bool = False

    @property
    def total(self) -> float:
        scores = self.candidates.frame["total"].to_numpy()
        return float(sum(scores[r] for r in self.pair_rows.values()))

    def load(self) -> np.ndarray:
        """How many needs each offer serves."""
        used = np.zeros(len(self.candidates.offers), dtype=np.int64)
        for j in self.chosen[self.chosen >= 0]:
            used[j] += 1
        return used

    def reason(self, i: int) -> str | None:
        """Why need `i` is unmet (None when it has an offer)."""
        if self.chosen[i] >= 0:
            return None
        return REASONS[int(self.candidates.stage[i])]


def _bits(values, universe: dict[str, int]) -> int:
    mask = 0
    for v in values:
        mask |= 1 << universe.setdefault(v, len(universe))
    return mask


def _codes(values: list, universe: dict) -> np.ndarray:
    return np.array([universe.setdefault(v, len(universe)) for v in values], dtype=np.int64)


def _member(left: np.ndarray, right: np.ndarray, table: set[tuple[int, int]], width: int) -> np.ndarray:
    """Whether each (left, right) code pair is in `table`, by one vectorized lookup."""
    if not table:
        return np.zeros(len(left), dtype=bool)
    keys = np.array([a * width + b for a, b in table], dtype=np.int64)
    return np.isin(left * width + right, keys)


def find_candidates(needs: list[Need], offers: list[Offer], as_of: dt.date | None = None,
                    excluded: set[tuple[str, str]] = frozenset(), article_chapters: dict[int, str] | None = None) -> Candidates:
    """Every eligible (need, offer) pair with its score; `excluded` holds (need key, offer id) pairs a
    Party declined. Offers whose period ended before `as_of`, or with no capacity, are left out.
    `article_chapters` (from the questionnaire) places an offer's articles in their chapters; the
    needs' own articles are placed anyway."""
    languages: dict[str, int] = {}
    groups: dict[str, int] = {}
    modes = {m: k for k, m in enumerate(MODALITIES)}
    parties: dict[str | None, int] = {None: 0}
    topics: dict[object, int] = {None: 0}
    n = len(needs)
    n_party = _codes([x.party for x in needs], parties)
    n_lang = np.array([_bits(x.languages, languages) for x in needs], dtype=np.int64)
    n_group = np.array([_bits([x.region] if x.region else [], groups) for x in needs], dtype=np.int64)
    n_mode = np.array([_bits([x.modality] if x.modality else [], modes) for x in needs], dtype=np.int64)
    n_article = _codes([("a", x.article) if x.article is not None else None for x in needs], topics)
    n_provision = _codes([("p", x.provision) if x.provision else None for x in needs], topics)
    n_by = np.array([x.needed_by.toordinal() if x.needed_by else 10**8 for x in needs], dtype=np.int64)
    weight = np.array([PRIORITY_WEIGHTS.get(x.priority, 1) for x in needs], dtype=np.int64)

    usable = [j for j, o in enumerate(offers) if o.capacity > 0 and not (as_of and o.ends and o.ends < as_of)]
    m = len(offers)
    o_lang = np.array([_bits(o.languages, languages) for o in offers], dtype=np.int64)
    o_group = np.array([_bits(o.regions, groups) for o in offers], dtype=np.int64)
    o_open = np.array([not o.regions and not o.countries for o in offers], dtype=bool)
    o_mode = np.array([_bits(o.modalities, modes) for o in offers], dtype=np.int64)
    o_party = _codes([o.provider_party for o in offers], parties)
    o_home = np.array([_bits([o.provider_region] if o.provider_region else [], groups) for o in offers], dtype=np.int64)
    o_start = np.array([o.starts.toordinal() if o.starts else 0 for o in offers], dtype=np.int64)
    o_general = np.array([not (o.provisions or o.articles or o.chapters) for o in offers], dtype=bool)

    # The chapters each offer touches (a general offer: every chapter), joined with needs on type and chapter.
    article_chapter = {**(article_chapters or {}), **{x.article: x.chapter for x in needs if x.article is not None and x.chapter}}
    provision_chapter = {x.provision: x.chapter for x in needs if x.provision and x.chapter}
    provision_article = {x.provision: x.article for x in needs if x.provision and x.article is not None}
    every_chapter = sorted({x.chapter for x in needs if x.chapter})
    reach, same_article, same_provision = [], set(), set()
    for j in usable:
        o = offers[j]
        chapters = set(every_chapter) if o_general[j] else set(o.chapters)
        chapters |= {article_chapter.get(a) for a in o.articles} | {provision_chapter.get(p) for p in o.provisions}
        articles = set(o.articles) | {provision_article[p] for p in o.provisions if p in provision_article}
        same_article |= {(j, topics.setdefault(("a", a), len(topics))) for a in articles}
        same_provision |= {(j, topics.setdefault(("p", p), len(topics))) for p in o.provisions}
        reach += [(j, t, c) for t in o.types for c in chapters - {None}]
    offered = pl.DataFrame(reach, schema={"j": pl.Int64, "type": pl.String, "chapter": pl.String}, orient="row")
    wanted = pl.DataFrame({"i": np.arange(n, dtype=np.int64), "type": [x.type for x in needs],
                           "chapter": [x.chapter for x in needs]}, schema_overrides={"type": pl.String, "chapter": pl.String})
    joined = wanted.join(offered, on=["type", "chapter"], how="inner").sort("i", "j")
    i = joined["i"].to_numpy()
    j = joined["j"].to_numpy()
    if excluded:
        keys = {x.key: k for k, x in enumerate(needs)}
        ids = {o.id: k for k, o in enumerate(offers)}
        drop = {(keys[a], ids[b]) for a, b in excluded if a in keys and b in ids}
        keep = ~_member(i, j, drop, m + 1)
        i, j = i[keep], j[keep]

    named = _member(j, n_party[i], {(k, parties.setdefault(c, len(parties))) for k in usable for c in offers[k].countries},
                    len(parties) + 1)
    by_region = (o_group[j] & n_group[i]) != 0
    eligible = (o_open[j] | named | by_region) & ((o_party[j] == 0) | (o_party[j] != n_party[i]))
    shared = (o_lang[j] & n_lang[i]) != 0
    speaks = (o_lang[j] == 0) | (n_lang[i] == 0) | shared
    in_time = (o_start[j] == 0) | (o_start[j] <= n_by[i])
    pair_stage = np.select([~eligible, ~speaks, ~in_time], [2, 3, 4], 5).astype(np.int8)

    offered_types = {t for k in usable for t in offers[k].types}
    stage = np.array([1 if x.type in offered_types else 0 for x in needs], dtype=np.int8)
    np.maximum.at(stage, i, pair_stage)
    ok = pair_stage == 5
    i, j, named, by_region, shared = i[ok], j[ok], named[ok], by_region[ok], shared[ok]
    topic = np.where(_member(j, n_provision[i], same_provision, len(topics) + 1), TOPIC_POINTS["provision"],
                     np.where(_member(j, n_article[i], same_article, len(topics) + 1), TOPIC_POINTS["article"],
                              np.where(o_general[j], TOPIC_POINTS["general"], TOPIC_POINTS["chapter"])))
    parts = {
        "topic": topic,
        "language": shared.astype(np.float64),
        "eligibility": np.where(named, 1.0, np.where(by_region & ~o_open[j], 0.5, 0.0)),
        "region": np.where((o_home[j] != 0) & ((o_home[j] & n_group[i]) != 0), 0.5, 0.0),
        "modality": np.where((o_mode[j] & n_mode[i]) != 0, 0.5, 0.0),
    }
    w = weight[i]
    total = w * (1 + sum(parts.values()))
    frame = pl.DataFrame({"i": i, "j": j, "weight": w, **parts, "total": total})
    return Candidates(needs, offers, frame, stage)


_FIRST = threading.Lock()
_started = False


def _highs() -> highspy.Highs:
    """A solver instance; the first one in a process prints HiGHS's banner on the C level, which
    would end up in the CLI's output, so that one is made with standard output pointed elsewhere."""
    global _started
    with _FIRST:
        if _started:
            return highspy.Highs()
        sys.stdout.flush()
        saved, sink = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(sink, 1)
        try:
            return highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(sink)
            _started = True


class _Programme:
    """The LP held open in HiGHS, so that pairs added later restart from the last optimal basis."""

    def __init__(self, n: int, caps: np.ndarray):
        self.n = n
        self.highs = _highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("random_seed", 0)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        upper = np.concatenate([np.ones(n), caps]).astype(np.float64)
        self.highs.addRows(len(upper), np.full(len(upper), -highspy.kHighsInf), upper, 0,
                           np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([], dtype=np.float64))
        self.rows = np.array([], dtype=np.int64)

    def add(self, rows: np.ndarray, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> None:
        k = len(rows)
        index = np.empty(2 * k, dtype=np.int32)
        index[0::2], index[1::2] = i, self.n + j
        self.highs.addCols(k, w.astype(np.float64), np.zeros(k), np.full(k, highspy.kHighsInf), 2 * k,
                           np.arange(0, 2 * k, 2, dtype=np.int32), index, np.ones(2 * k))
        self.rows = np.concatenate([self.rows, rows])

    def solve(self) -> tuple[np.ndarray, np.ndarray]:
        """The pairs taken (rows of the candidate frame) and the dual price of every constraint."""
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"assignment solver failed: {self.highs.modelStatusToString(self.highs.getModelStatus())}")
        solution = self.highs.getSolution()
        x = np.asarray(solution.col_value)
        if np.any(np.abs(x - np.round(x)) > 1e-6):
            raise RuntimeError("assignment solver returned a fractional solution")
        return self.rows[x > 0.5], np.abs(np.asarray(solution.row_dual))


def optimal(c: Candidates, capacity: np.ndarray | None = None, max_rounds: int = MAX_ROUNDS) -> Assignment:
    """The assignment with the largest total score: each need at most one offer, each offer at most
    `capacity` needs (default: the offers' own capacity).

    Most pairs can never be in an optimum (an offer has far fewer places than candidates), so the LP
    starts from each need's best pair, each offer's best candidates and the greedy baseline's pairs
    (a good first basis, and the reason the result is never below greedy), then adds the pairs whose
    reduced profit (score minus the need's and the offer's dual prices) is positive. When none is
    left the LP optimum over the subset is the optimum over every pair (`proven`); should the rounds
    stop after `max_rounds` first, the result is the optimum over the pairs considered."""
    caps = np.array([o.capacity for o in c.offers], dtype=np.float64) if capacity is None else capacity.astype(np.float64)
    chosen = np.full(len(c.needs), -1, dtype=np.int64)
    if c.frame.height == 0:
        return Assignment(c, chosen, {}, proven=True)
    n = len(c.needs)
    i_all, j_all, w_all = (c.frame[k].to_numpy() for k in ("i", "j", "total"))
    if c.frame.height <= WHOLE_PROGRAMME:
        active = np.ones(c.frame.height, dtype=bool)
    else:
        ranked = c.frame.select(
            by_need=pl.col("total").rank("ordinal", descending=True).over("i"),
            by_offer=pl.col("total").rank("ordinal", descending=True).over("j"),
        )
        active = (ranked["by_need"].to_numpy() <= SEED_PER_NEED) | (ranked["by_offer"].to_numpy() <= caps[j_all])
        active[list(greedy(c, capacity).pair_rows.values())] = True
    lp = _Programme(n, caps)
    entering = np.flatnonzero(active)
    proven = False
    for _ in range(max_rounds):
        lp.add(entering, i_all[entering], j_all[entering], w_all[entering])
        picked, price = lp.solve()
        gain = w_all - price[i_all] - price[n + j_all]
        waiting = np.flatnonzero(~active & (gain > 1e-7))
        if not waiting.size:
            proven = True
            break
        best = (pl.DataFrame({"row": waiting, "i": i_all[waiting], "gain": gain[waiting]})
                .sort(["i", "gain", "row"], descending=[False, True, False])
                .group_by("i", maintain_order=True).head(ENTER_PER_NEED))
        entering = best["row"].to_numpy()
        active[entering] = True
    chosen[i_all[picked]] = j_all[picked]
    return Assignment(c, chosen, {int(i_all[r]): int(r) for r in picked}, proven=proven)


def greedy(c: Candidates, capacity: np.ndarray | None = None) -> Assignment:
    """The simple baseline: best-scoring pairs first, each taken while need and offer are free."""
    left = np.array([o.capacity for o in c.offers], dtype=np.int64) if capacity is None else capacity.astype(np.int64).copy()
    chosen = np.full(len(c.needs), -1, dtype=np.int64)
    rows: dict[int, int] = {}
    order = c.frame.with_row_index("row").sort(["total", "i", "j"], descending=[True, False, False])
    for row, i, j in zip(order["row"].to_list(), order["i"].to_list(), order["j"].to_list()):
        if chosen[i] < 0 and left[j] > 0:
            chosen[i] = j
            left[j] -= 1
            rows[i] = row
    return Assignment(c, chosen, rows)


def alternatives(a: Assignment, count: int = ALTERNATIVES) -> dict[int, list[int]]:
    """Per need, the rows of its next-best candidates (best first), the assigned one left out."""
    frame = a.candidates.frame.with_row_index("row")
    assigned = set(a.pair_rows.values())
    ranked = (frame.filter(~pl.col("row").is_in(list(assigned)))
              .sort(["i", "total", "j"], descending=[False, True, False])
              .group_by("i", maintain_order=True).head(count))
    out: dict[int, list[int]] = {}
    for i, row in zip(ranked["i"].to_list(), ranked["row"].to_list()):
        out.setdefault(i, []).append(row)
    return out
