"""A peer review under way: its reviewers (governmental experts the reviewing Parties named), its
dated stages, the desk review's threads and the constructive dialogue.

The stages (`review.peer.STAGES`) are a fixed sequence; `advance` completes the next one, checked
by the policy (each stage names the action that completes it, so who acts is written once, in
`STAGE_ACTION`) and audited. A review's `stage` is the latest stage completed; the stage under way
is the next one. The desk review runs while the self-assessment is submitted and the desk review
not yet complete: reviewers (and the secretariat) comment on a provision or ask a question, the
reviewed Party answers in the same thread (one per review and provision).

Who may read a review: the reviewed Party's users, its assigned reviewers and the secretariat
(`peer.read`, Party or review scope). Who reviews whom and the stage dates are public
(`calendar`, served by public replicas too); the progress against the calendar and the workload
per reviewing Party are the secretariat's dashboard.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Mapping

from review import audit, limits
from review.access import PARTY_ROLES, Actor, Role, allowed, require
from review.errors import InvalidTransition, NotFound, Problem, ValidationFailed
from review.i18n import LANGUAGES, t
from review.peer import DRAWN, STAGES, one_of, review_id
from review.rules import stage_late, stage_late_sql

# the action that completes each stage: who acts, checked by the policy
STAGE_ACTION = {
    "submitted": "peer.stage",      # the secretariat records the Party's submitted self-assessment
    "desk_review": "peer.conclude",  # the reviewers close their desk review
    "dialogue": "peer.stage",       # the secretariat records the constructive dialogue held
    "draft_report": "peer.conclude",  # the reviewers hand in the draft country report
    "agreed": "peer.agree",         # the reviewed Party's focal point agrees to it
    "summary": "peer.stage",        # the secretariat has the executive summary ready
    "published": "peer.stage",      # the secretariat publishes
}
# who acts at each stage, as the calendar and the pages show it (labels `peer.side.*`)
STAGE_SIDE = {
    DRAWN: "secretariat", "submitted": "party", "desk_review": "reviewers", "dialogue": "secretariat",
    "draft_report": "reviewers", "agreed": "party", "summary": "secretariat", "published": "secretariat",
}
DIALOGUE_KINDS = ("visit", "joint_meeting")
MESSAGE_KINDS = ("comment", "question")
SUBMITTED_STATES = ("submitted", "validated", "published")
# the stages whose evidence is the country review report (drafted): its own steps complete them
REPORT_STAGES = ("draft_report", "agreed", "summary", "published")


@dataclass(frozen=True)
class Expert:
    user_id: str
    name: str
    email: str
    reviewing_party: str


@dataclass(frozen=True)
class Stage:
    stage: str
    planned: dt.date | None
    done_at: dt.datetime | None
    done_by: str | None
    late: bool

    @property
    def side(self) -> str:
        return STAGE_SIDE[self.stage]


@dataclass(frozen=True)
class Review:
    id: str
    cycle_id: str
    party: str
    stage: str
    reviewing: tuple[tuple[str, bool], ...]  # (reviewing Party, same regional group)
    stages: tuple[Stage, ...]
    experts: tuple[Expert, ...] = ()

    @property
    def next_stage(self) -> str | None:
        """The stage under way (the next to complete); None once published."""
        i = STAGES.index(self.stage)
        return STAGES[i + 1] if i + 1 < len(STAGES) else None

    @property
    def late(self) -> bool:
        return any(s.late for s in self.stages)

    @property
    def desk_open(self) -> bool:
        """The desk review is under way: the self-assessment is submitted, the desk review not complete."""
        return self.stage == "submitted"

    def reached(self, stage: str) -> bool:
        return STAGES.index(self.stage) >= STAGES.index(stage)


@dataclass(frozen=True)
class Message:
    number: int
    kind: str  # comment, question, answer
    side: str  # reviewers, party, secretariat
    author: str
    author_name: str
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Thread:
    provision_id: str
    messages: tuple[Message, ...] = field(default_factory=tuple)

    @property
    def awaiting_answer(self) -> bool:
        """A question was asked after the Party's last answer in this thread."""
        last_question = max((m.number for m in self.messages if m.kind == "question"), default=0)
        last_answer = max((m.number for m in self.messages if m.kind == "answer"), default=0)
        return last_question > last_answer


@dataclass(frozen=True)
class Dialogue:
    kind: str
    starts: dt.date
    ends: dt.date
    place: str
    participants: str
    notes: str
    recorded_at: dt.datetime
    recorded_by: str


# --- reading ------------------------------------------------------------------------------------

def _stages(cur, ids: list[str], today: dt.date) -> dict[str, dict[str, tuple]]:
    where, params = one_of("review_id", ids)
    rows = cur.execute(f"SELECT review_id, stage, planned, done_at, done_by FROM peer_review_stage WHERE {where}",
                       params).fetchall()
    out: dict[str, dict[str, tuple]] = {}
    for rid, stage, planned, done_at, done_by in rows:
        out.setdefault(rid, {})[stage] = (planned, done_at, done_by)
    return out


