"""The country review report: drafted from the reviewed Party's answers of the cycle, then edited.

Per chapter and article the report says what implementation was found, the successes and good
practices, the challenges and the TA needs (texts), and carries structured items: observations and
recommendations, each on one provision with a kind, a priority and a text. Recommendations come back
to the Party in the next cycle (`review.peer.followup`).

Every edit names the report's change counter (`seq`) it started from; an edit of a text or an item
that someone else changed since is refused (`StaleReport`), never applied over it. Every change is
audited in its own transaction. The executive summary exists in each of the six languages: a text
drafted from the data in that language, and the text as edited; the edited one, when there is one,
is the summary.

The report's steps are the review's stages (`review.peer.reviews.complete_stage`, in the same
transaction as the report's change): drafting the report completes the draft report stage when that
stage is under way; the reviewed Party's focal point agrees to the report (`agree`), the secretariat
marks the executive summary ready in the six languages (`summary_ready`) and publishes (`publish`).
Once agreed, the report's texts and items no longer change (the Party agreed to them); once the
summary is ready, neither does the summary.

Publication follows the review's stage: at `published` the summaries are public, and the full report
too when the reviewed Party agreed (`peer_review.full_report_public`). Before that only the
secretariat and the reviewed Party's users read them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Iterable

from review import audit, limits
from review.access import Actor, allowed, require
from review.analysis.scope import question_roles
from review.cycles import cycle_questionnaire, get_cycle
from review.errors import NotFound, PermissionDenied, Problem, ReviewError, ValidationFailed
from review.i18n import LANGUAGES, label, normalize, t
from review.parties import all_parties
from review.peer import STAGES, one_of, review_id
from review.peer import reviews as _reviews
from review.questionnaire import Questionnaire
from review.reading import value_text
from review.store import Store

PUBLISHED = "published"
GENERAL = "general"
GENERAL_SECTIONS = ("introduction",)
SECTIONS = ("implementation", "successes", "challenges", "ta_needs")
KINDS = ("recommendation", "observation")
PRIORITIES = ("high", "medium", "low")
# questions the draft reads by their id when the questionnaire has them (the others by their shape)
EXAMPLES, STATISTICS, STEPS, CHALLENGES_OTHER = "examples", "statistics", "steps_needed", "challenges_other"


class StaleReport(ReviewError):
    """An edit started from an older report than the one stored, of a text or item changed since."""

    def __init__(self, base: int, current: int, by: str):
        super().__init__("report.errors.stale", base=base, current=current, by=by)
        self.base, self.current, self.by = base, current, by


@dataclass(frozen=True)
class Item:
    id: str
    provision_id: str
    provision: str
    kind: str
    priority: str
    body: str
    position: int
    seq: int
    article: int
    chapter: str


@dataclass(frozen=True)
class ArticlePart:
    number: int
    title: str
    texts: dict[str, str]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ChapterPart:
    number: str
    title: str
    articles: tuple[ArticlePart, ...]


@dataclass(frozen=True)
class Report:
    review_id: str
    cycle_id: str
    cycle_title: str
    party: str
    party_name: str
    reviewers: tuple[str, ...]
    stage: str
    full_report_public: bool | None
    lang: str
    seq: int
    drafted_at: dt.datetime
    updated_at: dt.datetime
    introduction: str
    chapters: tuple[ChapterPart, ...]

    @property
    def items(self) -> list[Item]:
        return [i for c in self.chapters for a in c.articles for i in a.items]

    @property
    def recommendations(self) -> list[Item]:
        return [i for i in self.items if i.kind == "recommendation"]

    @property
    def published(self) -> bool:
        return self.stage == PUBLISHED


@dataclass(frozen=True)
class Summary:
    review_id: str
    lang: str
    drafted: str
    edited: str | None
    seq: int
    updated_at: dt.datetime

    @property
    def text(self) -> str:
        """The summary as it stands: the edited text, else the one drafted from the data."""
        return self.edited if self.edited else self.drafted


# --- reading the review ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Review:
    id: str
    cycle_id: str
    party: str
    stage: str
    full_report_public: bool | None
    reviewers: tuple[str, ...]


def _review(cur, cycle_id: str, party: str) -> _Review:
    rid = review_id(cycle_id, party)
    row = cur.execute("SELECT id, cycle_id, party, stage, full_report_public FROM peer_review WHERE id = ?", [rid]).fetchone()
    if row is None:
        raise NotFound("report.errors.no_review", party=party, cycle=cycle_id)
    reviewers = tuple(r[0] for r in cur.execute(
        "SELECT reviewing_party FROM peer_review_reviewer WHERE review_id = ? ORDER BY same_region DESC, reviewing_party",
        [rid]).fetchall())
    return _Review(row[0], row[1], row[2], row[3], row[4], reviewers)


def _reviews_of(cur, cycle_id: str, parties) -> dict[str, _Review]:
    """`_review` of several Parties' reviews in one cycle in two statements, by Party; the first
    one missing, in the order given, is refused as `_review` refuses it."""
    parties = list(dict.fromkeys(parties))
    ids = [review_id(cycle_id, party) for party in parties]
    where, params = one_of("id", ids)
    rows = {r[0]: r for r in cur.execute("SELECT id, cycle_id, party, stage, full_report_public FROM peer_review "
                                         f"WHERE {where}", params).fetchall()}
    reviewers: dict[str, list[str]] = {}
    for rid, party in cur.execute(f"SELECT review_id, reviewing_party FROM peer_review_reviewer WHERE "
                                  f"{one_of('review_id', ids)[0]} ORDER BY same_region DESC, reviewing_party",
                                  params).fetchall():
        reviewers.setdefault(rid, []).append(party)
    out = {}
    for party, rid in zip(parties, ids):
        if rid not in rows:
            raise NotFound("report.errors.no_review", party=party, cycle=cycle_id)
        row = rows[rid]
        out[party] = _Review(row[0], row[1], row[2], row[3], row[4], tuple(reviewers.get(rid, ())))
    return out


def _may_read_unpublished(actor: Actor, cycle_id: str, party: str) -> bool:
    return allowed(actor, "report.read", party, cycle=cycle_id)


def open_for(stage: str, until: str) -> bool:
    """Whether a review at `stage` has not yet reached `until` (the report is edited until the
    Party's agreement, the summary until it is ready)."""
    return STAGES.index(stage) < STAGES.index(until)


def _require_edit(cur, actor: Actor, cycle_id: str, party: str, until: str = "agreed") -> _Review:
    """The review, when this actor may edit its report and the stage `until` (the Party's agreement
    for the report, the summary's readiness for the summary) is not reached yet."""
    require(actor, "report.edit", party, cycle=cycle_id)
    return _editable(_review(cur, cycle_id, party), until)


def _editable(review: _Review, until: str = "agreed") -> _Review:
    if review.stage == PUBLISHED:
        raise ReviewError("report.errors.published", party=review.party, cycle=review.cycle_id)
    if not open_for(review.stage, until):
        raise ReviewError(f"peer2.errors.locked_{until}", party=review.party, cycle=review.cycle_id)
    return review


def _require_edit_many(cur, cycle_id: str, actors: dict[str, Actor], until: str = "agreed") -> dict[str, _Review]:
    """`_require_edit` of several reviews of one cycle (Party -> acting user) in one read."""
    for party, actor in actors.items():
        require(actor, "report.edit", party, cycle=cycle_id)
    return {party: _editable(review, until) for party, review in _reviews_of(cur, cycle_id, actors).items()}


def _check_text(field: str, body: Any, limit: int) -> str:
    """A text as typed, or a refusal naming the field: nothing is cut to fit."""
    if not isinstance(body, str):
        raise ValidationFailed([Problem(field, "report.errors.not_text")])
    if len(body) > limit:
        raise ValidationFailed([Problem(field, "values.too_long", {"length": len(body), "limit": limit})])
    return body


# --- drafting from the data -----------------------------------------------------------------------

def _answers(store: Store, actor: Actor, cycle_id: str, party: str) -> dict[tuple[str, str], Any]:
    from review.submissions import current_answers

    return current_answers(store, actor, cycle_id, party)


def _rows(value: Any) -> list[dict]:
    return [r for r in value or [] if isinstance(r, dict)]


def _priority(obligation: str, status: str) -> str:
    if status == "not_implemented":
        return "high" if obligation == "mandatory" else "medium"
    return "medium" if obligation == "mandatory" else "low"


def _draft_article(q: Questionnaire, article, answers, lang: str, roles=None) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """The four texts of one article and its drafted items (provision, kind, priority, text);
    `roles` are the questionnaire's `question_roles` (found once for all its articles)."""
    roles = roles or question_roles(q)
    texts = {s: [] for s in SECTIONS}
    items = []
    status_list = q.code_lists.get("status")
    for p in article.provisions:
        if not p.assessed:
            continue
        ref = label(p.ref, lang)
        got = {question.id: answers.get((p.id, question.id)) for question in p.questions}
        questions = {question.id: question for question in p.questions}
        status = next((got[s] for s in roles.status if got.get(s)), None)
        if status is None:
            texts["implementation"].append(t("report.draft.no_answer", lang, provision=ref))
            items.append((p.id, "observation", "medium", t("report.draft.observe_no_answer", lang, provision=ref)))
            continue
        status_label = status_list.label(status, lang) if status_list else status
        lines = [t("report.draft.status", lang, provision=ref, status=status_label)]
        for qid in roles.legislation:
            for row in _rows(got.get(qid)):
                parts = [str(row.get("title") or "")]
                parts += [str(row[k]) for k in ("provision_cited", "year") if row.get(k) not in (None, "")]
                lines.append(t("report.draft.measure", lang, measure=", ".join(p_ for p_ in parts if p_)))
        texts["implementation"].append("\n".join(lines))
        example = got.get(EXAMPLES)
        stats = _rows(got.get(STATISTICS))
        if status == "implemented" and (example or stats):
            success = [t("report.draft.success", lang, provision=ref)]
            if example:
                success.append(str(example))
            for row in stats:
                column = next((c for c in questions[STATISTICS].columns if c.id == "indicator"), None)
                indicator = value_text(q, column, row.get("indicator"), lang) if column else str(row.get("indicator"))
                success.append(t("report.draft.statistic", lang, indicator=indicator, year=row.get("year") or "-",
                                 value=row.get("value")))
            texts["successes"].append("\n".join(success))
        elif example:
            texts["implementation"].append(str(example))
        challenge = []
        for qid in roles.challenges:
            if got.get(qid):
                challenge.append(t("report.draft.challenges", lang, provision=ref,
                                   challenges=value_text(q, questions[qid], got[qid], lang)))
        if got.get(CHALLENGES_OTHER):
            challenge.append(str(got[CHALLENGES_OTHER]))
        if got.get(STEPS):
            challenge.append(t("report.draft.steps", lang, provision=ref) + "\n" + str(got[STEPS]))
        if challenge:
            texts["challenges"].append("\n".join(challenge))
        for qid in roles.ta_needs:
            columns = {c.id: c for c in questions[qid].columns}
            for row in _rows(got.get(qid)):
                kind = value_text(q, columns["type"], row.get("type"), lang) if "type" in columns else ""
                priority = value_text(q, columns["priority"], row.get("priority"), lang) if "priority" in columns else ""
                need = t("report.draft.ta_need", lang, provision=ref, type=kind or "-", priority=priority or "-")
                texts["ta_needs"].append(need + (f"\n{row['description']}" if row.get("description") else ""))
        if status in ("partly_implemented", "not_implemented"):
            items.append((p.id, "recommendation", _priority(p.obligation, status),
                          t(f"report.draft.recommend_{status}", lang, provision=ref)))
    return {s: "\n\n".join(v) for s, v in texts.items()}, items


def _item_id(rid: str, provision_id: str, kind: str, body: str, taken: set[str]) -> str:
    base = hashlib.sha256(f"{rid}\x00{provision_id}\x00{kind}\x00{body}".encode()).hexdigest()[:12]
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found)
    return found


