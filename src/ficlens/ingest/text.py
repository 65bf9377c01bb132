"""Plain text and Markdown: paragraphs, scene breaks, chapter headings, then the notes around the story.

Offsets are exact indices into the decoded file (see `decode`), CRLF kept, so `text[start:end]` is
always the span in the user's own file. Paragraphs are blank-line separated, or one per line when a
file has no blank lines (or a block of lines that is not hard-wrapped prose), or both in one file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import Chapter, Metadata, Paragraph, Work
from . import notes
from .decode import decode

_QUOTE_CHARS = "\"'“”‘’«»„"

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
)
_NUMERAL = rf"(?:\d{{1,4}}|[ivxlc]{{1,7}}|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)"
_CHAPTER_HEADING = re.compile(
    rf"^(?:chapter|ch\.|chap\.|part|book|act)\s+{_NUMERAL}\b\.?"
    rf"(?:\s*[:.\-–—|]\s*.{{0,70}}|\s+(?-i:[A-Z0-9(\"“'‘]).{{0,68}}[^.!?,;:])?$",  # "Part two of the plan was simple." is prose
    re.IGNORECASE,
)
_NAMED_HEADING = re.compile(
    r"^(?:prologue|epilogue|interlude|afterword|foreword|coda)\b\.?(?:\s*(?:[:.\-–—|]\s*)(?P<rest>.{0,70}))?$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,7})\.?$")
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>\S.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)\s*$")
# Cheap first tests, so ordinary prose lines skip the full checks.
_MAYBE_BREAK = re.compile(r"[\W_oOxX0]+$")
_MAYBE_HEADING = re.compile(
    r"#|\d|(?-i:[IVXLC])|(?:chapter|ch\.|chap\.|part|book|act|prologue|epilogue|interlude|afterword|foreword|coda)\b",
    re.IGNORECASE,
)


class _Line(NamedTuple):
    start: int  # first non-blank character
    end: int  # after the last non-blank character
    text: str  # stripped
    indent: int


def read(source: str, data: bytes) -> Work:
    """Read plain text or Markdown bytes into a Work (raises decode.NotText for binary data)."""
    content = decode(data)
    paragraphs, headings = segment(content)
    chapters = chapters_from_headings(content, paragraphs, headings)
    _assign_chapters(paragraphs, chapters)
    starts = chapter_headings(content, paragraphs, headings)
    matter = notes.find(content, paragraphs, chapters=chapters, chapter_headings=starts)
    for i in matter.title_paragraphs:
        paragraphs[i].kind = "heading"
    meta = Metadata(title=matter.title, authors=matter.authors)
    for key, value in matter.fields.items():
        setattr(meta, key, value)
    return Work(
        source=source,
        format="text",
        text=content,
        chapters=chapters,
        paragraphs=paragraphs,
        notes=matter.notes,
        meta=meta,
    )


def segment(content: str) -> tuple[list[Paragraph], dict[int, str]]:
    """Paragraphs with kinds, and {paragraph index: heading title} for chapter headings."""
    paragraphs: list[Paragraph] = []
    headings: dict[int, str] = {}
    blocks = _blocks(content)
    # Without blank lines between paragraphs, a wrapped paragraph ends where the next word would have fitted.
    dense = len(blocks) <= max(1.0, 0.05 * sum(len(b) for b in blocks))
    for block in blocks:
        if len(block) == 2 and _SETEXT_UNDERLINE.match(block[1].text):  # Markdown "Title\n====="
            headings[len(paragraphs)] = block[0].text
            paragraphs.append(Paragraph(block[0].start, block[1].end, kind="heading"))
            continue
        run: list[_Line] = []
        for line in block:
            kind, title = classify_line(line.text)
            if kind == "text":
                run.append(line)
                continue
            paragraphs.extend(_prose(run, dense=dense))
            run = []
            if title is not None:
                headings[len(paragraphs)] = title
            paragraphs.append(Paragraph(line.start, line.end, kind=kind))
        paragraphs.extend(_prose(run, dense=dense))
    return paragraphs, headings


def classify_line(line: str) -> tuple[str, str | None]:
    """("break" | "heading" | "text", chapter title or None) for one stripped line."""
    if not line or (len(line) > 90 and line[0] != "#"):
        return "text", None
    if _MAYBE_BREAK.match(line) and is_scene_break(line):
        return "break", None
    if not _MAYBE_HEADING.match(line):
        return "text", None
    md = _MARKDOWN_HEADING.match(line)
    if md:
        return "heading", md.group("title")
    if len(line) <= 90 and (_CHAPTER_HEADING.match(line) or _NAMED_HEADING.match(line)):
        if line[0] not in _QUOTE_CHARS:
            return "heading", line
    if _BARE_NUMBER.match(line):
        return "heading", line
    return "text", None


def is_scene_break(line: str) -> bool:
    """`***`, `* * *`, `~~~`, `---`, `oOo`, `xXx`, `-x-`, centred symbols: a line with no words."""
    if len(line) > 60 or any(c in _QUOTE_CHARS for c in line):
        return False
    if not any(c.isalnum() for c in line):
        return not set(line) <= set(".…,;:!?() ") or line.count(".") > 5
    core = "".join(c for c in line if c.isalnum())
    if set(core) <= set("oOxX0") and 3 <= len(core) <= 9 and not (core[0].isupper() and core[1:].islower()):
        return True
    decorated = any(not c.isalnum() and not c.isspace() and c not in ".,;:!?" for c in line)
    return decorated and len(core) <= 3 and set(core) <= set("oOxX0")


def chapters_from_headings(content: str, paragraphs: list[Paragraph], headings: dict[int, str]) -> list[Chapter]:
    """Chapters tile the text: each chapter heading starts one; the first covers any preface too."""
    starts = [(paragraphs[i].start, headings[i]) for i in sorted(chapter_headings(content, paragraphs, headings))]
    if not starts:
        return [Chapter(title=None, start=0, end=len(content))]
    chapters = []
    for n, (start, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(content)
        chapters.append(Chapter(title=title, start=0 if n == 0 else start, end=end))
    return chapters


def chapter_headings(content: str, paragraphs: list[Paragraph], headings: dict[int, str]) -> set[int]:
    """The headings that start chapters: all but a title heading at the top.

    The first heading names the work, not a chapter, when it comes before any prose, is not
    "Chapter 1"-like, and is a Markdown `# Title` or followed by further headings.
    """
    if not headings:
        return set()
    first = min(headings)
    first_text = next((p.start for p in paragraphs if p.kind == "text"), len(content))
    line = content[paragraphs[first].start:paragraphs[first].end]
    is_title = (
        paragraphs[first].start < first_text
        and not is_chapter_heading(headings[first])
        and (len(headings) > 1 or line.startswith("# ") or "\n" in line)
    )
    return set(headings) - {first} if is_title else set(headings)


def is_chapter_heading(line: str) -> bool:
    """ "Chapter 3", "Chapter Three: Title", "Part II", "Prologue", "12." """
    return bool(_CHAPTER_HEADING.match(line) or _NAMED_HEADING.match(line) or _BARE_NUMBER.match(line))


def _assign_chapters(paragraphs: list[Paragraph], chapters: list[Chapter]) -> None:
    """One sweep: paragraphs and chapters are both in text order."""
    n = 0
    for p in paragraphs:
        while n + 1 < len(chapters) and p.start >= chapters[n + 1].start:
            n += 1
        p.chapter = n


def _blocks(content: str) -> list[list[_Line]]:
    """Runs of non-blank lines, each line with its exact stripped span."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    pos = 0
    for raw in content.splitlines(keepends=True):
        body = raw.strip()
        if body:
            start = pos + len(raw) - len(raw.lstrip())
            current.append(_Line(start, start + len(body), body, start - pos))
        elif current:
            blocks.append(current)
            current = []
        pos += len(raw)
    if current:
        blocks.append(current)
    return blocks


