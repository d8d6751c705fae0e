"""What providers offer and what Parties ask for outside the questionnaire, checked before any write.

Offers come from the secretariat (for UNODC, organizations or any Party), from a Party's focal
point (for its own Party) or from a provider user (for its own organization), one at a time or a
whole workbook at once; standalone requests come
from a Party's users. Every field is checked against the code lists and the reference data, and a
refusal names each field wrong, in the user's language; nothing is written until all is right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from review import audit, limits
from review.access import Actor, require
from review.errors import NotFound, Problem, ValidationFailed
from review.i18n import LANGUAGES
from review.matching.engine import MODALITIES, PROVIDER_KINDS, ROLES, Offer
from review.parties import REGIONAL_GROUPS
from review.store import Store

MAX_CAPACITY = 1000
MAX_TEXT = limits.OFFER_TEXT_CHARS
MAX_NAME = limits.OFFER_NAME_CHARS


@dataclass(frozen=True)
class OfferInput:
    """An offer as entered (form or workbook row), before checks."""

    provider: str
    provider_kind: str
    role: str
    types: list[str]
    capacity: int
    provider_party: str | None = None
    provisions: list[str] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    starts: dt.date | None = None
    ends: dt.date | None = None
    description: str = ""


@dataclass(frozen=True)
class RequestInput:
    """A standalone TA request as a Party files it."""

    party: str
    type: str
    priority: str
    description: str
    article: int | None = None
    chapter: str | None = None
    languages: list[str] = field(default_factory=list)
    modality: str | None = None
    needed_by: dt.date | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The codes an offer or request may use: from the questionnaire of the cycle in force."""

    ta_types: tuple[str, ...]
    priorities: tuple[str, ...]
    chapters: tuple[str, ...]
    articles: dict[int, str]
    provisions: dict[str, tuple[int, str]]
    parties: frozenset[str]


def vocabulary(store: Store, cycle_id: str | None = None) -> Vocabulary:
    """Code lists and topics of the cycle's questionnaire (the latest cycle by default)."""
    from review.cycles import cycle_questionnaire, get_cycle

    q = cycle_questionnaire(store, get_cycle(store, cycle_id))
    with store.read() as cur:
        parties = frozenset(r[0] for r in cur.execute("SELECT code FROM party").fetchall())
    return Vocabulary(
        tuple(q.code_lists["ta_type"].codes), tuple(q.code_lists["priority"].codes), tuple(c.number for c in q.chapters),
        {a.number: a.chapter for a in q.articles},
        {p.id: (a.number, a.chapter) for a in q.articles for p in a.provisions}, parties,
    )


def _codes(problems: list[Problem], where: str, values: Iterable, allowed: Iterable) -> None:
    allowed = list(allowed)
    for value in values:
        if value not in allowed:
            problems.append(Problem(where, "values.not_in_code_list", {"value": value, "allowed": ", ".join(map(str, allowed))}))


def check_offer(v: Vocabulary, data: OfferInput, prefix: str = "") -> list[Problem]:
    """Every problem with one offer; empty when it may be registered."""
    problems: list[Problem] = []
    at = (lambda name: f"{prefix}{name}")
    if not data.provider.strip():
        problems.append(Problem(at("provider"), "values.required"))
    elif len(data.provider) > MAX_NAME:
        problems.append(Problem(at("provider"), "values.too_long", {"length": len(data.provider), "limit": MAX_NAME}))
    _codes(problems, at("provider_kind"), [data.provider_kind], PROVIDER_KINDS)
    _codes(problems, at("role"), [data.role], ROLES)
    if not data.types:
        problems.append(Problem(at("types"), "values.required"))
    _codes(problems, at("types"), data.types, v.ta_types)
    if data.provider_kind == "party":
        if not data.provider_party:
            problems.append(Problem(at("provider_party"), "matching.party_needed"))
        else:
            _codes(problems, at("provider_party"), [data.provider_party], sorted(v.parties))
    if not isinstance(data.capacity, int) or not 1 <= data.capacity <= MAX_CAPACITY:
        problems.append(Problem(at("capacity"), "matching.bad_capacity", {"value": data.capacity, "max": MAX_CAPACITY}))
    _codes(problems, at("provisions"), data.provisions, sorted(v.provisions))
    _codes(problems, at("articles"), data.articles, sorted(v.articles))
    _codes(problems, at("chapters"), data.chapters, v.chapters)
    _codes(problems, at("languages"), data.languages, LANGUAGES)
    _codes(problems, at("regions"), data.regions, REGIONAL_GROUPS)
    _codes(problems, at("countries"), data.countries, sorted(v.parties))
    _codes(problems, at("modalities"), data.modalities, MODALITIES)
    if data.starts and data.ends and data.ends < data.starts:
        problems.append(Problem(at("ends"), "matching.ends_before_start"))
    if len(data.description) > MAX_TEXT:
        problems.append(Problem(at("description"), "values.too_long", {"length": len(data.description), "limit": MAX_TEXT}))
    return problems


