"""Read the Project Dialogism Novel Corpus (PDNC) for speaker attribution.

Each novel folder holds `novel_text.txt`, `quotation_info.csv` (one row per quotation: its
sub-quotation spans, which are character offsets into the text between the quote marks, the
speaker, the addressees and the quote type explicit / anaphoric / implicit) and
`character_info.csv` (the cast: main name, aliases, gender). The cast becomes a ficlens cast list
`[{"name", "aliases", "gender"}]`, the same shape `ficlens analyze --cast` reads.
"""

from __future__ import annotations

import ast
import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Work
from .quotes import blank_line_work, novel_folders

QUOTE_TYPES = ("explicit", "anaphoric", "implicit")


@dataclass(frozen=True)
class GoldQuote:
    id: str
    spans: tuple[tuple[int, int], ...]
    speaker: str
    addressees: tuple[str, ...]
    type: str  # explicit | anaphoric | implicit


@dataclass(frozen=True)
class Novel:
    name: str
    work: Work
    quotes: list[GoldQuote]
    cast: list[dict]


def novels(data_dir: str | Path, *, only: list[str] | None = None) -> list[str]:
    """Folder names of the PDNC novels under `data_dir`, sorted; `only` keeps the named ones."""
    names = [p.name for p in novel_folders(data_dir)]
    if only:
        missing = [n for n in only if n not in names]
        if missing:
            raise InputError(str(data_dir), f"no PDNC novel named {', '.join(missing)}")
        names = [n for n in names if n in only]
    return names


def read(data_dir: str | Path, name: str) -> Novel:
    folder = Path(data_dir) / name
    path = folder / "novel_text.txt"
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        quotes = _quotes(folder / "quotation_info.csv")
        cast = _cast(folder / "character_info.csv")
    except OSError as exc:
        raise InputError(str(folder), exc.strerror or str(exc))
    return Novel(name, blank_line_work(str(path), text), quotes, cast)


def _quotes(path: Path) -> list[GoldQuote]:
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            spans = tuple((int(s), int(e)) for s, e in ast.literal_eval(row["quoteByteSpans"]))
            addressees = tuple(ast.literal_eval(row["addressees"])) if row.get("addressees") else ()
            out.append(GoldQuote(row["quoteID"], spans, row["speaker"].strip(), addressees, row["quoteType"].strip().lower()))
    out.sort(key=lambda q: q.spans[0])
    return out


def _cast(path: Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = row["Main Name"].strip()
            try:
                aliases = sorted(ast.literal_eval(row["Aliases"]))
            except (ValueError, SyntaxError):
                aliases = []
            gender = {"M": "male", "F": "female"}.get((row.get("Gender") or "").strip().upper())
            out.append({"name": name, "aliases": [a for a in aliases if a != name], "gender": gender})
    return out
