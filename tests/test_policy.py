"""One registered policy: no caller chooses what is checked, a forged working copy writes nothing,
the command line acts as a named system context, and the policy matches a plain table of who may
do what (drawn at random by hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from hypothesis import given, settings, strategies as st

import review
from review import cycles, submissions as subs
from review.access import ACTIONS, PUBLIC, Actor, Role, Scope, action, allowed, require, system
from review.errors import PermissionDenied
from review.matching.registry import OfferInput, register_offers
from tests.workbook_helpers import database_state


def _public_functions():
    for info in pkgutil.walk_packages(review.__path__, "review."):
        if ".migrations." in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(fn) and fn.__module__ == module.__name__:
                yield f"{info.name}.{name}", fn


def test_no_public_function_lets_its_caller_choose_the_permission_checked():
    chosen = [name for name, fn in _public_functions()
              if {"permission", "permissions"} & set(inspect.signature(fn).parameters)]
    assert chosen == []
    assert "action" not in inspect.signature(register_offers).parameters
    fields = {f.name for f in dataclasses.fields(subs.CheckedSave)}
    assert not {"permission", "action", "freeze"} & fields


def test_an_unknown_action_is_refused_not_silently_allowed_or_denied():
    with pytest.raises(LookupError):
        require(system("tests"), "submission.destroy")
    with pytest.raises(LookupError):
        allowed(PUBLIC, "match.reed")


def test_every_registered_action_says_what_it_is_and_who_may_take_it():
    for name, registered in ACTIONS.items():
        assert registered.name == name and registered.description.strip()
        assert registered.roles and Role.SYSTEM not in registered.roles and Role.PUBLIC not in registered.roles
    assert action("submission.edit").scopes == {Scope.PARTY}


def test_an_observer_cannot_save_answers_nor_register_an_offer_for_another_state(submitted, store):
    observer = submitted["observer"]
    before = database_state(store)
    with pytest.raises(PermissionDenied):
        subs.save_answers(store, observer, "tiny-1", "KEN", 1, {("1.1", "notes"): "x"})
    offer = OfferInput(provider="France", provider_kind="party", provider_party="FRA", role="lead", types=["legal_advice"],
                       capacity=1)
    with pytest.raises(PermissionDenied):
        register_offers(store, observer, [offer])
    assert database_state(store) == before


def test_a_forged_working_copy_naming_another_partys_submission_writes_nothing(submitted, store):
    """A contributor of KEN builds a working copy whose header says KEN but whose id is FRA's."""
    contributor = submitted["contributor"]
    cycle = cycles.get_cycle(store, "tiny-1")
    q = cycles.cycle_questionnaire(store, cycle)
    fra, fra_answers = subs.working_copy(store, submitted["other_focal"], "tiny-1", "FRA")
    ken, _ = subs.working_copy(store, submitted["focal"], "tiny-1", "KEN")
    forged = dataclasses.replace(fra, party="KEN", state="draft")
    before = database_state(store)
    [result] = subs.save_imports(store, contributor, [subs.CheckedSave(cycle, q, (forged, fra_answers),
                                                                       {("1.1", "notes"): "planted"})])
    assert isinstance(result, PermissionDenied)
    assert database_state(store) == before
    # the same with the submission's own cycle changed under a real Party code
    moved = dataclasses.replace(ken, cycle_id="another-cycle")
    [result] = subs.save_imports(store, contributor, [subs.CheckedSave(cycle, q, (moved, {}), {("1.1", "notes"): "x"})])
    assert isinstance(result, PermissionDenied)
    assert database_state(store) == before


def test_the_command_line_acts_as_a_named_system_context_in_the_audit_log(tiny_cycle, store, tiny):
    from review import audit

    context = system("review cycle")
    assert context.id == "system:review cycle" and context.is_system and context.is_secretariat
    cycles.create_cycle(store, context, cycle_id="tiny-2", title="Second", questionnaire_id=tiny.id,
                        questionnaire_version=tiny.version, chapters=["I"], parties=["KEN"],
                        deadline=dt.date(2031, 1, 31))
    actors = {e.actor for e in audit.entries(store, context, "cycle", "tiny-2")}
    assert actors == {"system:review cycle"}
    with pytest.raises(ValueError):
        system("  ")


def test_a_system_context_takes_what_the_secretariat_may_and_no_partys_decision():
    context = system("tests")
    for name, registered in ACTIONS.items():
        assert allowed(context, name, "KEN", "UNODC") == (Role.SECRETARIAT in registered.roles)
    assert not allowed(context, "match.decide", "KEN")


