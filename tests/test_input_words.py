"""The words Streamlit writes under a field being typed in, in the user's language (app/input_words.py;
seen in Chinese in the browser: tests/test_focal_walk_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

import app
from app import input_words

WORDS = "[data-testid='InputInstructions']"


def _rules(css: str) -> list[tuple[str, str]]:
    return re.findall(r"([^{}]+)\{([^}]*)\}", css.removeprefix("<style>").removesuffix("</style>"))


def test_the_instruction_is_ours_in_the_users_language_and_the_counter_stays():
    rules = _rules(input_words.style("zh"))
    hidden = [selector for selector, body in rules if "display: none" in body]
    assert len(hidden) == 1
    # only Streamlit's instruction is hidden: the first of two spans, or a lone one; never a last of two (the counter)
    for selector in re.split(r",\s*(?![^()]*\))", hidden[0]):
        assert WORDS in selector and selector.strip().endswith(("> span:not(:last-child)", "> span:only-child")), selector
    shown = {body.split("content: ", 1)[1].rstrip("; "): selector for selector, body in rules if "content:" in body and WORDS in selector}
    assert set(shown) == {'"按 Enter 键应用"', '"按 Enter 键提交表单"', '"按 Ctrl+Enter 键（Mac 上为 ⌘+Enter）应用"',
                          '"按 Ctrl+Enter 键（Mac 上为 ⌘+Enter）提交表单"'}
    assert all(f"{WORDS}:has(> span)::before" in selector for selector in shown.values())
    assert shown['"按 Enter 键提交表单"'].startswith("[data-testid='stForm'] ")
    assert "stTextArea" in shown['"按 Ctrl+Enter 键（Mac 上为 ⌘+Enter）应用"']
    assert 'font-size: 0;' in input_words.style("zh") and 'content: "没有匹配的选项"; font-size: 0.875rem;' in input_words.style("zh")
    assert "[data-key='__select_all__'] > [data-item-hl]::after {content: \"全选\"" in input_words.style("zh")
    assert "Press" not in input_words.style("ar") and "<script" not in input_words.style("ar")


def test_the_words_are_escaped_for_css(monkeypatch):
    monkeypatch.setattr(input_words, "t", lambda key, lang: 'a "b" \\ c\n')
    assert input_words.style("en").count('content: "a \\"b\\" \\\\ c\\a ";') == 7


def test_no_field_has_a_counter_or_a_limit_of_choices():
    """A counter alone (a field with `max_chars` not yet typed in) would be taken for the instruction: and
    the app sets no `max_chars`, which would cut what is typed (tests/test_nothing_dropped.py). A multiselect
    with `max_selections` says in the empty list's place why no more can be chosen: none has one."""
    root = Path(app.__file__).parent
    assert not [path.name for path in root.rglob("*.py") if re.search(r"max_chars=|max_selections=", path.read_text())]
