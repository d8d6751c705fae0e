"""Synthetic TA offers for the demo: UNODC, donor States and organizations, the languages in which
each demo Party receives assistance, a few standalone requests, a few partners already chosen, so
that the matching report is populated in every state, and a provider account for two organizations.

Invented like the rest of the demo; goes through the same library functions as real users.
"""

from __future__ import annotations

import datetime as dt
import random

from review import users
from review.access import Role, system
from review.matching.matches import Step, act_many
from review.matching.registry import OfferInput, RequestInput, file_request, register_offers, set_languages_many
from review.matching.report import match_report
from review.i18n import t
from review.store import Store
from review.demo import LOADER



TABLES = ("ta_match", "ta_request", "ta_preference", "ta_offer", "ta_publication")
GROUP_LANGUAGES = {"AFR": ["en", "fr", "ar"], "APG": ["en", "zh", "ar"], "EEG": ["ru", "en"], "GRULAC": ["es", "en"],
                   "WEOG": ["en", "fr"]}
ALL = ["en", "fr", "es", "ru", "zh", "ar"]
START, END = dt.date(2026, 1, 1), dt.date(2028, 12, 31)
# e-mail -> the organization the provider account acts for, as the demo's offers name it
PROVIDER_ACCOUNTS = {
    "unodc.provider@demo.example.org": "UNODC Global Programme on Cybercrime",
    "coe.provider@demo.example.org": "Council of Europe (C-PROC)",
}


def _offer(provider, kind, role, types, capacity, party=None, **more) -> OfferInput:
    return OfferInput(provider=provider, provider_kind=kind, role=role, types=types, capacity=capacity, provider_party=party,
                      starts=START, ends=END, **more)


OFFERS = [
    _offer("UNODC Global Programme on Cybercrime", "unodc", "implementing",
           ["legislative_assessment", "legislative_drafting", "legal_advice", "model_legislation"], 30,
           languages=ALL, modalities=["remote", "on_site"], description="Legislative assistance for the Convention."),
    _offer("UNODC Global Programme on Cybercrime", "unodc", "implementing",
           ["capacity_building", "e_evidence_forensics", "good_practices"], 25, chapters=["II", "IV", "V"],
           languages=["en", "fr", "es", "ar"], modalities=["on_site", "regional_workshop"],
           description="Training for investigators, prosecutors and judges."),
    _offer("UNODC Regional Office for Southeast Asia and the Pacific", "unodc", "implementing",
           ["capacity_building", "action_plan", "incident_response"], 12, regions=["APG"], languages=["en", "zh"],
           modalities=["regional_workshop"]),
    _offer("Council of Europe (C-PROC)", "organization", "implementing",
           ["legislative_assessment", "capacity_building", "e_evidence_forensics"], 20, chapters=["II", "IV", "V"],
           languages=["en", "fr", "es"], modalities=["remote", "on_site", "regional_workshop"]),
    _offer("INTERPOL", "organization", "implementing", ["e_evidence_forensics", "incident_response", "capacity_building"], 15,
           chapters=["IV", "V"], languages=["en", "fr", "es", "ar"], modalities=["on_site"]),
    _offer("World Bank", "organization", "funding", ["action_plan", "critical_infrastructure_protection", "data_security"], 8,
           regions=["AFR", "APG", "GRULAC"], languages=["en", "fr", "es"]),
    _offer("European Union (Global Action on Cybercrime)", "organization", "funding",
           ["legislative_drafting", "capacity_building", "e_evidence_forensics"], 18, regions=["AFR", "APG", "GRULAC"],
           languages=["en", "fr", "es"], modalities=["on_site", "regional_workshop"]),
    _offer("Organization of American States", "organization", "implementing", ["capacity_building", "incident_response",
                                                                               "awareness_raising"], 10,
           regions=["GRULAC"], languages=["es", "en"], modalities=["regional_workshop", "remote"]),
    _offer("African Union Commission", "organization", "implementing", ["action_plan", "awareness_raising", "good_practices"], 8,
           regions=["AFR"], languages=["en", "fr", "ar"]),
    _offer("United Kingdom", "party", "funding", ["legislative_drafting", "capacity_building"], 10, "GBR",
           regions=["AFR", "APG", "GRULAC"], languages=["en"], modalities=["remote", "on_site"]),
    _offer("United States", "party", "implementing", ["e_evidence_forensics", "capacity_building", "incident_response"], 12,
           "USA", chapters=["II", "IV"], languages=["en", "es"], modalities=["on_site"]),
    _offer("Japan", "party", "funding", ["capacity_building", "critical_infrastructure_protection", "data_security"], 8, "JPN",
           regions=["APG"], languages=["en"], modalities=["regional_workshop", "on_site"]),
    _offer("Australia", "party", "implementing", ["legislative_assessment", "capacity_building", "incident_response"], 8, "AUS",
           regions=["APG"], languages=["en"], modalities=["remote", "on_site"]),
    _offer("Republic of Korea", "party", "implementing", ["e_evidence_forensics", "incident_response"], 6, "KOR",
           regions=["APG", "AFR"], languages=["en"], modalities=["on_site"]),
    _offer("China", "party", "implementing", ["capacity_building", "data_security", "e_evidence_forensics"], 10, "CHN",
           regions=["APG", "AFR"], languages=["zh", "en"], modalities=["on_site", "regional_workshop"]),
    _offer("France", "party", "implementing", ["legislative_drafting", "legal_advice", "capacity_building"], 8, "FRA",
           regions=["AFR"], languages=["fr"], modalities=["remote", "on_site"]),
    _offer("Spain", "party", "implementing", ["legislative_assessment", "capacity_building"], 6, "ESP", regions=["GRULAC"],
           languages=["es"], modalities=["remote"]),
    _offer("Estonia", "party", "implementing", ["incident_response", "critical_infrastructure_protection"], 5, "EST",
           languages=["en", "ru"], modalities=["remote", "on_site"]),
    _offer("Singapore", "party", "implementing", ["incident_response", "awareness_raising"], 5, "SGP", regions=["APG"],
           languages=["en"], modalities=["regional_workshop"]),
    _offer("Netherlands", "party", "funding", ["legal_advice", "good_practices", "awareness_raising"], 6, "NLD",
           languages=["en", "fr", "es"], modalities=["remote"]),
    _offer("Russian Federation", "party", "implementing", ["capacity_building", "legislative_assessment"], 6, "RUS",
           regions=["EEG", "APG"], languages=["ru", "en"], modalities=["on_site"]),
    _offer("Brazil", "party", "implementing", ["capacity_building", "good_practices"], 5, "BRA", regions=["GRULAC"],
           languages=["es", "en"], modalities=["regional_workshop"]),
]


