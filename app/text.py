"""Text that users typed, shown as text: never interpreted as Markdown, HTML, LaTeX or directives.

Streamlit interprets Markdown in `st.markdown`, `st.write` of a string, `st.info` and the other
alerts, captions, metric and widget labels: a Party's answer holding `![x](https://...)` became an
image (a tracking beacon in a government's submission), `:red[...]` styled text. Every piece of
user text that reaches such a place goes through `escape` (the app's `tr` does it for every
parameter it fills in), and multi-line text through `as_markdown_text`, which also keeps its
line breaks.
"""

from __future__ import annotations

import re
from typing import Any

# the characters Markdown, Streamlit's directives (`:red[...]`, `:emoji:`), LaTeX (`$`) and HTML (and
# its entities, `&lt;`) use
_SPECIAL = re.compile(r"([\\`*_\[\]{}#<>$|~:!&])")
# Streamlit finds `:material/icon:` in the text after parsing, backslashes or not (checked in
# Chromium, tests/test_text_browser.py): an invisible WORD JOINER (U+2060) after its first colon
# keeps the text as typed on screen and out of the icon's pattern. (Bare `https://...`, `www.` and
# e-mail addresses still become links, found the same way: such a link shows its own address, and
# a joiner inside would break the address a reader copies.)
_ICON = re.compile(r"(?<=:)(?=material/)")
WORD_JOINER = "\u2060"
# what starts a list, a heading, a quote or a rule at the beginning of a line
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def escape(value: Any) -> Any:
    """`value` with every Markdown-active character backslash-escaped (non-text values unchanged)."""
    if not isinstance(value, str):
        return value
    escaped = _ICON.sub(WORD_JOINER, _SPECIAL.sub(r"\\\1", value))
    return _LINE_START.sub(lambda m: m.group(1) + "".join("\\" + ch if not ch.isdigit() else ch for ch in m.group(2)),
                           escaped)


def as_markdown_text(value: str | None) -> str:
    """User text for a Markdown place, escaped, its line breaks kept as line breaks."""
    return "  \n".join(escape(line) for line in (value or "").splitlines()) if value else ""


def css_string(text: str) -> str:
    """`text` as a CSS string literal (for generated content): backslashes, quotes and line ends escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'
