"""The synthetic demo: every possible Party, two review cycles and a realistic spread of answers.

Everything here is invented and labelled so (see `demo.label`); a seed makes it repeatable. The
demo goes through the same services as real users, so it exercises the real workflow.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from review import collector, cycles, parties, settings, submissions, users
from review.access import Actor, Role, system
from review.errors import ReviewError
from review.i18n import t
from review.questionnaire import Provision, Questionnaire, catalogue, values
from review.questionnaire.types import TYPES, of as type_of
from review.store import Store

DEMO_PASSWORD = "demo"
# the demo loader acts as a named system context, as the audit log shows it
LOADER = system("demo loader")
DEMO_DOMAIN = "demo.example.org"
SECRETARIAT_EMAIL = f"secretariat@{DEMO_DOMAIN}"
# Parties whose demo accounts the login page offers: one per regional group, in varied states.
SHOWCASE = {"KEN": "draft", "VNM": "returned", "COL": "draft", "NZL": "submitted", "POL": "published"}
DATA_TABLES = ("recommendation_followup", "review_summary", "review_report_item", "review_report_text", "review_report",
               "desk_message", "desk_thread", "peer_dialogue", "peer_review_expert", "review_draw_detail",
               "review_draw", "peer_review_stage", "peer_review_reviewer", "peer_review", "invitation", "login_attempt", "answer_draft", "revision_answer", "revision", "comment", "answer", "submission", "cycle", "app_user", "audit_log", "setting")

CAPACITY = {"WEOG": 0.85, "EEG": 0.7, "GRULAC": 0.55, "APG": 0.55, "AFR": 0.45}
LAWS = {
    "I": ["Constitution", "Cybersecurity Act"],
    "II": ["Cybercrime Act", "Penal Code", "Child Protection Act", "Anti-Money Laundering Act"],
    "III": ["Penal Code", "Cybercrime Act"],
    "IV": ["Criminal Procedure Code", "Cybercrime Act", "Witness Protection Act", "Proceeds of Crime Act"],
    "V": ["Mutual Legal Assistance in Criminal Matters Act", "Extradition Act", "Data Protection Act"],
    "VI": ["National Cybersecurity Strategy", "Education Act"],
    "VII": ["International Cooperation Policy"],
    "IX": ["Cybercrime Act"],
}
STEPS = [
    "A draft amendment is before parliament.",
    "An inter-ministerial working group is reviewing the legislation.",
    "Implementing regulations still have to be adopted.",
    "Training of investigators and prosecutors is planned for next year.",
]
REASONS = [
    "Considered by the inter-ministerial working group on cybercrime; existing arrangements already meet the need.",
    "Weighed against the available resources; to be reconsidered in the next national cybercrime strategy.",
    "Considered during the drafting of the cybercrime law; the legislature decided against it for now.",
]
EXAMPLES = [
    "In a recent case the national cybercrime unit traced a ransomware group and secured convictions.",
    "Courts have applied the provision in several cases involving online fraud.",
    "Guidelines for prosecutors were issued and are used in daily practice.",
]
TA_TEXT = [
    "Support to draft amendments aligned with the Convention.",
    "Training for judges and prosecutors on electronic evidence.",
    "Forensic laboratory equipment and training.",
    "Peer exchange with a State that has implemented this provision.",
]
PROVIDERS = ["UNODC", "Council of Europe", "INTERPOL", "European Union", "World Bank", "A partner State"]


@dataclass
class DemoSummary:
    parties: int
    cycles: list[str]
    users: int
    states: dict[str, int]


def demo_accounts(store: Store) -> list[users.User]:
    """The accounts the login page offers (password `DEMO_PASSWORD`), only while the database holds
    the demo: a real installation never lists any account."""
    if not settings.is_demo(store):
        return []
    from review.matching.demo import PROVIDER_ACCOUNTS

    wanted = [SECRETARIAT_EMAIL] + [f"{code.lower()}.{kind}@{DEMO_DOMAIN}" for code in SHOWCASE
                                    for kind in ("focal", Role.CONTRIBUTOR.value, Role.OBSERVER.value)]
    wanted += list(PROVIDER_ACCOUNTS)
    by_email = {user.email: user for user in users.list_users(store, LOADER)}
    # the experts of the demo's peer reviews (review.peer.demo), one per reviewing Party
    wanted += sorted(e for e, u in by_email.items() if u.role is Role.REVIEWER and e.endswith(f"@{DEMO_DOMAIN}"))
    found = [by_email.get(email) for email in wanted]
    return [user for user in found if user is not None and user.active]


def is_empty(store: Store) -> bool:
    with store.read() as cur:
        return not any(cur.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in ("cycle", "app_user", "answer"))


def _clear(store: Store) -> None:
    with store.transaction() as cur:
        for table in DATA_TABLES:
            cur.execute(f"DELETE FROM {table}")


def _capacity(party: parties.Party, rng: random.Random) -> float:
    base = CAPACITY.get(party.regional_group or "", 0.6)
    base -= 0.2 if party.ldc else 0
    base -= 0.1 if party.sids else 0
    return min(0.97, max(0.05, base + rng.uniform(-0.2, 0.2)))


def _table_row(columns, rng: random.Random, code: str, q: Questionnaire) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in columns:
        role = type_of(column).analysis
        if role == "category":
            row[column.id] = rng.choice(q.code_lists[column.code_list].codes)
        elif role == "text":
            row[column.id] = f"{column.id.replace('_', ' ').capitalize()} ({code})"
        elif role == "link":
            row[column.id] = f"https://{DEMO_DOMAIN}/{code.lower()}/{column.id}"
        elif role in ("quantity", "year"):
            row[column.id] = rng.randint(2015, 2026) if role == "year" else rng.randint(1, 50)
    return row


# what each question type stores, looked up for every question of every provision the demo answers
_STORED = {name: kind.stored for name, kind in TYPES.items()}


def _answers_for(provision: Provision, party: parties.Party, capacity: float, q: Questionnaire, rng: random.Random) -> dict[tuple[str, str], Any]:
    """One provision's answers, shaped like a real Party's: better capacity, more implemented."""
    roll = rng.random()
    status_question = provision.question("status")
    offered = q.offered(status_question) if status_question else ()
    if provision.obligation == "optional" and rng.random() < 0.25:
        # a State that chose not to use an option says so where the questionnaire lets it (1.1)
        status = "option_not_used" if "option_not_used" in offered else "not_applicable"
    elif roll < capacity:
        status = "implemented"
    elif roll < capacity + (1 - capacity) * 0.55:
        status = "partly_implemented"
    elif "considered_not_adopted" in offered and rng.random() < 0.5:
        status = "considered_not_adopted"
    else:
        status = "not_implemented" if "not_implemented" in offered or not offered else "option_not_used"
    out: dict[tuple[str, str], Any] = {}
    for question in provision.questions:
        qid = question.id
        key = (provision.id, qid)
        stored = _STORED[question.type]
        if qid == "status":
            out[key] = status
        elif qid == "legislation" and status in ("implemented", "partly_implemented"):
            law = rng.choice(LAWS.get(provision.chapter, ["Cybercrime Act"]))
            year = rng.randint(2001, 2025)
            out[key] = [{
                "title": f"{law} {year}",
                "provision_cited": f"s. {rng.randint(1, 120)}",
                "year": year,
                "status": "in_force" if status == "implemented" or rng.random() < 0.6 else "draft",
                "link": f"https://{DEMO_DOMAIN}/{party.code.lower()}/{law.lower().replace(' ', '-')}-{year}",
            }]
        elif qid == "steps_needed" and status in ("partly_implemented", "not_implemented"):
            out[key] = rng.choice(STEPS)
        elif qid == "examples" and status == "implemented" and rng.random() < 0.4:
            out[key] = rng.choice(EXAMPLES)
        elif qid == "statistics" and status == "implemented" and provision.chapter in ("II", "IV", "V") and rng.random() < 0.3:
            indicators = q.code_lists[question.columns[0].code_list].codes
            out[key] = [{"indicator": rng.choice(indicators[:5]), "year": 2025, "value": rng.randint(3, 900)}]
        elif qid == "challenges" and status in ("partly_implemented", "not_implemented"):
            codes = [c for c in q.code_lists[question.code_list].codes if c != "other"]
            out[key] = rng.sample(codes, rng.randint(1, 3))
        elif qid == "ta_needs" and status in ("partly_implemented", "not_implemented") and rng.random() < 0.7 - capacity / 3:
            types = [c for c in q.code_lists["ta_type"].codes if c != "other"]
            out[key] = [
                {"type": rng.choice(types), "priority": rng.choice(["high", "high", "medium", "low"]), "description": rng.choice(TA_TEXT)}
                for _ in range(rng.randint(1, 2))
            ]
        elif qid == "ta_received" and rng.random() < 0.08:
            out[key] = [{"type": rng.choice(q.code_lists["ta_type"].codes[:9]), "provider": rng.choice(PROVIDERS), "year": rng.randint(2019, 2026)}]
        elif qid == "ta_received" and out.get((provision.id, "ta_needs")):
            # some needs are already being met: assistance of the need's own type received there (a
            # stream of its own, so the rest of the demo draws what it always drew)
            aside = random.Random(f"received/{party.code}/{provision.id}")
            if aside.random() < 0.3:
                need = out[(provision.id, "ta_needs")][0]
                out[key] = [{"type": need["type"], "provider": aside.choice(PROVIDERS), "year": aside.randint(2022, 2026)}]
        elif qid == "reasons" and status == "considered_not_adopted":
            out[key] = rng.choice(REASONS)
        elif qid == "designation" and status in ("implemented", "partly_implemented"):
            out[key] = "designated" if status == "implemented" or rng.random() < 0.5 else "not_yet_designated"
        elif stored == "boolean" and rng.random() < 0.5:
            out[key] = rng.random() < 0.6
        elif stored == "rows" and (question.required or (
                question.required_when and values.is_required(question, {k[1]: v for k, v in out.items()}))):
            out[key] = [_table_row(question.columns, rng, party.code, q)]
    return out


def _spread(codes: list[str], shares: dict[str, float], rng: random.Random) -> dict[str, str]:
    shuffled = codes[:]
    rng.shuffle(shuffled)
    states: dict[str, str] = {}
    start = 0
    for state, share in shares.items():
        count = round(len(codes) * share)
        states.update({code: state for code in shuffled[start:start + count]})
        start += count
    states.update({code: "draft" for code in shuffled[start:]})
    return states


@dataclass
class _Course:
    """What one Party does in a cycle, drawn in the order the demo has always drawn it."""

    party: str
    state: str
    answers: dict[tuple[str, str], Any]
    consent: bool = False
    returned: bool = False
    example: str | None = None


def _course(cycle: cycles.Cycle, q: Questionnaire, party: parties.Party, state: str, rng: random.Random,
            capacity: float) -> _Course:
    """One Party's answers and the steps its submission takes to `state`."""
    course = _Course(party.code, state, {})
    if state == "not_started":
        return course
    answers: dict[tuple[str, str], Any] = {}
    for provision in q.assessed_provisions(cycle.chapters):
        answers.update(_answers_for(provision, party, capacity, q, rng))
    if state == "draft":
        keep = rng.uniform(0.2, 0.9)
        provisions = sorted({k[0] for k in answers})
        kept = set(provisions[: int(len(provisions) * keep)])
        answers = {k: v for k, v in answers.items() if k[0] in kept}
    course.answers = answers
    if state == "draft":
        return course
    course.consent = rng.random() < 0.8
    if state == "submitted":
        return course
    course.returned = state == "returned" or rng.random() < 0.2
    if course.returned and state != "returned":
        course.example = rng.choice(EXAMPLES)
    return course