def _build(cur, rows, today: dt.date, with_experts: bool) -> list[Review]:
    ids = [r[0] for r in rows]
    stages = _stages(cur, ids, today)
    reviewing: dict[str, list] = {}
    where, params = one_of("review_id", ids)
    for rid, party, same in cur.execute(
            "SELECT review_id, reviewing_party, same_region FROM peer_review_reviewer "
            f"WHERE {where} ORDER BY same_region DESC, reviewing_party", params).fetchall():
        reviewing.setdefault(rid, []).append((party, same))
    experts: dict[str, list] = {}
    if with_experts:
        for rid, uid, name, email, party in cur.execute(
                "SELECT e.review_id, e.user_id, u.name, u.email, e.reviewing_party FROM peer_review_expert e "
                f"JOIN app_user u ON u.id = e.user_id WHERE {where.replace('review_id', 'e.review_id')} "
                "AND e.removed_at IS NULL ORDER BY e.reviewing_party, u.name", params).fetchall():
            experts.setdefault(rid, []).append(Expert(uid, name, email, party))
    out = []
    for rid, cycle_id, party, stage in rows:
        found = stages.get(rid, {})
        out.append(Review(
            rid, cycle_id, party, stage, tuple(reviewing.get(rid, ())),
            tuple(Stage(s, *(found.get(s) or (None, None, None)),
                        stage_late(*(found.get(s) or (None, None, None))[:2], today)) for s in STAGES),
            tuple(experts.get(rid, ()))))
    return out


def _load(cur, cycle_id: str, party: str, today: dt.date, with_experts: bool = True) -> Review:
    return _load_many(cur, cycle_id, [party], today, with_experts)[party]


def _load_many(cur, cycle_id: str, parties, today: dt.date, with_experts: bool = True) -> dict[str, Review]:
    """`_load` of several reviews of one cycle in one read (by Party); the first one missing, in the
    order given, is refused as `_load` refuses it."""
    parties = list(dict.fromkeys(parties))
    ids = [review_id(cycle_id, party) for party in parties]
    where, params = one_of("id", ids)
    rows = cur.execute(f"SELECT id, cycle_id, party, stage FROM peer_review WHERE {where}", params).fetchall()
    found = {review.party: review for review in (_build(cur, rows, today, with_experts) if rows else [])}
    for party in parties:
        if party not in found:
            raise NotFound("peer.errors.review_not_found", cycle=cycle_id, party=party)
    return {party: found[party] for party in parties}


def get_review(store, actor: Actor, cycle_id: str, party: str, today: dt.date | None = None) -> Review:
    """One review with its reviewing Parties, experts and stages: the reviewed Party's users, its
    reviewers and the secretariat."""
    require(actor, "peer.read", party, cycle=cycle_id)
    with store.read() as cur:
        return _load(cur, cycle_id, party, today or dt.date.today())


def reviews_for(store, actor: Actor, cycle_id: str | None = None, today: dt.date | None = None) -> list[Review]:
    """The reviews this actor may open: a reviewer's own, a Party's users' reviews of their Party,
    every review for the secretariat; nothing for anyone else."""
    today = today or dt.date.today()
    with store.read() as cur:
        rows = cur.execute(
            "SELECT id, cycle_id, party, stage FROM peer_review WHERE (? IS NULL OR cycle_id = ?) ORDER BY cycle_id, party",
            [cycle_id, cycle_id]).fetchall()
        rows = [r for r in rows if allowed(actor, "peer.read", r[2], cycle=r[1])]
        return _build(cur, rows, today, with_experts=True) if rows else []


# --- reviewers ------------------------------------------------------------------------------------

def assign_expert(store, actor: Actor, cycle_id: str, party: str, user_id: str) -> Review:
    """Attach an expert to a review: an active account with the reviewer role, named by one of the
    review's reviewing Parties. A removed expert can be attached again."""
    return assign_experts(store, actor, cycle_id, [(party, user_id)])[party]


def assign_experts(store, actor: Actor, cycle_id: str, assignments) -> dict[str, Review]:
    """`assign_expert` for several (reviewed Party, expert's user id) pairs of one cycle, in one
    transaction and a few statements (a bulk load such as the demo's): each pair checked, refused and
    audited as `assign_expert` does it, as if attached after the pairs before it; any refusal refuses
    them all. Returns each review, by Party, as a reload would read it after all of them."""
    require(actor, "peer.assign")
    assignments = [(party, user_id) for party, user_id in assignments]
    if not assignments:
        return {}
    with store.transaction() as cur:
        reviews = _load_many(cur, cycle_id, [party for party, _ in assignments], dt.date.today())
        ids = list(dict.fromkeys(user_id for _, user_id in assignments))
        where, params = one_of("id", ids)
        accounts = {r[0]: r[1:] for r in cur.execute(
            f"SELECT id, role, party, active, name, email FROM app_user WHERE {where}", params).fetchall()}
        by_review, review_params = one_of("review_id", [r.id for r in reviews.values()])
        by_user, user_params = one_of("user_id", ids)
        existing = {(r[0], r[1]): r[2] for r in cur.execute(
            f"SELECT review_id, user_id, removed_at IS NOT NULL FROM peer_review_expert WHERE {by_review} AND {by_user}",
            review_params + user_params).fetchall()}
        inserts, again, entries = [], [], []
        for party, user_id in assignments:
            review = reviews[party]
            if user_id not in accounts:
                raise NotFound("errors.user_not_found", user=user_id)
            role, reviewing_party, active, name, email = accounts[user_id]
            problems = []
            if role != Role.REVIEWER.value:
                problems.append(Problem("expert", "peer.errors.not_a_reviewer", {}))
            elif reviewing_party not in {p for p, _ in review.reviewing}:
                problems.append(Problem("expert", "peer.errors.not_a_reviewing_party",
                                        {"party": reviewing_party or "—", "review": review.id}))
            if not active:
                problems.append(Problem("expert", "peer.errors.inactive", {}))
            if problems:
                raise ValidationFailed(problems)
            removed = existing.get((review.id, user_id))
            if removed is False:
                continue  # attached already: nothing changes for this pair
            (inserts if removed is None else again).append((review.id, user_id, reviewing_party))
            existing[(review.id, user_id)] = False
            entries.append(("peer.expert_assign", "peer_review", review.id, None,
                            {"user": user_id, "reviewing_party": reviewing_party}))
            # the review as loaded, with the expert added (what a reload would read, in its order)
            experts = sorted((*review.experts, Expert(user_id, name, email, reviewing_party)),
                             key=lambda e: (e.reviewing_party, e.name))
            reviews[party] = replace(review, experts=tuple(experts))
        if inserts:
            cur.execute("INSERT INTO peer_review_expert (review_id, user_id, reviewing_party, assigned_at, assigned_by) "
                        "VALUES " + ", ".join(["(?, ?, ?, current_timestamp, ?)"] * len(inserts)),
                        [v for row in inserts for v in (*row, actor.id)])
        for rid, user_id, _ in again:
            cur.execute("UPDATE peer_review_expert SET removed_at = NULL, removed_by = NULL, assigned_at = current_timestamp, "
                        "assigned_by = ? WHERE review_id = ? AND user_id = ?", [actor.id, rid, user_id])
        audit.record_all(cur, actor, entries)
        return reviews


