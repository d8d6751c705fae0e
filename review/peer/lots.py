"""The drawing of lots: for each Party under review in a cycle, two reviewing Parties, one from its
own regional group, under rules the Conference sets as data (`data/review_rules.yaml`).

A draw is reproducible: the seed, the rules and every input (who is under review, who may review,
the regional groups, what was already drawn) are recorded with it in `review_draw` (and `review_draw_detail`), and the same
seed and inputs give the same result (`random.Random(seed)` over inputs in a fixed order;
`replay` checks it). The solver is a randomized backtracking search that picks the most
constrained seat first and prunes as it assigns (forward checking), so it finds an assignment
whenever one exists; when none does it says which rule cannot be met and why, from checks that
each name a rule (a regional group too small, reviewers' capacity short of the seats to fill) and,
failing those, by finding which rule, left out, would let the draw succeed.

A redraw replaces a reviewer of one review (at a Party's request, counted against the rules'
maximum) and keeps every other assignment; the reviewers it replaced are never drawn again for
that Party. Each draw and redraw is one transaction with its audit log entry. The COP's list is
public once drawn.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from dataclasses import asdict, dataclass, fields, replace

import yaml

from review import audit, cycles, participation
from review.access import Actor, require
from review.errors import NotFound, Problem, ReviewError, ValidationFailed
from review.peer import DRAWN, review_id
from review.resources import data_file
from review.store import Store

RULES_FILE = data_file("review_rules.yaml")
MAX_RULES_BYTES = 64 * 1024
MAX_SEED = 2**63 - 1  # review_draw.seed is a BIGINT
# choices tried before the search gives up (a valid assignment for 196 Parties takes about 400)
SEARCH_STEPS = 200_000
FIRST_BUDGET = 2_000  # the first run's budget; each restart doubles it
REGIONAL, OTHER = "regional", "other"
KINDS = (REGIONAL, OTHER)
# a redraw changes who reviews: allowed until the desk review starts
REDRAW_STAGES = (DRAWN, "submitted")
RULE_CHOICES = {
    "other_reviewer": ("other_group", "any"),
    "reviewers": ("parties_to_instrument", "cycle_participants"),
    "party_without_group": ("any", "refuse"),
}
RULE_NUMBERS = {"max_reviews_per_reviewer": (1, 1000), "max_redraws_per_party": (0, 100)}
RULE_FLAGS = ("no_reciprocal_reviews",)


@dataclass(frozen=True)
class Rules:
    """The Conference's rules for a draw; the field names are the keys of the rules file."""

    other_reviewer: str = "other_group"
    max_reviews_per_reviewer: int = 3
    no_reciprocal_reviews: bool = True
    max_redraws_per_party: int = 2
    reviewers: str = "parties_to_instrument"
    party_without_group: str = "any"

    def as_dict(self) -> dict:
        return asdict(self)


RULE_KEYS = tuple(f.name for f in fields(Rules))


class DrawImpossible(ReviewError):
    """The rules cannot be met; `rule` names the rule (a key of the rules file, or 'two_reviewers')."""

    def __init__(self, rule: str, key: str, **params) -> None:
        super().__init__(key, **params)
        self.rule = rule


