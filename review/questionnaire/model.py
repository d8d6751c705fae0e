"""The questionnaire as the engine sees it: chapters, articles, provisions, questions, code lists.

Nothing here knows which convention it serves; a definition file supplies all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator, Mapping

from review.i18n import label
from review.rules import private_questions

Text = Mapping[str, str]
SCALAR_TYPES = ("choice", "multi_choice", "text", "long_text", "integer", "year", "date", "url", "boolean")
OBLIGATIONS = ("mandatory", "consider", "optional", "institutional")


@dataclass(frozen=True)
class CodeItem:
    code: str
    label: Text
    score: float | None = None
    weight: float | None = None
    # the obligation levels of the provisions this code is offered on (empty: every provision), e.g.
    # "option not used" only on optional provisions: a status is only offered where it applies
    applies_to: tuple[str, ...] = ()

    def offered_on(self, obligation: str) -> bool:
        return not self.applies_to or obligation in self.applies_to


@dataclass(frozen=True)
class CodeList:
    id: str
    items: tuple[CodeItem, ...]

    @cached_property  # (read on every answer checked; the items never change)
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def item(self, code: str) -> CodeItem | None:
        return next((item for item in self.items if item.code == code), None)

    def label(self, code: str, lang: str = "en") -> str:
        item = self.item(code)
        return label(item.label, lang) if item else code

    def code_for_label(self, text: str) -> str | None:
        """The code whose label (in any language) or code is `text`: how spreadsheets answer."""
        wanted = text.strip()
        for item in self.items:
            if wanted == item.code or wanted in item.label.values():
                return item.code
        return None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Text
    help: Text | None = None
    required: bool = False
    required_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    code_list: str | None = None
    max_length: int | None = None
    max_rows: int | None = None  # tables: at most this many rows (`values.table_row_limit`)
    min: int | None = None
    max: int | None = None
    columns: tuple["Question", ...] = ()
    # for a choice on a list whose codes apply to some obligation levels only: the codes this
    # provision offers (None: the whole list); set by the loader per provision
    choices: tuple[str, ...] | None = None
    # answers for the secretariat and the States Parties only, never public (review.rules.PRIVATE)
    private: bool = False


@dataclass(frozen=True)
class Provision:
    id: str
    article: int
    chapter: str
    ref: Text
    text: Text
    obligation: str
    questions: tuple[Question, ...]
    # whether the paraphrase and the obligation level were checked against the convention's text
    # (None: the definition does not say)
    checked: bool | None = None

    @property
    def assessed(self) -> bool:
        """Whether a Party answers anything on this provision."""
        return bool(self.questions)

    def question(self, question_id: str) -> Question | None:
        return self._question_ids.get(question_id)

    @cached_property
    def _question_ids(self) -> dict[str, Question]:
        found: dict[str, Question] = {}
        for q in self.questions:
            found.setdefault(q.id, q)
        return found


@dataclass(frozen=True)
class Article:
    number: int
    chapter: str
    title: Text
    obligation: str
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class Chapter:
    number: str
    title: Text
    first: int
    last: int


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    instrument: Mapping[str, Any]
    title: Text
    description: Text | None
    translation_notes: Mapping[str, str]
    code_lists: Mapping[str, CodeList]
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    source: Mapping[str, Any]
    fingerprint: str
    # per earlier version of the same questionnaire, its provision ids that became other ones here
    # (an article split into paragraphs: one to many); an id not listed kept its id
    maps_from: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def chapter(self, number: str) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)

    def provisions(self, chapters: Iterable[str] | None = None) -> Iterator[Provision]:
        """Every provision, in order, optionally limited to some chapters."""
        wanted = set(chapters) if chapters is not None else None
        for article in self.articles:
            if wanted is None or article.chapter in wanted:
                yield from article.provisions

    def assessed_provisions(self, chapters: Iterable[str] | None = None) -> list[Provision]:
        return [p for p in self.provisions(chapters) if p.assessed]

    @property
    def private_questions(self) -> frozenset[str]:
        """The questions whose answers are never public (`review.rules.private_questions`)."""
        return private_questions(self.source)

    def offered(self, question: Question) -> tuple[str, ...]:
        """The codes a choice question offers on its provision (the whole list unless restricted)."""
        if question.choices is not None:
            return question.choices
        return self.code_lists[question.code_list].codes if question.code_list in self.code_lists else ()

    def provision_map(self, earlier_version: str, earlier: "Questionnaire | None" = None) -> dict[str, tuple[str, ...]]:
        """Each provision id of `earlier_version` to the provision ids it became in this version:
        the declared ones (`maps_from`), else the same id when this version has it. With the
        `earlier` questionnaire, every one of its provisions is listed (a provision with no
        successor maps to nothing)."""
        declared = self.maps_from.get(earlier_version, {})
        ids = [p.id for p in earlier.provisions()] if earlier is not None else sorted(set(declared) | set(self._provisions_by_id()))
        out = {}
        for pid in ids:
            if pid in declared:
                out[pid] = tuple(declared[pid])
            elif self.provision(pid) is not None:
                out[pid] = (pid,)
            else:
                out[pid] = ()
        return out

    def provision(self, provision_id: str) -> Provision | None:
        return self._provisions_by_id().get(provision_id)

    def _provisions_by_id(self) -> dict[str, Provision]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {p.id: p for p in self.provisions()}
            object.__setattr__(self, "_by_id", cached)
        return cached
