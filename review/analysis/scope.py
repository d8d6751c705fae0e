"""What a viewer may see, laid out as tables every analysis query starts from.

The secretariat sees every submission's working answers (or, with `published_only`, what the
public sees); the public and the COP see the published revision of Parties that consented to
publication; a Party's own users see their working answers beside the public answers of
others. A published snapshot holds only public data, so on a snapshot everyone sees the public
view. Each analysis opens a `View`: a cursor holding these temporary tables:

- `dim_party` (party, party_name, region, region_name, ldc, lldc, sids);
- `dim_provision` (cycle_id, provision_id, ord, ref, article, article_title, chapter,
  chapter_title, obligation, obligation_label, weight, mandatory);
- `dim_status` (cycle_id, status, status_label, score);
- `seen_submission` (cycle_id, party, submission_id, state, origin 'current'|'published', revision);
- `seen_value` (submission_id, provision_id, question_id, value JSON) and `seen_answer` (cycle_id,
  party, provision_id, question_id, value JSON): views of the answers seen;
- `grid`: one row per seen submission x scored provision (status NULL when unanswered),
  with score, applicable, unknown, not_applicable, by_choice, legislation_count.

A view may be limited to some Parties (`open_view(..., parties=[...])`): the same rows for them,
none for the others; and may leave `grid` out (`grid=False`) when only the answers are read.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Protocol, Sequence

import duckdb
import polars as pl
import pyarrow as pa

from review.access import Actor, viewer
from review.errors import NotFound, PermissionDenied, ReviewError
from review.i18n import label, normalize, t
from review.rules import public_question_sql, public_sql
from review.questionnaire import Questionnaire
from review.questionnaire.loader import from_registered
from review.questionnaire.types import of as type_of

STATUS_LIST = "status"
CHALLENGE_LIST = "challenge"
TA_NEEDS_QUESTION = "ta_needs"
TA_RECEIVED_QUESTION = "ta_received"
LEGISLATION_COLUMN = "title"
REGIONS = ("AFR", "APG", "EEG", "GRULAC", "WEOG")


class Source(Protocol):
    """A working `Store` or a published `Snapshot`: anything with a `read()` cursor over the schema,
    saying whether it holds published data only (then every reader is the public)."""

    published_only: bool

    def read(self): ...


@dataclass(frozen=True)
class QuestionRoles:
    """Which questions of a questionnaire the analysis reads, found by their shape, not by name."""

    status: tuple[str, ...]
    legislation: tuple[str, ...]
    challenges: tuple[str, ...]
    ta_needs: tuple[str, ...]
    ta_received: tuple[str, ...] = ()


def question_roles(q: Questionnaire) -> QuestionRoles:
    """Status: choice questions on the `status` code list; legislation: tables with a `title`
    column; challenges: multi-choice questions on the `challenge` list; TA needs: `ta_needs`; TA
    received: `ta_received`."""
    status, legislation, challenges, ta, received = set(), set(), set(), set(), set()
    for provision in q.assessed_provisions():
        for question in provision.questions:
            role = type_of(question).analysis  # the role its type plays in the analysis
            if role == "category" and question.code_list == STATUS_LIST:
                status.add(question.id)
            elif role == "records" and any(c.id == LEGISLATION_COLUMN for c in question.columns):
                legislation.add(question.id)
            elif role == "categories" and question.code_list == CHALLENGE_LIST:
                challenges.add(question.id)
            elif role == "records" and question.id == TA_NEEDS_QUESTION:
                ta.add(question.id)
            elif role == "records" and question.id == TA_RECEIVED_QUESTION:
                received.add(question.id)
    return QuestionRoles(*(tuple(sorted(s)) for s in (status, legislation, challenges, ta, received)))


@dataclass(frozen=True)
class CycleInfo:
    id: str
    title: str
    chapters: tuple[str, ...]
    deadline: object
    questionnaire: Questionnaire
    roles: QuestionRoles


_QUESTIONNAIRES: dict[tuple[str, str, str], tuple[Questionnaire, QuestionRoles]] = {}


def _questionnaire(cur, key: tuple[str, str, str]) -> tuple[Questionnaire, QuestionRoles]:
    """A registered questionnaire and its question roles, parsed once per definition (a label
    corrected, or a question made private, on a registered version is read anew)."""
    found = _QUESTIONNAIRES.get(key)
    if found is None:
        definition = cur.execute("SELECT definition FROM questionnaire WHERE id = ? AND version = ?", key[:2]).fetchall()[0][0]
        q = from_registered(definition, f"{key[0]} {key[1]}")  # the parse cycles.questionnaire shares
        found = _QUESTIONNAIRES[key] = (q, question_roles(q))
    return found


def cycle_info(cur, cycle_id: str | None) -> CycleInfo:
    """The cycle (the latest when none is named) with its questionnaire, read through `cur`."""
    where, params = ("WHERE c.id = ?", [cycle_id]) if cycle_id else ("", [])
    rows = cur.execute(
        "SELECT c.id, c.title, c.chapters, c.deadline, q.id, q.version, md5(q.definition) FROM cycle c "
        f"JOIN questionnaire q ON q.id = c.questionnaire_id AND q.version = c.questionnaire_version {where} "
        "ORDER BY c.deadline DESC, c.created_at DESC LIMIT 1",
        params,
    ).fetchall()
    if not rows:
        raise NotFound("errors.cycle_not_found", cycle=cycle_id) if cycle_id else NotFound("errors.no_cycle")
    row = rows[0]
    q, roles = _questionnaire(cur, (row[4], row[5], row[6]))
    return CycleInfo(row[0], row[1], tuple(row[2]), row[3], q, roles)


def all_cycle_ids(source: "Source | View") -> list[str]:
    """Every cycle's id, newest first (cycles are public)."""
    if isinstance(source, View):
        return [c.id for c in source.cycles]
    with source.read() as cur:
        return [r[0] for r in cur.execute("SELECT id FROM cycle ORDER BY deadline DESC, created_at DESC").fetchall()]


