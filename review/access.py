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
A peer reviewer (issue: peer review) is one more scope: `review`, a reviewing expert on the one
Party and cycle of the review they are assigned to, checked against a table of assignments, with
no new mechanism.

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
_PARTY, _PROVIDER, _SEC = Scope.PARTY, Scope.PROVIDER, Scope.SECRETARIAT

register("submission.read", "Read a Party's submission in a cycle, unpublished answers included.", {_F, _C, _O, _S}, {_PARTY})
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


def action(name: str) -> Action:
    """The registered action called `name`; an unknown name is refused (a programming error)."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise LookupError(f"unknown action {name!r}: register it in review/access.py") from None


def allowed(actor: Actor, name: str, party: str | None = None, provider: str | None = None) -> bool:
    """Whether `actor` may take action `name` (on `party`'s data for Party-scoped actions; for
    `provider`, the organization concerned, for provider-scoped ones)."""
    act = action(name)
    if actor.role is Role.SYSTEM:
        return Role.SECRETARIAT in act.roles
    if actor.role not in act.roles:
        return False
    if actor.role in PARTY_ROLES and Scope.PARTY in act.scopes:
        return actor.belongs_to(party)
    if actor.role is Role.PROVIDER and Scope.PROVIDER in act.scopes:
        return actor.speaks_for(provider)
    return True


def require(actor: Actor, name: str, party: str | None = None, provider: str | None = None) -> None:
    """Refuse, with a message the user understands, anything the policy does not allow."""
    if not allowed(actor, name, party, provider):
        raise PermissionDenied("errors.permission_denied", action=name, role=actor.role.value)


@dataclass(frozen=True)
class Viewer:
    """What one acting user may see of one source, decided once, here: the submission reads, the
    analysis views and the matching report all ask it instead of deciding for themselves.

    `sight` is 'all' (every Party's working answers: the secretariat), 'party' (its own Party's
    working answers beside what is public), 'provider' (its organization's offers beside what is
    public) or 'public' (published data only). A peer reviewer will be one more sight: its own
    Party's answers plus the reviewed Party's submission in the cycle of the review."""

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
