"""The matching report: every need with its suggested (or chosen) partner, the score and its parts,
the next best alternatives, what each provider and each Party stands at, and the unmet needs with
their reason, summed by TA type x chapter x regional group (the list donors should read).

What a reader sees: the secretariat everything; a Party's users their own needs and matches, the
offers of their own Party and the requests those offers could serve; a provider user the offers of
its own organization, their matches and the requests they could serve, of published answers and
standalone requests only (never an unpublished answer); every reader the summary of unmet needs
(counts only). Labels are in the reader's language; JSON and CSV keep stable column
names, Excel and PDF show translated headers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from review.access import Actor, Role, require, viewer
from review.cycles import cycle_questionnaire, get_cycle
from review.i18n import label, normalize, t
from review.matching.engine import PARTS, REASONS, Assignment, Candidates, alternatives, find_candidates, optimal
from review.matching.matches import ENGAGED, SUGGESTED, stored_matches
from review.matching.needs import READER, NeedInfo, questionnaire_needs, request_needs
from review.matching.registry import active_offers
from review.parties import all_parties
from review.reading import public_parties
from review.store import Store

VIEWS = ("matches", "providers", "parties", "unmet", "unmet_summary")


class Labels:
    """Codes to words in the reader's language, from the cycle's questionnaire and the reference data."""

    def __init__(self, store: Store, cycle, lang: str):
        self.lang = normalize(lang)
        cycle = cycle or get_cycle(store)
        self.q = cycle_questionnaire(store, cycle)
        self.parties = all_parties(store)
        self._words: dict[tuple[str, str | None], str] = {}  # a report asks the same few words thousands of times

    def party(self, code: str | None) -> str:
        return self.parties[code].name(self.lang) if code in self.parties else (code or "")

    def region(self, code: str | None) -> str:
        return t(f"regions.{code or 'none'}", self.lang)

    def ta_type(self, code: str) -> str:
        return self.q.code_lists["ta_type"].label(code, self.lang) if self.q.code_lists["ta_type"].item(code) else code

    def priority(self, code: str) -> str:
        found = self.q.code_lists["priority"]
        return found.label(code, self.lang) if found.item(code) else code

    def chapter(self, number: str | None) -> str:
        found = self._words.get(("chapter", number))
        if found is None:
            chapter = self.q.chapter(number) if number else None
            found = self._words[("chapter", number)] = f"{number}. {label(chapter.title, self.lang)}" if chapter else (number or "")
        return found

    def topic(self, article: int | None, chapter: str | None) -> str:
        if article is not None:
            found = self.q.article(article)
            return t("matching.article", self.lang, number=article, title=label(found.title, self.lang) if found else "")
        return self.chapter(chapter) if chapter else t("matching.any_topic", self.lang)

    def word(self, group: str, code: str | None) -> str:
        if not code:
            return ""
        found = self._words.get((group, code))
        if found is None:
            found = self._words[(group, code)] = t(f"matching.{group}.{code}", self.lang)
        return found


@dataclass
class MatchReport:
    """One run of the matching for one cycle, as one reader may see it."""

    cycle_id: str
    cycle_title: str
    lang: str
    scope: str
    totals: dict[str, float | int]
    views: dict[str, pl.DataFrame] = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)


def _alternative_text(offers, js: list[int], totals: list[float], rows: list[int], template: str) -> str:
    """The alternatives, each by `template` (the message `matching.alternative`, looked up once per report)."""
    return "; ".join(
        template.format(provider=offers[js[r]].provider, offer=offers[js[r]].id, score=f"{totals[r]:g}") for r in rows
    )


def compute(store: Store, actor: Actor, cycle_id: str | None = None, lang: str = "en", today: dt.date | None = None):
    """The whole matching of a cycle, before any reader's filter: needs, offers, candidates, assignment
    (every Party's needs: the secretariat's, or the matching's own system context)."""
    require(actor, "analysis.unpublished")
    cycle = get_cycle(store, cycle_id)
    labels = Labels(store, cycle, lang)
    q_needs, q_info = questionnaire_needs(store, actor, cycle.id, lang)
    r_needs, r_info = request_needs(store, actor, labels)
    needs = sorted(q_needs + r_needs, key=lambda n: n.key)
    info: dict[str, NeedInfo] = {**q_info, **r_info}
    offers = active_offers(store)
    stored = stored_matches(store, actor)
    keys = {n.key for n in needs}
    engaged = {need: (offer, state) for (need, offer), state in stored.items() if state in ENGAGED and need in keys}
    declined = {pair for pair, state in stored.items() if state == "declined"}
    places = {a.number: a.chapter for a in labels.q.articles}
    c = find_candidates(needs, offers, today or dt.date.today(), excluded=declined, article_chapters=places)
    offer_index = {o.id: j for j, o in enumerate(offers)}
    held = np.zeros(len(offers), dtype=np.int64)
    for offer, _ in engaged.values():
        if offer in offer_index:
            held[offer_index[offer]] += 1
    engaged_rows = {i for i, n in enumerate(needs) if n.key in engaged}
    free = Candidates(needs, offers, c.frame.filter(~pl.col("i").is_in(sorted(engaged_rows))), c.stage)
    capacity = np.maximum(np.array([o.capacity for o in offers], dtype=np.int64) - held, 0)
    assignment = optimal(free, capacity)
    return cycle, labels, needs, info, offers, c, assignment, engaged, held, stored


def _score_columns(scores: dict[str, list], row: int | None) -> dict:
    if row is None:
        return {"score": None, "weight": None, **{p: None for p in PARTS}}
    return {"score": scores["total"][row], "weight": scores["weight"][row], **{p: scores[p][row] for p in PARTS}}


def match_report(store: Store, actor: Actor, cycle_id: str | None = None, lang: str = "en",
                 today: dt.date | None = None) -> MatchReport:
    """The report as `actor` may see it (refused to the public)."""
    require(actor, "match.read")
    lang = normalize(lang)
    cycle, labels, needs, info, offers, c, a, engaged, held, stored = compute(store, READER, cycle_id, lang, today)
    seen_by = viewer(actor)
    everything, provider = seen_by.sees_everything, seen_by.sight == "provider"
    own = seen_by.party
    own_offers = None if everything else {o.id for o in offers if _offered_by(o, actor)}
    public = None if everything else _shown_needs(store, cycle.id)
    shown = (lambda need: True) if everything else (lambda need: need.party == own or public(need))
    pair_row = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(c.frame["i"].to_list(), c.frame["j"].to_list()))}
    offer_index = {o.id: j for j, o in enumerate(offers)}
    alts = alternatives(a)
    free_i, free_j, free_total = (a.candidates.frame[k].to_list() for k in ("i", "j", "total"))
    scores = {k: c.frame[k].to_list() for k in ("total", "weight", *PARTS)}
    alternative = t("matching.alternative", lang)  # `t` with parameters is this template's format
    lines = []
    for i, need in enumerate(needs):
        meta = info[need.key]
        if need.key in engaged:
            offer_id, state = engaged[need.key]
            j = offer_index.get(offer_id)
            row = pair_row.get((i, j)) if j is not None else None
            offer = offers[j] if j is not None else None
            reason = None
        elif a.chosen[i] >= 0:
            j = int(a.chosen[i])
            offer, state, row, reason = offers[j], SUGGESTED, a.pair_rows[i], None
            offer_id = offer.id
        else:
            offer, offer_id, state, row, reason = None, None, "unmet", None, a.reason(i)
        rows_alt = alts.get(i, []) if need.key not in engaged else []
        # `a.pair_rows` index the free frame; map back to the full frame for scores.
        if state == SUGGESTED:
            row = pair_row[(free_i[row], free_j[row])]
        lines.append({
            "need_key": need.key, "party": need.party, "party_name": meta.party_name, "region_name": meta.region_name,
            "source": labels.word("sources", need.source), "ref": meta.ref, "chapter": need.chapter,
            "chapter_title": labels.chapter(need.chapter), "type": need.type, "type_label": meta.type_label,
            "priority_label": meta.priority_label, "description": need.description,
            "received": meta.received or None,
            "offer_id": offer_id, "provider": offer.provider if offer else None,
            "provider_party": offer.provider_party if offer else None,
            "role_label": labels.word("roles", offer.role) if offer else None,
            "state": state, "state_label": labels.word("states", state),
            **_score_columns(scores, row),
            "alternatives": _alternative_text(offers, free_j, free_total, rows_alt, alternative) if rows_alt else "",
            "alternative_offers": [offers[free_j[r]].id for r in rows_alt],
            "reason": reason, "reason_label": labels.word("reasons", reason) if reason else None,
        })
    if everything:
        seen, theirs = lines, lines
    else:
        seen = [ln for i, ln in enumerate(lines) if ln["party"] == own or (ln["offer_id"] in own_offers and shown(needs[i]))]
        theirs = [ln for ln in lines if ln["party"] == own]
    views = {
        "matches": _matches_view(seen),
        "providers": _providers_view(offers, c, a, held, labels, own_offers),
        "parties": _parties_view(theirs, stored, own),
        "unmet": _unmet_view(theirs),
        "unmet_summary": _unmet_summary(lines),
    }
    if not everything:
        views["could_serve"] = _could_serve(needs, info, offers, c, own_offers, shown)
    matched = sum(1 for ln in lines if ln["state"] != "unmet")
    totals = {"needs": len(needs), "matched": matched, "unmet": len(needs) - matched, "offers": len(offers),
              "capacity": int(sum(o.capacity for o in offers)), "total_score": round(a.total, 2),
              "engaged": len(engaged), "optimal": a.proven}
    scope = "all" if everything else "provider" if provider else "party"  # the report's own word for its reader
    return MatchReport(cycle.id, cycle.title, lang, scope, totals, views, seen)


