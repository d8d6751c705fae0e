"""The reports for a session of the Conference (issue 17): the thematic report of a chapter opens with
python-docx and its figures equal the dashboards' analysis functions on the demo data; good
practices come from published answers only; the CLI writes it and refuses with clear errors."""

from __future__ import annotations

import io
import shutil

import polars as pl
import pytest
from docx import Document

from review import cli_sessionrep, parties
from review.access import PUBLIC, system
from review.analysis import change, gaps, scoring
from review.analysis.scope import REGIONS, answers_frame
from review.cli import main
from review.errors import NotFound, ReviewError
from review.formats import number, percent
from review.i18n import t
from review.matching import open_data
from review.reports import session_documents as docs
from review.reports.thematic import previous_cycle, thematic
from review.store import open_store

CYCLE, CHAPTER = "review-2026", "IV"
SECRETARIAT = system("review report thematic")


def _tables(data: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(data))
    return [[[c.text for c in row.cells] for row in tbl.rows] for tbl in document.tables]


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _rate(value, lang):
    return "-" if value is None else percent(value, lang)


def test_the_clis_lists_equal_the_librarys():
    from review.reports import submission_document

    assert cli_sessionrep.FORMATS == docs.FORMATS == submission_document.FORMATS
    assert cli_sessionrep.REGIONS == REGIONS


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_thematic_report_opens_and_its_figures_equal_the_dashboards(demo_store, lang):
    before = previous_cycle(demo_store, CYCLE)
    assert before == "pilot-2025"
    report = thematic(demo_store, SECRETARIAT, CYCLE, CHAPTER, lang=lang)
    data = docs.thematic_docx(report, lang)
    tables = _tables(data)
    order = (lambda row: row[::-1]) if lang == "ar" else (lambda row: row)
    rates_table = [order(r) for r in tables[0]]
    assert rates_table[0][0] == t("sessionrep.col.article", lang)

    # the implementation dashboard's rates, the change dashboard's counts, computed here independently
    now = scoring.implementation(demo_store, SECRETARIAT, CYCLE, "article", lang=lang).filter(pl.col("chapter") == CHAPTER)
    then = {r["article"]: r["implementation_rate"] for r in scoring.implementation(
        demo_store, SECRETARIAT, before, "article", lang=lang).filter(pl.col("chapter") == CHAPTER).iter_rows(named=True)}
    moved = change.change_summary(change.cycle_change(demo_store, SECRETARIAT, before, CYCLE, lang=lang)
                                  .filter(pl.col("chapter") == CHAPTER), by="article")
    counts = {r["article"]: r for r in moved.iter_rows(named=True)}
    expected = [[t("sessionrep.article_cell", lang, number=r["article"], title=r["article_title"]),
                 number(r["responding"], lang), _rate(r["implementation_rate"], lang), _rate(r["score"], lang),
                 _rate(then.get(r["article"]), lang),
                 *[number(counts[r["article"]][k] if r["article"] in counts else 0, lang)
                   for k in ("improved", "unchanged", "regressed")]]
                for r in now.iter_rows(named=True)]
    assert rates_table[1:] == expected and len(expected) == 12
    assert any(row[4] != "-" for row in expected)  # the previous cycle's rates are there

    # challenges and TA needs: the needs dashboard's counts summed over regional groups
    for position, kind in ((1, "challenge"), (2, "ta")):
        counted = gaps.needs_counts(demo_store, SECRETARIAT, CYCLE, kind, lang=lang).filter(pl.col("chapter") == CHAPTER)
        per_type = {r["type_label"]: (r["mentions"], r["parties"]) for r in counted.group_by("type_label").agg(
            pl.col("mentions").sum(), pl.col("parties").sum()).iter_rows(named=True)}
        shown = {row[0]: row[1:] for row in (order(r) for r in tables[position][1:])}
        assert shown == {k: [number(m, lang), number(p, lang)] for k, (m, p) in per_type.items()} and shown

    # published TA: the public TA page's summary for this cycle and chapter
    summary = open_data.summary(demo_store, needs=open_data.public_needs(demo_store).filter(pl.col("cycle_id") == CYCLE))
    summary = summary.filter(pl.col("chapter") == CHAPTER)
    shown = [order(r) for r in tables[3][1:]]
    assert [[number(v, lang) for v in row] for row in summary.select(open_data.MEASURES).rows()] == \
        [row[2:] for row in shown] and shown


def _values(chart) -> list[dict]:
    """The data rows of an Altair chart's spec (one inline dataset)."""
    (rows,) = chart.to_dict()["datasets"].values()
    return rows


