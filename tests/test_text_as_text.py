"""Party text is shown as text on every page: Markdown, HTML, LaTeX and Streamlit directives that a
user typed (an answer, a legislation title, a comment, a name) are never interpreted.

AppTest gives each element's Markdown source; what the browser would interpret is in that source
unescaped. So the test seeds payloads, opens every page that shows such text for the role that
sees it, and checks that no payload stands unescaped in any Markdown-rendering element, while its
words are on the page (it is shown, as text)."""

from __future__ import annotations

import pytest

from app.text import as_markdown_text, escape
from review import submissions
from review.demo import SECRETARIAT_EMAIL
from tests.test_secretariat_workspace import CYCLE, open_page, store, user

PAYLOADS = {
    "image": "![beacon](https://tracker.example/pixel.png)",
    "link": "[click here](https://phish.example)",
    "directive": ":red[alarm] :material/warning:",
    "html": "<img src=x onerror=alert(1)>",
    "emphasis": "**bold** _it_",
    "latex": "$x^2$",
    "heading": "# Heading",
}
RAW = ["![beacon](", "[click here](", ":red[", "<img", "**bold**", "$x^2$", "# Heading"]
MARKDOWN_ELEMENTS = ("markdown", "caption", "info", "warning", "error", "success", "subheader", "header", "title")


def unescaped(raw: str, source: str) -> bool:
    """Whether `raw` stands in `source` without a backslash before it (so it would be interpreted)."""
    start = source.find(raw)
    while start >= 0:
        if start == 0 or source[start - 1] != "\\":
            return True
        start = source.find(raw, start + 1)
    return False


def rendered_sources(app) -> list[str]:
    out = []
    for kind in MARKDOWN_ELEMENTS:
        out += [str(e.value) for e in getattr(app, kind)]
    out += [e.label for e in app.expander]
    return out


def assert_shown_as_text(app):
    sources = rendered_sources(app)
    joined = "\n".join(sources)
    for raw in RAW:
        assert not unescaped(raw, joined), f"{raw!r} would be interpreted"
    assert "beacon" in joined and "alarm" in joined


@pytest.mark.parametrize("name, payload", sorted(PAYLOADS.items()))
def test_escape_leaves_no_markup_active(name, payload):
    escaped = escape(payload)
    for raw in RAW:
        assert not unescaped(raw, escaped)
    assert as_markdown_text(f"{payload}\n- item\n1. first").count("  \n") == 2


@pytest.fixture
def hostile(app):
    """NZL returned with a hostile comment, then its focal point answers with hostile text and submits."""
    text = " ".join(PAYLOADS.values())
    s = store()
    secretariat = user(SECRETARIAT_EMAIL).actor
    focal = user("nzl.focal").actor
    submissions.return_for_clarification(s, secretariat, CYCLE, "NZL", {"7.1": f"Note: {text}", None: text})
    seq = submissions.get_submission(s, CYCLE, "NZL").seq
    seq = submissions.save_answers(s, focal, CYCLE, "NZL", seq, {
        ("7.1", "examples"): f"Example:\n{text}",
        ("7.1", "legislation"): [{"title": f"Law {PAYLOADS['image']} {PAYLOADS['directive']}", "year": 2020,
                                  "status": "in_force"}],
    }).seq
    submissions.submit(s, focal, CYCLE, "NZL", consent=True, base_seq=seq)
    return app


def test_the_secretariat_review_page_shows_party_answers_as_text(hostile):
    app = open_page(hostile, "app/pages/secretariat_submission.py", SECRETARIAT_EMAIL, review_target=(CYCLE, "NZL"))
    app.selectbox(key="review_chapter").set_value("II").run()
    for expander in app.expander:
        expander.proto.expanded = True
    assert_shown_as_text(app)


def test_the_party_sees_the_secretariats_comments_as_text(hostile):
    s = store()
    submissions.return_for_clarification(s, user(SECRETARIAT_EMAIL).actor, CYCLE, "NZL",
                                         {None: " ".join(PAYLOADS.values())})
    app = open_page(hostile, "app/pages/party_cycle.py", "nzl.focal")
    assert_shown_as_text(app)