def _next_id(cur, table: str, prefix: str) -> str:
    return _next_ids(cur, table, prefix, 1)[0]


def _next_ids(cur, table: str, prefix: str, count: int) -> list[str]:
    """The ids `count` rows inserted one after the other would get: each the first free
    `<prefix>-NNNN` after the number of rows then in the table."""
    rows = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    taken = {r[0] for r in cur.execute(f"SELECT id FROM {table} WHERE starts_with(id, ?)", [f"{prefix}-"]).fetchall()}
    out: list[str] = []
    for k in range(count):
        number = rows + k
        while True:
            number += 1
            candidate = f"{prefix}-{number:04d}"
            if candidate not in taken:
                break
        taken.add(candidate)
        out.append(candidate)
    return out


def _offer_row(offer_id: str, data: OfferInput) -> list:
    return [offer_id, data.provider.strip(), data.provider_kind, data.provider_party if data.provider_kind == "party" else None,
            data.role, sorted(set(data.types)), sorted(set(data.provisions)), sorted(set(data.articles)),
            sorted(set(data.chapters)), sorted(set(data.languages)), sorted(set(data.regions)), sorted(set(data.countries)),
            data.capacity, sorted(set(data.modalities)), data.starts, data.ends, data.description.strip()]


def _insert_offers(cur, actor: Actor, offers: list[OfferInput]) -> list[str]:
    """Insert checked offers with their audit entries, in one statement each for all of them."""
    if not offers:
        return []
    ids = _next_ids(cur, "ta_offer", "OFR", len(offers))
    rows = [_offer_row(offer_id, data) for offer_id, data in zip(ids, offers)]
    cur.execute("INSERT INTO ta_offer VALUES "
                + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, current_timestamp, ?)"] * len(rows)),
                [value for row in rows for value in (*row, actor.id)])
    audit.record_all(cur, actor, [("offer.register", "ta_offer", row[0], None, offer_dict(row)) for row in rows])
    return ids


def offer_dict(row: list) -> dict[str, Any]:
    keys = ("id", "provider", "provider_kind", "provider_party", "role", "types", "provisions", "articles", "chapters",
            "languages", "regions", "countries", "capacity", "modalities", "starts", "ends", "description")
    return dict(zip(keys, row))


def offer_owner(provider: str, kind: str, party: str | None) -> tuple[str | None, str | None]:
    """Whose offer this is, as `access.require` reads it: (the providing Party, the organization)."""
    return (party, None) if kind == "party" else (None, provider.strip())


def register_offers(store: Store, actor: Actor, offers: list[OfferInput], *, cycle_id: str | None = None,
                    locations: list[str] | None = None) -> list[str]:
    """Check every offer, then register all of them in one transaction (or none); their new ids.
    `locations` names where each came from (a workbook row, say) for the problems. A Party's focal
    point registers offers of its own Party only, a provider user those of its own organization,
    the secretariat any (as its import of an offers workbook does)."""
    require(actor, "offer.register", actor.party, actor.provider)
    for data in offers:
        require(actor, "offer.register", *offer_owner(data.provider, data.provider_kind, data.provider_party))
    v = vocabulary(store, cycle_id)
    problems = []
    for k, data in enumerate(offers):
        problems += check_offer(v, data, f"{locations[k]} " if locations else "")
    if problems:
        raise ValidationFailed(problems)
    with store.transaction() as cur:
        return _insert_offers(cur, actor, offers)


def register_offer(store: Store, actor: Actor, data: OfferInput, cycle_id: str | None = None) -> str:
    """One offer from the form; its id."""
    return register_offers(store, actor, [data], cycle_id=cycle_id)[0]


def withdraw_offer(store: Store, actor: Actor, offer_id: str) -> None:
    """An offer no longer available: kept for the record, matched no more."""
    offer = get_offer(store, offer_id)
    require(actor, "offer.register", *offer_owner(offer.provider, offer.provider_kind, offer.provider_party))
    with store.transaction() as cur:
        cur.execute("UPDATE ta_offer SET active = false WHERE id = ?", [offer_id])
        audit.record(cur, actor, "offer.withdraw", "ta_offer", offer_id, before={"active": True}, after={"active": False})


_OFFER_COLUMNS = ("o.id, o.provider, o.types, o.capacity, o.provider_kind, o.provider_party, p.regional_group, o.role, "
                  "o.provisions, o.articles, o.chapters, o.languages, o.regions, o.countries, o.modalities, o.starts, o.ends, "
                  "o.description")


def _offer(row) -> Offer:
    return Offer(row[0], row[1], frozenset(row[2]), row[3], row[4], row[5], row[6], row[7], frozenset(row[8]),
                 frozenset(row[9]), frozenset(row[10]), frozenset(row[11]), frozenset(row[12]), frozenset(row[13]),
                 frozenset(row[14]), row[15], row[16], row[17])


def active_offers(store: Store) -> list[Offer]:
    """Every offer still available, by id (offers are public: anyone may know what is on offer)."""
    with store.read() as cur:
        rows = cur.execute(f"SELECT {_OFFER_COLUMNS} FROM ta_offer o LEFT JOIN party p ON p.code = o.provider_party "
                           "WHERE o.active ORDER BY o.id").fetchall()
    return [_offer(r) for r in rows]


