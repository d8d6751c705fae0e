"""Follow-up of recommendations: in a later cycle, each recommendation of a Party's earlier agreed
country review report comes back to that Party, which says where it stands (implemented, in
progress, not started, no longer relevant) and gives evidence.

What is public: a recommendation once its review is published (the executive summary carries the
recommendations); its follow-up status once the Party's submission of the follow-up cycle is
published with its consent. The secretariat and the Party's own users see the rest. The same
queries run on the working database and on a public snapshot (which holds only what is public).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from review import audit, limits
from review.access import Actor, require, viewer
from review.cycles import cycle_questionnaire, get_cycle
from review.errors import NotFound, Problem, ValidationFailed
from review.i18n import label, normalize, t
from review.peer import STAGES
from review.peer.report import StaleReport
from review.rules import public_sql
from review.store import Store

STATUSES = ("implemented", "in_progress", "not_started", "no_longer_relevant")
# a report's recommendations are followed up once the reviewed Party agreed the report
FOLLOWED_FROM = STAGES[STAGES.index("agreed"):]
AWAITING = "awaiting"


@dataclass(frozen=True)
class FollowUp:
    item_id: str
    origin_cycle: str
    provision_id: str
    provision: str
    chapter: str
    priority: str
    body: str
    status: str | None
    evidence: str
    seq: int
    updated_at: dt.datetime | None


def _cycle_order(cur) -> list[str]:
    return [r[0] for r in cur.execute("SELECT id FROM cycle ORDER BY deadline, created_at").fetchall()]


def _earlier(cur, cycle_id: str, party: str) -> list[tuple]:
    order = _cycle_order(cur)
    if cycle_id not in order:
        raise NotFound("errors.cycle_not_found", cycle=cycle_id)
    before = order[:order.index(cycle_id)]
    if not before:
        return []
    return cur.execute(
        "SELECT i.id, r.cycle_id, i.provision_id, i.priority, i.body, f.status, f.evidence, f.seq, f.updated_at "
        "FROM review_report_item i JOIN peer_review r ON r.id = i.review_id "
        "LEFT JOIN recommendation_followup f ON f.item_id = i.id AND f.cycle_id = ? "
        "WHERE r.party = ? AND list_contains(?::VARCHAR[], r.cycle_id) AND list_contains(?::VARCHAR[], r.stage) "
        "AND i.kind = 'recommendation' AND NOT i.removed ORDER BY r.cycle_id, i.position, i.id",
        [cycle_id, party, before, list(FOLLOWED_FROM)]).fetchall()


def earlier_recommendations(store: Store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> list[FollowUp]:
    """The recommendations of `party`'s earlier agreed reports, with their status in `cycle_id`
    (None: not yet given). The Party's users and the secretariat."""
    require(actor, "report.read", party, cycle=cycle_id)
    lang = normalize(lang)
    with store.read() as cur:
        rows = _earlier(cur, cycle_id, party)
    labels: dict[str, tuple[str, str]] = {}
    out = []
    for r in rows:
        if r[1] not in labels:
            q = cycle_questionnaire(store, get_cycle(store, r[1]))
            labels[r[1]] = q  # type: ignore[assignment]
        q = labels[r[1]]
        p = q.provision(r[2])  # type: ignore[attr-defined]
        out.append(FollowUp(r[0], r[1], r[2], label(p.ref, lang) if p else r[2], p.chapter if p else "", r[3], r[4],
                            r[5], r[6] or "", r[7] or 0, r[8]))
    return out


def record(store: Store, actor: Actor, cycle_id: str, party: str, item_id: str, status: str, evidence: str,
           base_seq: int) -> int:
    """Say where an earlier recommendation stands in `cycle_id`; returns the new seq of this follow-up
    (0 before the first). Refused when someone saved it after `base_seq`; nothing is cut to fit."""
    require(actor, "followup.edit", party)
    problems = []
    if status not in STATUSES:
        problems.append(Problem("followup_status", "report.errors.unknown_status", {"status": status}))
    if not isinstance(evidence, str):
        problems.append(Problem("evidence", "report.errors.not_text"))
    elif len(evidence) > limits.FOLLOWUP_EVIDENCE_CHARS:
        problems.append(Problem("evidence", "values.too_long",
                                {"length": len(evidence), "limit": limits.FOLLOWUP_EVIDENCE_CHARS}))
    if problems:
        raise ValidationFailed(problems)
    with store.transaction() as cur:
        found = next((r for r in _earlier(cur, cycle_id, party) if r[0] == item_id), None)
        if found is None:
            raise NotFound("report.errors.no_item", item=item_id)
        current = found[7] or 0
        if base_seq != current:
            by = cur.execute("SELECT updated_by FROM recommendation_followup WHERE item_id = ? AND cycle_id = ?",
                             [item_id, cycle_id]).fetchone()
            raise StaleReport(base_seq, current, by[0] if by else "?")
        before = None if found[5] is None else {"status": found[5], "evidence": found[6]}
        after = {"status": status, "evidence": evidence}
        if before == after:
            return current
        if found[5] is None:
            cur.execute("INSERT INTO recommendation_followup VALUES (?, ?, ?, ?, ?, 1, current_timestamp, ?)",
                        [item_id, cycle_id, party, status, evidence, actor.id])
        else:
            cur.execute("UPDATE recommendation_followup SET status = ?, evidence = ?, seq = seq + 1, "
                        "updated_at = current_timestamp, updated_by = ? WHERE item_id = ? AND cycle_id = ?",
                        [status, evidence, actor.id, item_id, cycle_id])
        audit.record(cur, actor, "followup.record", "recommendation_followup", f"{item_id}/{cycle_id}", before, after)
        return current + 1


