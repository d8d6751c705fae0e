"""The status's completeness, counted by one query, equals the library's rule (`completeness`) for
every Party of the demo, after saves, a return and an import alike."""

from __future__ import annotations

from review import submissions
from review.cycles import cycle_questionnaire, get_cycle
from tests.actors import SETUP


def python_rule(store, cycle_id):
    cycle = get_cycle(store, cycle_id)
    q = cycle_questionnaire(store, cycle)
    return {s.party: submissions.completeness(q, cycle.chapters, submissions.current_answers(store, SETUP, cycle_id, s.party))
            for s in submissions.list_submissions(store, cycle_id)}


def test_the_query_counts_as_the_rule_does(demo_store):
    for cycle_id in ("review-2026", "pilot-2025"):
        expected = python_rule(demo_store, cycle_id)
        _, rows = submissions.all_statuses(demo_store, cycle_id)
        assert len(rows) == len(expected) > 10
        for row in rows:
            want = expected[row.party]
            assert (row.completeness.answered, row.completeness.required, row.completeness.chapters) == \
                (want.answered, want.required, want.chapters), row.party


def test_after_a_save_that_makes_more_questions_required(demo_store):
    sub = submissions.get_submission(demo_store, "review-2026", "KEN")
    focal = __import__("review.users", fromlist=["x"]).find_by_email(demo_store, "ken.focal@demo.example.org").actor
    submissions.save_answers(demo_store, focal, "review-2026", "KEN", sub.seq,
                             {("7.1", "status"): "partly_implemented", ("7.1", "examples"): "  "})
    expected = python_rule(demo_store, "review-2026")["KEN"]
    _, rows = submissions.all_statuses(demo_store, "review-2026")
    got = next(r.completeness for r in rows if r.party == "KEN")
    assert (got.answered, got.required, got.chapters) == (expected.answered, expected.required, expected.chapters)
