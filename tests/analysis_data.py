"""A small, hand-computed dataset on the tiny instrument, shared by the analysis tests.

Cycle tiny-1 (provisions 1.1 mandatory w=1, 1.2 optional w=0.25, 2 consider w=0.5):
- KEN published with consent: 1.1 implemented (Lighthouse Act 2020), 1.2 not applicable,
  2 partly (Keepers Decree 2018; challenge limited_resources; TA training/high);
- FRA published WITHOUT consent: 1.1 not implemented (challenges limited_capacity,
  limited_resources; TA legislative_drafting/high), 1.2 implemented (Paint Rules 2019),
  2 implemented (Keeper Training Act 2021);
- CHN draft: 1.1 implemented with no legislation, 1.2 and 2 unanswered (unknown).
Cycle tiny-2: KEN published with consent: 1.1 partly, 1.2 not applicable, 2 implemented; FRA not started.
"""

from __future__ import annotations

import datetime as dt

import pytest

from review import cycles, submissions, users
from review.access import Role
from tests.actors import SETUP
from review.questionnaire import from_mapping
from tests.tiny_instrument import T, tiny_definition


def tiny_with_needs() -> dict:
    """The tiny instrument plus challenge and TA questions, as the analysis reads them."""
    d = tiny_definition()
    d["code_lists"]["challenge"] = [
        {"code": "limited_capacity", "label": T("Limited capacity", "能力有限")},
        {"code": "limited_resources", "label": T("Limited resources", "资源有限")},
    ]
    d["code_lists"]["ta_type"] = [
        {"code": "legislative_drafting", "label": T("Legislative drafting", "立法起草")},
        {"code": "training", "label": T("Training", "培训")},
    ]
    d["code_lists"]["priority"] = [
        {"code": "high", "label": T("High", "高")},
        {"code": "low", "label": T("Low", "低")},
    ]
    d["question_blocks"]["basic"] += [
        {"id": "challenges", "type": "multi_choice", "code_list": "challenge", "label": T("Challenges", "挑战")},
        {"id": "ta_needs", "type": "table", "label": T("TA needed", "所需技术援助"), "columns": [
            {"id": "type", "type": "choice", "code_list": "ta_type", "required": True, "label": T("Type", "类型")},
            {"id": "priority", "type": "choice", "code_list": "priority", "label": T("Priority", "优先")},
            {"id": "description", "type": "text", "label": T("Description", "说明")},
        ]},
    ]
    return d


def law(title: str, year: int) -> list[dict]:
    return [{"title": title, "year": year}]


KEN_1 = {
    ("1.1", "status"): "implemented", ("1.1", "law"): law("Lighthouse Act", 2020),
    ("1.2", "status"): "not_applicable",
    ("2", "status"): "partly_implemented", ("2", "law"): law("Keepers Decree", 2018),
    ("2", "challenges"): ["limited_resources"],
    ("2", "ta_needs"): [{"type": "training", "priority": "high", "description": "Train keepers"}],
}
FRA_1 = {
    ("1.1", "status"): "not_implemented", ("1.1", "challenges"): ["limited_capacity", "limited_resources"],
    ("1.1", "ta_needs"): [{"type": "legislative_drafting", "priority": "high", "description": "Draft a law"}],
    ("1.2", "status"): "implemented", ("1.2", "law"): law("Paint Rules", 2019),
    ("2", "status"): "implemented", ("2", "law"): law("Keeper Training Act", 2021),
}
CHN_1 = {("1.1", "status"): "implemented"}
KEN_2 = {
    ("1.1", "status"): "partly_implemented", ("1.1", "law"): law("Lighthouse Act", 2020),
    ("1.2", "status"): "not_applicable",
    ("2", "status"): "implemented", ("2", "law"): law("Keepers Decree", 2024),
}


def publish(store, actor, cycle_id, party, answers, consent):
    submissions.save_answers(store, actor, cycle_id, party, 0, answers)
    submissions.submit(store, actor, cycle_id, party, consent=consent)
    submissions.validate(store, SETUP, cycle_id, party)
    submissions.publish(store, SETUP, cycle_id, party)


@pytest.fixture
def tiny():
    return from_mapping(tiny_with_needs(), "tiny")


@pytest.fixture
def analysed(store, tiny_cycle):
    """The dataset above; returns the actors by name (secretariat, focal KEN, other_focal FRA, chn)."""
    cycle, people = tiny_cycle
    chn = users.create_user(store, SETUP, email="chn@example.org", name="CHN FP", role=Role.FOCAL_POINT, party="CHN").actor
    publish(store, people["focal"], "tiny-1", "KEN", KEN_1, consent=True)
    publish(store, people["other_focal"], "tiny-1", "FRA", FRA_1, consent=False)
    submissions.save_answers(store, chn, "tiny-1", "CHN", 0, CHN_1)
    cycles.create_cycle(store, SETUP, cycle_id="tiny-2", title="Tiny cycle 2", questionnaire_id=cycle.questionnaire_id,
                        questionnaire_version=cycle.questionnaire_version, chapters=["I"], parties=["KEN", "FRA"],
                        deadline=dt.date(2031, 1, 31))
    publish(store, people["focal"], "tiny-2", "KEN", KEN_2, consent=True)
    return {**people, "chn": chn}