def _offered_by(offer, actor: Actor) -> bool:
    """Whether the offer is the reader's own: its Party's, or its organization's for a provider user."""
    if actor.role is Role.PROVIDER:
        return offer.provider_kind != "party" and offer.provider == actor.provider
    return actor.party is not None and offer.provider_party == actor.party


def _shown_needs(store: Store, cycle_id: str):
    """What a provider, or a Party for another Party's needs, may read of them: standalone requests
    (filed to be matched) and the needs in answers published with the Party's consent."""
    public = set(public_parties(store, cycle_id))
    return lambda need: need.source == "request" or need.party in public


MATCH_COLUMNS = ("party_name", "region_name", "source", "ref", "type_label", "priority_label", "description", "provider",
                 "offer_id", "role_label", "state_label", "score", "weight", *PARTS, "alternatives", "received")
UNMET_COLUMNS = ("party_name", "region_name", "source", "ref", "chapter_title", "type_label", "priority_label",
                 "description", "reason_label", "received")
FLOAT_COLUMNS = {"score", *PARTS}


def _frame(rows: list[dict], columns: tuple[str, ...]) -> pl.DataFrame:
    schema = {c: (pl.Float64 if c in FLOAT_COLUMNS else pl.Int64 if c == "weight" else pl.String) for c in columns}
    return pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], schema=schema)