def test_the_reports_charts_are_the_dashboards_specs_and_the_document_holds_them(demo_store):
    """The thematic report draws the implementation and needs dashboards' figures (review.charts) on the
    chapter's frames: the same data values in the spec as the dashboard's call with the chapter filter.
    French labels have an apostrophe ("Taux d'application"), which Vega-Lite reads as a quote unless
    escaped: the PNGs render."""
    from review import charts
    from review.analysis.selection import restrict

    lang = "fr"
    report = thematic(demo_store, SECRETARIAT, CYCLE, CHAPTER, lang=lang)
    drawn = docs.figures([report], lang)
    assert set(drawn) == {"rates", "challenges", "ta_needs"}
    for name, kind in (("challenges", "challenge"), ("ta_needs", "ta")):
        # the needs dashboard with the chapter filter on (app/pages/dashboard_needs.py)
        counts = restrict(gaps.needs_counts(demo_store, SECRETARIAT, CYCLE, kind, lang=lang), chapters=[CHAPTER])
        page, table = charts.needs_figure(counts, "region", lang)
        assert _values(drawn[name]) == _values(page) and table[t("dash.count", lang)].sum() == counts["mentions"].sum() > 0
    rates = scoring.implementation(demo_store, SECRETARIAT, CYCLE, "article", lang=lang).filter(pl.col("chapter") == CHAPTER)
    page, _ = charts.rates_figure(rates, "article", lang)
    assert _values(drawn["rates"]) == _values(page)
    assert [row[t("dash.implementation_rate", lang)] for row in _values(page)] == [round(v, 2) for v in rates["implementation_rate"]]
    document = Document(io.BytesIO(docs.thematic_docx(report, lang)))
    assert len(document.inline_shapes) == 3
    assert all(shape.width > 0 for shape in document.inline_shapes)


def test_every_figure_traces_to_exactly_the_answers_it_counts(demo_store):
    """The open-data file beside a report lists the answers behind each figure: the rates table is
    recomputed from its "rates" rows (counted = scored), the challenges and TA needs tables from its
    mentions; each figure's note in the document says the query and names the file."""
    report = thematic(demo_store, SECRETARIAT, CYCLE, CHAPTER)
    rows = pl.read_csv(io.BytesIO(docs.answers_csv([report])), infer_schema=False).with_columns(
        pl.col("article").cast(pl.Int64), pl.col("score").replace("", None).cast(pl.Float64))  # the CSV writes nulls empty
    assert rows.columns == list(docs.ANSWER_COLUMNS) and set(rows["chapter"]) == {CHAPTER}
    rates = rows.filter(pl.col("figure") == "rates")
    per_party = (rates.filter(pl.col("counted") == "scored").group_by("article", "party")
                 .agg((pl.col("score") >= 1).mean().alias("rate")))
    recomputed = per_party.group_by("article").agg(pl.len().cast(pl.Int32).alias("responding"),
                                                   pl.col("rate").mean()).sort("article")
    shown = report.articles.filter(pl.col("responding") > 0).sort("article")
    assert recomputed["article"].to_list() == shown["article"].to_list() and recomputed.height == 12
    assert recomputed["responding"].to_list() == shown["responding"].to_list()
    assert recomputed["rate"].to_list() == pytest.approx(shown["implementation_rate"].to_list())
    assert rates.filter(pl.col("counted") != "scored").height > 0  # unanswered ones are listed, marked apart
    for figure, table in (("challenges", report.challenges), ("ta_needs", report.ta_needs)):
        counted = (rows.filter(pl.col("figure") == figure).group_by("type_label")
                   .agg(pl.len().cast(pl.Int32).alias("mentions"), pl.col("party").n_unique().cast(pl.Int32).alias("parties")))
        assert counted.sort("type_label").rows() == table.select("type_label", "mentions", "parties").sort("type_label").rows()
    text = _text(docs.thematic_docx(report, "en", answers_file="iv-answers.csv"))
    for figure in ("rates", "challenges", "ta_needs"):
        assert docs.source(report, figure, "en", "iv-answers.csv") in text
    assert f"{number(rates.height, 'en')} answers of {rates['party'].n_unique()} States Parties" in text


