"""Score quote detection against PDNC's gold quotation spans.

PDNC (Vishnubhotla et al. 2022) annotates every quotation of a character in 22 novels. A quotation
interrupted by a tag is one gold quote with several spans (`subQuotationList`, `quoteByteSpans`, which
are character offsets into `novel_text.txt`, the text between the marks); detection is scored at
that span level. PDNC annotates only what characters say or think, so only predicted quotes of kind
speech or thought count against precision.

A predicted span matches a gold span one-to-one in two ways, both reported:
- exact: the same characters once punctuation and spaces at either end are trimmed;
- overlap: they share at least half of the characters of each.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..analyze import quotes
from ..errors import InputError
from ..model import Chapter, Paragraph, Quote, Work

CHARACTER_KINDS = ("speech", "thought")
_BLANK_LINES = re.compile(r"\n[ \t\r]*\n\s*")
_NUMBER = re.compile(r"\d+")
_TRIM = " \t\r\n\"'“”‘’.,;:!?-—–_()[]…"


@dataclass(frozen=True)
class Novel:
    name: str
    work: Work
    gold: list[tuple[int, int]]  # every gold sub-quotation span, sorted


def blank_line_work(source: str, text: str) -> Work:
    """A Work over `text` exactly as given, one paragraph per blank-line separated block."""
    paragraphs = []
    pos = 0
    for gap in [*_BLANK_LINES.finditer(text), None]:
        start, end = pos, gap.start() if gap else len(text)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            paragraphs.append(Paragraph(start, end))
        pos = gap.end() if gap else len(text)
    return Work(
        source=source,
        format="text",
        text=text,
        chapters=[Chapter(title=None, start=0, end=len(text))],
        paragraphs=paragraphs,
    )


def novel_folders(data_dir: str | Path) -> list[Path]:
    """The PDNC novel folders under `data_dir`, by name (raises InputError when there are none)."""
    root = Path(data_dir)
    folders = sorted(p.parent for p in root.glob("*/quotation_info.csv") if (p.parent / "novel_text.txt").is_file())
    if not folders:
        raise InputError(str(root), "no PDNC novels here (expected */novel_text.txt and */quotation_info.csv)")
    return folders


def read_novel(folder: str | Path) -> Novel:
    """One PDNC novel: its text as a Work and its gold quotation spans."""
    folder = Path(folder)
    with open(folder / "novel_text.txt", encoding="utf-8", newline="") as f:
        text = f.read()
    gold = []
    with open(folder / "quotation_info.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            numbers = [int(n) for n in _NUMBER.findall(row["quoteByteSpans"])]
            gold.extend(zip(numbers[::2], numbers[1::2]))
    return Novel(folder.name, blank_line_work(str(folder / "novel_text.txt"), text), sorted(gold))


def score(text: str, predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> dict:
    """Exact and overlap precision/recall/F1 of predicted spans against gold spans (one-to-one)."""
    exact = _match_count(predicted, gold, lambda p, g: _trimmed(text, *p) == _trimmed(text, *g))
    overlap = _match_count(predicted, gold, _half_overlap)
    return {
        "gold": len(gold),
        "predicted": len(predicted),
        "exact": _prf(exact, len(predicted), len(gold)),
        "overlap": _prf(overlap, len(predicted), len(gold)),
    }


def evaluate_detection(data_dir: str | Path, *, novels: list[str] | None = None) -> dict:
    """Quote detection on PDNC: {"overall": {...}, "per_novel": {name: {...}}}, each with exact and overlap P/R/F1."""
    per_novel = {}
    totals = {"gold": 0, "predicted": 0, "exact": [0, 0, 0], "overlap": [0, 0, 0]}
    for folder in novel_folders(data_dir):
        if novels is not None and folder.name not in novels:
            continue
        novel = read_novel(folder)
        predicted = character_spans(quotes.find(novel.work))
        result = score(novel.work.text, predicted, novel.gold)
        per_novel[novel.name] = result
        totals["gold"] += result["gold"]
        totals["predicted"] += result["predicted"]
        for how in ("exact", "overlap"):
            totals[how][0] += result[how]["matched"]
    overall = {
        "gold": totals["gold"],
        "predicted": totals["predicted"],
        "exact": _prf(totals["exact"][0], totals["predicted"], totals["gold"]),
        "overlap": _prf(totals["overlap"][0], totals["predicted"], totals["gold"]),
        "kinds_scored": list(CHARACTER_KINDS),
    }
    return {"dataset": "pdnc", "task": "quote detection", "overall": overall, "per_novel": per_novel}


def character_spans(found: list[Quote]) -> list[tuple[int, int]]:
    """The spans of quotes a character says or thinks (what PDNC annotates), sorted."""
    return sorted((q.start, q.end) for q in found if q.kind in CHARACTER_KINDS)


def errors(text: str, predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[list, list]:
    """(missed gold spans, false-alarm predicted spans) under the overlap rule, for error analysis."""
    matched_p, matched_g = _matching(predicted, gold, _half_overlap)
    missed = [g for i, g in enumerate(gold) if i not in matched_g]
    false = [p for i, p in enumerate(predicted) if i not in matched_p]
    return missed, false


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _half_overlap(p: tuple[int, int], g: tuple[int, int]) -> bool:
    shared = min(p[1], g[1]) - max(p[0], g[0])
    return shared > 0 and shared * 2 >= p[1] - p[0] and shared * 2 >= g[1] - g[0]


def _matching(predicted, gold, same) -> tuple[set[int], set[int]]:
    """Greedy one-to-one matching of two sorted span lists; only overlapping neighbours are compared."""
    matched_p: set[int] = set()
    matched_g: set[int] = set()
    j0 = 0
    for i, p in enumerate(predicted):
        while j0 < len(gold) and gold[j0][1] <= p[0]:
            j0 += 1
        j = j0
        while j < len(gold) and gold[j][0] < max(p[1], p[0] + 1):
            if j not in matched_g and same(p, gold[j]):
                matched_p.add(i)
                matched_g.add(j)
                break
            j += 1
    return matched_p, matched_g


def _match_count(predicted, gold, same) -> int:
    return len(_matching(predicted, gold, same)[0])


def _prf(matched: int, predicted: int, gold: int) -> dict:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"matched": matched, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