# --- the dashboard: every recommendation with its latest follow-up, as this viewer may see it -------

def _published_reviews_sql(source) -> str:
    if getattr(source, "published_only", False):
        return "SELECT id, cycle_id, party FROM published_review"
    return "SELECT id, cycle_id, party FROM peer_review WHERE stage = 'published'"


def recommendation_rows(source, actor: Actor, lang: str = "en") -> list[dict]:
    """One row per recommendation this viewer may see: its review's cycle and Party (name and regional
    group), chapter, provision, priority, text, and its latest follow-up (cycle, status, evidence) or
    'awaiting'. The secretariat sees every agreed report; a Party's users their own too; anyone else
    (and any reader of a snapshot) what is published."""
    lang = normalize(lang)
    seen = viewer(actor, public_source=getattr(source, "published_only", False))
    public = _published_reviews_sql(source)
    stages = ", ".join(f"'{s}'" for s in FOLLOWED_FROM)
    params: list[str] = []  # the viewer's Party, bound where the statement names it (reviews, then follow-ups)
    with source.read() as cur:
        if seen.sees_everything:
            reviews = f"SELECT id, cycle_id, party FROM peer_review WHERE stage IN ({stages})"
        elif seen.sight == "party" and seen.party:
            reviews = (f"{public} UNION SELECT id, cycle_id, party FROM peer_review WHERE stage IN ({stages}) "
                       "AND party = ?")
            params.append(seen.party)
        else:
            reviews = public
        if getattr(source, "published_only", False):
            followups = "SELECT * FROM recommendation_followup"
        else:
            followups = ("SELECT f.* FROM recommendation_followup f JOIN submission s ON s.cycle_id = f.cycle_id "
                         f"AND s.party = f.party WHERE {public_sql('s')}")
            if seen.sees_everything:
                followups = "SELECT * FROM recommendation_followup"
            elif seen.sight == "party" and seen.party:
                followups += " UNION ALL SELECT * FROM recommendation_followup WHERE party = ?"
                params.append(seen.party)
        try:
            rows = cur.execute(
                f"WITH r AS ({reviews}), f AS ({followups}), "
                "latest AS (SELECT f.*, row_number() OVER (PARTITION BY f.item_id ORDER BY c.deadline DESC) AS n "
                "           FROM f JOIN cycle c ON c.id = f.cycle_id) "
                "SELECT r.cycle_id, r.party, p.regional_group, i.provision_id, i.priority, i.body, l.cycle_id, l.status, "
                "l.evidence, i.id FROM review_report_item i JOIN r ON r.id = i.review_id JOIN party p ON p.code = r.party "
                "LEFT JOIN latest l ON l.item_id = i.id AND l.n = 1 "
                "WHERE i.kind = 'recommendation' AND NOT i.removed ORDER BY r.cycle_id, r.party, i.position, i.id",
                params).fetchall()
        except duckdb.CatalogException:
            return []  # a snapshot written before reports existed
        questionnaires = {}
        names = {r[0]: r[1:] for r in cur.execute(
            f"SELECT code, coalesce(name_{lang if lang in ('en', 'fr', 'es', 'ru', 'zh', 'ar') else 'en'}, name_en) FROM party").fetchall()}
        for cycle_id in {r[0] for r in rows}:
            from review.analysis.scope import cycle_info

            questionnaires[cycle_id] = cycle_info(cur, cycle_id).questionnaire
    out = []
    for r in rows:
        p = questionnaires[r[0]].provision(r[3])
        chapter = questionnaires[r[0]].chapter(p.chapter) if p else None
        status = r[7] or AWAITING
        out.append({
            "cycle": r[0], "party": r[1], "party_name": names.get(r[1], (r[1],))[0],
            "region": t(f"regions.{r[2]}", lang) if r[2] else "—",
            "chapter": f"{chapter.number}. {label(chapter.title, lang)}" if chapter else "",
            "provision": label(p.ref, lang) if p else r[3], "priority": t(f"report.priorities.{r[4]}", lang),
            "recommendation": r[5], "followup_cycle": r[6] or "", "status_code": status,
            "status": t(f"report.followup_statuses.{status}", lang), "evidence": r[8] or "", "item_id": r[9],
        })
    return out


def counts(rows: list[dict], by: str) -> list[tuple[str, str, int]]:
    """(group, status label, count) for the dashboard's bars; `by` is 'chapter', 'region' or 'status'."""
    found: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row[by], row["status"])
        found[key] = found.get(key, 0) + 1
    return sorted((k[0], k[1], n) for k, n in found.items())
