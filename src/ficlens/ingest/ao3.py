"""Archive of Our Own downloads: the HTML file, and the EPUB Calibre makes from it.

The work's own markup tells story from notes: a `<p>` label ("Summary", "Notes", "Chapter Notes",
"End Notes", ...) followed by a `blockquote` is a note; `h2.heading` / `h2.toc-heading` open chapters;
`dl.tags` holds the tags and stats. The walk goes by document order rather than wrapper ids, so the
same code reads the EPUB, whose HTML Calibre split into several files. Calibre's CSS flattening also
renames classes (`userstuff` becomes `userstuff1`) or drops those it has no style for, so classes are
compared without their numeric suffix and every landmark has a fallback that needs no class at all.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..model import Metadata, Work
from . import markup
from .formats import UnsupportedFormat

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
_TAG_LABELS = {"rating", "archive warning", "category", "fandom", "relationship", "character", "additional tag",
               "language", "series", "stats", "collection"}
_STATS = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*(.*?)\s*"
                    r"(?=(?:Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits):|$)")
_SERIES = re.compile(r"Part\s+(\d+)\s+of\s+(.+)", re.S)
_BOILERPLATE = re.compile(r"^(?:Chapter by\b|See the end of the (?:chapter|work) for\b)")


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
    _Walk(builder, soup).walk(soup.body or soup)
    builder.close_chapter()
    if not builder.has_story():
        raise UnsupportedFormat("AO3 download with no story text")
    return builder.build(source, fmt, found)


def classes(tag: Tag) -> set[str]:
    """Class names without Calibre's numeric suffixes: "userstuff1" -> "userstuff"."""
    return {re.sub(r"\d+$", "", c) for c in tag.get("class") or ()}


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _with_class(soup: BeautifulSoup, name: str, cls: str) -> Tag | None:
    return soup.find(lambda t: t.name == name and cls in classes(t))


def tags_block(soup: BeautifulSoup) -> Tag | None:
    """`dl.tags`, or (classes flattened away) the first `dl` whose labels are AO3's tag labels."""
    found = _with_class(soup, "dl", "tags")
    if found is not None:
        return found
    for dl in soup.find_all("dl"):
        if any(_label(dt.get_text()) in _TAG_LABELS for dt in dl.find_all("dt")):
            return dl
    return None


def metadata(soup: BeautifulSoup) -> Metadata:
    """Everything the preface says about the work."""
    meta = Metadata()
    tags = tags_block(soup)
    if tags is not None:
        for dt in tags.find_all("dt"):
            dd = dt.find_next_sibling("dd")
            if dd is not None:
                _tag_field(meta, _label(dt.get_text()), dd)
    h1 = soup.find("h1")
    if h1 is not None:
        meta.title = _text(h1) or None
    byline = _with_class(soup, "div", "byline")
    if byline is None and h1 is not None:
        after = h1.find_next_sibling(True)
        byline = after if after is not None and _text(after).startswith("by ") else None
    if byline is not None:
        meta.authors = _authors(byline)
    message = _with_class(soup, "p", "message") or soup.find(
        lambda t: t.name == "p" and "Posted originally on the" in t.get_text())
    if message is not None:
        for a in message.find_all("a", href=True):
            if "/works/" in a["href"]:
                meta.url = a["href"].strip()
            elif a.get_text(strip=True):
                meta.publisher = _text(a)
        if meta.title is None and message.find("b"):
            meta.title = _text(message.find("b"))
    if meta.title is None and soup.title is not None:
        meta.title = _text(soup.title).split(" - ")[0] or None
    summary = _labelled_block(soup, "summary")
    if summary is not None:
        meta.summary = "\n\n".join(b.text for b in markup.blocks(summary)) or None
    meta.inspired_by = _inspired_by(tags)
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
    links = [_text(a) for a in dd.find_all("a")]
    value = _text(dd)
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
    linked = [_text(a) for a in byline.find_all("a", rel="author")] or [_text(a) for a in byline.find_all("a")]
    if linked:
        return linked
    return markup.split_list(re.sub(r"^by\s+", "", _text(byline)))


def _note_kind(p: Tag) -> str | None:
    return _NOTE_LABELS.get(_text(p).lower()) if p.name == "p" else None


def _in_story(tag: Tag) -> bool:
    """Inside a chapter's own text (a `userstuff` block other than the `#chapters` wrapper): an author's
    paragraph that happens to read "Notes", or their own `<h2 class="heading">`, is story, not structure."""
    return any(parent.name in ("div", "blockquote") and "userstuff" in classes(parent) and not _is_wrapper(parent)
               for parent in tag.parents)


