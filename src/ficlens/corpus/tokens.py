"""Words of a text for reuse detection: normalised, with offsets back into the original.

Normalising (NFKC, casefold, apostrophes and punctuation dropped) makes "You're forgiven." and
“you’re forgiven,” the same words. Character names are replaced by one placeholder, so a fic
copied with its names swapped still matches its source. Each word is hashed to a stable 64-bit id
(the same in every process and on every Spark executor), which is what n-grams and alignment compare.

Boilerplate (AO3's footer, disclaimers, "thanks for reading") and author's notes are masked: the
words stay, so offsets stay right, but they never take part in a match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

NAME = "@"
_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_SENTENCE_END = set(".!?…\"“”:—–-([")
_NOT_NAMES = {
    "i", "i'm", "i’m", "i'll", "i’ll", "i've", "i’ve", "i'd", "i’d", "ok", "okay", "oh", "mr", "mrs", "ms", "dr",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "god",
}

BOILERPLATE = re.compile(
    r"|".join(
        [
            r"please\s+drop\s+by\s+the\s+archive",
            r"posted\s+originally\s+on\s+the\s+archive\s+of\s+our\s+own",
            r"archive\s+of\s+our\s+own",
            r"\bi\s+(?:do\s*n[o'’]?t|do\s+not)\s+own\b",
            r"\bdisclaimer\b",
            r"\bthanks?\s+(?:you\s+)?(?:so\s+much\s+)?(?:for\s+reading|for\s+all\s+the\s+kudos)",
            r"\b(?:kudos|comments?|reviews?)\s+(?:and|&)\s+(?:kudos|comments?|reviews?)\b",
            r"\bleave\s+(?:a\s+)?(?:comment|review|kudos)",
            r"\ball\s+(?:rights|characters)\s+(?:belong|go|are\s+owned|reserved)",
            r"\bauthor['’]?s\s+note\b|\ba/n\b",
        ]
    ),
    re.IGNORECASE,
)
_BOILERPLATE_CUES = ("archive", "t own", "not own", "disclaimer", "reading", "kudos", "comment", "review", "rights",
                      "characters", "note", "a/n")
_SENTENCE_BREAK = re.compile(r"[.!?…]+[\"”’')]*(?=\s|$)")


@dataclass
class Words:
    """The words of one text. Arrays are parallel; `ids` are 64-bit hashes of the normalised words."""

    ids: np.ndarray  # uint64
    starts: np.ndarray  # int32, offsets into the text
    ends: np.ndarray  # int32
    names: np.ndarray  # bool: a character name (compared as the placeholder)
    masked: np.ndarray  # bool: boilerplate or notes, never matched

    def __len__(self) -> int:
        return len(self.ids)


@lru_cache(maxsize=1 << 18)
def word_id(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


NAME_ID = word_id(NAME)


@lru_cache(maxsize=1 << 20)
def normalise(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Spans of boilerplate: the sentence around each match (a URL's dots do not end a sentence)."""
    spans: list[tuple[int, int]] = []
    folded = text.casefold()
    if not any(cue in folded for cue in _BOILERPLATE_CUES):
        return spans
    for m in BOILERPLATE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = [b.end() for b in _SENTENCE_BREAK.finditer(text, line_start, m.start())]
        after = _SENTENCE_BREAK.search(text, m.end(), line_end)
        spans.append((before[-1] if before else line_start, after.end() if after else line_end))
    return spans


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\r\n'‘*_":
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def find_names(text: str, surfaces: list[str], starts: list[int], keys: list[str]) -> set[str]:
    """Words the text capitalises in mid-sentence and never writes in lower case: its names."""
    capital_mid, lower = set(), set()
    for surface, start, key in zip(surfaces, starts, keys):
        first = surface[0]
        if first.islower():
            lower.add(key)
        elif first.isupper() and key not in capital_mid and not _sentence_initial(text, start):
            capital_mid.add(key)
    return {w for w in capital_mid - lower if w not in _NOT_NAMES and len(w) > 1}


def words(text: str, *, excluded: list[tuple[int, int]] = ()) -> Words:
    """Tokenise `text`; words inside `excluded` spans or boilerplate are masked."""
    matches = list(_WORD.finditer(text))
    n = len(matches)
    surfaces = [m.group() for m in matches]
    spans = np.array([m.span() for m in matches], dtype=np.int32).reshape(n, 2)
    starts, ends = spans[:, 0].copy(), spans[:, 1].copy()
    keys = [normalise(w) for w in surfaces]
    names = find_names(text, surfaces, starts.tolist(), keys)
    vocabulary = {k: NAME_ID if k in names else word_id(k) for k in set(keys)}
    ids = np.array([vocabulary[k] for k in keys], dtype=np.uint64)
    is_name = ids == np.uint64(NAME_ID) if names else np.zeros(n, dtype=bool)
    masked = np.zeros(n, dtype=bool)
    for s, e in sorted(set(excluded) | set(boilerplate_spans(text))):
        masked[(starts >= s) & (starts < e)] = True
    return Words(ids=ids, starts=starts, ends=ends, names=is_name, masked=masked)
