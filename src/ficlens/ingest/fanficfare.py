"""FanFicFare downloads: EPUB, HTML and TXT.

FanFicFare writes a title page of `Label: value` entries (labels from its `titlepage_entries`),
one file or section per chapter with the chapter title as a heading, and author's notes as
`div.fff_chapter_notes` (`fff_head_notes` before the chapter text, `fff_foot_notes` after it)
opening with a bold label. For AO3 stories it files AO3's fandoms under "Category" and the
additional tags together with AO3's categories under "Genre".
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..model import Metadata, Work
from . import markup
from .formats import UnsupportedFormat

AO3_CATEGORIES = {"F/F", "F/M", "Gen", "M/M", "Multi", "Other"}
_NOTE_LABELS = {
    "author's note": "note",
    "authors note": "note",
    "summary for the chapter": "summary",
    "notes for the chapter": "notes",
    "end notes": "notes",
}
_SERIES = re.compile(r"^(.*?)\s*\[(\d+)\]\s*$")


def is_fff_epub(pkg, docs: list[BeautifulSoup]) -> bool:
    if any(v.startswith("fanficfare-uid") for v in pkg.values("identifier")):
        return True
    if any("FanFicFare" in v for v in pkg.values("contributor")):
        return True
    return any(d.find("body", class_=("fff_titlepage", "fff_chapter")) is not None for d in docs)


def apply_entries(meta: Metadata, entries: list[tuple[str, str]]) -> None:
    """Title-page `Label: value` entries into Metadata (they win over the OPF, which has fewer fields)."""
    for label, value in entries:
        key = label.strip().lower()
        if not value:
            continue
        if key == "category":
            meta.fandoms = markup.split_list(value)
        elif key == "genre":
            genre = markup.split_list(value)
            meta.categories = [g for g in genre if g in AO3_CATEGORIES]
            meta.tags = [g for g in genre if g not in AO3_CATEGORIES]
        elif key in ("language", "rating", "status", "publisher"):
            setattr(meta, key, value)
        elif key == "characters":
            meta.characters = markup.split_list(value)
        elif key in ("relationships", "pairings", "ships"):
            meta.relationships = markup.split_list(value)
        elif key == "published":
            meta.published = markup.iso_date(value) or meta.published
        elif key == "updated":
            meta.updated = markup.iso_date(value) or meta.updated
        elif key == "warnings":
            meta.warnings = markup.split_list(value)
        elif key == "chapters":
            meta.chapters = value
        elif key == "words":
            meta.words = markup.parse_int(value)
        elif key == "summary":
            meta.summary = value
        elif key in ("story url", "url"):
            meta.url = value
        elif key == "series":
            m = _SERIES.match(value)
            meta.series = [{"name": m.group(1), "part": int(m.group(2))} if m else {"name": value, "part": None}]
        elif key in ("author", "authors"):
            meta.authors = markup.split_list(value)
        elif key == "title":
            meta.title = value


def _title_and_author(heading: Tag | None, meta: Metadata) -> None:
    """ "<a href=URL>TITLE</a> by <a>AUTHOR</a>, <a>AUTHOR</a>" from the title page or HTML h1."""
    if heading is None:
        return
    link = heading.find("a", href=True)
    if link is not None:
        meta.title = markup.normalise(link.get_text(" ")) or meta.title
        meta.url = meta.url or link["href"].strip() or None
    text = markup.normalise(heading.get_text(" "))
    if " by " in text:
        title, _, authors = text.rpartition(" by ")
        meta.title = meta.title or title.strip()
        byline = markup.split_list(authors.replace(" & ", ", "))
        if byline and not meta.authors:
            meta.authors = byline


def _titlepage_entries(page: Tag) -> list[tuple[str, str]]:
    """`<b>Label:</b> value<br/>` lines, or the `table.full` rows of the same. A summary may hold
    paragraphs and line breaks of its own, so it runs to the next label rather than the next `<br/>`."""
    entries = []
    for b in page.find_all("b"):
        label = markup.normalise(b.get_text(" "))
        if not label.endswith(":"):
            continue
        label = label[:-1].strip()
        holder = markup.parse("<div></div>").div
        for sib in list(b.next_siblings):
            if isinstance(sib, Tag) and (_is_label(sib) or sib.name == "tr"
                                         or (sib.name == "br" and label.lower() != "summary")):
                break
            holder.append(sib.__copy__() if isinstance(sib, Tag) else NavigableString(str(sib)))
        value = "\n\n".join(block.text.replace("\n", " ") for block in markup.blocks(holder))
        if not value and b.parent is not None and b.parent.name == "td":
            cell = b.parent.find_next_sibling("td")
            value = "\n\n".join(block.text for block in markup.blocks(cell)) if cell is not None else ""
        entries.append((label, value))
    return entries


def _is_label(tag: Tag) -> bool:
    return tag.name == "b" and markup.normalise(tag.get_text(" ")).endswith(":")


def _split_notes(body: Tag) -> tuple[list[tuple[str, list[markup.Block]]], list[tuple[str, list[markup.Block]]]]:
    """Take the head and foot note divs out of a chapter; each is split at its bold labels."""
    head, foot = [], []
    for div in body.find_all("div", class_="fff_chapter_notes"):
        where = foot if "fff_foot_notes" in (div.get("class") or ()) else head
        div.extract()
        label, chunk = None, []
        sections: list[tuple[str, list]] = []
        for child in list(div.children):
            if isinstance(child, Tag) and child.name == "b":
                name = markup.normalise(child.get_text(" ")).rstrip(":").strip().lower()
                if name in _NOTE_LABELS:
                    if chunk or label:
                        sections.append((label or "note", chunk))
                    label, chunk = _NOTE_LABELS[name], []
                    continue
            chunk.append(child)
        sections.append((label or "note", chunk))
        for label, nodes in sections:
            holder = markup.parse("<div></div>").div
            for node in nodes:
                holder.append(node)
            items = markup.blocks(holder)
            if items:
                where.append((label, items))
    return head, foot


def _note_kind(label: str, *, head: bool, first: bool, last: bool) -> str:
    """An "Author's Note" before the first or after the last chapter is the work's own note."""
    if label == "note" and head and first:
        return "front"
    if label == "note" and not head and last:
        return "end"
    return "chapter-front" if head else "chapter-end"


