"""Shared lines across the library, and two works' aligned passages side by side.

Reuse is not stored in the library: `ficlens.corpus.reuse.find` computes it from the works' texts.
The server computes it once per library state in a background thread and keeps the report in
memory; until it is ready (or if the reuse module is missing) the page says so instead of waiting.
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from ..corpus.store import Library
from .titles import display_title
from ..model import Analysis
from . import stored

try:
    from ..corpus import reuse as reuse_engine
except ImportError:  # a build without the reuse module: the pages say reuse is unavailable
    reuse_engine = None

SHOWN = 200
MAX_WORKS = 5_000  # beyond this, computing reuse belongs to `ficlens reuse` (and Spark), not a page view
_WORD = re.compile(r"\S+|\s+")


@dataclass
class _State:
    signature: tuple
    status: str  # "computing" | "ready" | "failed" | "too-large"
    report: object = None
    error: str | None = None
    titles: dict | None = None


_states: dict[str, _State] = {}
_lock = threading.Lock()


def _signature(lib: Library) -> tuple:
    """Changes whenever works are added, replaced or removed."""
    latest = lib.works(limit=1, sort="added")
    return (lib.count(), latest[0]["id"] if latest else None, latest[0]["indexed_at"] if latest else None)


def _texts(lib: Library) -> tuple[list, dict[str, str]]:
    texts, titles = [], {}
    for summary in lib.works(limit=1_000_000, sort="added"):
        doc = lib.work(summary["id"])
        if doc is None:
            continue
        analysis = stored.analysis(doc)
        texts.append(replace(reuse_engine.text_of(analysis.work, analysis), id=doc["key"]))
        titles[doc["key"]] = display_title(doc.get("title"), doc["source"])
    return texts, titles


def _compute(path: str, state: _State) -> None:
    try:
        with Library(path, readonly=True) as lib:
            texts, titles = _texts(lib)
        state.report = reuse_engine.find(texts)
        state.titles = titles
        state.status = "ready"
    except Exception as exc:  # shown on the page; the server keeps serving every other page
        state.status, state.error = "failed", f"{type(exc).__name__}: {exc}"


def report_for(lib: Library, *, wait: float = 0.0) -> _State | None:
    """The reuse report for the library's current state, starting its computation if needed."""
    if reuse_engine is None:
        return None
    signature = _signature(lib)
    worker = None
    with _lock:
        state = _states.get(lib.path)
        if state is None or state.signature != signature:
            state = _State(signature=signature, status="computing")
            _states[lib.path] = state
            if signature[0] > MAX_WORKS:
                state.status = "too-large"
                return state
            worker = threading.Thread(target=_compute, args=(lib.path, state), name="ficlens-reuse", daemon=True)
            worker.start()
    if worker is not None and wait:
        worker.join(wait)
    return state


def _work_passages(cluster: dict, titles: dict[str, str]) -> list[dict]:
    return [{**p, "title": titles.get(p["work"], p["source"])} for p in cluster["passages"]]


def _works(passages: list[dict]) -> list[dict]:
    """Each work of a cluster once (a line can recur within a work), in the cluster's order."""
    seen: dict[str, dict] = {}
    for p in passages:
        seen.setdefault(p["work"], {"work": p["work"], "title": p["title"]})
    return list(seen.values())


def _view(clusters: list[dict], titles: dict[str, str]) -> list[dict]:
    out = []
    for c in clusters:
        shown = _work_passages(c, titles)
        out.append({**{k: v for k, v in c.items() if k != "passages"}, "passages": shown, "where": _works(shown)})
    return out


def build(lib: Library) -> tuple[dict, dict]:
    """(JSON twin, HTML context) of the shared-lines page."""
    state = report_for(lib, wait=2.0)
    if state is None:
        data = {"status": "unavailable", "message": "Reuse has not been computed: this ficlens has no reuse module."}
        return data, {"lines": [], "passages": []}
    if state.status != "ready":
        message = {
            "computing": "Reuse has not been computed yet: it is being computed now, reload in a moment.",
            "too-large": f"Reuse has not been computed: this library has more than {MAX_WORKS:,} works, too many "
                         "to compare inside the web app. Run `ficlens reuse --db LIBRARY` (or with --engine spark).",
        }.get(state.status, f"Reuse could not be computed: {state.error}")
        return {"status": state.status, "message": message}, {"lines": [], "passages": []}
    report, titles = state.report, state.titles
    lines = [c for c in report.clusters if c["kind"] == "line"]
    passages = [c for c in report.clusters if c["kind"] == "passage"]
    data = {
        "status": "ready",
        "works": report.works,
        "lines": _view(lines[:SHOWN], titles),
        "passages": _view(passages[:SHOWN], titles),
        "retellings": report.retellings,
        "duplicates": report.duplicates,
        "counts": {"lines": len(lines), "passages": len(passages)},
    }
    return data, {}


def _diff(mine: str, theirs: str) -> Markup:
    """`mine` with the words `theirs` lacks marked, escaped word by word."""
    a, b = _WORD.findall(mine), _WORD.findall(theirs)
    out = []
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b], autojunk=False)
    for tag, i0, i1, _, _ in matcher.get_opcodes():
        chunk = str(escape("".join(a[i0:i1])))
        out.append(chunk if tag == "equal" or not chunk.strip() else f'<span class="changed">{chunk}</span>')
    return Markup("".join(out))


def compare(lib: Library, key_a: str, a: Analysis, key_b: str, b: Analysis) -> tuple[dict, dict]:
    """Passages two works share, aligned side by side, with the words that differ marked."""
    base = {"a": {"key": key_a, "title": display_title(a.work.meta.title, a.work.source)},
            "b": {"key": key_b, "title": display_title(b.work.meta.title, b.work.source)}}
    if reuse_engine is None:
        return {**base, "status": "unavailable", "pairs": [],
                "message": "Reuse has not been computed: this ficlens has no reuse module."}, {"rows": []}
    texts = [replace(reuse_engine.text_of(x.work, x), id=k) for k, x in ((key_a, a), (key_b, b))]
    report = reuse_engine.find(texts)
    pairs = []
    for cluster in report.clusters:
        left = [p for p in cluster["passages"] if p["work"] == key_a]
        right = [p for p in cluster["passages"] if p["work"] == key_b]
        if left and right:
            pairs.append({"kind": cluster["kind"], "a": left, "b": right})
    pairs.sort(key=lambda p: p["a"][0]["start"])
    rows = [
        {"kind": p["kind"],
         "a": [(x, _diff(x["text"], " ".join(y["text"] for y in p["b"]))) for x in p["a"]],
         "b": [(y, _diff(y["text"], " ".join(x["text"] for x in p["a"]))) for y in p["b"]]}
        for p in pairs
    ]
    return {**base, "status": "ready", "pairs": pairs}, {"rows": rows}
