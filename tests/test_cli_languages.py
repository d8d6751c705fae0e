"""`review --lang X` speaks X in every command that prints labels (issue 13): run in Chinese, Russian
and Arabic, the output holds no Latin-script word that is neither in that language's own messages
(which name `review init`, Excel, CSV...) nor data (paths, cycle ids and titles, Party codes)."""

from __future__ import annotations

import re
import shutil

import pytest

from review.cli import main
from review.i18n import messages
from review.questionnaire import catalogue
from review.questionnaire.loader import QUESTIONNAIRES_DIR
from review.store import open_store

WORD = re.compile(r"\b[A-Za-z]{2,}\b")
SCRIPTS = ["zh", "ru", "ar"]


def _words(text: str) -> set[str]:
    return set(WORD.findall(text))


def _data_words(db, tmp_path) -> set[str]:
    """What the commands print as data rather than labels."""
    store = open_store(db, create=False)
    try:
        with store.read() as cur:
            rows = cur.execute("SELECT id, title FROM cycle").fetchall() + cur.execute("SELECT code, code FROM party").fetchall()
    finally:
        store.close()
    words = _words(str(tmp_path)) | _words(str(QUESTIONNAIRES_DIR))
    for row in rows:
        words |= _words(" ".join(row))
    for q in catalogue().values():
        words |= _words(f"{q.id} {q.version} {q.fingerprint}")
    # the files the tests name
    words |= {"fresh", "ken", "gap", "snap", "offers", "status", "backup", "restored", "new", "nope", "report", "pdf", "PDF"}
    return words | {"xlsx", "csv", "zip", "json", "duckdb", "yaml", "Offers"}


def _english_in(out: str, lang: str, allowed: set[str]) -> set[str]:
    return _words(out) - allowed - _words(" ".join(messages(lang).values()))


def _run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("lang", SCRIPTS)
def test_every_command_that_prints_labels_speaks_the_language(demo_db, tmp_path, capsys, lang):
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    allowed = _data_words(db, tmp_path)
    fresh = tmp_path / "fresh.duckdb"
    status = tmp_path / "status.csv"
    status.write_text("Participant,Signature,\"Acceptance(A), Ratification, Approval(AA), Accession(a)\"\n"
                      "Kenya,25 Oct 2025,12 Mar 2026\n", encoding="utf-8")
    commands = [
        ("--db", fresh, "init"),
        ("questionnaire", "validate", QUESTIONNAIRES_DIR / "uncc-self-assessment" / "1.0.yaml"),
        ("questionnaire", "summary"),
        ("--db", db, "status"),
        ("--db", db, "template", "--party", "KEN", "--cycle", "review-2026", "--out", tmp_path / "ken.xlsx"),
        ("--db", db, "import", tmp_path / "ken.xlsx"),
        ("--db", db, "import", status),  # refused: the errors speak the language too
        ("--db", db, "gap", "--by", "chapter", "--out", tmp_path / "gap.csv"),
        ("--db", db, "publish-snapshot", tmp_path / "snap"),
        ("--db", db, "offers", "template", "--out", tmp_path / "offers.xlsx"),
        ("--db", db, "offers", "import", tmp_path / "offers.xlsx"),  # empty: refused
        ("--db", db, "parties", "import", status),
        ("--db", db, "parties", "list", "--on", "2026-04-01"),
        ("--db", db, "backup", tmp_path / "backup"),
        ("--db", tmp_path / "restored.duckdb", "restore", tmp_path / "backup"),
        ("--db", db, "status", "--cycle", "nope"),
        ("--db", db, "audit", "--action", "submission.submit", "--party", "KEN"),
        ("--db", db, "review-status"),
        ("--db", db, "review-lots", "--cycle", "review-2026", "--list"),
        ("--db", db, "review-report", "--party", "KEN", "--cycle", "review-2026", "--format", "pdf",
         "--out", tmp_path / "report.pdf"),
    ]
    leaks = {}
    for command in commands:
        code, out = _run(capsys, "--lang", lang, *command)
        assert out.strip(), command
        english = _english_in(out, lang, allowed)
        if english:
            leaks[" ".join(map(str, command[2:] if command[0] == "--db" else command))] = (sorted(english), out[:600])
    assert not leaks, leaks
    # the check finds English when there is some
    _, out = _run(capsys, "--lang", "en", "--db", db, "status")
    assert {"Draft", "LATE"} <= _english_in(out, lang, allowed)


def test_demo_and_match_speak_the_language(demo_db, tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    allowed = _data_words(db, tmp_path)
    for command in [("--db", tmp_path / "new.duckdb", "demo"),
                    ("--db", db, "match", "--out", tmp_path / "m.json")]:
        code, out = _run(capsys, "--lang", "ar", *command)
        assert code == 0 and not _english_in(out, "ar", allowed), (command, out)


def test_status_figures_follow_the_language(demo_db, tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    _, zh = _run(capsys, "--lang", "zh", "--db", db, "status")
    _, fr = _run(capsys, "--lang", "fr", "--db", db, "status")
    _, en = _run(capsys, "--lang", "en", "--db", db, "status")
    assert "年" in zh.splitlines()[0] and "逾期" in zh
    assert "\u00a0%" in fr and "EN RETARD" in fr and "LATE" not in fr
    assert re.search(r"\d%", en) and "LATE" in en
