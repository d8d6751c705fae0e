"""File uploaders that speak the user's language (issue 12).

Streamlit writes the uploader's button ("Upload"), its limit ("20MB per file • XLSX") and, while a file
is dragged over it, "Drag and drop a file here" in English in its frontend, with no setting to change them. Each uploader here comes with a style scoped to its
own element (`.st-key-<key>`, the class Streamlit gives a keyed widget's container) and to the
uploader's stable test ids: the built-in words are hidden and ours, from the translation layer, are
shown in their place (CSS generated content, so no script runs). The limit is the widget's own.

A file the frontend refuses (too large, of another type, one too many, or an upload that failed) never
reaches Python: Streamlit marks its chip in error and gives the reason in English twice, in a line only
screen readers read (`role=alert` in the chip) and in a tooltip while the pointer is on the chip. Ours
takes their place: one message true for each of those refusals, under the chip (the file's name stays),
read out in place of Streamlit's, and the English tooltip is not shown.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from app.context import tr_plain
from app.text import css_string as _css_string

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def style(key: str, max_mb: int, types: list[str]) -> str:
    """The <style> that words the uploader with this key in the user's language."""
    if not _KEY.match(key):
        raise ValueError(f"an uploader key must be letters, digits, _ or -: {key!r}")
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    button = _css_string(tr_plain("ux2.upload.button"))
    drop = _css_string(tr_plain("ux2.upload.drop"))
    kinds = ", ".join(t.upper() for t in types)
    limit = _css_string(tr_plain("ux2.upload.limit", size=max_mb, types=kinds))
    refused = _css_string(tr_plain("ux3.upload.refused", size=max_mb, types=kinds))
    chips = f".st-key-{key} [data-testid='stFileChips']"
    return (f"<style>"
            f"{scope} button [data-testid='stMarkdownContainer'] p {{display: none;}}"
            f"{scope} button [data-testid='stMarkdownContainer']::after {{content: {button};}}"
            f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{display: none;}}"
            # while a file is dragged over it: "Drag and drop a file here", in the box after the input (once a
            # file is in, the box after the input holds its chip instead: no span of its own)
            f"{scope} > input + div > span {{display: none;}}"
            f"{scope} > input + div:has(> span)::after {{content: {drop};}}"
            # the limit as Streamlit sets it: smaller and fainter than the text around it
            f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] > div::after "
            f"{{content: {limit}; font-size: 0.875rem; opacity: 0.7;}}"
            # a refused file: our reason under its chip (on a line of its own), in the error's colour
            f"{chips}:has([data-testid='stFileChipIconError'])::after "
            f"{{content: {refused}; flex-basis: 100%; font-size: 0.875rem; color: rgb(255, 75, 75);}}"
            # ... and for screen readers, in the chip's alert ("Error: text/plain files are not allowed.")
            f"{chips} [data-testid='stFileChip'] > [role='alert'] {{visibility: hidden;}}"
            f"{chips} [data-testid='stFileChip'] > [role='alert']::after {{content: {refused}; visibility: visible;}}"
            # Streamlit's tooltip with the English reason opens at the page's end, outside the uploader: not
            # shown while this uploader holds a refused file, unless the pointer is on another widget's error
            f"body:has({chips} [data-testid='stFileChipIconError'])"
            f":not(:has([data-testid='stTooltipErrorHoverTarget']:hover:not(.st-key-{key} *))) "
            f"[role='tooltip']:has(> [data-testid='stTooltipErrorContent']) {{display: none;}}"
            f"</style>")


def file_uploader(label: str, *, types: list[str], key: str, max_mb: int, container: Any = None, **options: Any):
    """`st.file_uploader` for files of `types` up to `max_mb` MB, its built-in words in the user's language."""
    where = container or st
    where.html(style(key, max_mb, types))
    return where.file_uploader(label, type=types, key=key, max_upload_size=max_mb, **options)
