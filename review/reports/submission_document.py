"""A Party's full submission in a cycle as a Word document: every answer laid out by chapter, article
and provision (`review.reading.answer_sheet`), labels in the chosen language, the Party's text as
written (plain text, never markup). For the Party's own users and the secretariat
(`submission.document`, then `submission.read` for the working answers)."""

from __future__ import annotations

import io

from review.access import Actor, require
from review.cycles import cycle_questionnaire, get_cycle
from review.i18n import t
from review.parties import all_parties
from review.reading import answer_sheet
from review.submissions import current_answers, get_submission


def submission_docx(store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> bytes:
    """The submission of `party` in `cycle_id` as Word bytes (refused to anyone else)."""
    from review.peer.documents import docx_writer

    require(actor, "submission.document", party)
    answers = current_answers(store, actor, cycle_id, party)
    cycle = get_cycle(store, cycle_id)
    submission = get_submission(store, cycle_id, party)
    sheet = answer_sheet(cycle_questionnaire(store, cycle), cycle.chapters, answers, lang)
    known = all_parties(store)
    name = known[party].name(lang) if party in known else party
    document, heading, para, grid = docx_writer(lang)
    doc_title = t("sessionrep.submission_title", lang, party=name)
    document.core_properties.title = doc_title
    document.core_properties.language = lang
    heading(doc_title, 0)
    para(t("sessionrep.cycle_line", lang, cycle=cycle.title, id=cycle.id))
    para(t("sessionrep.submission_state", lang, state=t(f"states.{submission.state}", lang)))
    for chapter in sheet:
        heading(t("sessionrep.chapter_heading", lang, chapter=chapter.number, title=chapter.title), 1)
        for article in chapter.articles:
            heading(t("sessionrep.article_cell", lang, number=article.number, title=article.title), 2)
            for provision in article.provisions:
                heading(f"{provision.ref} ({provision.obligation})", 3)
                if provision.text:
                    para(provision.text)
                if not provision.answered:
                    para(t("sessionrep.unanswered", lang))
                    continue
                for line in provision.lines:
                    if not (line.text or line.rows):
                        continue
                    heading(line.question, 4)
                    if line.rows:
                        header = list(line.rows[0])
                        grid(header, [[row.get(h, "") for h in header] for row in line.rows])
                    else:
                        para(line.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