def _add_chapter(builder: markup.WorkBuilder, title: str | None, body: Tag, *, first: bool, last: bool) -> None:
    head, foot = _split_notes(body)
    builder.start_chapter(title)
    for label, items in head:
        builder.note(_note_kind(label, head=True, first=first, last=last), items)
    builder.add_blocks(markup.blocks(body))
    for label, items in foot:
        builder.note(_note_kind(label, head=False, first=first, last=last), items)


def _add_summary(builder: markup.WorkBuilder, meta: Metadata) -> None:
    if meta.summary:
        builder.note("summary", [markup.Block("text", p) for p in meta.summary.split("\n\n") if p.strip()])


def read_epub(source: str, pkg, docs: list[BeautifulSoup], meta: Metadata) -> Work:
    from . import html

    meta.tags = [t for t in meta.tags if t != "FanFiction"]
    chapters, others = [], []
    for doc in docs:
        body = doc.body
        if body is None:
            continue
        classes = set(body.get("class") or ())
        if "fff_titlepage" in classes:
            _title_and_author(body.find("h3"), meta)
            apply_entries(meta, _titlepage_entries(body))
        elif "fff_chapter" in classes or body.find(class_="fff_chapter_title") is not None:
            heading = body.find(class_="fff_chapter_title")
            title = markup.normalise(heading.get_text(" ")) if heading is not None else None
            if heading is not None:
                heading.decompose()
            chapters.append((title, body))
        elif not classes & {"fff_tocpage", "fff_logpage", "fff_coverpage"}:
            others.append(doc)
    if not chapters:
        return html.read_documents(source, others, meta, fmt="fff-epub")  # older FanFicFare: unmarked chapters
    return _build(source, "fff-epub", meta, chapters)