def remove_expert(store, actor: Actor, cycle_id: str, party: str, user_id: str) -> Review:
    """Detach an expert from a review: from the next click on they read nothing of it."""
    require(actor, "peer.assign")
    with store.transaction() as cur:
        review = _load(cur, cycle_id, party, dt.date.today())
        found = cur.execute("SELECT reviewing_party FROM peer_review_expert WHERE review_id = ? AND user_id = ? "
                            "AND removed_at IS NULL", [review.id, user_id]).fetchone()
        if found is None:
            raise NotFound("peer.errors.expert_not_found", user=user_id)
        cur.execute("UPDATE peer_review_expert SET removed_at = current_timestamp, removed_by = ? "
                    "WHERE review_id = ? AND user_id = ?", [actor.id, review.id, user_id])
        audit.record(cur, actor, "peer.expert_remove", "peer_review", review.id,
                     before={"user": user_id, "reviewing_party": found[0]})
        return _load(cur, cycle_id, party, dt.date.today())


def candidate_experts(store, actor: Actor, cycle_id: str, party: str) -> list[Expert]:
    """Active reviewer accounts of the review's reviewing Parties not yet attached to it."""
    require(actor, "peer.assign")
    rid = review_id(cycle_id, party)
    with store.read() as cur:
        rows = cur.execute(
            "SELECT u.id, u.name, u.email, u.party FROM app_user u JOIN peer_review_reviewer r "
            "ON r.review_id = ? AND r.reviewing_party = u.party WHERE u.role = 'reviewer' AND u.active "
            "AND u.id NOT IN (SELECT user_id FROM peer_review_expert WHERE review_id = ? AND removed_at IS NULL) "
            "ORDER BY u.party, u.name", [rid, rid]).fetchall()
    return [Expert(*r) for r in rows]


# --- stages ---------------------------------------------------------------------------------------

def plan(store, actor: Actor, cycle_id: str, party: str, planned: Mapping[str, dt.date | None]) -> Review:
    """Set the planned date of stages (None clears one). Dates must follow the stages' order."""
    return plan_many(store, actor, cycle_id, {party: planned})[party]


def _plan_problems(planned: Mapping[str, dt.date | None]) -> list[Problem]:
    problems = [Problem(f"stage {s}", "peer.errors.unknown_stage", {"value": s}) for s in planned if s not in STAGES]
    problems += [Problem(f"stage {s}", "peer.errors.not_a_date", {"value": str(d)}) for s, d in planned.items()
                 if d is not None and (not isinstance(d, dt.date) or isinstance(d, dt.datetime))]
    return problems


def plan_many(store, actor: Actor, cycle_id: str, plans: Mapping[str, Mapping[str, dt.date | None]]) -> dict[str, Review]:
    """`plan` for several reviews of one cycle (reviewed Party -> planned dates by stage) in one
    transaction and a few statements (a bulk load such as the demo's): each review's dates checked,
    refused and audited as `plan` does it; any refusal refuses them all. Returns the reviews by Party."""
    require(actor, "peer.plan")
    for planned in plans.values():
        problems = _plan_problems(planned)
        if problems:
            raise ValidationFailed(problems)
    if not plans:
        return {}
    today = dt.date.today()
    with store.transaction() as cur:
        reviews = _load_many(cur, cycle_id, plans, today)
        rows, entries, out = [], [], {}
        for party, planned in plans.items():
            review = reviews[party]
            dates = {s.stage: s.planned for s in review.stages}
            before = {s: str(dates[s]) if dates[s] else None for s in planned}
            dates.update(planned)
            problems, previous = [], None
            for stage in STAGES:
                when = dates.get(stage)
                if when is None:
                    continue
                if previous is not None and when < previous[1]:
                    problems.append(Problem(f"stage {stage}", "peer.errors.before_previous",
                                            {"stage": stage, "date": str(when), "previous": previous[0],
                                             "previous_date": str(previous[1])}))
                previous = (stage, when)
            if problems:
                raise ValidationFailed(problems)
            rows += [(review.id, stage, when) for stage, when in planned.items()]
            entries.append(("peer.plan", "peer_review", review.id, before,
                            {s: str(d) if d else None for s, d in planned.items()}))
            # the review as loaded with the new dates (what a reload would read, without its statements)
            out[party] = replace(review, stages=tuple(
                replace(st, planned=dates[st.stage], late=stage_late(dates[st.stage], st.done_at, today))
                for st in review.stages))
        if rows:
            cur.execute("INSERT INTO peer_review_stage (review_id, stage, planned) VALUES "
                        + ", ".join(["(?, ?, ?)"] * len(rows))
                        + " ON CONFLICT (review_id, stage) DO UPDATE SET planned = excluded.planned",
                        [v for row in rows for v in row])
        audit.record_all(cur, actor, entries)
        return out


