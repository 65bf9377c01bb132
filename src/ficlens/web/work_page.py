"""The work page: the story with its dialogue, characters, conversations and narration."""

from __future__ import annotations

from ..model import Analysis
from . import figures, story
from .charts import Chart, horizontal_bars


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
            "Share of dialogue",
            dialogue,
            horizontal_bars(category="character", value="share", value_title="share of attributed lines",
                            colour_domain=ranked, integer=False, tooltip=["character:N", "lines:Q",
                                                           {"field": "share", "type": "quantitative", "format": ".0%"}]),
        ),
        "conversations": Chart("Who talks to whom", figures.conversation_edges(analysis), None),
        "narration": Chart("Point of view and tense by paragraph", narration, None),
        "characters": Chart("Characters", [{k: v for k, v in r.items() if k != "slot"} for r in people], None),
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


def context(analysis: Analysis) -> dict:
    """Everything the HTML page needs beyond the JSON twin: rendered story, figures, tables."""
    colours = story.speaker_classes(analysis)
    rendered = story.render(analysis)
    legend_colour = {name: f"sp{slot}" for name, slot in colours.items()}
    return {
        "story": rendered.html,
        "strip": figures.narration_strip(analysis, colours),
        "pov_legend": [(v, share, legend_colour.get(v, "unknown" if v == "unknown" else "other"))
                       for v, share in figures.strip_legend(analysis, "pov")],
        "tense_legend": [(v, share, v if v in ("past", "present") else "unknown")
                         for v, share in figures.strip_legend(analysis, "tense")],
        "network": figures.conversation_network(analysis, colours),
        "people": characters_table(analysis, colours),
        "tags": metadata_tags(analysis),
    }


def data(analysis: Analysis) -> dict:
    """The JSON twin: the `analyze --json` object of the work and the text its offsets point into."""
    return {"work": analysis.to_json(), "text": analysis.work.text}
