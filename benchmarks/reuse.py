"""Reuse benchmark: plant known passages (with edits) into a generated corpus; precision, recall, time, memory.

The corpus is generated, not real: sentences of words drawn from a Zipf-like vocabulary of 30,000
words, character names from a list of 400, paragraphs and punctuation; each work is ~N words
(`--words`, 200 by default: realistic prose statistics, short works so that 100k works fit a laptop).
Into it go `--plants` passages of 10–60 words (from a separate generated "canon"), each copied into
2–4 works, every copy edited: commas and full stops changed, every name swapped for another, and one
word in each block of ten replaced by a random word.

A found passage pair is correct when it overlaps, in both works, the spans of one planted passage by at
least half of the found span; a planted pair (two works sharing a planted passage) is found when some
found pair covers at least half of the planted span in both works. Precision = correct found / found;
recall = planted pairs found / planted pairs.

    python benchmarks/reuse.py --works 1000              # one size, one JSON line
    python benchmarks/reuse.py --sizes 1000,10000,100000 # each size in its own process (peak memory)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

import numpy as np

from ficlens.corpus import ngrams, reuse

VOCAB = 30_000
NAMES = 400
EDIT_RATE = 0.1


def _vocabulary(rnd: random.Random) -> list[str]:
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [12, 9, 8, 7.5, 7, 6.7, 6.3, 6, 6, 4.3, 4, 2.8, 2.8, 2.4, 2.4, 2.2, 2, 2, 1.9, 1.5, 1, 0.8, 0.2, 0.2, 0.1, 0.1]
    words = set()
    while len(words) < VOCAB:
        words.add("".join(rnd.choices(letters, weights, k=rnd.choice((2, 3, 4, 4, 5, 5, 6, 7, 8, 9)))))
    return sorted(words, key=len)


def _names(rnd: random.Random) -> list[str]:
    out = set()
    while len(out) < NAMES:
        out.add("".join(rnd.choices("bcdfghjklmnprstvwz", k=1) + rnd.choices("aeiou", k=1)
                        + rnd.choices("bcdfghjklmnprstvwz", k=1) + rnd.choices("aeiouy", k=1)).capitalize())
    return sorted(out)


class Generator:
    def __init__(self, seed: int):
        self.rnd = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.vocab = _vocabulary(self.rnd)
        self.names = _names(self.rnd)
        ranks = np.arange(1, VOCAB + 1)
        self.p = (1 / ranks**1.07) / (1 / ranks**1.07).sum()

    def words(self, count: int, cast: list[str]) -> list[str]:
        picks = self.np.choice(VOCAB, size=count, p=self.p)
        out = [self.vocab[i] for i in picks]
        for k in self.np.choice(count, size=max(1, count // 25), replace=False):
            out[k] = self.rnd.choice(cast)
        return out

    def prose(self, words: list[str]) -> str:
        """Words made into sentences and paragraphs: capitals, commas, full stops, blank lines."""
        out, sentence_start, paragraph = [], True, 0
        for w in words:
            out.append(w.capitalize() if sentence_start else w)
            sentence_start = False
            r = self.rnd.random()
            if r < 0.07:
                out[-1] += "."
                sentence_start = True
                paragraph += 1
                if paragraph > 5 and self.rnd.random() < 0.3:
                    out[-1] += "\n\n"
                    paragraph = 0
                    continue
            elif r < 0.12:
                out[-1] += ","
            out.append(" ")
        return "".join(out).rstrip() + ".\n"

    def edit(self, words: list[str], swap: dict[str, str]) -> list[str]:
        """Names swapped; in every block of 10 words one word (not a name) replaced by another."""
        out = [swap.get(w, w) for w in words]
        block = round(1 / EDIT_RATE)
        for start in range(0, len(out), block):
            size = min(block, len(out) - start)
            if size == block or self.rnd.random() < size / block:
                k = start + self.rnd.randrange(size)
                if out[k] not in swap.values():
                    out[k] = self.rnd.choice(self.vocab)
        return out

    def punctuate_differently(self, text: str) -> str:
        return text.replace(",", ";").replace(". ", "! ", 1)


def build(n_works: int, n_plants: int, words_per_work: int, seed: int):
    g = Generator(seed)
    bodies = []
    for _ in range(n_works):
        cast = g.rnd.sample(g.names, 4)
        bodies.append(g.words(words_per_work, cast))
    plan = []  # (plant id, work, word position, words)
    for pid in range(n_plants):
        length = g.rnd.randint(10, 60)
        cast = g.rnd.sample(g.names, 3)
        canon = g.words(length, cast)
        holders = g.rnd.sample(range(n_works), g.rnd.randint(2, 4))
        plan.append((pid, holders[0], g.rnd.randint(0, words_per_work), canon))
        for work in holders[1:]:
            swap = {c: g.rnd.choice(g.names) for c in cast}
            plan.append((pid, work, g.rnd.randint(0, words_per_work), g.edit(canon, swap)))
    inserts = {}
    for pid, work, pos, words in plan:
        inserts.setdefault(work, []).append((pos, pid, words))
    sources = {pid: f"{work:08x}" for pid, work, _, _ in reversed(plan)}
    texts, truth = [], {}
    for i, body in enumerate(bodies):
        parts, spans, cursor, offset = [], [], 0, 0
        for pos, pid, words in sorted(inserts.get(i, []), key=lambda x: (x[0], x[1])):
            chunk = g.prose(body[cursor:pos]) + "\n" if pos > cursor else ""
            planted = g.punctuate_differently(g.prose(words))
            parts += [chunk, planted, "\n"]
            spans.append((pid, offset + len(chunk), offset + len(chunk) + len(planted.rstrip())))
            offset += len(chunk) + len(planted) + 1
            cursor = pos
        parts.append(g.prose(body[cursor:]))
        source = f"work{i:06d}.txt"
        texts.append(reuse.Text(id=f"{i:08x}", source=source, text="".join(parts)))
        truth[f"{i:08x}"] = spans
    return texts, truth, sources


def _overlap(s0, e0, s1, e1) -> int:
    return max(0, min(e0, e1) - max(s0, s1))


def score(passages: list[reuse.SharedPassage], truth: dict, sources: dict) -> dict:
    def plant_of(doc, s, e, share_of):
        for pid, ps, pe in truth[doc]:
            if _overlap(s, e, ps, pe) >= 0.5 * share_of(s, e, ps, pe):
                yield pid

    found_span = lambda s, e, ps, pe: e - s  # noqa: E731
    planted_span = lambda s, e, ps, pe: pe - ps  # noqa: E731
    correct = sum(
        bool(set(plant_of(p.a, p.a_start, p.a_end, found_span)) & set(plant_of(p.b, p.b_start, p.b_end, found_span)))
        for p in passages
    )
    holders = {}
    for doc, spans in truth.items():
        for pid, _, _ in spans:
            holders.setdefault(pid, set()).add(doc)
    planted_pairs = {(pid, a, b) for pid, docs in holders.items() for a in docs for b in docs if a < b}
    from_source = {(pid, a, b) for pid, a, b in planted_pairs if sources[pid] in (a, b)}
    hit = set()
    for p in passages:
        for pid in set(plant_of(p.a, p.a_start, p.a_end, planted_span)) & set(plant_of(p.b, p.b_start, p.b_end, planted_span)):
            hit.add((pid, p.a, p.b))
    return {
        "found": len(passages),
        "correct": correct,
        "planted_pairs": len(from_source),
        "planted_pairs_found": len(hit & from_source),
        "precision": round(correct / len(passages), 4) if passages else 0.0,
        "recall": round(len(hit & from_source) / len(from_source), 4) if from_source else 0.0,
        "copy_pairs": len(planted_pairs - from_source),
        "recall_copy_pairs": round(len(hit & (planted_pairs - from_source)) / max(1, len(planted_pairs - from_source)), 4),
    }


def run_one(n_works: int, words_per_work: int, plants: int | None, seed: int, min_shared: int = 1) -> dict:
    plants = plants if plants is not None else max(20, n_works // 10)
    t0 = time.perf_counter()
    texts, truth, sources = build(n_works, plants, words_per_work, seed)
    generated = time.perf_counter() - t0
    stages, t0 = {}, time.perf_counter()
    ordered = reuse.unique_texts(texts)
    options = reuse.Options(min_shared=min_shared)
    prepared = [reuse.prepare(t, options=options) for t in ordered]
    stages["prepare_s"] = time.perf_counter() - t0
    anchors = ngrams.candidate_anchors([p.shingles for p in prepared], max_df=options.max_df,
                                       min_shared=options.min_shared)
    stages["candidates_s"] = time.perf_counter() - t0 - sum(stages.values())
    passages = [
        found
        for (i, j), a in sorted(anchors.items())
        for found in reuse.align_pair(ordered[i], ordered[j], a, options=options,
                                      words=(prepared[i].words, prepared[j].words))
    ]
    stages["align_s"] = time.perf_counter() - t0 - sum(stages.values())
    report = reuse.assemble({t.id: t for t in ordered}, {p.id: p.lines for p in prepared},
                            {p.id: p.story_words for p in prepared}, passages, options=options)
    stages["assemble_s"] = time.perf_counter() - t0 - sum(stages.values())
    elapsed = time.perf_counter() - t0
    words = sum(len(t.text.split()) for t in texts)
    result = {
        "works": n_works, "words": words, "plants": plants, "min_shared": min_shared,
        "generate_s": round(generated, 1), "reuse_s": round(elapsed, 1),
        **{k: round(v, 1) for k, v in stages.items()}, "candidate_pairs": len(anchors),
        "words_per_s": round(words / elapsed), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "clusters": sum(c["kind"] == "passage" for c in report.clusters),
    }
    result.update(score(report.passages, truth, sources))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--sizes", help="comma-separated numbers of works, each run in its own process")
    parser.add_argument("--words", type=int, default=200, help="words per generated work")
    parser.add_argument("--plants", type=int, help="planted passages (default: works / 10, at least 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-shared", type=int, default=reuse.Options.min_shared,
                        help="rare n-grams two works must share to be aligned")
    args = parser.parse_args()
    if args.sizes:
        for size in args.sizes.split(","):
            cmd = [sys.executable, __file__, "--works", size, "--words", str(args.words),
                   "--seed", str(args.seed), "--min-shared", str(args.min_shared)] + (["--plants", str(args.plants)] if args.plants else [])
            subprocess.run(cmd, check=True)
        return
    print(json.dumps(run_one(args.works, args.words, args.plants, args.seed, args.min_shared)), flush=True)


if __name__ == "__main__":
    main()
