"""Lines of dialogue as whole units, for reuse too short for n-grams ("May we meet again").

A line is the words of a quotation, or of one sentence of it, normalised like every other word
(tokens.py) with the names at its ends dropped, so "May we meet again, Clarke Griffin?" and "May
we meet again." are the same line. A quotation broken by a speech tag ("I bear it," she says, "so
they don't have to.") is joined back into one. Lines too short to mean anything ("I know.") are
left out by a minimum length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .tokens import Words, normalise

_QUOTE = re.compile(r"[\"“”]([^\"“”\n]+)[\"“”]")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


@dataclass(frozen=True)
class Line:
    key: str  # normalised words, names as "@"
    start: int  # offsets of the spoken words in the text
    end: int
    people: tuple[str, ...]  # names in the same paragraph (and the speaker when known), casefolded


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quoted words; a quotation ending in a comma and resumed in lower case after a tag is joined."""
    spans = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text)]
    joined: list[tuple[int, int]] = []
    for s, e in spans:
        if joined:
            ps, pe = joined[-1]
            between = text[pe:s]
            if (
                text[ps:pe].rstrip().endswith(",")
                and "\n" not in between
                and len(between.split()) <= 8
                and text[s:e].lstrip()[:1].islower()
            ):
                joined[-1] = (ps, e)
                continue
        joined.append((s, e))
    return joined


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _person(text: str, words: Words, i: int) -> str:
    name = text[words.starts[i] : words.ends[i]]
    return _POSSESSIVE.sub("", name).casefold()


def _key(words: Words, lo: int, hi: int, norms: list[str]) -> str:
    while lo < hi and words.names[lo]:
        lo += 1
    while hi > lo and words.names[hi - 1]:
        hi -= 1
    return " ".join("@" if words.names[i] else norms[i] for i in range(lo, hi))


def find(
    text: str,
    words: Words,
    *,
    min_words: int,
    min_chars: int,
    speakers: list[tuple[int, int, str]] = (),
) -> list[Line]:
    """Every quoted line (and every sentence of a longer one) long enough to count, outside masked text."""
    norms = [normalise(text[s:e]) for s, e in zip(words.starts.tolist(), words.ends.tolist())]
    out: list[Line] = []
    for qs, qe in _quotations(text):
        units = [(qs, qe)]
        sentences = [(qs + m.start(), qs + m.end()) for m in _SENTENCE.finditer(text[qs:qe])]
        if len(sentences) > 1:
            units += sentences
        p0, p1 = _paragraph(text, qs)
        in_paragraph = (words.starts >= p0) & (words.starts < p1) & words.names
        people = {_person(text, words, i) for i in np.flatnonzero(in_paragraph).tolist()}
        people |= {name.casefold() for s, e, name in speakers if s < qe and qs < e and name}
        for s, e in units:
            lo = int(np.searchsorted(words.starts, s))
            hi = int(np.searchsorted(words.starts, e))
            if lo >= hi or words.masked[lo:hi].any():
                continue
            key = _key(words, lo, hi, norms)
            if len(key.split()) < min_words and len(key) < min_chars:
                continue
            line = Line(key, int(words.starts[lo]), int(words.ends[hi - 1]), tuple(sorted(people)))
            if line not in out:
                out.append(line)
    return out
