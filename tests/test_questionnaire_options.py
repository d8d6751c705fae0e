"""Statuses offered where they apply, designations required on a condition, and maps between
versions: rules the engine reads from the definition, shown on the tiny instrument."""

from __future__ import annotations

import datetime as dt

import pytest

from review import cycles, submissions as subs, users
from review.access import Role
from review.analysis import gap_tables, gaps, scoring
from review.questionnaire import DefinitionError, from_mapping
from review.questionnaire.loader import fingerprint
from review.questionnaire.values import check_value, missing_required
from tests.actors import SETUP
from tests.tiny_instrument import T, tiny_definition


def with_options() -> dict:
    """The tiny instrument with the two statuses of version 1.1 and a designation asked on a condition."""
    data = tiny_definition()
    data["version"] = "2"
    data["code_lists"]["status"] += [
        {"code": "option_not_used", "applies_to": ["optional"], "label": T("Option not used", "未采用该选项")},
        {"code": "considered_not_adopted", "applies_to": ["consider"], "label": T("Considered, not adopted", "经考虑未采纳")},
    ]
    data["code_lists"]["designation"] = [
        {"code": "designated", "label": T("Designated", "已指定")},
        {"code": "not_yet_designated", "label": T("Not yet designated", "尚未指定")},
    ]
    data["question_blocks"]["basic"].append(
        {"id": "reasons", "type": "long_text", "required_when": {"status": ["considered_not_adopted"]}, "label": T("Reasons", "理由")})
    data["articles"][0]["provisions"][0]["questions"] = [
        {"id": "designation", "type": "choice", "code_list": "designation",
         "required_when": {"status": ["implemented", "partly_implemented"]}, "label": T("Keeper designated?", "是否已指定看守人？")},
        {"id": "keeper", "type": "table", "required_when": {"designation": ["designated"]}, "label": T("Keeper", "看守人"),
         "columns": [{"id": "name", "type": "text", "required": True, "label": T("Name", "姓名")}]},
    ]
    data["maps_from"] = {"1": {"2": ["2"], "1.2": ["1.2"]}}
    return data


@pytest.fixture
def optioned():
    return from_mapping(with_options(), "tiny 2")


def test_a_status_is_offered_only_on_the_obligation_levels_it_applies_to(optioned):
    offered = {p.id: optioned.offered(p.question("status")) for p in optioned.assessed_provisions()}
    assert offered["1.1"] == ("implemented", "partly_implemented", "not_implemented", "not_applicable")
    assert offered["1.2"] == offered["1.1"] + ("option_not_used",)
    assert offered["2"] == offered["1.1"] + ("considered_not_adopted",)
    mandatory = optioned.provision("1.1").question("status")
    (problem,) = check_value(optioned, mandatory, "option_not_used")
    assert problem.key == "values.not_in_code_list" and "option_not_used" not in problem.params["allowed"]
    assert not check_value(optioned, optioned.provision("1.2").question("status"), "option_not_used")
    assert check_value(optioned, optioned.provision("1.2").question("status"), "considered_not_adopted")


def test_a_list_that_restricts_nothing_offers_every_code_and_keeps_its_fingerprint():
    plain = from_mapping(tiny_definition(), "tiny")
    assert plain.provision("1.1").question("status").choices is None
    assert plain.offered(plain.provision("1.2").question("status")) == plain.code_lists["status"].codes
    data = tiny_definition()
    data["code_lists"]["status"][3]["applies_to"] = ["optional"]
    assert fingerprint(data) != fingerprint(tiny_definition())  # where a code applies is part of the shape


def test_reasons_are_required_when_a_provision_was_considered_and_not_adopted(optioned):
    provision = optioned.provision("2")
    assert missing_required(provision, {"status": "considered_not_adopted"}) == ["reasons"]
    assert missing_required(provision, {"status": "considered_not_adopted", "reasons": "Costs outweigh benefits."}) == []


def test_a_designation_is_required_only_when_the_provision_is_implemented_and_designated(optioned):
    provision = optioned.provision("1.1")
    assert missing_required(provision, {"status": "not_implemented"}) == []
    assert missing_required(provision, {"status": "implemented", "law": [{"title": "Act"}]}) == ["designation"]
    assert missing_required(provision, {"status": "implemented", "law": [{"title": "Act"}], "designation": "not_yet_designated"}) == []
    assert missing_required(provision, {"status": "partly_implemented", "law": [{"title": "Act"}], "designation": "designated"}) == ["keeper"]


