"""Published TA needs and offers as open data: what the public TA page, the snapshot and the CSV and
Parquet downloads carry, with one stable schema (documented in docs/open-data.md, checked by
tests/test_ta_publication.py against these frames).

Only what its owner published (`publication`) and is still available is here (`rules.is_public_ta`):
an unpublished need, request or offer is in no frame, no count and no file. The aggregate follows
the UNFCCC "support needed and received" tables, by TA type x chapter x regional group:
- needed: published needs (of the Parties of that regional group);
- matched: of those, needs whose Party accepted a partner (accepted, in progress or delivered);
- received: of those, needs whose assistance was delivered;
- offered: published offers naming the type, the chapter (directly or through an article or
  provision) and the region; an offer open to every chapter or region counts under "any"
  (empty chapter or region), and one naming several counts under each, so offered is not summed
  across chapters or regions;
- delivered: deliveries recorded on published offers, placed where the need served lies (the
  provider's published record, the UNFCCC "support provided"), with no detail of that need.

A source is the working database (computed now) or a published snapshot (the frames as written).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from review.i18n import t
from review.matching.matches import ENGAGED
from review.rules import is_public_ta, public_ta_sql

SEP = "; "
NEED_SCHEMA = {
    "need_id": pl.String, "source": pl.String, "cycle_id": pl.String, "party": pl.String, "region": pl.String,
    "type": pl.String, "priority": pl.String, "chapter": pl.String, "article": pl.Int64, "provision": pl.String,
    "description": pl.String, "needed_by": pl.Date, "match_state": pl.String, "offer_id": pl.String,
    "published_at": pl.Datetime("us"),
}
OFFER_SCHEMA = {
    "offer_id": pl.String, "provider": pl.String, "provider_kind": pl.String, "provider_party": pl.String,
    "role": pl.String, "types": pl.String, "chapters": pl.String, "articles": pl.String, "provisions": pl.String,
    "languages": pl.String, "regions": pl.String, "countries": pl.String, "modalities": pl.String,
    "capacity": pl.Int64, "starts": pl.Date, "ends": pl.Date, "description": pl.String, "engaged": pl.Int64,
    "delivered": pl.Int64, "published_at": pl.Datetime("us"),
}
SUMMARY_SCHEMA = {
    "type": pl.String, "chapter": pl.String, "region": pl.String, "needed": pl.Int64, "matched": pl.Int64,
    "received": pl.Int64, "offered": pl.Int64, "delivered": pl.Int64,
}
# the readable columns added beside the codes, in the reader's language
NEED_LABELS = ("party_name", "region_name", "type_label", "priority_label", "chapter_title", "match_state_label")
OFFER_LABELS = ("types_label",)
SUMMARY_LABELS = ("type_label", "chapter_title", "region_name")
MEASURES = ("needed", "matched", "received", "offered", "delivered")
MATCH_STATES = ("open", "accepted", "in_progress", "delivered")
TABLES = {"needs": "open_ta_need", "offers": "open_ta_offer", "summary": "open_ta_summary"}


def _from_snapshot(source) -> bool:
    return bool(getattr(source, "published_only", False))


def _table(source, name: str, schema: dict) -> pl.DataFrame:
    with source.read() as cur:
        frame = cur.sql(f"SELECT * FROM {name}").pl()
    return frame.cast(schema).select(list(schema))


def _publications(cur, kind: str) -> dict[str, dt.datetime]:
    return dict(cur.execute("SELECT item, updated_at FROM ta_publication WHERE kind = ? AND published", [kind]).fetchall())


def _states(cur) -> dict[str, tuple[str, str]]:
    """Per need, its furthest engaged match: (state, offer id)."""
    order = {"accepted": 1, "in_progress": 2, "delivered": 3}
    best: dict[str, tuple[str, str]] = {}
    for need, offer, state in cur.execute("SELECT need_key, offer_id, state FROM ta_match ORDER BY need_key, offer_id").fetchall():
        if state in ENGAGED and order[state] > order.get(best.get(need, ("", ""))[0], 0):
            best[need] = (state, offer)
    return best


def _current_needs(source, keys) -> dict:
    """The needs listed now (filed in their cycle, or requests still open) among `keys`, by key."""
    from review.matching.needs import READER, questionnaire_needs, request_needs

    cycles = sorted({key[2:].split("/")[0] for key in keys if key.startswith("q:")})
    found = [n for c in cycles for n in questionnaire_needs(source, READER, c)[0]]
    if any(key.startswith("r:") for key in keys):
        found += request_needs(source, READER)[0]
    return {n.key: n for n in found if n.key in keys}


def public_needs(source) -> pl.DataFrame:
    """The published needs still standing (codes; `NEED_SCHEMA`), by Party and key."""
    if _from_snapshot(source):
        return _table(source, TABLES["needs"], NEED_SCHEMA)
    with source.read() as cur:
        chosen = _publications(cur, "need")
        states = _states(cur)
        offers = _publications(cur, "offer")
        active = {r[0] for r in cur.execute("SELECT id FROM ta_offer WHERE active").fetchall()}
    needs = _current_needs(source, chosen)
    rows = []
    for need in sorted(needs.values(), key=lambda n: (n.party, n.key)):
        # a need listed now is available: filed in its cycle, or a request still open
        if not is_public_ta(need.key in chosen, True):
            continue
        state, offer = states.get(need.key, ("open", None))
        shown_offer = offer if offer is not None and is_public_ta(offer in offers, offer in active) else None
        rows.append({
            "need_id": need.key, "source": need.source, "party": need.party, "region": need.region,
            "cycle_id": need.key[2:].split("/")[0] if need.key.startswith("q:") else None,
            "type": need.type, "priority": need.priority, "chapter": need.chapter, "article": need.article,
            "provision": need.provision, "description": need.description, "needed_by": need.needed_by,
            "match_state": state, "offer_id": shown_offer, "published_at": chosen[need.key],
        })
    return pl.DataFrame(rows, schema=NEED_SCHEMA)


def public_offers(source) -> pl.DataFrame:
    """The published offers not withdrawn (codes; `OFFER_SCHEMA`), with how many engagements each
    holds and has delivered."""
    if _from_snapshot(source):
        return _table(source, TABLES["offers"], OFFER_SCHEMA)
    lists = ("types", "chapters", "articles", "provisions", "languages", "regions", "countries", "modalities")
    joined = ", ".join(f"array_to_string(list_transform(o.{c}, lambda x: CAST(x AS VARCHAR)), '{SEP}') AS {c}" for c in lists)
    with source.read() as cur:
        rows = cur.execute(
            f"SELECT o.id, o.provider, o.provider_kind, o.provider_party, o.role, {joined}, o.capacity, o.starts, o.ends, "
            "o.description, "
            f"(SELECT count(*) FROM ta_match m WHERE m.offer_id = o.id AND list_contains(?, m.state)), "
            "(SELECT count(*) FROM ta_match m WHERE m.offer_id = o.id AND m.state = 'delivered'), p.updated_at "
            "FROM ta_offer o JOIN ta_publication p ON p.kind = 'offer' AND p.item = o.id "
            f"WHERE {public_ta_sql('p.published', 'o.active')} ORDER BY o.id", [sorted(ENGAGED)]).fetchall()
    return pl.DataFrame(rows, schema=OFFER_SCHEMA, orient="row")


def _offer_cells(offers: pl.DataFrame, article_chapters: dict[int, str], provision_chapters: dict[str, str]) -> list[tuple]:
    cells = []
    for o in offers.iter_rows(named=True):
        split = (lambda v: [x for x in (v or "").split(SEP) if x])
        chapters = set(split(o["chapters"])) | {article_chapters.get(int(a)) for a in split(o["articles"])} \
            | {provision_chapters.get(p) for p in split(o["provisions"])}
        chapters = sorted(c for c in chapters if c) or [None]
        regions = split(o["regions"]) or [None]
        cells += [(kind, c, r) for kind in split(o["types"]) for c in chapters for r in regions]
    return cells


def _delivered(source) -> list[tuple]:
    """(type, chapter, region) of each delivery on a published offer, from the need it served."""
    if _from_snapshot(source):
        return []
    with source.read() as cur:
        offers = _publications(cur, "offer")
        pairs = cur.execute("SELECT need_key, offer_id FROM ta_match WHERE state = 'delivered' ORDER BY 1, 2").fetchall()
    keys = {need for need, offer in pairs if offer in offers}
    needs = _current_needs(source, keys)
    # a need no longer listed (its row removed) has no place to count its delivery under
    return [(needs[k].type, needs[k].chapter, needs[k].region) for k, _ in pairs if k in keys and k in needs]


def summary(source, needs: pl.DataFrame | None = None, offers: pl.DataFrame | None = None) -> pl.DataFrame:
    """Needed, matched, received, offered and delivered by TA type x chapter x regional group
    (`SUMMARY_SCHEMA`); from a snapshot, the table written with it."""
    if _from_snapshot(source):
        return _table(source, TABLES["summary"], SUMMARY_SCHEMA)
    needs = public_needs(source) if needs is None else needs
    offers = public_offers(source) if offers is None else offers
    article_chapters, provision_chapters = _places(source)
    counts: dict[tuple, dict[str, int]] = {}

    def bump(cell: tuple, column: str) -> None:
        counts.setdefault(cell, {k: 0 for k in ("needed", "matched", "received", "offered", "delivered")})[column] += 1

    for n in needs.iter_rows(named=True):
        cell = (n["type"], n["chapter"], n["region"])
        bump(cell, "needed")
        if n["match_state"] in ENGAGED:
            bump(cell, "matched")
        if n["match_state"] == "delivered":
            bump(cell, "received")
    for cell in _offer_cells(offers, article_chapters, provision_chapters):
        bump(cell, "offered")
    for cell in _delivered(source):
        bump(cell, "delivered")
    rows = [{"type": c[0], "chapter": c[1], "region": c[2], **v} for c, v in counts.items()]
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA).sort(["type", "chapter", "region"], nulls_last=True)


def _places(source) -> tuple[dict[int, str], dict[str, str]]:
    """Where articles and provisions sit, from the latest cycle's questionnaire (none without a cycle)."""
    from review.cycles import cycle_questionnaire, get_cycle
    from review.errors import NotFound

    try:
        q = cycle_questionnaire(source, get_cycle(source))
    except NotFound:
        return {}, {}
    return {a.number: a.chapter for a in q.articles}, {p.id: a.chapter for a in q.articles for p in a.provisions}


