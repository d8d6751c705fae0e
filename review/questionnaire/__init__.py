"""Questionnaire definitions as data: loading, checking, and validating answers against them."""

from review.questionnaire.loader import DefinitionError, catalogue, from_mapping, load_file
from review.questionnaire.model import Article, Chapter, CodeList, Provision, Question, Questionnaire

__all__ = [
    "Article",
    "Chapter",
    "CodeList",
    "DefinitionError",
    "Provision",
    "Question",
    "Questionnaire",
    "catalogue",
    "from_mapping",
    "load_file",
]