def advance(store, actor: Actor, cycle_id: str, party: str, stage: str, today: dt.date | None = None) -> Review:
    """Complete `stage`, which must be the one under way; the policy checks the action that
    completes it (`STAGE_ACTION`), and some stages need their evidence first: the submitted
    self-assessment, every question answered, the dialogue recorded, the report drafted, the
    executive summary in the six languages. The report's steps (`review.peer.report`) complete
    their stages through `complete_stage`, in the transaction of their own change."""
    _require_stage(actor, cycle_id, party, stage)
    with store.transaction() as cur:
        return complete_stage(cur, actor, cycle_id, party, stage, today)


def _require_stage(actor: Actor, cycle_id: str, party: str, stage: str) -> None:
    if stage not in STAGE_ACTION:
        raise InvalidTransition("peer.errors.unknown_stage", value=stage)
    require(actor, STAGE_ACTION[stage], party, cycle=cycle_id)


def complete_stage(cur, actor: Actor, cycle_id: str, party: str, stage: str, today: dt.date | None = None) -> Review:
    """`advance` inside the caller's transaction: the one rule of a stage's completion (order, who
    acts, evidence, the stage row, the review's stage, the audit entry), whoever calls it."""
    return complete_stages(cur, cycle_id, {party: (actor, stage)}, today)[party]


def complete_stages(cur, cycle_id: str, steps: Mapping[str, tuple[Actor, str]],
                    today: dt.date | None = None) -> dict[str, Review]:
    """`complete_stage` for several reviews of one cycle (reviewed Party -> (acting user, stage)),
    inside the caller's transaction, in a few statements (a bulk load such as the demo's): each
    review's stage checked (policy, order, evidence), refused, written and audited by its own user as
    `complete_stage` does it; any refusal raises before anything is written. Returns the reviews by
    Party with their stage done."""
    for party, (actor, stage) in steps.items():
        _require_stage(actor, cycle_id, party, stage)
    if not steps:
        return {}
    today = today or dt.date.today()
    reviews = _load_many(cur, cycle_id, steps, today)
    wanted = {stage for _, stage in steps.values()}

    def ids(*stages):  # the reviews completing one of these stages: only they need that evidence read
        return [reviews[p].id for p, (_, stage) in steps.items() if stage in stages]

    def found(sql, *stages):  # the review ids among `stages`' reviews that `sql` (a condition on review_id) finds
        where, params = one_of("review_id", ids(*stages))
        return cur.execute(sql.format(where=where), params).fetchall()

    states = {}
    if "submitted" in wanted:
        where, params = one_of("party", [p for p, (_, stage) in steps.items() if stage == "submitted"])
        states = dict(cur.execute(f"SELECT party, state FROM submission WHERE cycle_id = ? AND {where}",
                                  [cycle_id, *params]).fetchall())
    threads = _threads_many(cur, ids("desk_review")) if "desk_review" in wanted else {}
    dialogues = {r[0] for r in found("SELECT review_id FROM peer_dialogue WHERE {where}", "dialogue")} \
        if "dialogue" in wanted else set()
    reports = {r[0] for r in found("SELECT review_id FROM review_report WHERE {where}", *REPORT_STAGES)} \
        if wanted & set(REPORT_STAGES) else set()
    ready: dict[str, set] = {}
    if "summary" in wanted:
        for rid, lang in found("SELECT review_id, lang FROM review_summary WHERE {where} "
                               "AND trim(coalesce(nullif(trim(edited), ''), drafted, '')) <> ''", "summary"):
            ready.setdefault(rid, set()).add(lang)
    for party, (actor, stage) in steps.items():
        review = reviews[party]
        if review.next_stage != stage:
            raise InvalidTransition("peer.errors.not_next", stage=stage, current=review.stage,
                                    expected=review.next_stage or "—")
        if stage == "submitted" and states.get(party) not in SUBMITTED_STATES:
            raise InvalidTransition("peer.errors.not_submitted", party=party, state=states.get(party) or "—")
        if stage == "desk_review":
            waiting = [t.provision_id for t in threads.get(review.id, ()) if t.awaiting_answer]
            if waiting:
                raise InvalidTransition("peer.errors.questions_open", provisions=", ".join(waiting))
        if stage == "dialogue" and review.id not in dialogues:
            raise InvalidTransition("peer.errors.no_dialogue")
        if stage in REPORT_STAGES and review.id not in reports:
            raise InvalidTransition("peer2.errors.no_report", party=party, cycle=cycle_id)
        if stage == "summary":
            missing = [lang for lang in LANGUAGES if lang not in ready.get(review.id, ())]
            if missing:
                raise InvalidTransition("peer2.errors.summary_missing", languages=", ".join(missing))
    rows = [(reviews[p].id, stage, actor.id) for p, (actor, stage) in steps.items()]
    done = dict(cur.execute(
        "INSERT INTO peer_review_stage (review_id, stage, done_at, done_by) VALUES "
        + ", ".join(["(?, ?, current_timestamp, ?)"] * len(rows))
        + " ON CONFLICT (review_id, stage) DO UPDATE SET done_at = excluded.done_at, done_by = excluded.done_by "
        "RETURNING review_id, done_at", [v for row in rows for v in row]).fetchall())
    if len(rows) == 1:
        cur.execute("UPDATE peer_review SET stage = ? WHERE id = ?", [rows[0][1], rows[0][0]])
    else:
        cur.execute("UPDATE peer_review SET stage = t.stage FROM (SELECT unnest(?::VARCHAR[]) AS id, "
                    "unnest(?::VARCHAR[]) AS stage) AS t WHERE peer_review.id = t.id",
                    [[row[0] for row in rows], [row[1] for row in rows]])
    audit.record_each(cur, [(actor, "peer.stage", "peer_review", reviews[p].id, {"stage": reviews[p].stage},
                             {"stage": stage}) for p, (actor, stage) in steps.items()])
    # each review as loaded with its stage done (what a reload would read, without its four statements)
    out = {}
    for party, (actor, stage) in steps.items():
        review, done_at = reviews[party], done[reviews[party].id]
        out[party] = replace(review, stage=stage, stages=tuple(
            replace(st, done_at=done_at, done_by=actor.id, late=stage_late(st.planned, done_at, today))
            if st.stage == stage else st for st in review.stages))
    return out


