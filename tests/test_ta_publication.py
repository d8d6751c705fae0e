"""Published TA needs and offers: a need its Party published is on the public page, in the snapshot
and in the open-data downloads, and an unpublished one in none of them; only the owner publishes;
every choice is audited; the summary counts; docs/open-data.md is the real schema."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from review import export, users
from review.access import Actor, Role
from review.analysis.snapshot import open_snapshot, write_snapshot
from review.audit_trail import Filters, trail
from review.errors import NotFound, PermissionDenied
from review.matching import open_data
from review.matching.matches import act
from review.matching.publication import publish_need, publish_needs, publish_offer, published
from review.matching.report import match_report
from review.rules import is_public_ta, public_ta_sql
from review.store import open_store
from tests.actors import SETUP

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
PARTY = "NZL"  # a showcase Party of the demo that has submitted, with a focal point and a contributor


def person(store, email: str):
    return users.find_by_email(store, email if "@" in email else f"{email}@demo.example.org").actor


def party_needs(store, party: str = PARTY) -> list[dict]:
    """The Party's questionnaire needs the matching lists (filed), none of them published yet."""
    mine = [ln for ln in match_report(store, SETUP).lines if ln["party"] == party and ln["need_key"].startswith("q:")]
    already = published(store, "need")
    return [ln for ln in mine if ln["need_key"] not in already]


def strings_in(frame: pl.DataFrame) -> set[str]:
    return {v for c in frame.columns if frame[c].dtype == pl.String for v in frame[c].to_list() if v}


@pytest.fixture
def two_needs(demo_store):
    found = party_needs(demo_store)
    assert len(found) >= 2, "the demo gives the showcase Party several filed TA needs"
    shown, hidden = found[0], found[1]
    publish_need(demo_store, person(demo_store, f"{PARTY.lower()}.focal"), shown["need_key"])
    return demo_store, shown["need_key"], hidden["need_key"]


def test_a_published_need_is_public_everywhere_and_an_unpublished_one_nowhere(two_needs, tmp_path):
    store, shown, hidden = two_needs
    needs = open_data.public_needs(store)
    assert shown in needs["need_id"].to_list() and hidden not in needs["need_id"].to_list()
    summary = open_data.summary(store)
    assert summary["needed"].sum() == needs.height
    # the snapshot: the need is in its open data, the other in no file at all
    manifest = write_snapshot(store, SETUP, tmp_path / "snap")
    assert {"open_ta_need.parquet", "open_ta_offer.parquet", "open_ta_summary.parquet"} <= set(manifest["files"])
    with open_snapshot(tmp_path / "snap") as snap:
        from_snapshot = open_data.frames(snap)
        assert from_snapshot["needs"].equals(needs)
        assert from_snapshot["summary"].equals(summary)
    everything = set()
    for path in (tmp_path / "snap").glob("*.parquet"):
        everything |= strings_in(pl.read_parquet(path))
    assert shown in everything and hidden not in everything
    # the downloads, as the page builds them, in CSV (the safe writer) and Parquet
    for lang in ("en", "ar"):
        table = open_data.labelled(store, "needs", needs, lang)
        csv = export.to_bytes(table, "csv").decode("utf-8-sig")
        assert shown in csv and hidden not in csv
        back = pl.read_parquet(io.BytesIO(export.to_bytes(table, "parquet")))
        assert shown in back["need_id"].to_list() and hidden not in strings_in(back)


def test_withdrawing_removes_it_and_every_choice_is_audited(two_needs):
    store, shown, _ = two_needs
    focal = person(store, f"{PARTY.lower()}.focal")
    publish_need(store, focal, shown, False)
    assert shown not in open_data.public_needs(store)["need_id"].to_list()
    publish_need(store, focal, shown, False)  # unchanged: nothing written
    lines = trail(store, SETUP, Filters(party=PARTY, action="need")).lines
    assert [(x.action_label, x.field, x.before, x.after) for x in lines] == [
        ("TA need withdrawn from publication", "Published", "Yes", "No"),
        ("TA need published", "Published", "No", "Yes"),
    ]
    assert {x.user_id for x in lines} == {focal.id}
    # the need is named as the reader knows it (cycle, Party, provision, type), not by its key
    assert {x.subject for x in lines} == {"First review cycle (synthetic demo) · New Zealand · Art. 14(1) · Legislative drafting"}
    assert shown.startswith("q:review-2026/NZL/14.1/legislative_drafting/")


def test_only_the_partys_focal_point_publishes_its_needs(two_needs):
    store, _, hidden = two_needs
    for who in (f"{PARTY.lower()}.contributor", f"{PARTY.lower()}.observer", "ken.focal", "secretariat"):
        with pytest.raises(PermissionDenied):
            publish_need(store, person(store, who), hidden)
    with pytest.raises(PermissionDenied):
        publish_need(store, SETUP, hidden)  # the installation does not speak for a Party
    assert hidden not in published(store, "need")


