"""The words Streamlit writes under a field being typed in, in the user's language (issue 12).

While a text input, text area, number or time input is being typed in, Streamlit's frontend writes
under it (`data-testid="InputInstructions"`) "Press Enter to apply", "Press Ctrl+Enter to apply" in a
text area ("⌘+Enter" on a Mac), "... to submit form" inside a form, then, for a field with a maximum
length, a counter ("12/1000"). The words are in English whatever the page's language, and never pass
through Python. One style for the whole page (`app.context.page_direction` adds it on every run) hides
Streamlit's instruction and shows ours, from the translation layer, in its place (CSS generated content,
no script), for each kind of field, in a form or not. The counter is numbers, not words: it stays as is.

Which child is which: Streamlit writes the instruction first and the counter last, each in a `span`
of its own, so of two spans the first is the instruction. A lone span is the instruction too: a
counter stands alone only in a field with `max_chars` not yet typed in, and the app sets no
`max_chars` (nothing typed is cut: tests/test_nothing_dropped.py checks both). The page tells
neither the field's limit nor a Mac (no attribute says so), so the text area's words name both keys.

The same style words the line a select box's or multiselect's list shows when nothing matches what was
typed in it ("No results"), and a multiselect's "Select all" (their placeholder, "Choose an option", is
set from Python, `placeholder=`).
"""

from __future__ import annotations

from review.i18n import t

from app.text import css_string

WORDS = "[data-testid='InputInstructions']"
FORM = "[data-testid='stForm'] "
# the fields Enter applies (Streamlit's "single" instructions), and the text area (Ctrl+Enter)
SINGLE = ":is([data-testid='stTextInput'], [data-testid='stNumberInput'], [data-testid='stTimeInput'])"
MULTI = "[data-testid='stTextArea']"
# what a select box's or a multiselect's list says when nothing matches what is typed in it ("No results"; a
# multiselect with `max_selections`, which the app does not use, says there why no more can be chosen)
EMPTY = (":is([data-testid='stSelectboxVirtualDropdown'], [data-testid='stMultiSelectDropdown'])"
         " > [role='listbox'][data-empty='true'] > [role='option'] > span")
# a multiselect's first option, which chooses every option ("Select all"), or every one matching what is typed
# ("Select 3 matches": ours does not repeat the number, which CSS cannot read)
BULK = "[data-testid='stMultiSelectDropdown'] [role='option'][data-key='{}'] > [data-item-hl]"


def style(lang: str) -> str:
    """The <style> that words every field's typing instruction, and an option list's own words, in `lang`."""
    fields = f":is({SINGLE}, {MULTI})"
    rules = [f"{fields} {WORDS} > span:not(:last-child), {fields} {WORDS} > span:only-child {{display: none;}}"]
    # ours at the start of the box, before the counter; in a form, the more specific rule words it for the form
    for field, kind in ((SINGLE, "enter"), (MULTI, "ctrl_enter")):
        for scope, action in (("", "apply"), (FORM, "submit")):
            text = css_string(t(f"ux4.instructions.{kind}_{action}", lang))
            rules.append(f"{scope}{field} {WORDS}:has(> span)::before {{content: {text};}}")
    # the list's own text is hidden by its size, so that the box keeps its height and centring; ours in its size
    rules.append(f"{EMPTY} {{font-size: 0;}}"
                 f"{EMPTY}::after {{content: {css_string(t('ux4.no_match', lang))}; font-size: 0.875rem;}}")
    for key, words in (("__select_all__", "ux4.select_all"), ("__select_matches__", "ux4.select_matches")):
        rules.append(f"{BULK.format(key)} {{font-size: 0;}}"
                     f"{BULK.format(key)}::after {{content: {css_string(t(words, lang))}; font-size: 0.875rem;}}")
    return "<style>" + "".join(rules) + "</style>"