def may_advance(actor: Actor, review: Review) -> bool:
    """Whether this actor is the one who completes the review's stage under way (the pages offer the
    button only then; `advance` checks again)."""
    nxt = review.next_stage
    return nxt is not None and allowed(actor, STAGE_ACTION[nxt], review.party, cycle=review.cycle_id)


# --- the constructive dialogue ---------------------------------------------------------------------

def record_dialogue(store, actor: Actor, cycle_id: str, party: str, *, kind: str, starts: dt.date, ends: dt.date,
                    place: str, participants: str, notes: str = "") -> Dialogue:
    """Record (or correct) the constructive dialogue: a country visit or a joint meeting."""
    return record_dialogues(store, actor, cycle_id, {party: dict(kind=kind, starts=starts, ends=ends, place=place,
                                                                 participants=participants, notes=notes)})[party]


def _dialogue_problems(kind, starts, ends, place, participants, notes="") -> list[Problem]:
    problems = []
    if kind not in DIALOGUE_KINDS:
        problems.append(Problem("dialogue_kind", "peer.errors.bad_kind", {"value": str(kind)}))
    for name, value in (("starts", starts), ("ends", ends)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            problems.append(Problem(name, "peer.errors.not_a_date", {"value": str(value)}))
    if not problems and ends < starts:
        problems.append(Problem("ends", "peer.errors.ends_before_starts", {}))
    texts = {"place": place, "participants": participants, "notes": notes}
    for name, value in texts.items():
        problems += _text_problems(name, value, limits.DIALOGUE_TEXT_CHARS, required=name != "notes")
    return problems


def record_dialogues(store, actor: Actor, cycle_id: str, dialogues: Mapping[str, Mapping]) -> dict[str, Dialogue]:
    """`record_dialogue` for several reviews of one cycle (reviewed Party -> its keyword arguments:
    kind, starts, ends, place, participants, notes) in one transaction and a few statements (a bulk
    load such as the demo's): each checked, refused and audited as `record_dialogue` does it; any
    refusal refuses them all. Returns the dialogues as recorded, by Party."""
    require(actor, "peer.plan")
    dialogues = {party: {"notes": "", **given} for party, given in dialogues.items()}
    for given in dialogues.values():
        problems = _dialogue_problems(**given)
        if problems:
            raise ValidationFailed(problems)
    if not dialogues:
        return {}
    with store.transaction() as cur:
        reviews = _load_many(cur, cycle_id, dialogues, dt.date.today())
        ids = [review.id for review in reviews.values()]
        before = _dialogues_of(cur, ids)
        where, params = one_of("review_id", ids)
        cur.execute(f"DELETE FROM peer_dialogue WHERE {where}", params)
        cur.execute("INSERT INTO peer_dialogue VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)"] * len(ids)),
                    [v for party, d in dialogues.items() for v in (
                        reviews[party].id, d["kind"], d["starts"], d["ends"], d["place"].strip(), d["participants"].strip(),
                        d["notes"].strip(), actor.id)])
        after = _dialogues_of(cur, ids)
        audit.record_all(cur, actor, [("peer.dialogue", "peer_review", rid, _dialogue_dict(before.get(rid)),
                                       _dialogue_dict(after[rid])) for rid in ids])
    return {party: after[reviews[party].id] for party in dialogues}


def _dialogue_dict(d: Dialogue | None) -> dict | None:
    return None if d is None else {"kind": d.kind, "starts": str(d.starts), "ends": str(d.ends), "place": d.place,
                                   "participants": d.participants, "notes": d.notes}


def _dialogue(cur, rid: str) -> Dialogue | None:
    row = cur.execute("SELECT kind, starts, ends, place, participants, notes, recorded_at, recorded_by "
                      "FROM peer_dialogue WHERE review_id = ?", [rid]).fetchone()
    return Dialogue(*row) if row else None


def _dialogues_of(cur, ids: list[str]) -> dict[str, Dialogue]:
    """`_dialogue` of several reviews in one read, by review id (a review without one left out)."""
    where, params = one_of("review_id", ids)
    return {r[0]: Dialogue(*r[1:]) for r in cur.execute(
        "SELECT review_id, kind, starts, ends, place, participants, notes, recorded_at, recorded_by "
        f"FROM peer_dialogue WHERE {where}", params).fetchall()}


def dialogue(store, actor: Actor, cycle_id: str, party: str) -> Dialogue | None:
    require(actor, "peer.read", party, cycle=cycle_id)
    with store.read() as cur:
        return _dialogue(cur, review_id(cycle_id, party))


# --- the desk review ------------------------------------------------------------------------------