def viewer_scope(source: Source, actor: Actor, published_only: bool = False) -> str:
    """'all' (every working answer), 'party' (own working answers + public ones) or 'public', as the
    policy's viewer decides (`access.viewer`); `published_only` asks for the public view."""
    seen = viewer(actor, public_source=published_only or source.published_only)
    return seen.sight if seen.sight in ("all", "party") else "public"


# The dimension tables' columns and their SQL types, in order.
_DIM_PROVISION = (("cycle_id", "VARCHAR"), ("provision_id", "VARCHAR"), ("ord", "INTEGER"), ("ref", "VARCHAR"),
                  ("article", "INTEGER"), ("article_title", "VARCHAR"), ("chapter", "VARCHAR"),
                  ("chapter_title", "VARCHAR"), ("obligation", "VARCHAR"), ("obligation_label", "VARCHAR"),
                  ("weight", "DOUBLE"), ("mandatory", "BOOLEAN"))
_DIM_STATUS = (("cycle_id", "VARCHAR"), ("status", "VARCHAR"), ("status_label", "VARCHAR"), ("score", "DOUBLE"),
               ("by_choice", "BOOLEAN"))
_REGION_LABEL = (("code", "VARCHAR"), ("label", "VARCHAR"))


def _dim_provision(cycles: Sequence[CycleInfo], lang: str) -> dict[str, list]:
    rows: dict[str, list] = {k: [] for k, _ in _DIM_PROVISION}
    for info in cycles:
        q = info.questionnaire
        obligations = q.code_lists.get("obligation")
        ord_ = 0
        for article in q.articles:
            if article.chapter not in info.chapters:
                continue
            chapter = q.chapter(article.chapter)
            for p in article.provisions:
                if not any(qq.id in info.roles.status for qq in p.questions):
                    continue
                item = obligations.item(p.obligation) if obligations else None
                ord_ += 1
                for key, value in (
                    ("cycle_id", info.id), ("provision_id", p.id), ("ord", ord_), ("ref", label(p.ref, lang)),
                    ("article", article.number), ("article_title", label(article.title, lang)),
                    ("chapter", article.chapter), ("chapter_title", label(chapter.title, lang) if chapter else article.chapter),
                    ("obligation", p.obligation), ("obligation_label", label(item.label, lang) if item else p.obligation),
                    ("weight", float(item.weight) if item and item.weight is not None else 1.0),
                    ("mandatory", p.obligation == "mandatory"),
                ):
                    rows[key].append(value)
    return rows


