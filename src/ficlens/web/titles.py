"""What a work is called on a page."""

from __future__ import annotations

import os


def display_title(title: str | None, source: str) -> str:
    """A work's title, else its file name: many plain-text fics carry no title the reader can find."""
    return title or os.path.basename(source) or "Untitled"