def _matches_view(lines: list[dict]) -> pl.DataFrame:
    return _frame([ln for ln in lines if ln["state"] != "unmet"], MATCH_COLUMNS)


def _unmet_view(lines: list[dict]) -> pl.DataFrame:
    return _frame([ln for ln in lines if ln["state"] == "unmet"], UNMET_COLUMNS)


def _providers_view(offers, c: Candidates, a: Assignment, held: np.ndarray, labels: Labels,
                    own: set[str] | None) -> pl.DataFrame:
    suggested = a.load()
    could = c.frame.group_by("j").agg(pl.col("i").n_unique().alias("n"))
    could_map = dict(zip(could["j"].to_list(), could["n"].to_list()))
    rows = []
    for j, o in enumerate(offers):
        if own is not None and o.id not in own:
            continue
        rows.append({
            "provider": o.provider, "offer_id": o.id, "role_label": labels.word("roles", o.role),
            "types": "; ".join(labels.ta_type(x) for x in sorted(o.types)), "capacity": o.capacity,
            "engaged": int(held[j]), "suggested": int(suggested[j]),
            "remaining": int(max(o.capacity - held[j] - suggested[j], 0)), "could_serve": int(could_map.get(j, 0)),
        })
    schema = {"provider": pl.String, "offer_id": pl.String, "role_label": pl.String, "types": pl.String,
              **{k: pl.Int64 for k in ("capacity", "engaged", "suggested", "remaining", "could_serve")}}
    return pl.DataFrame(rows, schema=schema)