def _text_problems(name: str, value, limit: int, required: bool = True) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(name, "values.required", {})]
    if required and not value.strip():
        return [Problem(name, "values.required", {})]
    if len(value) > limit:
        return [Problem(name, "values.too_long", {"length": len(value), "limit": limit})]
    return []


def _side(actor: Actor) -> str:
    if actor.role is Role.REVIEWER:
        return "reviewers"
    if actor.role in PARTY_ROLES:
        return "party"
    return "secretariat"


def _threads(cur, rid: str) -> list[Thread]:
    return _threads_many(cur, [rid]).get(rid, [])


def _threads_many(cur, rids: list[str]) -> dict[str, list[Thread]]:
    """`_threads` of several reviews in one read, by review id (a review without any left out)."""
    if not rids:
        return {}
    where, params = one_of("t.review_id", rids)
    rows = cur.execute(
        "SELECT t.review_id, t.provision_id, m.number, m.kind, m.side, m.author, coalesce(u.name, m.author), m.body, "
        "m.created_at FROM desk_thread t JOIN desk_message m ON m.thread_id = t.id LEFT JOIN app_user u ON u.id = m.author "
        f"WHERE {where} ORDER BY t.review_id, t.provision_id, m.number", params).fetchall()
    found: dict[str, dict[str, list[Message]]] = {}
    for rid, provision_id, *message in rows:
        found.setdefault(rid, {}).setdefault(provision_id, []).append(Message(*message))
    return {rid: [Thread(p, tuple(ms)) for p, ms in threads.items()] for rid, threads in found.items()}


def threads(store, actor: Actor, cycle_id: str, party: str) -> list[Thread]:
    """The desk review's threads of a review, one per provision, messages in order."""
    require(actor, "peer.read", party, cycle=cycle_id)
    with store.read() as cur:
        return _threads(cur, review_id(cycle_id, party))


def ask(store, actor: Actor, cycle_id: str, party: str, provision_id: str, body: str, kind: str = "question") -> Thread:
    """A reviewer's (or the secretariat's) comment on a provision or question to the reviewed Party,
    during the desk review."""
    require(actor, "peer.question", party, cycle=cycle_id)
    if kind not in MESSAGE_KINDS:  # never an answer in the reviewers' name
        raise ValidationFailed([Problem("message_kind", "peer.errors.bad_kind", {"value": str(kind)})])
    return post_many(store, cycle_id, [(actor, party, provision_id, kind, body)])[(party, provision_id)]


def answer(store, actor: Actor, cycle_id: str, party: str, provision_id: str, body: str) -> Thread:
    """The reviewed Party answers in a provision's thread, during the desk review."""
    return post_many(store, cycle_id, [(actor, party, provision_id, "answer", body)])[(party, provision_id)]


def post_many(store, cycle_id: str, messages) -> dict[tuple[str, str], Thread]:
    """Desk review messages of one cycle's reviews, in order, each (acting user, reviewed Party,
    provision, kind, text): a 'comment' or 'question' as `ask` posts it, an 'answer' as `answer`
    does, in one transaction and a few statements (a bulk load such as the demo's). Each message is
    checked (policy, kind, text, provision, desk review under way, something to answer), refused,
    numbered in its thread and audited by its own user as if posted alone after the ones before it;
    any refusal refuses them all. Returns the threads written to, by (Party, provision)."""
    from review.cycles import cycle_questionnaire, get_cycle

    messages = [tuple(m) for m in messages]
    for actor, party, _, kind, _ in messages:
        if kind == "answer":
            require(actor, "peer.answer", party, cycle=cycle_id)
        else:
            require(actor, "peer.question", party, cycle=cycle_id)
            if kind not in MESSAGE_KINDS:
                raise ValidationFailed([Problem("message_kind", "peer.errors.bad_kind", {"value": str(kind)})])
    if not messages:
        return {}
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    in_cycle = {p.id for p in q.provisions(cycle.chapters)}
    for _, _, provision_id, _, body in messages:
        problems = _text_problems("desk_message", body, limits.DESK_MESSAGE_CHARS)
        if q.provision(provision_id) is None or provision_id not in in_cycle:
            problems.append(Problem("provision", "peer.errors.unknown_provision", {"value": str(provision_id)}))
        if problems:
            raise ValidationFailed(problems)
    with store.transaction() as cur:
        reviews = _load_many(cur, cycle_id, [m[1] for m in messages], dt.date.today(), with_experts=False)
        rids = [r.id for r in reviews.values()]
        # the threads written to, and the number of the last message in each
        pairs = list(dict.fromkeys((reviews[m[1]].id, m[2]) for m in messages))
        where = " OR ".join(["(review_id = ? AND provision_id = ?)"] * len(pairs))
        threads = {(rid, provision): tid for tid, rid, provision in cur.execute(
            f"SELECT id, review_id, provision_id FROM desk_thread WHERE {where}", [v for pair in pairs for v in pair]).fetchall()}
        numbers = {}
        if threads:
            where, params = one_of("thread_id", threads.values())
            numbers = dict(cur.execute(f"SELECT thread_id, max(number) FROM desk_message WHERE {where} GROUP BY thread_id",
                                       params).fetchall())
        new_threads, rows, entries = [], [], []
        for actor, party, provision_id, kind, body in messages:
            review = reviews[party]
            if not review.desk_open:
                raise InvalidTransition("peer.errors.desk_closed", stage=review.stage)
            thread_id = threads.get((review.id, provision_id))
            if thread_id is None:
                if kind == "answer":
                    raise InvalidTransition("peer.errors.nothing_to_answer", provision=provision_id)
                thread_id = threads[(review.id, provision_id)] = uuid.uuid4().hex[:16]
                new_threads.append((thread_id, review.id, provision_id, actor.id))
            number = numbers[thread_id] = numbers.get(thread_id, 0) + 1
            rows.append((thread_id, number, kind, _side(actor), actor.id, body.strip()))
            entries.append((actor, f"peer.desk_{kind}", "peer_review", review.id, None,
                            {"provision": provision_id, "number": number, "body": body.strip()}))
        if new_threads:
            cur.execute("INSERT INTO desk_thread VALUES " + ", ".join(["(?, ?, ?, current_timestamp, ?)"] * len(new_threads)),
                        [v for row in new_threads for v in row])
        cur.execute("INSERT INTO desk_message VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, current_timestamp)"] * len(rows)),
                    [v for row in rows for v in row])
        audit.record_each(cur, entries)
        found = _threads_many(cur, rids)
    out = {}
    for _, party, provision_id, _, _ in messages:
        rid = reviews[party].id
        out[(party, provision_id)] = next(t for t in found.get(rid, ()) if t.provision_id == provision_id)
    return out


