"""The built-in example library: short original fics, one per format ficlens reads.

They are written for this project (no copied fics), double as test fixtures, and
`expected.json` beside them is their answer key. `scripts/make_examples.py` holds the stories and
writes every file here, the AO3 and FanFicFare layouts included.
"""

from __future__ import annotations

import json
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_STORY_SUFFIXES = {".txt", ".html", ".epub"}


def paths() -> list[str]:
    """Paths of the example fics, sorted by name."""
    return [str(p) for p in sorted(_HERE.iterdir()) if p.suffix in _STORY_SUFFIXES]


def expected() -> dict:
    """The answer key: per file name, what a reader and the analysis should find."""
    return json.loads((_HERE / "expected.json").read_text(encoding="utf-8"))
