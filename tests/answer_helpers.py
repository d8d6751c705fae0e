"""Answers as their content: table rows without the stable row identity the library gives each."""

from __future__ import annotations

from review.questionnaire.values import without_row_ids


def contents(answers):
    """A set of answers, or one answer, with every table row's id dropped."""
    if isinstance(answers, dict):
        return {key: without_row_ids(value) for key, value in answers.items()}
    return without_row_ids(answers)
