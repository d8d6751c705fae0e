"""TA matching on the demo database: the report each reader sees, a Party choosing its partners,
offers and requests entered by hand or from a workbook, and the `review match` command."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from review import audit, users
from review.access import Actor, PUBLIC, Role
from tests.actors import SETUP
from review.cli import main
from review.errors import InvalidTransition, NotFound, PermissionDenied, ReviewError, ValidationFailed
from review.matching.files import report_bytes
from review.matching.matches import Step, act, act_many, find_need, find_needs
from review.matching.offer_workbook import import_offers, offer_template
from review.matching.registry import OfferInput, RequestInput, active_offers, file_request, register_offer, vocabulary
from review.matching.report import match_report
from review.reading import public_parties
from tests.workbook_helpers import damaged


def focal(store, party: str) -> Actor:
    return users.find_by_email(store, f"{party.lower()}.focal@demo.example.org").actor


@pytest.fixture
def report(demo_store):
    return match_report(demo_store, SETUP, "review-2026")


def test_the_demo_report_is_populated_and_optimal(report):
    t = report.totals
    assert t["engaged"] > 0 and {"Accepted by the Party", "In progress", "Suggested"} <= set(report.views["matches"]["state_label"])
    assert "Standalone request" in set(report.views["matches"]["source"]) | set(report.views["unmet"]["source"])
    assert t["offers"] >= 20 and t["needs"] > 1000
    assert 0 < t["matched"] < t["needs"] and t["optimal"]
    views = report.views
    assert views["matches"].height == t["matched"] and views["unmet"].height == t["unmet"]
    assert {"UNODC Global Programme on Cybercrime", "Japan", "INTERPOL"} <= set(views["providers"]["provider"])
    assert (views["providers"]["suggested"] <= views["providers"]["capacity"]).all()
    assert views["unmet_summary"]["needs"].sum() == t["unmet"]
    assert set(views["unmet"]["reason_label"]) <= {"No capacity left", "No offer covers this topic", "No shared language",
                                                   "Not eligible for any offer of that type", "No offer of that type",
                                                   "No offer available in time"}
    first = views["matches"].row(0, named=True)
    assert first["score"] == first["weight"] * (1 + first["topic"] + first["language"] + first["eligibility"] + first["region"]
                                                + first["modality"])


def test_the_public_may_not_read_it_and_a_party_sees_only_its_own(demo_store, report):
    with pytest.raises(PermissionDenied):
        match_report(demo_store, PUBLIC, "review-2026")
    providers = {o.provider_party for o in active_offers(demo_store)}
    line = next(ln for ln in report.lines if ln["party"] not in providers)
    party = line["party"]
    mine = match_report(demo_store, focal(demo_store, party), "review-2026")
    assert {ln["party"] for ln in mine.lines} == {party}
    assert set(mine.views["parties"]["party_name"]) == {line["party_name"]}
    assert mine.views["providers"].is_empty() and mine.views["could_serve"].is_empty()
    assert mine.views["unmet_summary"].equals(report.views["unmet_summary"])


def test_a_provider_party_sees_the_requests_its_offers_could_serve(demo_store):
    japan = match_report(demo_store, focal(demo_store, "JPN"), "review-2026")
    assert list(japan.views["providers"]["provider"]) == ["Japan"]
    could = japan.views["could_serve"]
    assert could.height > 0 and set(could["region_name"]) == {"Asia-Pacific States"}
    served = {ln["party"] for ln in japan.lines} - {"JPN"}
    assert served, "the needs its offer was suggested for are visible to the provider"


def test_a_providing_party_never_reads_another_partys_unpublished_answer(demo_store, report):
    public = set(public_parties(demo_store, "review-2026"))
    hidden = [ln for ln in report.lines if ln["provider"] == "Japan" and ln["party"] not in public | {"JPN"}
              and not ln["need_key"].startswith("r:")]
    assert hidden, "the demo suggests Japan's offer for needs in answers not published"
    japan = match_report(demo_store, focal(demo_store, "JPN"), "review-2026")
    others = [ln for ln in japan.lines if ln["party"] != "JPN"]
    assert others and all(ln["party"] in public or ln["need_key"].startswith("r:") for ln in others)
    names = {ln["party_name"] for ln in report.lines if ln["party"] in public | {"JPN"} or ln["need_key"].startswith("r:")}
    assert set(japan.views["could_serve"]["party_name"]) <= names


def test_a_party_accepts_a_partner_then_it_is_started_and_delivered(demo_store, report):
    line = next(ln for ln in report.lines if ln["state"] == "suggested")
    party, need, offer = line["party"], line["need_key"], line["offer_id"]
    with pytest.raises(PermissionDenied):
        act(demo_store, focal(demo_store, "NZL" if party != "NZL" else "POL"), need, offer, "accept")
    contributor = Actor("c", Role.CONTRIBUTOR, party)
    with pytest.raises(PermissionDenied):
        act(demo_store, contributor, need, offer, "accept")
    with pytest.raises(ReviewError, match="changed by someone else"):
        act(demo_store, focal(demo_store, party), need, offer, "accept", seen_state="accepted")
    assert act(demo_store, focal(demo_store, party), need, offer, "accept", seen_state="suggested") == "accepted"
    with pytest.raises(InvalidTransition):
        act(demo_store, SETUP, need, offer, "deliver")
    after = match_report(demo_store, SETUP, "review-2026")
    chosen = next(ln for ln in after.lines if ln["need_key"] == need)
    assert chosen["state"] == "accepted" and chosen["offer_id"] == offer
    assert after.totals["engaged"] == report.totals["engaged"] + 1
    assert act(demo_store, SETUP, need, offer, "start") == "in_progress"
    assert act(demo_store, focal(demo_store, party), need, offer, "deliver") == "delivered"
    steps = [e.action for e in audit.entries(demo_store, SETUP, entity="ta_match", entity_id=f"{need}|{offer}")]
    assert steps == ["match.deliver", "match.start", "match.accept"]


def test_a_declined_partner_is_not_suggested_again(demo_store, report):
    line = next(ln for ln in report.lines if ln["state"] == "suggested")
    assert act(demo_store, focal(demo_store, line["party"]), line["need_key"], line["offer_id"], "decline") == "declined"
    after = next(ln for ln in match_report(demo_store, SETUP, "review-2026").lines if ln["need_key"] == line["need_key"])
    assert after["offer_id"] != line["offer_id"]
    assert line["offer_id"] not in after["alternative_offers"]


def test_offers_are_checked_and_a_party_offers_only_for_itself(demo_store):
    bad = OfferInput(provider="", provider_kind="party", role="lending", types=["teleportation"], capacity=0)
    with pytest.raises(ValidationFailed) as refused:
        register_offer(demo_store, SETUP, bad)
    fields = {p.location for p in refused.value.problems}
    assert {"provider", "role", "types", "capacity", "provider_party"} <= fields
    before = len(active_offers(demo_store))
    good = OfferInput(provider="Kenya", provider_kind="party", provider_party="KEN", role="implementing",
                      types=["capacity_building"], capacity=2, regions=["AFR"])
    with pytest.raises(PermissionDenied):
        register_offer(demo_store, focal(demo_store, "NZL"), good)
    assert register_offer(demo_store, focal(demo_store, "KEN"), good).startswith("OFR-")
    assert len(active_offers(demo_store)) == before + 1


def test_a_standalone_request_becomes_a_need(demo_store):
    with pytest.raises(ValidationFailed):
        file_request(demo_store, focal(demo_store, "KEN"), RequestInput("KEN", "capacity_building", "high", "", article=99))
    with pytest.raises(PermissionDenied):
        file_request(demo_store, focal(demo_store, "NZL"), RequestInput("KEN", "capacity_building", "high", "Training"))
    request = file_request(demo_store, focal(demo_store, "KEN"), RequestInput(
        "KEN", "e_evidence_forensics", "high", "Forensic training for the cybercrime unit", article=29, languages=["en"]))
    line = next(ln for ln in match_report(demo_store, SETUP, "review-2026").lines if ln["need_key"] == f"r:{request}")
    assert line["source"] == "Standalone request" and line["chapter"] == "IV"


def _workbook(rows: list[list]) -> bytes:
    book = load_workbook(io.BytesIO(offer_template("en")))
    sheet = book["Offers"]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_ROW = ["Inter-American Development Bank", "Another organization", None, "Funding",
            "Capacity-building / training; data_security", None, None, "II; IV", "es; en", "GRULAC", None, 6,
            "Remote", "2026-01-01", "2027-12-31", "Funding for training"]


def test_offers_import_from_a_workbook_all_or_nothing(demo_store):
    before = len(active_offers(demo_store))
    broken = list(GOOD_ROW)
    broken[11] = "many"
    refused = import_offers(demo_store, SETUP, "offers.xlsx", _workbook([GOOD_ROW, broken]))
    assert [(p.where, p.key) for p in refused.errors] == [("Offers!L4", "values.not_integer")]
    assert len(active_offers(demo_store)) == before
    formula = list(GOOD_ROW)
    formula[15] = "=HYPERLINK(\"http://x\")"
    assert [p.key for p in import_offers(demo_store, SETUP, "f.xlsx", _workbook([formula])).errors] == ["workbook.formula"]
    unknown = list(GOOD_ROW)
    unknown[9] = "Atlantis"
    assert import_offers(demo_store, SETUP, "u.xlsx", _workbook([unknown])).errors[0].where == "Offers!J3"
    assert import_offers(demo_store, SETUP, "x.xlsx", b"not a workbook").errors[0].key == "workbook.not_xlsx"
    assert import_offers(demo_store, SETUP, "d.xlsx", damaged(_workbook([GOOD_ROW]), "Offers")).errors[0].key == "workbook.not_xlsx"
    assert len(active_offers(demo_store)) == before
    with pytest.raises(PermissionDenied):
        import_offers(demo_store, focal(demo_store, "KEN"), "offers.xlsx", _workbook([GOOD_ROW]))
    done = import_offers(demo_store, SETUP, "offers.xlsx", _workbook([GOOD_ROW, GOOD_ROW]))
    assert not done.errors and len(done.offers) == 2
    added = [o for o in active_offers(demo_store) if o.id in done.offers][0]
    assert added.types == {"capacity_building", "data_security"} and added.role == "funding" and added.capacity == 6


def test_review_match_writes_every_view(demo_store, tmp_path, capsys):
    path = demo_store.path
    demo_store.close()
    assert main(["--db", str(path), "match", "--out", str(tmp_path / "m.xlsx")]) == 0
    assert "needs" in capsys.readouterr().out
    book = load_workbook(tmp_path / "m.xlsx")
    assert book.sheetnames == ["Suggested matches", "Per provider", "Per Party", "Unmet needs", "Unmet needs summary"]
    assert book["Unmet needs"]["I1"].value == "Why unmet"
    assert main(["--db", str(path), "match", "--format", "json", "--out", str(tmp_path / "m.json")]) == 0
    data = json.loads((tmp_path / "m.json").read_text())
    assert set(data["views"]) == {"matches", "providers", "parties", "unmet", "unmet_summary"}
    assert main(["--db", str(path), "--lang", "zh", "match", "--view", "unmet", "--out", str(tmp_path / "u.csv")]) == 0
    # text fields are quoted; the reason, then what the Party already receives for the need (none here)
    assert (tmp_path / "u.csv").read_text(encoding="utf-8-sig").splitlines()[1].endswith("\"无剩余容量\",\"\"")
    assert main(["--db", str(path), "match", "--cycle", "nope", "--out", str(tmp_path / "n.json")]) == 1
    assert "no cycle 'nope'" in capsys.readouterr().err


def test_the_pdf_summary_prints_in_chinese(demo_store):
    data = report_bytes(match_report(demo_store, SETUP, "review-2026", lang="zh"), "pdf")
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_text_a_party_typed_cannot_run_as_a_formula_in_the_exports(demo_store):
    request = file_request(demo_store, focal(demo_store, "KEN"), RequestInput(
        "KEN", "awareness_raising", "low", "=HYPERLINK(\"http://evil.example\",\"click\")", chapter="VI"))
    report = match_report(demo_store, SETUP, "review-2026")
    line = next(ln for ln in report.lines if ln["need_key"] == f"r:{request}")
    view = "matches" if line["state"] != "unmet" else "unmet"
    book = load_workbook(io.BytesIO(report_bytes(report, "xlsx")))
    sheet = book["Suggested matches" if view == "matches" else "Unmet needs"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == line["description"]]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert "'=HYPERLINK" in report_bytes(report, "csv", view).decode("utf-8-sig")


def test_review_offers_template_and_import(demo_store, tmp_path, capsys):
    path = demo_store.path
    demo_store.close()
    assert main(["--db", str(path), "offers", "template", "--out", str(tmp_path / "t.xlsx")]) == 0
    assert load_workbook(tmp_path / "t.xlsx")["Offers"]["A1"].value == "Provider"
    bad = list(GOOD_ROW)
    bad[4] = "Teleportation"
    (tmp_path / "bad.xlsx").write_bytes(_workbook([GOOD_ROW, bad]))
    assert main(["--db", str(path), "offers", "import", str(tmp_path / "bad.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "refused, 1 problem(s)" in err and "Offers!E4: 'Teleportation' is not one of the allowed answers" in err
    (tmp_path / "good.xlsx").write_bytes(_workbook([GOOD_ROW]))
    assert main(["--db", str(path), "offers", "import", str(tmp_path / "good.xlsx")]) == 0
    assert "1 offer(s) registered" in capsys.readouterr().out


def test_an_offer_naming_only_articles_is_suggested_and_can_be_accepted(demo_store, report):
    """The offer's articles place it in their chapters, for the suggestion and for the acceptance alike."""
    unmet = next(ln for ln in report.lines if ln["state"] == "unmet" and ln["need_key"].startswith("q:"))
    need = find_need(demo_store, SETUP, unmet["need_key"])
    article = next(n for n, chapter in vocabulary(demo_store, "review-2026").articles.items()
                   if chapter == need.chapter and n != need.article)
    offer = register_offer(demo_store, SETUP, OfferInput(
        provider="A chapter-wide partner", provider_kind="organization", role="implementing", types=[need.type],
        capacity=1000, articles=[article]))
    again = match_report(demo_store, SETUP, "review-2026")
    line = next(ln for ln in again.lines if ln["need_key"] == need.key)
    assert (line["offer_id"], line["state"]) == (offer, "suggested")
    assert act(demo_store, focal(demo_store, need.party), need.key, offer, "accept") == "accepted"


