"""Peer review of implementation: each Party under review in a cycle is reviewed by two peer
States drawn by lot, through dated stages, ending in a country review report whose executive
summary is published, with recommendations followed up in the next cycle.

Modules: `lots` (the drawing of lots and its rules), `reviews` (reviewers, stages, desk review,
calendar), `report` (country review report, executive summary, recommendations and follow-up).
Tables: migration m0072 (review_draw, peer_review, peer_review_reviewer, peer_review_stage).
"""

# The stages of a review, in order. A review is created at DRAWN by the drawing of lots.
DRAWN = "drawn"
STAGES = (
    DRAWN,
    "submitted",        # the reviewed Party's self-assessment is submitted
    "desk_review",      # reviewers comment per provision and ask questions; the Party answers
    "dialogue",         # constructive dialogue: a country visit or a joint meeting
    "draft_report",     # the draft country review report
    "agreed",           # agreed by the reviewed Party
    "summary",          # executive summary ready
    "published",        # the summary always, the full report if the Party agrees
)


def review_id(cycle_id: str, party: str) -> str:
    """The one id of the review of `party` in `cycle_id`."""
    return f"{cycle_id}/{party}"


def one_of(column: str, values) -> tuple[str, list]:
    """A condition that `column` is one of `values` (text) and its parameters, for the reads of a step
    taken for one review or for many: `column IN (?, ...)` for a few, which the database filters on as
    it scans (a list parameter checked with `list_contains` is evaluated row by row over the whole
    table), and a join with the list as one parameter for more (a statement of many placeholders
    costs more to prepare than it saves)."""
    values = list(values)
    if not values:
        return "FALSE", []
    if len(values) <= 8:
        return f"{column} IN ({', '.join(['?'] * len(values))})", values
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))", [values]
