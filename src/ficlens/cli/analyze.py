"""`ficlens analyze`: read stories and print their analysis, one work at a time, in input order.

Each result is written (and flushed) as soon as it is ready, so an interrupted batch keeps what was
done; each bad input costs one line on stderr and the batch goes on.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Iterator

import click
from tqdm import tqdm

from .. import engines, ingest
from ..errors import InputError, unexpected
from ..model import Analysis, Work
from .cast import cast_option


@click.command("analyze")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per work (JSON Lines), the stable contract.")
@click.option("--text", "as_text", is_flag=True, help="Print the text that all offsets refer to, not an analysis.")
@cast_option
@click.option("--out", type=click.Path(dir_okay=False), help="Write results to this file instead of stdout.")
@click.option("--example", is_flag=True, help="Analyse the built-in example library (added to any PATHs).")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Processes to analyse with (local engine).",
)
@click.option(
    "--engine",
    type=click.Choice(engines.ENGINES),
    default="local",
    show_default=True,
    help="Where to run: this machine or Apache Spark.",
)
@click.option("--master", help="Spark master URL for --engine spark, e.g. local[2] or spark://host:7077.")
@click.pass_context
def analyze_command(ctx, paths, as_json, as_text, cast, out, example, workers, engine, master):
    """Analyse stories: notes, characters, speakers, narration, ships.

    PATH may be a file or a folder (read recursively). The format is found from the content:
    plain text, Markdown, AO3 HTML/EPUB, FanFicFare EPUB/HTML/TXT, any other EPUB or HTML.
    Each file that cannot be read is reported on stderr as one line, and the rest go on.
    Exit status: 0 all done, 1 some inputs failed, 2 usage error.

    \b
    Examples:
      ficlens analyze --example                  a summary of each built-in example fic
      ficlens analyze story.txt --json           the JSON contract for one fic
      ficlens analyze ~/fics --json --out fics.jsonl --workers 2
      ficlens analyze story.txt --text           the text that offsets point into
      ficlens analyze pride.txt --cast cast.json --json
    """
    if not paths and not example:
        raise click.UsageError("give at least one PATH, or --example")
    if as_json and as_text:
        raise click.UsageError("--json and --text cannot be used together")
    if master and engine != "spark":
        raise click.UsageError("--master is only for --engine spark")
    debug = bool((ctx.find_root().obj or {}).get("debug"))
    inputs = list(paths)
    if example:
        from .. import examples

        inputs += examples.paths()

    try:
        sink = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    except OSError as exc:
        raise click.FileError(out, hint=exc.strerror or str(exc))
    failed = 0
    try:
        own_output = _identity(out) if out else None
        files = []
        for item in ingest.find_files(inputs):
            if isinstance(item, InputError):
                _report(item)
                failed += 1
            elif own_output is None or _identity(item) != own_output:  # --out inside a folder being read
                files.append(item)
        if as_text:
            results = _texts(files, debug=debug)
        else:
            results = _analyses(files, debug=debug, engine=engine, master=master, cast=cast, workers=workers)
        for path, result in results:
            if isinstance(result, Exception):
                _report(result if isinstance(result, InputError) else _unexpected(path, result))
                failed += 1
                continue
            try:
                rendered = _render(result, as_text=as_text, as_json=as_json)
            except Exception as exc:
                if debug:
                    raise
                _report(_unexpected(path, exc))
                failed += 1
                continue
            if sink is sys.stdout and sys.stderr.isatty():
                tqdm.write(rendered, file=sink, end="")  # above the progress bar, not through it
            else:
                sink.write(rendered)
            sink.flush()
    finally:
        if sink is not sys.stdout:
            sink.close()
    ctx.exit(1 if failed else 0)


def _analyses(paths: list[str], *, debug: bool, **options) -> Iterator[tuple[str, Analysis | Exception]]:
    """The engine's results in input order; an error, even a bug, costs only the file it happened on."""
    yield from engines.analyze_files(paths, progress=True, debug=debug, **options)


def _texts(paths: list[str], *, debug: bool) -> Iterator[tuple[str, Work | Exception]]:
    for path in paths:
        try:
            yield path, ingest.read(path)
        except InputError as exc:
            yield path, exc
        except Exception as exc:
            if debug:
                raise
            yield path, exc


def _render(result: Analysis | Work, *, as_text: bool, as_json: bool) -> str:
    """The output for one work, always encodable as UTF-8.

    A file name that is not valid UTF-8 reaches Python as lone surrogates: JSON then escapes them
    (`\\udce9`, which `json.loads` and `os.fsencode` turn back into the file's name), and text shows them
    backslash-escaped.
    """
    if as_json:
        line = json.dumps(result.to_json(), ensure_ascii=False)
        if not _encodable(line):
            line = json.dumps(result.to_json())
        return line + "\n"
    out = (result.text if result.text.endswith("\n") else result.text + "\n") if as_text else summary(result) + "\n"
    return out if _encodable(out) else out.encode("utf-8", "backslashreplace").decode("utf-8")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def summary(analysis: Analysis) -> str:
    """A few human-readable lines about one work."""
    work, meta, told = analysis.work, analysis.work.meta, analysis.narration
    title = meta.title or os.path.basename(work.source)
    lines = [
        f"{title} — {work.format}, {work.story_text_words():,} words, {_count(len(work.chapters), 'chapter')}",
        f"  file: {work.source}",
    ]
    if meta.authors:
        lines.append(f"  by: {', '.join(meta.authors)}")
    if meta.fandoms:
        lines.append(f"  fandom: {', '.join(meta.fandoms)}")
    voice = ", ".join(part for part in (told.person and f"{told.person} person", told.tense and f"{told.tense} tense") if part)
    pov = f"; point of view: {', '.join(told.pov)}" if told.pov else ""
    lines.append(f"  narration: {voice or 'unknown'}{pov}")
    people = sorted(analysis.characters, key=lambda c: (-c.mentions, c.name))[:5]
    if people:
        lines.append(
            "  characters: "
            + ", ".join(f"{c.name} ({_count(c.mentions, 'mention')}, {_count(c.quotes, 'quote')})" for c in people)
        )
    attributed = sum(1 for q in analysis.quotes if q.speaker)
    lines.append(f"  quotes: {len(analysis.quotes)} ({attributed} with a speaker)")
    if analysis.ships:
        lines.append("  ships: " + "; ".join("/".join(pair) for pair in analysis.ships))
    if work.notes:
        kinds = sorted({n.kind for n in work.notes})
        lines.append(f"  notes: {len(work.notes)} ({', '.join(kinds)})")
    return "\n".join(lines)


def _report(error: InputError) -> None:
    """One line on stderr, printed above the progress bar rather than through it."""
    tqdm.write(f"ficlens: {error}", file=sys.stderr)


def _unexpected(path: str, exc: Exception) -> InputError:
    return InputError(path, unexpected(exc))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
