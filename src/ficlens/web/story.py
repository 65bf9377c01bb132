"""The story as HTML: paragraphs, notes set apart, dialogue marked with its speaker.

Every piece of story text goes through `markupsafe.escape` before it meets markup, so a fic that
contains `<script>` shows those characters and runs nothing; sanitize.py then checks the result. The markup is built as one string in a
single pass over paragraphs and quotes (both sorted by offset); a long work is cut into chunks so
the page shows the opening at once and fetches the rest as the reader scrolls.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Analysis, Note, Quote
from .sanitize import story_markup

PALETTE_SIZE = 8

NOTE_LABELS = {
    "summary": "Summary",
    "front": "Author's note",
    "end": "End note",
    "chapter-front": "Chapter note",
    "chapter-end": "Chapter end note",
}


def speaker_classes(analysis: Analysis) -> dict[str, int]:
    """Colour slot per speaker, busiest speaker first, so the main voices get distinct colours."""
    counts: dict[str, int] = {}
    for q in analysis.quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    for c in analysis.characters:
        counts.setdefault(c.name, 0)
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    return {name: i for i, name in enumerate(ranked[:PALETTE_SIZE])}


def _quote_open(q: Quote, colours: dict[str, int]) -> str:
    slot = colours.get(q.speaker) if q.speaker else None
    cls = "q unknown" if q.speaker is None else (f"q sp{slot}" if slot is not None else "q other")
    attrs = [f'class="{cls} k-{escape(q.kind)}"', f'data-kind="{escape(q.kind)}"']
    if q.speaker:
        attrs.append(f'data-speaker="{escape(q.speaker)}"')
    if q.addressee:
        attrs.append(f'data-addressee="{escape(q.addressee)}"')
    attrs.append(f'data-confidence="{q.confidence:.2f}"')
    return "<span " + " ".join(attrs) + ">"


def _paragraph_body(text: str, start: int, end: int, quotes: list[Quote], colours: dict[str, int]) -> str:
    parts = []
    pos = start
    for q in quotes:
        qs, qe = max(q.start, pos), min(q.end, end)
        if qs >= qe:
            continue
        parts.append(str(escape(text[pos:qs])))
        parts.append(_quote_open(q, colours))
        parts.append(str(escape(text[qs:qe])))
        parts.append("</span>")
        pos = qe
    parts.append(str(escape(text[pos:end])))
    return "".join(parts)


def _note_at(notes: list[Note], starts: list[int], pos: int) -> Note | None:
    i = bisect_left(starts, pos + 1) - 1
    if i >= 0 and notes[i].start <= pos < notes[i].end:
        return notes[i]
    return None


@dataclass
class Chunk:
    """A run of paragraphs sent to the browser in one piece: [first, last) with its story words."""

    index: int
    first: int
    last: int
    words: int


def chunks(analysis: Analysis, *, first_words: int = 3_000, words: int = 10_000) -> list[Chunk]:
    """Cut the work into pieces at paragraph ends: a short first piece, so the page shows quickly, then
    larger ones the page fetches as the reader scrolls. Notes never straddle a cut."""
    paragraphs = analysis.work.paragraphs
    text = analysis.work.text
    notes = sorted(analysis.work.notes, key=lambda n: n.start)
    starts = [n.start for n in notes]
    out: list[Chunk] = []
    first, count = 0, 0
    for i, p in enumerate(paragraphs):
        count += text.count(" ", p.start, p.end) + 1  # words, near enough to size a chunk
        limit = first_words if not out else words
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if following is None:
            break
        inside = _note_at(notes, starts, following.start)
        if count >= limit and (inside is None or inside is not _note_at(notes, starts, p.start)):
            out.append(Chunk(len(out), first, i + 1, count))
            first, count = i + 1, 0
    if first < len(paragraphs) or not out:
        out.append(Chunk(len(out), first, len(paragraphs), count))
    return out


def render(analysis: Analysis, chunk: Chunk | None = None) -> Markup:
    """HTML for the paragraphs of `chunk` (the whole work without one): `<p id="pN">` per paragraph,
    notes in `<aside>`, chapter headings as `<h2>`, scene breaks as `<hr>`."""
    work = analysis.work
    text = work.text
    first, last = (chunk.first, chunk.last) if chunk else (0, len(work.paragraphs))
    colours = speaker_classes(analysis)
    notes = sorted(work.notes, key=lambda n: n.start)
    note_starts = [n.start for n in notes]
    quotes = sorted(analysis.quotes, key=lambda q: q.start)
    quote_starts = [q.start for q in quotes]
    out: list[str] = []
    open_note: Note | None = None
    for i in range(first, last):
        p = work.paragraphs[i]
        note = _note_at(notes, note_starts, p.start)
        same_box = note is not None and open_note is not None and note.kind == open_note.kind
        if note is not open_note and not same_box:  # notes of one kind in a row share one box
            if open_note is not None:
                out.append("</aside>")
            if note is not None:
                label = NOTE_LABELS.get(note.kind, "Note")
                out.append(f'<aside class="note note-{escape(note.kind)}"><h3 class="note-label">{label}</h3>')
        open_note = note
        if p.kind == "break":
            out.append(f'<hr id="p{i}" class="scene-break">')
        elif p.kind == "heading":
            out.append(f'<h2 id="p{i}" class="chapter-heading">{escape(text[p.start:p.end].strip())}</h2>')
        else:
            qi = max(0, bisect_left(quote_starts, p.start) - 1)
            while qi < len(quotes) and quotes[qi].end <= p.start:
                qi += 1
            qj = bisect_left(quote_starts, p.end, lo=qi)
            body = _paragraph_body(text, p.start, p.end, quotes[qi:qj], colours)
            out.append(f'<p id="p{i}">{body}</p>')
    if open_note is not None:
        out.append("</aside>")
    return story_markup("\n".join(out))
