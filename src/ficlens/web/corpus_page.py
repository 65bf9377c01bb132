"""The corpus page: characters and ships across the library, how it is narrated, words over time."""

from __future__ import annotations

from ..corpus.store import Library
from .charts import Chart, horizontal_bars, time_bars

TOP = 20
MAX_MONTHS = 48  # beyond this many months of publication dates, years read better


def _distribution(counts: dict[str, int], key: str) -> list[dict]:
    return [{key: k, "works": v} for k, v in counts.items()]


def _over_time(lib: Library) -> list[dict]:
    rows = lib.words_over_time(by="month")
    if len(rows) > MAX_MONTHS:
        rows = lib.words_over_time(by="year")
    return rows


def charts(lib: Library, stats: dict | None = None) -> dict[str, Chart]:
    """The corpus charts by name, in page order; `stats` is `lib.stats(top=TOP)` when already at hand."""
    stats = stats or lib.stats(top=TOP)
    bars = lambda category, title, tooltip=None: horizontal_bars(  # noqa: E731
        category=category, value="works", value_title=title, tooltip=tooltip)
    return {
        "characters": Chart("Characters: works they appear in", lib.characters(limit=TOP),
                            bars("name", "works", ["name:N", "works:Q", "quotes:Q", "mentions:Q", "pov_works:Q"])),
        "ships": Chart("Ships: works that have them", lib.ships(limit=TOP),
                       bars("ship", "works", ["ship:N", "works:Q", "inferred:Q", "tagged:Q"])),
        "fandoms": Chart("Fandoms", lib.fandoms(limit=TOP), bars("fandom", "works", ["fandom:N", "works:Q", "words:Q"])),
        "pov": Chart("Main point-of-view character", stats["top_pov"], bars("name", "works")),
        "person": Chart("Narrated in", _distribution(stats["person"], "person"), bars("person", "works")),
        "tense": Chart("Tense", _distribution(stats["tense"], "tense"), bars("tense", "works")),
        "length": Chart("Length", _distribution(stats["length"], "length"), bars("length", "works")),
        "words-over-time": Chart("Words published over time", _over_time(lib),
                                 time_bars(when="period", value="words", value_title="words")),
    }


def build(lib: Library, chart_urls) -> tuple[dict, dict]:
    """(JSON twin, HTML context); `chart_urls(name)` gives a chart's spec and download URLs."""
    stats = lib.stats(top=TOP)
    found = charts(lib, stats)
    data = {
        "works": stats["works"],
        "words": stats["words"],
        "characters": stats["character_rows"],
        "quotes": stats["quotes"],
        "charts": {name: {"title": c.title, "rows": c.rows} for name, c in found.items()},
    }
    html = {"chart_list": [dict(name=name, title=c.title, empty=not c.rows, **chart_urls(name))
                           for name, c in found.items()]}
    return data, html
