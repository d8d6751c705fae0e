"""File uploaders that speak the user's language (issue 12).

Streamlit writes the uploader's button ("Upload"), its limit ("20MB per file • XLSX") and, while a file
is dragged over it, "Drag and drop a file here" in English in its frontend, with no setting to change them. Each uploader here comes with a style scoped to its
own element (`.st-key-<key>`, the class Streamlit gives a keyed widget's container) and to the
uploader's stable test ids: the built-in words are hidden and ours, from the translation layer, are
shown in their place (CSS generated content, so no script runs). The limit is the widget's own.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from app.context import tr_plain

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _css_string(text: str) -> str:
    """`text` as a CSS string literal: backslashes, quotes and line ends escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def style(key: str, max_mb: int, types: list[str]) -> str:
    """The <style> that words the uploader with this key in the user's language."""
    if not _KEY.match(key):
        raise ValueError(f"an uploader key must be letters, digits, _ or -: {key!r}")
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    button = _css_string(tr_plain("ux2.upload.button"))
    drop = _css_string(tr_plain("ux2.upload.drop"))
    limit = _css_string(tr_plain("ux2.upload.limit", size=max_mb, types=", ".join(t.upper() for t in types)))
    return (f"<style>"
            f"{scope} button [data-testid='stMarkdownContainer'] p {{display: none;}}"
            f"{scope} button [data-testid='stMarkdownContainer']::after {{content: {button};}}"
            f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{display: none;}}"
            # while a file is dragged over it: "Drag and drop a file here", in the box after the input
            f"{scope} > input + div > span {{display: none;}}"
            f"{scope} > input + div::after {{content: {drop};}}"
            # the limit as Streamlit sets it: smaller and fainter than the text around it
            f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] > div::after "
            f"{{content: {limit}; font-size: 0.875rem; opacity: 0.7;}}"
            f"</style>")


def file_uploader(label: str, *, types: list[str], key: str, max_mb: int, container: Any = None, **options: Any):
    """`st.file_uploader` for files of `types` up to `max_mb` MB, its built-in words in the user's language."""
    where = container or st
    where.html(style(key, max_mb, types))
    return where.file_uploader(label, type=types, key=key, max_upload_size=max_mb, **options)
