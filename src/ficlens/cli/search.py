"""`ficlens search`: full text plus the literary filters AO3 does not have."""

from __future__ import annotations

import json
import sys

import click

from ..corpus.search import PERSONS, SORTS, TENSES
from .index import db_option, library_errors, open_library

BOLD = ("\x1b[1m", "\x1b[0m")
PLAIN = ("**", "**")


@click.command("search")
@click.argument("query", required=False)
@db_option
@click.option("--pov", help="Told from this character's point of view (any name they go by).")
@click.option("--tense", type=click.Choice(TENSES), help="Narrated in this tense.")
@click.option("--person", type=click.Choice(PERSONS), help="Narrated in this grammatical person.")
@click.option("--character", multiple=True, help="A character who appears (repeatable: all must appear).")
@click.option("--ship", multiple=True, help="A pairing as A/B, in either order (inferred or tagged; repeatable).")
@click.option("--fandom", multiple=True, help='A fandom ("The 100" matches "The 100 (TV)"; repeatable).')
@click.option("--words-min", type=click.IntRange(min=0), help="At least this many words of story.")
@click.option("--words-max", type=click.IntRange(min=0), help="At most this many words of story.")
@click.option("--rating", help="AO3 rating: general, teen, mature, explicit, not rated (or G/T/M/E).")
@click.option("--tag", multiple=True, help="Any archive tag: freeform, character, relationship, warning (repeatable).")
@click.option("--speaker", help="Search only the lines this character speaks; results list those lines.")
@click.option("--sort", type=click.Choice(SORTS), default="rank", show_default=True,
              help="Order of results (rank = best match first; -words = longest first).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most this many works.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip this many works first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per work, best first (JSON Lines).")
@click.pass_context
def search_command(ctx, query, db, pov, tense, person, character, ship, fandom, words_min, words_max, rating, tag,
                   speaker, sort, limit, offset, as_json):
    """Search a library: words, "phrases", AND / OR / NOT, prefix*, title: summary: notes: tags: story:.

    Names given to --pov, --character, --ship and --speaker match any name or alias the story uses
    for the character, ignoring case. Without QUERY, lists the works the filters select.

    \b
    Examples:
      ficlens search '"may we meet again"'
      ficlens search leav* --pov Bellamy --tense present --words-max 5000
      ficlens search 'stay NOT wedding' --ship Clarke/Bellamy --json
      ficlens search princess --speaker Bellamy
    """
    filters = {
        "pov": pov, "tense": tense, "person": person, "character": list(character), "ship": list(ship),
        "fandom": list(fandom), "words_min": words_min, "words_max": words_max, "rating": rating, "tag": list(tag),
        "speaker": speaker,
    }
    tty = sys.stdout.isatty()
    with library_errors(ctx):
        with open_library(db, readonly=True) as library:
            results = library.search(query, filters=filters, limit=limit, offset=offset, sort=sort,
                                     mark=BOLD if tty and not as_json else PLAIN)
    if as_json:
        for r in results:
            click.echo(json.dumps(_json(r), ensure_ascii=False))
        return
    if not results:
        click.echo("no works match", err=True)
        return
    for n, r in enumerate(results, start=offset + 1):
        click.echo(_human(n, r, bold=tty))


def _json(result: dict) -> dict:
    out = {"source": result["source"], "title": result["title"], "score": result["score"],
           "snippet": result["snippet"]}
    out.update((k, v) for k, v in result.items() if k not in out)
    return out


def _human(n: int, r: dict, *, bold: bool) -> str:
    title = r["title"] or "(untitled)"
    facts = [", ".join(r["fandoms"][:2])] if r["fandoms"] else []
    if r["ships"]:
        facts.append("/".join(r["ships"][0]))
    facts.append(f"{r['words']:,} words")
    narration = " ".join(x for x in (r["person"], r["tense"]) if x)
    if narration:
        facts.append(narration)
    if r["pov"]:
        facts.append("POV " + ", ".join(r["pov"][:2]))
    if r["score"] is not None:
        facts.append(f"score {r['score']:.3g}")
    heading = click.style(title, bold=True) if bold else title
    lines = [f"{n:>3}. {heading}  ({' · '.join(f for f in facts if f)})"]
    if r.get("quotes") is not None:
        for quote in r["quotes"][:5]:
            text = " ".join(quote["text"].split())
            lines.append(f"     {quote['speaker']}: “{text}”  [{quote['start']}:{quote['end']}]")
        if len(r["quotes"]) > 5:
            lines.append(f"     … {len(r['quotes']) - 5} more")
    elif r["snippet"]:
        lines.append(f"     {r['snippet']}")
    lines.append(f"     {r['source']}")
    return "\n".join(lines)
