"""The published snapshot: public data as Parquet files plus a manifest, served without the database.

One instance owns the working DuckDB file; any number of public replicas can serve the dashboards
from a snapshot, each in an in-memory DuckDB over the files. The snapshot has the tables of the
working schema the analysis reads, filtered to what the public may see (published revisions of
Parties that consented), so every analysis function runs unchanged on either source.

The snapshot holds no working answers, yet the public overview shows how complete the
participating Parties' answers are per chapter: `progress` carries those chapter averages as they
stood when the snapshot was written, and no single Party's completeness.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from review.access import Actor, require
from review.checksum import file_sha256
from review.errors import ReviewError
from review.rules import is_late, public_sql

MANIFEST = "manifest.json"
# 3: the published TA needs and offers (open_ta_need, open_ta_offer, open_ta_summary);
# 4: the calendar of peer reviews (peer_review, peer_review_reviewer, peer_review_stage)
# 5: peer review reports (published_review, review_report*, review_summary, recommendation_followup)
FORMAT = 5
PUBLIC_SUBMISSION = public_sql("s")
TABLES = {
    "party": "SELECT * FROM party ORDER BY code",
    "questionnaire": "SELECT * FROM questionnaire ORDER BY id, version",
    "cycle": "SELECT * REPLACE (NULL::VARCHAR AS created_by) FROM cycle ORDER BY id",
    "submission": "SELECT s.* REPLACE (NULL::VARCHAR AS updated_by, "
                  f"CASE WHEN {PUBLIC_SUBMISSION} THEN s.published_revision END AS published_revision) "
                  "FROM submission s ORDER BY s.id",
    "revision_answer": "SELECT r.* FROM revision_answer r JOIN submission s ON s.id = r.submission_id "
                       f"AND r.revision = s.published_revision WHERE {PUBLIC_SUBMISSION} "
                       "ORDER BY r.submission_id, r.provision_id, r.question_id",
    "answer": "SELECT * FROM answer WHERE FALSE",
    "setting": "SELECT * FROM setting WHERE key = 'demo'",
    # the public calendar of peer reviews: who reviews whom and each stage's dates, never who acted
    "peer_review": "SELECT id, cycle_id, party, draw_id, redraws, stage, created_at FROM peer_review ORDER BY id",
    "peer_review_reviewer": "SELECT * FROM peer_review_reviewer ORDER BY ALL",
    "peer_review_stage": "SELECT review_id, stage, planned, done_at, NULL::VARCHAR AS done_by FROM peer_review_stage "
                         "ORDER BY review_id, stage",
    # peer review reports (review.peer.report, review.peer.followup): only what is published. A
    # review's executive summaries and recommendations once it is published; its full report (texts,
    # observations) only if the reviewed Party agreed; a follow-up status once the Party's submission
    # of the follow-up cycle is public. Nobody's account id travels.
    "published_review": "SELECT id, cycle_id, party, coalesce(full_report_public, FALSE) AS full_report_public "
                        "FROM peer_review WHERE stage = 'published' ORDER BY id",
    "review_report": "SELECT r.* REPLACE (NULL::VARCHAR AS drafted_by, NULL::VARCHAR AS updated_by) FROM review_report r "
                     "JOIN peer_review p ON p.id = r.review_id AND p.stage = 'published' AND p.full_report_public "
                     "ORDER BY r.review_id",
    "review_report_text": "SELECT x.* REPLACE (NULL::VARCHAR AS updated_by) FROM review_report_text x "
                          "JOIN peer_review p ON p.id = x.review_id AND p.stage = 'published' AND p.full_report_public "
                          "ORDER BY x.review_id, x.part, x.section",
    "review_report_item": "SELECT i.* REPLACE (NULL::VARCHAR AS created_by, NULL::VARCHAR AS updated_by) "
                          "FROM review_report_item i JOIN peer_review p ON p.id = i.review_id AND p.stage = 'published' "
                          "WHERE NOT i.removed AND (i.kind = 'recommendation' OR p.full_report_public) ORDER BY i.id",
    "review_summary": "SELECT m.* REPLACE (NULL::VARCHAR AS updated_by) FROM review_summary m "
                      "JOIN peer_review p ON p.id = m.review_id AND p.stage = 'published' ORDER BY m.review_id, m.lang",
    "recommendation_followup": "SELECT f.* REPLACE (NULL::VARCHAR AS updated_by) FROM recommendation_followup f "
                               "JOIN review_report_item i ON i.id = f.item_id AND NOT i.removed "
                               "JOIN peer_review p ON p.id = i.review_id AND p.stage = 'published' "
                               "JOIN submission s ON s.cycle_id = f.cycle_id AND s.party = f.party "
                               f"WHERE {PUBLIC_SUBMISSION} ORDER BY f.item_id, f.cycle_id",
}


# every file a snapshot has, and the table it loads into: a manifest naming anything else is refused
# before any SQL runs (a tampered manifest once pasted a table name into a statement)
OPEN_DATA = ("open_ta_need", "open_ta_offer", "open_ta_summary")
FILES = {**{f"{table}.parquet": table for table in TABLES}, "progress.parquet": "progress",
         **{f"{table}.parquet": table for table in OPEN_DATA}}
MAX_MANIFEST_BYTES = 1024 * 1024



def write_snapshot(store, actor: Actor, directory: str | Path) -> dict:
    """Write the public data of every cycle to `directory`; returns the manifest (also written as
    manifest.json: what, when, cycles, and rows and SHA-256 per file)."""
    require(actor, "analysis.snapshot")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    with store.read() as cur:
        for table, query in TABLES.items():
            path = folder / f"{table}.parquet"
            cur.execute(f"COPY ({query}) TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
            rows = cur.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]
            files[path.name] = {"table": table, "rows": rows, "sha256": file_sha256(path)}
        cycle_ids = [r[0] for r in cur.execute("SELECT id FROM cycle ORDER BY id").fetchall()]
        cycles = [{"id": r[0], "title": r[1], "published": r[2]} for r in cur.execute(
            f"SELECT c.id, c.title, count(s.id) FILTER (WHERE {PUBLIC_SUBMISSION})::INTEGER FROM cycle c "
            "LEFT JOIN submission s ON s.cycle_id = c.id GROUP BY c.id, c.title, c.deadline ORDER BY c.deadline").fetchall()]
    progress = _progress(store, cycle_ids)
    path = folder / "progress.parquet"
    progress.write_parquet(path)
    files[path.name] = {"table": "progress", "rows": progress.height, "sha256": file_sha256(path)}
    from review.matching.open_data import snapshot_tables

    # the TA needs and offers their owners published, and their summary (review.matching.open_data)
    for table, frame in snapshot_tables(store).items():
        path = folder / f"{table}.parquet"
        frame.write_parquet(path)
        files[path.name] = {"table": table, "rows": frame.height, "sha256": file_sha256(path)}
    manifest = {
        "format": FORMAT,
        "what": "Published answers of Parties that consented to publication, with cycles, questionnaires, "
                "Parties and submission states (public status tracker), and the TA needs and offers their "
                "owners published with their summary (docs/open-data.md), the calendar of peer reviews, published "
                "executive summaries and recommendations of country reviews, full reports the reviewed Party agreed "
                "to publish, and the public follow-up of recommendations.",
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cycles": cycles,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _progress(store, cycle_ids: list[str]) -> pl.DataFrame:
    """The mean completeness per cycle and chapter, as the public overview shows it."""
    from review.tracking import cycle_overview

    rows = [(cycle_id, c.chapter, c.completeness) for cycle_id in cycle_ids for c in cycle_overview(store, cycle_id).chapters]
    return pl.DataFrame(rows, schema={"cycle_id": pl.String, "chapter": pl.String, "completeness": pl.Float64}, orient="row")


def _manifest(path: Path) -> dict:
    """The manifest, read within a bound; anything but a JSON object is a corrupt snapshot."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_MANIFEST_BYTES + 1)
    try:
        found = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_MANIFEST_BYTES else None
    except (UnicodeDecodeError, ValueError):
        found = None
    if not isinstance(found, dict):
        raise ReviewError("analysis.snapshot_corrupt", file=str(path))
    return found


