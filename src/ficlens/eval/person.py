"""Narrative person of each PDNC novel against the PDNC index (`ficlens eval pdnc` reports it).

The index's "Narrative Person" column says 1.0 or 3.0; ficlens reads each novel_text.txt through
the ordinary ingest, finds the quotes and masks them, and counts the pronouns left.
"""

from __future__ import annotations

import ast
import csv
import os

from .. import ingest
from ..analyze import analyze, narration, quotes
from ..errors import InputError

_PERSON = {"1": "first", "1.0": "first", "2": "second", "2.0": "second", "3": "third", "3.0": "third"}


def read_index(data_dir: str) -> dict[str, str]:
    """Folder name -> "first" | "second" | "third", from PDNC-Novel-Index.csv."""
    path = os.path.join(data_dir, "PDNC-Novel-Index.csv")
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc))
    out = {}
    for row in rows:
        person = _PERSON.get((row.get("Narrative Person") or "").strip())
        folder = (row.get("Folder Name") or "").strip()
        if person and folder:
            out[folder] = person
    if not out:
        raise InputError(path, "no novels with a Narrative Person")
    return out


def _gold_narrator(data_dir: str, folder: str) -> tuple[str | None, list[dict]]:
    """The character PDNC marks with the alias "_narr", and the novel's cast for `--cast`."""
    path = os.path.join(data_dir, folder, "character_info.csv")
    if not os.path.exists(path):
        return None, []
    narrator, cast = None, []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            aliases = sorted(ast.literal_eval(row.get("Aliases") or "[]"))
            if "_narr" in aliases:
                narrator = row["Main Name"]
            cast.append({"name": row["Main Name"], "aliases": [a for a in aliases if not a.startswith("_") and a != "Narr"]})
    return narrator, cast


def evaluate(data_dir: str, *, novels: list[str] | None = None, narrators: bool = True) -> dict:
    """{"overall": {"correct", "total", "accuracy"}, "per_novel": {folder: {"gold", "predicted", "correct"}}}.

    With `narrators`, each first-person novel whose PDNC character list marks the narrator ("_narr")
    is also analysed with that list as the cast, and "narrator" in its row compares the name
    ficlens gives the "I" (from how others address them) with PDNC's.
    """
    gold = read_index(data_dir)
    per_novel = {}
    for folder in sorted(gold):
        if novels is not None and folder not in novels:
            continue
        path = os.path.join(data_dir, folder, "novel_text.txt")
        if not os.path.exists(path):
            continue
        work = ingest.read(path)
        predicted = narration.person(work, quotes.find(work))
        row = {"gold": gold[folder], "predicted": predicted, "correct": predicted == gold[folder]}
        if narrators and gold[folder] == "first":
            narrator, cast = _gold_narrator(data_dir, folder)
            if narrator:
                found = analyze(work, cast=cast).narration.pov
                row["narrator"] = {"gold": narrator, "predicted": found[0] if found else None,
                                   "correct": bool(found) and found[0] == narrator}
        per_novel[folder] = row
    correct = sum(r["correct"] for r in per_novel.values())
    total = len(per_novel)
    named = [r["narrator"]["correct"] for r in per_novel.values() if "narrator" in r]
    overall = {"correct": correct, "total": total, "accuracy": correct / total if total else None}
    if named:
        overall["narrator_named"] = {"correct": sum(named), "total": len(named)}
    return {"overall": overall, "per_novel": per_novel}
