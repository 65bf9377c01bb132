"""Find every quotation in the story (interim version: straight and curly double quotes)."""

from __future__ import annotations

import re

from ..model import Quote, Work

VERSION = "0"

_DOUBLE = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")


def find(work: Work) -> list[Quote]:
    out = []
    for i, p in work.story_paragraphs():
        for m in _DOUBLE.finditer(work.text, p.start, p.end):
            out.append(Quote(start=m.start(1), end=m.end(1), text=m.group(1), paragraph=i))
    return out
