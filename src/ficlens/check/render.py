"""The report as terminal text, JSON Lines, or a standalone HTML page with the findings highlighted."""

from __future__ import annotations

import html
import json

import click

from . import Report

_COLOURS = {"tense": "yellow", "pov": "magenta", "dialogue": "cyan", "name": "green"}


def _summary_lines(report: Report) -> list[str]:
    c, n = report.counts, report.narration
    tags = ", ".join(f"{k} {v}" for k, v in list(c["tag_verbs"].items())[:8]) or "none"
    adverbs = ", ".join(f"{k} {v}" for k, v in c["adverbs_in_tags"].items()) or "none"
    pov = ", ".join(n.get("pov") or []) or "unknown"
    return [
        f"narration: {n.get('person') or 'unknown'} person, {n.get('tense') or 'unknown'} tense, point of view: {pov}",
        f"{c['words']} words, {c['sentences']} sentences, about {c['reading_minutes']} min to read",
        f"dialogue: {c['dialogue_share']:.0%} of the text, {c['quotes']} lines; tags: {c['tags_said']} said, "
        f"{c['tags_other']} other ({tags}); adverbs in tags: {adverbs}",
    ]


def text(report: Report, *, colour: bool) -> str:
    lines = []
    for f in report.findings:
        where = f"{report.source}:{f.line}:{f.column}"
        kind = click.style(f.kind, fg=_COLOURS[f.kind], bold=True) if colour else f.kind
        lines.append(f"{where}: {kind}: {f.message}")
        lines.append(f"    {f.text}")
    total = len(report.findings)
    lines.append(("" if not lines else "\n") + f"{total} finding{'s' if total != 1 else ''}")
    lines.extend(_summary_lines(report))
    return "\n".join(lines)


def json_lines(report: Report) -> str:
    """One object per finding, then one {"kind": "summary"} object with the counts and narration."""
    rows = [json.dumps({"source": report.source, **f.to_json()}, ensure_ascii=False) for f in report.findings]
    rows.append(json.dumps({"source": report.source, "kind": "summary", "findings": len(report.findings),
                            "narration": report.narration, **report.counts}, ensure_ascii=False))
    return "\n".join(rows)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ficlens check: {title}</title>
<style>
body {{ font: 16px/1.6 Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #222; }}
pre.story {{ white-space: pre-wrap; font: inherit; }}
mark {{ border-radius: 2px; padding: 0 1px; }}
mark.tense {{ background: #fde68a; }} mark.pov {{ background: #f5d0fe; }}
mark.dialogue {{ background: #a5f3fc; }} mark.name {{ background: #bbf7d0; }}
ol.findings li {{ margin-bottom: .4em; }} .kind {{ font-weight: bold; }} .summary {{ color: #555; }}
</style></head><body>
<h1>ficlens check: {title}</h1>
<p class="summary">{summary}</p>
<ol class="findings">{items}</ol>
<pre class="story">{story}</pre>
</body></html>
"""


def html_page(report: Report, text_of_work: str) -> str:
    """A standalone page: the story text, escaped, with each finding's words marked and linked from the list."""
    items = []
    for k, f in enumerate(report.findings):
        items.append(
            f'<li><a href="#f{k}"><span class="kind">{html.escape(f.kind)}</span> line {f.line}, column {f.column}</a>: '
            f"{html.escape(f.message)}</li>"
        )
    pieces = []
    pos = 0
    for k, f in sorted(enumerate(report.findings), key=lambda kf: kf[1].start):
        if f.start < pos:
            continue
        pieces.append(html.escape(text_of_work[pos:f.start]))
        pieces.append(
            f'<mark id="f{k}" class="{html.escape(f.kind)}" title="{html.escape(f.message, quote=True)}">'
            f"{html.escape(text_of_work[f.start:f.end])}</mark>"
        )
        pos = f.end
    pieces.append(html.escape(text_of_work[pos:]))
    summary = "<br>".join(html.escape(line) for line in _summary_lines(report))
    return _PAGE.format(title=html.escape(report.source), summary=summary, items="".join(items), story="".join(pieces))
