"""Score ficlens against your own gold annotations, written in the `ficlens analyze --json` shape.

A gold folder holds `*.json` files (one object) or `*.jsonl` files (one object per line), each:

    {"source": "story.txt",                                  # the story, relative to the JSON file
     "characters": [{"name": "Clarke Griffin", "aliases": ["Clarke", "princess"]}],
     "quotes": [{"start": 812, "end": 834, "speaker": "Clarke Griffin", "addressee": "Bellamy Blake"}]}

Offsets are as in `ficlens analyze --json` (into the text `ficlens analyze --text` prints). The easiest
way to make one is to run `ficlens analyze story.txt --json`, keep the fields above and correct them.
Speakers are compared by names: right when the predicted character's name or aliases share one with
the gold character's. Scored with the gold characters as the cast and without.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import ingest
from ..analyze import analyze
from ..errors import InputError
from .quotes import score as detection_score


def documents(folder: str | Path) -> list[tuple[Path, dict]]:
    root = Path(folder)
    if not root.is_dir():
        raise InputError(str(root), "not a folder of gold JSON files")
    out = []
    for path in sorted([*root.rglob("*.json"), *root.rglob("*.jsonl")]):
        try:
            lines = path.read_text(encoding="utf-8").splitlines() if path.suffix == ".jsonl" else [path.read_text(encoding="utf-8")]
            objs = [json.loads(line) for line in lines if line.strip()]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(str(path), f"not gold JSON: {exc}")
        for obj in objs:
            if not isinstance(obj, dict) or "source" not in obj or "quotes" not in obj:
                raise InputError(str(path), 'each gold object needs "source" and "quotes"')
            out.append((path, obj))
    if not out:
        raise InputError(str(root), "no *.json or *.jsonl gold files")
    return out


def evaluate(folder: str | Path) -> dict:
    """{"overall": {"detection", "cast", "no_cast"}, "per_novel": {source: {...}}}."""
    per = {}
    totals = {"cast": [0, 0], "no_cast": [0, 0], "gold": 0, "predicted": 0, "matched": 0}
    for path, obj in documents(folder):
        source = (path.parent / obj["source"]).resolve()
        work = ingest.read(source)
        gold = [q for q in obj["quotes"] if q.get("speaker")]
        cast = [{"name": c["name"], "aliases": c.get("aliases", [])} for c in obj.get("characters", [])]
        names = {c["name"]: {c["name"], *c["aliases"]} for c in cast}
        row = {}
        for setting, given in (("cast", cast or None), ("no_cast", None)):
            result = analyze(work, cast=given)
            found = [q for q in result.quotes if q.kind in ("speech", "thought")]
            own = {c.name: {c.name, *c.aliases} for c in result.characters}
            right = 0
            for g in gold:
                hit = next((q for q in found if min(q.end, g["end"]) - max(q.start, g["start"]) > 0), None)
                if hit and hit.speaker and own.get(hit.speaker, {hit.speaker}) & names.get(g["speaker"], {g["speaker"]}):
                    right += 1
            totals[setting][0] += right
            totals[setting][1] += len(gold)
            row[setting] = round(right / len(gold), 4) if gold else None
            if setting == "no_cast":
                det = detection_score(work.text, [(q.start, q.end) for q in found], [(q["start"], q["end"]) for q in obj["quotes"]])
                row["detection"] = det["overlap"]
                totals["gold"] += det["gold"]
                totals["predicted"] += det["predicted"]
                totals["matched"] += det["overlap"]["matched"]
        per[str(obj["source"])] = row
    overall = {
        s: {"correct": c, "total": n, "accuracy": round(c / n, 4) if n else None}
        for s, (c, n) in ((k, totals[k]) for k in ("cast", "no_cast"))
    }
    overall["detection"] = {
        "precision": round(totals["matched"] / totals["predicted"], 4) if totals["predicted"] else None,
        "recall": round(totals["matched"] / totals["gold"], 4) if totals["gold"] else None,
    }
    return {"dataset": "gold", "overall": overall, "per_novel": per}
