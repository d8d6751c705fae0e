"""Every bound on what a user gives the platform, in one place.

A hostile upload, or a hostile answer typed online, costs at most what these allow; each is
checked where the data comes in, before anything is written, and refused with a message that
names the file, sheet, cell or field (nothing is cut short to fit). docs/security.md ("Uploads")
states what each bound costs at most and where it is enforced; a test keeps the two in step.

Changing a bound: change it here, run tests/test_limits.py, and update docs/security.md.
"""

from __future__ import annotations

MB = 1024 * 1024

# --- files (questionnaire workbooks, offers workbooks, anything uploaded later) -------------------
UPLOAD_BYTES = 20 * MB
"""A file as uploaded or read from disk (the Streamlit server's `maxUploadSize` is the same 20 MB).
Only regular files are read, never more than this many bytes."""

UNZIPPED_BYTES = 100 * MB
"""All parts of an .xlsx together, once inflated, as its zip directory declares them."""

UNZIPPED_RATIO = 100
"""Inflated size over packed size: a real workbook deflates 5 to 15 times."""

SHEET_CELLS = 2_600_000
"""Rows x columns a worksheet spans (up to its furthest cell): 99,999 rows of columns A to Z. The
reader (calamine) allocates a cell for each: two cells at A1 and XFD1048576 in a 5 KB file asked
for 512 GB and aborted the process. A questionnaire sheet spans about 12,000 (1,057 rows x 11)."""

# --- answers (online form and workbook import alike: `questionnaire.values.check_value`) ----------
TEXT_CHARS = 500
"""A short text or link answer, unless its question sets `max_length`."""

LONG_TEXT_CHARS = 8000
"""A long text answer, unless its question sets `max_length`."""

TEXT_CHARS_CEILING = 100_000
"""The largest `max_length` a questionnaire definition may set (its schema's bound)."""

TABLE_ROWS = 200
"""Rows a table answer may have, unless its question sets `max_rows`."""

TABLE_ROWS_CEILING = 1000
"""The largest `max_rows` a questionnaire definition may set, and the largest row count the
workbook's metadata may give a table."""

EXCEL_CELL_CHARS = 32767
"""What one Excel cell holds: a workbook whose answer is longer is not made (it would be cut)."""

# --- TA offers --------------------------------------------------------------------------------
OFFERS_PER_FILE = 500
"""Offers one offers workbook may register."""

OFFER_NAME_CHARS = 200
"""An offer's provider name."""

OFFER_TEXT_CHARS = 2000
"""An offer's or a request's description."""

# --- batch import ---------------------------------------------------------------------------------
IMPORT_GROUP_FILES = 32
"""Workbooks written together in one transaction by a batch import."""

IMPORT_GROUP_BYTES = 64 * MB
"""Bytes of workbooks a batch import holds in memory at once."""

ZIP_DIRECTORY_BYTES = 1 * MB
"""The zip directory of an upload (about 80 bytes a part; a workbook has a few dozen parts). A
16 MB zip of 200,000 empty parts took 1.5 s and 100 MB just to list."""

# --- peer review (review/peer/reviews.py) --------------------------------------------------------
DESK_MESSAGE_CHARS = 8000
"""A reviewer's comment or question, or the reviewed Party's answer, in a desk review thread."""

DIALOGUE_TEXT_CHARS = 8000
"""The place, the participants or the notes of a review's constructive dialogue."""
# --- country review reports and follow-up (review.peer.report, review.peer.followup) --------------
REPORT_TEXT_CHARS = 50_000
"""One text of a country review report (the introduction, or one section of one article)."""

REPORT_ITEM_CHARS = 4000
"""One observation or recommendation of a country review report."""

REPORT_SUMMARY_CHARS = 60_000
"""An executive summary in one language (a few pages)."""

FOLLOWUP_EVIDENCE_CHARS = 8000
"""The evidence a Party gives for the status of one earlier recommendation."""
