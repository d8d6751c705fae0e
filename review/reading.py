"""Answers laid out for reading: chapter by chapter, article by article, with labels, not codes.

The secretariat reviews a submission this way and the public reads a published one; both show
the provision's text and obligation beside what the Party answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from review.i18n import label, t
from review.questionnaire import Question, Questionnaire
from review.questionnaire.types import ROWS, of
from review.store import Store
from review.submissions import Answers, list_submissions


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    question: str
    text: str
    rows: list[dict[str, str]] | None = None
    # a private question on a public reading: its answer is never shown, `text` says why
    withheld: bool = False


@dataclass(frozen=True)
class ProvisionAnswers:
    id: str
    ref: str
    text: str
    obligation: str
    lines: list[AnswerLine]

    @property
    def answered(self) -> bool:
        return any((line.text or line.rows) and not line.withheld for line in self.lines)


@dataclass(frozen=True)
class ArticleAnswers:
    number: int
    title: str
    provisions: list[ProvisionAnswers]


@dataclass(frozen=True)
class ChapterAnswers:
    number: str
    title: str
    articles: list[ArticleAnswers]


def value_text(q: Questionnaire, question: Question, value: Any, lang: str) -> str:
    """A scalar answer as a reader sees it: a code list's label, Yes/No, the text itself."""
    if value is None or value == "" or value == []:
        return ""
    return of(question).text(q, question, value, lang, _WORDS)


_WORDS = ("reading.yes", "reading.no")


def _line(q: Questionnaire, question: Question, value: Any, lang: str) -> AnswerLine:
    name = label(question.label, lang)
    if of(question).stored != ROWS:
        return AnswerLine(question.id, name, value_text(q, question, value, lang))
    rows = [
        {label(c.label, lang): value_text(q, c, row.get(c.id), lang) for c in question.columns}
        for row in (value or []) if isinstance(row, dict)
    ]
    return AnswerLine(question.id, name, "", rows or None)


def answer_sheet(q: Questionnaire, chapters: Iterable[str], answers: Answers, lang: str = "en", *,
                 public: bool = False) -> list[ChapterAnswers]:
    """Every assessed provision of these chapters with its answers, in questionnaire order. A
    `public` reading shows, for a private question, that its answer is for the secretariat and the
    States Parties only, and never the answer, even if `answers` held it."""
    wanted = list(chapters)
    obligation = q.code_lists.get("obligation")
    sheet = []
    for chapter in q.chapters:
        if chapter.number not in wanted:
            continue
        articles = []
        for article in q.articles:
            if article.chapter != chapter.number:
                continue
            provisions = [
                ProvisionAnswers(
                    p.id, label(p.ref, lang), label(p.text, lang),
                    obligation.label(p.obligation, lang) if obligation else p.obligation,
                    [AnswerLine(question.id, label(question.label, lang), t("scoring.private.withheld", lang), withheld=True)
                     if public and question.private else _line(q, question, answers.get((p.id, question.id)), lang)
                     for question in p.questions],
                )
                for p in article.provisions if p.assessed
            ]
            if provisions:
                articles.append(ArticleAnswers(article.number, label(article.title, lang), provisions))
        sheet.append(ChapterAnswers(chapter.number, label(chapter.title, lang), articles))
    return sheet


def public_parties(store: Store, cycle_id: str) -> list[str]:
    """Parties of a cycle whose answers are published with their consent: anyone may read them."""
    return [s.party for s in list_submissions(store, cycle_id) if s.public]
