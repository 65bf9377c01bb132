"""`ficlens analyze`: read stories and print their analysis."""

from __future__ import annotations

import json
import sys

import click

from .. import ingest
from ..analyze import analyze
from ..errors import InputError


@click.command("analyze")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per work (JSON Lines).")
@click.option("--text", "as_text", is_flag=True, help="Print the text that offsets refer to.")
@click.option("--cast", type=click.Path(exists=True, dir_okay=False), help="Known characters, as JSON.")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="Write here instead of stdout.")
@click.pass_context
def analyze_command(ctx, paths, as_json, as_text, cast, out):
    """Analyse stories: notes, characters, speakers, narration, ships."""
    cast_list = json.load(open(cast, encoding="utf-8")) if cast else None
    failed = 0
    for item in ingest.find_files(list(paths)):
        if isinstance(item, InputError):
            click.echo(f"ficlens: {item}", err=True)
            failed += 1
            continue
        try:
            work = ingest.read(item)
        except InputError as exc:
            click.echo(f"ficlens: {exc}", err=True)
            failed += 1
            continue
        if as_text:
            out.write(work.text)
            continue
        result = analyze(work, cast=cast_list)
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    sys.exit(1 if failed else 0)
