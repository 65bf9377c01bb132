"""LitBank quotations (Sims & Bamman 2020): a reader, and quote detection scored against it.

LitBank gives ~2,000 words of each of 100 novels as tokens, one sentence per line, and its quotes as
token spans `(start sentence, start token, end sentence, end token)`, end inclusive, marks included;
`ATTRIB` rows name each quote's speaker. The original spacing and paragraphs are lost, so `read_book`
rebuilds a text: tokens joined by spaces, no space before closing punctuation and clitics ('s, n't),
opening marks attached to the next token and closing marks to the one before (straight marks take
turns), `t ' ee` glued back into `t'ee`, and a new paragraph wherever a sentence opens a quotation or
starts with a dialogue dash. Each token's character offsets are kept, so gold spans map exactly onto the
rebuilt text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..analyze import quotes
from ..errors import InputError
from ..model import Chapter, Paragraph, Work, trim
from .quotes import CHARACTER_KINDS, character_spans, score

_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%")
_CLITICS = frozenset("'s 'S n't N'T 'll 've 'm 'd 're 'LL 'VE 'M 'D 'RE".split())
_OPENING = frozenset("“‘([{")
_CLOSING = frozenset("”’")
_MARKS = frozenset("\"'“”‘’")
_DIALOGUE_DASHES = frozenset(("—", "―", "--"))
_CLOSING_PUNCTUATION = frozenset(", . ! ? ; : -- — _".split())


@dataclass(frozen=True)
class GoldQuote:
    id: str
    start: int  # character offsets of the words between the marks in the rebuilt text
    end: int
    speaker: str | None  # LitBank's speaker id, e.g. "Winnie_Verloc-3"


@dataclass(frozen=True)
class Book:
    name: str
    work: Work
    quotes: list[GoldQuote]


def book_files(data_dir: str | Path) -> list[Path]:
    """The LitBank quotation .ann files under `data_dir` (the litbank folder or its quotations/tsv)."""
    root = Path(data_dir)
    for folder in (root / "quotations" / "tsv", root / "tsv", root):
        files = sorted(folder.glob("*.ann"))
        if files:
            return files
    raise InputError(str(root), "no LitBank quotation files here (expected quotations/tsv/*.ann)")


def read_book(ann: str | Path) -> Book:
    """One LitBank book: the rebuilt text as a Work, and its gold quotes with speakers."""
    ann = Path(ann)
    with open(ann.with_suffix(".txt"), encoding="utf-8") as f:
        sentences = [line.split() for line in f.read().split("\n")]
    text, offsets, paragraph_starts = _rebuild(sentences)
    rows = []
    with open(ann, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    speakers = {r[1]: r[2] for r in rows if len(r) >= 3 and r[0] == "ATTRIB"}
    gold = []
    for r in rows:
        if len(r) < 6 or r[0] != "QUOTE":
            continue
        s1, t1, s2, t2 = (int(x) for x in r[2:6])
        first, last = offsets[s1][t1], offsets[s2][t2]
        start, end = first[0], last[1]
        if text[first[0] : first[1]] in _MARKS:
            start = first[1]
        if text[last[0] : last[1]] in _MARKS and last[0] >= start:
            end = last[0]
        start, end = trim(text, start, end)
        gold.append(GoldQuote(r[1], start, end, speakers.get(r[1])))
    gold.sort(key=lambda q: (q.start, q.end))
    bounds = paragraph_starts + [len(text)]
    paragraphs = [Paragraph(a, trim(text, a, b)[1]) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
    work = Work(
        source=str(ann.with_suffix(".txt")),
        format="text",
        text=text,
        chapters=[Chapter(title=None, start=0, end=len(text))],
        paragraphs=paragraphs,
    )
    return Book(ann.stem.removesuffix("_brat"), work, gold)


def books(data_dir: str | Path) -> Iterator[Book]:
    """Every LitBank book that has quotations: (name, Work, gold quotes with speaker ids)."""
    for ann in book_files(data_dir):
        book = read_book(ann)
        if book.quotes:
            yield book


def evaluate(data_dir: str | Path) -> dict:
    """Quote detection on LitBank: {"overall": {...}, "per_novel": {name: {...}}} with exact and overlap P/R/F1."""
    per_novel = {}
    matched = {"exact": 0, "overlap": 0}
    n_gold = n_predicted = 0
    for book in books(data_dir):
        predicted = character_spans(quotes.find(book.work))
        gold = [(q.start, q.end) for q in book.quotes]
        result = score(book.work.text, predicted, gold)
        per_novel[book.name] = result
        n_gold += result["gold"]
        n_predicted += result["predicted"]
        for how in matched:
            matched[how] += result[how]["matched"]
    overall = {"gold": n_gold, "predicted": n_predicted, "kinds_scored": list(CHARACTER_KINDS)}
    for how, m in matched.items():
        precision = m / n_predicted if n_predicted else 0.0
        recall = m / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        overall[how] = {"matched": m, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    return {"dataset": "litbank", "task": "quote detection", "overall": overall, "per_novel": per_novel}


def _rebuild(sentences: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]], list[int]]:
    """Detokenised text, each token's (start, end) in it, and where paragraphs start."""
    parts: list[str] = []
    length = 0
    offsets: list[list[tuple[int, int]]] = []
    paragraph_starts = [0]
    in_double = in_single = False
    glue_next = True
    for tokens in sentences:
        row = []
        for k, tok in enumerate(tokens):
            opening = closing = False
            if tok == '"':
                opening, closing = not in_double, in_double
                in_double = not in_double
            elif tok == "'":
                if _is_apostrophe(tokens, k) and (not in_single or len(tokens[k + 1]) <= 2):
                    opening = closing = True  # glued on both sides
                else:
                    closing = _closes(tokens, k, in_single)
                    opening = not closing
                    in_single = opening
            elif tok in _OPENING:
                opening = True
                in_double = in_double or tok == "“"
                in_single = in_single or tok == "‘"
            elif tok in _CLOSING:
                closing = True
                in_double = in_double and tok != "”"
                in_single = in_single and tok != "’"
            dialogue_dash = tok in _DIALOGUE_DASHES and not (in_double or in_single)
            if length and k == 0 and (opening and tok in "\"“'‘" or dialogue_dash):
                parts.append("\n\n")
                length += 2
                paragraph_starts.append(length)
            elif length and not glue_next and not closing and tok[0] not in _NO_SPACE_BEFORE and tok not in _CLITICS:
                parts.append(" ")
                length += 1
            row.append((length, length + len(tok)))
            parts.append(tok)
            length += len(tok)
            glue_next = opening
        offsets.append(row)
    return "".join(parts), offsets, paragraph_starts


def _closes(tokens: list[str], k: int, in_single: bool) -> bool:
    """Whether a lone ' token closes a quotation: before punctuation or at a sentence's end it does, at a
    sentence's start it opens, otherwise it takes turns."""
    if k == 0:
        return False
    if k + 1 == len(tokens) or tokens[k + 1] in _CLOSING_PUNCTUATION:
        return True
    return in_single


def _is_apostrophe(tokens: list[str], k: int) -> bool:
    """`t ' ee`, `o ' t`, `Pa ' son`: a lone ' between word pieces is an elision, not a quote mark."""
    if k == 0 or k + 1 >= len(tokens):
        return False
    before, after = tokens[k - 1], tokens[k + 1]
    return before[-1:].isalpha() and after[:1].isalpha() and after[:1].islower() and len(after) <= 8

