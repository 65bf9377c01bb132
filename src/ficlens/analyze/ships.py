"""The pairing(s) a story is about.

AO3 "Relationships" tags say it when present: "Bellamy Blake/Clarke Griffin" is a ship, while
"Bellamy Blake & Clarke Griffin" is a friendship and is left out. Without tags, the ship is inferred
from the text: the pair at the centre of the story's interaction (how often they speak to each other
and share a passage) whose shared passages carry romance cues (kiss, love, lips, heart, blush...).
Names are always `Character.name` values.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import combinations

from ..model import Character, Mention, Quote, Work

VERSION = "2"

ROMANCE = re.compile(
    r"\b(?:kiss\w*|love[sd]?|loving|lover|lips?|heart\w*|hug\w*|embrac\w+|blush\w*|caress\w*|touch\w*|"
    r"cheeks?|tender\w*|darling|sweetheart|desire\w*|longing|flirt\w*|date|dating|married|marry|wedding|"
    r"husband|wife|girlfriend|boyfriend|cuddl\w*|holding hands|held (?:her|him) (?:close|tight\w*))\b",
    re.IGNORECASE,
)
_WINDOW = 2  # paragraphs either side that count as "together"
_MIN_ROMANCE = 2


def infer(work: Work, people: list[Character], quotes: list[Quote], mentions: list[Mention]) -> list[list[str]]:
    tagged = from_tags(work.meta.relationships, people)
    if tagged or work.meta.relationships or (work.meta.categories and set(work.meta.categories) == {"Gen"}):
        return tagged  # the author's tags say what the story is about, "&" and "Gen" (no romance) included
    pair = _central_romance(work, people, quotes, mentions)
    return [pair] if pair else []


def from_tags(relationships: list[str], people: list[Character]) -> list[list[str]]:
    """Romantic relationship tags as pairs of character names; friendships ("&") are not ships."""
    out = []
    for tag in relationships:
        if "/" not in tag or "&" in tag:
            continue
        names = [_match(part, people) for part in tag.split("/")]
        if len(names) >= 2 and all(names) and len(set(names)) == len(names):
            if names not in out:
                out.append(names)
    return out


def _match(part: str, people: list[Character]) -> str | None:
    """The character a tag's name means: the same name, an alias, or the same first name or surname."""
    clean = re.sub(r"\s*\(.*?\)\s*", " ", part).strip()
    for c in people:
        if clean == c.name or clean in c.aliases:
            return c.name
    words = clean.split()
    if not words:
        return None
    for pick in (0, -1):
        hits = [c for c in people if any(n.split()[pick:][:1] == [words[pick]] for n in [c.name, *c.aliases] if n.split())]
        if len(hits) == 1:
            return hits[0].name
    return None


def _central_romance(work: Work, people: list[Character], quotes: list[Quote], mentions: list[Mention]) -> list[str] | None:
    if len(people) < 2:
        return None
    paragraphs = [(p.start, p.end) for _, p in work.story_paragraphs()]
    if not paragraphs:
        return None
    starts = [s for s, _ in paragraphs]
    by_id = {c.id: c.name for c in people}
    present: list[set[str]] = [set() for _ in paragraphs]
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and m.character in by_id:
            present[i].add(by_id[m.character])
    for q in quotes:
        i = bisect_right(starts, q.start) - 1
        if i >= 0:
            present[i].update(n for n in (q.speaker, q.addressee) if n)
    cues = [len(ROMANCE.findall(work.text, s, e)) for s, e in paragraphs]
    together: Counter = Counter()
    romance: Counter = Counter()
    for i in range(len(paragraphs)):
        near = set().union(*present[max(0, i - _WINDOW): i + _WINDOW + 1])
        if len(near) < 2 or len(near) > 6:
            continue
        for a, b in combinations(sorted(near), 2):
            together[(a, b)] += 1
            romance[(a, b)] += cues[i]
    for q in quotes:
        if q.speaker and q.addressee and q.speaker != q.addressee:
            together[tuple(sorted((q.speaker, q.addressee)))] += 2
    if not together:
        return None
    (a, b), _ = max(together.items(), key=lambda kv: (kv[1], romance[kv[0]]))
    if romance[(a, b)] < _MIN_ROMANCE:
        return None
    return [a, b]
