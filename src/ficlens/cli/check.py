"""`ficlens check FILE`: a writer's report on tense drift, point-of-view slips, dialogue and names."""

from __future__ import annotations

import sys

import click

from .. import ingest
from ..analyze import analyze
from ..errors import FiclensError
from .cast import cast_option


@click.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: one object per finding (kind, line, column, start, end, text, message), then a summary object.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="Also write a standalone HTML page with the findings highlighted.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are findings (for pre-commit hooks).")
@cast_option
@click.pass_context
def check_command(ctx, file, as_json, html_out, strict, cast):
    """A writer's report on one story: tense drift, point-of-view slips, dialogue, names, counts.

    Each finding gives the line and column in FILE, the sentence, and why. Kinds: tense (narration
    leaving the story's tense), pov (another character's thoughts inside a scene told through one),
    dialogue (unbalanced quote marks, long untagged runs, a speaker named in their own line),
    name (a likely misspelling of a character's name). With --cast, the characters (and their
    genders, which tell whose "she felt" it is) are the ones you list.
    Exit status: 0 (also with findings), 1 with --strict and findings, or when FILE cannot be read.

    \b
    Examples:
      ficlens check chapter3.txt
      ficlens check chapter3.txt --json
      ficlens check chapter3.txt --html report.html --strict
      ficlens check chapter3.txt --cast characters.json
    """
    from ..check import check, render

    debug = bool((ctx.find_root().obj or {}).get("debug"))
    try:
        work = ingest.read(file)
        report = check(analyze(work, cast=cast))
    except FiclensError as exc:
        click.echo(f"ficlens check: {exc}", err=True)
        ctx.exit(1)
    except Exception as exc:  # a story that breaks an analysis stage is still one line, not a traceback
        if debug:
            raise
        click.echo(f"ficlens check: {file}: cannot be checked ({type(exc).__name__}: {exc})", err=True)
        ctx.exit(1)
    if as_json:
        click.echo(render.json_lines(report))
    else:
        click.echo(render.text(report, colour=sys.stdout.isatty()))
    if html_out:
        try:
            with open(html_out, "w", encoding="utf-8") as f:
                f.write(render.html_page(report, work.text))
        except OSError as exc:
            click.echo(f"ficlens check: {html_out}: {exc.strerror or exc}", err=True)
            ctx.exit(1)
    if strict and report.findings:
        ctx.exit(1)