def test_good_practices_come_from_published_answers_only(demo_store):
    report = thematic(demo_store, SECRETARIAT, CYCLE, CHAPTER)
    chapter_provisions = set(scoring.consolidated(demo_store, SECRETARIAT, CYCLE, "provision")
                             .filter(pl.col("chapter") == CHAPTER)["provision_id"])

    def examples(published_only):
        rows = answers_frame(demo_store, SECRETARIAT, CYCLE, published_only=published_only)
        return rows.filter((pl.col("question_id") == "examples") & pl.col("provision_id").is_in(chapter_provisions)
                           & (pl.col("value") != '""'))

    published, working = examples(True), examples(False)
    assert working.height > published.height > 0  # the demo has unpublished examples: the test can fail
    assert len(report.practices) == published.height
    text = _text(docs.thematic_docx(report, "en"))
    everyone = parties.all_parties(demo_store)
    assert {p.party_name for p in report.practices} == {everyone[c].name() for c in published["party"]}
    unpublished_only = set(working["party"]) - set(published["party"])
    assert unpublished_only and not {everyone[c].name() for c in unpublished_only} & {p.party_name for p in report.practices}
    assert all(p.text in text for p in report.practices)


def test_a_party_and_the_public_see_their_scope(demo_store):
    public = thematic(demo_store, PUBLIC, CYCLE, CHAPTER)
    secretariat = thematic(demo_store, SECRETARIAT, CYCLE, CHAPTER)
    assert public.scope == "public" and secretariat.scope == "all"
    assert public.articles["responding"].sum() < secretariat.articles["responding"].sum()
    assert t("sessionrep.scope_public", "fr") in _text(docs.thematic_docx(thematic(demo_store, PUBLIC, CYCLE, CHAPTER, lang="fr"), "fr"))


def test_unknown_cycle_chapter_or_group_is_refused(demo_store):
    with pytest.raises(NotFound):
        thematic(demo_store, PUBLIC, "nope", CHAPTER)
    with pytest.raises(ReviewError) as bad:
        thematic(demo_store, PUBLIC, CYCLE, "XX")
    assert bad.value.key == "sessionrep.bad_chapter"
    with pytest.raises(ReviewError) as bad:
        thematic(demo_store, PUBLIC, CYCLE, CHAPTER, region="MARS")
    assert bad.value.key == "sessionrep.bad_region"


def run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_writes_the_thematic_report_and_refuses_with_exit_1(demo_db, tmp_path, capsys):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    out = tmp_path / "out" / "thematic.docx"
    code, stdout, _ = run(capsys, "--db", path, "--lang", "es", "report", "thematic", "--cycle", CYCLE,
                          "--chapter", CHAPTER, "--format", "docx", "--out", out)
    assert code == 0 and str(out) in stdout and "capítulo IV" in stdout
    beside = tmp_path / "out" / "thematic-answers.csv"
    assert str(beside) in stdout and beside.read_bytes().startswith(b"\xef\xbb\xbf\"figure\"")
    assert "thematic-answers.csv" in _text(out.read_bytes())  # the document names the file beside it
    tables = _tables(out.read_bytes())
    with open_store(path, create=False) as store:
        rates = scoring.implementation(store, SECRETARIAT, CYCLE, "article", lang="es").filter(pl.col("chapter") == CHAPTER)
    assert [row[2] for row in tables[0][1:]] == [_rate(v, "es") for v in rates["implementation_rate"]]
    code, _, err = run(capsys, "--db", path, "report", "thematic", "--cycle", CYCLE, "--chapter", "XX")
    assert code == 1 and "XX" in err and "IV" in err
    code, _, err = run(capsys, "--db", path, "report", "thematic", "--cycle", "nope", "--chapter", "II")
    assert code == 1 and "nope" in err
    code, _, err = run(capsys, "--db", path, "report", "thematic", "--cycle", CYCLE, "--chapter", "II", "--format", "odt")
    assert code == 1
    code, _, err = run(capsys, "--db", tmp_path / "missing.duckdb", "report", "thematic", "--cycle", CYCLE, "--chapter", "II")
    assert code == 1 and err


