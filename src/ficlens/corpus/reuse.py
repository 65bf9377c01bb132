"""Passages works share, the passim way: n-grams → candidate pairs → alignment → clusters.

Stages, each a plain function an engine may run anywhere (in-process, a process pool, Spark tasks):

1. `prepare(text)`: per work, the hashed word n-grams (names as one placeholder, boilerplate and
   notes masked) and the quoted lines.
2. `ngrams.candidate_anchors`: the pairs of works sharing rare n-grams (never all pairs).
3. `align_pair(a, b, anchors)`: the passages of one candidate pair, allowing small edits.
4. `assemble(...)`: passages merged where they overlap in a work and clustered by connected
   components (union-find), plus shared lines, retellings, near-duplicates and metadata links.

`find(texts)` runs them in order on one machine; engines/spark.py runs the same functions on Spark.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Callable, Iterable, Iterator

import numpy as np

from ..model import Analysis, Work
from . import align as aligner
from . import lines as dialogue
from . import ngrams
from .lines import Line
from .tokens import Words, words


@dataclass(frozen=True)
class Options:
    """Parameters of reuse detection; `PARAMETERS` describes each (it feeds the docs)."""

    n: int = 5
    max_df: int = 100
    min_shared: int = 1
    min_words: int = 8
    line_min_words: int = 3
    line_min_chars: int = 12
    min_works: int = 2
    duplicate_score: float = 0.5
    retelling_units: int = 2


PARAMETERS = {
    "n": "words per n-gram (shingle)",
    "max_df": "n-grams (and lines, for retellings) in more works than this are too common to link works",
    "min_shared": "rare n-grams two works must share to be aligned",
    "min_words": "agreeing words a passage needs",
    "line_min_words": "words a quoted line needs to count (or line_min_chars characters)",
    "line_min_chars": "characters a quoted line needs to count (or line_min_words words)",
    "min_works": "works a cluster or shared line needs to be reported",
    "duplicate_score": "similarity (2 × agreeing words ÷ words of both works) to flag a near-duplicate",
    "retelling_units": "shared rare lines or passages (with the same characters) to call two works retellings",
}


@dataclass
class Text:
    """What reuse needs of a work: its text, what is not story, and the metadata that links works."""

    id: str
    source: str
    text: str
    title: str | None = None
    excluded: list[tuple[int, int]] = field(default_factory=list)
    url: str | None = None
    inspired_by: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    speakers: list[tuple[int, int, str]] = field(default_factory=list)


def text_of(work: Work, analysis: Analysis | None = None) -> Text:
    """The reuse view of a work; the analysis (when given) adds who speaks each line."""
    quotes = analysis.quotes if analysis else []
    return Text(
        id=work.id,
        source=work.source,
        text=work.text,
        title=work.meta.title,
        excluded=[(n.start, n.end) for n in work.notes],
        url=work.meta.url,
        inspired_by=list(work.meta.inspired_by),
        series=[str(s.get("name")) for s in work.meta.series if s.get("name")],
        speakers=[(q.start, q.end, q.speaker) for q in quotes if q.speaker],
    )


@dataclass
class Prepared:
    id: str
    shingles: ngrams.Shingles
    lines: list[Line]
    story_words: int
    words: Words


@dataclass(frozen=True)
class SharedPassage:
    """One aligned passage of works `a` < `b` (ids): character offsets and word ranges in each."""

    a: str
    b: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a0: int
    a1: int
    b0: int
    b1: int
    matched: int


@lru_cache(maxsize=64)
def _words(text: str, excluded: tuple[tuple[int, int], ...]) -> Words:
    return words(text, excluded=list(excluded))


_NEVER = np.uint64(2**64 - 1)


def comparable(w: Words, *, side: int) -> np.ndarray:
    """Word ids as the aligner compares them: a masked word gets an id no word of the other side has.

    `side` (0 or 1) keeps the two sides' stand-ins apart: even and odd numbers down from 2**64 - 1.
    """
    ids = w.ids.copy()
    masked = np.flatnonzero(w.masked).astype(np.uint64)
    ids[masked] = _NEVER - (masked * np.uint64(2) + np.uint64(side))
    return ids


def words_of(text: Text, *, side: int = 0) -> tuple[Words, np.ndarray]:
    """The words of a text and their comparable ids."""
    w = _words(text.text, tuple(text.excluded))
    return w, comparable(w, side=side)


def prepare(text: Text, *, options: Options) -> Prepared:
    w = _words(text.text, tuple(text.excluded))
    found = dialogue.find(
        text.text, w, min_words=options.line_min_words, min_chars=options.line_min_chars, speakers=text.speakers
    )
    return Prepared(text.id, ngrams.shingles(w, n=options.n), found, int((~w.masked).sum()), w)


def align_pair(
    a: Text, b: Text, anchors: np.ndarray, *, options: Options, words: tuple[Words, Words] | None = None
) -> list[SharedPassage]:
    """The passages of one candidate pair; `words` (from `prepare`) saves tokenising the texts again."""
    wa, wb = words or (_words(a.text, tuple(a.excluded)), _words(b.text, tuple(b.excluded)))
    found = aligner.align(
        comparable(wa, side=0), comparable(wb, side=1), anchors, n=options.n, min_words=options.min_words
    )
    return [
        SharedPassage(
            a.id, b.id,
            int(wa.starts[f.a0]), int(wa.ends[f.a1 - 1]), int(wb.starts[f.b0]), int(wb.ends[f.b1 - 1]),
            f.a0, f.a1, f.b0, f.b1, f.matched,
        )
        for f in found
    ]


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x, y) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)

    def groups(self) -> list[list]:
        out = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return [sorted(g) for g in out.values()]


def _merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _locate(merged: list[tuple[int, int]], start: int) -> int:
    return bisect.bisect_right(merged, (start, float("inf"))) - 1


@dataclass
class Report:
    works: int
    clusters: list[dict]
    retellings: list[dict]
    duplicates: list[dict]
    links: list[dict]
    passages: list[SharedPassage] = field(default_factory=list)  # every aligned pair, before clustering

    def records(self) -> Iterator[dict]:
        """JSON Lines of `ficlens reuse --json`: cluster objects (the contract), then the other types."""
        yield from self.clusters
        yield from self.retellings
        yield from self.duplicates
        yield from self.links

    @property
    def lines(self) -> list[dict]:
        return [c for c in self.clusters if c["kind"] == "line"]


def _passage(t: Text, start: int, end: int) -> dict:
    return {"source": t.source, "work": t.id, "start": start, "end": end, "text": t.text[start:end]}


def _passage_clusters(texts: dict[str, Text], passages: list[SharedPassage]) -> tuple[list[dict], dict]:
    spans = defaultdict(list)
    for p in passages:
        spans[p.a].append((p.a_start, p.a_end))
        spans[p.b].append((p.b_start, p.b_end))
    merged = {doc: _merge_spans(s) for doc, s in spans.items()}
    uf = UnionFind()
    for p in passages:
        uf.union((p.a, _locate(merged[p.a], p.a_start)), (p.b, _locate(merged[p.b], p.b_start)))
    clusters = []
    for group in uf.groups():
        out = [_passage(texts[doc], *merged[doc][i]) for doc, i in group]
        out.sort(key=lambda x: (x["source"], x["start"]))
        clusters.append({"type": "cluster", "kind": "passage", "works": len({d for d, _ in group}), "passages": out})
    return clusters, merged


def _line_clusters(texts: dict[str, Text], found: dict[str, list[Line]], covered: dict) -> list[dict]:
    by_key = defaultdict(list)
    for doc, doc_lines in found.items():
        for line in doc_lines:
            by_key[line.key].append((doc, line))
    clusters = []
    for key, occurrences in by_key.items():
        docs = {d for d, _ in occurrences}
        if len(docs) < 2:
            continue
        inside = all(
            (i := _locate(covered.get(d, []), ln.start)) >= 0 and ln.end <= covered[d][i][1] for d, ln in occurrences
        )
        if inside:
            continue
        out = sorted((_passage(texts[d], ln.start, ln.end) for d, ln in occurrences),
                     key=lambda x: (x["source"], x["start"], x["end"]))
        clusters.append({"type": "cluster", "kind": "line", "line": key, "works": len(docs), "passages": out})
    return clusters


def _retellings(
    texts: dict[str, Text],
    found: dict[str, list[Line]],
    passages: list[SharedPassage],
    copies: set[tuple[str, str]],
    options: Options,
) -> list[dict]:
    """Groups of works sharing rare lines (said by the same characters) or passages; copies are not retellings."""
    by_key = defaultdict(lambda: defaultdict(list))
    for doc, doc_lines in found.items():
        for line in doc_lines:
            by_key[line.key][doc].append(line)
    evidence = defaultdict(set)
    people = defaultdict(set)
    for key, by_doc in by_key.items():
        if not 2 <= len(by_doc) <= options.max_df:
            continue
        docs = sorted(by_doc)
        for i, x in enumerate(docs):
            for y in docs[i + 1 :]:
                for lx in by_doc[x]:
                    for ly in by_doc[y]:
                        common = set(lx.people) & set(ly.people)
                        if common or not lx.people or not ly.people:
                            evidence[(x, y)].add(("line", key))
                            people[(x, y)] |= common
    for p in passages:
        evidence[(p.a, p.b)].add(("passage", p.a_start))
    uf = UnionFind()
    for pair, found_units in evidence.items():
        if len(found_units) >= options.retelling_units and pair not in copies:
            uf.union(*pair)
    groups = []
    for group in uf.groups():
        members = set(group)
        shared = defaultdict(set)
        names = set()
        for (x, y), units in evidence.items():
            if x in members and y in members:
                names |= people[(x, y)]
                for kind, value in units:
                    if kind == "line":
                        shared[value] |= {x, y}
        lines_out = []
        for key, docs in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            first = min((texts[d].source, ln.start, ln.end, d) for d in docs for ln in found[d] if ln.key == key)
            lines_out.append({"line": texts[first[3]].text[first[1] : first[2]], "works": len(docs)})
        groups.append(
            {
                "type": "retelling",
                "sources": sorted(texts[d].source for d in group),
                "ids": sorted(group, key=lambda d: texts[d].source),
                "lines": lines_out,
                "characters": sorted(n.title() for n in names),
            }
        )
    groups.sort(key=lambda g: (-len(g["sources"]), g["sources"]))
    for i, g in enumerate(groups, 1):
        g["group"] = i
    return groups


def _duplicates(
    texts: dict[str, Text], passages: list[SharedPassage], story_words: dict[str, int], options: Options
) -> list[dict]:
    by_pair = defaultdict(list)
    for p in passages:
        by_pair[(p.a, p.b)].append(p)
    out = []
    for (a, b), found in by_pair.items():
        covered_a = sum(e - s for s, e in _merge_spans((p.a0, p.a1) for p in found))
        covered_b = sum(e - s for s, e in _merge_spans((p.b0, p.b1) for p in found))
        total = story_words.get(a, 0) + story_words.get(b, 0)
        matched = sum(p.matched for p in found)
        score = min(1.0, 2 * matched / total) if total else 0.0
        if score >= options.duplicate_score:
            out.append(
                {
                    "type": "duplicate",
                    "pair": (a, b),
                    "sources": sorted([texts[a].source, texts[b].source]),
                    "score": round(score, 3),
                    "coverage": round(min(1.0, (covered_a + covered_b) / total), 3),
                    "shared_words": matched,
                }
            )
    out.sort(key=lambda d: (-d["score"], d["sources"]))
    return out


def _norm_ref(ref: str) -> str:
    return ref.strip().rstrip("/").casefold()


def _links(texts: dict[str, Text]) -> list[dict]:
    by_ref = defaultdict(set)
    for t in texts.values():
        for ref in (t.title, t.url):
            if ref:
                by_ref[_norm_ref(ref)].add(t.id)
    out = []
    for t in sorted(texts.values(), key=lambda t: t.source):
        for ref in t.inspired_by:
            for other in sorted(by_ref.get(_norm_ref(ref), set()) - {t.id}, key=lambda d: texts[d].source):
                out.append({"type": "link", "kind": "inspired_by", "name": ref, "sources": [t.source, texts[other].source]})
    series = defaultdict(set)
    for t in texts.values():
        for name in t.series:
            series[name].add(t.source)
    for name, sources in sorted(series.items()):
        if len(sources) >= 2:
            out.append({"type": "link", "kind": "series", "name": name, "sources": sorted(sources)})
    return out


def assemble(
    texts: dict[str, Text],
    found: dict[str, list[Line]],
    story_words: dict[str, int],
    passages: list[SharedPassage],
    *,
    options: Options,
) -> Report:
    """Clusters, shared lines, retellings, near-duplicates and links from what the stages found.

    `texts` needs the full text only of works that share something; others may have text "".
    """
    passages = sorted(passages, key=lambda p: (p.a, p.b, p.a0, p.b0))
    clusters, covered = _passage_clusters(texts, passages)
    clusters += _line_clusters(texts, found, covered)
    clusters = [c for c in clusters if c["works"] >= options.min_works]
    clusters.sort(key=lambda c: (-c["works"], c["passages"][0]["source"], c["passages"][0]["start"], c["kind"]))
    for i, c in enumerate(clusters, 1):
        c["cluster"] = i
    duplicates = _duplicates(texts, passages, story_words, options)
    copies = {d.pop("pair") for d in duplicates}
    return Report(
        works=len(texts),
        clusters=[{"type": c["type"], "cluster": c["cluster"], **{k: v for k, v in c.items() if k not in ("type", "cluster")}} for c in clusters],
        retellings=_retellings(texts, found, passages, copies, options),
        duplicates=duplicates,
        links=_links(texts),
        passages=passages,
    )


def _align_job(job: tuple, options: Options) -> list[SharedPassage]:
    a, b, anchors, words_ab = job
    return align_pair(a, b, anchors, options=options, words=words_ab)


def _run(fn: Callable, items: list, workers: int) -> list:
    if workers <= 1 or len(items) < 2:
        return [fn(x) for x in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items, chunksize=max(1, len(items) // (workers * 8))))


def unique_texts(texts: Iterable[Text]) -> list[Text]:
    """Texts sorted by id, each id once: the order every engine works in."""
    seen: dict[str, Text] = {}
    for t in texts:
        seen.setdefault(t.id, t)
    return [seen[k] for k in sorted(seen)]


def find(texts: Iterable[Text], *, options: Options = Options(), workers: int = 1) -> Report:
    """Run every stage on one machine (a process pool with `workers` > 1)."""
    ordered = unique_texts(texts)
    prepared = _run(partial(prepare, options=options), ordered, workers)
    anchors = ngrams.candidate_anchors(
        [p.shingles for p in prepared], max_df=options.max_df, min_shared=options.min_shared
    )
    jobs = [(ordered[i], ordered[j], a, (prepared[i].words, prepared[j].words)) for (i, j), a in sorted(anchors.items())]
    passages = [p for found in _run(partial(_align_job, options=options), jobs, workers) for p in found]
    return assemble(
        {t.id: t for t in ordered},
        {p.id: p.lines for p in prepared},
        {p.id: p.story_words for p in prepared},
        passages,
        options=options,
    )


@dataclass
class Comparison:
    passages: list[SharedPassage]
    lines: list[tuple[Line, Line]]


def compare(a: Text, b: Text, *, options: Options = Options()) -> Comparison:
    """Everything two works share, found from all their common n-grams (no corpus needed)."""
    pa, pb = prepare(a, options=options), prepare(b, options=options)
    anchors = ngrams.candidate_anchors([pa.shingles, pb.shingles], max_df=2, min_shared=1).get((0, 1))
    passages = align_pair(a, b, anchors, options=options) if anchors is not None else []
    keys_b = defaultdict(list)
    for line in pb.lines:
        keys_b[line.key].append(line)
    shared = [(la, lb) for la in pa.lines for lb in keys_b.get(la.key, [])[:1]]
    return Comparison(sorted(passages, key=lambda p: p.a_start), shared)