def by_type(summary_frame: pl.DataFrame, offers: pl.DataFrame) -> pl.DataFrame:
    """The summary per TA type alone: needs and deliveries summed; offered counts each published
    offer once per type it names (summing the summary's cells would count it once per chapter and
    region)."""
    schema = {"type": pl.String, **{m: pl.Int64 for m in MEASURES}}
    named = [kind for v in offers["types"].to_list() for kind in (v or "").split(SEP) if kind]
    offered = pl.DataFrame({"type": named}, schema={"type": pl.String}).group_by("type").agg(pl.len().cast(pl.Int64).alias("offered"))
    summed = summary_frame.group_by("type").agg(pl.col(m).sum().cast(pl.Int64) for m in MEASURES if m != "offered")
    return (summed.join(offered, on="type", how="full", coalesce=True).fill_null(0)
            .select(list(schema)).cast(schema).sort("type"))


def frames(source) -> dict[str, pl.DataFrame]:
    """Every open-data table: needs, offers and their summary (codes only)."""
    needs, offers = public_needs(source), public_offers(source)
    return {"needs": needs, "offers": offers, "summary": summary(source, needs, offers)}


def labelled(source, name: str, frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """`frame` (one of `frames`) with its readable columns after the codes, in `lang`: what the page
    shows and the downloads carry."""
    from review.matching.report import Labels

    try:
        labels = Labels(source, None, lang)
    except Exception:  # no cycle yet: codes stand for themselves
        labels = None

    def word(fn, value):
        return "" if value is None else (fn(value) if labels else str(value))

    any_chapter, any_region = t("tapub.any_chapter", lang), t("tapub.any_region", lang)
    if name == "needs":
        extra = {
            "party_name": [word(labels.party if labels else str, p) for p in frame["party"].to_list()],
            "region_name": [t(f"regions.{r or 'none'}", lang) for r in frame["region"].to_list()],
            "type_label": [word(labels.ta_type if labels else str, x) for x in frame["type"].to_list()],
            "priority_label": [word(labels.priority if labels else str, x) for x in frame["priority"].to_list()],
            "chapter_title": [word(labels.chapter if labels else str, c) if c else any_chapter for c in frame["chapter"].to_list()],
            "match_state_label": [t(f"tapub.states.{s}", lang) for s in frame["match_state"].to_list()],
        }
    elif name == "offers":
        extra = {"types_label": [SEP.join(word(labels.ta_type if labels else str, x) for x in (v or "").split(SEP) if x)
                                 for v in frame["types"].to_list()]}
    else:
        extra = {
            "type_label": [word(labels.ta_type if labels else str, x) for x in frame["type"].to_list()],
            "chapter_title": [word(labels.chapter if labels else str, c) if c else any_chapter for c in frame["chapter"].to_list()],
            "region_name": [t(f"regions.{r}", lang) if r else any_region for r in frame["region"].to_list()],
        }
    return frame.with_columns(*[pl.Series(k, v, dtype=pl.String) for k, v in extra.items()])


def snapshot_tables(store) -> dict[str, pl.DataFrame]:
    """The open-data tables by the name the snapshot gives them (written by `analysis.snapshot`)."""
    return {TABLES[k]: v for k, v in frames(store).items()}