def test_act_many_refuses_what_act_refuses_and_writes_what_it_writes(demo_db, demo_store, report, tmp_path):
    """The bulk steps (the demo's): each checked as alone, with the steps before it applied; any
    refusal writes nothing; the same matches, audit entries and notices as the steps one by one."""
    import shutil

    from review.store import open_store

    lines = [ln for ln in report.lines if ln["state"] == "suggested" and ln["need_key"].startswith("q:")]
    a = next(ln for ln in lines if ln["alternative_offers"])
    b = next(ln for ln in lines if ln["party"] != a["party"])
    fa, fb = focal(demo_store, a["party"]), focal(demo_store, b["party"])
    steps = [Step(fa, a["need_key"], a["offer_id"], "accept"), Step(SETUP, a["need_key"], a["offer_id"], "start"),
             Step(fb, b["need_key"], b["offer_id"], "accept")]
    wrong_type = next(o.id for o in active_offers(demo_store) if b["type"] not in o.types)

    def written(store):
        with store.read() as cur:
            return [cur.execute(q).fetchall() for q in (
                "SELECT need_key, offer_id, party, state, updated_by FROM ta_match ORDER BY ALL",
                "SELECT actor, action, entity_id, before, after FROM audit_log ORDER BY id",
                "SELECT kind, user_id, subject, body FROM notice_outbox ORDER BY id")]

    before = written(demo_store)
    for bad, error in (([steps[0], Step(fa, b["need_key"], b["offer_id"], "accept")], PermissionDenied),
                       ([steps[0], Step(fb, b["need_key"], wrong_type, "accept")], ReviewError),
                       ([steps[0], Step(fb, b["need_key"], b["offer_id"], "accept", "accepted")], ReviewError),
                       ([steps[0], Step(SETUP, b["need_key"], b["offer_id"], "deliver")], InvalidTransition),
                       ([steps[0], Step(fa, a["need_key"], a["alternative_offers"][0], "accept")], ReviewError)):
        with pytest.raises(error):
            act_many(demo_store, bad)
        assert written(demo_store) == before
    assert act_many(demo_store, steps) == ["accepted", "in_progress", "accepted"]
    shutil.copy(demo_db, tmp_path / "one_by_one.duckdb")
    with open_store(tmp_path / "one_by_one.duckdb") as alone:
        assert [act(alone, s.actor, s.need_key, s.offer_id, s.step) for s in steps] == ["accepted", "in_progress", "accepted"]
        assert written(alone) == written(demo_store) != before
    assert find_needs(demo_store, SETUP, [b["need_key"], a["need_key"]]) == {
        k: find_need(demo_store, SETUP, k) for k in (b["need_key"], a["need_key"])}
    with pytest.raises(NotFound):  # a need of an unknown cycle, as when the view refused the cycle
        find_need(demo_store, SETUP, a["need_key"].replace("review-2026", "no-such-cycle"))


