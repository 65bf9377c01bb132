"""Local alignment of two word sequences around shared n-grams ("anchors").

From each anchor the match is extended both ways, word by word; where the words stop agreeing it
looks a few words ahead on either side for the next two agreeing words (a changed, added or dropped
word) and pays for the skip. Extension stops once the score falls `x_drop` below its best, and the
passage ends where the score was best (the X-drop rule of BLAST). A passage with one word in ten
changed keeps a rising score; unrelated text after it does not.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

MATCH = 1
SKIP_COST = 2


@dataclass(frozen=True)
class Alignment:
    """Word ranges [a0, a1) and [b0, b1) that align, with `matched` words agreeing."""

    a0: int
    a1: int
    b0: int
    b1: int
    matched: int


def _steps(max_skip: int) -> list[tuple[int, int]]:
    out = []
    for cost in range(1, max_skip + 1):
        out.append((cost, cost))
        for other in range(cost):
            out.extend([(cost, other), (other, cost)])
    return out


def _extend(a: Sequence, b: Sequence, i: int, j: int, step: int, *, x_drop: int, max_skip: int) -> tuple[int, int, int]:
    """Walk from (i, j) in direction `step`; return (words matched, i, j) at the best score."""
    la, lb = len(a), len(b)

    def same(p: int, q: int) -> bool:
        return 0 <= p < la and 0 <= q < lb and a[p] == b[q]

    score = best = matched = best_matched = 0
    best_i, best_j = i, j
    steps = _steps(max_skip)
    while 0 <= i < la and 0 <= j < lb:
        if same(i, j):
            score += MATCH
            matched += 1
            i += step
            j += step
            if score > best:
                best, best_i, best_j, best_matched = score, i, j, matched
            continue
        for di, dj in steps:
            p, q = i + di * step, j + dj * step
            if same(p, q) and same(p + step, q + step):
                score -= SKIP_COST * max(di, dj)
                i, j = p, q
                break
        else:
            break
        if best - score > x_drop:
            break
    return best_matched, best_i, best_j


def align(
    a: Sequence,
    b: Sequence,
    anchors: np.ndarray,
    *,
    n: int,
    min_words: int,
    x_drop: int = 6,
    max_skip: int = 3,
) -> list[Alignment]:
    """Passages of `a` and `b` around `anchors` ((k, 2) word positions), each ≥ min_words matched.

    `a`, `b` are word ids (lists or numpy arrays: only the words near anchors are read); masked
    words must carry ids that never match (see reuse.comparable).
    """
    found: list[Alignment] = []
    for pa, pb in anchors.tolist():
        if any(f.a0 <= pa < f.a1 and f.b0 <= pb < f.b1 for f in found):
            continue
        if any(a[pa + k] != b[pb + k] for k in range(n)):
            continue
        right, a1, b1 = _extend(a, b, pa + n, pb + n, 1, x_drop=x_drop, max_skip=max_skip)
        left, a0, b0 = _extend(a, b, pa - 1, pb - 1, -1, x_drop=x_drop, max_skip=max_skip)
        matched = n + left + right
        if matched >= min_words:
            found.append(Alignment(a0 + 1, a1, b0 + 1, b1, matched))
    return found


def pairs(a: Sequence, b: Sequence, found: Alignment) -> list[tuple[int | None, int | None]]:
    """Word-by-word pairing inside one alignment, for showing it: (i, j), (i, None) or (None, j)."""
    sa, sb = list(a[found.a0 : found.a1]), list(b[found.b0 : found.b1])
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    for block in difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_matching_blocks():
        while i < block.a and j < block.b:
            out.append((found.a0 + i, found.b0 + j))
            i += 1
            j += 1
        out.extend((found.a0 + k, None) for k in range(i, block.a))
        out.extend((None, found.b0 + k) for k in range(j, block.b))
        for k in range(block.size):
            out.append((found.a0 + block.a + k, found.b0 + block.b + k))
        i, j = block.a + block.size, block.b + block.size
    return out
