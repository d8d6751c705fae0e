"""Provider accounts: a user of an organization that offers TA (UNODC, the Council of Europe) sees
its own offers, the requests they could serve and the state of the matches on them, registers
offers for its own organization, and is refused everything else."""

from __future__ import annotations

from tests.text_helpers import shows_login

import datetime as dt

import pytest

from review import audit, demo, invitations, submissions, users
from review.access import Actor, PUBLIC, Role, allowed
from tests.actors import SETUP
from review.analysis.scope import viewer_scope
from review.errors import PermissionDenied, ValidationFailed
from review.matching.demo import PROVIDER_ACCOUNTS
from review.matching.matches import act
from review.matching.offer_workbook import import_offers
from review.matching.registry import (OfferInput, RequestInput, active_offers, file_request, register_offer,
                                      withdraw_offer)
from review.matching.report import match_report
from review.reading import public_parties
from tests.test_access import READS

UNODC = "UNODC Global Programme on Cybercrime"
COE = "Council of Europe (C-PROC)"
CYCLE = "review-2026"


def provider(store, name: str) -> Actor:
    email = next(e for e, p in PROVIDER_ACCOUNTS.items() if p == name)
    return users.find_by_email(store, email).actor


def focal(store, party: str) -> Actor:
    return users.find_by_email(store, f"{party.lower()}.focal@demo.example.org").actor


def offer_of(name: str, **more) -> OfferInput:
    return OfferInput(provider=name, provider_kind=more.pop("kind", "organization"), role="implementing",
                      types=["capacity_building"], capacity=2, languages=["en"], **more)


@pytest.fixture
def everything(demo_store):
    return match_report(demo_store, SETUP, CYCLE)


def test_the_demo_has_a_provider_account_for_unodc_and_the_council_of_europe(demo_store):
    accounts = {u.email: u for u in demo.demo_accounts(demo_store)}
    for email, name in PROVIDER_ACCOUNTS.items():
        assert accounts[email].role is Role.PROVIDER and accounts[email].provider == name
        assert accounts[email].party is None
        assert users.password_matches(users.credentials(demo_store, email)[1], demo.DEMO_PASSWORD)


def test_a_provider_sees_its_own_offers_and_the_requests_they_could_serve(demo_store, everything):
    unodc = match_report(demo_store, provider(demo_store, UNODC), CYCLE)
    own = {o.id for o in active_offers(demo_store) if o.provider == UNODC}
    assert unodc.scope == "provider" and len(own) == 2
    assert set(unodc.views["providers"]["offer_id"]) == own
    could = unodc.views["could_serve"]
    assert could.height > 0 and set(could["offer_id"]) <= own
    assert {ln["offer_id"] for ln in unodc.lines} <= own and unodc.lines
    # the same need counts as the secretariat's for those offers, no more
    assert unodc.views["unmet_summary"].equals(everything.views["unmet_summary"])


def test_a_provider_never_reads_an_unpublished_answer(demo_store, everything):
    public = set(public_parties(demo_store, CYCLE))
    unodc = match_report(demo_store, provider(demo_store, UNODC), CYCLE)
    hidden = [ln for ln in everything.lines if ln["provider"] == UNODC and ln["party"] not in public
              and not ln["need_key"].startswith("r:")]
    assert hidden, "the demo suggests UNODC for needs in answers not published"
    seen = {ln["need_key"] for ln in unodc.lines}
    assert not seen & {ln["need_key"] for ln in hidden}
    assert all(ln["party"] in public or ln["need_key"].startswith("r:") for ln in unodc.lines)
    names = {ln["party_name"] for ln in everything.lines if ln["party"] in public or ln["need_key"].startswith("r:")}
    assert set(unodc.views["could_serve"]["party_name"]) <= names
    assert viewer_scope(demo_store, provider(demo_store, UNODC)) == "public"


