"""A Party's full submission in a cycle as a Word or PDF document: every answer laid out by chapter,
article and provision (`review.reading.answer_sheet`), labels in the chosen language, the Party's
text as written (plain text, never markup). For the Party's own users and the secretariat
(`submission.document`, then `submission.read` for the working answers). The PDF uses the fonts and
shaping of `review.pdf` (Arabic joined and right to left, Chinese glyphs), like the other PDFs."""

from __future__ import annotations

import io
from dataclasses import dataclass

from review.access import Actor, require
from review.cycles import cycle_questionnaire, get_cycle
from review.i18n import t
from review.parties import all_parties
from review.reading import answer_sheet
from review.submissions import current_answers, get_submission
from review.printable import visible

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Block:
    """One piece of the document in reading order: a heading (level 0 to 4), a paragraph, or a table."""

    kind: str  # "heading", "text" or "table"
    text: str = ""
    level: int = 0
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def submission_blocks(store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> list[Block]:
    """The document's content, checked against the policy (refused to anyone else than the Party's users
    and the secretariat)."""
    require(actor, "submission.document", party)
    answers = current_answers(store, actor, cycle_id, party)
    cycle = get_cycle(store, cycle_id)
    submission = get_submission(store, cycle_id, party)
    sheet = answer_sheet(cycle_questionnaire(store, cycle), cycle.chapters, answers, lang)
    known = all_parties(store)
    name = known[party].name(lang) if party in known else party
    blocks = [Block("heading", t("sessionrep.submission_title", lang, party=name), 0),
              Block("text", t("sessionrep.cycle_line", lang, cycle=cycle.title, id=cycle.id)),
              Block("text", t("sessionrep.submission_state", lang, state=t(f"states.{submission.state}", lang)))]
    for chapter in sheet:
        blocks.append(Block("heading", t("sessionrep.chapter_heading", lang, chapter=chapter.number, title=chapter.title), 1))
        for article in chapter.articles:
            blocks.append(Block("heading", t("sessionrep.article_cell", lang, number=article.number, title=article.title), 2))
            for provision in article.provisions:
                blocks.append(Block("heading", f"{provision.ref} ({provision.obligation})", 3))
                if provision.text:
                    blocks.append(Block("text", provision.text))
                if not provision.answered:
                    blocks.append(Block("text", t("sessionrep.unanswered", lang)))
                    continue
                for line in provision.lines:
                    if not (line.text or line.rows):
                        continue
                    blocks.append(Block("heading", line.question, 4))
                    if line.rows:
                        header = tuple(line.rows[0])
                        blocks.append(Block("table", header=header,
                                            rows=tuple(tuple(str(row.get(h, "")) for h in header) for row in line.rows)))
                    else:
                        blocks.append(Block("text", line.text))
    return blocks


def submission_docx(store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> bytes:
    """The submission of `party` in `cycle_id` as Word bytes (refused to anyone else)."""
    from review.peer.documents import docx_writer

    blocks = submission_blocks(store, actor, cycle_id, party, lang)
    document, heading, para, grid = docx_writer(lang)
    document.core_properties.title = visible(blocks[0].text)
    document.core_properties.language = lang
    for block in blocks:
        if block.kind == "heading":
            heading(block.text, block.level)
        elif block.kind == "table":
            grid(list(block.header), [list(row) for row in block.rows])
        else:
            para(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SIZES = {0: 15, 1: 13, 2: 11.5, 3: 10, 4: 9}


def submission_pdf(store, actor: Actor, cycle_id: str, party: str, lang: str = "en") -> bytes:
    """The submission of `party` in `cycle_id` as PDF bytes (refused to anyone else): the Word document's
    content, with Arabic shaped and right to left and Chinese glyphs (`review.pdf`)."""
    from review.pdf import FAMILY, new_document, paragraph, table

    blocks = submission_blocks(store, actor, cycle_id, party, lang)
    pdf = new_document(blocks[0].text, lang)
    for block in blocks:
        if block.kind == "heading":
            if block.level:
                pdf.ln(1.5)
            pdf.set_font(FAMILY, "B", SIZES[block.level])
            paragraph(pdf, 6 if block.level < 3 else 5, block.text, lang)
        elif block.kind == "table":
            pdf.set_font(FAMILY, "", 8)
            cols = len(block.header)
            table(pdf, list(block.header), [list(r) for r in block.rows], tuple([180 / cols] * cols), lang,
                  t("sessionrep.none", lang))
        else:
            pdf.set_font(FAMILY, "", 9)
            paragraph(pdf, 4.5, block.text, lang)
    return bytes(pdf.output())


def render_submission(store, actor: Actor, cycle_id: str, party: str, fmt: str, lang: str = "en") -> bytes:
    """The submission as `fmt` ("docx" or "pdf")."""
    return (submission_docx if fmt == "docx" else submission_pdf)(store, actor, cycle_id, party, lang)