def test_state_lists_are_bound_as_parameters_whatever_their_length(demo_store, report, monkeypatch):
    """A one-element Python tuple formatted into SQL was a syntax error; lists are bound instead."""
    from review.matching import matches

    monkeypatch.setattr(matches, "ENGAGED", frozenset({"accepted"}))
    line = next(ln for ln in report.lines if ln["state"] == "suggested")
    assert act(demo_store, focal(demo_store, line["party"]), line["need_key"], line["offer_id"], "accept") == "accepted"


def test_an_accepted_need_keeps_its_identity_when_other_rows_of_its_table_change(demo_store, report):
    """Editing the TA-needs table (a new row sorting first, another removed) moved an accepted match
    to a sibling need when needs were keyed by their place; each row has its own identity now."""
    from review import submissions

    line = next(ln for ln in report.lines if ln["state"] == "suggested" and ln["need_key"].startswith("q:"))
    party, key = line["party"], line["need_key"]
    provision = key.split("/")[2]
    need = find_need(demo_store, SETUP, key)
    assert act(demo_store, focal(demo_store, party), key, line["offer_id"], "accept") == "accepted"
    if submissions.get_submission(demo_store, "review-2026", party).state != "returned":
        submissions.return_for_clarification(demo_store, SETUP, "review-2026", party, {None: "Please add a need."})
    sub, answers = submissions.working_copy(demo_store, SETUP, "review-2026", party)
    rows = answers[(provision, "ta_needs")]
    others = [r for r in rows if r.get("_row") != key.rsplit("/", 1)[1]]
    edited = [{"type": need.type, "priority": "high", "description": "AAA a new first need"},
              *[r for r in rows if r not in others[:1] or len(others) == 0]]
    submissions.save_answers(demo_store, focal(demo_store, party), "review-2026", party, sub.seq,
                             {(provision, "ta_needs"): edited})
    after = find_need(demo_store, SETUP, key)
    assert (after.description, after.type) == (need.description, need.type)
    again = match_report(demo_store, SETUP, "review-2026")
    assert next(ln for ln in again.lines if ln["need_key"] == key)["state"] == "accepted"


