"""Archive of Our Own downloads: the HTML file, and the EPUB Calibre makes from it.

The work's own markup tells story from notes: a `<p>` label ("Summary", "Notes", "Chapter Notes",
"End Notes", ...) followed by a `blockquote.userstuff` is a note; `div.userstuff` holds the story;
`h2.heading` / `h2.toc-heading` open chapters; `dl.tags` holds the tags and stats. The walk goes by
document order rather than wrapper ids, so the same code reads the EPUB, whose HTML Calibre split
into several files.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..model import Metadata, Work
from . import markup
from .formats import UnsupportedFormat

PUBLISHER = "Archive of Our Own"

_NOTE_LABELS = {
    "summary": "summary",
    "notes": "front",
    "end notes": "end",
    "chapter summary": "chapter-front",
    "chapter notes": "chapter-front",
    "chapter end notes": "chapter-end",
}
_LIST_FIELDS = {
    "archive warning": "warnings",
    "category": "categories",
    "fandom": "fandoms",
    "relationship": "relationships",
    "character": "characters",
    "additional tag": "tags",
}
_STATS = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*(.*?)\s*(?=(?:Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits):|$)")
_SERIES = re.compile(r"Part\s+(\d+)\s+of\s+(.+)", re.S)


def read_html(source: str, data: bytes) -> Work:
    return read_soup(source, markup.parse(data), fmt="ao3-html")


def read_soup(source: str, soup: BeautifulSoup, *, fmt: str, meta: Metadata | None = None) -> Work:
    """Read an AO3 download already parsed; `meta` gives fallbacks (the EPUB's OPF) for what the HTML lacks."""
    found = metadata(soup)
    if meta is not None:
        for name, value in vars(meta).items():
            if value and not getattr(found, name):
                setattr(found, name, value)
    builder = markup.WorkBuilder()
    _Walk(builder).walk(soup.body or soup)
    builder.close_chapter()
    if not builder.has_story():
        raise UnsupportedFormat("AO3 download with no story text")
    return builder.build(source, fmt, found)


def metadata(soup: BeautifulSoup) -> Metadata:
    """Everything the preface and afterword say about the work."""
    meta = Metadata(publisher=None)
    tags = soup.find("dl", class_="tags")
    if tags is not None:
        for dt in tags.find_all("dt"):
            dd = dt.find_next_sibling("dd")
            if dd is not None:
                _tag_field(meta, _label(dt.get_text()), dd)
    h1 = soup.find("h1")
    if h1 is not None:
        meta.title = markup.normalise(h1.get_text(" ")) or None
    byline = soup.find("div", class_="byline")
    if byline is not None:
        meta.authors = _authors(byline)
    message = soup.find("p", class_="message")
    if message is not None:
        for a in message.find_all("a", href=True):
            if "/works/" in a["href"]:
                meta.url = a["href"].strip()
            elif a.get_text(strip=True):
                meta.publisher = markup.normalise(a.get_text(" "))
        if meta.title is None and message.find("b"):
            meta.title = markup.normalise(message.find("b").get_text(" "))
    if meta.title is None and soup.title is not None:
        meta.title = markup.normalise(soup.title.get_text(" ")).split(" - ")[0] or None
    summary = _labelled_block(soup, "summary")
    if summary is not None:
        meta.summary = "\n\n".join(b.text for b in markup.blocks(summary)) or None
    for li in _preface_relations(soup):
        text = markup.normalise(li.get_text(" "))
        m = re.match(r"(?i)inspired by\s+(.*)", text)
        if m:
            meta.inspired_by.append(m.group(1).rstrip("."))
    return meta


def _label(text: str) -> str:
    """ "Relationships:" -> "relationship", "Archive Warnings:" -> "archive warning"."""
    label = " ".join(text.split()).rstrip(":").strip().lower()
    if label in ("stats", "series"):
        return label
    if label.endswith("ies"):
        return label[:-3] + "y"
    return label[:-1] if label.endswith("s") else label


def _tag_field(meta: Metadata, label: str, dd: Tag) -> None:
    links = [" ".join(a.get_text(" ").split()) for a in dd.find_all("a")]
    value = " ".join(dd.get_text(" ").split())
    if label in _LIST_FIELDS:
        getattr(meta, _LIST_FIELDS[label]).extend(links or markup.split_list(value))
    elif label == "rating":
        meta.rating = (links or [value])[0] or None
    elif label == "language":
        meta.language = value or None
    elif label == "series":
        for part in re.split(r",\s*(?=Part\s+\d)", value):
            m = _SERIES.match(part.strip())
            if m:
                meta.series.append({"name": m.group(2).strip(), "part": int(m.group(1))})
    elif label == "stats":
        _stats(meta, value)


def _stats(meta: Metadata, value: str) -> None:
    stats = dict(_STATS.findall(value))
    meta.published = markup.iso_date(stats.get("Published"))
    meta.updated = markup.iso_date(stats.get("Updated") or stats.get("Completed"))
    meta.words = markup.parse_int(stats.get("Words"))
    chapters = stats.get("Chapters")
    if chapters:
        meta.chapters = chapters.replace(" ", "")
        done, _, total = meta.chapters.partition("/")
        meta.status = "Completed" if "Completed" in stats or done == total else "In-Progress"


def _authors(byline: Tag) -> list[str]:
    linked = [markup.normalise(a.get_text(" ")) for a in byline.find_all("a", rel="author")]
    if linked:
        return linked
    text = re.sub(r"^\s*by\s+", "", markup.normalise(byline.get_text(" ")))
    return markup.split_list(text)


def _labelled_block(soup: BeautifulSoup, kind: str) -> Tag | None:
    for p in soup.find_all("p"):
        if _NOTE_LABELS.get(markup.normalise(p.get_text(" ")).lower()) == kind:
            return _following_blockquote(p)
    return None


def _following_blockquote(p: Tag) -> Tag | None:
    nxt = p.find_next_sibling(True)
    return nxt if nxt is not None and nxt.name == "blockquote" else None


def _preface_relations(soup: BeautifulSoup) -> list[Tag]:
    preface = soup.find(id="preface") or soup.find("dl", class_="tags")
    if preface is None:
        return []
    meta_div = preface if preface.name != "dl" else preface.parent
    return [li for ul in meta_div.find_all("ul") for li in ul.find_all("li")]


def _classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or ())


