"""Likely misspellings of a character's name: a rare capitalised word one edit from a frequent name."""

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


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of two adjacent letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


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
            if count * 5 > words[n] or not _one_edit(w, n):
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
