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
    "script": "<script>alert(2)</script>",
    "icon": ":material/warning:",
}
RAW = ["![beacon](", "[click here](", ":red[", "<img", "**bold**", "$x^2$", "# Heading", "<script>", ":material/"]
HOSTILE_NAME = "**Ann** :red[Lee] ![i](https://tracker.example/n.png)"
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
    out += [str(e.value) for e in app.sidebar.caption]
    out += [e.label for kind in ("radio", "checkbox", "text_input", "selectbox", "metric") for e in getattr(app, kind)]
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
    with s.transaction() as cur:  # people type their names too
        cur.execute("UPDATE app_user SET name = ? WHERE email = ?", [HOSTILE_NAME, "nzl.focal@demo.example.org"])
    return app


def _published(app):
    s = store()
    secretariat = user(SECRETARIAT_EMAIL).actor
    submissions.validate(s, secretariat, CYCLE, "NZL")
    submissions.publish(s, secretariat, CYCLE, "NZL")
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


def test_the_partys_questionnaire_shows_comments_as_text(hostile):
    app = open_page(hostile, "app/pages/party_questionnaire.py", "nzl.focal")
    app.selectbox(key="ws_section_pick").set_value(7).run()
    assert not app.exception
    assert_shown_as_text(app)


def test_a_hostile_name_shows_as_text_in_the_sidebar_and_on_my_account(hostile):
    app = open_page(hostile, "app/pages/account.py", "nzl.focal")
    joined = "\n".join(rendered_sources(app))
    for raw in ("**Ann**", ":red[", "![i]("):
        assert not unescaped(raw, joined), raw
    assert "Ann" in joined and "tracker" in joined


def test_published_answers_show_as_text_to_the_public(hostile):
    app = open_page(_published(hostile), "app/pages/published_answers.py")
    app.selectbox(key="published_party").set_value("NZL").run()
    app.selectbox(key="published_chapter").set_value("II").run()
    assert not app.exception
    assert_shown_as_text(app)


@pytest.mark.parametrize("page", ["app/pages/legislation_library.py", "app/pages/country_profile.py"])
def test_published_legislation_titles_are_table_text_never_markdown(hostile, page):
    """Tables show cells as text; the titles stay out of every Markdown element."""
    app = open_page(_published(hostile), page)
    if page.endswith("country_profile.py"):
        app.selectbox(key="profile_party").set_value("NZL").run()
    joined = "\n".join(rendered_sources(app))
    assert not unescaped("![beacon](", joined) and not unescaped(":red[", joined)
    cells = "\n".join(str(v) for frame in app.dataframe for v in frame.value.astype(str).values.ravel())
    if page.endswith("legislation_library.py"):
        assert "Law ![beacon](" in cells  # shown, as typed, in a plain text column


def test_each_problem_of_a_refusal_shows_on_its_own_line(app):
    """A refusal lists its problems one a line: Markdown runs single line breaks together."""
    app = open_page(app, "app/pages/secretariat_cycles.py", SECRETARIAT_EMAIL)
    app.text_input(key="cycle_id").input("Bad Id! **x**")
    app.button(key="create_cycle").click().run()
    message = app.error[0].value
    assert message.count("  \n") >= 2 and not unescaped("**x**", message)


@pytest.fixture
def hostile_ta(app):
    """An offer whose description, and a request whose description, hold every payload."""
    from review.matching.registry import OfferInput, RequestInput, file_request, register_offer

    text = " ".join(PAYLOADS.values())
    s = store()
    unodc = user("unodc.provider").actor
    register_offer(s, unodc, OfferInput(provider=unodc.provider, provider_kind="organization", role="implementing",
                                        types=["capacity_building"], capacity=2, languages=["en"], description=text))
    file_request(s, user("ken.focal").actor, RequestInput("KEN", "capacity_building", "high", text, chapter="II",
                                                            languages=["en"]))
    return app


@pytest.mark.parametrize("page, who", [("app/pages/ta_provider.py", "unodc.provider"),
                                       ("app/pages/ta_matching.py", SECRETARIAT_EMAIL),
                                       ("app/pages/ta_party.py", "ken.focal")])
def test_offers_and_requests_show_as_text_on_the_matching_pages(hostile_ta, page, who):
    app = open_page(hostile_ta, page, who)
    joined = "\n".join(rendered_sources(app))
    for raw in RAW:
        assert not unescaped(raw, joined), raw
    cells = "\n".join(str(v) for frame in app.dataframe for v in frame.value.astype(str).values.ravel())
    if not page.endswith("ta_party.py"):  # the Party's page lists its needs by type, not their texts
        assert PAYLOADS["image"] in cells  # shown, as typed, in a plain text column