def test_a_need_that_is_not_listed_is_refused(demo_store):
    focal = person(demo_store, "nzl.focal")
    for key in ("q:review-2026/NZL/99.9/legal_advice/1", "r:REQ-9999", "nonsense"):
        with pytest.raises((NotFound, PermissionDenied)):
            publish_need(demo_store, focal, key)
    # Kenya's answers are a draft: its questionnaire needs are not filed, so not publishable yet
    draft = [ln["need_key"] for ln in match_report(demo_store, SETUP).lines if ln["party"] == "KEN"]
    assert all(k.startswith("r:") for k in draft)
    with pytest.raises(NotFound):
        publish_needs(demo_store, person(demo_store, "ken.focal"), {"q:review-2026/KEN/7.1/legal_advice/1": True})


def test_offers_are_published_by_their_provider_only(demo_store):
    with demo_store.read() as cur:
        unodc = cur.execute("SELECT id FROM ta_offer WHERE provider = 'UNODC Global Programme on Cybercrime' ORDER BY id").fetchone()[0]
        coe = cur.execute("SELECT id FROM ta_offer WHERE provider = 'Council of Europe (C-PROC)' ORDER BY id").fetchone()[0]
        party_offer, party = cur.execute("SELECT id, provider_party FROM ta_offer WHERE provider_kind = 'party' ORDER BY id").fetchone()
    provider = person(demo_store, "unodc.provider")
    publish_offer(demo_store, provider, unodc, False)
    assert unodc not in open_data.public_offers(demo_store)["offer_id"].to_list()
    publish_offer(demo_store, provider, unodc, True)
    assert unodc in open_data.public_offers(demo_store)["offer_id"].to_list()
    with pytest.raises(PermissionDenied):
        publish_offer(demo_store, provider, coe, False)
    assert party_offer not in open_data.public_offers(demo_store)["offer_id"].to_list()
    with pytest.raises(PermissionDenied):
        publish_offer(demo_store, person(demo_store, "ken.focal" if party != "KEN" else "nzl.focal"), party_offer)
    focal = users.find_by_email(demo_store, f"{party.lower()}.focal@demo.example.org").actor
    publish_offer(demo_store, focal, party_offer)
    assert party_offer in open_data.public_offers(demo_store)["offer_id"].to_list()
    # a withdrawn offer is public no more, published or not
    from review.matching.registry import withdraw_offer

    withdraw_offer(demo_store, SETUP, unodc)
    assert unodc not in open_data.public_offers(demo_store)["offer_id"].to_list()


def test_the_summary_counts_needed_matched_received_offered_delivered(demo_store):
    engaged = [ln for ln in match_report(demo_store, SETUP).lines if ln["state"] == "accepted"]
    line = engaged[0]
    assert line["need_key"] in published(demo_store, "need"), "the demo publishes the needs Parties accepted a partner for"
    before = open_data.summary(demo_store)
    act(demo_store, SETUP, line["need_key"], line["offer_id"], "start")
    act(demo_store, SETUP, line["need_key"], line["offer_id"], "deliver")
    needs = open_data.public_needs(demo_store)
    row = needs.filter(pl.col("need_id") == line["need_key"]).row(0, named=True)
    assert row["match_state"] == "delivered"
    after = open_data.summary(demo_store)
    assert after["received"].sum() == before["received"].sum() + 1
    assert after["needed"].sum() == needs.height and after["matched"].sum() == needs.filter(pl.col("match_state") != "open").height
    # delivered counts on the offer's side once the offer is published, and names it on the need
    offer = line["offer_id"]
    was_public = offer in published(demo_store, "offer")
    if not was_public:
        assert row["offer_id"] is None and after["delivered"].sum() == before["delivered"].sum()
        from review.matching.registry import get_offer

        o = get_offer(demo_store, offer)
        # the providing Party's focal point (the demo gives accounts only to the Parties of its cycles)
        owner = Actor("fp", Role.FOCAL_POINT, party=o.provider_party) if o.provider_kind == "party" else SETUP
        publish_offer(demo_store, owner, offer)
    final = open_data.summary(demo_store)
    assert final["delivered"].sum() == before["delivered"].sum() + 1
    assert open_data.public_needs(demo_store).filter(pl.col("need_id") == line["need_key"])["offer_id"].to_list() == [offer]
    offers = open_data.public_offers(demo_store)
    assert offers.filter(pl.col("offer_id") == offer)["delivered"].to_list() == [1]
    per_type = open_data.by_type(final, offers)
    named = sum(len(v.split("; ")) for v in offers["types"].to_list())
    assert per_type["offered"].sum() == named and per_type["needed"].sum() == final["needed"].sum()


@pytest.mark.parametrize("published_, available", [(True, True), (True, False), (False, True), (False, False),
                                                   (None, True)])
def test_the_public_rule_in_python_and_sql_agree(published_, available):
    con = duckdb.connect()
    got = con.execute(f"SELECT {public_ta_sql('p', 'a')} FROM (SELECT $1::BOOLEAN AS p, $2::BOOLEAN AS a)",
                      [published_, available]).fetchone()[0]
    assert got == is_public_ta(published_, available)