def test_the_regional_report_holds_every_chapter_with_the_groups_figures(demo_store):
    from pypdf import PdfReader

    from review.reports.thematic import regional

    reports = regional(demo_store, SECRETARIAT, CYCLE, "GRULAC", lang="ru")
    chapters = [r.chapter for r in reports]
    by_region = scoring.implementation(demo_store, SECRETARIAT, CYCLE, "article", by="region", lang="ru").filter(
        pl.col("group") == "GRULAC")
    assert chapters == list(dict.fromkeys(by_region["chapter"].cast(pl.String)))
    word = docs.regional_docx(reports, "ru")
    tables = _tables(word)
    rate_tables = [tbl for tbl in tables if tbl[0][0] == t("sessionrep.col.article", "ru")]
    assert len(rate_tables) == len(chapters)
    shown = [row[2] for tbl in rate_tables for row in tbl[1:]]
    assert shown == [_rate(v, "ru") for v in by_region["implementation_rate"]]
    everything = scoring.implementation(demo_store, SECRETARIAT, CYCLE, "article", lang="ru")
    assert shown != [_rate(v, "ru") for v in everything["implementation_rate"]]  # the group's, not everyone's
    assert len(Document(io.BytesIO(word)).inline_shapes) == 3  # the group's charts across its chapters
    pdf = PdfReader(io.BytesIO(docs.regional_pdf(reports, "ru")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert t("sessionrep.h_practices", "ru") in text and len(pdf.pages) > 1
    assert sum(len(page.images) for page in pdf.pages[:2]) == 3
    with pytest.raises(ReviewError):
        regional(demo_store, SECRETARIAT, CYCLE, "MARS")


def test_the_cli_writes_the_regional_report_as_pdf(demo_db, tmp_path, capsys):
    from pypdf import PdfReader

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    out = tmp_path / "regional.pdf"
    code, stdout, _ = run(capsys, "--db", path, "report", "regional", "--cycle", CYCLE, "--group", "AFR",
                          "--format", "pdf", "--out", out, "--public")
    assert code == 0 and str(out) in stdout
    assert t("sessionrep.scope_public", "en") in "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", " ")
    code, _, err = run(capsys, "--db", path, "report", "regional", "--cycle", CYCLE, "--group", "MARS")
    assert code == 1 and "MARS" in err
    code, _, err = run(capsys, "--db", path, "report", "regional", "--cycle", "nope", "--group", "AFR")
    assert code == 1 and "nope" in err


def test_the_full_submission_lays_out_every_answer_as_written_for_its_party_and_the_secretariat(demo_store):
    from review.access import Actor, Role
    from review.errors import PermissionDenied
    from review.reports.submission_document import submission_docx, submission_pdf
    from review.submissions import current_answers

    answers = current_answers(demo_store, SECRETARIAT, CYCLE, "KEN")
    texts = [v for (_, question), v in answers.items() if question == "examples" and v]
    assert texts
    data = submission_docx(demo_store, SECRETARIAT, CYCLE, "KEN", "fr")
    document = Document(io.BytesIO(data))
    body = [p.text for p in document.paragraphs]
    assert all(text.split("\n")[0] in body for text in texts)  # one paragraph per line, as written
    assert t("sessionrep.submission_title", "fr", party=parties.all_parties(demo_store)["KEN"].name("fr")) == body[0]
    assert any(b.startswith("Art. 7") for b in body)
    own = Actor("ken-observer", Role.OBSERVER, party="KEN")
    assert Document(io.BytesIO(submission_docx(demo_store, own, CYCLE, "KEN", "ar"))).paragraphs
    for stranger in (Actor("fra-focal", Role.FOCAL_POINT, party="FRA"), PUBLIC):
        for render in (submission_docx, submission_pdf):
            with pytest.raises(PermissionDenied):
                render(demo_store, stranger, CYCLE, "KEN", "en")


def test_the_cli_writes_a_submission_and_refuses_an_unknown_one(demo_db, tmp_path, capsys):
    from review.submissions import current_answers

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    out = tmp_path / "ken.docx"
    code, stdout, _ = run(capsys, "--db", path, "report", "submission", "--cycle", CYCLE, "--party", "KEN", "--out", out)
    assert code == 0 and str(out) in stdout and Document(str(out)).paragraphs
    # the PDF (the pilot cycle: two chapters, a shorter document), Arabic shaped as the other PDFs
    code, stdout, _ = run(capsys, "--db", path, "--lang", "ar", "report", "submission", "--cycle", "pilot-2025",
                          "--party", "BEL", "--format", "pdf", "--out", tmp_path / "bel.pdf")
    assert code == 0 and str(tmp_path / "bel.pdf") in stdout
    from tests.test_pdf_languages import flat, pdf_text, pieces

    text = flat(pdf_text((tmp_path / "bel.pdf").read_bytes()))
    with open_store(path, create=False) as store:
        name = parties.all_parties(store)["BEL"].name("ar")
        examples = [v for (_, q), v in current_answers(store, SECRETARIAT, "pilot-2025", "BEL").items() if q == "examples" and v]
    assert all(piece in text for piece in pieces(t("sessionrep.submission_title", "ar", party=name)))
    # the Party's words as written (a closing full stop follows the page's direction, so it is left out)
    assert examples and all(flat(e.split("\n")[0]).rstrip(".") in text for e in examples)
    code, _, err = run(capsys, "--db", path, "report", "submission", "--cycle", CYCLE, "--party", "XXX")
    assert code == 1 and "XXX" in err