# A plain table of who may do what, written out independently of the registry: (action, role) ->
# "all" (any Party / organization), "own" (only one's own Party or organization), "assigned" (a
# reviewer: only the Party and cycle of a review it is attached to) or absent (never).
OWN, ALL, ASSIGNED = "own", "all", "assigned"
F, C, O, S, P = Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER, Role.SECRETARIAT, Role.PROVIDER
R = Role.REVIEWER
TABLE = {
    "submission.read": {F: OWN, C: OWN, O: OWN, S: ALL, R: ASSIGNED},
    "submission.edit": {F: OWN, C: OWN},
    "submission.submit": {F: OWN},
    "submission.import": {F: OWN, C: OWN, S: ALL},
    "submission.review": {S: ALL},
    "submission.comment": {S: ALL},
    "submission.return": {S: ALL},
    "submission.validate": {S: ALL},
    "submission.publish": {S: ALL},
    "cycle.manage": {S: ALL},
    "user.manage": {S: ALL},
    "audit.read": {S: ALL},
    "analysis.unpublished": {S: ALL},
    "analysis.snapshot": {S: ALL},
    "backup.take": {S: ALL},
    "match.read": {F: ALL, C: ALL, O: ALL, S: ALL, P: ALL},
    "match.decide": {F: OWN},
    "match.progress": {F: ALL, S: ALL},
    "offer.register": {F: OWN, S: ALL, P: OWN},
    "offer.import": {S: ALL},
    "provider.workspace": {P: ALL},
    "request.file": {F: OWN, C: OWN, S: ALL},
    "notice.choose": {F: ALL, C: ALL, O: ALL, S: ALL, P: ALL},
    "notice.read": {S: ALL},
    "notice.send": {S: ALL},
    "need.publish": {F: OWN},
    "offer.publish": {F: OWN, S: ALL, P: OWN},
    # peer review: reviewers, stages, desk review, calendar
    "peer.read": {F: OWN, C: OWN, O: OWN, S: ALL, R: ASSIGNED},
    "peer.assign": {S: ALL},
    "peer.plan": {S: ALL},
    "peer.question": {S: ALL, R: ASSIGNED},
    "peer.answer": {F: OWN, C: OWN},
    "peer.stage": {S: ALL},
    "peer.conclude": {S: ALL, R: ASSIGNED},
    "peer.agree": {F: OWN},
    "peer.progress": {S: ALL},
    "peer.draw": {S: ALL},
    "report.read": {F: OWN, C: OWN, O: OWN, S: ALL, R: ASSIGNED},
    "report.edit": {S: ALL, R: ASSIGNED},
    "report.consent": {F: OWN, S: ALL},
    "followup.edit": {F: OWN, C: OWN, S: ALL},
    "submission.document": {F: OWN, C: OWN, O: OWN, S: ALL},
}
PARTIES = ["KEN", "FRA", "CHN", None]
ORGANIZATIONS = ["UNODC", "Council of Europe", None]
CYCLES = ["c1", "c2", None]
REVIEWS = [(c, p) for c in CYCLES if c for p in PARTIES if p]


def test_the_table_names_every_registered_action():
    assert set(TABLE) == set(ACTIONS)


@settings(max_examples=600, deadline=None)
@given(role=st.sampled_from([r for r in Role if r is not Role.SYSTEM]), own_party=st.sampled_from(PARTIES),
       own_org=st.sampled_from(ORGANIZATIONS), name=st.sampled_from(sorted(TABLE)),
       party=st.sampled_from(PARTIES), org=st.sampled_from(ORGANIZATIONS), cycle=st.sampled_from(CYCLES),
       own_reviews=st.frozensets(st.sampled_from(REVIEWS), max_size=3))
def test_the_policy_matches_the_plain_table(role, own_party, own_org, name, party, org, cycle, own_reviews):
    # every role may carry assignments (a stale or forged actor): only a reviewer's count
    actor = Actor("someone", role, party=own_party, provider=own_org if role is Role.PROVIDER else None,
                  reviews=own_reviews)
    rule = TABLE[name].get(role)
    if rule is None:
        expected = False
    elif rule == ALL:
        expected = True
    elif rule == ASSIGNED:
        expected = (cycle, party) in own_reviews
    elif role is Role.PROVIDER:
        expected = own_org is not None and org == own_org
    else:
        expected = own_party is not None and party == own_party
    assert allowed(actor, name, party, org, cycle) == expected


def test_a_reviewer_role_action_is_always_review_scoped():
    for registered in ACTIONS.values():
        if Role.REVIEWER in registered.roles:
            assert Scope.REVIEW in registered.scopes, registered.name
    reviewer = Actor("r", Role.REVIEWER, party="FRA", reviews=frozenset({("c1", "KEN")}))
    assert allowed(reviewer, "submission.read", "KEN", cycle="c1")
    assert not allowed(reviewer, "submission.read", "KEN")  # a call that names no cycle
    assert not allowed(reviewer, "submission.read", "FRA", cycle="c1")  # its own Party: the public's sight


