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
    """Reviews at every stage in the main cycle; returns the reviewed Parties, in stage order.

    Each step is taken for all the reviews that take it at once, through the library's bulk calls
    (`reviews.assign_experts`, `plan_many`, `post_many`, `record_dialogues`, `report.complete_steps`,
    `draft_reports`:
    the same checks, rows and audit entries as one review at a time), stage after stage; the random
    choices are drawn first, review after review, in the order the demo has always drawn them."""
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
    order = sorted(targets, key=lambda p: (STAGES.index(targets[p]), p))
    reviews = {r.party: r for r in rv.reviews_for(store, LOADER, CYCLE) if r.party in targets}
    # an expert account per reviewing Party (one already there is kept), attached to each review
    codes = list(dict.fromkeys(code for party in order for code, _ in reviews[party].reviewing))
    accounts = {u.email: u for u in users.list_users(store, LOADER)}
    missing = [code for code in codes if reviewer_email(code) not in accounts]
    created = users.create_users(store, LOADER, [users.NewAccount(
        reviewer_email(code), f"Reviewer, {everyone[code].name()}", Role.REVIEWER, code, password_hash=password_hash)
        for code in missing])
    experts = {code: accounts[reviewer_email(code)].id for code in codes if code not in missing}
    experts.update({code: user.id for code, user in zip(missing, created)})
    rv.assign_experts(store, LOADER, CYCLE, [(party, experts[code]) for party in order
                                             for code, _ in reviews[party].reviewing])
    rv.plan_many(store, LOADER, CYCLE, {party: _planned(party, targets[party], today) for party in order})
    _walk(store, order, targets, provisions, {party: experts[reviews[party].reviewing[0][0]] for party in order}, rng)
    return order


def _planned(party: str, target: str, today: dt.date) -> dict[str, dt.date]:
    """Planned dates around today: the stages done in the past, the next ones ahead (or, for the
    late review, the one left at its desk review, its next stage planned three weeks ago)."""
    reached = STAGES.index(target)
    planned = {}
    for i, stage in enumerate(STAGES[1:], start=1):
        offset = (i - reached - 1) * 45 + 30 if i > reached else -(reached - i + 1) * 30
        planned[stage] = today + dt.timedelta(days=offset)
    if target == "submitted" and party not in SHOWN and reached + 1 < len(STAGES):
        planned[STAGES[reached + 1]] = today - dt.timedelta(days=21)
    return planned


def _walk(store, order: list[str], targets: dict[str, str], provisions: list[str], expert_ids: dict[str, str],
          rng: random.Random) -> None:
    """Complete the stages up to each review's target, stage after stage for all the reviews that
    reach it, each by whom acts, with desk review threads and a dialogue."""
    accounts = {u.id: u for u in users.list_users(store, LOADER)}
    by_email = {u.email: u for u in accounts.values()}
    reviewer = {party: accounts[expert_ids[party]].actor for party in order}
    focal = {party: by_email[f"{party.lower()}.focal@{DOMAIN}"].actor for party in order}
    # the random choices, review after review as they were always drawn: the review left at its desk
    # review shows a full thread set, the others one question answered; the dialogue's kind
    asked, kinds = {}, {}
    for party in order:
        asked[party] = rng.sample(provisions, 3 if targets[party] == "submitted" else 1)
        if STAGES.index(targets[party]) >= STAGES.index("dialogue"):
            kinds[party] = rng.choice(rv.DIALOGUE_KINDS)
    for i, stage in enumerate(STAGES[1:], start=1):
        these = [party for party in order if STAGES.index(targets[party]) >= i]
        if not these:
            continue
        if stage == "dialogue":
            start = dt.date.today() - dt.timedelta(days=40)
            rv.record_dialogues(store, LOADER, CYCLE, {party: dict(
                kind=kinds[party], starts=start, ends=start + dt.timedelta(days=2), place="Synthetic demo venue",
                participants="Experts of both reviewing Parties; national authorities; the secretariat",
                notes="Synthetic demo notes: the legislation was discussed provision by provision.") for party in these})
        who = {"peer.stage": dict.fromkeys(these, LOADER), "peer.conclude": reviewer,
               "peer.agree": focal}[rv.STAGE_ACTION[stage]]
        if stage == "draft_report":  # the reviewers draft the country report from the answers: the stage
            report.draft_reports(store, CYCLE, {party: (reviewer[party], "en") for party in these})
        elif stage == "agreed":  # the focal point agrees to the report, and to publishing it in full
            report.complete_steps(store, CYCLE, {party: (focal[party], stage) for party in these},
                                  full_report_public=dict.fromkeys(these, True))
        else:  # the other stages, the report's (summary, published) as the others
            report.complete_steps(store, CYCLE, {party: (who[party], stage) for party in these})
        if stage == "submitted":
            # the desk review: its questions, all answered unless the review stays at it (one then waits)
            messages = []
            for party in these:
                target = targets[party]
                for n, provision in enumerate(asked[party]):
                    messages.append((reviewer[party], party, provision, "question", QUESTIONS[n]))
                    if target != "submitted" or n < len(asked[party]) - 1:
                        messages.append((focal[party], party, provision, "answer", ANSWERS[n % len(ANSWERS)]))
                if target == "submitted":
                    messages.append((reviewer[party], party, asked[party][0], "comment",
                                     "Thank you, this answers the question."))
            rv.post_many(store, CYCLE, messages)
