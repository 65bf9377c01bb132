"""Ingest speed: MB/s of plain text read, decoded, normalised and segmented (paragraphs, breaks,
headings, front/end notes) by `ficlens.ingest.read`, against plain Python reading the same bytes,
decoding them and splitting lines.

The corpus (~50 MB by default) is generated in the shapes of the sample fics: notes and title lines
on top or none, blank-line paragraphs or one paragraph per line, scene breaks, chapter headings, end
notes, CRLF, Windows-1252 and mojibake. Sentences come from ../shared/samples/fics when present
(shuffled into new stories, never stored), else from a small built-in word list.

    nice python benchmarks/ingest.py [--mb 50] [--repeat 3]

`--novels` instead checks the notes finder against text that has no author's notes at all (the PDNC
novels and LitBank excerpts in ../shared/data): everything it takes there should be a title, byline,
dedication or heading line, never narration.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import shutil
import tempfile
import time
from pathlib import Path

from ficlens import ingest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "samples" / "fics"
FRONT = [
    "Ok so I only finished the season yesterday and I haven't written for these two yet. Hope it's enjoyable?",
    "The title is a line from the song playing during that scene.",
    "A/N: I wanted to write a fic of how I think it might play out tonight. Anyway, enjoy!!",
    "Disclaimer: I don't own the show or any of the characters.",
]
END = ["Thanks for reading! Comments are love <3", "Let me know what you think! Follow me on tumblr.", ""]
BREAKS = ["***", "* * *", "~~~", "oOo", "---"]
WORDS = ("the light was low and she turned toward the water he said nothing for a long time "
         "their hands almost touched before the door opened and the wind came in off the sea").split()


def sentences() -> list[str]:
    if SAMPLES.is_dir():
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
        found = [s.strip() for s in re.split(r"(?<=[.!?”\"])\s+", text) if 20 < len(s.strip()) < 400]
        if found:
            return found
    rng = random.Random(1)
    return [" ".join(rng.choices(WORDS, k=rng.randint(6, 25))).capitalize() + "." for _ in range(500)]


def fic(rng: random.Random, pool: list[str]) -> bytes:
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(["Please Don't Go.", "not breaking my heart", "Heaven's Door"]))
    if rng.random() < 0.5:
        parts.append(rng.choice(FRONT))
    chapters = rng.choice([1, 1, 1, 3, 5])
    for c in range(chapters):
        if chapters > 1:
            parts.append(f"Chapter {c + 1}")
        for _ in range(rng.randint(20, 60)):
            parts.append(" ".join(rng.sample(pool, rng.randint(1, 5))))
            if rng.random() < 0.02:
                parts.append(rng.choice(BREAKS))
    end = rng.choice(END)
    if end:
        parts.append(end)
    text = ("\n" if rng.random() < 0.25 else "\n\n").join(parts) + "\n"
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    roll = rng.random()
    if roll < 0.1:
        return text.replace("'", "’").encode("cp1252")
    if roll < 0.15:
        return text.replace("'", "’").encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    return text.encode("utf-8")


def make_corpus(folder: Path, megabytes: float, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    pool = sentences()
    paths, total, n = [], 0, 0
    while total < megabytes * 1024 * 1024:
        data = fic(rng, pool)
        path = folder / f"{n:05d}.txt"
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
        n += 1
    return paths


def plain_python(paths: list[Path]) -> int:
    lines = 0
    for path in paths:
        with open(path, "rb") as f:
            lines += len(f.read().decode("utf-8", errors="replace").splitlines())
    return lines


def ficlens_ingest(paths: list[Path]) -> int:
    return sum(len(ingest.read(path).paragraphs) for path in paths)


def measure(fn, paths: list[Path], size: int, repeat: int) -> tuple[float, float]:
    """(MB/s of CPU time, MB/s of wall time), best of `repeat` runs each.

    CPU time is the steadier figure on a shared machine: other jobs slow the wall clock, not it."""
    cpu = wall = float("inf")
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        fn(paths)
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start_wall)
    megabytes = size / (1024 * 1024)
    return megabytes / cpu, megabytes / wall


def notes_on_novels() -> None:
    files = sorted(SHARED.glob("data/pdnc/*/novel_text.txt")) + sorted(SHARED.glob("data/litbank/quotations/tsv/*_brat.txt"))
    if not files:
        raise SystemExit(f"no PDNC or LitBank texts under {SHARED / 'data'}")
    kinds: collections.Counter = collections.Counter()
    taken = []
    for path in files:
        work = ingest.read(path)
        headings = {(p.start, p.end) for p in work.paragraphs if p.kind == "heading"}
        for note in work.notes:
            if (note.start, note.end) in headings:
                kind = "title/byline lines"
            elif note.text.strip(" .").upper() == "THE END":
                kind = "THE END"
            else:
                kind = f"{note.kind} notes"
                taken.append((path.parent.name if "pdnc" in path.parts else path.name, note.text[:60]))
            kinds[kind] += 1
    print(f"{len(files)} novels and excerpts: " + ", ".join(f"{n} {kind}" for kind, n in kinds.most_common()))
    for name, text in taken:
        print(f"  {name} | {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50, help="corpus size in MB (default 50)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method; the best is reported")
    parser.add_argument("--novels", action="store_true", help="check the notes finder on PDNC and LitBank instead")
    args = parser.parse_args()
    if args.novels:
        notes_on_novels()
        return
    folder = Path(tempfile.mkdtemp(prefix="ficlens-ingest-bench-"))
    try:
        paths = make_corpus(folder, args.mb)
        size = sum(p.stat().st_size for p in paths)
        notes = sum(len(ingest.read(p).notes) for p in paths[:200])
        print(f"corpus: {len(paths)} fics, {size / 2**20:.1f} MB ({notes} notes found in the first 200)")
        plain = measure(plain_python, paths, size, args.repeat)
        ours = measure(ficlens_ingest, paths, size, args.repeat)
        print(f"{'MB/s':52} {'CPU time':>9} {'wall time':>10}")
        print(f"{'plain Python (read, decode, splitlines)':52} {plain[0]:9.1f} {plain[1]:10.1f}")
        print(f"{'ficlens ingest.read (decode, segment, find notes)':52} {ours[0]:9.1f} {ours[1]:10.1f}")
        print(f"ratio: ficlens takes {plain[0] / ours[0]:.1f}x the CPU time of plain Python")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