def _play(store: Store, cycle: cycles.Cycle, q: Questionnaire, courses: list[_Course], focal: dict[str, Actor]) -> None:
    """Take the Parties' submissions through the real workflow, each step for all of them at once
    (`submissions.save_many`, `submit_many`, ...: the same checks, revisions and audit entries as
    one by one). The focal points act on their own Party's submissions (each checked by the policy)."""
    started = [c for c in courses if c.state != "not_started"]
    saved = submissions.save_many(store, cycle.id, {c.party: (focal[c.party], 0, c.answers) for c in started})
    sent = [c for c in started if c.state != "draft"]
    submissions.submit_many(store, cycle.id, {c.party: (focal[c.party], c.consent) for c in sent})
    first = q.assessed_provisions(cycle.chapters)[0].id
    back = [c for c in sent if c.returned]
    if back:
        submissions.return_many(store, LOADER, cycle.id, {c.party: {
            first: "Please cite the article of the law that implements this provision.",
            None: "Thank you; one point needs clarification."} for c in back})
    again = [c for c in back if c.state != "returned"]
    submissions.save_many(store, cycle.id, {c.party: (focal[c.party], saved[c.party].seq, {(first, "examples"): c.example})
                                            for c in again})
    submissions.submit_many(store, cycle.id, {c.party: (focal[c.party], c.consent) for c in again})
    submissions.validate_many(store, LOADER, cycle.id, [c.party for c in sent if c.state in ("validated", "published")])
    submissions.publish_many(store, LOADER, cycle.id, [c.party for c in sent if c.state == "published"])


