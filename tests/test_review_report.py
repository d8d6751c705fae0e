"""The country review report: drafted from the reviewed Party's answers, edited (audited, stale edits
refused, nothing cut), exported as Word and PDF in the six languages, its executive summary in the
six languages, public only once published (the full report only with the Party's agreement), and
its recommendations followed up in the next cycle."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from docx import Document
from pypdf import PdfReader

from review import audit, users
from review.access import PUBLIC, Role
from review.errors import NotFound, PermissionDenied, ReviewError, ValidationFailed
from review.i18n import LANGUAGES, t
from review.peer import documents, followup, report as R
from review import limits
from tests.actors import SETUP
from tests.workbook_helpers import database_state

PILOT, MAIN = "pilot-2025", "review-2026"


def add_review(store, cycle_id: str, party: str, stage: str, reviewers=("CZE", "BRA"), full_public=None) -> str:
    """A review as the drawing of lots creates it (rows per migration m0072), at `stage`, reviewed by
    `reviewers` (the demo's own draw, when it drew this review, is replaced)."""
    rid = f"{cycle_id}/{party}"
    with store.transaction() as cur:
        if not cur.execute("SELECT 1 FROM review_draw WHERE id = ?", [f"draw-{cycle_id}"]).fetchone():
            cur.execute("INSERT INTO review_draw VALUES (?, ?, 'lots', 7, '{}', NULL, current_timestamp, 'system:test')",
                        [f"draw-{cycle_id}", cycle_id])
        for table, column in (("review_summary", "review_id"), ("review_report_item", "review_id"),
                              ("review_report_text", "review_id"), ("review_report", "review_id"),
                              ("peer_review_stage", "review_id"), ("peer_review_reviewer", "review_id")):
            cur.execute(f"DELETE FROM {table} WHERE {column} = ?", [rid])
        cur.execute("DELETE FROM peer_review WHERE id = ?", [rid])
        cur.execute("INSERT INTO peer_review VALUES (?, ?, ?, ?, 0, ?, ?, current_timestamp)",
                    [rid, cycle_id, party, f"draw-{cycle_id}", stage, full_public])
        for n, code in enumerate(reviewers):
            cur.execute("INSERT INTO peer_review_reviewer VALUES (?, ?, ?)", [rid, code, n == 0])
    return rid


def set_stage(store, cycle_id: str, party: str, stage: str) -> None:
    with store.transaction() as cur:
        cur.execute("UPDATE peer_review SET stage = ? WHERE id = ?", [stage, f"{cycle_id}/{party}"])


@pytest.fixture
def people(demo_store):
    def make(email, role, party=None):
        return users.create_user(demo_store, SETUP, email=email, name=email, role=role, party=party).actor

    def focal_point(party):  # one focal point per Party: the demo's own
        return users.find_by_email(demo_store, f"{party.lower()}.focal@demo.example.org").actor
    return {
        "sec": make("sec-r@example.org", Role.SECRETARIAT),
        "pol_focal": focal_point("POL"),
        "pol_contributor": make("c-pol@example.org", Role.CONTRIBUTOR, "POL"),
        "pol_observer": make("o-pol@example.org", Role.OBSERVER, "POL"),
        "ken_focal": focal_point("KEN"),
    }


@pytest.fixture
def drafted(demo_store, people):
    add_review(demo_store, MAIN, "POL", "draft_report")
    return R.draft_report(demo_store, people["sec"], MAIN, "POL", "en")


def test_the_draft_comes_from_the_partys_answers(drafted, demo_store, people):
    from review.submissions import current_answers

    answers = current_answers(demo_store, people["sec"], MAIN, "POL")
    partly = sorted({p for (p, qid), v in answers.items() if qid == "status" and v in ("partly_implemented", "not_implemented")})
    assert sorted(i.provision_id for i in drafted.recommendations) == partly
    assert drafted.seq == 1 and drafted.chapters and drafted.reviewers == ("CZE", "BRA")
    # a law the Party cited is in the implementation text of its article
    provision, rows = next(((p, v) for (p, qid), v in answers.items() if qid == "legislation" and v), (None, None))
    article = next(a for c in drafted.chapters for a in c.articles if a.number == int(provision.split(".")[0]))
    assert rows[0]["title"] in article.texts["implementation"]
    with pytest.raises(ReviewError, match="already drafted"):
        R.draft_report(demo_store, people["sec"], MAIN, "POL", "en")


def test_the_word_report_opens_and_holds_each_recommendation(drafted, demo_store, people):
    seq = R.edit_item(demo_store, people["sec"], MAIN, "POL", drafted.recommendations[0].id, drafted.seq,
                      body="Adopt the amendment <b>now</b> & *publish* it\nwith two lines.")
    R.add_item(demo_store, people["sec"], MAIN, "POL", "7.1", "recommendation", "high", "Train 300 judges.", seq)
    data = documents.render(demo_store, people["sec"], MAIN, "POL", "docx", "en")
    document = Document(io.BytesIO(data))
    text = "\n".join([p.text for p in document.paragraphs] +
                     [c.text for tbl in document.tables for row in tbl.rows for c in row.cells])
    final = R.get_report(demo_store, people["sec"], MAIN, "POL")
    assert len(final.recommendations) == len(drafted.recommendations) + 1
    for item in final.recommendations:
        assert item.body in text
    assert "Adopt the amendment <b>now</b> & *publish* it\nwith two lines." in text  # as typed, not as markup
    assert t("report.sections.implementation", "en") in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_report_and_summary_in_each_language(drafted, demo_store, people, lang):
    summary = R.get_summary(demo_store, people["sec"], MAIN, "POL", lang)
    party = {"en": "Poland", "zh": "波兰", "fr": "Pologne", "es": "Polonia", "ru": "Польша", "ar": "بولندا"}[lang]
    assert summary.drafted.startswith(t("report.summary.heading", lang, party=party, cycle=drafted.cycle_title))
    assert summary.edited is None and summary.text == summary.drafted
    docx = Document(io.BytesIO(documents.render(demo_store, people["sec"], MAIN, "POL", "docx", lang, "summary")))
    assert docx.paragraphs[0].text == t("report.doc.summary_title", lang, party=party)
    assert t("report.summary.findings", lang) in "\n".join(p.text for p in docx.paragraphs)
    labels = Document(io.BytesIO(documents.render(demo_store, people["sec"], MAIN, "POL", "docx", lang)))
    assert t("report.doc.all_recommendations", lang) in [p.text for p in labels.paragraphs]
    if lang == "ar":
        assert labels.paragraphs[0]._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
    pdf = PdfReader(io.BytesIO(documents.render(demo_store, people["sec"], MAIN, "POL", "pdf", lang, "summary")))
    assert len(pdf.pages) >= 1 and pdf.metadata.title == t("report.doc.summary_title", lang, party=party)


def test_edits_are_audited_and_a_stale_edit_is_refused(drafted, demo_store, people):
    sec = people["sec"]
    first = R.edit_text(demo_store, sec, MAIN, "POL", "7", "challenges", "Courts lack experts.", drafted.seq)
    assert first == drafted.seq + 1
    # a colleague who opened the report before that edit changes another text: fine
    second = R.edit_text(demo_store, sec, MAIN, "POL", "8", "successes", "A good practice.", drafted.seq)
    # ...but not the same text
    before = database_state(demo_store)
    with pytest.raises(R.StaleReport):
        R.edit_text(demo_store, sec, MAIN, "POL", "7", "challenges", "Overwrite.", drafted.seq)
    item = drafted.recommendations[0]
    R.edit_item(demo_store, sec, MAIN, "POL", item.id, second, priority="low")
    with pytest.raises(R.StaleReport):
        R.remove_item(demo_store, sec, MAIN, "POL", item.id, second)
    assert database_state(demo_store) != before  # the edit_item landed
    report = R.get_report(demo_store, sec, MAIN, "POL")
    article7 = next(a for c in report.chapters for a in c.articles if a.number == 7)
    assert article7.texts["challenges"] == "Courts lack experts."
    entries = audit.entries(demo_store, sec, "review_report", f"{MAIN}/POL/7/challenges")
    assert entries[0].after == "Courts lack experts." and entries[0].actor == sec.id
    summary = R.get_summary(demo_store, sec, MAIN, "POL", "fr")
    seq = R.edit_summary(demo_store, sec, MAIN, "POL", "fr", "Résumé revu.", summary.seq)
    with pytest.raises(R.StaleReport):
        R.edit_summary(demo_store, sec, MAIN, "POL", "fr", "Autre.", summary.seq)
    assert R.get_summary(demo_store, sec, MAIN, "POL", "fr").text == "Résumé revu." and seq == summary.seq + 1


def test_too_long_or_unknown_input_is_refused_naming_the_field_and_writes_nothing(drafted, demo_store, people):
    sec = people["sec"]
    before = database_state(demo_store)
    with pytest.raises(ValidationFailed) as refused:
        R.edit_text(demo_store, sec, MAIN, "POL", "7", "challenges", "x" * (limits.REPORT_TEXT_CHARS + 1), drafted.seq)
    assert "Text:" in refused.value.message("en") and str(limits.REPORT_TEXT_CHARS) in refused.value.message("en")
    with pytest.raises(ValidationFailed) as refused:
        R.add_item(demo_store, sec, MAIN, "POL", "999.9", "wish", "urgent", "y" * (limits.REPORT_ITEM_CHARS + 1), drafted.seq)
    assert len(refused.value.problems) == 4
    with pytest.raises(ValidationFailed):
        R.edit_summary(demo_store, sec, MAIN, "POL", "de", "Hallo", 0)
    assert database_state(demo_store) == before


def test_who_may_read_and_edit(drafted, demo_store, people):
    assert R.get_report(demo_store, people["pol_observer"], MAIN, "POL").seq == drafted.seq
    for who in (people["pol_focal"], people["ken_focal"], PUBLIC):
        with pytest.raises(PermissionDenied):
            R.edit_text(demo_store, who, MAIN, "POL", "7", "challenges", "x", drafted.seq)
    for who in (people["ken_focal"], PUBLIC):
        with pytest.raises(PermissionDenied):
            R.get_report(demo_store, who, MAIN, "POL")
        with pytest.raises(PermissionDenied):
            R.get_summary(demo_store, who, MAIN, "POL", "en")
    with pytest.raises(PermissionDenied):
        R.agree_full_report(demo_store, people["pol_contributor"], MAIN, "POL", True)


def test_published_the_summary_always_the_full_report_only_if_the_party_agrees(drafted, demo_store, people):
    with pytest.raises(PermissionDenied):
        documents.render(demo_store, PUBLIC, MAIN, "POL", "pdf", "en", "summary")
    set_stage(demo_store, MAIN, "POL", "published")
    assert R.get_summary(demo_store, PUBLIC, MAIN, "POL", "ar").text
    assert documents.render(demo_store, PUBLIC, MAIN, "POL", "pdf", "en", "summary").startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        R.get_report(demo_store, PUBLIC, MAIN, "POL")
    with pytest.raises(ReviewError, match="published"):
        R.edit_text(demo_store, people["sec"], MAIN, "POL", "7", "challenges", "late", drafted.seq)
    R.agree_full_report(demo_store, people["pol_focal"], MAIN, "POL", True)
    assert len(R.get_report(demo_store, PUBLIC, MAIN, "POL").recommendations) == len(drafted.recommendations)
    assert (MAIN, "POL", True) in R.published_reviews(demo_store, PUBLIC, MAIN)


def test_recommendations_come_back_in_the_next_cycle_with_a_status(demo_store, people):
    sec, focal = people["sec"], people["pol_focal"]
    add_review(demo_store, PILOT, "POL", "draft_report")
    pilot = R.draft_report(demo_store, sec, PILOT, "POL", "en")
    assert pilot.recommendations
    # not yet agreed: nothing to follow up
    assert followup.earlier_recommendations(demo_store, focal, MAIN, "POL") == []
    set_stage(demo_store, PILOT, "POL", "agreed")
    back = followup.earlier_recommendations(demo_store, focal, MAIN, "POL")
    assert [b.item_id for b in back] == [i.id for i in pilot.recommendations]
    assert all(b.status is None and b.origin_cycle == PILOT for b in back)
    assert followup.earlier_recommendations(demo_store, focal, PILOT, "POL") == []  # nothing before the first cycle
    first = back[0]
    seq = followup.record(demo_store, people["pol_contributor"], MAIN, "POL", first.item_id, "in_progress",
                          "Bill 12/2026 is before parliament.", 0)
    assert seq == 1
    with pytest.raises(R.StaleReport):
        followup.record(demo_store, focal, MAIN, "POL", first.item_id, "implemented", "Adopted.", 0)
    assert followup.record(demo_store, focal, MAIN, "POL", first.item_id, "implemented", "Adopted in May.", 1) == 2
    with pytest.raises(PermissionDenied):
        followup.record(demo_store, people["ken_focal"], MAIN, "POL", first.item_id, "implemented", "x", 2)
    with pytest.raises(PermissionDenied):
        followup.record(demo_store, people["pol_observer"], MAIN, "POL", first.item_id, "implemented", "x", 2)
    before = database_state(demo_store)
    with pytest.raises(ValidationFailed) as refused:
        followup.record(demo_store, focal, MAIN, "POL", first.item_id, "done", "e" * (limits.FOLLOWUP_EVIDENCE_CHARS + 1), 2)
    assert len(refused.value.problems) == 2 and "Evidence" in refused.value.message("en")
    assert database_state(demo_store) == before
    now = followup.earlier_recommendations(demo_store, focal, MAIN, "POL")[0]
    assert (now.status, now.evidence, now.seq) == ("implemented", "Adopted in May.", 2)
    assert audit.entries(demo_store, sec, "recommendation_followup", f"{first.item_id}/{MAIN}")[0].after["status"] == "implemented"

    # the dashboard: the secretariat sees the agreed report's recommendations and the status
    ours = {i.id for i in pilot.recommendations}
    rows = [r for r in followup.recommendation_rows(demo_store, sec, "en") if r["item_id"] in ours]
    assert len(rows) == len(pilot.recommendations)
    mine = next(r for r in rows if r["item_id"] == first.item_id)
    assert mine["status"] == "Implemented" and mine["region"] == t("regions.EEG", "en")
    assert {r["status_code"] for r in rows} == {"implemented", "awaiting"}
    assert followup.counts(rows, "status")
    # the public sees nothing until the pilot review is published, then the recommendations
    assert not ours & {r["item_id"] for r in followup.recommendation_rows(demo_store, PUBLIC, "en")}
    assert not ours & {r["item_id"] for r in followup.recommendation_rows(demo_store, people["ken_focal"], "en")}
    set_stage(demo_store, PILOT, "POL", "published")
    with demo_store.transaction() as cur:  # POL's 2026 submission: published, and without consent at first
        cur.execute("UPDATE submission SET consent_publication = FALSE WHERE party = 'POL' AND cycle_id = ?", [MAIN])
    public = [r for r in followup.recommendation_rows(demo_store, PUBLIC, "fr") if r["item_id"] in ours]
    assert len(public) == len(pilot.recommendations)
    # without consent its follow-up status is not public...
    assert next(r for r in public if r["item_id"] == first.item_id)["status_code"] == "awaiting"
    with demo_store.transaction() as cur:
        cur.execute("UPDATE submission SET consent_publication = TRUE WHERE party = 'POL' AND cycle_id = ?", [MAIN])
    # ...with consent it is
    public = followup.recommendation_rows(demo_store, PUBLIC, "fr")
    assert next(r for r in public if r["item_id"] == first.item_id)["status"] == t("report.followup_statuses.implemented", "fr")


def test_the_cli_writes_a_report_and_refuses_with_clear_errors(drafted, demo_store, tmp_path, people):
    path = demo_store.path
    demo_store.close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "review", "--db", str(path), *args], capture_output=True, text=True,
                              timeout=300)

    out = tmp_path / "pol.docx"
    done = run("review-report", "--party", "POL", "--cycle", MAIN, "--format", "docx", "--lang", "fr", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and Document(str(out)).paragraphs[0].text.startswith("Rapport d'examen de pays")
    refused = run("review-report", "--party", "POL", "--cycle", MAIN, "--format", "pdf", "--public", "--summary",
                  "--out", str(tmp_path / "s.pdf"))
    assert refused.returncode == 1 and "not published" in refused.stderr and not (tmp_path / "s.pdf").exists()
    missing = run("review-report", "--party", "KEN", "--cycle", PILOT, "--format", "pdf")
    assert missing.returncode == 1 and "KEN has no review" in missing.stderr
    undrafted = run("review-report", "--party", "KEN", "--cycle", MAIN, "--format", "pdf", "--lang", "zh")
    assert undrafted.returncode == 1 and "尚未起草" in undrafted.stderr
    wrong = run("review-report", "--party", "POL", "--cycle", MAIN, "--format", "odt")
    assert wrong.returncode == 1 and "odt" in wrong.stderr
    assert documents.FORMATS == __import__("review.cli_report", fromlist=["FORMATS"]).FORMATS


def test_an_assigned_reviewer_reads_and_edits_its_reviews_report_and_no_other(drafted, demo_store, people):
    from review.access import Actor

    reviewer = Actor("rev-cze", Role.REVIEWER, party="CZE", reviews=frozenset({(MAIN, "POL")}))
    other = Actor("rev-bra", Role.REVIEWER, party="BRA", reviews=frozenset({(PILOT, "POL"), (MAIN, "KEN")}))
    seq = R.edit_text(demo_store, reviewer, MAIN, "POL", "7", "successes", "Specialised courts.", drafted.seq)
    R.add_item(demo_store, reviewer, MAIN, "POL", "7.1", "observation", "low", "Good cooperation.", seq)
    assert R.get_report(demo_store, reviewer, MAIN, "POL").seq == seq + 1
    for cycle_id, party in ((MAIN, "POL"), (MAIN, "KEN"), (PILOT, "POL")):
        with pytest.raises((PermissionDenied, NotFound)):
            R.get_report(demo_store, other if party == "POL" and cycle_id == MAIN else reviewer, cycle_id, party)
    with pytest.raises(PermissionDenied):
        R.edit_text(demo_store, other, MAIN, "POL", "7", "successes", "x", seq + 1)
    with pytest.raises(PermissionDenied):
        R.agree_full_report(demo_store, reviewer, MAIN, "POL", True)


def test_the_public_snapshot_holds_only_what_is_published(drafted, demo_store, people, tmp_path):
    from review.analysis.snapshot import open_snapshot, write_snapshot

    sec = people["sec"]
    R.add_item(demo_store, sec, MAIN, "POL", "7.1", "observation", "low", "An observation only the full report shows.",
               drafted.seq)
    write_snapshot(demo_store, sec, tmp_path / "before")
    with open_snapshot(tmp_path / "before") as snap:
        assert R.published_summaries(snap, PUBLIC, "POL") == []
        assert [r for r in followup.recommendation_rows(snap, PUBLIC) if r["party"] == "POL"] == []
        with snap.read() as cur:
            assert cur.execute("SELECT count(*) FROM review_report_item WHERE review_id = ?", [drafted.review_id]).fetchone()[0] == 0
    set_stage(demo_store, MAIN, "POL", "published")
    write_snapshot(demo_store, sec, tmp_path / "after")
    with open_snapshot(tmp_path / "after") as snap:
        [summary] = R.published_summaries(snap, PUBLIC, "POL", "ru")
        assert summary.text == R.get_summary(demo_store, PUBLIC, MAIN, "POL", "ru").text and not summary.full_report_public
        with snap.read() as cur:
            kinds = {r[0] for r in cur.execute("SELECT kind FROM review_report_item WHERE review_id = ?",
                                               [drafted.review_id]).fetchall()}
            texts = cur.execute("SELECT count(*) FROM review_report_text WHERE review_id = ?", [drafted.review_id]).fetchone()[0]
            accounts = cur.execute("SELECT count(*) FROM review_summary WHERE updated_by IS NOT NULL").fetchone()[0]
        assert kinds == {"recommendation"} and texts == 0 and accounts == 0
    R.agree_full_report(demo_store, people["pol_focal"], MAIN, "POL", True)
    write_snapshot(demo_store, sec, tmp_path / "agreed")
    with open_snapshot(tmp_path / "agreed") as snap, snap.read() as cur:
        assert cur.execute("SELECT count(*) FROM review_report_text WHERE review_id = ?", [drafted.review_id]).fetchone()[0] > 0
        assert "observation" in {r[0] for r in cur.execute("SELECT kind FROM review_report_item WHERE review_id = ?",
                                                           [drafted.review_id]).fetchall()}


def test_the_audit_trail_names_report_changes_and_finds_their_party(drafted, demo_store, people):
    from review.audit_trail import Filters, trail

    sec = people["sec"]
    item = R.add_item(demo_store, sec, MAIN, "POL", "7.1", "observation", "low", "Seen on the trail.", drafted.seq)
    lines = trail(demo_store, sec, Filters(party="POL", action="report"), "fr").lines
    labels = {(line.action, line.action_label) for line in lines}
    assert ("report.add_item", "Élément du rapport ajouté") in labels
    assert ("report.draft", "Rapport d'examen de pays rédigé") in labels
    assert any(line.after and "Seen on the trail." in line.after for line in lines if line.action == "report.add_item")
    assert item.id