REQUESTS = [
    RequestInput("KEN", "e_evidence_forensics", "high", "Training for the new digital forensics laboratory of the police.",
                 article=29, languages=["en"], modality="on_site", needed_by=dt.date(2027, 6, 30)),
    RequestInput("VNM", "incident_response", "medium", "Exercise for the national CERT with regional partners.",
                 chapter="VI", languages=["en"], modality="regional_workshop"),
    RequestInput("COL", "legislative_drafting", "high", "Review of the draft cybercrime bill before it goes to Congress.",
                 article=7, languages=["es"], modality="remote"),
]


def _choose(store: Store, count: int = 4):
    """A few Parties accept their suggested partner, and one of those engagements has started; the
    report they chose from, and the needs they accepted a partner for. The steps are taken together
    (`act_many`: each checked and audited as alone, by its own user)."""
    report = match_report(store, LOADER)
    steps: list[Step] = []
    accepted: list[str] = []
    for line in report.lines:
        if line["state"] != "suggested" or len(accepted) >= count:
            continue
        user = users.find_by_email(store, f"{line['party'].lower()}.focal@demo.example.org")
        if user is None:
            continue
        steps.append(Step(user.actor, line["need_key"], line["offer_id"], "accept"))
        if not accepted:
            steps.append(Step(LOADER, line["need_key"], line["offer_id"], "start"))
        accepted.append(line["need_key"])
    act_many(store, steps)
    return report, set(accepted)


def _publish(store: Store, report, accepted: set[str]) -> None:
    """What the demo's public TA page shows: the Parties that accepted a partner publish those needs,
    Kenya and Viet Nam their standalone requests, and the organizations their offers (each by
    whoever may publish it: a Party's focal point, the installation for the organizations' offers).
    `report` is the one `_choose` chose from (its needs are today's; the accepted ones are
    `accepted`), so the matching is not computed again."""
    from review.matching.publication import publish_needs, publish_offers

    chosen: dict[str, list[str]] = {}
    for line in report.lines:
        if line["need_key"] in accepted or (
                line["need_key"].startswith("r:") and line["party"] in ("KEN", "VNM")):
            chosen.setdefault(line["party"], []).append(line["need_key"])
    for party, keys in sorted(chosen.items()):
        user = users.find_by_email(store, f"{party.lower()}.focal@demo.example.org")
        if user is not None:
            publish_needs(store, user.actor, {key: True for key in keys})
    with store.read() as cur:
        offers = [r[0] for r in cur.execute("SELECT id FROM ta_offer WHERE provider_kind <> 'party' ORDER BY id").fetchall()]
    publish_offers(store, LOADER, {offer: True for offer in offers})


def create_provider_accounts(store: Store, password_hash: str) -> list[users.User]:
    """One provider user for UNODC and one for the Council of Europe (the demo's password), created
    together (`users.create_users`: each checked and audited as if created alone)."""
    return users.create_users(store, LOADER, [
        users.NewAccount(email, f"{t('roles.provider')}, {provider}", Role.PROVIDER, password_hash=password_hash,
                         provider=provider)
        for email, provider in PROVIDER_ACCOUNTS.items()])


def load_demo_offers(store: Store, seed: int = 11) -> int:
    """Replace the matching data with the demo's; returns how many offers were registered."""
    rng = random.Random(seed)
    with store.transaction() as cur:
        for table in TABLES:
            cur.execute(f"DELETE FROM {table}")
        groups = dict(cur.execute("SELECT code, regional_group FROM party").fetchall())
        takers = [r[0] for r in cur.execute("SELECT DISTINCT party FROM submission ORDER BY party").fetchall()]
    chosen = {}
    for code in takers:
        choices = GROUP_LANGUAGES.get(groups.get(code) or "", ["en"])
        chosen[code] = sorted({choices[0], *rng.sample(choices, 1)})
    set_languages_many(store, LOADER, chosen)
    count = len(register_offers(store, LOADER, OFFERS))
    for request in REQUESTS:
        file_request(store, LOADER, request)
    _publish(store, *_choose(store))
    return count