def _parties_view(lines: list[dict], stored: dict, own: str | None) -> pl.DataFrame:
    declined: dict[str, int] = {}
    keys = {ln["need_key"]: ln["party"] for ln in lines}
    for (need, _), state in stored.items():
        if state == "declined" and need in keys:
            declined[keys[need]] = declined.get(keys[need], 0) + 1
    by: dict[str, dict] = {}
    for ln in lines:
        if own is not None and ln["party"] != own:
            continue
        row = by.setdefault(ln["party"], {"party_name": ln["party_name"], "region_name": ln["region_name"], "needs": 0,
                                          **{s: 0 for s in ("suggested", "accepted", "in_progress", "delivered", "unmet")}})
        row["needs"] += 1
        row[ln["state"]] += 1
    rows = [{**r, "declined": declined.get(p, 0)} for p, r in sorted(by.items(), key=lambda kv: kv[1]["party_name"])]
    schema = {"party_name": pl.String, "region_name": pl.String,
              **{k: pl.Int64 for k in ("needs", "suggested", "accepted", "in_progress", "delivered", "unmet", "declined")}}
    return pl.DataFrame(rows, schema=schema)


def _unmet_summary(lines: list[dict]) -> pl.DataFrame:
    unmet = [ln for ln in lines if ln["state"] == "unmet"]
    schema = {"type_label": pl.String, "chapter_title": pl.String, "region_name": pl.String, "needs": pl.Int64,
              "parties": pl.Int64, **{r: pl.Int64 for r in REASONS}}
    if not unmet:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame([{k: ln[k] for k in ("type_label", "chapter", "chapter_title", "region_name", "party", "reason")}
                          for ln in unmet], schema_overrides={"chapter": pl.String})
    return (frame.group_by("type_label", "chapter", "chapter_title", "region_name")
            .agg(pl.len().cast(pl.Int64).alias("needs"), pl.col("party").n_unique().cast(pl.Int64).alias("parties"),
                 *[(pl.col("reason") == r).sum().cast(pl.Int64).alias(r) for r in REASONS])
            .sort(["needs", "type_label", "chapter", "region_name"], descending=[True, False, False, False], nulls_last=True)
            .drop("chapter"))


def _could_serve(needs, info, offers, c: Candidates, own: set[str], shown) -> pl.DataFrame:
    """The requests the offers in `own` (ids) could serve, best first, of the needs `shown` lets the
    reader see; the same view for a providing Party and for a provider organization."""
    mine = [j for j, o in enumerate(offers) if o.id in own]
    rows = []
    for r in c.frame.filter(pl.col("j").is_in(mine)).sort(["total", "i"], descending=[True, False]).iter_rows(named=True):
        need, meta = needs[r["i"]], info[needs[r["i"]].key]
        if not shown(need):
            continue
        rows.append({"offer_id": offers[r["j"]].id, "party_name": meta.party_name, "region_name": meta.region_name,
                     "ref": meta.ref, "type_label": meta.type_label, "priority_label": meta.priority_label,
                     "description": need.description, "score": r["total"]})
    schema = {k: pl.String for k in ("offer_id", "party_name", "region_name", "ref", "type_label", "priority_label",
                                     "description")}
    return pl.DataFrame(rows, schema={**schema, "score": pl.Float64})


def headers(columns: list[str], lang: str) -> dict[str, str]:
    """Readable column names for Excel and PDF."""
    return {c: t(OWN_HEADERS.get(c, f"matching.columns.{c}"), lang) for c in columns}


# columns whose headers live in another feature's messages
OWN_HEADERS = {"received": "scoring.received.already"}