def _dim_status(cycles: Sequence[CycleInfo], lang: str) -> dict[str, list]:
    rows: dict[str, list] = {k: [] for k, _ in _DIM_STATUS}
    for info in cycles:
        for item in info.questionnaire.code_lists[STATUS_LIST].items:
            rows["cycle_id"].append(info.id)
            rows["status"].append(item.code)
            rows["status_label"].append(label(item.label, lang))
            rows["score"].append(None if item.score is None else float(item.score))
            # a choice the convention leaves to the State (an option not used, a measure considered and
            # not adopted): no score, offered on some obligation levels only, counted apart from "not applicable"
            rows["by_choice"].append(item.score is None and bool(item.applies_to))
    return rows


def _temp_table(cur, name: str, columns: Sequence[tuple[str, str]], rows: dict[str, list]) -> None:
    """A temporary table of `rows` (column -> values), typed by `columns`, from list parameters:
    no Arrow table on the way (pyarrow's array building imports pandas, half a second per process)."""
    select = ", ".join(f"unnest(${column}::{kind}[]) AS {column}" for column, kind in columns)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", {column: rows[column] for column, _ in columns})


def _region_rows(lang: str) -> dict[str, list]:
    codes = [*REGIONS, "none"]
    return {"code": codes, "label": [t(f"regions.{c}", lang) for c in codes]}


def region_labels(lang: str) -> pa.Table:
    """The regional groups' names in `lang` (code, label), 'none' for Parties in no group."""
    return pa.table(_region_rows(lang))


def sql_list(values: Sequence[str]) -> str:
    """Quoted SQL literals for an IN list of identifiers that come from definitions, not users."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")" if values else "(NULL)"


def _id_ranges(cycle_ids: Sequence[str]) -> str:
    """A predicate on `{column}` keeping the submissions of these cycles, as ranges of ids.

    Submission ids are `<cycle>/<party>` (`submissions.submission_id`), so each cycle is the range
    ['<cycle>/', '<cycle>0'); DuckDB skips row groups outside it, and a query on one cycle does not
    read the answers of every other cycle."""
    ranges = []
    for cycle_id in cycle_ids:
        low, high = (sql_list([cycle_id + suffix])[1:-1] for suffix in ("/", "0"))
        ranges.append(f"({{column}} >= {low} AND {{column}} < {high})")
    return " OR ".join(ranges) or "FALSE"


@dataclass
class View:
    """An open cursor with the viewer's tables, for one or more cycles."""

    cur: duckdb.DuckDBPyConnection
    actor: Actor
    scope: str
    cycles: tuple[CycleInfo, ...]
    lang: str
    # the Parties the view is limited to (`open_view(parties=...)`); None: every Party the viewer sees
    parties: tuple[str, ...] | None = None

    def sql(self, query: str, params: list | dict | None = None) -> pl.DataFrame:
        return self.cur.sql(query, params=params).pl()

    def questions(self, role: str) -> str:
        """An SQL list of the question ids playing `role` in any of the view's cycles."""
        return sql_list(sorted({qid for info in self.cycles for qid in getattr(info.roles, role)}))

    def code_labels(self, code_list: str) -> dict[str, str]:
        """Code -> label in the view's language, from the cycles' questionnaires."""
        out: dict[str, str] = {}
        for info in self.cycles:
            found = info.questionnaire.code_lists.get(code_list)
            for item in found.items if found else ():
                out.setdefault(item.code, label(item.label, self.lang))
        return out


