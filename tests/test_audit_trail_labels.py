"""Every action the code base writes to the audit log reads as labels on the audit trail, in every language:
no raw code, JSON, ISO date or None in what changed, before or after.

The actions are not listed here: they are `review.audit.AUDITED`, which `audit.record_all` enforces at run
time and which is checked below against every audit write in the source (both ways). Each needs a sample
change in `samples` (the shape its code writes); a new audited action without one fails
`test_every_audited_action_reads_as_labels_in_every_language` until it has one, and its rendering passes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from review import audit, users
from review.access import system
from review.audit_trail import Filters, trail
from review.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
WRITER = system("audit labels test")


def _audit_writes() -> tuple[set[str], list[str], set[str]]:
    """From the source of review/ and app/: the action names written as literals at audit writes (and in
    the five-field entries `record_all` takes), the patterns of those written as f-strings, and every
    string literal (to find where each registered action is written)."""
    literal, patterns, strings = set(), [], set()

    def action_of(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literal.add(node.value)
        elif isinstance(node, ast.JoinedStr):
            patterns.append("".join(re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in node.values))

    for path in [*(ROOT / "review").rglob("*.py"), *(ROOT / "app").rglob("*.py")]:
        if path.name == "audit.py" and path.parent.name == "review":
            continue  # the registry itself
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "record", "record_all", "record_each") and isinstance(node.func.value, ast.Name) \
                    and node.func.value.id == "audit":
                if node.func.attr == "record" and len(node.args) >= 3:
                    action_of(node.args[2])
                elif node.func.attr in ("record_all", "record_each") and len(node.args) >= 2:
                    listed = node.args[-1]  # record_each's entries name their actor first
                    at = 1 if node.func.attr == "record_each" else 0
                    elts = listed.elts if isinstance(listed, ast.List) else [listed.elt] if isinstance(listed, ast.ListComp) else []
                    for elt in elts:
                        if isinstance(elt, ast.Tuple) and len(elt.elts) > at:
                            action_of(elt.elts[at])
            # an entry built apart from the call: ([actor,] action, entity, entity id, before, after)
            if isinstance(node, ast.Tuple) and len(node.elts) in (5, 6):
                at = len(node.elts) - 5
                if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts[at:at + 2]) \
                        and re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", node.elts[at].value):
                    action_of(node.elts[at])
    return literal, patterns, strings


def test_the_registry_is_what_the_source_writes():
    literal, patterns, strings = _audit_writes()
    assert literal and patterns
    assert sorted(literal - audit.AUDITED) == [], "audit writes of actions not registered in review/audit.py AUDITED"
    assert [p for p in patterns if not any(re.fullmatch(p, a) for a in audit.AUDITED)] == []
    unwritten = [a for a in audit.AUDITED if a not in strings and not any(re.fullmatch(p, a) for p in patterns)]
    assert unwritten == [], "registered actions nothing in the source writes"


def test_an_unregistered_action_is_refused(store):
    with pytest.raises(LookupError, match="review/audit.py"):
        with store.transaction() as cur:
            audit.record(cur, WRITER, "made.up", "cycle", "x")


def samples(store) -> dict[str, tuple[str, str, object, object]]:
    """One change of each audited action on the demo, shaped as its code writes it:
    action -> (entity, entity id, before, after)."""
    focal = users.find_by_email(store, "ken.focal@demo.example.org").id
    expert = users.find_by_email(store, "arg.reviewer@demo.example.org").id
    with store.read() as cur:
        item = cur.execute("SELECT id FROM review_report_item LIMIT 1").fetchone()[0]
    need = "q:review-2026/KEN/17.1.b/incident_response/33511545b6"
    answer = ({"7.1/status": "partly_implemented"}, {"7.1/status": "implemented"})
    offer = {"id": "OFR-0001", "provider": "UNODC", "provider_kind": "unodc", "provider_party": None,
             "role": "implementing", "types": ["legal_advice", "incident_response"], "provisions": ["7.1"],
             "articles": [7], "chapters": ["II"], "languages": ["en", "fr"], "regions": ["AFR"], "countries": ["KEN"],
             "capacity": 2, "modalities": ["remote"], "starts": "2026-01-01", "ends": "2026-12-31",
             "description": "Advice on the drafting of laws."}
    item_fields = {"provision": "7.1", "kind": "recommendation", "priority": "high", "text": "Adopt a law."}
    review = "review-2026/KEN"
    stages = {"submitted": "2026-05-08", "desk_review": None}
    return {
        "answers.save": ("submission", review, *answer),
        "answers.import": ("submission", review, *answer),
        "answers.import.take_workbook": ("submission", review, *answer),
        "revision.freeze": ("submission", review, None, {"revision": 2, "kind": "imported", "seq": 5}),
        "comment.add": ("submission", review, None, {"provision": "7.1", "body": "Which law?"}),
        "submission.submit": ("submission", review, {"state": "draft"}, {"state": "submitted", "consent_publication": True}),
        "submission.consent": ("submission", review, {"consent_publication": False}, {"consent_publication": True}),
        "submission.return": ("submission", review, {"state": "submitted"}, {"state": "returned"}),
        "submission.validate": ("submission", review, {"state": "submitted"}, {"state": "validated"}),
        "submission.publish": ("submission", review, {"state": "validated"}, {"state": "published"}),
        "cycle.create": ("cycle", "review-2026", None, {
            "title": "First review", "questionnaire": ["uncc-self-assessment", "1.1"], "chapters": ["II", "IV"],
            "parties": ["FRA", "KEN"], "deadline": "2026-10-31"}),
        "cycle.deadline": ("cycle", "review-2026", {"deadline": "2026-10-31"}, {"deadline": "2026-12-31"}),
        "participation.record": ("participation", "uncc-2024/KEN", {"signature": None, "consent": None, "kind": None,
                                                               "in_force": None},
                                 {"signature": "2025-10-25", "consent": "2026-01-05", "kind": "accession",
                                  "in_force": "2026-02-04"}),
        "user.create": ("user", focal, None, {"email": "new@example.org", "name": "New", "role": "focal_point",
                                              "party": "KEN", "first_password": True}),
        "user.invite": ("user", focal, None, {"expires_at": "2026-12-11T09:30"}),
        "user.activate_account": ("user", focal, None, None),
        "user.role": ("user", focal, {"role": "observer", "party": "KEN"}, {"role": "provider", "party": None,
                                                                           "provider": "UNODC"}),
        "user.activate": ("user", focal, {"active": False}, {"active": True}),
        "user.deactivate": ("user", focal, {"active": True}, {"active": False}),
        "user.password_change": ("user", focal, None, None),
        "user.login": ("user", focal, None, {"method": "oidc"}),
        "user.language": ("user", focal, {"language": "en"}, {"language": "ar"}),
        "notice.choose": ("user", focal, {"language": "en", "kinds": ["deadline", "returned"]},
                          {"language": "fr", "kinds": ["stage_due", "match_suggested"]}),
        "offer.register": ("ta_offer", "OFR-0001", None, offer),
        "offer.withdraw": ("ta_offer", "OFR-0001", {"active": True}, {"active": False}),
        "request.file": ("ta_request", "REQ-0001", None, {
            "id": "REQ-0001", "party": "KEN", "type": "e_evidence_forensics", "priority": "high", "article": 29,
            "chapter": "IV", "description": "A laboratory.", "languages": ["en"], "modality": "on_site",
            "needed_by": "2027-03-01"}),
        "preference.languages": ("ta_preference", "KEN", {"languages": ["en"]}, {"languages": ["en", "zh"]}),
        **{f"match.{step}": ("ta_match", f"{need}|OFR-0003", {"state": before}, {"state": after})
           for step, before, after in (("accept", "suggested", "accepted"), ("decline", "suggested", "declined"),
                                       ("start", "accepted", "in_progress"), ("deliver", "in_progress", "delivered"))},
        "need.publish": ("ta_need", need, {"published": False}, {"published": True}),
        "need.unpublish": ("ta_need", "r:REQ-0001", {"published": True}, {"published": False}),
        "offer.publish": ("ta_offer", "OFR-0001", {"published": False}, {"published": True}),
        "offer.unpublish": ("ta_offer", "OFR-0001", {"published": True}, {"published": False}),
        "peer.draw": ("review_draw", "review-2026/lots/1", None, {
            "cycle": "review-2026", "seed": 9026,
            "rules": {"other_reviewer": "other_group", "max_reviews_per_reviewer": 3, "no_reciprocal_reviews": True,
                      "max_redraws_per_party": 2, "reviewers": "cycle_participants", "party_without_group": "refuse"},
            "reviews": {"KEN": {"other": "SWE", "regional": "NGA"}, "FRA": {"regional": "DEU", "other": "BRA"}}}),
        "peer.redraw": ("peer_review", review, {"reviewers": {"regional": "NGA", "other": "SWE"}, "redraws": 0},
                        {"reviewers": {"regional": "NGA", "other": "BRA"}, "redraws": 1, "seed": 12,
                         "draw": "review-2026/lots/2", "experts_removed": [expert]}),
        "peer.expert_assign": ("peer_review", review, None, {"user": expert, "reviewing_party": "ARG"}),
        "peer.expert_remove": ("peer_review", review, {"user": expert, "reviewing_party": "ARG"}, None),
        "peer.plan": ("peer_review", review, dict.fromkeys(stages), stages),
        "peer.stage": ("peer_review", review, {"stage": "desk_review"}, {"stage": "dialogue"}),
        "peer.dialogue": ("peer_review", review, None, {
            "kind": "joint_meeting", "starts": "2026-10-25", "ends": "2026-10-27", "place": "Vienna",
            "participants": "Experts", "notes": ""}),
        **{f"peer.desk_{kind}": ("peer_review", review, None, {"provision": "7.1", "number": 1, "body": "Which law?"})
           for kind in ("question", "answer", "comment")},
        "report.draft": ("review_report", review, None, {"lang": "ru", "texts": 273, "items": 35}),
        "report.redraft_summaries": ("review_report", review, None, None),
        "report.edit_text": ("review_report", f"{review}/1/intro", "The old text.", "The new text."),
        "report.add_item": ("review_report_item", item, None, item_fields),
        "report.edit_item": ("review_report_item", item, item_fields, {**item_fields, "kind": "observation",
                                                                      "priority": "low"}),
        "report.remove_item": ("review_report_item", item, item_fields, None),
        "report.edit_summary": ("review_summary", f"{review}/fr", "Résumé.", "Résumé revu."),
        "report.consent": ("peer_review", review, None, True),
        "followup.record": ("recommendation_followup", f"{item}/review-2026", {"status": "not_started", "evidence": ""},
                            {"status": "in_progress", "evidence": "A bill."}),
    }


def _codes(payload) -> set[str]:
    """The codes and identifiers a payload holds (never shown as they are): lower-case codes, user ids,
    Party codes, cycle ids."""
    found: set[str] = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            found |= _codes(value) | ({key} if not re.fullmatch(r"\d+(\.\w+)*(/\w+)?", key) else set())
    elif isinstance(payload, list):
        for value in payload:
            found |= _codes(value)
    elif isinstance(payload, str) and (re.fullmatch(r"[a-z0-9_]*[a-z_][a-z0-9_]*", payload)
                                       or re.fullmatch(r"[A-Z]{3}", payload) or payload.startswith("review-")):
        found.add(payload)
    return found


RAW = re.compile(r"[{}\[\]]|\b(None|True|False|null|true|false)\b|\b[a-z]+_[a-z_]+\b|\b\d{4}-\d{2}-\d{2}\b")


def _raw_parts(text: str, codes: set[str]) -> list[str]:
    """What in a shown text is raw: JSON or Python literals, a snake_case code, an ISO date, or an item that
    is one of the payload's codes as it is."""
    found = [m.group(0) for m in RAW.finditer(text)]
    return found + [part for part in re.split(r"; |, |: | \(|\)| · ", text) if part in codes]