class Snapshot:
    """A read-only source over a snapshot folder: `read()` gives a cursor like `Store.read()`."""

    published_only = True

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory)
        self.cache: dict = {}  # as Store.cache; a snapshot never changes
        manifest_path = self.path / MANIFEST
        if not manifest_path.is_file():
            raise ReviewError("analysis.snapshot_missing", path=str(self.path))
        self.manifest = _manifest(manifest_path)
        if self.manifest.get("format") != FORMAT:
            raise ReviewError("analysis.snapshot_format", path=str(self.path), found=self.manifest.get("format"), expected=FORMAT)
        files = self.manifest.get("files")
        if not isinstance(files, dict) or set(files) != set(FILES) or any(
                not isinstance(entry, dict) or entry.get("table") != FILES[name] or not isinstance(entry.get("sha256"), str)
                for name, entry in files.items()):
            raise ReviewError("analysis.snapshot_corrupt", file=str(manifest_path))
        self._con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                                        "autoload_known_extensions": False})
        for name, table in FILES.items():
            path = self.path / name
            if not path.is_file() or file_sha256(path) != files[name]["sha256"]:
                raise ReviewError("analysis.snapshot_corrupt", file=str(path))
            self._con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(path)])
        # everything is loaded: from here on nothing reads or writes a file
        self._con.execute("SET enable_external_access = false")

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def cycle_status(self, cycle_id: str | None = None, today: dt.date | None = None):
        """Like `submissions.cycle_status`, without any Party's completeness (None): only the chapter
        averages are published (`chapter_progress`)."""
        from review.cycles import get_cycle
        from review.submissions import PartyStatus, list_submissions

        cycle = get_cycle(self, cycle_id)
        return cycle, [PartyStatus(s.party, s.state, None, is_late(s.state, cycle.deadline, today), s.updated_at,
                                   s.submitted_at) for s in list_submissions(self, cycle.id)]

    def chapter_progress(self, cycle_id: str) -> dict[str, float]:
        """The mean completeness of the participating Parties per chapter, when the snapshot was written."""
        with self.read() as cur:
            return dict(cur.execute("SELECT chapter, completeness FROM progress WHERE cycle_id = ?", [cycle_id]).fetchall())

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Snapshot":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_snapshot(directory: str | Path) -> Snapshot:
    """Open a snapshot written by `write_snapshot`, checking every file against the manifest."""
    return Snapshot(directory)