def test_the_open_data_page_documents_the_real_columns(demo_store):
    doc = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", doc, flags=re.MULTILINE)[1:]
    documented = {}
    for section in sections:
        name = re.search(r"\(`ta-(\w+)`\)", section.splitlines()[0]).group(1)
        documented[name] = re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE)
    real = {name: open_data.labelled(demo_store, name, frame, "en").columns for name, frame in open_data.frames(demo_store).items()}
    assert documented == real
    types = {name: dict(re.findall(r"^\| `([a-z_]+)` \| (\w+) \|", s, re.MULTILINE))
             for name, s in zip(documented, sections)}
    word = {pl.String: "text", pl.Int64: "integer", pl.Date: "date", pl.Datetime("us"): "timestamp"}
    for name, schema in (("needs", open_data.NEED_SCHEMA), ("offers", open_data.OFFER_SCHEMA),
                         ("summary", open_data.SUMMARY_SCHEMA)):
        assert {c: word[d] for c, d in schema.items()} == {c: types[name][c] for c in schema}


# --- the app ----------------------------------------------------------------------------------


def open_as(page: str, user_id: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    if user_id:
        app.session_state["user_id"] = user_id
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def shown_strings(app: AppTest) -> set[str]:
    return {str(v) for frame in app.dataframe for c in frame.value.columns for v in frame.value[c].tolist()}


def test_a_focal_point_publishes_a_need_on_its_page_and_the_public_page_shows_it(db):
    with open_store(db) as s:
        focal, contributor = person(s, "nzl.focal"), person(s, "nzl.contributor")
        found = party_needs(s)
        descriptions = {ln["need_key"]: ln["description"] for ln in found}
    app = open_as("app/pages/ta_party.py", focal.id)
    form = app.multiselect(key="tapub_needs")
    target = next(k for k in found_keys(found) if descriptions[k])
    form.set_value([*form.value, target])
    next(b for b in app.button if b.label == "Save what is published").click().run()
    assert [e.value for e in app.success][-1].startswith("Saved:"), [e.value for e in app.error]
    with open_store(db) as s:
        assert target in published(s, "need")
        lines = trail(s, SETUP, Filters(party=PARTY, action="need.publish")).lines
        assert lines[0].user_id == focal.id
    # a contributor sees what is published, and no control
    other = open_as("app/pages/ta_party.py", contributor.id)
    assert not [m for m in other.multiselect if m.key == "tapub_needs"]
    # the public page: the need published, no need left unpublished
    public = open_as("app/pages/ta_public.py")
    assert public.title[0].value == "Published technical assistance needs and offers"
    with open_store(db) as s:
        ours = open_data.public_needs(s).filter(pl.col("party") == PARTY)
    assert target in ours["need_id"].to_list() and not (set(found_keys(found)) - {target}) & set(ours["need_id"])
    table = next(f.value for f in public.dataframe if "Priority" in f.value.columns)
    rows = table[table["Party"] == "New Zealand"]
    assert sorted(rows["Description"]) == sorted(ours["description"].to_list())
    assert {b.label for b in public.download_button} == {"CSV", "Excel", "PNG", "Parquet"}


def found_keys(lines: list[dict]) -> list[str]:
    return [ln["need_key"] for ln in lines]


def test_the_public_page_runs_on_a_replica_from_the_snapshot(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "working.duckdb"
    shutil.copy(demo_db, db)
    with open_store(db) as s:
        write_snapshot(s, SETUP, tmp_path / "snap")
        expected = open_data.public_needs(s)
    monkeypatch.setenv("REVIEW_SNAPSHOT", str(tmp_path / "snap"))
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "absent" / "review.duckdb"))
    app = open_as("app/pages/ta_public.py")
    assert not app.error
    assert expected.height and set(expected["description"].drop_nulls().to_list()) <= shown_strings(app)
    assert app.metric[0].value == str(expected.height)


def test_a_provider_withdraws_and_publishes_its_offers_on_its_page(db):
    with open_store(db) as s:
        provider = person(s, "unodc.provider")
        with s.read() as cur:
            ours = [r[0] for r in cur.execute(
                "SELECT id FROM ta_offer WHERE provider = 'UNODC Global Programme on Cybercrime' ORDER BY id").fetchall()]
        assert set(ours) <= published(s, "offer"), "the demo publishes the organizations' offers"
    app = open_as("app/pages/ta_provider.py", provider.id)
    box = app.multiselect(key="provider_offer_published")
    assert sorted(box.value) == ours
    box.set_value(ours[1:])
    next(b for b in app.button if b.label == "Save what is published").click().run()
    assert [e.value for e in app.success][-1] == f"Saved: {len(ours) - 1} published.", [e.value for e in app.error]
    with open_store(db) as s:
        public = open_data.public_offers(s)["offer_id"].to_list()
        assert ours[0] not in public and set(ours[1:]) <= set(public)
        line = trail(s, SETUP, Filters(user="unodc.provider@demo.example.org", action="offer.unpublish")).lines[0]
        assert (line.subject, line.before, line.after) == (ours[0], "Yes", "No")
