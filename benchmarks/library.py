"""Library benchmark: store throughput, search latency and size on synthetic libraries.

    python benchmarks/library.py --works 10000 --db /tmp/bench-10k.db
    python benchmarks/library.py --works 100000 --db /tmp/bench-100k.db --scale 0.5

How the library is made: works are generated, not downloaded. Story text is sentences sampled
from the PDNC novels in ../shared/data/pdnc (real English, so term frequencies, stemming and
phrase matches behave as in prose; a small built-in vocabulary is used when PDNC is absent),
with dialogue lines spoken by characters of six invented fandom casts. Lengths follow a
log-normal distribution close to AO3's (median 3,000 words, clipped to 300-40,000, times
`--scale`). Each work gets a synthetic Analysis (characters with aliases, attributed quotes,
paragraph tense and POV, narration, ships, archive metadata) that is stored with the real
`Library.add`, one transaction per work, exactly as `ficlens index` stores it; the analysis
stages themselves are not run (their speed is benchmarked in benchmarks/analysis.py), which is
what makes 100k works feasible here. `--e2e N` also times the real `ficlens index` pipeline
(ingest + analysis + store) on N generated files.

Search latency is measured over varied queries (common/mid/rare words, phrases, prefixes,
booleans, each with and without filters, speaker search, filter-only listings) with
`Library.search(limit=20)`, snippets included: median and p95 per class and overall.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ficlens.corpus.store import Library
from ficlens.model import Analysis, Chapter, Character, Metadata, Narration, Note, Paragraph, Quote, Work

ROOT = Path(__file__).resolve().parent.parent
PDNC = ROOT.parent / "shared" / "data" / "pdnc"

FANDOMS = {
    "The 100 (TV)": [("Clarke Griffin", ["Clarke", "princess"]), ("Bellamy Blake", ["Bellamy", "Bell"]),
                     ("Octavia Blake", ["Octavia", "O"]), ("Raven Reyes", ["Raven"]), ("Lexa", ["Heda", "Commander"]),
                     ("John Murphy", ["Murphy"]), ("Monty Green", ["Monty"]), ("Abby Griffin", ["Abby"])],
    "Harbour Lights (Original Series)": [("Mara Quill", ["Mara"]), ("Tobias Fenn", ["Toby", "Fenn"]),
                                         ("Ines Calder", ["Ines"]), ("Captain Rook", ["Rook", "Captain"]),
                                         ("Elsie Marsh", ["Elsie"]), ("Davy Quill", ["Davy"])],
    "Starfall Academy": [("Nova Reyes", ["Nova"]), ("Kit Ashby", ["Kit"]), ("Professor Vale", ["Vale"]),
                         ("Juno Park", ["Juno"]), ("Wren Holloway", ["Wren"]), ("Theo Marsh", ["Theo"])],
    "The Glass Crown": [("Queen Isolde", ["Isolde", "Your Majesty"]), ("Aric Thorne", ["Aric"]),
                        ("Lady Seren", ["Seren"]), ("Bram Oakes", ["Bram"]), ("Cass Thorne", ["Cass"])],
    "Night Shift (TV)": [("Dr. Ada Voss", ["Ada", "Voss"]), ("Sam Okafor", ["Sam"]), ("Lena Brooks", ["Lena"]),
                         ("Marcus Hale", ["Marcus", "Hale"]), ("Priya Shah", ["Priya"])],
    "Lanternfall (Video Game)": [("Ember", ["the Wayfinder"]), ("Corvin Ash", ["Corvin"]), ("Lys", ["Lys"]),
                                 ("Old Tam", ["Tam"]), ("Sable Vey", ["Sable"])],
}
FANDOM_WEIGHTS = [40, 15, 15, 12, 10, 8]
TAGS = ("Angst Fluff Hurt/Comfort Slow Burn Canon Divergence Alternate Universe Established Relationship "
        "Friends to Lovers Enemies to Lovers Found Family Post-Canon Missing Scene Humor Grief Pining "
        "Mutual Pining Fix-It Character Study Drabble Songfic First Kiss Domestic Road Trip Whump").split(" ")
TAGS = [t.replace("_", " ") for t in TAGS]
RATINGS = (["General Audiences"] * 3 + ["Teen And Up Audiences"] * 4 + ["Mature"] * 2 + ["Explicit"] * 1
           + ["Not Rated"])
VERBS = ["said", "asked", "whispered", "muttered", "replied", "called", "snapped", "murmured"]
STOCK_PHRASES = ["May we meet again.", "I love you.", "I'm not leaving you.", "Stay with me.",
                 "We're going to be okay.", "I'm sorry."]
FALLBACK_WORDS = ("the of and to a in was he she it that his her had with for as at on but not be by you "
                  "they all from were this which one there so have what them would if or when said been who "
                  "no more out up into time could than little very some like only any then other know door "
                  "hand eyes night rain light voice forest river fire ship morning house silence wall road "
                  "stars sky window blood smile breath heart moment dark cold quiet long old back face").split()


def load_sentences(limit_files: int = 22) -> list[str]:
    files = sorted(glob.glob(str(PDNC / "*" / "novel_text.txt")))[:limit_files]
    sentences: list[str] = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"[_\"“”‘’]|--", " ", text)
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            words = sentence.split()
            if 4 <= len(words) <= 40 and sentence[0].isupper() and not sentence.isupper():
                sentences.append(sentence)
    if sentences:
        return sentences
    rng = random.Random(0)
    weights = [1 / (i + 1) for i in range(len(FALLBACK_WORDS))]
    for _ in range(50_000):
        words = rng.choices(FALLBACK_WORDS, weights, k=rng.randint(5, 25))
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


class Generator:
    """Synthetic works with their analyses, reproducible from a seed."""

    def __init__(self, sentences: list[str], *, seed: int = 1, scale: float = 1.0):
        self.sentences = sentences
        self.rng = random.Random(seed)
        self.scale = scale

    def length(self) -> int:
        words = self.rng.lognormvariate(math.log(3000), 0.9)
        return max(150, int(min(40_000, max(300, words)) * self.scale))

    def work(self, n: int) -> tuple[Analysis, str]:
        rng = self.rng
        fandom = rng.choices(list(FANDOMS), FANDOM_WEIGHTS)[0]
        cast = rng.sample(FANDOMS[fandom], k=min(len(FANDOMS[fandom]), rng.randint(3, 6)))
        names = [c[0] for c in cast]
        pov = [names[0]] + ([names[1]] if rng.random() < 0.2 else [])
        person = rng.choices(["third", "first", "second"], [70, 25, 5])[0]
        tense = rng.choices(["past", "present"], [78, 22])[0]
        target = self.length()
        parts: list[str] = []
        pos = 0
        paragraphs: list[Paragraph] = []
        notes: list[Note] = []
        quotes: list[Quote] = []
        narration_paragraphs: list[dict] = []

        def put(text: str, kind: str = "text") -> Paragraph:
            nonlocal pos
            paragraph = Paragraph(pos, pos + len(text), 0, kind)
            paragraphs.append(paragraph)
            parts.append(text + "\n\n")
            pos += len(text) + 2
            return paragraph

        title = " ".join(rng.choice(self.sentences).split()[:rng.randint(2, 5)]).strip(",.;:!?")
        put(title, "heading")
        summary = rng.choice(self.sentences)
        notes.append(Note("summary", summary, pos, pos + len(summary)))
        put(summary)
        if rng.random() < 0.5:
            note = "Author's note: " + rng.choice(self.sentences)
            notes.append(Note("front", note, pos, pos + len(note)))
            put(note)
        words = 0
        while words < target:
            if rng.random() < 0.35:
                speaker, addressee = rng.sample(cast, 2) if len(cast) > 1 else (cast[0], None)
                said = rng.choice(STOCK_PHRASES) if rng.random() < 0.01 else rng.choice(self.sentences)
                said = said.rstrip(".!?;:,")
                line = f'"{said}," {rng.choice([speaker[0]] + speaker[1])} {rng.choice(VERBS)}.'
                paragraph = put(line)
                quotes.append(Quote(paragraph.start + 1, paragraph.start + 1 + len(said), said,
                                    speaker=speaker[0], addressee=addressee[0] if addressee else None,
                                    confidence=round(rng.uniform(0.5, 1.0), 2), method="explicit",
                                    paragraph=len(paragraphs) - 1))
                words += len(line.split())
            else:
                text = " ".join(rng.choice(self.sentences) for _ in range(rng.randint(1, 5)))
                if rng.random() < 0.3:
                    text = f"{rng.choice(names)} " + text[0].lower() + text[1:]
                put(text)
                words += len(text.split())
            narration_paragraphs.append({"paragraph": len(paragraphs) - 1, "start": paragraphs[-1].start,
                                         "end": paragraphs[-1].end, "tense": tense, "pov": pov[0]})
        text = "".join(parts)
        ships = [sorted(rng.sample(names, 2))] if rng.random() < 0.6 else []
        relationships = ["/".join(s) for s in ships] + (
            [f"{rng.choice(names)} & {rng.choice(names)}"] if rng.random() < 0.3 else [])
        year = rng.randint(2012, 2024)
        meta = Metadata(
            title=title, authors=[f"author{rng.randint(1, max(2, n // 8 + 2))}"], fandoms=[fandom],
            relationships=relationships, characters=names, tags=rng.sample(TAGS, rng.randint(1, 6)),
            rating=rng.choice(RATINGS), language="English", published=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            summary=summary, words=words,
        )
        work = Work(source=f"synthetic/{n:06d}.txt", format="text", text=text, chapters=[Chapter(None, 0, len(text))],
                    paragraphs=paragraphs, notes=notes, meta=meta)
        spoken = {}
        for q in quotes:
            spoken[q.speaker] = spoken.get(q.speaker, 0) + 1
        characters = [Character(f"c{i + 1}", name, list(aliases), mentions=text.count(name.split()[0]),
                                quotes=spoken.get(name, 0)) for i, (name, aliases) in enumerate(cast)]
        analysis = Analysis(
            work=work, characters=characters, quotes=quotes,
            narration=Narration(person=person, tense=tense, pov=pov, paragraphs=narration_paragraphs),
            ships=ships, versions={"quotes": "bench", "characters": "bench", "speakers": "bench",
                                   "narration": "bench", "ships": "bench"},
        )
        return analysis, f"{n:016x}"


def build(db: str, works: int, *, seed: int, scale: float, batch: int = 1, report_every: int = 1000) -> dict:
    """Store `works` synthetic works; `batch` > 1 puts that many in one transaction (`Library.batch`)."""
    sentences = load_sentences()
    gen = Generator(sentences, seed=seed, scale=scale)
    generate_s = store_s = 0.0
    text_bytes = words = 0
    with Library(db) as lib:
        start_count = lib.count()
        for first in range(start_count, works, batch):
            items = []
            t0 = time.perf_counter()
            for n in range(first, min(works, first + batch)):
                items.append((n, *gen.work(n)))
            t1 = time.perf_counter()
            if batch > 1:
                with lib.batch():
                    for n, analysis, digest in items:
                        lib.add(analysis, source_path=f"/synthetic/{n:06d}.txt", content_hash=digest)
            else:
                for n, analysis, digest in items:
                    lib.add(analysis, source_path=f"/synthetic/{n:06d}.txt", content_hash=digest)
            t2 = time.perf_counter()
            generate_s += t1 - t0
            store_s += t2 - t1
            for n, analysis, _ in items:
                text_bytes += len(analysis.work.text.encode("utf-8"))
                words += analysis.work.meta.words
                if (n + 1) % report_every == 0:
                    print(f"  {n + 1:,} works, store {store_s:.0f}s ({(n + 1 - start_count) / store_s:.0f} works/s)",
                          file=sys.stderr, flush=True)
        lib._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stored = works - start_count
    size = os.path.getsize(db)
    return {
        "works": works, "stored_now": stored, "words": words, "text_mb": text_bytes / 1e6,
        "generate_s": round(generate_s, 1), "store_s": round(store_s, 1),
        "works_per_s": round(stored / store_s, 1) if store_s else None,
        "mb_per_s": round(text_bytes / 1e6 / store_s, 2) if store_s else None,
        "db_mb": round(size / 1e6, 1),
    }


def queries(seed: int) -> list[tuple[str, str | None, dict]]:
    """(class, query, filters), varied: the words are drawn from frequency bands of the text."""
    rng = random.Random(seed)
    common = ["time", "door", "eyes", "house", "little", "great", "heart", "morning", "thought", "hand"]
    mid = ["garden", "letter", "carriage", "silence", "window", "river", "candle", "sister", "evening", "promise"]
    rare = ["lantern", "thunder", "harbour", "meadow", "violin", "whisper", "orchard", "velvet", "hunger", "tempest"]
    phrases = ['"may we meet again"', '"i love you"', '"at the same time"', '"in the morning"', '"stay with me"',
               '"i do not know"', '"the rest of the"', '"for a moment"']
    prefixes = ["whisp*", "carri*", "sil*", "thund*", "gard*", "promis*", "lov*", "mor*"]
    booleans = ["garden AND letter", "river OR harbour", "door NOT window", "(candle OR lantern) AND night",
                "sister AND evening NOT carriage", "thunder OR tempest OR storm"]
    filters = [
        {"pov": "Bellamy"}, {"tense": "present"}, {"person": "first"}, {"ship": "Clarke/Bellamy"},
        {"fandom": "The 100"}, {"words_min": 1000, "words_max": 5000}, {"character": "Raven"},
        {"rating": "T", "tense": "past"}, {"tag": "Slow Burn"}, {"fandom": "Starfall Academy", "person": "third"},
    ]
    out: list[tuple[str, str | None, dict]] = []
    for _ in range(25):
        out.append(("word (common)", rng.choice(common), {}))
        out.append(("word (mid)", rng.choice(mid), {}))
        out.append(("word (rare)", rng.choice(rare), {}))
        out.append(("phrase", rng.choice(phrases), {}))
        out.append(("prefix", rng.choice(prefixes), {}))
        out.append(("boolean", rng.choice(booleans), {}))
        out.append(("word + filters", rng.choice(common + mid + rare), rng.choice(filters)))
        out.append(("phrase + filters", rng.choice(phrases), rng.choice(filters)))
        out.append(("filters only", None, rng.choice(filters)))
        out.append(("speaker", rng.choice(mid + rare), {"speaker": rng.choice(["Clarke", "Bellamy", "Octavia"])}))
    rng.shuffle(out)
    return out


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(db: str, *, seed: int) -> dict:
    """Wall-clock and CPU time per query: on a shared machine the CPU time is the figure that does
    not depend on what else is running; both are reported, with the load average."""
    plan = queries(seed)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with Library(db, readonly=True) as lib:
        for _, query, f in plan[:20]:  # warm the page cache
            lib.search(query, filters=f, limit=20)
        for cls, query, f in plan:
            c0, t0 = time.process_time(), time.perf_counter()
            lib.search(query, filters=f, limit=20)
            wall.setdefault(cls, []).append((time.perf_counter() - t0) * 1000)
            cpu.setdefault(cls, []).append((time.process_time() - c0) * 1000)
        facet_ms = []
        for query in ["garden", '"i love you"', None]:
            t0 = time.perf_counter()
            lib.facets(query)
            facet_ms.append((time.perf_counter() - t0) * 1000)

    def summary(timings: dict[str, list[float]]) -> dict:
        everything = [t for ts in timings.values() for t in ts]
        return {
            "median_ms": round(statistics.median(everything), 1),
            "p95_ms": round(percentile(everything, 0.95), 1),
            "max_ms": round(max(everything), 1),
            "by_class": {cls: {"n": len(ts), "median_ms": round(statistics.median(ts), 1),
                               "p95_ms": round(percentile(ts, 0.95), 1)} for cls, ts in sorted(timings.items())},
        }

    return {"queries": len(plan), "wall": summary(wall), "cpu": summary(cpu),
            "facets_ms": [round(t, 1) for t in facet_ms], "load_average": os.getloadavg()}


def end_to_end(n: int, *, seed: int) -> dict:
    """The real `ficlens index` (ingest + analysis + store) on n generated plain-text files."""
    from click.testing import CliRunner

    from ficlens.cli import main

    gen = Generator(load_sentences(), seed=seed, scale=1.0)
    with tempfile.TemporaryDirectory() as tmp:
        total = 0
        for i in range(n):
            analysis, _ = gen.work(i)
            path = Path(tmp, "fics", f"{i:05d}.txt")
            path.parent.mkdir(exist_ok=True)
            path.write_text(analysis.work.text, encoding="utf-8")
            total += len(analysis.work.text.encode("utf-8"))
        t0 = time.perf_counter()
        result = CliRunner().invoke(main, ["index", str(Path(tmp, "fics")), "--db", str(Path(tmp, "e2e.db"))])
        seconds = time.perf_counter() - t0
    return {"works": n, "seconds": round(seconds, 1), "works_per_s": round(n / seconds, 2),
            "mb_per_s": round(total / 1e6 / seconds, 2), "summary": result.stdout.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--db", required=True, help="library file to build (resumed when it exists)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every work's length by this")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1,
                        help="works per transaction (1, the default, is what `ficlens index` does)")
    parser.add_argument("--e2e", type=int, default=0, help="also time the real `ficlens index` on N files")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    t0 = time.time()
    result = {"build": build(args.db, args.works, seed=args.seed, scale=args.scale, batch=args.batch),
              "scale": args.scale, "batch": args.batch}
    result["search"] = measure(args.db, seed=args.seed)
    if args.e2e:
        result["end_to_end"] = end_to_end(args.e2e, seed=args.seed)
    result["wall_s"] = round(time.time() - t0, 1)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    b, s = result["build"], result["search"]
    print(f"library: {b['works']:,} works, database {b['db_mb']:,.0f} MB (length scale {args.scale}); "
          f"this run stored {b['stored_now']:,} works, {b['words']:,} words, {b['text_mb']:.0f} MB of text")
    if b["stored_now"]:
        print(f"store: {b['works_per_s']} works/s, {b['mb_per_s']} MB/s of text, {args.batch} work(s) per transaction"
              f" (generation {b['generate_s']}s apart)")
    w, c = s["wall"], s["cpu"]
    print(f"search, {s['queries']} queries (load average {', '.join(f'{x:.1f}' for x in s['load_average'])}): "
          f"wall median {w['median_ms']} ms, p95 {w['p95_ms']} ms; CPU median {c['median_ms']} ms, p95 {c['p95_ms']} ms")
    print("| query class | n | wall median ms | wall p95 ms | CPU median ms | CPU p95 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for cls, row in w["by_class"].items():
        cr = c["by_class"][cls]
        print(f"| {cls} | {row['n']} | {row['median_ms']} | {row['p95_ms']} | {cr['median_ms']} | {cr['p95_ms']} |")
    print(f"| **all** | {s['queries']} | {w['median_ms']} | {w['p95_ms']} | {c['median_ms']} | {c['p95_ms']} |")
    print(f"facets (all eight, for 'garden', '\"i love you\"', everything): {s['facets_ms']} ms")
    if "end_to_end" in result:
        e = result["end_to_end"]
        print(f"end to end `ficlens index` on {e['works']} files: {e['works_per_s']} works/s, {e['mb_per_s']} MB/s")


if __name__ == "__main__":
    main()
