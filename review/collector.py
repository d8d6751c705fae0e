"""Python's cycle collector paused while the library builds many objects at once.

Writing a workbook (XlsxWriter keeps some 40,000 cell objects until the file is closed) and loading
the demo (78,000 answers checked, encoded and written) each create enough objects to start several
full collections, and a full collection walks every object of the process (the cached
questionnaires, the server's sessions): a quarter of a workbook's time, a fifth of the demo's.
Nothing they build holds a reference cycle that must be freed before they end; reference counting
still frees everything at once. Measured in docs/benchmarks.md ("Templates of questionnaire 1.1",
"Demo load").
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_LOCK = threading.Lock()
_STATE = {"inside": 0, "was_enabled": False}


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block. Shared by threads inside at the same time (the server's
    sessions writing workbooks): the last one out turns it back on, if it was on when the first one
    came in."""
    with _LOCK:
        if _STATE["inside"] == 0:
            _STATE["was_enabled"] = gc.isenabled()
            gc.disable()
        _STATE["inside"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["inside"] -= 1
            if _STATE["inside"] == 0 and _STATE["was_enabled"]:
                gc.enable()
