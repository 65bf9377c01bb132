"""`ficlens stats`: what a library holds, in a screenful."""

from __future__ import annotations

import json

import click

from .index import db_option, library_errors, open_library


@click.command("stats")
@db_option
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many characters, ships and fandoms to list.")
@click.option("--json", "as_json", is_flag=True, help="The summary as one JSON object.")
@click.pass_context
def stats_command(ctx, db, top, as_json):
    """Summarise a library: works, words, top characters, ships, POV, tense and person, fandoms.

    \b
    Examples:
      ficlens stats
      ficlens stats --db the100.db --top 20
      ficlens stats --json | jq .tense
    """
    with library_errors(ctx):
        with open_library(db, readonly=True) as library:
            stats = library.stats(top=top)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    click.echo(render(stats))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _works(n: int) -> str:
    return _count(n, "work")


def _share(counts: dict[str, int], total: int) -> str:
    return ", ".join(f"{k} {v:,} ({100 * v / total:.0f}%)" for k, v in counts.items()) if total else "-"


def render(stats: dict) -> str:
    total = stats["works"]
    lines = [
        f"library    {stats['path']} ({stats['bytes'] / 1e6:,.1f} MB)",
        f"works      {total:,}",
        f"words      {stats['words']:,}",
        f"chapters   {stats['chapters']:,}    quotes {stats['quotes']:,}    characters {stats['character_rows']:,}",
        f"person     {_share(stats['person'], total)}",
        f"tense      {_share(stats['tense'], total)}",
        f"length     {_share(stats['length'], total)}",
    ]
    sections = (
        ("fandoms", stats["top_fandoms"], lambda r: f"{r['fandom']}  ({_works(r['works'])})"),
        ("characters", stats["top_characters"],
         lambda r: f"{r['name']}  ({_works(r['works'])}, {_count(r['quotes'], 'quote')}, POV in {r['pov_works']:,})"),
        ("point of view", stats["top_pov"], lambda r: f"{r['name']}  ({_works(r['works'])})"),
        ("ships", stats["top_ships"], lambda r: f"{r['ship']}  ({_works(r['works'])})"),
    )
    for title, rows, show in sections:
        lines.append("")
        lines.append(f"{title}:")
        lines += [f"  {show(r)}" for r in rows] or ["  -"]
    return "\n".join(lines)
