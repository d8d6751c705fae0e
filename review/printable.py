"""Text as a printed document (a PDF or Word report) can hold it, with nothing a Party typed gone.

XML 1.0, inside every Word file, carries no control character but tab and line breaks (python-docx
refuses the whole document over one), and fpdf2 silently leaves them out of a PDF, so a lone carriage
return ran two words together. A vertical tab (Word's own manual line break, pasted into a workbook
cell) and a carriage return are line breaks; any other control character shows, visible in print
instead of dropped: in Word as its Unicode control picture (U+2400 + its code), in a PDF, whose fonts
have no such pictures, written out as `\\u0001` (as the command line shows it).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")


def visible(text: str) -> str:
    """`text` with a vertical tab as a line break and any other control character (but tab, line feed
    and carriage return, which XML keeps) as its control picture: what a Word run can hold."""
    return _CONTROL.sub(lambda m: "\n" if m[0] == "\x0b" else chr(0x2400 + ord(m[0])), text)


# What a terminal or a PDF would act on or drop rather than show: C0 controls but tab and line feed,
# DEL and the C1 controls. Written out as text (`\\u001b` for ESC), which also keeps JSON valid.
_ACTED_ON = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def written_out(text: str) -> str:
    """`text` with every such control character written as its code (ESC as `\\u001b`): the command
    line's output (`review.cli.terminal_text`) and a PDF's paragraphs share this one rule."""
    return _ACTED_ON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def printed(text: str) -> str:
    """`text` as a PDF paragraph prints it: every line end (a vertical tab, Windows' CR LF, a lone CR)
    one line feed, and any other control character written out (`written_out`)."""
    return written_out(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n"))