def read_html(source: str, data: bytes) -> Work:
    soup = markup.parse(data)
    body = soup.body or soup
    meta = Metadata()
    _title_and_author(body.find("h1"), meta)
    table = body.find("table", class_="full")
    if table is not None:
        apply_entries(meta, _titlepage_entries(table))
    anchors = body.find_all("a", attrs={"name": re.compile(r"^section\d+$")})
    if not anchors:
        raise UnsupportedFormat("FanFicFare HTML with no chapters")
    sections = _sections(body, anchors)
    return _build(source, "fff-html", meta, sections)


def _build(source: str, fmt: str, meta: Metadata, chapters: list) -> Work:
    """The Work from (title, body element) chapters, with the summary as a note and each chapter's notes."""
    builder = markup.WorkBuilder()
    _add_summary(builder, meta)
    for i, (title, body) in enumerate(chapters):
        _add_chapter(builder, title, body, first=i == 0, last=i == len(chapters) - 1)
    if not builder.has_story():
        raise UnsupportedFormat(f"FanFicFare {fmt.split('-')[1].upper()} with no story text")
    return builder.build(source, fmt, meta)


def _sections(body: Tag, anchors: list[Tag]) -> list[tuple[str | None, Tag]]:
    """Everything between one `<a name="sectionNNNN">` and the next, as (chapter title, holder element)."""
    out = []
    for n, anchor in enumerate(anchors):
        heading = anchor.find(re.compile(r"^h\d$")) or anchor.find_next(re.compile(r"^h\d$"))
        title = markup.normalise(heading.get_text(" ")) if heading is not None else None
        stop = anchors[n + 1] if n + 1 < len(anchors) else None
        holder = markup.parse("<div></div>").div
        node = anchor.next_sibling
        while node is not None and not _reaches(node, stop):
            nxt = node.next_sibling
            if node is not heading:
                holder.append(node.extract() if isinstance(node, Tag) else NavigableString(str(node)))
            node = nxt
        out.append((title, holder))
    return out


def _reaches(node, stop: Tag | None) -> bool:
    """True when `node` is the next section's anchor or holds it."""
    return stop is not None and (node is stop or (isinstance(node, Tag) and stop in node.descendants))


# --- TXT ---------------------------------------------------------------------------------------

_LABEL_LINE = re.compile(r"^([A-Z][A-Za-z' ]{0,30}):(?:[ \t]+(.*))?$")
_TXT_NOTE = re.compile(r"^\**(Author's Note|Summary for the Chapter|Notes for the Chapter):\**\s*(.*)$", re.S)
_EMPHASIS = (  # what html2text wrote for inline markup: links, images, bold, italics, escapes
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\*\*(\S(?:.*?\S)?)\*\*", re.S), r"\1"),
    (re.compile(r"(?<![\w*])_(\S(?:.*?\S)?)_(?!\w)", re.S), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!])"), r"\1"),
)


