"""Find the characters and every name they go by (interim version)."""

from __future__ import annotations

from dataclasses import replace

from ..model import Character, Mention, Quote, Work

VERSION = "0"


def find(work: Work, quotes: list[Quote], *, cast: list[dict] | None = None) -> tuple[list[Character], list[Mention]]:
    people = [Character(id=f"c{i + 1}", name=c["name"], aliases=list(c.get("aliases", []))) for i, c in enumerate(cast or [])]
    return people, []


def count_quotes(people: list[Character], quotes: list[Quote]) -> list[Character]:
    return [replace(c, quotes=sum(q.speaker == c.name for q in quotes)) for c in people]