def _matching(store: Store, password_hash: str) -> None:
    """TA offers, the Parties' languages for TA and the provider accounts (review.matching.demo)."""
    from review.matching.demo import create_provider_accounts, load_demo_offers

    load_demo_offers(store)
    create_provider_accounts(store, password_hash)


def _draw_lots(store: Store, cycle: cycles.Cycle, seed: int) -> None:
    """The drawing of lots for the main cycle, so that its reviews exist for the reviewers' stages.
    The demo records no treaty status (it invents none), so the States taking part in the cycle are
    the ones that may review; the other rules are the installation's."""
    from review.peer import lots

    rules = lots.Rules(**{**lots.default_rules().as_dict(), "reviewers": "cycle_participants"})
    lots.draw(store, LOADER, cycle.id, seed=seed * 1000 + 2026, rules=rules, on=cycle.opens)


def load_demo(store: Store, seed: int = 7, replace: bool = False) -> DemoSummary:
    """Fill the database with the synthetic demo; refuses a database holding data unless `replace`.
    The cycle collector is paused meanwhile (`review.collector`): a fifth of the load was full
    collections set off by the answers being checked, encoded and written."""
    with collector.paused(), store.batch():
        if not is_empty(store):
            if not replace:
                raise ReviewError("errors.database_not_empty")
            _clear(store)
        return _load(store, seed)