def test_every_audited_action_reads_as_labels_in_every_language(demo_store):
    changes = samples(demo_store)
    assert set(changes) == set(audit.AUDITED), "give each audited action a sample change here"
    with demo_store.transaction() as cur:
        audit.record_all(cur, WRITER, [(action, *change) for action, change in changes.items()])
    problems = []
    for lang in LANGUAGES:
        lines = trail(demo_store, WRITER, Filters(user=WRITER.id), lang=lang).lines
        assert {line.action for line in lines} == set(audit.AUDITED)
        if lang == "en":  # what an entry is about reads as names too
            subjects = {line.action: line.subject for line in lines}
            assert subjects["participation.record"] == "United Nations Convention against Cybercrime · Kenya"
            assert subjects["peer.draw"] == "Draw 1, First review cycle (synthetic demo)"
            assert subjects["match.accept"] == ("First review cycle (synthetic demo) · Kenya · Art. 17(1)(b) · "
                                                "Cyber incident response · OFR-0003")
        for line in lines:
            _, _, before, after = changes[line.action]
            codes = _codes(before) | _codes(after) | {line.action}
            if line.action_label == line.action or _raw_parts(line.action_label, codes):
                problems.append((lang, line.action, "action", line.action_label))
            if re.fullmatch(r"[a-z0-9_./]+", line.field) or _raw_parts(line.field, codes):
                problems.append((lang, line.action, "field", line.field))
            for name in ("before", "after", "subject"):
                raw = _raw_parts(getattr(line, name), codes)
                if raw:
                    problems.append((lang, line.action, name, getattr(line, name), raw))
    assert problems == []


def test_the_demos_own_log_reads_as_labels(demo_store):
    """The changes the demo made through the library (its real payloads), in English, family by family;
    answers aside (tens of thousands of lines, read as labels in tests/test_audit_trail.py)."""
    with demo_store.read() as cur:
        families = {r[0] for r in cur.execute("SELECT DISTINCT split_part(action, '.', 1) FROM audit_log").fetchall()}
    lines = [line for family in sorted(families - {"answers"})
             for line in trail(demo_store, WRITER, Filters(action=family), lang="en").lines]
    assert len({line.action for line in lines}) > 20
    problems = {(line.action, name, getattr(line, name)) for line in lines for name in ("field", "before", "after")
                if RAW.search(getattr(line, name)) or name == "field" and re.fullmatch(r"[a-z0-9_./]+", line.field)}
    assert sorted(problems)[:10] == []
