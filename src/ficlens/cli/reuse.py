"""`ficlens reuse`: passages, lines and scenes works share; near-duplicates; a side-by-side view."""

from __future__ import annotations

import json
import os
import shutil
import sys

import click

from .. import ingest
from ..corpus import align as aligner
from ..corpus import reuse
from ..errors import FiclensError, InputError

_EXCERPT = 160


def _fail(ctx: click.Context, exc: Exception) -> None:
    if ctx.obj and ctx.obj.get("debug"):
        raise exc
    click.echo(f"ficlens: {exc}", err=True)
    sys.exit(1)


def _texts_from_paths(paths: list[str]) -> tuple[list[reuse.Text], int]:
    texts, failed = [], 0
    for item in ingest.find_files(paths):
        try:
            if isinstance(item, InputError):
                raise item
            texts.append(reuse.text_of(ingest.read(item)))
        except InputError as exc:
            click.echo(f"ficlens: {exc}", err=True)
            failed += 1
    return texts, failed


def text_from_library(doc: dict) -> reuse.Text:
    """The reuse view of a stored work (`Library.work`): its notes masked, its quotes' speakers kept."""
    return reuse.Text(
        id=doc.get("key") or str(doc["id"]),
        source=doc["source"],
        text=doc.get("text") or "",
        title=doc.get("title"),
        excluded=[(n["start"], n["end"]) for n in doc.get("notes", [])],
        url=doc.get("url"),
        inspired_by=list(doc.get("inspired_by") or []),
        series=[str(s.get("name")) for s in doc.get("series") or [] if isinstance(s, dict) and s.get("name")],
        speakers=[(q["start"], q["end"], q["speaker"]) for q in doc.get("quotes", []) if q.get("speaker")],
    )


def _library_ids(lib) -> list:
    ids, offset, page = [], 0, 1000
    while True:
        rows = lib.works(limit=page, offset=offset, sort="added")
        ids += [r["id"] for r in rows]
        if len(rows) < page:
            return ids
        offset += page


def _texts_from_library(db: str) -> list[reuse.Text]:
    from ..corpus.store import Library

    with Library(db, readonly=True) as lib:
        return [text_from_library(lib.work(i)) for i in _library_ids(lib)]


def _resolve(ref: str, db: str | None) -> reuse.Text:
    """A work named on the command line: a file, or a library work by id, key or title."""
    if os.path.exists(ref) or not db:
        return reuse.text_of(ingest.read(ref))
    from ..corpus.store import Library

    with Library(db, readonly=True) as lib:
        doc = lib.work(ref)
        if doc is None:
            wanted = ref.casefold()
            for i in _library_ids(lib):
                found = lib.work(i)
                if (found.get("title") or "").casefold() == wanted:
                    doc = found
                    break
        if doc is None:
            raise InputError(ref, f"no such file, and no work with this id or title in {db}")
        return text_from_library(doc)


