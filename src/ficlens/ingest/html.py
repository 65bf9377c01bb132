"""Any other HTML page or EPUB, read as plain story text.

Nothing here knows an archive's markup: the title comes from `<title>` (or the OPF's dc:title),
headings open chapters when there are several, and a page without prose paragraphs (a login form,
a link list, a menu) is refused as "HTML with no story text" rather than analysed as a story.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from ..model import Metadata, Work
from . import markup
from .formats import UnsupportedFormat

MIN_STORY_WORDS = 20
_NAV_TAGS = ("nav", "header", "footer", "form", "aside", "menu", "button", "select", "label")


def read(source: str, data: bytes) -> Work:
    soup = markup.parse(data)
    meta = Metadata()
    if soup.title is not None:
        meta.title = markup.normalise(soup.title.get_text(" ")) or None
    lang = soup.html.get("lang") if soup.html is not None else None
    meta.language = lang or None
    body = soup.body or soup
    for tag in body.find_all(_NAV_TAGS):
        tag.decompose()
    items = markup.blocks(body)
    if not _is_story(items):
        raise UnsupportedFormat("HTML with no story text")
    builder = markup.WorkBuilder()
    _add_chaptered(builder, items)
    return builder.build(source, "html", meta)


def _is_story(items: list[markup.Block]) -> bool:
    """Prose: enough words in paragraphs that read as sentences, not a list of links or fields."""
    prose = [b.text for b in items if b.kind == "text" and len(b.text.split()) >= 8]
    return sum(len(t.split()) for t in prose) >= MIN_STORY_WORDS


def _add_chaptered(builder: markup.WorkBuilder, items: list[markup.Block]) -> None:
    """Runs of headings open chapters, titled by the run's last heading ("Title" then "Chapter 1" is
    chapter "Chapter 1"), when the page has two runs or more; a single run on top is just the title."""
    runs = sum(1 for i, b in enumerate(items) if b.kind == "heading" and (i == 0 or items[i - 1].kind != "heading"))
    if runs < 2:
        builder.start_chapter(None)
        builder.add_blocks(items)
        return
    if items[0].kind != "heading":
        builder.start_chapter(None)
    i = 0
    while i < len(items):
        if items[i].kind != "heading":
            builder.add(items[i].text, items[i].kind)
            i += 1
            continue
        j = i
        while j < len(items) and items[j].kind == "heading":
            j += 1
        builder.start_chapter(items[j - 1].text, heading=False)
        builder.add_blocks(items[i:j])
        i = j


def read_documents(source: str, docs: list[BeautifulSoup], meta: Metadata, *, fmt: str) -> Work:
    """An EPUB's spine documents: each one with prose is a chapter, titled by its first heading."""
    builder = markup.WorkBuilder()
    for doc in docs:
        body = doc.body or doc
        if _is_link_list(body):
            continue
        items = markup.blocks(body)
        if not any(b.kind == "text" for b in items):
            continue
        if items[0].kind == "heading":
            builder.start_chapter(items[0].text)
            items = items[1:]
        else:
            builder.start_chapter(None)
        builder.add_blocks(items)
    if not builder.has_story():
        raise UnsupportedFormat("EPUB with no story text")
    if meta.title is None and docs and docs[0].title is not None:
        meta.title = markup.normalise(docs[0].title.get_text(" ")) or None
    return builder.build(source, fmt, meta)


def _is_link_list(body: Tag) -> bool:
    """A table of contents: nearly all of its text is link text."""
    text = len(body.get_text(" ", strip=True))
    linked = sum(len(a.get_text(" ", strip=True)) for a in body.find_all("a"))
    return text > 0 and linked >= 0.8 * text
