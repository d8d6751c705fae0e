"""Gap analysis: scores, rates, gaps, needs, tracking, change, legislation and traceability.

Every function takes a *source* (a working `review.store.Store`, or a published
`review.analysis.snapshot.Snapshot`, which holds public data only), the acting `Actor`, and
keyword `published_only` and `lang`; it returns a polars DataFrame with labels in `lang` beside
the codes. The heavy lifting is DuckDB SQL over the viewer's tables (see `scope`). What a viewer
sees (`scope.viewer_scope`): the secretariat every working answer ('all'; the public view with
`published_only=True`), a Party's users their own working answers plus the public ones
('party'), everyone else, and everyone on a snapshot, the published revisions of Parties that
consented to publication ('public'). Scores are 0..1, or null when nothing was scored.

Each call builds the viewer's tables once (`scope.open_view`, tens of milliseconds); a page
running several aggregates on one cycle can open the view itself and pass it as the source:
`with open_view(store, actor, [cycle_id], lang=lang) as view: party_scores(view, actor)`.
Never keep a view beyond one request, nor share it between users.

Stable API (columns are listed in each docstring):
- `scope.answers_frame(source, actor, cycle_id=None, published_only=False, lang="en")`
- `scope.viewer_scope(source, actor, published_only=False)` -> 'all' | 'party' | 'public'
- `scoring.party_scores(source, actor, cycle_id=None)`: one row per Party
- `scoring.consolidated(source, actor, cycle_id=None, level="article"|"provision"|"chapter")`:
  Parties x units, long form; `scoring.consolidated_wide(table, level, value="score")` pivots it
- `scoring.chapter_comparison(source, actor, party, cycle_id=None)`: per chapter, a Party beside its
  regional group and all responding Parties (country profile)
- `scoring.implementation(source, actor, cycle_id=None, level="article"|"chapter"|"provision"|"cycle",
  by=None|"region"|"category")`: implementation rate and score across responding Parties
- `gaps.gap_profile(source, actor, party, cycle_id=None, include_unknown=False)`
- `gaps.needs_counts(source, actor, cycle_id=None, kind="ta"|"challenge")`: type x chapter x region;
  `gaps.needs_rows(source, actor, cycle_id=None, kind=, party=None)`: each need or challenge (kind
  "received": the TA already received); `gaps.needed_received(source, actor, cycle_id=None)`: TA
  needed beside TA received, and needs already being met, by type x chapter x region
- `gaps.evidence_quality(...)` per Party and `gaps.evidence_issues(...)` per Party x provision
- `responses.response_tracking(source, cycle_id=None, today=None)` and
  `responses.response_summary(source, cycle_id=None, by=None|"region")` (public, no actor)
- `change.cycle_change(source, actor, before, after)` and `change.change_summary(changes, by)`
- `legislation.legislation_library(source, actor, cycle_id=None, article=, party=, region=, year=, words=,
  all_cycles=False)`
- `trace.trace(source, actor, cycle_id=None, party=, provision_id=, article=, chapter=, region=,
  category=, mandatory_only=)`: the Party x provision rows behind any figure
- `snapshot.write_snapshot(store, actor, directory)` and `snapshot.open_snapshot(directory)`
- `review.export.to_bytes(df, fmt)` / `write_table(df, path)`: CSV, JSON, Excel, Parquet, formulas escaped
- `gap_tables.gap_table(source, actor, by="party"|"article"|"chapter"|"region", ...)`: the export rows
  of `review gap` (fields as in docs/analysis.md)
"""