def read_txt(source: str, data: bytes) -> Work:
    """The TXT writer's layout: title, "by AUTHOR", label lines, TABLE OF CONTENTS, tab-indented chapter
    titles, 78-column wrapped paragraphs, "End file." Wrapped lines are rejoined into paragraphs."""
    from .decode import decode

    lines = decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta = Metadata()
    try:
        toc = next(i for i, line in enumerate(lines) if line.strip() == "TABLE OF CONTENTS")
    except StopIteration:
        raise UnsupportedFormat("FanFicFare TXT without a table of contents") from None
    _txt_header(lines[:toc], meta)
    first_chapter = next((i for i in range(toc + 1, len(lines)) if _is_chapter_line(lines[i])), None)
    if first_chapter is None:
        raise UnsupportedFormat("FanFicFare TXT with no chapters")
    end = max((i for i, line in enumerate(lines) if line.strip() == "End file."), default=len(lines))
    listed = {line.strip() for line in lines[toc + 1:first_chapter] if line.strip()}
    chapters: list[tuple[str, list[str]]] = []
    for line in lines[first_chapter:end]:
        if not chapters or (_is_chapter_line(line) and line.strip() in listed):
            chapters.append((line.strip(), []))
        else:
            chapters[-1][1].append(line)
    builder = markup.WorkBuilder()
    _add_summary(builder, meta)
    for n, (title, body) in enumerate(chapters):
        builder.start_chapter(title)
        _add_txt_body(builder, body, first=n == 0, last=n == len(chapters) - 1)
    if not builder.has_story():
        raise UnsupportedFormat("FanFicFare TXT with no story text")
    return builder.build(source, "fff-txt", meta)


def _is_chapter_line(line: str) -> bool:
    return bool(line.strip()) and (line.startswith("\t") or line.startswith(" " * 8))


def _txt_header(lines: list[str], meta: Metadata) -> None:
    content = [line.strip() for line in lines]
    nonblank = [i for i, line in enumerate(content) if line]
    if not nonblank:
        return
    meta.title = content[nonblank[0]]
    entries: list[list[str]] = []
    for line in content[nonblank[0] + 1:]:
        m = _LABEL_LINE.match(line)
        if line.startswith("by ") and not entries and not meta.authors:
            meta.authors = markup.split_list(line[3:].replace(" & ", ", "))
        elif m:
            entries.append([m.group(1), m.group(2) or ""])
        elif line and entries:
            entries[-1][1] += " " + line
        elif not line and entries and entries[-1][0] is not None:
            entries.append([None, ""])
    apply_entries(meta, [(label, value.strip()) for label, value in entries if label])


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated, wrapped lines rejoined; a line ending in two spaces was a `<br/>`."""
    out, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line)
        elif current:
            text = ""
            for piece in current:
                hard = piece.endswith("  ")
                text += piece.strip() + ("\n" if hard else " ")
            out.append(markup.normalise(text))
            current = []
    return out


def _unmark(text: str) -> str:
    for pattern, repl in _EMPHASIS:
        text = pattern.sub(repl, text)
    return text


def _add_txt_body(builder: markup.WorkBuilder, lines: list[str], *, first: bool, last: bool) -> None:
    paragraphs = _paragraphs(lines)
    story: list[markup.Block] = []
    pending_foot: list[tuple[str, list[markup.Block]]] = []
    i = 0
    while i < len(paragraphs):
        m = _TXT_NOTE.match(_unmark_label(paragraphs[i]))
        if m is None:
            heading = re.match(r"#{1,6}\s+(.*)", paragraphs[i], re.S)
            text = _unmark(re.sub(r"(?m)^>\s?", "", heading.group(1) if heading else paragraphs[i]))
            if text:
                story.append(markup.Block("heading" if heading else markup.kind_of(text), text))
            i += 1
            continue
        label = {"author's note": "note", "summary for the chapter": "summary"}.get(m.group(1).lower(), "notes")
        items = [markup.Block("text", _unmark(m.group(2)))] if m.group(2).strip() else []
        i += 1
        while i < len(paragraphs) and paragraphs[i].startswith(">"):
            items.append(markup.Block("text", _unmark(re.sub(r"(?m)^>\s?", "", paragraphs[i]).strip())))
            i += 1
        if story:
            pending_foot.append((label, items))
        else:
            builder.note(_note_kind(label, head=True, first=first, last=last), items)
    builder.add_blocks(story)
    for label, items in pending_foot:
        builder.note(_note_kind(label, head=False, first=first, last=last), items)


def _unmark_label(text: str) -> str:
    return text.replace("**", "")