def _is_wrapper(div: Tag) -> bool:
    """`div#chapters.userstuff` (or a split file's copy of it): it holds chapter metadata, not story."""
    if div.get("id") == "chapters":
        return True
    return any(isinstance(c, Tag) and ((c.name == "div" and "meta" in classes(c)) or "toc-heading" in classes(c))
               for c in div.children)


def _is_note_label(p: Tag) -> bool:
    return bool(_note_kind(p)) and _following_blockquote(p) is not None and not _in_story(p)


def _labelled_block(soup: BeautifulSoup, kind: str) -> Tag | None:
    for p in soup.find_all("p"):
        if _note_kind(p) == kind and _is_note_label(p):
            return _following_blockquote(p)
    return None


def _following_blockquote(p: Tag) -> Tag | None:
    nxt = p.find_next_sibling(True)
    return nxt if nxt is not None and nxt.name == "blockquote" else None


def _inspired_by(tags: Tag | None) -> list[str]:
    """The preface's "Inspired by WORK by AUTHOR" list (it follows the tags block, inside the preface meta)."""
    if tags is None or tags.parent is None:
        return []
    found = []
    for li in tags.parent.find_all("li"):
        m = re.match(r"(?i)inspired by\s+(.*)", _text(li))
        if m:
            found.append(m.group(1).rstrip("."))
    return found


class _Walk:
    """Lays the work out in document order: notes, chapter headings, story text.

    Regions: before the first chapter heading (the preface) and after "Afterword" only notes count;
    in between, whatever is not a heading, a note, a lone note label or AO3's "Chapter by" / "See the end
    of the chapter" lines is story.
    """

    _SKIP_CLASSES = {"tags", "byline", "message", "endnote-link"}

    def __init__(self, builder: markup.WorkBuilder, soup: BeautifulSoup):
        self.builder = builder
        self.consumed: set[int] = set()
        self.region = "preface"
        self.landmark_ancestors = self._landmark_ancestors(soup)

    @staticmethod
    def _landmark_ancestors(soup: BeautifulSoup) -> set[int]:
        """Ids of the elements that contain a chapter heading or a note label (walked into, not read whole)."""
        marks = [h for h in soup.find_all("h2") if _is_chapter_heading(h)]
        marks += [p for p in soup.find_all("p") if _is_note_label(p)]
        ancestors: set[int] = set()
        for mark in marks:
            for parent in mark.parents:
                if id(parent) in ancestors:
                    break
                ancestors.add(id(parent))
        return ancestors

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
        if id(tag) in self.consumed or tag.name in ("script", "style", "head", "title"):
            return False
        if tag.name == "h2" and _is_chapter_heading(tag):
            self._heading(_text(tag))
            return False
        if _is_note_label(tag):
            self._note(_note_kind(tag), _following_blockquote(tag))
            return False
        if id(tag) in self.landmark_ancestors:
            return True
        if self.region == "chapter" and not (classes(tag) & self._SKIP_CLASSES) and tag.name not in ("dl", "h1"):
            text = _text(tag)
            if not (_BOILERPLATE.match(text) or text.lower() in _NOTE_LABELS):
                self.builder.add_blocks(markup.blocks(tag))
        return False

    def _heading(self, title: str) -> None:
        if title == "Preface":
            self.region = "preface"
        elif title == "Afterword":
            self.builder.close_chapter()
            self.region = "afterword"
        else:
            self.region = "chapter"
            self.builder.start_chapter(title or None)

    def _note(self, kind: str, quote: Tag) -> None:
        self.consumed.add(id(quote))
        if kind == "end":
            self.builder.close_chapter()
            self.region = "afterword"
        self.builder.note(kind, markup.blocks(quote))


def _is_chapter_heading(h2: Tag) -> bool:
    """`h2.heading` / `h2.toc-heading`; an `h2` with no class at all is one too unless it sits in story text."""
    found = classes(h2)
    if found & {"heading", "toc-heading"}:
        return not _in_story(h2)
    if found:
        return False
    container = next((p for p in h2.parents if p.name == "div" and "userstuff" in classes(p)), None)
    return container is None or not _has_prose_before(h2, container)


def _has_prose_before(h2: Tag, container: Tag) -> bool:
    """An author's own `<h2>` inside story text comes after some of that text."""
    for prev in h2.find_all_previous(True):
        if prev is container:
            return False
        if prev.name == "p" and prev.get_text(strip=True):
            return True
    return False
