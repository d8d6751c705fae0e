"""The synthetic demo's peer reviews: one review at every stage in the main cycle, each with an
expert account per reviewing Party (shown on the demo's login page), desk review threads, a
constructive dialogue, planned dates around the day the demo is loaded and a late review.

The reviews are the drawing of lots' (the demo draws the main cycle first: `review.demo._draw_lots`);
this takes some of them through the stages. Everything goes through the services, each stage
completed by whom the policy names (the loader for the secretariat's stages).
"""

from __future__ import annotations

import datetime as dt
import random

from review import users
from review.access import Role, system
from review.cycles import cycle_questionnaire, get_cycle
from review.parties import all_parties
from review.peer import DRAWN, STAGES
from review.peer import report
from review.peer import reviews as rv
from review.submissions import list_submissions

LOADER = system("demo loader")
CYCLE = "review-2026"
DOMAIN = "demo.example.org"
# Parties the demo's login page shows, at the stage their review has reached
SHOWN = {"KEN": DRAWN, "NZL": "submitted", "POL": "draft_report"}
# the other stages, each for one more Party whose self-assessment is validated or published
OTHERS = ("submitted", "desk_review", "dialogue", "agreed", "summary", "published")
QUESTIONS = [
    "Please cite the article of the law that implements this provision and say when it entered into force.",
    "Are there court decisions applying this provision? Statistics for the last three years would help.",
    "Which authority is responsible for applying this provision in practice?",
]
ANSWERS = [
    "Section 12 of the Cybercrime Act, in force since 2021; the text is attached to our answer.",
    "Two judgments of the High Court (2023 and 2024) apply it; statistics follow by the end of the month.",
]


def reviewer_email(code: str) -> str:
    return f"{code.lower()}.reviewer@{DOMAIN}"


def load_demo_reviews(store, password_hash: str, seed: int = 7, today: dt.date | None = None) -> list[str]:
    """Reviews at every stage in the main cycle; returns the reviewed Parties, in stage order."""
    today = today or dt.date.today()
    rng = random.Random(seed * 31 + 15)
    everyone = all_parties(store)
    states = {s.party: s.state for s in list_submissions(store, CYCLE)}
    with store.read() as cur:
        drawn = {r[0] for r in cur.execute("SELECT party FROM peer_review WHERE cycle_id = ? AND stage = ?",
                                           [CYCLE, DRAWN]).fetchall()}
    targets = {party: stage for party, stage in SHOWN.items() if party in drawn}
    ready = sorted(p for p in drawn if states.get(p) in ("validated", "published") and p not in targets)
    for stage, party in zip(OTHERS, rng.sample(ready, min(len(OTHERS), len(ready)))):
        targets[party] = stage

    cycle = get_cycle(store, CYCLE)
    provisions = [p.id for p in cycle_questionnaire(store, cycle).assessed_provisions(cycle.chapters)]
    experts: dict[str, str] = {}
    order = sorted(targets, key=lambda p: (STAGES.index(targets[p]), p))
    for party in order:
        review = rv.get_review(store, LOADER, CYCLE, party)
        for code, _ in review.reviewing:
            if code not in experts:
                found = users.find_by_email(store, reviewer_email(code))
                experts[code] = (found or users.create_user(
                    store, LOADER, email=reviewer_email(code), name=f"Reviewer, {everyone[code].name()}",
                    role=Role.REVIEWER, party=code, password_hash=password_hash)).id
            rv.assign_expert(store, LOADER, CYCLE, party, experts[code])
        _plan(store, party, targets[party], today, late=targets[party] == "submitted" and party not in SHOWN)
        _walk(store, party, targets[party], provisions, experts[review.reviewing[0][0]], rng)
    return order


def _plan(store, party: str, target: str, today: dt.date, late: bool) -> None:
    """Planned dates around today: the stages done in the past, the next ones ahead (or, for the
    late review, its next stage planned three weeks ago)."""
    reached = STAGES.index(target)
    planned = {}
    for i, stage in enumerate(STAGES[1:], start=1):
        offset = (i - reached - 1) * 45 + 30 if i > reached else -(reached - i + 1) * 30
        planned[stage] = today + dt.timedelta(days=offset)
    if late and reached + 1 < len(STAGES):
        planned[STAGES[reached + 1]] = today - dt.timedelta(days=21)
    rv.plan(store, LOADER, CYCLE, party, planned)


def _walk(store, party: str, target: str, provisions: list[str], expert_id: str, rng: random.Random) -> None:
    """Complete the stages up to `target`, each by whom acts, with desk review threads and a dialogue."""
    reviewer = users.get_user(store, expert_id).actor
    focal = users.find_by_email(store, f"{party.lower()}.focal@{DOMAIN}").actor
    # the review left at its desk review shows a full thread set; the others one question answered
    asked = rng.sample(provisions, 3 if target == "submitted" else 1)
    for stage in STAGES[1:STAGES.index(target) + 1]:
        if stage == "dialogue":
            start = dt.date.today() - dt.timedelta(days=40)
            rv.record_dialogue(store, LOADER, CYCLE, party, kind=rng.choice(rv.DIALOGUE_KINDS), starts=start,
                               ends=start + dt.timedelta(days=2), place="Synthetic demo venue",
                               participants="Experts of both reviewing Parties; national authorities; the secretariat",
                               notes="Synthetic demo notes: the legislation was discussed provision by provision.")
        who = {"peer.stage": LOADER, "peer.conclude": reviewer, "peer.agree": focal}[rv.STAGE_ACTION[stage]]
        if stage == "draft_report":  # the reviewers draft the country report from the answers: the stage
            report.draft_report(store, reviewer, CYCLE, party, "en")
        elif stage == "agreed":  # the focal point agrees to the report, and to publishing it in full
            report.agree(store, focal, CYCLE, party, full_report_public=True)
        else:  # the report's other steps (summary, published) are its stages too
            report.complete_step(store, who, CYCLE, party, stage)
        if stage == "submitted":
            # the desk review: its questions, all answered unless the review stays at it (one then waits)
            for i, provision in enumerate(asked):
                rv.ask(store, reviewer, CYCLE, party, provision, QUESTIONS[i])
                if target != "submitted" or i < len(asked) - 1:
                    rv.answer(store, focal, CYCLE, party, provision, ANSWERS[i % len(ANSWERS)])
            if target == "submitted":
                rv.ask(store, reviewer, CYCLE, party, asked[0], "Thank you, this answers the question.", kind="comment")