def test_a_provider_sees_no_partys_needs_and_no_other_providers_matches(demo_store):
    unodc = match_report(demo_store, provider(demo_store, UNODC), CYCLE)
    coe = match_report(demo_store, provider(demo_store, COE), CYCLE)
    assert unodc.views["parties"].is_empty() and unodc.views["unmet"].is_empty()
    assert set(unodc.views["matches"]["provider"]) == {UNODC}
    assert set(coe.views["providers"]["provider"]) == {COE} and set(coe.views["matches"]["provider"]) <= {COE}
    assert not set(unodc.views["could_serve"]["offer_id"]) & set(coe.views["could_serve"]["offer_id"])


def test_a_provider_sees_the_state_of_a_match_a_party_accepted_on_its_offer(demo_store, everything):
    public = set(public_parties(demo_store, CYCLE))
    line = next(ln for ln in everything.lines if ln["provider"] == UNODC and ln["state"] == "suggested"
                and ln["party"] in public)
    act(demo_store, focal(demo_store, line["party"]), line["need_key"], line["offer_id"], "accept")
    unodc = match_report(demo_store, provider(demo_store, UNODC), CYCLE)
    mine = next(ln for ln in unodc.lines if ln["need_key"] == line["need_key"])
    assert mine["state"] == "accepted" and mine["state_label"] == "Accepted by the Party"
    coe = match_report(demo_store, provider(demo_store, COE), CYCLE)
    assert line["need_key"] not in {ln["need_key"] for ln in coe.lines}


def test_a_provider_may_neither_decide_nor_move_a_match(demo_store, everything):
    line = next(ln for ln in everything.lines if ln["provider"] == UNODC and ln["state"] == "suggested")
    for step in ("accept", "decline", "start", "deliver"):
        with pytest.raises(PermissionDenied):
            act(demo_store, provider(demo_store, UNODC), line["need_key"], line["offer_id"], step)


def test_a_provider_registers_and_withdraws_offers_of_its_own_organization_only(demo_store):
    unodc = provider(demo_store, UNODC)
    offer_id = register_offer(demo_store, unodc, offer_of(UNODC, kind="unodc"), CYCLE)
    entry = audit.entries(demo_store, SETUP, "ta_offer", offer_id)[0]
    assert entry.actor == unodc.id and entry.action == "offer.register" and entry.after["provider"] == UNODC
    before = len(active_offers(demo_store))
    for wrong in (offer_of(COE), offer_of("UNODC"), offer_of(UNODC, kind="party", provider_party="AUT"),
                  offer_of("Japan", kind="party", provider_party="JPN")):
        with pytest.raises(PermissionDenied):
            register_offer(demo_store, unodc, wrong, CYCLE)
    assert len(active_offers(demo_store)) == before
    coe_offer = next(o.id for o in active_offers(demo_store) if o.provider == COE)
    with pytest.raises(PermissionDenied):
        withdraw_offer(demo_store, unodc, coe_offer)
    japan_offer = next(o.id for o in active_offers(demo_store) if o.provider_party == "JPN")
    with pytest.raises(PermissionDenied):
        withdraw_offer(demo_store, unodc, japan_offer)
    withdraw_offer(demo_store, unodc, offer_id)
    assert offer_id not in {o.id for o in active_offers(demo_store)}


def test_a_provider_may_not_import_offers_file_requests_or_touch_submissions(demo_store):
    unodc = provider(demo_store, UNODC)
    with pytest.raises(PermissionDenied):
        import_offers(demo_store, unodc, "offers.xlsx", b"")
    with pytest.raises(PermissionDenied):
        file_request(demo_store, unodc, RequestInput("KEN", "capacity_building", "high", "Anything."))
    for party in ("KEN", "POL"):
        with pytest.raises(PermissionDenied):
            submissions.current_answers(demo_store, unodc, CYCLE, party)
        with pytest.raises(PermissionDenied):
            submissions.save_answers(demo_store, unodc, CYCLE, party, 0, {})
        with pytest.raises(PermissionDenied):
            submissions.submit(demo_store, unodc, CYCLE, party, consent=True)
    for action in ("submission.read", "submission.review", "analysis.unpublished", "user.manage", "audit.read",
                   "cycle.manage", "match.decide", "match.progress", "offer.import", "request.file"):
        assert not allowed(unodc, action, "KEN", UNODC), action
    with pytest.raises(PermissionDenied):
        users.list_users(demo_store, unodc)