@pytest.mark.parametrize("lang", ["en", "zh", "fr", "es", "ru", "ar"])
def test_offers_import_reads_labels_in_each_of_the_six_languages(demo_store, lang):
    """An offers workbook filled in with the labels of any UN language reads back as the same codes
    (it read only English and Chinese), whatever language its template was made in."""
    from review.cycles import cycle_questionnaire, get_cycle
    from review.i18n import label, t

    ta = {i.code: i for i in cycle_questionnaire(demo_store, get_cycle(demo_store)).code_lists["ta_type"].items}
    row = list(GOOD_ROW)
    row[1] = t("matching.kinds.organization", lang).upper()
    row[3] = t("matching.roles.funding", lang)
    row[4] = f"{label(ta['capacity_building'].label, lang)}; {label(ta['data_security'].label, lang)}"
    row[12] = f"{t('matching.modalities.remote', lang)}; {t('matching.modalities.on_site', lang)}"
    book = load_workbook(io.BytesIO(offer_template("ar" if lang == "en" else "en")))
    for c, value in enumerate(row, start=1):
        book["Offers"].cell(row=3, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    done = import_offers(demo_store, SETUP, "offers.xlsx", out.getvalue())
    assert not done.errors, [p.message() for p in done.errors]
    added = next(o for o in active_offers(demo_store) if o.id in done.offers)
    assert (added.provider_kind, added.role) == ("organization", "funding")
    assert added.types == {"capacity_building", "data_security"}
    assert set(added.modalities) == {"remote", "on_site"}
