"""From story HTML to paragraphs, and from paragraphs to a Work.

Story HTML is untrusted and messy (`<p>`, `<br/>` runs, `<center>***</center>`, tables, inline
styles). `blocks` flattens any element into (kind, text) paragraphs; `WorkBuilder` lays them out as
the extracted `Work.text` (paragraphs separated by one blank line) while recording the spans of
paragraphs, notes and chapters, so every offset indexes the text it produces.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Iterator

from bs4 import BeautifulSoup, Comment, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from ..model import Chapter, Metadata, Note, Paragraph, Work

_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg", "math", "img"}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = {
    "p", "div", "center", "blockquote", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead",
    "tfoot", "tr", "td", "th", "caption", "section", "article", "header", "footer", "main", "aside",
    "nav", "figure", "figcaption", "pre", "address", "body", "html", "details", "summary", "form",
    "fieldset",
}
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_ORNAMENT = re.compile(r"(?i)^(?:o+|x+)$")


@dataclass(frozen=True)
class Block:
    """One paragraph of extracted text: kind is "text", "break" or "heading"."""

    kind: str
    text: str


def parse(data: bytes | str) -> BeautifulSoup:
    """Parse HTML or XHTML leniently with lxml's HTML parser.

    Bytes that are valid UTF-8 (every AO3 and FanFicFare file) are decoded directly, which is faster
    than bs4's encoding detection; anything else is left to that detection (`<meta charset>`, BOMs).
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(data, "lxml")


def normalise(text: str) -> str:
    """Collapse runs of spaces within lines, trim lines, drop empty lines at either end."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def kind_of(text: str) -> str:
    """A paragraph of ornaments only (`***`, `~ ~ ~`, `<center>oOo</center>`) is a scene break."""
    compact = text.replace(" ", "").replace("\n", "")
    if not any(ch.isalnum() for ch in compact):
        quoteish = set("\"'“”‘’«»„…")
        return "text" if any(ch in quoteish for ch in compact) or compact in ("-", "—", "–") else "break"
    if len(compact) >= 3 and _ORNAMENT.match(compact) and compact != compact.lower():
        return "break"  # "oOo", "xXx"
    return "text"


def blocks(element: Tag | None) -> list[Block]:
    """The paragraphs of an element's content in document order."""
    if element is None:
        return []
    walker = _Walker()
    walker.walk(element)
    walker.flush()
    return walker.out


class _Walker:
    def __init__(self):
        self.out: list[Block] = []
        self.buffer: list[str] = []

    def flush(self, kind: str | None = None) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        if kind == "heading":
            text = normalise(raw).replace("\n", " ")
            if text:
                self.out.append(Block("heading", text))
            return
        for chunk in _BLANK_LINES.split(raw):
            text = normalise(chunk)
            if text:
                self.out.append(Block(kind or kind_of(text), text))

    def walk(self, element: Tag) -> None:
        """Depth-first over the tree with an explicit stack: story HTML can nest thousands deep."""
        stack: list[tuple[Iterator, str | None]] = [(iter(element.children), None)]
        while stack:
            child = next(stack[-1][0], None)
            if child is None:
                _, closing = stack.pop()
                if closing == "heading":
                    self.flush("heading")
                elif closing == "block":
                    self.flush()
                continue
            if isinstance(child, NavigableString):
                if not isinstance(child, _NOT_TEXT):
                    self.buffer.append(str(child).replace("\n", " "))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP_TAGS:
                continue
            name = child.name
            if name == "br":
                self.buffer.append("\n")
            elif name == "hr":
                self.flush()
                self.out.append(Block("break", ""))
            elif name in _HEADING_TAGS:
                self.flush()
                stack.append((iter(child.children), "heading"))
            elif name in _BLOCK_TAGS:
                self.flush()
                stack.append((iter(child.children), "block"))
            else:
                stack.append((iter(child.children), None))


class WorkBuilder:
    """Accumulates paragraphs, notes and chapters into one text with consistent offsets."""

    def __init__(self):
        self._parts: list[str] = []
        self._length = 0
        self.paragraphs: list[Paragraph] = []
        self.notes: list[Note] = []
        self.chapters: list[Chapter] = []
        self._open_chapter: int | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _chapter_index(self) -> int:
        return max(len(self.chapters) - 1, 0)

    def add(self, text: str, kind: str = "text") -> tuple[int, int]:
        """Append one paragraph; returns its (start, end)."""
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self.paragraphs.append(Paragraph(start, self._length, self._chapter_index(), kind))
        if self._open_chapter is not None:
            self.chapters[self._open_chapter].end = self._length
        return start, self._length

    def add_blocks(self, items: list[Block]) -> tuple[int, int] | None:
        """Append paragraphs; returns the span they cover, or None when there were none."""
        spans = [self.add(b.text or "* * *" if b.kind == "break" else b.text, b.kind) for b in items]
        return (spans[0][0], spans[-1][1]) if spans else None

    def note(self, kind: str, items: list[Block]) -> Note | None:
        """Append a summary or author's note; it belongs to the open chapter when it is a chapter note."""
        span = self.add_blocks([Block("text", b.text) if b.kind == "heading" else b for b in items])
        if span is None:
            return None
        chapter = self._chapter_index() if kind.startswith("chapter-") and self.chapters else None
        note = Note(kind, self.text[span[0]:span[1]], span[0], span[1], chapter)
        self.notes.append(note)
        return note

    def start_chapter(self, title: str | None, *, heading: bool = True) -> None:
        """Open a chapter; its heading (the title) becomes a "heading" paragraph."""
        self.close_chapter()
        start = self._length + (2 if self._parts else 0)
        self.chapters.append(Chapter(title=title, start=start, end=start))
        self._open_chapter = len(self.chapters) - 1
        if title and heading:
            self.add(title, "heading")

    def close_chapter(self) -> None:
        self._open_chapter = None

    def has_story(self) -> bool:
        noted = [(n.start, n.end) for n in self.notes]
        return any(p.kind == "text" and not any(s <= p.start < e for s, e in noted) for p in self.paragraphs)

    def build(self, source: str, fmt: str, meta: Metadata) -> Work:
        text = self.text
        chapters = [c for c in self.chapters if c.end > c.start] or [Chapter(title=None, start=0, end=len(text))]
        if len(chapters) != len(self.chapters):
            kept = {id(c): i for i, c in enumerate(chapters)}
            remap = {i: kept.get(id(c), 0) for i, c in enumerate(self.chapters)}
            for p in self.paragraphs:
                p.chapter = remap.get(p.chapter, 0)
            for n in self.notes:
                if n.chapter is not None:
                    n.chapter = remap.get(n.chapter, 0)
        return Work(source=source, format=fmt, text=text, chapters=chapters,
                    paragraphs=self.paragraphs, notes=self.notes, meta=meta)


def split_list(value: str) -> list[str]:
    """ "A, B, C" -> ["A", "B", "C"] (tags never contain ", " on AO3: commas are not allowed in tags)."""
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_int(value: str | None) -> int | None:
    """ "6,538" / "6.538" / "6 538" -> 6538."""
    if not value:
        return None
    digits = re.sub(r"[,.\s\u00a0\u202f']", "", value)
    return int(digits) if digits.isdigit() else None


def iso_date(value: str | None) -> str | None:
    """The ISO date at the start of a date string ("2015-03-12", "2015-03-12T10:00:00+00:00")."""
    if not value:
        return None
    m = re.search(r"\d{4}-\d{2}-\d{2}", value)
    return m.group() if m else None