class _Walk:
    """Lays the work out in document order: notes, chapter headings, story text."""

    _SKIP_CLASSES = {"tags", "byline", "message", "endnote-link"}

    def __init__(self, builder: markup.WorkBuilder):
        self.builder = builder
        self.consumed: set[int] = set()

    def walk(self, element: Tag) -> None:
        """Document order with an explicit stack (no recursion limit on hostile nesting)."""
        stack = [iter(element.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif isinstance(child, Tag) and self.visit(child):
                stack.append(iter(child.children))

    def visit(self, tag: Tag) -> bool:
        """Handle one element; True when its children still need walking."""
        if id(tag) in self.consumed or tag.name in ("script", "style", "head", "h1", "ul", "dl"):
            return False
        classes = _classes(tag)
        if classes & self._SKIP_CLASSES:
            return False
        if tag.name == "p":
            self._note(tag)
        elif tag.name == "h2" and "heading" in classes:
            self.builder.start_chapter(markup.normalise(tag.get_text(" ")) or None)
        elif tag.name == "h2" and "toc-heading" in classes:
            title = markup.normalise(tag.get_text(" "))
            if title == "Afterword":
                self.builder.close_chapter()
            elif title != "Preface":
                self.builder.start_chapter(title or None)
        elif tag.name == "div" and "userstuff" in classes and tag.find("div", class_="userstuff") is None:
            if not self.builder.chapters:
                self.builder.start_chapter(None)
            self.builder.add_blocks(markup.blocks(tag))
        else:
            if tag.get("id") in ("afterword", "endnotes"):
                self.builder.close_chapter()
            return True
        return False

    def _note(self, p: Tag) -> None:
        kind = _NOTE_LABELS.get(markup.normalise(p.get_text(" ")).lower())
        quote = _following_blockquote(p) if kind else None
        if quote is None:
            return
        self.consumed.add(id(quote))
        if kind == "end":
            self.builder.close_chapter()
        self.builder.note(kind, markup.blocks(quote))