def _load(store: Store, seed: int) -> DemoSummary:
    rng = random.Random(seed)
    parties.load_reference(store)
    catalogue_ = catalogue()
    for questionnaire in catalogue_.values():
        cycles.register_questionnaire(store, LOADER, questionnaire)
    q = catalogue_[("uncc-self-assessment", "1.0")]
    # the main cycle runs on version 1.1 (paragraph-level provisions, statuses that respect options);
    # the pilot stays on 1.0, and the change dashboard compares the two through 1.1's map of 1.0
    q11 = catalogue_[("uncc-self-assessment", "1.1")]
    everyone = parties.all_parties(store)
    codes = sorted(everyone)

    digest = users.hash_password(DEMO_PASSWORD)
    users.create_user(store, LOADER, email=SECRETARIAT_EMAIL, name="Demo Secretariat Officer", role=Role.SECRETARIAT, password_hash=digest)

    pilot_parties = sorted(rng.sample(codes, 60))
    main_parties = sorted(set(rng.sample(codes, 150)) | set(SHOWCASE))
    pilot = cycles.create_cycle(
        store, LOADER, cycle_id="pilot-2025", title=t("demo.cycle_title_pilot"), questionnaire_id=q.id,
        questionnaire_version=q.version, chapters=["II", "IV"], parties=pilot_parties,
        opens=dt.date(2025, 3, 1), deadline=dt.date(2025, 9, 30),
    )
    main = cycles.create_cycle(
        store, LOADER, cycle_id="review-2026", title=t("demo.cycle_title_main"), questionnaire_id=q11.id,
        questionnaire_version=q11.version, chapters=[c.number for c in q11.chapters], parties=main_parties,
        opens=dt.date(2026, 3, 1), deadline=dt.date(2026, 10, 31),
    )
    # every focal point, then the showcase Parties' other users, created together (`users.create_users`)
    focal_codes = sorted(set(pilot_parties) | set(main_parties))
    accounts = [users.NewAccount(f"{code.lower()}.focal@{DEMO_DOMAIN}", f"Focal point, {everyone[code].name()}",
                                 Role.FOCAL_POINT, code, password_hash=digest) for code in focal_codes]
    accounts += [users.NewAccount(f"{code.lower()}.{role.value}@{DEMO_DOMAIN}", f"{t(f'roles.{role.value}')}, {everyone[code].name()}",
                                  role, code, password_hash=digest)
                 for code in SHOWCASE for role in (Role.CONTRIBUTOR, Role.OBSERVER)]
    created = users.create_users(store, LOADER, accounts)
    focal_points: dict[str, Actor] = {code: user.actor for code, user in zip(focal_codes, created)}

    capacities = {code: _capacity(everyone[code], rng) for code in codes}
    pilot_states = _spread(pilot_parties, {"published": 0.75, "validated": 0.15}, rng)
    main_states = _spread(
        [c for c in main_parties if c not in SHOWCASE],
        {"published": 0.25, "validated": 0.15, "submitted": 0.15, "returned": 0.08, "not_started": 0.12},
        rng,
    )
    main_states.update(SHOWCASE)
    plays = []
    for cycle, version, states, bonus in ((pilot, q, pilot_states, -0.1), (main, q11, main_states, 0.0)):
        plays.append((cycle, version, [_course(cycle, version, everyone[code], states[code], rng, min(0.97, capacities[code] + bonus))
                                       for code in sorted(states)]))
    for cycle, version, courses in plays:
        _play(store, cycle, version, courses, focal_points)

    _matching(store, digest)
    _draw_lots(store, main, seed)
    from review.peer.demo import load_demo_reviews

    load_demo_reviews(store, digest, seed)
    with store.transaction() as cur:
        settings.put(cur, settings.DEMO, "true")
    counts: dict[str, int] = {}
    for state in main_states.values():
        counts[state] = counts.get(state, 0) + 1
    with store.read() as cur:
        n_users = cur.execute("SELECT count(*) FROM app_user").fetchone()[0]
    return DemoSummary(len(codes), [pilot.id, main.id], n_users, counts)
