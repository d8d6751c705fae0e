"""Who may do what: roles, the acting user, and the one policy every service consults.

Every action the library performs is *registered* here once, with the roles that may take it, the
scope it is limited to and a one-line description (as datasette registers its actions). A service
names its own action when it calls `require`; no function takes the action to check from its
caller, and `require` refuses a name that is not registered, so a typo or a made-up action cannot
silently pass or silently fail.

Scopes limit an action further than the role:
- `party`: a Party's users (focal point, contributor, observer) only on their own Party's data;
- `provider`: a provider user only on its own organization's offers;
- `secretariat`: the secretariat's own work (no Party's user ever takes it);
- none: the roles alone decide (the service then shows each role its own part, as the matching
  report does).
- `review`: a peer reviewer (a governmental expert a reviewing Party named, role `reviewer`) only on
  the reviewed Party and cycle of a review they are assigned to. The assignments are a table
  (`peer_review_expert`); the account loads them with its role and Party on every run
  (`users.get_user`), so `Actor.reviews` holds them and the check is the same membership test as
  the Party scope's. A reviewer's own Party is the one it reviews for, never a Party whose data it
  reads: outside its reviews it sees what the public sees.

Work done by the installation itself (the command line, the demo loader, scheduled jobs) acts as
a named *system context* (`system("command line")`): it takes what the secretariat may take, and
its name is what the audit log records, so nobody mistakes it for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from review.errors import PermissionDenied


class Role(StrEnum):
    FOCAL_POINT = "focal_point"
    CONTRIBUTOR = "contributor"
    OBSERVER = "observer"
    SECRETARIAT = "secretariat"
    PUBLIC = "public"
    # a user of an organization that offers TA (UNODC, the Council of Europe...): no Party, no submission
    PROVIDER = "provider"
    # the installation acting on its own (command line, demo loader): never a person's account
    SYSTEM = "system"
    # a governmental expert named by a reviewing Party (peer review): only the reviews assigned to it
    REVIEWER = "reviewer"


PARTY_ROLES = frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER})


@dataclass(frozen=True)
class Actor:
    """The user (or named system context) on whose behalf a call is made."""

    id: str
    role: Role
    party: str | None = None
    name: str = ""
    # the organization a provider user acts for, as its offers name it
    provider: str | None = None
    # a reviewer's assigned reviews, as (cycle id, reviewed Party) pairs
    reviews: frozenset[tuple[str, str]] = frozenset()

    @property
    def is_secretariat(self) -> bool:
        return self.role in (Role.SECRETARIAT, Role.SYSTEM)

    @property
    def is_system(self) -> bool:
        return self.role is Role.SYSTEM

    def belongs_to(self, party: str | None) -> bool:
        return self.role in PARTY_ROLES and party is not None and self.party == party

    def speaks_for(self, provider: str | None) -> bool:
        """Whether this is a provider user of the organization named `provider`."""
        return self.role is Role.PROVIDER and bool(provider) and self.provider == provider

    def reviews_on(self, cycle: str | None, party: str | None) -> bool:
        """Whether this is a reviewer assigned to the review of `party` in `cycle`."""
        return self.role is Role.REVIEWER and cycle is not None and party is not None and (cycle, party) in self.reviews


PUBLIC = Actor("public", Role.PUBLIC)


def system(purpose: str) -> Actor:
    """The installation acting for `purpose` ("command line", "demo loader"), as the audit log shows it."""
    purpose = purpose.strip()
    if not purpose:
        raise ValueError("a system context needs a purpose")
    return Actor(f"system:{purpose}", Role.SYSTEM, name=purpose)


class Scope(StrEnum):
    PARTY = "party"
    PROVIDER = "provider"
    SECRETARIAT = "secretariat"
    REVIEW = "review"


@dataclass(frozen=True)
class Action:
    """One registered action: who may take it, how far it reaches, and what it is."""

    name: str
    roles: frozenset[Role]
    scopes: frozenset[Scope]
    description: str


ACTIONS: dict[str, Action] = {}


def register(name: str, description: str, roles: set[Role], scopes: set[Scope]) -> Action:
    """Register an action once; registering the same name twice is a programming error."""
    if name in ACTIONS:
        raise ValueError(f"action {name!r} is registered twice")
    ACTIONS[name] = Action(name, frozenset(roles), frozenset(scopes), description)
    return ACTIONS[name]


_F, _C, _O, _S, _P = Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER, Role.SECRETARIAT, Role.PROVIDER
_R = Role.REVIEWER
_PARTY, _PROVIDER, _SEC, _REVIEW = Scope.PARTY, Scope.PROVIDER, Scope.SECRETARIAT, Scope.REVIEW

register("submission.read", "Read a Party's submission in a cycle, unpublished answers included (a reviewer: "
         "the reviewed Party's, in the cycle of its review).", {_F, _C, _O, _S, _R}, {_PARTY, _REVIEW})
register("submission.edit", "Save answers in a Party's submission online.", {_F, _C}, {_PARTY})
register("submission.submit", "Submit a Party's self-assessment to the secretariat.", {_F}, {_PARTY})
register("submission.import", "Import a filled workbook into a Party's submission.", {_F, _C, _S}, {_PARTY})
register("submission.review", "Open the inbox of submissions across Parties.", {_S}, {_SEC})
register("submission.comment", "Comment on a provision of a submission under review.", {_S}, {_SEC})
register("submission.return", "Return a submission to its Party for clarification.", {_S}, {_SEC})
register("submission.validate", "Validate a submission.", {_S}, {_SEC})
register("submission.publish", "Publish a validated submission whose Party consented.", {_S}, {_SEC})
register("cycle.manage", "Open and change review cycles and register questionnaires.", {_S}, {_SEC})
register("user.manage", "Invite, change and deactivate user accounts.", {_S}, {_SEC})
register("audit.read", "Read the audit log.", {_S}, {_SEC})
register("analysis.unpublished", "Read analyses over every Party's unpublished answers.", {_S}, {_SEC})
register("analysis.snapshot", "Write the public snapshot of published data.", {_S}, {_SEC})
register("backup.take", "Take a backup copy of the whole database.", {_S}, {_SEC})
register("match.read", "Read the TA matching report (each role sees its own part of it).", {_F, _C, _O, _S, _P}, set())
register("match.decide", "Accept or decline a match suggested for one's own Party's need.", {_F}, {_PARTY})
register("match.progress", "Record the progress of an accepted match (a Party's users: their own).", {_F, _S}, set())
register("offer.register", "Register or withdraw a TA offer in one's own Party's or organization's name.",
         {_F, _S, _P}, {_PARTY, _PROVIDER})
register("offer.import", "Import a workbook of TA offers.", {_S}, {_SEC})
register("provider.workspace", "Use a provider organization's workspace.", {_P}, set())
register("request.file", "File a standalone TA request for one's own Party.", {_F, _C, _S}, {_PARTY})
register("notice.choose", "Choose which notices one receives by e-mail, and in which language.", {_F, _C, _O, _S, _P}, set())
register("notice.read", "Read the outbox of notices: who was told what, and whether it was sent.", {_S}, {_SEC})
register("notice.send", "Queue the reminders that are due and deliver the outbox of notices.", {_S}, {_SEC})
# published TA needs and offers (issue 17)
register("need.publish", "Publish, or withdraw from publication, one's own Party's TA need or standalone request.",
         {_F}, {_PARTY})
register("offer.publish", "Publish, or withdraw from publication, a TA offer of one's own Party or organization.",
         {_F, _S, _P}, {_PARTY, _PROVIDER})
# peer review: reviewers, stages, desk review, calendar (review/peer/reviews.py)
register("peer.read", "Read a peer review (reviewers, stages, desk review threads, dialogue): the reviewed "
         "Party's users, its assigned reviewers and the secretariat.", {_F, _C, _O, _S, _R}, {_PARTY, _REVIEW})
register("peer.assign", "Attach a reviewing Party's expert to a review, or remove them.", {_S}, {_SEC})
register("peer.plan", "Set the planned dates of a review's stages and record its constructive dialogue.", {_S}, {_SEC})
register("peer.question", "Comment on a provision or ask the reviewed Party a question in a review's desk review.",
         {_S, _R}, {_REVIEW})
register("peer.answer", "Answer the reviewers' questions on one's own Party's review.", {_F, _C}, {_PARTY})
register("peer.stage", "Complete a secretariat's stage of a review (submitted, dialogue, summary, published).",
         {_S}, {_SEC})
register("peer.conclude", "Complete a reviewers' stage of a review one is assigned to (desk review, draft report).",
         {_S, _R}, {_REVIEW})
register("peer.agree", "Agree, for one's own Party, to the draft report of its review.", {_F}, {_PARTY})
register("peer.progress", "Read the progress of every review against the calendar and each reviewing Party's "
         "workload.", {_S}, {_SEC})
# peer review: the drawing of lots (its list is public once drawn: reading it needs no action)
register("peer.draw", "Draw lots for the reviewing Parties of a cycle, and redraw at a Party's request.", {_S}, {_SEC})
register("report.read", "Read a country review report and its executive summaries before they are published (the "
         "reviewed Party's users, its assigned reviewers and the secretariat).", {_F, _C, _O, _S, _R}, {_PARTY, _REVIEW})
register("report.edit", "Draft and edit a country review report, its observations, recommendations and executive summaries "
         "(the secretariat, and the review's assigned reviewers).", {_S, _R}, {_SEC, _REVIEW})
register("report.consent", "Agree that the full country review report of one's own Party is published.", {_F, _S}, {_PARTY})
register("followup.edit", "Record the status and evidence of an earlier recommendation to one's own Party.",
         {_F, _C, _S}, {_PARTY})
register("submission.document", "Download a Party's full submission in a cycle as a document (its own users and the "
         "secretariat).", {_F, _C, _O, _S}, {_PARTY})


def action(name: str) -> Action:
    """The registered action called `name`; an unknown name is refused (a programming error)."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise LookupError(f"unknown action {name!r}: register it in review/access.py") from None