# Every public function of the library takes the acting user (or works on something public, or runs
# before anyone acts). Each entry here was reviewed; a new function that reads or writes data without
# an actor fails `test_every_public_function_takes_an_actor_or_is_reviewed` until it takes one or is
# added here with its reason.
PUBLIC_READS = {
    "review.peer.reviews.calendar": "who reviews whom and each stage's dates: the public calendar of reviews",
    "review.peer.reviews.calendar_table": "the public calendar of reviews, as a table",
    "review.analysis.responses.response_tracking": "states, dates and lateness per Party: the public tracker",
    "review.analysis.responses.response_summary": "counts of the public tracker",
    "review.analysis.scope.cycle_info": "a cycle and its questionnaire: public",
    "review.analysis.scope.all_cycle_ids": "cycle ids: public",
    "review.cycles.questionnaire": "questionnaire definitions: public",
    "review.cycles.registered_questionnaires": "questionnaire definitions: public",
    "review.cycles.list_cycles": "cycles: public",
    "review.cycles.get_cycle": "a cycle: public",
    "review.cycles.cycle_questionnaire": "a cycle's questionnaire: public",
    "review.cycles.participants": "which Parties take part in a cycle: public",
    "review.matching.matches.need_party": "the Party code a need key names (in the key itself)",
    "review.matching.registry.vocabulary": "code lists and article chapters: public",
    "review.matching.registry.active_offers": "what is on offer (the report decides whose details each reader sees)",
    "review.matching.registry.get_offer": "one offer, as active_offers",
    "review.matching.registry.offers_found": "offers by id, as active_offers",
    "review.matching.registry.organizations": "names of the organizations that offer TA",
    "review.matching.registry.party_languages": "the languages each Party works in",
    "review.parties.all_parties": "reference data: names, codes, regional groups",
    "review.parties.in_regions": "reference data",
    "review.questionnaire.loader.from_mapping": "parses a definition; touches no store",
    "review.reading.public_parties": "which Parties' answers are public",
    "review.settings.get": "installation settings (no Party data)",
    "review.settings.is_demo": "whether this installation holds the synthetic demo",
    "review.submissions.get_submission": "a submission's header (state, dates): public on the tracker",
    "review.submissions.list_submissions": "submission headers: public on the tracker",
    "review.submissions.published_answers": "published answers of consenting Parties only: public",
    "review.submissions.all_statuses": "every Party's completeness, only for published chapter means (tracking)",
    "review.tracking.party_statuses": "states and lateness; from a store, only for the chapter means below",
    "review.tracking.cycle_overview": "counts and chapter means: the public overview",
    "review.workspace.user_names": "display names of users beside changes the caller was allowed to read",
    "review.world.simplify": "map geometry",
    "review.world.iso_numeric_codes": "reference data",
    "review.participation.participations": "treaty status (signature, consent, entry into force): public",
    "review.participation.parties_on": "treaty status: public",
    "review.participation.standings": "treaty status: public",
    "review.participation.in_force_dates": "a computation over given dates; touches no store",
    "review.matching.publication.published": "which TA needs and offers their owners published: public",
    "review.matching.open_data.public_needs": "the TA needs their Parties published (rules.is_public_ta): public",
    "review.matching.open_data.public_offers": "the TA offers their providers published: public",
    "review.matching.open_data.summary": "counts over published needs and offers only: public",
    "review.matching.open_data.frames": "the three open-data tables above: public",
    "review.matching.open_data.labelled": "labels beside the codes of a public table",
    "review.matching.open_data.snapshot_tables": "the open-data tables, for the snapshot of public data",
    "review.reports.thematic.previous_cycle": "which cycle came before another on the same questionnaire: cycles are public",
    # ops2 (issue 17)
    "review.cycles.parties_on_opening": "the States that are Parties on a day: treaty status, public",
}
BEFORE_ANYONE_ACTS = {
    "review.migrations.applied": "installation set-up (`review init`)",
    "review.migrations.migrate": "installation set-up (`review init`, app start)",
    "review.parties.load_reference": "installation set-up: the reference list of possible Parties",
    "review.demo.load_demo": "the synthetic demo (`review demo`), acting as the named 'demo loader' context",
    "review.demo.is_empty": "whether the demo may be loaded",
    "review.demo.demo_accounts": "the demo's own accounts, shown on the demo's login page",
    "review.matching.demo.create_provider_accounts": "part of load_demo",
    "review.matching.demo.load_demo_offers": "part of load_demo",
    "review.peer.demo.load_demo_reviews": "part of load_demo (the demo's peer reviews, as the named 'demo loader')",
    "review.sessions.login": "authentication: who acts is what it finds out",
    "review.sessions.login_with_identity": "authentication through the identity provider",
    "review.sessions.locked_until": "authentication throttle",
    "review.sessions.open_session": "a session token for the user who just proved who they are",
    "review.sessions.resume": "the user behind a secret session token its holder presents",
    "review.sessions.revoke": "ends the session of a secret token its holder presents (logout)",
    "review.invitations.invited_user": "an invitation, found by the secret token its holder presents",
    "review.invitations.activate": "activation by the secret invitation token",
    "review.users.credentials": "authentication",
    "review.users.find_by_email": "authentication",
    "review.users.get_user": "the account behind a session being resumed",
    "review.settings.put": "a cursor-level write inside a transaction its (checked) caller opened",
    "review.users.set_password": "a cursor-level write inside a transaction its (checked) caller opened",
    "review.submissions.changes_since": "a cursor-level read inside a transaction its (checked) caller opened",
    "review.notices.sender_from_env": "the app's background sender, made at start from the installation's mail "
                                      "settings; it acts as the named 'notice sender' context",
    "review.workbook.signature.installation_key": "the installation's signing key, for the template and the import "
                                                  "(which check the policy); never shown to anyone",
    "review.audit.record_each": "a cursor-level write inside a transaction its (checked) caller opened; each entry "
                                "names its own actor",
    "review.submissions.save_many": "bulk save_answers: each Party's save carries its acting user, checked as in "
                                    "save_answers (submission.edit on that Party)",
    "review.submissions.submit_many": "bulk submit: each Party's submit carries its acting user, checked as in submit "
                                      "(submission.submit on that Party)",
    # pr (issue 16): peer review's bulk steps, each step carrying its own acting user
    "review.peer.reviews.complete_stages": "bulk complete_stage: each review's stage carries its acting user, checked "
                                           "as in advance (the stage's STAGE_ACTION on that Party)",
    "review.peer.reviews.post_many": "bulk ask/answer: each message carries its acting user, checked as in ask "
                                     "(peer.question) or answer (peer.answer) on that Party",
    "review.peer.report.complete_steps": "bulk complete_step/agree: each step carries its acting user, checked as in "
                                         "complete_step (and report.consent as in agree)",
    "review.peer.report.draft_reports": "bulk draft_report: each report carries its acting user, checked as in "
                                        "draft_report (report.edit, submission.read on that Party)",
    # mt (issue 16): the matching's bulk steps, each step carrying its own acting user
    "review.matching.matches.act_many": "bulk act: each step carries its acting user, checked as in act "
                                        "(match.decide or match.progress on that Party)",
}
DATA_PARAMETERS = {"store", "source", "cur", "con"}


