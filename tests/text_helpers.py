"""What a user reads of an element's Markdown source: the app escapes the values it shows
(`app.text.escape`), and the browser drops the backslashes."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([\\`*_\[\]{}#<>$|~:!.+=()&-])")


def shown(markdown_source: str) -> str:
    return _ESCAPED.sub(r"\1", markdown_source).replace("\u2060", "")  # and the joiner in `:material/`


def shows_login(app) -> bool:
    """The login form is on screen, and no refusal (what anyone not logged in gets on a page that
    needs a login, in the page's place)."""
    return any(w.key == "login_email" for w in app.text_input) and not app.error
