"""A Party's country profile as a printable PDF: the same content as the profile page.

The profile arrives labelled in the reader's language (`review.analysis.profile`); this module
only lays it out. Chinese lines wrap by character, since Chinese text has no spaces to break at.
"""

from __future__ import annotations

from fpdf.enums import WrapMode

from review.analysis.profile import CountryProfile, percent
from review.i18n import t
from review.pdf import FAMILY, new_document

HEADING = 13
BODY = 9


def _heading(pdf, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", HEADING)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", BODY)


def _table(pdf, header: list[str], rows: list[list[str]], widths: tuple[int, ...], wrap: WrapMode, empty: str) -> None:
    if not rows:
        pdf.multi_cell(0, 5, empty, new_x="LMARGIN", new_y="NEXT")
        return
    with pdf.table(col_widths=widths, wrapmode=wrap, line_height=4.5, text_align="LEFT", first_row_as_headings=True,
                   markdown=False) as table:  # Party text is printed as typed, never as markup
        for cells in [header, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(cell)


def country_profile_pdf(profile: CountryProfile, lang: str) -> bytes:
    """The profile as PDF bytes."""
    wrap = WrapMode.CHAR if lang.startswith("zh") else WrapMode.WORD

    def tr(key: str, **params) -> str:
        return t(f"profile.{key}", lang, **params)

    pdf = new_document(tr("pdf_title", party=profile.party_name))
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, profile.party_name, new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)
    pdf.set_font(FAMILY, "", BODY)
    lines = [
        tr("cycle_line", cycle=profile.cycle_title),
        tr("group_line", group=profile.group_name or "-"),
        tr("state_line", state=profile.state_label),
        tr("score_line", score=percent(profile.score), mandatory=percent(profile.score_mandatory)),
        tr("scope_published") if profile.published_only else tr("scope_working"),
    ]
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)

    _heading(pdf, tr("chapters"))
    _table(
        pdf,
        [tr("chapter"), tr("party_score"), tr("group_average")],
        [[c.label, percent(c.score), percent(c.group_average)] for c in profile.chapters],
        (110, 35, 35), wrap, tr("none"),
    )
    _heading(pdf, tr("gaps"))
    _table(
        pdf,
        [tr("provision"), tr("status"), tr("challenges"), tr("ta_requested")],
        [[g.provision, g.status, "; ".join(g.challenges), "; ".join(g.ta_requested)] for g in profile.gaps],
        (55, 30, 50, 45), wrap, tr("no_gaps"),
    )
    _heading(pdf, tr("ta_needs"))
    _table(
        pdf,
        [tr("provision"), tr("ta_type"), tr("priority"), tr("description")],
        [[n.provision, n.type, n.priority, n.description] for n in profile.ta_needs],
        (45, 45, 20, 70), wrap, tr("none"),
    )
    _heading(pdf, tr("legislation"))
    _table(
        pdf,
        [tr("provision"), tr("law"), tr("cited"), tr("year"), tr("law_status")],
        [[c.provision, c.title, c.provision_cited, str(c.year or ""), c.status] for c in profile.legislation],
        (45, 60, 25, 15, 35), wrap, tr("none"),
    )
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 7)
    pdf.multi_cell(0, 4, tr("footer", scoring=tr("scoring_note")), new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)
    return bytes(pdf.output())