def organizations(store: Store) -> dict[str, str]:
    """Every organization (not a Party) that has registered an offer, withdrawn ones too: name -> kind."""
    with store.read() as cur:
        rows = cur.execute("SELECT provider, min(provider_kind) FROM ta_offer WHERE provider_kind <> 'party' "
                           "GROUP BY provider ORDER BY provider").fetchall()
    return dict(rows)


def get_offer(store: Store, offer_id: str) -> Offer:
    found = offers_found(store, [offer_id])
    if offer_id not in found:
        raise NotFound("matching.offer_not_found", offer=offer_id)
    return found[offer_id]


def offers_found(store: Store, offer_ids: Iterable[str]) -> dict[str, Offer]:
    """The offers of these ids that exist, withdrawn ones too (an unknown id is left out), in one query."""
    with store.read() as cur:
        rows = cur.execute(f"SELECT {_OFFER_COLUMNS} FROM ta_offer o LEFT JOIN party p ON p.code = o.provider_party "
                           "WHERE list_contains(?::VARCHAR[], o.id)", [list(offer_ids)]).fetchall()
    return {row[0]: _offer(row) for row in rows}


def check_request(v: Vocabulary, data: RequestInput) -> list[Problem]:
    problems: list[Problem] = []
    _codes(problems, "party", [data.party], sorted(v.parties))
    _codes(problems, "type", [data.type], v.ta_types)
    _codes(problems, "priority", [data.priority], v.priorities)
    if data.article is not None:
        _codes(problems, "article", [data.article], sorted(v.articles))
        if data.chapter and v.articles.get(data.article, data.chapter) != data.chapter:
            problems.append(Problem("chapter", "matching.article_not_in_chapter", {"article": data.article, "chapter": data.chapter}))
    if data.chapter:
        _codes(problems, "chapter", [data.chapter], v.chapters)
    _codes(problems, "languages", data.languages, LANGUAGES)
    if data.modality:
        _codes(problems, "modality", [data.modality], MODALITIES)
    if not data.description.strip():
        problems.append(Problem("description", "values.required"))
    elif len(data.description) > MAX_TEXT:
        problems.append(Problem("description", "values.too_long", {"length": len(data.description), "limit": MAX_TEXT}))
    return problems


def file_request(store: Store, actor: Actor, data: RequestInput, cycle_id: str | None = None) -> str:
    """A standalone request for TA from a Party; its id."""
    require(actor, "request.file", data.party)
    v = vocabulary(store, cycle_id)
    problems = check_request(v, data)
    if problems:
        raise ValidationFailed(problems)
    chapter = v.articles.get(data.article) if data.article is not None else data.chapter
    with store.transaction() as cur:
        request_id = _next_id(cur, "ta_request", "REQ")
        row = [request_id, data.party, data.type, data.priority, data.article, chapter, data.description.strip(),
               sorted(set(data.languages)), data.modality, data.needed_by]
        cur.execute("INSERT INTO ta_request VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, current_timestamp, ?)", [*row, actor.id])
        audit.record(cur, actor, "request.file", "ta_request", request_id, after=dict(zip(
            ("id", "party", "type", "priority", "article", "chapter", "description", "languages", "modality", "needed_by"), row)))
    return request_id


def set_languages(store: Store, actor: Actor, party: str, languages: list[str]) -> None:
    """The languages in which a Party can receive TA, used for its questionnaire needs."""
    set_languages_many(store, actor, {party: languages})


def set_languages_many(store: Store, actor: Actor, choices: Mapping[str, list[str]]) -> None:
    """`set_languages` for several Parties (Party -> languages) in one transaction and a few
    statements, each checked and audited as alone; any refusal refuses all."""
    problems: list[Problem] = []
    for party, languages in choices.items():
        require(actor, "request.file", party)
        _codes(problems, "languages", languages, LANGUAGES)
    if problems:
        raise ValidationFailed(problems)
    if not choices:
        return
    parties = list(choices)
    chosen = [sorted(set(choices[party])) for party in parties]
    with store.transaction() as cur:
        before = dict(cur.execute("SELECT party, languages FROM ta_preference WHERE list_contains(?::VARCHAR[], party)",
                                  [parties]).fetchall())
        cur.execute("DELETE FROM ta_preference WHERE list_contains(?::VARCHAR[], party)", [parties])
        cur.execute("INSERT INTO ta_preference SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[][]), current_timestamp, ?",
                    [parties, chosen, actor.id])
        audit.record_all(cur, actor, [
            ("preference.languages", "ta_preference", party, None if party not in before else {"languages": before[party]},
             {"languages": languages}) for party, languages in zip(parties, chosen)])


def party_languages(store: Store) -> dict[str, frozenset[str]]:
    with store.read() as cur:
        return {r[0]: frozenset(r[1]) for r in cur.execute("SELECT party, languages FROM ta_preference").fetchall()}