class _GaveUp(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The rules file


def parse_rules(data: bytes, name: str) -> Rules:
    """Rules from a YAML file's bytes (at most MAX_RULES_BYTES): a key not known or a value of the
    wrong kind is refused naming the key, never replaced; a key left out takes its default (`Rules`)."""
    if len(data) > MAX_RULES_BYTES:
        raise ValidationFailed([Problem(name, "lots.rules.too_large", {"limit": MAX_RULES_BYTES // 1024})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed([Problem(name, "lots.rules.not_text", {})]) from None
    try:
        found = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationFailed([Problem(name, "lots.rules.not_yaml", {"reason": str(error).splitlines()[0]})]) from None
    if found is None:
        raise ValidationFailed([Problem(name, "lots.rules.empty", {})])
    if not isinstance(found, dict):
        raise ValidationFailed([Problem(name, "lots.rules.not_mapping", {})])
    return rules_from_mapping(found, name)


def rules_from_mapping(found: dict, name: str = "rules") -> Rules:
    problems, values = [], {}
    for key, value in found.items():
        where = f"{name}: {key}"
        if key not in RULE_KEYS:
            problems.append(Problem(where, "lots.rules.unknown", {"key": key, "known": ", ".join(RULE_KEYS)}))
        elif key in RULE_CHOICES:
            if value not in RULE_CHOICES[key]:
                problems.append(Problem(where, "lots.rules.bad_choice",
                                        {"value": value, "allowed": ", ".join(RULE_CHOICES[key])}))
            else:
                values[key] = value
        elif key in RULE_NUMBERS:
            low, high = RULE_NUMBERS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(Problem(where, "lots.rules.bad_number", {"value": value, "low": low, "high": high}))
            else:
                values[key] = value
        elif not isinstance(value, bool):
            problems.append(Problem(where, "lots.rules.bad_flag", {"value": value}))
        else:
            values[key] = value
    if problems:
        raise ValidationFailed(problems)
    return Rules(**values)


def default_rules() -> Rules:
    """The installation's rules file (data/review_rules.yaml); the Rules defaults when there is none."""
    if not RULES_FILE.is_file():
        return Rules()
    return parse_rules(RULES_FILE.read_bytes(), RULES_FILE.name)


def check_seed(seed) -> int:
    """A seed as typed (a whole number from 0 to 2^63-1), refused naming the field otherwise."""
    if isinstance(seed, str):
        text = seed.strip()
        if not text.isdigit() or not text.isascii():
            raise ValidationFailed([Problem("seed", "lots.bad_seed", {"value": seed, "high": MAX_SEED})])
        seed = int(text)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValidationFailed([Problem("seed", "lots.bad_seed", {"value": seed, "high": MAX_SEED})])
    return seed


def new_seed() -> int:
    """A fresh seed, short enough to read out at a session."""
    return secrets.randbelow(10**9)


# ---------------------------------------------------------------------------------------------
# The solver: plain data in, an assignment or a named impossibility out


@dataclass(frozen=True)
class Inputs:
    """Everything a draw depends on besides its rules and seed, recorded with it.

    `groups`: each code involved and its regional group (None: none); `reviewers`: who may be drawn;
    `open`: the seats to draw, (party, 'regional' | 'other'); `fixed`: seats already drawn in the
    cycle, which count towards the caps and the reciprocity rule; `excluded`: per Party, reviewers
    never to be drawn for it again (replaced by a redraw)."""

    groups: dict[str, str | None]
    reviewers: tuple[str, ...]
    open: tuple[tuple[str, str], ...]
    fixed: dict[tuple[str, str], str]
    excluded: dict[str, tuple[str, ...]]

    def to_json(self) -> dict:
        return {"groups": self.groups, "reviewers": list(self.reviewers), "open": [list(s) for s in self.open],
                "fixed": [[p, k, r] for (p, k), r in sorted(self.fixed.items())],
                "excluded": {p: list(v) for p, v in sorted(self.excluded.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "Inputs":
        return cls(dict(data["groups"]), tuple(data["reviewers"]), tuple(tuple(s) for s in data["open"]),
                   {(p, k): r for p, k, r in data["fixed"]}, {p: tuple(v) for p, v in data["excluded"].items()})


def candidates(inputs: Inputs, rules: Rules, party: str, kind: str) -> list[str]:
    """Who the rules let sit in one seat, before caps, reciprocity and the other seat are counted."""
    group = inputs.groups.get(party)
    excluded = set(inputs.excluded.get(party, ()))
    base = [r for r in inputs.reviewers if r != party and r not in excluded]
    if kind == REGIONAL:
        if group is None:
            return base if rules.party_without_group == "any" else []
        return [r for r in base if inputs.groups.get(r) == group]
    if rules.other_reviewer == "other_group" and group is not None:
        return [r for r in base if inputs.groups.get(r) != group]
    return base


def solve(inputs: Inputs, rules: Rules, seed: int, steps: int = SEARCH_STEPS) -> dict[tuple[str, str], str]:
    """Fill every open seat meeting every rule, the same way for the same seed and inputs; or raise
    DrawImpossible naming the rule that cannot be met and why."""
    domains = _initial_domains(inputs, rules)  # found once for the checks and every run of the search
    _precheck(inputs, rules, domains)
    try:
        found = _restarts(inputs, rules, seed, steps, domains)
    except _GaveUp:
        raise DrawImpossible("search", "lots.impossible.gave_up", steps=steps,
                             cap=rules.max_reviews_per_reviewer) from None
    if found is not None:
        return found
    raise _diagnose(inputs, rules, seed, steps)


def _restarts(inputs: Inputs, rules: Rules, seed: int, steps: int,
              domains: dict[tuple[str, str], list[str]] | None = None) -> dict[tuple[str, str], str] | None:
    """Backtracking can wander for long under tight rules after a few unlucky early choices: run it
    with a small budget, and when that runs out start again from a seed derived from the draw's own
    seed (so the same seed still gives the same list) with twice the budget, until `steps` are spent.
    A run that ends without using up its budget has tried everything: None then means no assignment."""
    derive = random.Random(seed)
    budget, spent, attempt = FIRST_BUDGET, 0, seed
    while True:
        budget = min(budget, steps - spent)
        try:
            return _search(inputs, rules, attempt, budget, domains)
        except _GaveUp:
            spent += budget
            if spent >= steps:
                raise
        budget *= 2
        attempt = derive.getrandbits(63)


def _load_and_reciprocity(inputs: Inputs):
    load: dict[str, int] = {}
    reviews: dict[str, set[str]] = {}   # reviewer -> the Parties it reviews
    reviewed_by: dict[str, set[str]] = {}  # Party -> its reviewers
    for (party, _), reviewer in inputs.fixed.items():
        load[reviewer] = load.get(reviewer, 0) + 1
        reviews.setdefault(reviewer, set()).add(party)
        reviewed_by.setdefault(party, set()).add(reviewer)
    return load, reviews, reviewed_by


def _initial_domain(inputs, rules, slot, load, reviews, reviewed_by) -> list[str]:
    party, kind = slot
    return [r for r in candidates(inputs, rules, party, kind)
            if load.get(r, 0) < rules.max_reviews_per_reviewer
            and r not in reviewed_by.get(party, ())
            and not (rules.no_reciprocal_reviews and r in reviews.get(party, ()))]


def _initial_domains(inputs: Inputs, rules: Rules) -> dict[tuple[str, str], list[str]]:
    """Each open seat's candidates under the caps and reciprocity of the seats already drawn."""
    load, reviews, reviewed_by = _load_and_reciprocity(inputs)
    return {slot: _initial_domain(inputs, rules, slot, load, reviews, reviewed_by) for slot in inputs.open}


def _precheck(inputs: Inputs, rules: Rules, domains: dict[tuple[str, str], list[str]] | None = None) -> None:
    """Necessary conditions, each naming its rule: when one fails, no assignment exists."""
    if not inputs.open:
        return
    if not inputs.reviewers:
        raise DrawImpossible("reviewers", "lots.impossible.no_reviewers", pool=rules.reviewers)
    load, reviews, reviewed_by = _load_and_reciprocity(inputs)
    cap = rules.max_reviews_per_reviewer
    if domains is None:
        domains = _initial_domains(inputs, rules)
    for slot in inputs.open:
        party, kind = slot
        group = inputs.groups.get(party)
        static = candidates(inputs, rules, party, kind)
        if not static:
            if kind == REGIONAL and group is None:
                raise DrawImpossible("party_without_group", "lots.impossible.no_group", party=party)
            if kind == REGIONAL:
                raise DrawImpossible("regional", "lots.impossible.region_too_small", party=party, group=group,
                                     count=0, pool=rules.reviewers, replaced=len(inputs.excluded.get(party, ())))
            raise DrawImpossible("other_reviewer", "lots.impossible.no_other", party=party, group=group or "-",
                                 pool=rules.reviewers)
        if not domains[slot]:
            left = [r for r in static if load.get(r, 0) < cap]
            if not left:
                raise DrawImpossible("max_reviews_per_reviewer", f"lots.impossible.seat_full.{kind}", party=party,
                                     count=len(static), cap=cap)
            if all(r in reviewed_by.get(party, ()) for r in left):
                raise DrawImpossible("two_reviewers", "lots.impossible.two_reviewers", party=party, count=len(left))
            raise DrawImpossible("no_reciprocal_reviews", f"lots.impossible.seat_taken.{kind}", party=party,
                                 count=len(static), cap=cap)
    # two different reviewers for each Party
    by_party: dict[str, list[tuple[str, str]]] = {}
    for slot in inputs.open:
        by_party.setdefault(slot[0], []).append(slot)
    for party, slots in sorted(by_party.items()):
        union = set()
        for slot in slots:
            union |= set(domains[slot])
        if len(union) < len(slots):
            raise DrawImpossible("two_reviewers", "lots.impossible.two_reviewers", party=party, count=len(union))
    # a regional group's reviewers must fill its members' regional seats
    demand: dict[str, int] = {}
    for party, kind in inputs.open:
        group = inputs.groups.get(party)
        if kind == REGIONAL and group is not None:
            demand[group] = demand.get(group, 0) + 1
    for group, needed in sorted(demand.items()):
        members = [r for r in inputs.reviewers if inputs.groups.get(r) == group]
        capacity = sum(max(0, cap - load.get(r, 0)) for r in members)
        if needed > capacity:
            raise DrawImpossible("max_reviews_per_reviewer", "lots.impossible.group_capacity", group=group,
                                 needed=needed, reviewers=len(members), capacity=capacity, cap=cap)
    capacity = sum(max(0, cap - load.get(r, 0)) for r in inputs.reviewers)
    if len(inputs.open) > capacity:
        raise DrawImpossible("max_reviews_per_reviewer", "lots.impossible.total_capacity", needed=len(inputs.open),
                             reviewers=len(inputs.reviewers), capacity=capacity, cap=cap)
    # two members left to review each other's regional seat
    if rules.no_reciprocal_reviews:
        only = {}
        for slot in inputs.open:
            if slot[1] == REGIONAL and len(domains[slot]) == 1:
                only[slot[0]] = domains[slot][0]
        for party, other in sorted(only.items()):
            if only.get(other) == party and party < other:
                raise DrawImpossible("no_reciprocal_reviews", "lots.impossible.pair", party=party, other=other,
                                     group=inputs.groups.get(party) or "-")


def _search(inputs: Inputs, rules: Rules, seed: int, steps: int,
            domains: dict[tuple[str, str], list[str]] | None = None) -> dict[tuple[str, str], str] | None:
    """Randomized backtracking with forward checking; None when no assignment exists."""
    rng = random.Random(seed)
    cap = rules.max_reviews_per_reviewer
    reciprocal = rules.no_reciprocal_reviews
    load, reviews, reviewed_by = _load_and_reciprocity(inputs)
    slots = sorted(inputs.open)
    rng.shuffle(slots)
    rank = {slot: i for i, slot in enumerate(slots)}
    order: dict[tuple[str, str], list[str]] = {}
    domain: dict[tuple[str, str], set[str]] = {}
    holding: dict[str, set[tuple[str, str]]] = {}  # reviewer -> open seats it may still fill
    party_slots: dict[str, list[tuple[str, str]]] = {}
    for slot in slots:
        options = sorted(domains[slot] if domains is not None else
                         _initial_domain(inputs, rules, slot, load, reviews, reviewed_by))
        rng.shuffle(options)
        order[slot] = options
        domain[slot] = set(options)
        for r in options:
            holding.setdefault(r, set()).add(slot)
        party_slots.setdefault(slot[0], []).append(slot)
    open_slots = set(slots)
    trail: list[tuple[tuple[str, str], str]] = []
    chosen: dict[tuple[str, str], str] = {}
    budget = [steps]

    def remove(slot, reviewer) -> bool:
        """Take a reviewer out of an open seat's options; False when that seat is left with none."""
        if slot in open_slots and reviewer in domain[slot]:
            domain[slot].discard(reviewer)
            holding[reviewer].discard(slot)
            trail.append((slot, reviewer))
            return bool(domain[slot])
        return True

    def assign(slot, reviewer) -> bool:
        party = slot[0]
        chosen[slot] = reviewer
        load[reviewer] = load.get(reviewer, 0) + 1
        reviews.setdefault(reviewer, set()).add(party)
        reviewed_by.setdefault(party, set()).add(reviewer)
        ok = True
        if load[reviewer] >= cap:
            for other in list(holding.get(reviewer, ())):
                ok = remove(other, reviewer) and ok
        for other in party_slots.get(party, ()):
            ok = remove(other, reviewer) and ok
        if reciprocal:
            for other in party_slots.get(reviewer, ()):
                ok = remove(other, party) and ok
        return ok

    def unassign(slot, reviewer, mark: int) -> None:
        party = slot[0]
        while len(trail) > mark:
            other, r = trail.pop()
            domain[other].add(r)
            holding[r].add(other)
        del chosen[slot]
        load[reviewer] -= 1
        reviews[reviewer].discard(party)
        reviewed_by[party].discard(reviewer)

    def step() -> bool:
        if not open_slots:
            return True
        slot = min(open_slots, key=lambda s: (len(domain[s]), rank[s]))
        open_slots.discard(slot)
        for reviewer in order[slot]:
            if reviewer not in domain[slot]:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                raise _GaveUp
            mark = len(trail)
            if assign(slot, reviewer) and step():
                return True
            unassign(slot, reviewer, mark)
        open_slots.add(slot)
        return False

    return dict(chosen) if step() else None


def _diagnose(inputs: Inputs, rules: Rules, seed: int, steps: int) -> DrawImpossible:
    """No assignment meets every rule: name the rule without which one would exist."""
    tries = []
    if rules.no_reciprocal_reviews:
        tries.append(("no_reciprocal_reviews", replace(rules, no_reciprocal_reviews=False)))
    tries.append(("max_reviews_per_reviewer", replace(rules, max_reviews_per_reviewer=10**6)))
    params = {"cap": rules.max_reviews_per_reviewer, "reviewers": len(inputs.reviewers), "seats": len(inputs.open)}
    for rule, relaxed in tries:
        try:
            if _restarts(inputs, relaxed, seed, steps) is not None:
                return DrawImpossible(rule, f"lots.impossible.without_{rule}", **params)
        except _GaveUp:
            continue
    return DrawImpossible("together", "lots.impossible.together", **params)


# ---------------------------------------------------------------------------------------------
# Draws in the database


@dataclass(frozen=True)
class DrawRecord:
    id: str
    cycle_id: str
    kind: str  # 'draw' or 'redraw'
    seed: int
    rules: Rules
    party: str | None
    drawn_at: dt.datetime
    drawn_by: str
    inputs: Inputs | None
    result: dict


@dataclass(frozen=True)
class ListRow:
    """One line of the COP's list: a reviewed Party and its two reviewing Parties."""

    party: str
    regional_group: str | None
    regional_reviewer: str
    other_reviewer: str
    seed: int
    draw_id: str
    redraws: int
    stage: str


def _current(cur, cycle_id: str) -> dict[str, dict]:
    """The cycle's reviews: party -> {regional, other, redraws, stage, id}."""
    found = {}
    for rid, party, redraws, stage in cur.execute(
            "SELECT id, party, redraws, stage FROM peer_review WHERE cycle_id = ? ORDER BY party", [cycle_id]).fetchall():
        found[party] = {"id": rid, "redraws": redraws, "stage": stage}
    for rid, reviewer, same in cur.execute(
            "SELECT r.review_id, r.reviewing_party, r.same_region FROM peer_review_reviewer r "
            "JOIN peer_review p ON p.id = r.review_id WHERE p.cycle_id = ?", [cycle_id]).fetchall():
        party = rid.split("/", 1)[1]
        if party in found:
            found[party][REGIONAL if same else OTHER] = reviewer
    return found


def _fixed(reviews: dict[str, dict]) -> dict[tuple[str, str], str]:
    return {(party, kind): review[kind] for party, review in reviews.items() for kind in KINDS if kind in review}


_DRAW_COLUMNS = "d.id, d.cycle_id, d.kind, d.seed, d.rules, d.party, d.drawn_at, d.drawn_by, x.inputs, x.result"


def _draw_rows(cur, cycle_id: str) -> list[DrawRecord]:
    rows = cur.execute(
        f"SELECT {_DRAW_COLUMNS} FROM review_draw d LEFT JOIN review_draw_detail x ON x.draw_id = d.id "
        "WHERE d.cycle_id = ? ORDER BY d.drawn_at, d.id", [cycle_id]).fetchall()
    return [_record(r) for r in rows]


def _record(r) -> DrawRecord:
    inputs = Inputs.from_json(json.loads(r[8])) if r[8] else None
    return DrawRecord(r[0], r[1], r[2], r[3], rules_from_mapping(json.loads(r[4])), r[5], r[6], r[7], inputs,
                      json.loads(r[9]) if r[9] else {})


def _groups(cur) -> dict[str, str | None]:
    return {code: group for code, group in cur.execute("SELECT code, regional_group FROM party ORDER BY code").fetchall()}


def _pool(store: Store, cycle: cycles.Cycle, rules: Rules, day: dt.date) -> tuple[str, ...]:
    if rules.reviewers == "cycle_participants":
        return tuple(sorted(cycles.participants(store, cycle.id)))
    instrument = cycles.cycle_questionnaire(store, cycle).instrument["id"]
    return tuple(sorted(participation.parties_on(store, instrument, day)))


def _next_id(cur, cycle_id: str) -> str:
    count = cur.execute("SELECT count(*) FROM review_draw WHERE cycle_id = ?", [cycle_id]).fetchone()[0]
    return f"{cycle_id}/lots/{count + 1}"


def _insert(cur, table: str, rows: list[list], types: tuple[str, ...] | None = None) -> None:
    """Insert rows in one statement; with the columns' `types`, the rows go as one list per column
    (a VALUES list of a cycle's 150 reviews is over a thousand placeholders to prepare)."""
    if not rows:
        return
    if types is None:
        marks = "(" + ", ".join(["?"] * len(rows[0])) + ")"
        cur.execute(f"INSERT INTO {table} VALUES " + ", ".join([marks] * len(rows)), [v for row in rows for v in row])
        return
    columns = ", ".join(f"unnest(?::{kind}[])" for kind in types)
    cur.execute(f"INSERT INTO {table} SELECT {columns}", [list(column) for column in zip(*rows)])


def _as_result(chosen: dict[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for (party, kind), reviewer in sorted(chosen.items()):
        out.setdefault(party, {})[kind] = reviewer
    return out


def draw(store: Store, actor: Actor, cycle_id: str, *, seed: int | str | None = None, rules: Rules | None = None,
         on: dt.date | None = None) -> DrawRecord:
    """Draw the reviewing Parties of every Party of the cycle that has none yet (all of them, the
    first time; a State that joined the cycle later, after that). Later draws of a cycle keep the
    rules of its first one; different rules are refused."""
    require(actor, "peer.draw")
    cycle = cycles.get_cycle(store, cycle_id)
    seed = new_seed() if seed is None else check_seed(seed)
    day = on or dt.date.today()
    with store.read() as cur:
        earlier = _draw_rows(cur, cycle.id)
    if earlier:
        if rules is not None and rules != earlier[0].rules:
            raise ReviewError("lots.rules_differ", cycle=cycle.id, draw=earlier[0].id)
        rules = earlier[0].rules
    rules = rules or default_rules()
    participants = cycles.participants(store, cycle.id)
    # the pool of reviewers (read once when it is the cycle's own participants)
    pool = tuple(sorted(participants)) if rules.reviewers == "cycle_participants" else _pool(store, cycle, rules, day)
    with store.transaction() as cur:
        reviews = _current(cur, cycle.id)
        waiting = [p for p in participants if p not in reviews]
        if not waiting:
            first = earlier[0] if earlier else None
            raise ReviewError("lots.already_drawn", cycle=cycle.id, seed=first.seed if first else "-",
                              day=first.drawn_at.date() if first else "-")
        inputs = Inputs(_groups(cur), pool, tuple((p, k) for p in waiting for k in KINDS), _fixed(reviews), {})
        chosen = solve(inputs, rules, seed)
        record_id = _next_id(cur, cycle.id)
        now = dt.datetime.now()
        result = _as_result(chosen)
        _insert(cur, "review_draw (id, cycle_id, kind, seed, rules, party, drawn_at, drawn_by)", [[
            record_id, cycle.id, "draw", seed, json.dumps(rules.as_dict()), None, now, actor.id]])
        _insert(cur, "review_draw_detail (draw_id, inputs, result)",
                [[record_id, json.dumps(inputs.to_json()), json.dumps(result)]])
        _insert(cur, "peer_review (id, cycle_id, party, draw_id, redraws, stage, full_report_public, created_at)",
                [[review_id(cycle.id, p), cycle.id, p, record_id, 0, DRAWN, None, now] for p in waiting],
                ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "BOOLEAN", "TIMESTAMP"))
        _insert(cur, "peer_review_reviewer (review_id, reviewing_party, same_region)",
                [[review_id(cycle.id, p), result[p][k], k == REGIONAL] for p in waiting for k in KINDS],
                ("VARCHAR", "VARCHAR", "BOOLEAN"))
        _insert(cur, "peer_review_stage (review_id, stage, planned, done_at, done_by)",
                [[review_id(cycle.id, p), DRAWN, None, now, actor.id] for p in waiting],
                ("VARCHAR", "VARCHAR", "DATE", "TIMESTAMP", "VARCHAR"))
        audit.record(cur, actor, "peer.draw", "review_draw", record_id,
                     after={"cycle": cycle.id, "seed": seed, "rules": rules.as_dict(), "reviews": result})
        row = cur.execute(f"SELECT {_DRAW_COLUMNS} FROM review_draw d LEFT JOIN review_draw_detail x "
                          "ON x.draw_id = d.id WHERE d.id = ?", [record_id]).fetchone()
    return _record(row)


def redraw(store: Store, actor: Actor, cycle_id: str, party: str, *, reviewer: str | None = None,
           seed: int | str | None = None, on: dt.date | None = None) -> DrawRecord:
    """Draw again one reviewer of `party`'s review (`reviewer`), or both when none is named, at the
    Party's request; every other assignment of the cycle stays. Counted against the rules' maximum;
    a replaced reviewer is never drawn again for that Party."""
    require(actor, "peer.draw")
    cycle = cycles.get_cycle(store, cycle_id)
    seed = new_seed() if seed is None else check_seed(seed)
    day = on or dt.date.today()
    party = (party or "").strip().upper()
    with store.read() as cur:
        earlier = _draw_rows(cur, cycle.id)
    if not earlier:
        raise NotFound("lots.not_drawn_cycle", cycle=cycle.id)
    rules = earlier[0].rules
    replaced_before = tuple(r for d in earlier if d.kind == "redraw" and d.party == party
                            for r in d.result.get("replaced", []))
    pool = _pool(store, cycle, rules, day)
    with store.transaction() as cur:
        reviews = _current(cur, cycle.id)
        review = reviews.get(party)
        if review is None:
            raise NotFound("lots.not_drawn", party=party, cycle=cycle.id)
        if review["redraws"] >= rules.max_redraws_per_party:
            raise ReviewError("lots.redraw_limit", party=party, count=review["redraws"],
                              limit=rules.max_redraws_per_party)
        if review["stage"] not in REDRAW_STAGES:
            raise ReviewError("lots.redraw_too_late", party=party, stage=review["stage"])
        if reviewer is None:
            kinds = [k for k in KINDS if k in review]
        else:
            reviewer = reviewer.strip().upper()
            kinds = [k for k in KINDS if review.get(k) == reviewer]
            if not kinds:
                raise NotFound("lots.not_a_reviewer", party=party, reviewer=reviewer)
        replaced = [review[k] for k in kinds]
        fixed = {slot: r for slot, r in _fixed(reviews).items() if not (slot[0] == party and slot[1] in kinds)}
        excluded = {party: tuple(sorted(set(replaced_before) | set(replaced)))}
        inputs = Inputs(_groups(cur), pool, tuple((party, k) for k in kinds), fixed, excluded)
        chosen = solve(inputs, rules, seed)
        record_id = _next_id(cur, cycle.id)
        now = dt.datetime.now()
        result = {**_as_result(chosen), "replaced": replaced}
        _insert(cur, "review_draw (id, cycle_id, kind, seed, rules, party, drawn_at, drawn_by)", [[
            record_id, cycle.id, "redraw", seed, json.dumps(rules.as_dict()), party, now, actor.id]])
        _insert(cur, "review_draw_detail (draw_id, inputs, result)",
                [[record_id, json.dumps(inputs.to_json()), json.dumps(result)]])
        rid = review_id(cycle.id, party)
        cur.execute("DELETE FROM peer_review_reviewer WHERE review_id = ? AND reviewing_party IN ("
                    + ", ".join(["?"] * len(replaced)) + ")", [rid, *replaced])
        _insert(cur, "peer_review_reviewer (review_id, reviewing_party, same_region)",
                [[rid, chosen[(party, k)], k == REGIONAL] for k in kinds])
        cur.execute("UPDATE peer_review SET redraws = redraws + 1, draw_id = ? WHERE id = ?", [record_id, rid])
        experts = _remove_experts(cur, actor, rid, replaced, now)
        before = {k: review[k] for k in KINDS if k in review}
        after = {**before, **{k: chosen[(party, k)] for k in kinds}}
        audit.record(cur, actor, "peer.redraw", "peer_review", rid,
                     before={"reviewers": before, "redraws": review["redraws"]},
                     after={"reviewers": after, "redraws": review["redraws"] + 1, "seed": seed, "draw": record_id,
                            "experts_removed": experts})
        row = cur.execute(f"SELECT {_DRAW_COLUMNS} FROM review_draw d LEFT JOIN review_draw_detail x "
                          "ON x.draw_id = d.id WHERE d.id = ?", [record_id]).fetchone()
    return _record(row)


def _remove_experts(cur, actor: Actor, rid: str, replaced: list[str], now: dt.datetime) -> list[str]:
    """The experts a replaced reviewing Party named for this review stop reviewing it (their rows are
    kept, marked removed, as review.peer.reviews.remove_expert does): access follows the experts'
    assignments, so a replaced State's experts would otherwise keep reading the reviewed Party's answers."""
    marks = ", ".join(["?"] * len(replaced))
    users = [r[0] for r in cur.execute(
        f"SELECT user_id FROM peer_review_expert WHERE review_id = ? AND removed_at IS NULL AND reviewing_party IN ({marks}) "
        "ORDER BY user_id", [rid, *replaced]).fetchall()]
    if users:
        cur.execute(f"UPDATE peer_review_expert SET removed_at = ?, removed_by = ? WHERE review_id = ? "
                    f"AND removed_at IS NULL AND reviewing_party IN ({marks})", [now, actor.id, rid, *replaced])
        found = dict(cur.execute(f"SELECT user_id, reviewing_party FROM peer_review_expert WHERE review_id = ? "
                                 f"AND user_id IN ({', '.join(['?'] * len(users))})", [rid, *users]).fetchall())
        audit.record_all(cur, actor, [("peer.expert_remove", "peer_review", rid,
                                       {"user": u, "reviewing_party": found[u]}, None) for u in users])
    return users


def drawn_list(store: Store, actor: Actor, cycle_id: str) -> list[ListRow]:
    """The COP's list for a cycle: public once drawn (the draw is done in public and its result is a
    document of the session), so every actor reads it."""
    cycle = cycles.get_cycle(store, cycle_id)
    with store.read() as cur:
        reviews = _current(cur, cycle.id)
        groups = _groups(cur)
        seeds = dict(cur.execute("SELECT d.id, d.seed FROM review_draw d WHERE d.cycle_id = ?", [cycle.id]).fetchall())
        draw_ids = dict(cur.execute("SELECT party, draw_id FROM peer_review WHERE cycle_id = ?", [cycle.id]).fetchall())
    return [ListRow(p, groups.get(p), r.get(REGIONAL, ""), r.get(OTHER, ""), seeds.get(draw_ids[p], 0), draw_ids[p],
                    r["redraws"], r["stage"]) for p, r in sorted(reviews.items())]


def draw_records(store: Store, actor: Actor, cycle_id: str) -> list[DrawRecord]:
    """Every draw and redraw of a cycle, oldest first, with its seed, rules and inputs: public, as the list."""
    cycle = cycles.get_cycle(store, cycle_id)
    with store.read() as cur:
        return _draw_rows(cur, cycle.id)


def replay(store: Store, actor: Actor, draw_id: str) -> bool:
    """Whether running the recorded draw again from its seed, rules and inputs gives the recorded result."""
    with store.read() as cur:
        row = cur.execute(f"SELECT {_DRAW_COLUMNS} FROM review_draw d LEFT JOIN review_draw_detail x "
                          "ON x.draw_id = d.id WHERE d.id = ?", [draw_id]).fetchone()
    if row is None:
        raise NotFound("lots.no_such_draw", draw=draw_id)
    record = _record(row)
    if record.inputs is None:
        raise ReviewError("lots.not_replayable", draw=draw_id)
    chosen = _as_result(solve(record.inputs, record.rules, record.seed))
    return all(record.result.get(party) == seats for party, seats in chosen.items()) and \
        set(chosen) == set(record.result) - {"replaced"}


def load_rules_file(path) -> Rules:
    """Rules from a file a caller names: only a regular file, read no further than the size limit."""
    import os
    import stat
    from pathlib import Path

    path = Path(path)
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise ValidationFailed([Problem(str(path), "lots.rules.not_a_file", {})])
    with path.open("rb") as file:
        data = file.read(MAX_RULES_BYTES + 1)
    return parse_rules(data, path.name)


# ---------------------------------------------------------------------------------------------
# The COP's list as a table (CSV, Excel, JSON)

LIST_COLUMNS = ("party", "party_name", "regional_group", "regional_reviewer", "regional_reviewer_name",
                "other_reviewer", "other_reviewer_name", "seed", "redraws")


def list_headers(lang: str) -> dict[str, str]:
    """The list's column names as people read them (Excel); CSV and JSON keep the codes, for scripts."""
    from review.i18n import t

    return {column: t(f"lots.columns.{column}", lang) for column in LIST_COLUMNS}


def list_table(store: Store, actor: Actor, cycle_id: str, lang: str = "en"):
    """The COP's list as a table, names in `lang` (public, as `drawn_list`)."""
    import polars as pl

    from review.parties import all_parties

    names = {code: party.name(lang) for code, party in all_parties(store).items()}
    rows = drawn_list(store, actor, cycle_id)
    data = {
        "party": [r.party for r in rows],
        "party_name": [names.get(r.party, r.party) for r in rows],
        "regional_group": [r.regional_group or "" for r in rows],
        "regional_reviewer": [r.regional_reviewer for r in rows],
        "regional_reviewer_name": [names.get(r.regional_reviewer, r.regional_reviewer) for r in rows],
        "other_reviewer": [r.other_reviewer for r in rows],
        "other_reviewer_name": [names.get(r.other_reviewer, r.other_reviewer) for r in rows],
        "seed": [str(r.seed) for r in rows],  # as text: a spreadsheet would round a 19-digit seed
        "redraws": [r.redraws for r in rows],
    }
    return pl.DataFrame(data, schema={c: (pl.Int64 if c == "redraws" else pl.Utf8) for c in LIST_COLUMNS})


def list_file(store: Store, actor: Actor, cycle_id: str, fmt: str, lang: str = "en") -> bytes:
    """The COP's list as a file's bytes in `fmt` (csv, xlsx or json), formulas defused (review.export)."""
    from review.export import to_bytes
    from review.i18n import t

    return to_bytes(list_table(store, actor, cycle_id, lang), fmt, title=t("lots.page.list", lang)[:31],
                    headers=list_headers(lang))