def _one_line(text: str, limit: int = _EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _names(sources: list[str]) -> str:
    return ", ".join(sources)


def format_report(report: reuse.Report) -> str:
    """The human-readable report: shared lines by number of works, passages, retellings, copies, links."""
    lines_ = report.lines
    passages = [c for c in report.clusters if c["kind"] == "passage"]
    counts = [(report.works, "work"), (len(passages), "shared passage"), (len(lines_), "shared line"),
              (len(report.retellings), "retelling group"), (len(report.duplicates), "near-duplicate"),
              (len(report.links), "metadata link")]
    said = [f"{n} {what}{'' if n == 1 else 's'}" for n, what in counts]
    out = [f"{said[0]}: {', '.join(said[1:])}"]
    if lines_:
        out += ["", "Shared lines, by number of works"]
        for c in sorted(lines_, key=lambda c: (-c["works"], c["cluster"])):
            sources = sorted({p["source"] for p in c["passages"]})
            out.append(f"  {c['works']:>3} works  \"{_one_line(c['passages'][0]['text'], 70)}\"  ({_names(sources)})")
    if passages:
        out += ["", "Shared passages"]
        for c in passages:
            out.append(f"  cluster {c['cluster']}: {c['works']} works")
            for p in c["passages"]:
                out.append(f"    {p['source']} [{p['start']}:{p['end']}]  \"{_one_line(p['text'])}\"")
    if report.retellings:
        out += ["", "Retellings (the same scene told again)"]
        for g in report.retellings:
            out.append(f"  group {g['group']}: {_names(g['sources'])}")
            if g["characters"]:
                out.append(f"    characters: {', '.join(g['characters'])}")
            for ln in g["lines"]:
                out.append(f"    \"{_one_line(ln['line'], 70)}\"")
    if report.duplicates:
        out += ["", "Near-duplicates (similarity: share of words that agree)"]
        for d in report.duplicates:
            out.append(f"  {d['score']:.3f}  {d['sources'][0]}  ~  {d['sources'][1]}  ({d['shared_words']} words)")
    if report.links:
        out += ["", "Related by metadata"]
        for link in report.links:
            out.append(f"  {link['kind']} \"{link['name']}\": {_names(link['sources'])}")
    return "\n".join(out)


def _word(text: str, words, i: int) -> str:
    end = int(words.starts[i + 1]) if i + 1 < len(words) else len(text)
    piece = text[int(words.starts[i]) : end].split()
    return piece[0] if piece else text[int(words.starts[i]) : int(words.ends[i])]


def side_by_side(a: reuse.Text, b: reuse.Text, *, width: int, options: reuse.Options = reuse.Options()) -> str:
    """Every passage A and B share, as two columns; words that differ are [bracketed]."""
    found = reuse.compare(a, b, options=options)
    wa, ca = reuse.words_of(a)
    wb, cb = reuse.words_of(b, side=1)
    column = max(20, (width - 3) // 2)
    out = [f"A: {a.source}", f"B: {b.source}"]
    if not found.passages and not found.lines:
        return "\n".join(out + ["", "No shared passages or lines."])
    for n, p in enumerate(found.passages, 1):
        out += ["", f"passage {n}: A [{p.a_start}:{p.a_end}]  B [{p.b_start}:{p.b_end}]  ({p.matched} words agree)"]
        out.append("-" * column + "-+-" + "-" * column)
        ops = aligner.pairs(ca, cb, aligner.Alignment(p.a0, p.a1, p.b0, p.b1, p.matched))
        left: list[str] = []
        right: list[str] = []
        for i, j in ops:
            word_a = _word(a.text, wa, i) if i is not None else None
            word_b = _word(b.text, wb, j) if j is not None else None
            same = word_a is not None and word_b is not None and ca[i] == cb[j] and (
                not wa.names[i] or word_a.casefold() == word_b.casefold()
            )
            shown_a = word_a if same or word_a is None else f"[{word_a}]"
            shown_b = word_b if same or word_b is None else f"[{word_b}]"
            if any(len(" ".join(side + [w])) > column for side, w in ((left, shown_a), (right, shown_b)) if w):
                out.append(f"{' '.join(left):<{column}} | {' '.join(right)}")
                left, right = [], []
            left += [shown_a] if shown_a else []
            right += [shown_b] if shown_b else []
        if left or right:
            out.append(f"{' '.join(left):<{column}} | {' '.join(right)}")
    if found.lines:
        out += ["", "Shared lines"]
        for line_a, line_b in found.lines:
            out.append(f"  A [{line_a.start}:{line_a.end}] \"{a.text[line_a.start:line_a.end]}\"  "
                       f"B [{line_b.start}:{line_b.end}] \"{b.text[line_b.start:line_b.end]}\"")
    return "\n".join(out)


@click.command("reuse")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", type=click.Path(dir_okay=False), help="Read the works of this library instead of PATHs.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where to run: a local process pool, or Apache Spark.")
@click.option("--master", help="Spark master URL (default local[*]); with --engine spark.")
@click.option("--work-dir", type=click.Path(file_okay=False),
              help="With --engine spark: keep each stage's Parquet here, so a rerun skips finished stages.")
@click.option("--min-works", type=click.IntRange(2), default=2, show_default=True,
              help="Report clusters and lines shared by at least this many works.")
@click.option("--max-df", type=click.IntRange(2), default=reuse.Options.max_df, show_default=True,
              help="Ignore n-grams found in more works than this (too common to link two works).")
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: cluster objects, then retelling, duplicate and link objects (field \"type\").")
@click.option("--show", nargs=2, metavar="WORK_A WORK_B",
              help="Show what two works share side by side (paths, or library ids/titles with --db).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes for the local engine.")
@click.pass_context
def reuse_command(ctx, paths, db, engine, master, work_dir, min_works, max_df, as_json, show, workers):
    """Find passages and lines works share, retellings of the same scene, and near-duplicate works.

    \b
    Examples:
      ficlens reuse ~/fics                        shared lines, passages, retellings, copies
      ficlens reuse ~/fics --min-works 3 --json   clusters shared by 3+ works, as JSON Lines
      ficlens reuse --db library.db --engine spark
      ficlens reuse --show mine.txt suspect.txt   side-by-side alignment of two works
    """
    options = reuse.Options(min_works=min_works, max_df=max_df)
    try:
        if show:
            a, b = (_resolve(ref, db) for ref in show)
            click.echo(side_by_side(a, b, width=shutil.get_terminal_size((120, 24)).columns, options=options))
            return
        if not paths and not db:
            raise click.UsageError("give PATHs or --db LIBRARY")
        failed = 0
        if engine == "spark":
            from ..engines import spark

            texts = _texts_from_library(db) if db else None
            report, failed = spark.reuse(texts=texts, paths=None if db else list(paths), options=options,
                                         master=master, work_dir=work_dir)
            for err in failed:
                click.echo(f"ficlens: {err}", err=True)
            failed = len(failed)
        else:
            texts, failed = (_texts_from_library(db), 0) if db else _texts_from_paths(list(paths))
            report = reuse.find(texts, options=options, workers=workers)
    except FiclensError as exc:
        _fail(ctx, exc)
    if as_json:
        for record in report.records():
            click.echo(json.dumps(record, ensure_ascii=False))
    else:
        click.echo(format_report(report))
    sys.exit(1 if failed else 0)
