"""Who may do what: roles, the acting user, and the permission table every service consults.

Every service function takes the acting user and calls `require` before touching data, so that
a page left visible by mistake, a crafted URL or a script still cannot cross a Party's line.
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


PARTY_ROLES = frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER})


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a call is made."""

    id: str
    role: Role
    party: str | None = None
    name: str = ""
    # the organization a provider user acts for, as its offers name it
    provider: str | None = None

    @property
    def is_secretariat(self) -> bool:
        return self.role is Role.SECRETARIAT

    def belongs_to(self, party: str | None) -> bool:
        return self.role in PARTY_ROLES and party is not None and self.party == party

    def speaks_for(self, provider: str | None) -> bool:
        """Whether this is a provider user of the organization named `provider`."""
        return self.role is Role.PROVIDER and bool(provider) and self.provider == provider


PUBLIC = Actor("public", Role.PUBLIC)
OPERATOR = Actor("operator", Role.SECRETARIAT, name="Command line")

# action -> roles allowed; party-scoped actions are further limited to the actor's own Party, and
# provider-scoped ones to a provider user's own organization.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "submission.read": frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER, Role.SECRETARIAT}),
    "submission.edit": frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR}),
    "submission.submit": frozenset({Role.FOCAL_POINT}),
    "submission.import": frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.SECRETARIAT}),
    "submission.review": frozenset({Role.SECRETARIAT}),
    "submission.comment": frozenset({Role.SECRETARIAT}),
    "submission.return": frozenset({Role.SECRETARIAT}),
    "submission.validate": frozenset({Role.SECRETARIAT}),
    "submission.publish": frozenset({Role.SECRETARIAT}),
    "cycle.manage": frozenset({Role.SECRETARIAT}),
    "user.manage": frozenset({Role.SECRETARIAT}),
    "audit.read": frozenset({Role.SECRETARIAT}),
    "analysis.unpublished": frozenset({Role.SECRETARIAT}),
    "analysis.snapshot": frozenset({Role.SECRETARIAT}),
    # TA matching: a Party decides on the matches for its own needs and files its own requests and offers;
    # a provider user reads what its organization's offers could serve and registers its offers.
    "match.read": frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER, Role.SECRETARIAT, Role.PROVIDER}),
    "match.decide": frozenset({Role.FOCAL_POINT}),
    "match.progress": frozenset({Role.FOCAL_POINT, Role.SECRETARIAT}),
    "offer.register": frozenset({Role.FOCAL_POINT, Role.SECRETARIAT, Role.PROVIDER}),
    "offer.import": frozenset({Role.SECRETARIAT}),
    "provider.workspace": frozenset({Role.PROVIDER}),
    "request.file": frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.SECRETARIAT}),
}
PARTY_SCOPED = frozenset({"submission.read", "submission.edit", "submission.submit", "submission.import",
                          "match.decide", "offer.register", "request.file"})
PROVIDER_SCOPED = frozenset({"offer.register"})


def allowed(actor: Actor, action: str, party: str | None = None, provider: str | None = None) -> bool:
    """Whether `actor` may do `action` (on `party`'s data, for party-scoped actions; for `provider`,
    the organization concerned, for provider-scoped ones)."""
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        return False
    if action in PARTY_SCOPED and actor.role in PARTY_ROLES:
        return actor.belongs_to(party)
    if actor.role is Role.PROVIDER:
        return action not in PROVIDER_SCOPED or actor.speaks_for(provider)
    return True


def require(actor: Actor, action: str, party: str | None = None, provider: str | None = None) -> None:
    """Refuse, with a message the user understands, anything the permission table does not allow."""
    if not allowed(actor, action, party, provider):
        raise PermissionDenied("errors.permission_denied", action=action, role=actor.role.value)
