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
_MAX_TAG_WORDS = 12
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


@dataclass(frozen=True)
class Line:
    key: str  # normalised words, names as "@"
    start: int  # offsets of the spoken words in the text
    end: int
    people: tuple[str, ...]  # names in the same paragraph (and the speaker when known), casefolded


def _quotations(text: str) -> list[list[tuple[int, int]]]:
    """Quotations as lists of spans: one ending in a comma and resumed in lower case after a short tag is one."""
    joined: list[list[tuple[int, int]]] = []
    for m in _QUOTE.finditer(text):
        s, e = m.start(1), m.end(1)
        if joined:
            ps, pe = joined[-1][-1]
            between = text[pe:s]
            if (
                text[ps:pe].rstrip().endswith(",")
                and "\n" not in between
                and len(between.split()) <= _MAX_TAG_WORDS
                and text[s:e].lstrip()[:1].islower()
            ):
                joined[-1].append((s, e))
                continue
        joined.append([(s, e)])
    return joined


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


class _Norms:
    """Normalised words by index, computed only for the words inside quotations."""

    def __init__(self, text: str, words: Words):
        self.text, self.starts, self.ends = text, words.starts, words.ends

    def __getitem__(self, i: int) -> str:
        return normalise(self.text[self.starts[i] : self.ends[i]])


def _person(text: str, words: Words, i: int) -> str:
    name = text[words.starts[i] : words.ends[i]]
    return _POSSESSIVE.sub("", name).casefold()


def _key(words: Words, indices: list[int], norms: _Norms) -> str:
    while indices and words.names[indices[0]]:
        indices = indices[1:]
    while indices and words.names[indices[-1]]:
        indices = indices[:-1]
    return " ".join("@" if words.names[i] else norms[i] for i in indices)


def find(
    text: str,
    words: Words,
    *,
    min_words: int,
    min_chars: int,
    speakers: list[tuple[int, int, str]] = (),
) -> list[Line]:
    """Every quoted line (and every sentence of a longer one) long enough to count, outside masked text."""
    norms = _Norms(text, words)
    out: list[Line] = []
    for pieces in _quotations(text):
        qs, qe = pieces[0][0], pieces[-1][1]
        units = [pieces]
        for ps, pe in pieces:
            sentences = [[(ps + m.start(), ps + m.end())] for m in _SENTENCE.finditer(text[ps:pe])]
            if len(sentences) > 1:
                units += sentences
        p0, p1 = _paragraph(text, qs)
        in_paragraph = (words.starts >= p0) & (words.starts < p1) & words.names
        people = {_person(text, words, i) for i in np.flatnonzero(in_paragraph).tolist()}
        people |= {name.casefold() for s, e, name in speakers if s < qe and qs < e and name}
        for unit in units:
            ranges = [(int(np.searchsorted(words.starts, s)), int(np.searchsorted(words.starts, e))) for s, e in unit]
            ranges = [(lo, hi) for lo, hi in ranges if lo < hi]
            if not ranges or any(words.masked[lo:hi].any() for lo, hi in ranges):
                continue
            key = _key(words, [i for lo, hi in ranges for i in range(lo, hi)], norms)
            if len(key.split()) < min_words and len(key) < min_chars:
                continue
            line = Line(key, int(words.starts[ranges[0][0]]), int(words.ends[ranges[-1][1] - 1]), tuple(sorted(people)))
            if line not in out:
                out.append(line)
    return out
