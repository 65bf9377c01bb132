"""The pairing(s) a story is about (interim version)."""

from __future__ import annotations

from ..model import Character, Mention, Quote, Work

VERSION = "0"


def infer(work: Work, people: list[Character], quotes: list[Quote], mentions: list[Mention]) -> list[list[str]]:
    return [sorted(r.split("/"))[:2] for r in work.meta.relationships if "/" in r]
