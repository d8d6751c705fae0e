"""The menu, built per user on every run: a page a role may not use is simply not in it.

Pages still check again themselves (a URL can be typed) and the library checks every action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from review.access import PUBLIC, Actor, Role
from review.i18n import t

Audience = Callable[[Actor], bool]
everyone: Audience = lambda actor: True  # noqa: E731
secretariat: Audience = lambda actor: actor.role is Role.SECRETARIAT  # noqa: E731
party_members: Audience = lambda actor: actor.party is not None  # noqa: E731
anonymous: Audience = lambda actor: actor is PUBLIC or actor.role is Role.PUBLIC  # noqa: E731


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    section_key: str
    audience: Audience
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec("app/pages/overview.py", "nav.overview", ":material/monitoring:", "nav.section_public", everyone, default=True),
    PageSpec("app/pages/dashboard_implementation.py", "nav.dashboard_implementation", ":material/grid_on:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/dashboard_map.py", "nav.dashboard_map", ":material/public:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/dashboard_needs.py", "nav.dashboard_needs", ":material/handshake:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/dashboard_tracker.py", "nav.dashboard_tracker", ":material/checklist:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/dashboard_change.py", "nav.dashboard_change", ":material/trending_up:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/country_profile.py", "nav.country_profile", ":material/flag:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/legislation_library.py", "nav.legislation_library", ":material/gavel:", "nav.section_dashboards", everyone),
    PageSpec("app/pages/dashboard_evidence.py", "nav.dashboard_evidence", ":material/fact_check:", "nav.section_secretariat_analysis", secretariat),
    # TA matching
    PageSpec("app/pages/ta_matching.py", "nav.ta_matching", ":material/handshake:", "nav.section_matching", secretariat),
    PageSpec("app/pages/ta_party.py", "nav.ta_party", ":material/volunteer_activism:", "nav.section_matching", party_members),
]


def pages_for(actor: Actor, lang: str) -> dict[str, list[st.Page]]:
    """The menu sections and pages this actor may use, titled in their language."""
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if spec.audience(actor):
            page = st.Page(spec.path, title=t(spec.title_key, lang), icon=spec.icon, default=spec.default,
                           url_path=spec.path.rsplit("/", 1)[-1].removesuffix(".py"))
            sections.setdefault(t(spec.section_key, lang), []).append(page)
    return sections