@pytest.mark.parametrize("breakage, where", [
    (lambda d: d["code_lists"]["status"][4].__setitem__("applies_to", ["sometimes"]), "code_lists.status[4].applies_to"),
    (lambda d: d["maps_from"]["1"].__setitem__("2", ["9.9"]), "maps_from.1.2"),
    (lambda d: d["maps_from"].__setitem__("2", {}), "maps_from.2"),
    (lambda d: [i.__setitem__("applies_to", ["optional"]) for i in d["code_lists"]["status"]], "articles[0].provisions[0].questions"),
])
def test_a_broken_option_or_map_is_refused_with_its_path(breakage, where):
    data = with_options()
    breakage(data)
    with pytest.raises(DefinitionError) as caught:
        from_mapping(data, "broken")
    assert where in [path for path, _ in caught.value.errors], caught.value.errors


def test_the_provision_map_lists_declared_moves_and_kept_ids(optioned):
    earlier = from_mapping(tiny_definition(), "tiny")
    assert optioned.provision_map("1", earlier) == {"1.1": ("1.1",), "1.2": ("1.2",), "2": ("2",), "3": ("3",)}
    data = with_options()
    data["maps_from"]["1"]["3"] = []
    assert from_mapping(data, "t").provision_map("1", earlier)["3"] == ()


def test_option_not_used_and_considered_not_adopted_change_no_score_and_are_no_gap(store, optioned):
    cycles.register_questionnaire(store, SETUP, optioned)
    for cycle_id in ("used", "not-used"):
        cycles.create_cycle(store, SETUP, cycle_id=cycle_id, title=cycle_id, questionnaire_id=optioned.id,
                            questionnaire_version=optioned.version, chapters=["I"], parties=["KEN"], deadline=dt.date(2030, 1, 1))
    focal = users.create_user(store, SETUP, email="fp@example.org", name="FP", role=Role.FOCAL_POINT, party="KEN").actor
    base = {("1.1", "status"): "implemented", ("1.1", "law"): [{"title": "Lighthouse Act"}],
            ("1.1", "designation"): "not_yet_designated"}
    subs.save_answers(store, focal, "used", "KEN", 0, {**base, ("1.2", "status"): "not_implemented", ("2", "status"): "not_implemented"})
    subs.save_answers(store, focal, "not-used", "KEN", 0, {
        **base, ("1.2", "status"): "option_not_used", ("2", "status"): "considered_not_adopted",
        ("2", "reasons"): "Keepers are trained by the navy already."})
    only_mandatory = from_scores(store, "not-used")
    assert (only_mandatory["score"], only_mandatory["implementation_rate"], only_mandatory["score_mandatory"]) == (1.0, 1.0, 1.0)
    # counted apart: shown beside the figures, not mixed with "not applicable"
    assert (only_mandatory["by_choice"], only_mandatory["not_applicable"], only_mandatory["scored"]) == (2, 0, 1)
    (article_2,) = [r for r in gap_tables.gap_table(store, SETUP, "article", "not-used").to_dicts() if r["article"] == 2]
    assert (article_2["by_choice"], article_2["score"], article_2["responding"]) == (1, None, 0)
    used = from_scores(store, "used")
    assert (round(used["score"], 2), round(used["implementation_rate"], 2)) == (0.57, 0.33)  # docs/analysis.md
    assert gaps.gap_profile(store, SETUP, "KEN", "not-used").is_empty()


def from_scores(store, cycle_id):
    (row,) = scoring.party_scores(store, SETUP, cycle_id).to_dicts()
    return row


def test_the_workbook_dropdown_offers_each_provision_its_own_statuses(store, optioned):
    import io

    from openpyxl import load_workbook

    from review.workbook.template import write_template
    from tests.workbook_helpers import ANSWER_COLUMN, find

    cycles.register_questionnaire(store, SETUP, optioned)
    cycles.create_cycle(store, SETUP, cycle_id="opt", title="opt", questionnaire_id=optioned.id,
                        questionnaire_version=optioned.version, chapters=["I"], parties=["KEN"], deadline=dt.date(2030, 1, 1))
    book = load_workbook(io.BytesIO(write_template(store, SETUP, "opt", "KEN")))

    def offered(provision_id):
        sheet, row = find(book, f"{provision_id}/status")
        cell = sheet.cell(row=row, column=ANSWER_COLUMN).coordinate
        (validation,) = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
        target = book.defined_names[validation.formula1.lstrip("=")].attr_text
        lists, columns = target.split("!")
        column = columns.split(":")[0].replace("$", "").rstrip("0123456789")
        return [c.value for c in book[lists.strip("'")][column] if c.value]

    assert "Option not used" in offered("1.2") and "Not implemented" in offered("1.2")
    assert "Option not used" not in offered("1.1") and "Considered, not adopted" not in offered("1.1")
    assert "Considered, not adopted" in offered("2")