# --- the calendar (public) and the secretariat's dashboard -----------------------------------------

@dataclass(frozen=True)
class CalendarRow:
    cycle_id: str
    party: str
    reviewing: tuple[str, ...]
    stage: str
    stages: tuple[tuple[str, dt.date | None, dt.date | None], ...]  # (stage, planned, done on)
    late: bool


def calendar(source, cycle_id: str | None = None, today: dt.date | None = None) -> list[CalendarRow]:
    """Who reviews whom and each stage's planned and completed dates: public, on the working
    database and on a published snapshot alike (never who completed a stage, nor any review's
    content)."""
    today = today or dt.date.today()
    with source.read() as cur:
        reviews = cur.execute("SELECT id, cycle_id, party, stage FROM peer_review WHERE (? IS NULL OR cycle_id = ?) "
                              "ORDER BY cycle_id, party", [cycle_id, cycle_id]).fetchall()
        ids = [r[0] for r in reviews]
        reviewing: dict[str, list[str]] = {}
        for rid, party in cur.execute("SELECT review_id, reviewing_party FROM peer_review_reviewer "
                                      "WHERE list_contains(?::VARCHAR[], review_id) "
                                      "ORDER BY same_region DESC, reviewing_party", [ids]).fetchall():
            reviewing.setdefault(rid, []).append(party)
        stages: dict[str, dict[str, tuple]] = {}
        for rid, stage, planned, done_at in cur.execute(
                "SELECT review_id, stage, planned, done_at FROM peer_review_stage "
                "WHERE list_contains(?::VARCHAR[], review_id)", [ids]).fetchall():
            stages.setdefault(rid, {})[stage] = (planned, done_at)
    out = []
    for rid, cyc, party, stage in reviews:
        found = stages.get(rid, {})
        rows = tuple((s, (found.get(s) or (None, None))[0],
                      (found.get(s) or (None, None))[1].date() if (found.get(s) or (None, None))[1] else None)
                     for s in STAGES)
        late = any(stage_late(*(found.get(s) or (None, None)), today) for s in STAGES)
        out.append(CalendarRow(cyc, party, tuple(reviewing.get(rid, ())), stage, rows, late))
    return out


@dataclass(frozen=True)
class Progress:
    review: Review
    late_stages: tuple[str, ...]
    days_late: int  # of the earliest late stage; 0 when none


def progress(store, actor: Actor, cycle_id: str | None = None, today: dt.date | None = None) -> list[Progress]:
    """Every review against its calendar, late ones first (most days late first), then by cycle and
    Party. Late is one rule (`rules.stage_late`): a planned date passed and the stage not completed."""
    require(actor, "peer.progress")
    today = today or dt.date.today()
    with store.read() as cur:
        late_rows = dict(cur.execute(
            f"SELECT st.review_id, max($today - st.planned) FROM peer_review_stage st "
            f"WHERE {stage_late_sql('st.planned', 'st.done_at', '$today')} GROUP BY st.review_id",
            {"today": today}).fetchall())
        rows = cur.execute("SELECT id, cycle_id, party, stage FROM peer_review WHERE (? IS NULL OR cycle_id = ?)",
                           [cycle_id, cycle_id]).fetchall()
        reviews = _build(cur, rows, today, with_experts=True) if rows else []
    out = [Progress(r, tuple(s.stage for s in r.stages if s.late), int(late_rows.get(r.id) or 0)) for r in reviews]
    return sorted(out, key=lambda p: (-p.days_late, p.review.cycle_id, p.review.party))


@dataclass(frozen=True)
class Workload:
    reviewing_party: str
    reviews: int
    under_way: int  # not yet published
    late: int
    experts: int


def workload(store, actor: Actor, cycle_id: str | None = None, today: dt.date | None = None) -> list[Workload]:
    """Reviews per reviewing Party: how many, how many still under way and late, and its experts
    attached; busiest first."""
    items = progress(store, actor, cycle_id, today)
    counts: dict[str, list] = {}
    for item in items:
        for party, _ in item.review.reviewing:
            entry = counts.setdefault(party, [0, 0, 0, set()])
            entry[0] += 1
            entry[1] += item.review.stage != STAGES[-1]
            entry[2] += bool(item.late_stages)
            entry[3].update(e.user_id for e in item.review.experts if e.reviewing_party == party)
    rows = [Workload(p, c[0], c[1], c[2], len(c[3])) for p, c in counts.items()]
    return sorted(rows, key=lambda w: (-w.reviews, -w.under_way, w.reviewing_party))