def draft_report(store: Store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> Report:
    """Draft the report of `party`'s review in `cycle_id` from its answers of that cycle, in `lang`,
    with the executive summary drafted in each of the six languages. A report is drafted once; it is
    edited afterwards (a second draft would overwrite people's edits: refused)."""
    lang = normalize(lang)
    cycle = get_cycle(store, cycle_id)
    _draft(store, cycle, {party: (actor, lang)})
    return get_report(store, actor, cycle.id, party, lang)


def draft_reports(store: Store, cycle_id: str, drafts) -> dict[str, str]:
    """`draft_report` for several reviews of one cycle (reviewed Party -> (acting user, language)) in
    one transaction and a few statements (a bulk load such as the demo's): each report checked,
    refused, drafted from its own Party's answers, audited and its draft report stage completed as
    `draft_report` does it; any refusal refuses them all. Returns each review's stage by Party (not
    the reports: read them with `get_report`)."""
    cycle = get_cycle(store, cycle_id)
    return _draft(store, cycle, {party: (actor, normalize(lang)) for party, (actor, lang) in drafts.items()})


def _draft(store: Store, cycle, drafts: dict[str, tuple[Actor, str]]) -> dict[str, str]:
    if not drafts:
        return {}
    q = cycle_questionnaire(store, cycle)
    actors = {party: actor for party, (actor, _) in drafts.items()}
    with store.read() as cur:
        _require_edit_many(cur, cycle.id, actors)
    roles = question_roles(q)
    articles = [a for a in q.articles if a.chapter in cycle.chapters]
    names = all_parties(store)
    texts, items = [], {}
    for party, (actor, lang) in drafts.items():
        answers = _answers(store, actor, cycle.id, party)
        rid = review_id(cycle.id, party)
        intro = t("report.draft.introduction", lang, party=names[party].name(lang) if party in names else party,
                  cycle=cycle.title)
        texts.append((rid, GENERAL, "introduction", intro, actor.id))
        found_items = []
        for article in articles:
            drafted, found = _draft_article(q, article, answers, lang, roles)
            texts += [(rid, str(article.number), s, body, actor.id) for s, body in drafted.items()]
            found_items += found
        items[party] = found_items
    with store.transaction() as cur:
        reviews = _require_edit_many(cur, cycle.id, actors)
        ids = [review.id for review in reviews.values()]
        where, params = one_of("review_id", ids)
        drafted_already = {r[0] for r in cur.execute(f"SELECT review_id FROM review_report WHERE {where}", params).fetchall()}
        for party, review in reviews.items():
            if review.id in drafted_already:
                raise ReviewError("report.errors.already_drafted", party=party, cycle=cycle.id)
        cur.execute("INSERT INTO review_report VALUES " + ", ".join(
            ["(?, ?, 1, current_timestamp, ?, current_timestamp, ?)"] * len(drafts)),
            [v for party, (actor, lang) in drafts.items() for v in (reviews[party].id, lang, actor.id, actor.id)])
        # one statement per table, its rows passed as columns (a statement per row was hundreds per
        # report; one VALUES list of thousands of parameters is slow to parse)
        cur.execute("INSERT INTO review_report_text (review_id, part, section, body, updated_by, seq, updated_at) "
                    "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
                    "unnest(?::VARCHAR[]), 1, current_timestamp", [list(column) for column in zip(*texts)])
        item_rows = []
        for party, found in items.items():
            rid, taken = reviews[party].id, set()
            actor_id = drafts[party][0].id
            item_rows += [(_item_id(rid, pid, kind, body, taken), rid, pid, kind, priority, body, n, actor_id)
                          for n, (pid, kind, priority, body) in enumerate(found)]
        if item_rows:
            cur.execute("INSERT INTO review_report_item (id, review_id, provision_id, kind, priority, body, position, "
                        "created_by, removed, seq, created_at, updated_at, updated_by) "
                        "SELECT i, r, p, k, pr, b, n, a, FALSE, 1, current_timestamp, current_timestamp, a FROM (SELECT "
                        "unnest(?::VARCHAR[]) AS i, unnest(?::VARCHAR[]) AS r, unnest(?::VARCHAR[]) AS p, "
                        "unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS pr, unnest(?::VARCHAR[]) AS b, "
                        "unnest(?::INTEGER[]) AS n, unnest(?::VARCHAR[]) AS a)",
                        [list(column) for column in zip(*item_rows)])
        counts: dict[str, int] = {}
        for row in texts:
            counts[row[0]] = counts.get(row[0], 0) + 1
        audit.record_each(cur, [(actor, "report.draft", "review_report", reviews[party].id, None,
                                 {"lang": lang, "texts": counts[reviews[party].id], "items": len(items[party])})
                                for party, (actor, lang) in drafts.items()])
        _write_summaries(cur, [(actors[party], review) for party, review in reviews.items()], cycle, q, names, seq=1)
        stages = {party: (actor, "draft_report") for party, actor in actors.items()
                  if STAGES[STAGES.index(reviews[party].stage) + 1] == "draft_report"
                  and allowed(actor, _reviews.STAGE_ACTION["draft_report"], party, cycle=cycle.id)}
        done = _reviews.complete_stages(cur, cycle.id, stages) if stages else {}
    return {party: done[party].stage if party in done else reviews[party].stage for party in drafts}


# --- the executive summary, drafted per language ---------------------------------------------------

@dataclass(frozen=True)
class _SummaryFacts:
    """What the summaries are drafted from, read once for the six languages: statuses counted per
    chapter, the recommendations (provision, priority, text) in order, the TA needs written."""

    counts: dict[str, dict[str, int]]
    items: list[tuple[str, str, str]]
    needs: int


def _summary_facts(cur, review: _Review, q: Questionnaire) -> _SummaryFacts:
    return _summary_facts_many(cur, [review.id], q)[review.id]


def _summary_facts_many(cur, ids: list[str], q: Questionnaire) -> dict[str, _SummaryFacts]:
    """`_summary_facts` of several reviews in three statements, by review id."""
    counts: dict[str, dict[str, dict[str, int]]] = {rid: {} for rid in ids}
    where, params = one_of("a.submission_id", ids)
    for rid, provision_id, value in cur.execute(
            f"SELECT a.submission_id, a.provision_id, a.value::VARCHAR FROM answer a WHERE {where} "
            "AND a.question_id IN (SELECT unnest(?::VARCHAR[]))", [*params, list(question_roles(q).status) or ["status"]]).fetchall():
        p = q.provision(provision_id)
        if p is None or value is None:
            continue
        code = value.strip('"')
        counts[rid].setdefault(p.chapter, {}).setdefault(code, 0)
        counts[rid][p.chapter][code] += 1
    where, params = one_of("review_id", ids)
    items: dict[str, list] = {rid: [] for rid in ids}
    for rid, *item in cur.execute(
            f"SELECT review_id, provision_id, priority, body FROM review_report_item WHERE {where} "
            "AND NOT removed AND kind = 'recommendation' ORDER BY review_id, position", params).fetchall():
        items[rid].append(tuple(item))
    needs = dict(cur.execute(
        f"SELECT review_id, count(*) FROM review_report_text WHERE {where} "
        "AND section = 'ta_needs' AND body <> '' GROUP BY review_id", params).fetchall())
    return {rid: _SummaryFacts(counts[rid], items[rid], needs.get(rid, 0)) for rid in ids}


def _summary_draft(facts: _SummaryFacts, review: _Review, cycle, q: Questionnaire, names, lang: str) -> str:
    """The summary of the review in `lang`, from the data: who reviewed, what was found per chapter,
    the recommendations by priority (texts as written) and the TA needs."""
    def name(code: str) -> str:
        return names[code].name(lang) if code in names else code

    status_list = q.code_lists.get("status")
    counts = facts.counts
    lines = [t("report.summary.heading", lang, party=name(review.party), cycle=cycle.title), ""]
    reviewers = ", ".join(name(r) for r in review.reviewers) or t("report.summary.no_reviewers", lang)
    lines += [t("report.summary.reviewers", lang, reviewers=reviewers), ""]
    lines.append(t("report.summary.findings", lang))
    for chapter in q.chapters:
        if chapter.number not in cycle.chapters:
            continue
        found = counts.get(chapter.number, {})
        listed = "; ".join(f"{status_list.label(c, lang) if status_list else c}: {n}" for c, n in sorted(found.items())) \
            or t("report.summary.nothing_answered", lang)
        lines.append(t("report.summary.chapter", lang, chapter=f"{chapter.number}. {label(chapter.title, lang)}",
                       found=listed))
    items = facts.items
    lines += ["", t("report.summary.recommendations", lang, count=len(items))]
    for priority in PRIORITIES:
        mine = [i for i in items if i[1] == priority]
        if mine:
            lines.append(t("report.summary.priority_count", lang, priority=t(f"report.priorities.{priority}", lang),
                           count=len(mine)))
    for provision_id, priority, body in items:
        if priority == "high":
            p = q.provision(provision_id)
            lines.append(f"- {label(p.ref, lang) if p else provision_id}: {body}")
    lines += ["", t("report.summary.ta_needs", lang, count=facts.needs)]
    return "\n".join(lines)


def _write_summary_drafts(cur, actor: Actor, store, review: _Review, cycle, q, names, seq: int) -> None:
    _write_summaries(cur, [(actor, review)], cycle, q, names, seq)


def _write_summaries(cur, pairs: list[tuple[Actor, _Review]], cycle, q, names, seq: int) -> None:
    """The six summaries of each (acting user, review) drafted from the data: read once for the six
    languages (and for all the reviews), written in one statement when none is stored yet."""
    ids = [review.id for _, review in pairs]
    facts = _summary_facts_many(cur, ids, q)
    where, params = one_of("review_id", ids)
    stored = set(cur.execute(f"SELECT review_id, lang FROM review_summary WHERE {where}", params).fetchall())
    rows = []
    for actor, review in pairs:
        for lang in LANGUAGES:
            drafted = _summary_draft(facts[review.id], review, cycle, q, names, lang)
            if (review.id, lang) in stored:
                cur.execute("UPDATE review_summary SET drafted = ?, drafted_at = current_timestamp WHERE review_id = ? "
                            "AND lang = ?", [drafted, review.id, lang])
            else:
                rows.append((review.id, lang, drafted, seq, actor.id))
    if rows:
        cur.execute("INSERT INTO review_summary VALUES "
                    + ", ".join(["(?, ?, ?, NULL, ?, current_timestamp, current_timestamp, ?)"] * len(rows)),
                    [v for row in rows for v in row])


def redraft_summaries(store: Store, actor: Actor, cycle_id: str, party: str) -> None:
    """Draft the six summaries again from the data and the report's items as they are now; the edited
    texts stay as people wrote them."""
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    names = all_parties(store)
    with store.transaction() as cur:
        review = _require_edit(cur, actor, cycle.id, party, until="summary")
        _bump(cur, review.id, actor)
        _write_summary_drafts(cur, actor, store, review, cycle, q, names, seq=0)
        audit.record(cur, actor, "report.redraft_summaries", "review_report", review.id)


# --- reading --------------------------------------------------------------------------------------

def _readable(cur, actor: Actor, cycle_id: str, party: str, *, full: bool) -> _Review:
    """The review, when this actor may read its report (`full`) or its summaries: the reviewed Party's
    users and the secretariat always; anyone else once published (the full report only when the
    Party agreed)."""
    review = _review(cur, cycle_id, party)
    if _may_read_unpublished(actor, cycle_id, party):
        return review
    if review.stage == PUBLISHED and (not full or review.full_report_public):
        return review
    raise PermissionDenied("report.errors.not_published", party=party, cycle=cycle_id)


def has_report(store: Store, actor: Actor, cycle_id: str, party: str) -> bool:
    """Whether the review's report has been drafted (for those who may read it)."""
    with store.read() as cur:
        review = _readable(cur, actor, cycle_id, party, full=True)
        return cur.execute("SELECT 1 FROM review_report WHERE review_id = ?", [review.id]).fetchone() is not None


def get_report(store: Store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> Report:
    """The report with its labels (Party, chapters, articles, provisions) in `lang`, texts as written."""
    return _report(store, actor, cycle_id, party, lang, full=True)


def report_header(store: Store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> Report:
    """The report's heading (Party, cycle, reviewers, stage) without its texts and items: what an
    executive summary is printed under, readable wherever the summary is."""
    return _report(store, actor, cycle_id, party, lang, full=False)


def _report(store: Store, actor: Actor, cycle_id: str, party: str, lang: str, full: bool) -> Report:
    lang = normalize(lang)
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    with store.read() as cur:
        review = _readable(cur, actor, cycle.id, party, full=full)
        head = cur.execute("SELECT lang, seq, drafted_at, updated_at FROM review_report WHERE review_id = ?",
                           [review.id]).fetchone()
        if head is None:
            raise NotFound("report.errors.not_drafted", party=party, cycle=cycle.id)
        texts = {(r[0], r[1]): r[2] for r in cur.execute(
            "SELECT part, section, body FROM review_report_text WHERE review_id = ? AND ?", [review.id, full]).fetchall()}
        items = [] if not full else cur.execute("SELECT id, provision_id, kind, priority, body, position, seq FROM review_report_item "
                            "WHERE review_id = ? AND NOT removed ORDER BY position, id", [review.id]).fetchall()
    names = all_parties(store)
    by_article: dict[int, list[Item]] = {}
    for r in items:
        p = q.provision(r[1])
        article, chapter = (p.article, p.chapter) if p else (0, "")
        by_article.setdefault(article, []).append(
            Item(r[0], r[1], label(p.ref, lang) if p else r[1], r[2], r[3], r[4], r[5], r[6], article, chapter))
    chapters = []
    for chapter in q.chapters if full else ():
        if chapter.number not in cycle.chapters:
            continue
        parts = tuple(
            ArticlePart(a.number, label(a.title, lang), {s: texts.get((str(a.number), s), "") for s in SECTIONS},
                        tuple(by_article.get(a.number, ())))
            for a in q.articles if a.chapter == chapter.number and any(p.assessed for p in a.provisions))
        chapters.append(ChapterPart(chapter.number, label(chapter.title, lang), parts))
    return Report(review.id, cycle.id, cycle.title, party, names[party].name(lang) if party in names else party,
                  review.reviewers, review.stage, review.full_report_public, head[0], head[1], head[2], head[3],
                  texts.get((GENERAL, "introduction"), ""), tuple(chapters))


def get_summary(store: Store, actor: Actor, cycle_id: str, party: str, lang: str) -> Summary:
    """The executive summary in `lang` (one of the six): public once the review is published."""
    lang = normalize(lang)
    with store.read() as cur:
        review = _readable(cur, actor, cycle_id, party, full=False)
        row = cur.execute("SELECT drafted, edited, seq, updated_at FROM review_summary WHERE review_id = ? AND lang = ?",
                          [review.id, lang]).fetchone()
    if row is None:
        raise NotFound("report.errors.not_drafted", party=party, cycle=cycle_id)
    return Summary(review.id, lang, row[0], row[1], row[2], row[3])


def summaries(store: Store, actor: Actor, cycle_id: str, party: str) -> dict[str, Summary]:
    """The executive summary in each of the six languages."""
    return {lang: get_summary(store, actor, cycle_id, party, lang) for lang in LANGUAGES}


# --- editing --------------------------------------------------------------------------------------

def _bump(cur, rid: str, actor: Actor) -> int:
    row = cur.execute("UPDATE review_report SET seq = seq + 1, updated_at = current_timestamp, updated_by = ? "
                      "WHERE review_id = ? RETURNING seq", [actor.id, rid]).fetchone()
    if row is None:
        raise NotFound("report.errors.not_drafted", party=rid.rsplit("/", 1)[-1], cycle=rid.rsplit("/", 1)[0])
    return row[0]


def _check_base(cur, rid: str, base_seq: int, changed_seq: int | None, changed_by: str | None) -> None:
    current = cur.execute("SELECT seq FROM review_report WHERE review_id = ?", [rid]).fetchone()
    if current is None:
        raise NotFound("report.errors.not_drafted", party=rid.rsplit("/", 1)[-1], cycle=rid.rsplit("/", 1)[0])
    if base_seq > current[0]:
        raise StaleReport(base_seq, current[0], "?")
    if changed_seq is not None and changed_seq > base_seq:
        raise StaleReport(base_seq, current[0], changed_by or "?")


def edit_text(store: Store, actor: Actor, cycle_id: str, party: str, part: str, section: str, body: str,
              base_seq: int) -> int:
    """Replace one text of the report (`part` 'general' or an article number); returns the new seq.
    Refused when someone changed this text after `base_seq`."""
    if (part == GENERAL and section not in GENERAL_SECTIONS) or (part != GENERAL and section not in SECTIONS):
        raise ValidationFailed([Problem("section", "report.errors.unknown_section", {"section": section})])
    body = _check_text("body", body, limits.REPORT_TEXT_CHARS)
    cycle = get_cycle(store, cycle_id)
    if part != GENERAL:
        q = cycle_questionnaire(store, cycle)
        article = q.article(int(part)) if str(part).isdigit() else None
        if article is None or article.chapter not in cycle.chapters:
            raise ValidationFailed([Problem("article", "report.errors.unknown_article", {"article": part})])
    with store.transaction() as cur:
        review = _require_edit(cur, actor, cycle.id, party)
        row = cur.execute("SELECT body, seq, updated_by FROM review_report_text WHERE review_id = ? AND part = ? AND section = ?",
                          [review.id, str(part), section]).fetchone()
        _check_base(cur, review.id, base_seq, row[1] if row else None, row[2] if row else None)
        if row is not None and row[0] == body:
            return cur.execute("SELECT seq FROM review_report WHERE review_id = ?", [review.id]).fetchone()[0]
        seq = _bump(cur, review.id, actor)
        if row is None:
            cur.execute("INSERT INTO review_report_text VALUES (?, ?, ?, ?, ?, current_timestamp, ?)",
                        [review.id, str(part), section, body, seq, actor.id])
        else:
            cur.execute("UPDATE review_report_text SET body = ?, seq = ?, updated_at = current_timestamp, updated_by = ? "
                        "WHERE review_id = ? AND part = ? AND section = ?", [body, seq, actor.id, review.id, str(part), section])
        audit.record(cur, actor, "report.edit_text", "review_report", f"{review.id}/{part}/{section}",
                     row[0] if row else None, body)
        return seq


def _check_item(q: Questionnaire, cycle, provision_id: str, kind: str, priority: str, body: str) -> str:
    problems = []
    p = q.provision(provision_id)
    if p is None or p.chapter not in cycle.chapters:
        problems.append(Problem("provision", "report.errors.unknown_provision", {"provision": provision_id}))
    if kind not in KINDS:
        problems.append(Problem("kind", "report.errors.unknown_kind", {"kind": kind}))
    if priority not in PRIORITIES:
        problems.append(Problem("priority", "report.errors.unknown_priority", {"priority": priority}))
    if not isinstance(body, str) or not body.strip():
        problems.append(Problem("item_text", "report.errors.empty_item"))
    elif len(body) > limits.REPORT_ITEM_CHARS:
        problems.append(Problem("item_text", "values.too_long", {"length": len(body), "limit": limits.REPORT_ITEM_CHARS}))
    if problems:
        raise ValidationFailed(problems)
    return body


def add_item(store: Store, actor: Actor, cycle_id: str, party: str, provision_id: str, kind: str, priority: str,
             body: str, base_seq: int) -> Item:
    """Add an observation or a recommendation on one provision, after the others."""
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    _check_item(q, cycle, provision_id, kind, priority, body)
    with store.transaction() as cur:
        review = _require_edit(cur, actor, cycle.id, party)
        _check_base(cur, review.id, base_seq, None, None)
        seq = _bump(cur, review.id, actor)
        taken = {r[0] for r in cur.execute("SELECT id FROM review_report_item WHERE review_id = ?", [review.id]).fetchall()}
        position = cur.execute("SELECT coalesce(max(position) + 1, 0) FROM review_report_item WHERE review_id = ?",
                               [review.id]).fetchone()[0]
        item_id = _item_id(review.id, provision_id, kind, f"{body}\x00{seq}", taken)
        cur.execute("INSERT INTO review_report_item VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?, current_timestamp, ?, "
                    "current_timestamp, ?)", [item_id, review.id, provision_id, kind, priority, body, position, seq,
                                              actor.id, actor.id])
        after = {"provision": provision_id, "kind": kind, "priority": priority, "text": body}
        audit.record(cur, actor, "report.add_item", "review_report_item", item_id, None, after)
    p = q.provision(provision_id)
    return Item(item_id, provision_id, label(p.ref, "en"), kind, priority, body, position, seq, p.article, p.chapter)


def _item_row(cur, rid: str, item_id: str):
    row = cur.execute("SELECT provision_id, kind, priority, body, seq, updated_by, removed FROM review_report_item "
                      "WHERE id = ? AND review_id = ?", [item_id, rid]).fetchone()
    if row is None or row[6]:
        raise NotFound("report.errors.no_item", item=item_id)
    return row


def edit_item(store: Store, actor: Actor, cycle_id: str, party: str, item_id: str, base_seq: int, *,
              provision_id: str | None = None, kind: str | None = None, priority: str | None = None,
              body: str | None = None) -> int:
    """Change an item's provision, kind, priority or text; returns the report's new seq. Refused when
    someone changed this item after `base_seq`."""
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    with store.transaction() as cur:
        review = _require_edit(cur, actor, cycle.id, party)
        row = _item_row(cur, review.id, item_id)
        new = (provision_id or row[0], kind or row[1], priority or row[2], row[3] if body is None else body)
        _check_item(q, cycle, *new)
        _check_base(cur, review.id, base_seq, row[4], row[5])
        if new == tuple(row[:4]):
            return cur.execute("SELECT seq FROM review_report WHERE review_id = ?", [review.id]).fetchone()[0]
        seq = _bump(cur, review.id, actor)
        cur.execute("UPDATE review_report_item SET provision_id = ?, kind = ?, priority = ?, body = ?, seq = ?, "
                    "updated_at = current_timestamp, updated_by = ? WHERE id = ?", [*new, seq, actor.id, item_id])
        keys = ("provision", "kind", "priority", "text")
        audit.record(cur, actor, "report.edit_item", "review_report_item", item_id, dict(zip(keys, row[:4])), dict(zip(keys, new)))
        return seq


def remove_item(store: Store, actor: Actor, cycle_id: str, party: str, item_id: str, base_seq: int) -> int:
    """Take an item out of the report (kept in the database and the audit log); returns the new seq."""
    with store.transaction() as cur:
        review = _require_edit(cur, actor, cycle_id, party)
        row = _item_row(cur, review.id, item_id)
        _check_base(cur, review.id, base_seq, row[4], row[5])
        seq = _bump(cur, review.id, actor)
        cur.execute("UPDATE review_report_item SET removed = TRUE, seq = ?, updated_at = current_timestamp, updated_by = ? "
                    "WHERE id = ?", [seq, actor.id, item_id])
        audit.record(cur, actor, "report.remove_item", "review_report_item", item_id,
                     {"provision": row[0], "kind": row[1], "priority": row[2], "text": row[3]}, None)
        return seq


def edit_summary(store: Store, actor: Actor, cycle_id: str, party: str, lang: str, body: str, base_seq: int) -> int:
    """Set the edited executive summary in `lang` (an empty text goes back to the drafted one); returns
    the summary's new seq. Refused when someone changed it after `base_seq` (the summary's own seq)."""
    if lang not in LANGUAGES:
        raise ValidationFailed([Problem("lang", "report.errors.unknown_language", {"lang": lang})])
    body = _check_text("summary_text", body, limits.REPORT_SUMMARY_CHARS)
    with store.transaction() as cur:
        review = _require_edit(cur, actor, cycle_id, party, until="summary")
        row = cur.execute("SELECT edited, seq, updated_by FROM review_summary WHERE review_id = ? AND lang = ?",
                          [review.id, lang]).fetchone()
        if row is None:
            raise NotFound("report.errors.not_drafted", party=party, cycle=cycle_id)
        if base_seq != row[1]:
            raise StaleReport(base_seq, row[1], row[2])
        edited = body if body.strip() else None
        if edited == row[0]:
            return row[1]
        cur.execute("UPDATE review_summary SET edited = ?, seq = seq + 1, updated_at = current_timestamp, updated_by = ? "
                    "WHERE review_id = ? AND lang = ?", [edited, actor.id, review.id, lang])
        audit.record(cur, actor, "report.edit_summary", "review_summary", f"{review.id}/{lang}", row[0], edited)
        return row[1] + 1


def agree_full_report(store: Store, actor: Actor, cycle_id: str, party: str, agree: bool) -> None:
    """Record whether the reviewed Party agrees that its full report is published (the summary always is)."""
    require(actor, "report.consent", party)
    with store.transaction() as cur:
        review = _review(cur, cycle_id, party)
        cur.execute("UPDATE peer_review SET full_report_public = ? WHERE id = ?", [bool(agree), review.id])
        audit.record(cur, actor, "report.consent", "peer_review", review.id, review.full_report_public, bool(agree))


# --- the report's steps: the review's stages ------------------------------------------------------

STEPS = ("draft_report", "agreed", "summary", "published")


def agree(store: Store, actor: Actor, cycle_id: str, party: str, full_report_public: bool | None = None) -> str:
    """The reviewed Party's focal point agrees to the draft report: the review's `agreed` stage, and,
    when given, whether the full report may be published, in one transaction. Returns the stage."""
    return _step(store, actor, cycle_id, party, "agreed", full_report_public)


def summary_ready(store: Store, actor: Actor, cycle_id: str, party: str) -> str:
    """The secretariat has the executive summary ready in the six languages: the `summary` stage."""
    return _step(store, actor, cycle_id, party, "summary")


def publish(store: Store, actor: Actor, cycle_id: str, party: str) -> str:
    """The secretariat publishes: the summaries are public from now on (the full report too when the
    Party agreed), on the calendar and on public replicas."""
    return _step(store, actor, cycle_id, party, PUBLISHED)


def complete_step(store: Store, actor: Actor, cycle_id: str, party: str, stage: str) -> str:
    """The report's step that completes `stage` (the pages' one button for the stage under way)."""
    if stage not in STEPS:
        return _reviews.advance(store, actor, cycle_id, party, stage).stage
    return _step(store, actor, cycle_id, party, stage)


def complete_steps(store: Store, cycle_id: str, steps, full_report_public=None) -> dict[str, str]:
    """`complete_step` for several reviews of one cycle (reviewed Party -> (acting user, stage)) in
    one transaction and a few statements (a bulk load such as the demo's), and, for the Parties in
    `full_report_public` (Party -> whether the full report may be published), the consent `agree`
    records with its step: each stage checked, refused, written and audited by its own user as one
    step at a time (`reviews.complete_stages`, the rule of every stage's completion); any refusal
    refuses them all. Returns each review's stage by Party."""
    consent = dict(full_report_public or {})
    if not steps:
        return {}
    with store.transaction() as cur:
        reviews = _reviews.complete_stages(cur, cycle_id, steps)
        if consent:
            for party in consent:
                require(steps[party][0], "report.consent", party)
            ids = {party: reviews[party].id for party in consent}
            where, params = one_of("id", ids.values())
            before = dict(cur.execute(f"SELECT id, full_report_public FROM peer_review WHERE {where}", params).fetchall())
            cur.execute("UPDATE peer_review SET full_report_public = t.public FROM (SELECT unnest(?::VARCHAR[]) AS id, "
                        "unnest(?::BOOLEAN[]) AS public) AS t WHERE peer_review.id = t.id",
                        [list(ids.values()), [bool(consent[party]) for party in ids]])
            audit.record_each(cur, [(steps[party][0], "report.consent", "peer_review", rid, before[rid], bool(consent[party]))
                                    for party, rid in ids.items()])
        return {party: review.stage for party, review in reviews.items()}


def _step(store: Store, actor: Actor, cycle_id: str, party: str, stage: str, full_report_public: bool | None = None) -> str:
    consent = None if full_report_public is None else {party: full_report_public}
    return complete_steps(store, cycle_id, {party: (actor, stage)}, consent)[party]


def published_reviews(store: Store, actor: Actor, cycle_id: str | None = None) -> list[tuple[str, str, bool]]:
    """(cycle, party, full report public) of every published review (optionally of one cycle): public."""
    where, params = ("AND cycle_id = ?", [cycle_id]) if cycle_id else ("", [])
    with store.read() as cur:
        return [(r[0], r[1], bool(r[2])) for r in cur.execute(
            f"SELECT cycle_id, party, full_report_public FROM peer_review WHERE stage = ? {where} ORDER BY cycle_id, party",
            [PUBLISHED, *params]).fetchall()]


def kind_label(kind: str, lang: str) -> str:
    return t(f"report.kinds.{kind}", lang)


def priority_label(priority: str, lang: str) -> str:
    return t(f"report.priorities.{priority}", lang)


def section_label(section: str, lang: str) -> str:
    return t(f"report.sections.{section}", lang)


def report_items(report: Report, kinds: Iterable[str] = KINDS) -> list[Item]:
    wanted = set(kinds)
    return [i for i in report.items if i.kind in wanted]


@dataclass(frozen=True)
class PublishedSummary:
    cycle_id: str
    party: str
    lang: str
    text: str
    full_report_public: bool


def published_summaries(source, actor: Actor, party: str | None = None, lang: str = "en") -> list[PublishedSummary]:
    """The executive summaries of published reviews (of one Party, or all), in `lang`: public, on the
    working database and on a public snapshot alike (`actor` is whoever reads; everyone may)."""
    lang = normalize(lang)
    if getattr(source, "published_only", False):
        reviews = "SELECT id, cycle_id, party, full_report_public FROM published_review"
    else:
        reviews = (f"SELECT id, cycle_id, party, coalesce(full_report_public, FALSE) AS full_report_public "
                   f"FROM peer_review WHERE stage = '{PUBLISHED}'")
    with source.read() as cur:
        try:
            rows = cur.execute(
                f"WITH r AS ({reviews}) SELECT r.cycle_id, r.party, coalesce(nullif(trim(m.edited), ''), m.drafted), "
                "r.full_report_public FROM r JOIN review_summary m ON m.review_id = r.id AND m.lang = ? "
                "JOIN cycle c ON c.id = r.cycle_id WHERE ? IS NULL OR r.party = ? ORDER BY c.deadline DESC, r.party",
                [lang, party, party]).fetchall()
        except Exception as error:  # a snapshot written before reports existed has no such tables
            import duckdb

            if isinstance(error, duckdb.CatalogException):
                return []
            raise
    return [PublishedSummary(r[0], r[1], lang, r[2], bool(r[3])) for r in rows]


@dataclass(frozen=True)
class ReviewLine:
    cycle_id: str
    party: str
    stage: str
    full_report_public: bool | None
    drafted: bool


def readable_reviews(store: Store, actor: Actor, cycle_id: str) -> list[ReviewLine]:
    """The reviews of a cycle whose report this actor may read: all for the secretariat, its own
    Party's for a Party's user, its assigned ones for a reviewer, published ones for anyone."""
    with store.read() as cur:
        rows = cur.execute(
            "SELECT r.cycle_id, r.party, r.stage, r.full_report_public, t.review_id IS NOT NULL FROM peer_review r "
            "LEFT JOIN review_report t ON t.review_id = r.id WHERE r.cycle_id = ? ORDER BY r.party", [cycle_id]).fetchall()
    return [ReviewLine(*r) for r in rows
            if _may_read_unpublished(actor, r[0], r[1]) or (r[2] == PUBLISHED and r[3])]
