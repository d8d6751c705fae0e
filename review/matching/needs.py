"""The needs to match: TA needs the Parties entered in a cycle's questionnaire, plus open standalone
requests.

A questionnaire need counts once its Party has submitted (a draft is still the Party's own work):
submitted, returned for clarification, validated or published. Rows come from the analysis layer
(`gaps.needs_rows`), read with the secretariat's view; what each user then sees of them is decided
by the report. A need's key is stable across runs, so that a Party's decision on a match stays
attached to it: `q:<cycle>/<party>/<provision>/<type>/<row>` (the table row's stable identity,
`values.ROW_ID`, which editing, adding or removing other rows leaves alone) or `r:<request id>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

import polars as pl

from review.access import Actor, require, system
from review.analysis import gaps
from review.errors import NotFound
from review.matching.engine import Need
from review.matching.registry import party_languages
from review.store import Store

FILED = ("submitted", "returned", "validated", "published")
# the needs are read whole by the matching itself; what each user sees of them is the report's to decide
READER = system("TA matching")


@dataclass(frozen=True)
class NeedInfo:
    """What a person reads about a need beside the engine's fields: labels in the reader's language."""

    party_name: str
    region_name: str
    ref: str
    chapter_title: str
    type_label: str
    priority_label: str
    # assistance of the need's type its Party already receives for the same provision (the Party's
    # "TA received" answers: "provider (year)"; empty when none): the need may already be being met
    received: str = ""


def _filed_parties(store: Store, cycle_id: str) -> set[str]:
    with store.read() as cur:
        rows = cur.execute("SELECT party FROM submission WHERE cycle_id = ? AND list_contains(?, state)",
                           [cycle_id, list(FILED)]).fetchall()
    return {r[0] for r in rows}


def questionnaire_needs(store: Store, actor: Actor, cycle_id: str, lang: str = "en",
                        party: str | None = None, *,
                        parties: Collection[str] | None = None) -> tuple[list[Need], dict[str, NeedInfo]]:
    """The cycle's filed TA needs, with their labels: every Party's, so for the secretariat (or the
    matching's own system context); readers get their part through `match_report`. With `party`,
    that Party's alone, with `parties` those Parties' (the same needs and keys as among everyone's);
    the analysis view is then built for them only."""
    require(actor, "analysis.unpublished")
    from review.analysis.scope import open_view

    wanted = None if party is None and parties is None else {*(parties or ()), *((party,) if party else ())}
    filed = _filed_parties(store, cycle_id)
    wanted = filed if wanted is None else wanted & filed
    if not wanted:
        with store.read() as cur:  # an unknown cycle is refused, as the view would refuse it
            if not cur.execute("SELECT 1 FROM cycle WHERE id = ?", [cycle_id]).fetchone():
                raise NotFound("errors.cycle_not_found", cycle=cycle_id)
        return [], {}
    # one view for both reads, of the filed Parties asked for only (a draft's needs are not read at all)
    with open_view(store, READER, [cycle_id], lang=lang, parties=sorted(wanted), grid=False) as view:
        rows = gaps.mark_met(gaps.needs_rows(view, READER, cycle_id, "ta", lang=lang),
                             gaps.needs_rows(view, READER, cycle_id, "received", lang=lang))
    rows = rows.sort("party", "provision_id", "type", "priority", "description", nulls_last=True)
    languages = party_languages(store)
    needs, info = [], {}
    seen: dict[tuple[str, str, str], int] = {}
    columns = ("party", "provision_id", "type", "row_id", "region", "priority", "article", "chapter", "description",
               "party_name", "region_name", "ref", "chapter_title", "type_label", "priority_label", "received_from")
    # column by column: polars' named row iteration cost more than the rest of this loop
    for (party_, provision, type_, row_id, region, priority, article, chapter, description, party_name, region_name,
         ref, chapter_title, type_label, priority_label, received_from) in zip(*(rows[c].to_list() for c in columns)):
        slot = (party_, provision, type_)
        seen[slot] = seen.get(slot, 0) + 1
        # the row's own identity, so a decision stays with it whatever happens to its siblings; rows
        # stored before rows had one are counted in a fixed order
        key = f"q:{cycle_id}/{party_}/{provision}/{type_}/{row_id or seen[slot]}"
        needs.append(Need(key, party_, type_, priority or "", region if region != "none" else None, provision, article,
                          chapter, description or "", languages.get(party_, frozenset())))
        info[key] = NeedInfo(party_name, region_name, ref, chapter_title, type_label, priority_label or "",
                             "; ".join(received_from))
    return needs, info


def request_needs(store: Store, actor: Actor, labels=None) -> tuple[list[Need], dict[str, NeedInfo]]:
    """Open standalone requests as needs, with their labels when `labels` (the report's) is given;
    every Party's, so for the secretariat (or the matching's own system context)."""
    require(actor, "analysis.unpublished")
    with store.read() as cur:
        rows = cur.execute(
            "SELECT r.id, r.party, r.type, r.priority, p.regional_group, r.article, r.chapter, r.description, "
            "r.languages, r.modality, r.needed_by FROM ta_request r JOIN party p ON p.code = r.party "
            "WHERE r.open ORDER BY r.id"
        ).fetchall()
    preferred = party_languages(store)
    needs, info = [], {}
    for r in rows:
        key = f"r:{r[0]}"
        needs.append(Need(key, r[1], r[2], r[3], r[4], None, r[5], r[6], r[7], frozenset(r[8]) or preferred.get(r[1], frozenset()),
                          r[9], r[10], "request"))
        if labels is not None:
            info[key] = NeedInfo(labels.party(r[1]), labels.region(r[4]), labels.topic(r[5], r[6]), labels.chapter(r[6]),
                                 labels.ta_type(r[2]), labels.priority(r[3]))
    return needs, info
