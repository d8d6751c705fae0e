"""In a real browser (issue 12): nothing is fetched from outside this machine while the pages load;
a focal point's walk: an over-long text is refused on save and stays on screen whole, is fixed and
saved, survives a reload; logging out shows the login, and logging in again brings the page back;
and an incomplete TA need typed into the grid (a description without its type and priority) is
refused naming its row and column and stays on screen, across a reload too; its type and priority
are then chosen in the grid, the section saved, and the completed row is there after a reload. (The
grid is a canvas: cells are reached by their place in it, and read back from its accessible table; a
choice is made in the cell's editor by typing the start of its label and Enter, as a user can.)
And a date typed by keyboard, not picked, takes; a file the uploader refuses is refused in Chinese."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from review import formats
from review.demo import DEMO_PASSWORD
from tests.browser_app import choose, click, go, log_in, page, served, see, wait_idle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
FOCAL = "ken.focal@demo.example.org"
LOCAL = {"127.0.0.1", "localhost"}


def test_no_request_leaves_the_machine_while_pages_load(page):
    url, tab = page
    outside: list[str] = []

    def watch(request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL:
            outside.append(request.url)

    tab.on("request", watch)
    tab.goto(url)
    wait_idle(tab)
    links = tab.locator("[data-testid='stSidebarNav'] a")
    for i in range(links.count()):
        links.nth(i).click()
        wait_idle(tab)
    log_in(tab, FOCAL, DEMO_PASSWORD)
    for title in ("My cycle", "Questionnaire", "History", "Our TA needs and offers"):
        go(tab, title)
    tab.wait_for_timeout(1000)
    assert not outside, outside


def section_seven(tab) -> None:
    go(tab, "Questionnaire")
    box = tab.locator("[data-testid='stSelectbox']").filter(has_text="Section")
    box.click()
    tab.get_by_role("option", name=re.compile(r"Art\. 7 ")).first.click()
    click(tab, "Open section")
    see(tab, "Article 7:")


# where the columns of the "Technical assistance needed" grid are (type, priority, description), as a
# share of its width, and the middle of its first row below the header (pixels)
TYPE, PRIORITY, DESCRIPTION, FIRST_ROW = 0.2, 0.5, 0.82, 36 + 17


def ta_needs(tab):
    """The first provision's "Technical assistance needed" grid, in view."""
    wait_idle(tab)
    grid = tab.locator("[data-testid='stDataFrame']").nth(2)
    grid.wait_for(timeout=60_000)
    tab.wait_for_timeout(500)  # a rerun may still swap the element for a new one
    grid.scroll_into_view_if_needed()
    return grid


def cells(grid) -> set[str]:
    """The grid's filled cells as its accessible table gives them (a choice by its code), lower case."""
    return {c.strip().lower().replace("_", " ") for c in grid.locator("[role='gridcell']").all_inner_texts() if c.strip()}


def type_in(tab, grid, column: float, text: str) -> None:
    """Type `text` into a cell of the grid's first row, as a user does: select it, Enter, type, Enter."""
    box = grid.bounding_box()
    tab.mouse.click(box["x"] + box["width"] * column, box["y"] + FIRST_ROW)
    tab.wait_for_timeout(300)
    tab.keyboard.press("Enter")
    tab.wait_for_timeout(300)
    tab.keyboard.type(text)
    tab.wait_for_timeout(300)
    tab.keyboard.press("Enter")
    tab.wait_for_timeout(300)


def test_a_focal_point_types_too_much_is_refused_fixes_reloads_logs_out_and_in(page):
    url, tab = page
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, FOCAL, DEMO_PASSWORD)
    section_seven(tab)
    examples = tab.get_by_label(re.compile("^Examples of implementation")).first
    examples.fill("x" * 9000)
    click(tab, "Save section")
    see(tab, "Nothing was saved")
    see(tab, "the text is 9000 characters long")
    assert len(examples.input_value()) == 9000, "the long text is still on screen, whole"

    examples.fill("Courts applied the Act in 2023.")
    click(tab, "Save section")
    see(tab, "Saved: 1 answer(s) changed")
    tab.reload()
    wait_idle(tab)
    tab.get_by_text("Log out").wait_for(timeout=30_000)
    see(tab, "Article 7:")
    expect(tab.get_by_label(re.compile("^Examples of implementation")).first).to_have_value(
        "Courts applied the Act in 2023.", timeout=30_000)

    click(tab, "Log out")
    tab.get_by_label("E-mail").wait_for(timeout=30_000)
    tab.get_by_label("E-mail").fill(FOCAL)
    tab.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    click(tab, "Log in")
    see(tab, "Article 7:")
    assert tab.get_by_text("Log out").count() == 1


def test_an_incomplete_ta_need_typed_in_the_grid_is_refused_and_kept(page):
    """Run after the walk above (same database): a description typed without its type and priority
    is refused naming the row and the column, stays in the grid, and is still there after a reload
    (kept as the user's draft). Completing such a row and saving it: tests/test_nothing_dropped.py."""
    url, tab = page
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, FOCAL, DEMO_PASSWORD)
    section_seven(tab)
    grid = ta_needs(tab)
    grid.hover()
    grid.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]").get_by_role("button", name="Add row").click()
    tab.wait_for_timeout(500)
    type_in(tab, grid, DESCRIPTION, "Training for prosecutors")
    click(tab, "Save section")
    see(tab, "Nothing was saved")
    see(tab, "Technical assistance needed — row 1 — Type of assistance")
    assert "training for prosecutors" in cells(ta_needs(tab)), "the incomplete row is still on screen"
    tab.reload()
    wait_idle(tab)
    tab.get_by_text("Log out").wait_for(timeout=30_000)
    see(tab, "Article 7:")
    assert "training for prosecutors" in cells(ta_needs(tab)), "kept as a draft across a reload"

    # complete the row: a choice is typed into the cell's editor (the start of its label, then Enter)
    type_in(tab, ta_needs(tab), TYPE, "Legal")
    type_in(tab, ta_needs(tab), PRIORITY, "High")
    click(tab, "Save section")
    see(tab, "Saved:")
    tab.reload()
    wait_idle(tab)
    tab.get_by_text("Log out").wait_for(timeout=30_000)
    see(tab, "Article 7:")
    assert {"legal advice", "high", "training for prosecutors"} <= cells(ta_needs(tab)), "the completed row was saved"