def test_every_public_function_takes_an_actor_or_is_reviewed():
    unreviewed = []
    for name, fn in _public_functions():
        params = set(inspect.signature(fn).parameters)
        if params & {"actor", "viewer"} or not params & DATA_PARAMETERS:
            continue
        if name not in PUBLIC_READS and name not in BEFORE_ANYONE_ACTS:
            unreviewed.append(name)
    assert unreviewed == []


def test_the_reviewed_lists_name_only_functions_that_exist_and_take_no_actor():
    functions = dict(_public_functions())
    for name in {**PUBLIC_READS, **BEFORE_ANYONE_ACTS}:
        assert name in functions, name
        assert not set(inspect.signature(functions[name]).parameters) & {"actor", "viewer"}, name


def test_a_party_user_reads_no_other_partys_completeness(submitted, store):
    _, rows = subs.cycle_status(store, submitted["focal"], "tiny-1")
    shown = {r.party: r.completeness for r in rows}
    assert shown["KEN"] is not None and shown["FRA"] is None and shown["CHN"] is None
    _, rows = subs.cycle_status(store, PUBLIC, "tiny-1")
    assert all(r.completeness is None for r in rows)
    _, rows = subs.cycle_status(store, submitted["secretariat"], "tiny-1")
    assert all(r.completeness is not None for r in rows)


def test_the_matching_reads_every_partys_needs_only_for_the_secretariat(submitted, store):
    from review.matching.needs import questionnaire_needs
    from review.matching.report import compute

    for who in ("focal", "contributor", "observer"):
        with pytest.raises(PermissionDenied):
            questionnaire_needs(store, submitted[who], "tiny-1")
        with pytest.raises(PermissionDenied):
            compute(store, submitted[who], "tiny-1")
    with pytest.raises(PermissionDenied):
        questionnaire_needs(store, PUBLIC, "tiny-1")
