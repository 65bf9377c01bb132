"""The work page: the story with its dialogue, characters, conversations and narration."""

from __future__ import annotations

from ..model import Analysis
from . import figures, story
from .charts import Chart, horizontal_bars

PANEL_CHARACTERS = 25


def characters_table(analysis: Analysis, colours: dict[str, int]) -> list[dict]:
    """One row per character, most quoted first, with their share of the attributed dialogue."""
    said: dict[str, int] = {}
    for q in analysis.quotes:
        if q.speaker:
            said[q.speaker] = said.get(q.speaker, 0) + 1
    total = sum(said.values())
    rows = []
    for c in analysis.characters:
        lines = said.get(c.name, c.quotes)
        rows.append({
            "name": c.name,
            "aliases": list(c.aliases),
            "mentions": c.mentions,
            "quotes": lines,
            "share": round(lines / total, 4) if total else 0.0,
            "slot": colours.get(c.name),
        })
    rows.sort(key=lambda r: (-r["quotes"], -r["mentions"], r["name"]))
    return rows


CHARTS = {
    "dialogue": "Share of dialogue",
    "conversations": "Who talks to whom",
    "narration": "Point of view and tense by paragraph",
    "characters": "Characters",
}


def charts(analysis: Analysis) -> dict[str, Chart]:
    """The work's charts by name: each one drawable, and downloadable as CSV and JSON."""
    colours = story.speaker_classes(analysis)
    people = characters_table(analysis, colours)
    ranked = sorted(colours, key=colours.get)
    dialogue = [
        {"character": r["name"], "lines": r["quotes"], "share": r["share"]} for r in people if r["quotes"]
    ]
    narration = [
        {"paragraph": row.get("paragraph"), "start": row.get("start"), "end": row.get("end"),
         "tense": row.get("tense"), "pov": figures.pov_name(row.get("pov"))}
        for row in analysis.narration.paragraphs
    ]
    return {
        "dialogue": Chart(
            CHARTS["dialogue"],
            dialogue,
            horizontal_bars(category="character", value="share", value_title="share of attributed lines",
                            colour_domain=ranked, integer=False, tooltip=["character:N", "lines:Q",
                                                           {"field": "share", "type": "quantitative", "format": ".0%"}]),
        ),
        "conversations": Chart(CHARTS["conversations"], figures.conversation_edges(analysis), None),
        "narration": Chart(CHARTS["narration"], narration, None),
        "characters": Chart(CHARTS["characters"], [{k: v for k, v in r.items() if k != "slot"} for r in people], None),
    }


def metadata_tags(analysis: Analysis) -> list[tuple[str, str, list[str]]]:
    """(label, css class, values) for each kind of tag the work has."""
    m = analysis.work.meta
    groups = [
        ("Fandom", "fandom", m.fandoms),
        ("Rating", "rating", [m.rating] if m.rating else []),
        ("Warnings", "warning", m.warnings),
        ("Categories", "category", m.categories),
        ("Relationships", "ship", m.relationships),
        ("Characters", "character", m.characters),
        ("Tags", "freeform", m.tags),
        ("Language", "language", [m.language] if m.language else []),
        ("Series", "series", [f"{s.get('name')} (part {s.get('part')})" if s.get("part") else str(s.get("name"))
                              for s in m.series]),
        ("Published", "date", [d for d in (m.published, m.updated and f"updated {m.updated}") if d]),
        ("Status", "status", [m.status] if m.status else []),
    ]
    n = analysis.narration
    told = [v for v in (n.person and f"{n.person} person", n.tense) if v] + [f"POV {p}" for p in n.pov]
    if told:
        groups.append(("Narration", "narration", told))
    if analysis.ships:
        groups.append(("Ships found", "ship", ["/".join(s) for s in analysis.ships]))
    return [(label, css, values) for label, css, values in groups if values]


def chapter_links(analysis: Analysis) -> list[tuple[str, int]]:
    """(title, first paragraph) per chapter, for a work with more than one."""
    work = analysis.work
    if len(work.chapters) < 2:
        return []
    first: dict[int, int] = {}
    for i, p in enumerate(work.paragraphs):  # the chapter's heading, else its first line of story
        if p.kind == "heading" and (p.chapter not in first or work.in_note(work.paragraphs[first[p.chapter]].start)):
            first[p.chapter] = i
        elif p.kind != "break" and not work.in_note(p.start):
            first.setdefault(p.chapter, i)
    return [(c.title or f"Chapter {n + 1}", first[n]) for n, c in enumerate(work.chapters) if n in first]


def context(analysis: Analysis, *, whole: bool = False) -> dict:
    """Everything the HTML page needs: the story's first chunk (or all of it), figures, tables.

    `pending` lists the chunks the page fetches later, with their word counts so the page can keep
    their place while they load.
    """
    colours = story.speaker_classes(analysis)
    pieces = story.chunks(analysis)
    shown = story.render(analysis) if whole else story.render(analysis, pieces[0])
    legend_colour = {name: f"sp{slot}" for name, slot in colours.items()}
    people = characters_table(analysis, colours)
    pov, tense = figures.narration_runs(analysis, "pov"), figures.narration_runs(analysis, "tense")
    return {
        "story": shown,
        "pending": [] if whole else pieces[1:],
        "strip": figures.narration_strip(pov, tense, colours),
        "pov_legend": [(v, share, legend_colour.get(v, "unknown" if v == "unknown" else "other"))
                       for v, share in figures.strip_legend(pov)],
        "tense_legend": [(v, share, v if v in ("past", "present") else "unknown")
                         for v, share in figures.strip_legend(tense)],
        "network": figures.conversation_network(figures.conversation_edges(analysis), colours),
        "people": people[:PANEL_CHARACTERS],
        "more_people": max(0, len(people) - PANEL_CHARACTERS),
        "said": any(q.speaker for q in analysis.quotes),
        "tags": metadata_tags(analysis),
        "chapters": chapter_links(analysis),
    }


def data(doc: dict) -> dict:
    """The JSON twin: what the library stores for the work (the `analyze --json` object, its text,
    paragraphs with tense and POV, conversations and mentions)."""
    return doc