def test_a_typed_date_takes_and_the_uploader_reads_in_chinese(page):
    """A day typed (not picked) more than ten years ahead, Streamlit's default range, is taken on submit:
    it was refused in English in the field and the page said the deadline was missing. And on a Chinese
    page the file uploader shows none of the English words Streamlit writes in it, but ours, also when
    its frontend refuses a file."""
    url, tab = page
    tab.goto(url)
    wait_idle(tab)
    log_in(tab, "secretariat@demo.example.org", DEMO_PASSWORD)
    go(tab, "Cycles")
    field = tab.locator("[data-testid='stDateInput']").filter(has_text="New deadline")
    field.locator("[data-type='year']").click()
    tab.keyboard.type("2040-03-15")
    click(tab, "Extend the deadline")
    see(tab, f"is now {formats.date(dt.date(2040, 3, 15), 'en')}")  # the day typed, written as English writes it

    choose(tab, "Language", "中文")
    see(tab, "延长")
    # a field being typed in: Streamlit's "Press Enter to submit form" gives way to ours (app/input_words.py)
    field = tab.locator(".st-key-cycle_title")
    field.locator("input").press_sequentially("第三周期")
    words = field.locator("[data-testid='InputInstructions']")
    words.locator("span", has_text="Press Enter").wait_for(state="attached")
    assert words.evaluate("e => getComputedStyle(e, '::before').content") == '"按 Enter 键提交表单"'
    assert words.inner_text() == "", "Streamlit's own words are not shown"
    # a counter, which Streamlit writes after them for a field with `max_chars` (none in the app), still shows
    assert words.evaluate("e => { const c = document.createElement('span'); c.textContent = '4/100'; e.append(c);"
                          " const shown = e.innerText; c.remove(); return shown; }") == "4/100"
    # a select box's list with nothing matching what is typed: ours in place of Streamlit's "No results"
    tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").click()
    tab.keyboard.type("zzzq")
    empty = tab.locator("[data-testid='stSelectboxVirtualDropdown'] [role='listbox'][data-empty='true'] span")
    empty.wait_for()
    assert empty.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]") == ["0px", '"没有匹配的选项"']
    tab.keyboard.press("Escape")
    dropzone = tab.locator(".st-key-treaty_status_upload [data-testid='stFileUploaderDropzone']")
    shown = dropzone.inner_text()
    assert not [w for w in ("Upload", "per file", "Drag and drop", "Browse files", "Limit", "MB per") if w in shown], shown
    after = "(e, sel) => getComputedStyle(e.querySelector(sel), '::after').content"
    assert "选择文件" in dropzone.evaluate(after, "button [data-testid='stMarkdownContainer']")
    assert "每个文件不超过 1 MB · CSV" in dropzone.evaluate(after, "[data-testid='stFileUploaderDropzoneInstructions'] > div")
    # a file dragged over it: Streamlit's "Drag and drop a file here" gives way to ours
    dragged = tab.evaluate_handle("() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'status.csv')); return d; }")
    dropzone.dispatch_event("dragenter", {"dataTransfer": dragged})
    expect(dropzone.locator(":scope > input + div")).to_be_attached()
    assert "Drag and drop" not in dropzone.inner_text()
    assert "将文件拖放到此处" in dropzone.evaluate(after, ":scope > input + div")

    # files the frontend refuses, of another type and too large: our reason in place of Streamlit's English,
    # under the chip (its name kept), read out, and no English tooltip on the chip
    uploader = tab.locator(".st-key-treaty_status_upload")
    refused = "文件未被接受：请选择一个不超过 1 MB 的文件（CSV），然后重试。"
    for name, mime, size, theirs in (("status.txt", "text/plain", 12, "files are not allowed"),
                                     ("status.csv", "text/csv", 2 * 1024 * 1024, "or smaller")):
        uploader.locator("input[type='file']").set_input_files({"name": name, "mimeType": mime, "buffer": b"x" * size})
        chip = uploader.locator("[data-testid='stFileChip']").filter(has_text=name)
        expect(chip.locator("[data-testid='stFileChipIconError']")).to_be_visible()
        expect(chip.locator("[data-testid='stFileChipName']")).to_have_text(name)
        chip.hover()
        tab.locator("[data-testid='stTooltipErrorContent']", has_text=theirs).wait_for(state="attached")
        shown = tab.locator("body").inner_text()
        assert not [w for w in ("files are not allowed", "or smaller", "Please try again", "Error:") if w in shown], shown
        assert refused in uploader.aria_snapshot()
        assert uploader.locator("[data-testid='stFileChips']").evaluate(
            "e => [getComputedStyle(e, '::after').content, getComputedStyle(e, '::after').display]") == [f'"{refused}"', "block"]
    assert dropzone.evaluate(after, ":scope > input + div") == "none"  # "Drop the file here" only while dragging