_SEEN = {
    "all": "SELECT s.cycle_id, s.party, s.id AS submission_id, s.state, 'current' AS origin, NULL::INTEGER AS revision "
           "FROM submission s WHERE s.cycle_id IN {cycles}",
    "public": "SELECT s.cycle_id, s.party, s.id AS submission_id, s.state, 'published' AS origin, "
              "s.published_revision AS revision FROM submission s "
              "WHERE s.cycle_id IN {cycles} AND " + public_sql("s"),
}
_SEEN["party"] = (
    "SELECT s.cycle_id, s.party, s.id AS submission_id, s.state, 'current' AS origin, NULL::INTEGER AS revision "
    "FROM submission s WHERE s.cycle_id IN {cycles} AND s.party = $party "
    "UNION ALL " + _SEEN["public"] + " AND s.party <> $party"
)


@contextmanager
def open_view(source: Source, actor: Actor, cycle_ids: Sequence[str | None] = (None,), *,
              published_only: bool = False, lang: str = "en", parties: Sequence[str] | None = None,
              grid: bool = True) -> Iterator[View]:
    """The viewer's tables over the given cycles (None: the latest), in a cursor of its own.

    `parties` limits the view to those Parties' submissions, each seen exactly as in the whole view
    (a Party the viewer may not see stays unseen): for a question about one Party (its TA needs, a
    check before a change), which would otherwise build the tables of every Party of the cycle.
    Every table and aggregate of such a view covers those Parties only. `grid=False` leaves the
    `grid` table out (the statuses and scores of every submission x provision), for readers of the
    answers alone (the TA needs), which would otherwise pay for it."""
    lang = normalize(lang)
    scope = viewer_scope(source, actor, published_only)
    with source.read() as cur:
        infos = []
        for cycle_id in cycle_ids:
            info = cycle_info(cur, cycle_id)
            if all(i.id != info.id for i in infos):
                infos.append(info)
        cycles = sql_list([i.id for i in infos])
        for table, columns, rows in (("dim_provision", _DIM_PROVISION, _dim_provision(infos, lang)),
                                     ("dim_status", _DIM_STATUS, _dim_status(infos, lang)),
                                     ("region_label", _REGION_LABEL, _region_rows(lang))):
            _temp_table(cur, table, columns, rows)
        name = f"coalesce(name_{lang}, name_en)" if lang in ("en", "fr", "es", "ru", "zh", "ar") else "name_en"
        cur.execute(
            f"CREATE OR REPLACE TEMP VIEW dim_party AS SELECT p.code AS party, {name} AS party_name, "
            "coalesce(p.regional_group, 'none') AS region, r.label AS region_name, p.ldc, p.lldc, p.sids "
            "FROM party p LEFT JOIN region_label r ON r.code = coalesce(p.regional_group, 'none')"
        )
        seen = _SEEN[scope].format(cycles=cycles)
        params = {"party": actor.party} if scope == "party" else {}
        if parties is not None:
            seen = f"SELECT * FROM ({seen}) WHERE list_contains($parties::VARCHAR[], party)"
            params["parties"] = sorted(set(parties))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE seen_submission AS {seen}", params or None)
        in_cycles = _id_ranges([i.id for i in infos])
        current = (
            "SELECT a.submission_id, a.provision_id, a.question_id, a.value FROM answer a "
            "SEMI JOIN seen_submission s ON a.submission_id = s.submission_id AND s.origin = 'current' "
            f"WHERE a.value IS NOT NULL AND ({in_cycles.format(column='a.submission_id')})"
        )
        # public answers: never a private question's (the directory of contacts and authorities)
        private = frozenset().union(*(i.questionnaire.private_questions for i in infos))
        published = (
            "SELECT r.submission_id, r.provision_id, r.question_id, r.value FROM revision_answer r "
            "SEMI JOIN seen_submission s ON r.submission_id = s.submission_id AND r.revision = s.revision "
            f"AND s.origin = 'published' WHERE {in_cycles.format(column='r.submission_id')} "
            f"AND {public_question_sql('r.question_id', private)}"
        )
        parts = {"all": [current], "public": [published], "party": [current, published]}[scope]
        cur.execute("CREATE OR REPLACE TEMP VIEW seen_value AS " + " UNION ALL ".join(parts))
        cur.execute(
            "CREATE OR REPLACE TEMP VIEW seen_answer AS SELECT s.cycle_id, s.party, v.provision_id, v.question_id, v.value "
            "FROM seen_value v JOIN seen_submission s USING (submission_id)"
        )
        view = View(cur, actor, scope, tuple(infos), lang, None if parties is None else tuple(sorted(set(parties))))
        if not grid:  # and none left from an earlier view on this cursor (a batch's)
            cur.execute("DROP TABLE IF EXISTS temp.grid")
            yield view
            return
        status, laws = view.questions("status"), view.questions("legislation")
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE grid AS "
            "SELECT s.cycle_id, s.party, p.provision_id, a.status, ds.score, "
            "  ds.score IS NOT NULL AS applicable, a.status IS NULL AS unknown, "
            "  a.status IS NOT NULL AND ds.score IS NULL AND NOT coalesce(ds.by_choice, false) AS not_applicable, "
            "  a.status IS NOT NULL AND coalesce(ds.by_choice, false) AS by_choice, coalesce(a.laws, 0) AS legislation_count "
            "FROM seen_submission s JOIN dim_provision p ON p.cycle_id = s.cycle_id "
            f"LEFT JOIN (SELECT submission_id, provision_id, max(CASE WHEN question_id IN {status} THEN value->>'$' END) AS status, "
            f"  sum(CASE WHEN question_id IN {laws} THEN json_array_length(value) END)::INTEGER AS laws FROM seen_value "
            f"  WHERE question_id IN {status} OR question_id IN {laws} GROUP BY submission_id, provision_id) a "
            "  ON a.submission_id = s.submission_id AND a.provision_id = p.provision_id "
            "LEFT JOIN dim_status ds ON ds.cycle_id = s.cycle_id AND ds.status = a.status"
        )
        yield view