def status_rows(store, actor: Actor, cycle_id: str | None = None, today: dt.date | None = None) -> list[dict]:
    """Each review as plain data (`review review-status --json`): Parties, reviewing Parties and
    experts, stage, planned and completed dates, late."""
    rows = []
    for item in progress(store, actor, cycle_id, today):
        r = item.review
        rows.append({
            "review": r.id, "cycle": r.cycle_id, "party": r.party, "stage": r.stage, "next_stage": r.next_stage,
            "reviewing_parties": [{"party": p, "same_region": same} for p, same in r.reviewing],
            "experts": [{"name": e.name, "email": e.email, "party": e.reviewing_party} for e in r.experts],
            "stages": [{"stage": s.stage, "planned": s.planned.isoformat() if s.planned else None,
                        "done": s.done_at.isoformat(timespec="seconds") if s.done_at else None, "late": s.late}
                       for s in r.stages],
            "late": bool(item.late_stages), "days_late": item.days_late,
        })
    return rows



# --- tables for pages and downloads (labels in the reader's language) ------------------------------

def _names(source, lang: str) -> dict[str, str]:
    from review.parties import all_parties

    return {code: party.name(lang) for code, party in all_parties(source).items()}


def _day(value) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def calendar_table(source, cycle_id: str, lang: str = "en", today: dt.date | None = None):
    """The public calendar as a table: the Party under review, its reviewing Parties, the stage
    reached, and each stage's planned and completed dates."""
    import polars as pl

    names = _names(source, lang)
    rows = calendar(source, cycle_id, today)
    party, reviewing, reached, late = (t(k, lang) for k in ("peer.col.party", "peer.col.reviewing",
                                                            "peer.col.stage", "peer.col.late"))
    data: dict[str, list] = {party: [], reviewing: [], reached: [], late: []}
    for stage in STAGES[1:]:
        data[t("peer.col.planned", lang, stage=t(f"peer.stage.{stage}", lang))] = []
        data[t("peer.col.done", lang, stage=t(f"peer.stage.{stage}", lang))] = []
    for row in rows:
        values = [names.get(row.party, row.party), ", ".join(names.get(p, p) for p in row.reviewing),
                  t(f"peer.stage.{row.stage}", lang), row.late]
        for (stage, planned, done) in row.stages[1:]:
            values += [_day(planned), _day(done)]
        for column, value in zip(data, values):
            data[column].append(value)
    return pl.DataFrame(data, schema={c: pl.Boolean if c == late else pl.String for c in data})


def stage_table(review: Review, lang: str = "en"):
    """One review's stages: who acts, planned, completed, late."""
    import polars as pl

    return pl.DataFrame({
        t("peer.col.stage", lang): [t(f"peer.stage.{s.stage}", lang) for s in review.stages],
        t("peer.col.who_acts", lang): [t(f"peer.side.{s.side}", lang) for s in review.stages],
        t("peer.col.planned_on", lang): [_day(s.planned) for s in review.stages],
        t("peer.col.done_on", lang): [_day(s.done_at) for s in review.stages],
        t("peer.col.late", lang): [s.late for s in review.stages],
    })


def progress_table(store, actor: Actor, cycle_id: str | None = None, lang: str = "en", today: dt.date | None = None):
    """The secretariat's view of every review against the calendar, late ones first."""
    import polars as pl

    from review.cycles import list_cycles

    items = progress(store, actor, cycle_id, today)
    names = _names(store, lang)
    titles = {c.id: c.title for c in list_cycles(store)}  # a cycle by its title, as every page names it
    by_stage = {}
    for item in items:
        by_stage[item.review.id] = {s.stage: s for s in item.review.stages}
    return pl.DataFrame({
        t("peer.col.cycle", lang): [titles.get(p.review.cycle_id, p.review.cycle_id) for p in items],
        t("peer.col.party", lang): [names.get(p.review.party, p.review.party) for p in items],
        t("peer.col.reviewing", lang): [", ".join(names.get(c, c) for c, _ in p.review.reviewing) for p in items],
        t("peer.col.stage", lang): [t(f"peer.stage.{p.review.stage}", lang) for p in items],
        t("peer.col.next", lang): [t(f"peer.stage.{p.review.next_stage}", lang) if p.review.next_stage else ""
                                   for p in items],
        t("peer.col.next_planned", lang): [_day(by_stage[p.review.id][p.review.next_stage].planned)
                                           if p.review.next_stage else "" for p in items],
        t("peer.col.late_stages", lang): [", ".join(t(f"peer.stage.{s}", lang) for s in p.late_stages) for p in items],
        t("peer.col.days_late", lang): [p.days_late for p in items],
        t("peer.col.experts", lang): [len(p.review.experts) for p in items],
    }, schema_overrides={t("peer.col.days_late", lang): pl.Int64, t("peer.col.experts", lang): pl.Int64})


def workload_table(store, actor: Actor, cycle_id: str | None = None, lang: str = "en", today: dt.date | None = None):
    """Reviews per reviewing Party, busiest first."""
    import polars as pl

    rows = workload(store, actor, cycle_id, today)
    names = _names(store, lang)
    return pl.DataFrame({
        t("peer.col.reviewing_party", lang): [names.get(w.reviewing_party, w.reviewing_party) for w in rows],
        t("peer.col.reviews", lang): [w.reviews for w in rows],
        t("peer.col.under_way", lang): [w.under_way for w in rows],
        t("peer.col.late_reviews", lang): [w.late for w in rows],
        t("peer.col.experts", lang): [w.experts for w in rows],
    }, schema={t("peer.col.reviewing_party", lang): pl.String, t("peer.col.reviews", lang): pl.Int64,
               t("peer.col.under_way", lang): pl.Int64, t("peer.col.late_reviews", lang): pl.Int64,
               t("peer.col.experts", lang): pl.Int64})