def test_only_a_provider_user_opens_the_provider_workspace(demo_store):
    assert allowed(provider(demo_store, UNODC), "provider.workspace")
    for who in (SETUP, focal(demo_store, "KEN"), PUBLIC, Actor("x", Role.OBSERVER, "KEN")):
        assert not allowed(who, "provider.workspace")
    with pytest.raises(PermissionDenied):
        match_report(demo_store, PUBLIC, CYCLE)


def test_the_secretariat_creates_invites_and_moves_provider_users(store):
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(store, SETUP, email="p@example.org", name="P", role=Role.PROVIDER)
    assert refused.value.problems[0].location == "provider"
    user = users.create_user(store, SETUP, email="p@example.org", name="P", role="provider", provider=f" {COE} ",
                             party="KEN")
    assert (user.role, user.provider, user.party) == (Role.PROVIDER, COE, None)
    assert user.actor.provider == COE and user.actor.speaks_for(COE) and not user.actor.speaks_for(UNODC)
    moved = users.set_role(store, SETUP, user.id, Role.FOCAL_POINT, "KEN", provider=COE)
    assert (moved.role, moved.party, moved.provider) == (Role.FOCAL_POINT, "KEN", None)
    back = users.set_role(store, SETUP, user.id, Role.PROVIDER, provider=UNODC)
    assert (back.role, back.party, back.provider) == (Role.PROVIDER, None, UNODC)
    invitation = invitations.invite(store, SETUP, email="q@example.org", name="Q", role=Role.PROVIDER,
                                    provider=UNODC, now=dt.datetime(2026, 1, 1))
    assert invitation.user.provider == UNODC
    with pytest.raises(PermissionDenied):
        users.create_user(store, back.actor, email="r@example.org", name="R", role=Role.PROVIDER, provider=UNODC)


# The provider's page, in the app (AppTest on a private copy of the demo: the `db` fixture).

PROVIDER_PAGE = "app/pages/ta_provider.py"
REFUSED = ["You are not allowed to open this page."]


@pytest.fixture(scope="module")
def accounts(demo_db):
    from review.store import Store

    with Store(demo_db) as s:
        found = {name: users.find_by_email(s, email) for email, name in PROVIDER_ACCOUNTS.items()}
        found["secretariat"] = users.find_by_email(s, demo.SECRETARIAT_EMAIL)
        found["nzl"] = users.find_by_email(s, "nzl.focal@demo.example.org")
        found["nzl_observer"] = users.find_by_email(s, "nzl.observer@demo.example.org")
    return found


def app_as(user_id: str | None, lang: str | None = None):
    from streamlit.testing.v1 import AppTest

    from tests.test_matching_app import APP

    app = AppTest.from_file(APP, default_timeout=120)
    if user_id:
        app.session_state["user_id"] = user_id
    if lang:
        app.session_state["lang"] = lang
    app.run()
    return app


def opened(page: str, user_id: str | None, lang: str | None = None):
    app = app_as(user_id, lang)
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_provider_page_shows_its_offers_and_registers_one(db, accounts):
    app = opened(PROVIDER_PAGE, accounts[UNODC].id)
    assert app.title[0].value == "Our technical assistance offers"
    assert UNODC in app.caption[0].value
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["Our offers"] == 2 and metrics["Requests we could serve"] > 0
    assert {c.value for c in app.caption} >= {"Per provider", "Requests our offers could serve", "Suggested matches"}
    assert set(app.dataframe[0].value["Provider"]) == {UNODC}
    app.multiselect(key="provider_offer_types").set_value(["legal_advice"])
    app.multiselect(key="provider_offer_languages").set_value(["fr"])
    next(b for b in app.button if b.label == "Save").click().run()
    assert any("registered" in s.value for s in app.success), [e.value for e in app.error]
    from review.store import open_store

    with open_store(db) as s:
        new = [o for o in active_offers(s) if o.types == frozenset({"legal_advice"}) and o.languages == frozenset({"fr"})]
    assert [(o.provider, o.provider_kind) for o in new] == [(UNODC, "unodc")]
    app.run()
    app.selectbox(key="provider_withdraw_pick").set_value(new[0].id)
    app.button(key="provider_withdraw").click().run()
    assert any(f"Offer {new[0].id} withdrawn." == s.value for s in app.success), [e.value for e in app.error]
    with open_store(db) as s:
        assert new[0].id not in {o.id for o in active_offers(s)}