def require_seen(v: View, party: str) -> None:
    """Refuse a Party whose answers the view does not hold."""
    if not v.cur.execute("SELECT 1 FROM seen_submission WHERE party = ?", [party]).fetchall():
        raise PermissionDenied("errors.not_published", party=party)


@contextmanager
def viewing(source: "Source | View", actor: Actor, cycle_ids: Sequence[str | None], *, published_only: bool = False,
            lang: str = "en") -> Iterator[View]:
    """The view to compute on: `source` itself when it is an open `View` (so that one page can run
    several aggregates on one set of tables), else a new one. An open view must be the same actor's
    and hold exactly the cycles asked for."""
    if not isinstance(source, View):
        with open_view(source, actor, cycle_ids, published_only=published_only, lang=lang) as view:
            yield view
        return
    held = [c.id for c in source.cycles]
    asked = [c for c in cycle_ids if c is not None]
    if source.actor != actor or (asked and sorted(set(asked)) != sorted(held)) or (not asked and len(held) != 1):
        raise ReviewError("analysis.view_mismatch", cycles=", ".join(held))
    yield source


def answers_frame(source: Source, actor: Actor, cycle_id: str | None = None, published_only: bool = False,
                  lang: str = "en") -> pl.DataFrame:
    """Every answer the viewer may see: cycle_id, party, provision_id, question_id, value (JSON
    text), origin ('current' working answers or the 'published' revision)."""
    with viewing(source, actor, [cycle_id], published_only=published_only, lang=lang) as v:
        return v.sql(
            "SELECT a.cycle_id, a.party, a.provision_id, a.question_id, a.value::VARCHAR AS value, s.origin "
            "FROM seen_answer a JOIN seen_submission s USING (cycle_id, party) ORDER BY a.party, a.provision_id, a.question_id"
        )
