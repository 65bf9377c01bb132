"""Vega-Lite charts (built with Altair) and the rows behind them.

A chart is its rows plus a spec built from those rows: the page fetches the spec lazily and draws
it with the locally served Vega bundle, and the same rows are offered as CSV and JSON downloads, so
what a reader sees is always what they can take away.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable

import altair as alt

PALETTE = ["#3b6fb6", "#c0504d", "#4f9a6b", "#8064a2", "#d08b2c", "#3c9bb0", "#b85f9a", "#7a7f3a"]
OTHER = "#9a9a9a"
INK = "#2b2b2b"
FONT = "Georgia, 'Iowan Old Style', 'Palatino Linotype', serif"


@dataclass
class Chart:
    """A chart's rows and how to draw them; `draw(rows)` returns an Altair chart."""

    title: str
    rows: list[dict]
    draw: Callable[[list[dict]], alt.TopLevelMixin]

    def spec(self) -> dict:
        chart = self.draw(self.rows).properties(title=self.title)
        return _styled(chart).to_dict()

    def csv(self) -> str:
        buf = io.StringIO()
        fields = list(dict.fromkeys(k for row in self.rows for k in row))
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        return buf.getvalue()


def _cell(value):
    """A CSV cell; text a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _styled(chart):
    return chart.configure(font=FONT, background="transparent").configure_view(stroke=None).configure_axis(
        labelColor=INK, titleColor=INK, gridColor="#ececec", domainColor="#bbbbbb", labelFontSize=12, titleFontSize=12
    ).configure_title(color=INK, fontSize=14, anchor="start", fontWeight="normal")


def _data(rows: list[dict]) -> alt.Data:
    return alt.Data(values=rows)


def horizontal_bars(*, category: str, value: str, value_title: str, colour_domain: list[str] | None = None,
                    tooltip: list | None = None, integer: bool = True) -> Callable[[list[dict]], alt.Chart]:
    """Bars sorted by value, one per category; coloured to match the page when a domain is given."""

    def draw(rows: list[dict]) -> alt.Chart:
        if colour_domain is not None:
            names = list(dict.fromkeys(colour_domain + [row[category] for row in rows]))
            colours = [PALETTE[i] if i < len(PALETTE) else OTHER for i in range(len(names))]
            colour = alt.Color(f"{category}:N", legend=None, scale=alt.Scale(domain=names, range=colours))
        else:
            colour = alt.value(PALETTE[0])
        return alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X(f"{value}:Q", title=value_title,
                    axis=alt.Axis(tickMinStep=1, format="d") if integer else alt.Axis(format=".0%")),
            color=colour,
            tooltip=tooltip or [f"{category}:N", f"{value}:Q"],
        ).properties(width="container", height=max(60, 22 * len(rows)))

    return draw


def time_bars(*, when: str, value: str, value_title: str) -> Callable[[list[dict]], alt.Chart]:
    def draw(rows: list[dict]) -> alt.Chart:
        return alt.Chart(_data(rows)).mark_bar(color=PALETTE[0]).encode(
            x=alt.X(f"{when}:O", title=None),
            y=alt.Y(f"{value}:Q", title=value_title),
            tooltip=[f"{when}:O", f"{value}:Q", "works:Q"],
        ).properties(width="container", height=220)

    return draw
