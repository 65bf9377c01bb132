"""Narrative person of each PDNC novel against the PDNC index (`ficlens eval pdnc` reports it).

The index's "Narrative Person" column says 1.0 or 3.0; ficlens reads each novel_text.txt through
the ordinary ingest, finds the quotes and masks them, and counts the pronouns left.
"""

from __future__ import annotations

import csv
import os

from .. import ingest
from ..analyze import narration, quotes
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


def evaluate(data_dir: str, *, novels: list[str] | None = None) -> dict:
    """{"overall": {"correct", "total", "accuracy"}, "per_novel": {folder: {"gold", "predicted", "correct"}}}."""
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
        per_novel[folder] = {"gold": gold[folder], "predicted": predicted, "correct": predicted == gold[folder]}
    correct = sum(r["correct"] for r in per_novel.values())
    total = len(per_novel)
    return {
        "overall": {"correct": correct, "total": total, "accuracy": correct / total if total else None},
        "per_novel": per_novel,
    }