def test_a_provider_sees_its_organization_on_its_account_page(db, accounts):
    app = opened("app/pages/account.py", accounts[COE].id)
    assert any(f"Provider organization: **{COE}**" == m.value for m in app.markdown)


def test_the_provider_page_speaks_chinese(db, accounts):
    app = opened(PROVIDER_PAGE, accounts[COE].id, "zh")
    assert app.title[0].value == "本组织的技术援助提供"
    assert "援助提供方（组织）" in " ".join(c.value for c in app.sidebar.caption)


def test_a_provider_is_refused_on_party_and_secretariat_pages(db, accounts):
    from app import navigation

    user = accounts[UNODC]
    listed = [spec.path for spec in navigation.menu(user.actor)]
    assert PROVIDER_PAGE in listed
    for page in ("app/pages/ta_party.py", "app/pages/ta_matching.py", "app/pages/party_questionnaire.py",
                 "app/pages/party_cycle.py", "app/pages/party_submit.py", "app/pages/party_workbook.py",
                 "app/pages/secretariat_users.py", "app/pages/secretariat_inbox.py", "app/pages/secretariat_submission.py",
                 "app/pages/dashboard_evidence.py"):
        assert page not in listed, page
        app = opened(page, user.id)
        assert [e.value for e in app.error] == REFUSED, page


def test_other_roles_are_refused_on_the_provider_page(db, accounts):
    from app import navigation

    for who in (None, "secretariat", "nzl", "nzl_observer"):
        actor = accounts[who].actor if who else PUBLIC
        assert PROVIDER_PAGE not in [spec.path for spec in navigation.menu(actor)], who
        app = opened(PROVIDER_PAGE, accounts[who].id if who else None)
        assert shows_login(app) if who is None else [e.value for e in app.error] == REFUSED, who


def test_the_secretariat_creates_a_provider_user_on_the_users_page(db, accounts):
    app = opened("app/pages/secretariat_users.py", accounts["secretariat"].id)
    app.radio(key="invite_method").set_value("password").run()
    app.text_input(key="invite_email").input("someone@coe.example.org")
    app.text_input(key="invite_name").input("C-PROC officer")
    app.selectbox(key="invite_role").set_value(Role.PROVIDER)
    assert COE in app.selectbox(key="invite_provider").options
    app.selectbox(key="invite_provider").set_value(COE)
    app.text_input(key="invite_password").input("a long first password")
    app.button(key="invite_submit").click().run()
    assert not app.error, [e.value for e in app.error]
    from review.store import open_store

    with open_store(db) as s:
        user = users.find_by_email(s, "someone@coe.example.org")
    assert (user.role, user.provider, user.party, user.must_change_password) == (Role.PROVIDER, COE, None, True)


def test_a_provider_change_is_in_the_audit_log(store):
    user = users.create_user(store, SETUP, email="p@example.org", name="P", role=Role.PROVIDER, provider=COE)
    assert audit.entries(store, SETUP, "user", user.id)[0].after["provider"] == COE
    users.set_role(store, SETUP, user.id, Role.PROVIDER, provider=UNODC)
    entry = audit.entries(store, SETUP, "user", user.id)[0]
    assert (entry.before["provider"], entry.after["provider"]) == (COE, UNODC)


@pytest.mark.parametrize("read", sorted(READS))
def test_a_provider_cannot_read_any_partys_unpublished_data(submitted, store, read):  # noqa: F811
    unodc = users.create_user(store, SETUP, email="u@example.org", name="U", role=Role.PROVIDER, provider=UNODC).actor
    with pytest.raises(PermissionDenied):
        READS[read](store, unodc)
    with pytest.raises(PermissionDenied):
        submissions.current_answers(store, unodc, "tiny-1", "KEN")
