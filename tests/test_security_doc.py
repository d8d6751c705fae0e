"""docs/security.md states who may do what from the policy itself: a registered action missing from
its table, or shown with other roles or scope, fails here."""

from __future__ import annotations

import re
from pathlib import Path

from review.access import ACTIONS

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
ROW = re.compile(r"^\| `([a-z_.]+)` \| ([a-z_, ]+) \| ([a-z, —]+) \| (.+) \|$", re.MULTILINE)


def test_the_threat_model_table_is_the_registered_policy():
    documented = {m[1]: (set(m[2].split(", ")), set(m[3].split(", ")) - {"—"}, m[4].strip())
                  for m in ROW.finditer(DOC.read_text(encoding="utf-8"))}
    registered = {a.name: ({r.value for r in a.roles}, {s.value for s in a.scopes}, a.description)
                  for a in ACTIONS.values()}
    assert documented == registered


def test_the_security_page_has_every_section_the_issue_asks_for():
    headings = set(re.findall(r"^## (.+)$", DOC.read_text(encoding="utf-8"), re.MULTILINE))
    assert {"How to report a vulnerability", "Threat model", "Uploads", "Login", "Party text",
            "Exports and replicas"} <= headings
