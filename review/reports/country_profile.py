"""A Party's country profile as a printable PDF: the same content as the profile page.

The profile arrives labelled in the reader's language (`review.analysis.profile`); this module
only lays it out (fonts, shaping, wrapping and right-to-left layout: `review.pdf`).
"""

from __future__ import annotations

from review.analysis.profile import CountryProfile, percent
from review.i18n import t
from review.pdf import FAMILY, new_document, paragraph, table

HEADING = 13
BODY = 9


def _heading(pdf, text: str, lang: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", HEADING)
    paragraph(pdf, 7, text, lang)
    pdf.set_font(FAMILY, "", BODY)


def country_profile_pdf(profile: CountryProfile, lang: str, recommendations: list[dict] | None = None,
                        summaries: list | None = None) -> bytes:
    """The profile as PDF bytes; with the Party's country review recommendations (rows of
    `review.peer.followup.recommendation_rows`) and executive summaries (`review.peer.report.published_summaries`)
    as the profile page shows them."""
    def tr(key: str, **params) -> str:
        return t(f"profile.{key}", lang, **params)

    pdf = new_document(tr("pdf_title", party=profile.party_name), lang)
    pdf.set_font(FAMILY, "B", 16)
    paragraph(pdf, 8, profile.party_name, lang)
    pdf.set_font(FAMILY, "", BODY)
    lines = [
        tr("cycle_line", cycle=profile.cycle_title),
        tr("group_line", group=profile.group_name or "-"),
        tr("state_line", state=profile.state_label),
        tr("score_line", score=percent(profile.score, lang), mandatory=percent(profile.score_mandatory, lang)),
        tr("scope_published") if profile.published_only else tr("scope_working"),
    ]
    for line in lines:
        paragraph(pdf, 5, line, lang)

    _heading(pdf, tr("chapters"), lang)
    table(
        pdf,
        [tr("chapter"), tr("party_score"), tr("group_average")],
        [[c.label, percent(c.score, lang), percent(c.group_average, lang)] for c in profile.chapters],
        (110, 35, 35), lang, tr("none"),
    )
    _heading(pdf, tr("gaps"), lang)
    table(
        pdf,
        [tr("provision"), tr("status"), tr("challenges"), tr("ta_requested")],
        [[g.provision, g.status, "; ".join(g.challenges), "; ".join(g.ta_requested)] for g in profile.gaps],
        (55, 30, 50, 45), lang, tr("no_gaps"),
    )
    _heading(pdf, tr("ta_needs"), lang)
    table(
        pdf,
        [tr("provision"), tr("ta_type"), tr("priority"), tr("description")],
        [[n.provision, n.type, n.priority, n.description] for n in profile.ta_needs],
        (45, 45, 20, 70), lang, tr("none"),
    )
    _heading(pdf, tr("legislation"), lang)
    table(
        pdf,
        [tr("provision"), tr("law"), tr("cited"), tr("year"), tr("law_status")],
        [[c.provision, c.title, c.provision_cited, str(c.year or ""), c.status] for c in profile.legislation],
        (45, 60, 25, 15, 35), lang, tr("none"),
    )
    if recommendations is not None:
        _heading(pdf, t("report.profile.title", lang), lang)
        table(
            pdf,
            [t(f"report.dashboard.{k}", lang) for k in ("cycle", "provision", "priority", "recommendation", "status")],
            [[r["cycle"], r["provision"], r["priority"], r["recommendation"], r["status"]] for r in recommendations],
            (25, 25, 20, 75, 35), lang, t("report.profile.none", lang),
        )
    for summary in summaries or ():
        _heading(pdf, f'{t("report.profile.summary", lang)} ({summary.cycle_id})', lang)
        paragraph(pdf, 4.5, summary.text, lang)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 7)
    paragraph(pdf, 4, tr("footer", scoring=tr("scoring_note")), lang)
    return bytes(pdf.output())
