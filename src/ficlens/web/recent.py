"""The few works pages were built from lately, so the chunks a page fetches as the reader scrolls
need not read a long work from the library again.

Entries are keyed by the work's key and the time it was indexed, which the page passes along:
a work re-indexed since the page was built is a miss, never a stale answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..model import Analysis

SIZE = 8

_entries: OrderedDict[tuple[str, str], Analysis] = OrderedDict()
_lock = threading.Lock()


def remember(key: str, indexed_at: str, analysis: Analysis) -> None:
    with _lock:
        _entries[(key, indexed_at)] = analysis
        _entries.move_to_end((key, indexed_at))
        while len(_entries) > SIZE:
            _entries.popitem(last=False)


def recall(key: str, indexed_at: str) -> Analysis | None:
    with _lock:
        found = _entries.get((key, indexed_at))
        if found is not None:
            _entries.move_to_end((key, indexed_at))
        return found
