"""Any other HTML page or EPUB, read as plain story text.

Nothing here knows one archive's markup. A saved web page is narrowed to its story container when it
has one (`#workskin` on an AO3 work page, `#storytext` on FanFiction.Net, `<article>`, `<main>`), so
menus, kudos and comments stay out; navigation, forms and screen-reader landmarks are dropped. A
note label ("Summary:", "Notes:", "Author's Note:", "End Notes") followed by a `<blockquote>` is a
note, as on AO3. Runs of headings open chapters when two or more of them head story text. A page
without prose paragraphs (a login form, a link list, an error page) is refused as "HTML with no story
text" rather than analysed as a story.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..model import Metadata, Work
from . import markup
from .formats import UnsupportedFormat

MIN_STORY_WORDS = 20
_NAV_TAGS = ("nav", "header", "footer", "form", "aside", "menu", "button", "select", "label")
_HIDDEN = ".landmark, .screen-reader-text, .sr-only, .visually-hidden, [aria-hidden=true]"
_STORY_CONTAINERS = ("#workskin", "#storytext", "[role=article]", "article", "main", "#content")
_NOTE_LABEL = re.compile(r"(?i)^(chapter\s+)?(summary|notes?|end\s+notes?|author'?s'?\s+notes?|a/n)\s*:?$")
_NOTE_LABEL_TEXT = re.compile(r"(?i)^\s*(?:chapter\s+)?(?:summary|notes?|end\s+notes?|author'?s'?\s+notes?|a/n)\s*:?\s*$")
_MARK = "\ue000"  # a private-use character: stands for an extracted note inside the block list
_PLACEHOLDER = re.compile(f"^{_MARK}(\\d+){_MARK}$")


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
    for tag in body.select(_HIDDEN):
        tag.decompose()
    root = _story_root(body)
    notes = _extract_notes(soup, root)
    items = markup.blocks(root)
    if not _is_story([b for b in items if not _PLACEHOLDER.match(b.text)]):
        raise UnsupportedFormat("HTML with no story text")
    builder = markup.WorkBuilder()
    _lay_out(builder, items, notes)
    return builder.build(source, "html", meta)


def _story_root(body: Tag) -> Tag:
    for selector in _STORY_CONTAINERS:
        found = body.select_one(selector)
        if found is not None and _is_story(markup.blocks(found)):
            return found
    return body


def _extract_notes(soup: BeautifulSoup, root: Tag) -> list[tuple[str, list[markup.Block]]]:
    """Take each labelled blockquote out of the page, leaving a placeholder paragraph where it was.

    The search starts from the text nodes that read like a label (linear in the page), then climbs a
    few levels to the element the blockquote follows (`<p><b>Notes</b>:</p><blockquote>`)."""
    notes: list[tuple[str, list[markup.Block]]] = []
    for string in root.find_all(string=_NOTE_LABEL_TEXT):
        found = _label_element(string, root)
        if found is None:
            continue
        label, m, quote = found
        chapter, name = bool(m.group(1)), m.group(2).lower()
        key = "summary" if name == "summary" else "end" if name.startswith("end") else "notes"
        notes.append((("chapter " if chapter else "") + key, markup.blocks(quote)))
        placeholder = soup.new_tag("p")
        placeholder.string = f"{_MARK}{len(notes) - 1}{_MARK}"
        quote.replace_with(placeholder)
        label.decompose()
    return notes


def _label_element(string, root: Tag):
    """(label element, its match, the blockquote after it), or None."""
    element = string.parent
    for _ in range(4):
        if element is None or element is root:
            return None
        m = _NOTE_LABEL.match(" ".join(element.get_text(" ").split()))
        if m is None:
            return None
        following = element.find_next_sibling(True)
        if following is not None and following.name == "blockquote":
            return element, m, following
        element = element.parent
    return None


def _is_story(items: list[markup.Block]) -> bool:
    """Prose: enough words in paragraphs that read as sentences, not a list of links or fields."""
    prose = [b.text for b in items if b.kind == "text" and len(b.text.split()) >= 8]
    return sum(len(t.split()) for t in prose) >= MIN_STORY_WORDS


def _is_prose(block: markup.Block) -> bool:
    return block.kind == "text" and not _PLACEHOLDER.match(block.text)


def _chapter_runs(items: list[markup.Block]) -> list[tuple[int, int]]:
    """(start, end) of each run of headings that story text follows before the next heading."""
    runs, i = [], 0
    while i < len(items):
        if items[i].kind != "heading":
            i += 1
            continue
        j = i
        while j < len(items) and items[j].kind == "heading":
            j += 1
        k = j
        while k < len(items) and items[k].kind != "heading" and not _is_prose(items[k]):
            k += 1
        if k < len(items) and _is_prose(items[k]):
            runs.append((i, j))
        i = j
    return runs


def _lay_out(builder: markup.WorkBuilder, items: list[markup.Block], notes: list) -> None:
    """Chapters at heading runs (when there are two or more), notes where their placeholders were."""
    runs = _chapter_runs(items)
    starts = {i: j for i, j in runs} if len(runs) >= 2 else {}
    if not starts or any(_is_prose(b) for b in items[:min(starts)]):
        builder.start_chapter(None)
    in_chapter = story_seen = chapter_story_seen = False
    i = 0
    while i < len(items):
        if i in starts:
            builder.start_chapter(items[starts[i] - 1].text, heading=False)
            builder.add_blocks(items[i:starts[i]])
            in_chapter, chapter_story_seen = True, False
            i = starts[i]
            continue
        block = items[i]
        placeholder = _PLACEHOLDER.match(block.text)
        if placeholder:
            key, note_items = notes[int(placeholder.group(1))]
            builder.note(_note_kind(key, in_chapter or story_seen, chapter_story_seen), note_items)
        else:
            builder.add(block.text or "* * *", block.kind)
            if block.kind == "text":
                story_seen = chapter_story_seen = True
        i += 1


def _note_kind(key: str, past_preface: bool, chapter_story_seen: bool) -> str:
    """Where a note stands says what it is: before any chapter or story it is the work's, after that
    the chapter's (before or after the chapter's text)."""
    if key.startswith("chapter "):
        return "chapter-end" if key == "chapter end" else "chapter-front"
    if key == "end":
        return "end"
    if not past_preface:
        return "summary" if key == "summary" else "front"
    return "chapter-end" if chapter_story_seen else "chapter-front"


def read_documents(source: str, docs: list[BeautifulSoup], meta: Metadata, *, fmt: str) -> Work:
    """An EPUB's spine documents: each one with prose is a chapter, titled by its first heading;
    labelled notes are notes, as in a web page."""
    builder = markup.WorkBuilder()
    story_seen = False
    for doc in docs:
        body = doc.body or doc
        if _is_link_list(body):
            continue
        notes = _extract_notes(doc, body)
        items = markup.blocks(body)
        if not any(_is_prose(b) for b in items):
            continue
        title = items[0].text if items[0].kind == "heading" else None
        builder.start_chapter(title)
        chapter_story_seen = False
        for block in items[1:] if title else items:
            placeholder = _PLACEHOLDER.match(block.text)
            if placeholder:
                key, note_items = notes[int(placeholder.group(1))]
                builder.note(_note_kind(key, story_seen or len(builder.chapters) > 1, chapter_story_seen), note_items)
            else:
                builder.add(block.text or "* * *", block.kind)
                if _is_prose(block):
                    story_seen = chapter_story_seen = True
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
