"""Figures drawn on the server as SVG: the narration strip and who-talks-to-whom.

They are small, must read at a glance, and need no JavaScript; every label is escaped. Widths and
positions are SVG attributes (not inline styles) so the page keeps a strict style policy.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Analysis

STRIP_WIDTH = 1000.0
MIN_SEGMENT = 3.0  # a one-paragraph slip stays visible in a long story


@dataclass
class Segment:
    start: int
    end: int
    value: str | None
    first_paragraph: int
    paragraphs: int


def pov_name(pov) -> str | None:
    if isinstance(pov, list):
        return ", ".join(pov) if pov else None
    return pov or None


def narration_runs(analysis: Analysis, key: str) -> list[Segment]:
    """Consecutive paragraphs with the same tense (or POV) merged into one run.

    A paragraph that shows no tense or POV (a line of dialogue, say) continues the run it is in:
    not knowing is not a change, and only real changes should stand out on the strip.
    """
    runs: list[Segment] = []
    for row in analysis.narration.paragraphs:
        value = pov_name(row.get(key)) if key == "pov" else row.get(key)
        start, end = row.get("start", 0), row.get("end", 0)
        para = row.get("paragraph", 0)
        if runs and (value is None or runs[-1].value == value):
            runs[-1].end = end
            runs[-1].paragraphs += 1
        elif value is not None or not runs:
            if runs:
                runs[-1].end = start  # a run lasts until the next one begins, so the strip has no gaps
            runs.append(Segment(start, end, value, para, 1))
    return runs


def _strip_row(runs: list[Segment], y: float, height: float, css: dict[str | None, str], label: str) -> list[str]:
    total = max((r.end for r in runs), default=0) - min((r.start for r in runs), default=0)
    if total <= 0:
        return []
    origin = runs[0].start
    out = []
    for r in runs:
        x = (r.start - origin) / total * STRIP_WIDTH
        w = max((r.end - r.start) / total * STRIP_WIDTH, MIN_SEGMENT)
        name = r.value or "unknown"
        para = "paragraph" if r.paragraphs == 1 else "paragraphs"
        out.append(
            f'<a href="#p{r.first_paragraph}"><rect class="{css.get(r.value, "seg-other")}" x="{x:.1f}" y="{y}" '
            f'width="{w:.1f}" height="{height}"><title>{escape(label)}: {escape(name)} '
            f"({r.paragraphs} {para} from ¶{r.first_paragraph})</title></rect></a>"
        )
    return out


def narration_strip(pov: list[Segment], tense: list[Segment], colours: dict[str, int]) -> Markup | None:
    """Two rows along the story, POV above tense; a slip shows as a thin band of another colour."""
    if not pov and not tense:
        return None
    pov_css: dict[str | None, str] = {None: "seg-unknown"}
    pov_css.update({name: f"seg-sp{slot}" for name, slot in colours.items()})
    tense_css = {"past": "seg-past", "present": "seg-present", None: "seg-unknown"}
    rows = _strip_row(pov, 0, 18, pov_css, "POV") + _strip_row(tense, 24, 18, tense_css, "Tense")
    return Markup(
        f'<svg class="strip" viewBox="0 0 {STRIP_WIDTH:.0f} 42" preserveAspectRatio="none" role="img" '
        f'aria-label="Point of view and tense along the story">{"".join(rows)}</svg>'
    )


def strip_legend(runs: list[Segment]) -> list[tuple[str, int]]:
    """(value, share of story characters in percent) for a strip row's legend."""
    sizes: Counter[str] = Counter()
    for r in runs:
        sizes[r.value or "unknown"] += r.end - r.start
    total = sum(sizes.values()) or 1
    return [(value, round(100 * n / total)) for value, n in sizes.most_common()]


def conversation_edges(analysis: Analysis) -> list[dict]:
    """Speaker → addressee pairs with how many lines were said, most talkative first."""
    pairs = Counter((q.speaker, q.addressee) for q in analysis.quotes if q.speaker and q.addressee)
    return [{"speaker": s, "addressee": a, "lines": n} for (s, a), n in pairs.most_common()]


def conversation_network(edges: list[dict], colours: dict[str, int], *, limit: int = 10) -> Markup | None:
    """Who talks to whom (`edges` from `conversation_edges`): characters on a circle, a line per pair,
    thicker for more lines.

    A circle keeps every label legible and the picture stable between visits, which a force layout
    of a handful of nodes does not improve on.
    """
    if not edges:
        return None
    weight: Counter[str] = Counter()
    for e in edges:
        weight[e["speaker"]] += e["lines"]
        weight[e["addressee"]] += e["lines"]
    names = [n for n, _ in weight.most_common(limit)]
    keep = set(names)
    size, cx, cy = 420.0, 210.0, 200.0
    radius = 140.0 if len(names) > 2 else 110.0
    pos = {}
    for i, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * i / len(names)
        pos[name] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    most = max(e["lines"] for e in edges)
    lines, nodes = [], []
    undirected: Counter[tuple[str, str]] = Counter()
    for e in edges:
        if e["speaker"] in keep and e["addressee"] in keep and e["speaker"] != e["addressee"]:
            undirected[tuple(sorted((e["speaker"], e["addressee"])))] += e["lines"]
    for (a, b), n in sorted(undirected.items(), key=lambda kv: kv[1]):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        width = 1.0 + 7.0 * n / max(most, 1)
        there = sum(e["lines"] for e in edges if e["speaker"] == a and e["addressee"] == b)
        back = n - there
        lines.append(
            f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke-width="{width:.1f}">'
            f"<title>{escape(a)} → {escape(b)}: {there} lines; {escape(b)} → {escape(a)}: {back} lines</title></line>"
        )
    for name in names:
        x, y = pos[name]
        r = 6.0 + 14.0 * math.sqrt(weight[name] / max(weight.values()))
        slot = colours.get(name)
        cls = f"node sp{slot}" if slot is not None else "node other"
        anchor = "middle"
        ly = y + r + 14 if y >= cy else y - r - 6
        nodes.append(
            f'<g class="{cls}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"><title>{escape(name)}: '
            f"{weight[name]} lines said or heard</title></circle>"
            f'<text x="{x:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{escape(name)}</text></g>'
        )
    top = min(y for _, y in pos.values()) - 50
    bottom = max(y for _, y in pos.values()) + 45
    return Markup(
        f'<svg class="network" viewBox="0 {top:.0f} {size:.0f} {bottom - top:.0f}" role="img" '
        f'aria-label="Who talks to whom">{"".join(lines)}{"".join(nodes)}</svg>'
    )
