"""The menu, built per user on every run: a page a role may not use is simply not in it.

Pages still check again themselves (a URL can be typed) and the library checks every action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from review.access import PARTY_ROLES, PUBLIC, Actor, Role
from review.i18n import t

Audience = Callable[[Actor], bool]
everyone: Audience = lambda actor: True  # noqa: E731
secretariat: Audience = lambda actor: actor.role is Role.SECRETARIAT  # noqa: E731
# a Party's own users (a reviewer also names a Party, the one it reviews for, but reads none of its data)
party_members: Audience = lambda actor: actor.role in PARTY_ROLES and actor.party is not None  # noqa: E731
reviewers: Audience = lambda actor: actor.role is Role.REVIEWER  # noqa: E731
focal_points: Audience = lambda actor: actor.role is Role.FOCAL_POINT  # noqa: E731
providers: Audience = lambda actor: actor.role is Role.PROVIDER  # noqa: E731
anonymous: Audience = lambda actor: actor is PUBLIC or actor.role is Role.PUBLIC  # noqa: E731
logged_in: Audience = lambda actor: not anonymous(actor)  # noqa: E731
nobody: Audience = lambda actor: False  # noqa: E731


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    section_key: str
    audience: Audience
    default: bool = False
    # whether a public replica, serving a published snapshot without a database, offers the page
    replica: bool = False


PAGES: list[PageSpec] = [
    PageSpec("app/pages/overview.py", "nav.overview", ":material/monitoring:", "nav.section_public", everyone, default=True, replica=True),
    PageSpec("app/pages/dashboard_implementation.py", "nav.dashboard_implementation", ":material/grid_on:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/dashboard_map.py", "nav.dashboard_map", ":material/public:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/dashboard_needs.py", "nav.dashboard_needs", ":material/handshake:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/dashboard_tracker.py", "nav.dashboard_tracker", ":material/checklist:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/dashboard_change.py", "nav.dashboard_change", ":material/trending_up:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/country_profile.py", "nav.country_profile", ":material/flag:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/ta_public.py", "tapub.nav_title", ":material/volunteer_activism:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/legislation_library.py", "nav.legislation_library", ":material/gavel:", "nav.section_dashboards", everyone, replica=True),
    PageSpec("app/pages/dashboard_evidence.py", "nav.dashboard_evidence", ":material/fact_check:", "nav.section_secretariat_analysis", secretariat),
    # accounts, the secretariat's workspace and the published answers
    PageSpec("app/pages/published_answers.py", "nav.published_answers", ":material/menu_book:", "nav.section_public", everyone),
    PageSpec("app/pages/secretariat_inbox.py", "nav.secretariat_inbox", ":material/inbox:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/secretariat_submission.py", "nav.secretariat_submission", ":material/rate_review:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/secretariat_cycles.py", "nav.secretariat_cycles", ":material/event:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/secretariat_users.py", "nav.secretariat_users", ":material/group:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/secretariat_backups.py", "nav.secretariat_backups", ":material/backup:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/secretariat_audit.py", "nav.secretariat_audit", ":material/manage_search:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/secretariat_lots.py", "lots.nav", ":material/casino:", "nav.section_secretariat", secretariat),
    PageSpec("app/pages/login.py", "nav.login", ":material/login:", "nav.section_account", anonymous),
    PageSpec("app/pages/account.py", "nav.account", ":material/person:", "nav.section_account", logged_in),
    PageSpec("app/pages/activate.py", "nav.activate", ":material/key:", "nav.section_account", nobody),
    # A Party's workspace
    PageSpec("app/pages/party_cycle.py", "nav.party_cycle", ":material/event_note:", "nav.section_party", party_members),
    PageSpec("app/pages/party_questionnaire.py", "nav.party_questionnaire", ":material/edit_document:", "nav.section_party", party_members),
    PageSpec("app/pages/party_workbook.py", "nav.party_workbook", ":material/table_view:", "nav.section_party", party_members),
    PageSpec("app/pages/party_submit.py", "nav.party_submit", ":material/send:", "nav.section_party", focal_points),
    PageSpec("app/pages/party_history.py", "nav.party_history", ":material/history:", "nav.section_party", party_members),
    # TA matching
    PageSpec("app/pages/ta_matching.py", "nav.ta_matching", ":material/handshake:", "nav.section_matching", secretariat),
    PageSpec("app/pages/ta_party.py", "nav.ta_party", ":material/volunteer_activism:", "nav.section_matching", party_members),
    # A provider organization's workspace
    PageSpec("app/pages/ta_provider.py", "nav.ta_provider", ":material/diversity_3:", "nav.section_matching", providers),
    # Peer review: the public calendar, the reviewer's workspace, the reviewed Party's view, the secretariat's management
    PageSpec("app/pages/peer_calendar.py", "nav.peer_calendar", ":material/calendar_month:", "nav.section_public", everyone, replica=True),
    PageSpec("app/pages/peer_reviewer.py", "nav.peer_reviewer", ":material/rate_review:", "nav.section_peer", reviewers),
    PageSpec("app/pages/party_review.py", "nav.party_review", ":material/forum:", "nav.section_party", party_members),
    PageSpec("app/pages/secretariat_reviews.py", "nav.secretariat_reviews", ":material/groups:", "nav.section_secretariat", secretariat),
    # peer review: country review reports, follow-up of recommendations
    PageSpec("app/pages/review_reports.py", "nav.review_reports", ":material/article:", "nav.section_peer",
             lambda a: secretariat(a) or party_members(a) or reviewers(a)),
    PageSpec("app/pages/party_followup.py", "nav.party_followup", ":material/task_alt:", "nav.section_party", party_members),
    PageSpec("app/pages/dashboard_recommendations.py", "nav.dashboard_recommendations", ":material/fact_check:",
             "nav.section_dashboards", everyone, replica=True),
]


def menu(actor: Actor) -> list[PageSpec]:
    """The pages listed in this actor's menu, in order."""
    return [spec for spec in PAGES if spec.audience(actor)]


def pages_for(actor: Actor, lang: str, replica: bool = False) -> dict[str, list[st.Page]]:
    """The menu sections and pages this actor may use, titled in their language; on a public
    replica only the pages that run from a published snapshot.

    The other pages are registered hidden, so that an address typed, or kept from another role,
    opens the page's own refusal rather than a missing page."""
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if replica and not spec.replica:
            continue
        shown = spec.audience(actor)
        page = st.Page(spec.path, title=t(spec.title_key, lang), icon=spec.icon, default=spec.default,
                       url_path=spec.path.rsplit("/", 1)[-1].removesuffix(".py"),
                       visibility="visible" if shown else "hidden")
        sections.setdefault(t(spec.section_key, lang) if shown else "", []).append(page)
    return sections


def only(path: str, lang: str) -> dict[str, list[st.Page]]:
    """A menu of one page, as when a password must be changed before anything else."""
    spec = next(s for s in PAGES if s.path == path)
    page = st.Page(spec.path, title=t(spec.title_key, lang), icon=spec.icon, default=True,
                   url_path=spec.path.rsplit("/", 1)[-1].removesuffix(".py"))
    return {t(spec.section_key, lang): [page]}