def _prose(run: list[_Line], *, dense: bool) -> list[Paragraph]:
    """A run of text lines: hard-wrapped prose joined into paragraphs, anything else one paragraph per line."""
    if not run:
        return []
    ends = _wrapped_paragraph_ends(run, dense=dense) if len(run) > 1 else None
    if ends is None:
        return [Paragraph(line.start, line.end) for line in run]
    out: list[Paragraph] = []
    start = run[0].start
    for i in sorted(ends):
        out.append(Paragraph(start, run[i].end))
        start = run[i + 1].start
    out.append(Paragraph(start, run[-1].end))
    return out


def _wrapped_paragraph_ends(run: list[_Line], *, dense: bool) -> set[int] | None:
    """For hard-wrapped prose (FanFicFare TXT, e-mail, Markdown, Gutenberg), the lines that end a paragraph;
    None when the lines are not wrapped at a fixed width.

    Wrapped lines are mostly "full": the next line's first word would not have fitted. A line before an
    indented one ends a paragraph; in a `dense` file (no blank lines between paragraphs) so does a line
    the next word would have fitted on.
    """
    lengths = [len(line.text) for line in run]
    width = max(lengths)
    if width > 100 or width < 40:
        return None
    base = min(line.indent for line in run)
    ends: set[int] = set()
    full = 0
    for i, nxt in enumerate(run[1:]):
        first_word = nxt.text.split(None, 1)[0]
        if lengths[i] + 1 + len(first_word) > width - 2:
            full += 1
        elif dense:
            ends.add(i)
        if nxt.indent >= base + 2:
            ends.add(i)
    return ends if full >= 0.6 * (len(run) - 1) else None
