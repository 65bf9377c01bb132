"""Word n-grams (shingles) and the candidate pairs they give, without comparing all pairs.

Each text yields the hashes of its word n-grams that occur once in it and contain no masked word.
An n-gram seen in 2..max_df texts links every pair of those texts; a pair is a candidate when it
shares at least `min_shared` such n-grams. The cost is the number of n-grams plus the number of
pairs each kept n-gram gives (at most max_df²/2), so it grows linearly with the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tokens import Words

_MULT = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class Shingles:
    hashes: np.ndarray  # uint64, unique within the text
    positions: np.ndarray  # int32: index of the n-gram's first word


def shingles(words: Words, *, n: int) -> Shingles:
    """Hashes of the n-grams occurring once in the text, none containing a masked word."""
    count = len(words) - n + 1
    if count <= 0:
        return Shingles(np.empty(0, np.uint64), np.empty(0, np.int32))
    acc = np.zeros(count, dtype=np.uint64)
    bad = np.zeros(count, dtype=bool)
    with np.errstate(over="ignore"):
        for j in range(n):
            acc = acc * _MULT + words.ids[j : j + count]
            bad |= words.masked[j : j + count]
    positions = np.arange(count, dtype=np.int32)[~bad]
    acc = acc[~bad]
    values, first, counts = np.unique(acc, return_index=True, return_counts=True)
    once = counts == 1
    return Shingles(values[once], positions[first[once]])


def candidate_anchors(
    shingled: list[Shingles], *, max_df: int, min_shared: int
) -> dict[tuple[int, int], np.ndarray]:
    """{(i, j): anchors} for text pairs i < j sharing ≥ min_shared n-grams of document frequency 2..max_df.

    anchors is an (k, 2) int array of word positions (in text i, in text j), sorted.
    """
    sizes = [len(s.hashes) for s in shingled]
    if sum(sizes) == 0:
        return {}
    hashes = np.concatenate([s.hashes for s in shingled])
    positions = np.concatenate([s.positions for s in shingled])
    docs = np.repeat(np.arange(len(shingled), dtype=np.int32), sizes)
    order = np.argsort(hashes, kind="stable")
    hashes, positions, docs = hashes[order], positions[order], docs[order]
    bounds = np.flatnonzero(np.diff(hashes)) + 1
    starts = np.concatenate([[0], bounds])
    df = np.diff(np.concatenate([starts, [len(hashes)]]))
    keep = (df >= 2) & (df <= max_df)
    parts_a, parts_b, parts_pa, parts_pb = [], [], [], []
    for m in np.unique(df[keep]):
        group_starts = starts[keep & (df == m)]
        rows = group_starts[:, None] + np.arange(m)[None, :]
        x, y = np.triu_indices(m, 1)
        ra, rb = rows[:, x].ravel(), rows[:, y].ravel()
        parts_a.append(docs[ra])
        parts_b.append(docs[rb])
        parts_pa.append(positions[ra])
        parts_pb.append(positions[rb])
    if not parts_a:
        return {}
    a, b = np.concatenate(parts_a), np.concatenate(parts_b)
    pa, pb = np.concatenate(parts_pa), np.concatenate(parts_pb)
    swap = a > b
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    pa, pb = np.where(swap, pb, pa), np.where(swap, pa, pb)
    order = np.lexsort((pb, pa, b, a))
    a, b, pa, pb = a[order], b[order], pa[order], pb[order]
    key = a.astype(np.int64) * len(shingled) + b
    bounds = np.flatnonzero(np.diff(key)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(key)]])
    out = {}
    for s, e in zip(starts.tolist(), ends.tolist()):
        if e - s >= min_shared:
            out[(int(a[s]), int(b[s]))] = np.stack([pa[s:e], pb[s:e]], axis=1)
    return out
