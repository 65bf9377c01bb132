"""Likely misspellings of a character's name: a rare capitalised word one or two edits from a frequent name."""

from __future__ import annotations

import re
from collections import Counter

from ..model import Character, Work
from .findings import Finding, Locator, make

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:['’]s)?\b")
_MIN_NAME_COUNT = 5
# Capitalised words one letter from a name that are not names ("June" and "Jane").
_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter god lord "
    "mark will rose hope grace faith joy dawn".split()
)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def name_findings(work: Work, people: list[Character], *, locate: Locator) -> list[Finding]:
    text = work.text
    spans = [(p.start, p.end) for _, p in work.story_paragraphs()]
    words: Counter = Counter()
    places: dict[str, list[int]] = {}
    lower = set()
    for s, e in spans:
        chunk = text[s:e]
        lower.update(w for w in re.findall(r"\b[a-z]+\b", chunk))
        for m in _CAPITALISED.finditer(chunk):
            w = re.sub(r"['’]s$", "", m.group())
            words[w] += 1
            places.setdefault(w, []).append(s + m.start())
    forms: dict[str, str] = {}
    for c in people:
        for n in (c.name, *c.aliases):
            for part in n.split():
                forms.setdefault(part, c.name)
    frequent = [n for n in forms if words[n] >= _MIN_NAME_COUNT]
    out = []
    for w, count in words.items():
        if w.lower() in lower or len(w) < 4 or w in frequent or w.lower() in _NOT_NAMES:
            continue
        for n in frequent:
            limit = 1 if len(n) < 7 else 2
            if count * 5 > words[n] or _distance(w, n, limit) > limit:
                continue
            if w in forms and forms[w] != forms[n] and w in forms[w].split():
                continue  # another character's own name ("Bell" and "Bella" may both be people)
            if w in (n + "s", n + "es") or n in (w + "s", w + "es"):
                continue  # "the Churchills": a family, not a misspelling
            for pos in places[w]:
                sentence = _sentence(text, pos)
                out.append(make("name", pos, pos + len(w), sentence,
                                f"\"{w}\" appears {count}× but \"{n}\" {words[n]}×: a misspelling?",
                                text=text, locate=locate))
            break
    return sorted(out, key=lambda f: f.start)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("! ", 0, pos), text.rfind("? ", 0, pos))
    right_m = re.compile(r"[.!?…](?=\s|$)|\n").search(text, pos)
    return (left + 1 if left >= 0 else 0), (right_m.end() if right_m else len(text))
