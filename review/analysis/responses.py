"""Response tracking: who takes part, who has submitted, what is validated, published or late.

Submission states are public (as on the status tracker in `review.tracking`), so every viewer sees
the same figures; answers are not read here.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator

import polars as pl

from review.analysis.scope import Source, View, cycle_info, region_labels, sql_list
from review.i18n import normalize, t
from review.rules import late_sql, public_sql
from review.submissions import STATES
from review.tracking import SUBMITTED_OR_LATER

VALIDATED_OR_LATER = ("validated", "published")


@contextmanager
def _cursor(source: Source | View) -> Iterator:
    if isinstance(source, View):
        yield source.cur
    else:
        with source.read() as cur:
            yield cur


def response_tracking(source: Source | View, cycle_id: str | None = None, *, today: dt.date | None = None,
                      lang: str = "en") -> pl.DataFrame:
    """One row per participating Party: party, party_name, region, region_name, state, state_label,
    submitted, validated, published, public (published with consent), late, submitted_at, published_at."""
    lang = normalize(lang)
    today = today or dt.date.today()
    with _cursor(source) as cur:
        info = cycle_info(cur, cycle_id)
        cur.register("region_label_in", region_labels(lang))
        df = cur.sql(
            f"SELECT p.code AS party, coalesce(p.name_{lang}, p.name_en) AS party_name, "
            "  coalesce(p.regional_group, 'none') AS region, r.label AS region_name, s.state, "
            f"  s.state IN {sql_list(sorted(SUBMITTED_OR_LATER))} AS submitted, "
            f"  s.state IN {sql_list(VALIDATED_OR_LATER)} AS validated, s.state = 'published' AS published, "
            f"  {public_sql('s')} AS public, "
            f"  {late_sql('s.state')} AS late, "
            "  s.submitted_at, s.published_at "
            "FROM submission s JOIN party p ON p.code = s.party "
            "LEFT JOIN region_label_in r ON r.code = coalesce(p.regional_group, 'none') "
            "WHERE s.cycle_id = $cycle ORDER BY party_name",
            params={"today": today, "deadline": info.deadline, "cycle": info.id},
        ).pl()
        cur.unregister("region_label_in")
    labels = {s: t(f"states.{s}", lang) for s in STATES}
    return df.with_columns(pl.col("state").replace_strict(labels, default=pl.col("state"), return_dtype=pl.String)
                           .alias("state_label")).select(
        "party", "party_name", "region", "region_name", "state", "state_label", "submitted", "validated", "published",
        "public", "late", "submitted_at", "published_at")


def response_summary(source: Source | View, cycle_id: str | None = None, *, by: str | None = None,
                     today: dt.date | None = None, lang: str = "en") -> pl.DataFrame:
    """Counts: participating, submitted, validated, published, public, late (one row, or one per
    regional group with by='region': region, region_name first)."""
    rows = response_tracking(source, cycle_id, today=today, lang=lang)
    keys = ["region", "region_name"] if by == "region" else []
    counts = [pl.len().cast(pl.Int32).alias("participating")] + [
        pl.col(c).sum().cast(pl.Int32).alias(c) for c in ("submitted", "validated", "published", "public", "late")]
    if keys:
        return rows.group_by(keys).agg(counts).sort("region")
    return rows.select(counts)