def allowed(actor: Actor, name: str, party: str | None = None, provider: str | None = None,
            cycle: str | None = None) -> bool:
    """Whether `actor` may take action `name` (on `party`'s data for Party-scoped actions; for
    `provider`, the organization concerned, for provider-scoped ones; for a reviewer, on the review
    of `party` in `cycle`)."""
    act = action(name)
    if actor.role is Role.SYSTEM:
        return Role.SECRETARIAT in act.roles
    if actor.role not in act.roles:
        return False
    if actor.role is Role.REVIEWER:  # never unscoped: only its own reviews
        return Scope.REVIEW in act.scopes and actor.reviews_on(cycle, party)
    if actor.role in PARTY_ROLES and Scope.PARTY in act.scopes:
        return actor.belongs_to(party)
    if actor.role is Role.PROVIDER and Scope.PROVIDER in act.scopes:
        return actor.speaks_for(provider)
    return True


def require(actor: Actor, name: str, party: str | None = None, provider: str | None = None,
            cycle: str | None = None) -> None:
    """Refuse, with a message the user understands, anything the policy does not allow."""
    if not allowed(actor, name, party, provider, cycle):
        raise PermissionDenied("errors.permission_denied", action=name, role=actor.role.value)


@dataclass(frozen=True)
class Viewer:
    """What one acting user may see of one source, decided once, here: the submission reads, the
    analysis views and the matching report all ask it instead of deciding for themselves.

    `sight` is 'all' (every Party's working answers: the secretariat), 'party' (its own Party's
    working answers beside what is public), 'provider' (its organization's offers beside what is
    public) or 'public' (published data only). A peer reviewer reads the reviewed Party's submission
    through `submission.read` (its review scope), never through the analyses: here it is the public."""

    actor: Actor
    sight: str
    party: str | None = None
    provider: str | None = None

    @property
    def sees_everything(self) -> bool:
        return self.sight == "all"

    def sees_unpublished(self, party: str | None) -> bool:
        """Whether this viewer reads `party`'s working (unpublished) answers."""
        return self.sight == "all" or (self.sight == "party" and party is not None and party == self.party)


def viewer(actor: Actor, *, public_source: bool = False) -> Viewer:
    """The viewer for `actor` reading a source; a published snapshot (`public_source`) holds only public
    data, so whoever reads it is the public."""
    if public_source:
        return Viewer(actor, "public")
    if allowed(actor, "analysis.unpublished"):
        return Viewer(actor, "all")
    if actor.role in PARTY_ROLES and actor.party and allowed(actor, "submission.read", actor.party):
        return Viewer(actor, "party", party=actor.party)
    if actor.role is Role.PROVIDER and actor.provider:
        return Viewer(actor, "provider", provider=actor.provider)
    return Viewer(actor, "public")
