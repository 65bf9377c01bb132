"""Readers of the archive formats, on fixtures built from docs/formats.md (the AO3 download templates
and FanFicFare's writers), checking every metadata field, the notes exactly, and the offsets."""

from __future__ import annotations

import io
import zipfile

import pytest

from ficlens import ingest
from ficlens.errors import InputError
from ficlens.ingest import formats
from ficlens.model import NOTE_KINDS, PARAGRAPH_KINDS, Metadata, Work


def check_offsets(work: Work) -> None:
    """The invariants every reader keeps: spans index Work.text, notes are their own text, chapters in order."""
    text = work.text
    assert work.paragraphs, "a work has paragraphs"
    previous_end = 0
    for p in work.paragraphs:
        assert p.kind in PARAGRAPH_KINDS
        assert 0 <= p.start < p.end <= len(text)
        assert p.start >= previous_end
        assert text[p.start:p.end] == text[p.start:p.end].strip()
        assert 0 <= p.chapter < len(work.chapters)
        previous_end = p.end
    if work.format != "text":
        joined = "\n\n".join(text[p.start:p.end] for p in work.paragraphs)
        assert joined == text, "paragraphs separated by one blank line, nothing else in the text"
    for n in work.notes:
        assert n.kind in NOTE_KINDS
        assert text[n.start:n.end] == n.text
        assert n.chapter is None or 0 <= n.chapter < len(work.chapters)
    last = 0
    for c in work.chapters:
        assert last <= c.start < c.end <= len(text)
        last = c.end
    for p in work.paragraphs:
        inside = [i for i, c in enumerate(work.chapters) if c.start <= p.start < c.end]
        assert inside in ([], [p.chapter]), "a paragraph inside a chapter's span belongs to that chapter"


def read_bytes(tmp_path, name: str, data: bytes) -> Work:
    path = tmp_path / name
    path.write_bytes(data)
    work = ingest.read(str(path))
    check_offsets(work)
    return work


def story_paragraph_texts(work: Work) -> list[str]:
    return [work.text[p.start:p.end] for _, p in work.story_paragraphs()]


# --------------------------------------------------------------------------------------------
# AO3 HTML, as app/views/downloads/* render it
# --------------------------------------------------------------------------------------------

AO3_CHAPTERED = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>The Long Way Round - quillfeather - Orbit Station (TV)</title>
<style>body { color: black; }</style></head><body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>The Long Way Round</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/1234567">https://archiveofourown.org/works/1234567</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="/tags/T">Teen And Up Audiences</a></dd>
      <dt>Archive Warnings:</dt><dd><a>Graphic Depictions Of Violence</a>, <a>Major Character Death</a></dd>
      <dt>Categories:</dt><dd><a>F/M</a>, <a>Gen</a></dd>
      <dt>Fandoms:</dt><dd><a>Orbit Station (TV)</a>, <a>Orbit Station (Comics)</a></dd>
      <dt>Relationships:</dt><dd><a>Ada Quell/Tomas Brin</a>, <a>Ada Quell &amp; Nico Vard</a></dd>
      <dt>Characters:</dt><dd><a>Ada Quell</a>, <a>Tomas Brin</a>, <a>Nico Vard</a></dd>
      <dt>Additional Tags:</dt><dd><a>Angst</a>, <a>Missing Scene</a>, <a>Hurt/Comfort</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Series:</dt><dd>Part 2 of
<a href="/series/1">Station Logs</a>, Part 1 of
<a href="/series/2">Long Nights</a></dd>
      <dt>Collections:</dt><dd><a>Orbit Exchange 2015</a></dd>
      <dt>Stats:</dt><dd>
        Published: 2015-03-12
          Updated: 2015-04-01
        Words: 6,538
        Chapters: 2/?
      </dd>
    </dl>
    <h1>The Long Way Round</h1>
    <div class="byline">by <a rel="author" href="/users/quillfeather">quillfeather</a>, <a rel="author" href="/users/b">bluewren (b_wren)</a></div>
    <p>Summary</p><blockquote class="userstuff"><p>Ada takes the long way round.</p><p>Tomas waits.</p></blockquote>
    <p>Notes</p><blockquote class="userstuff"><p>I wanted to write a fic of how I think it might play out tonight.</p></blockquote>
    <div class="endnote-link">See the end of the work for <a href="#endnotes">more notes</a></div>
    <ul><li>Inspired by <a href="/works/99">Dark Orbit</a> by <a href="/users/x">starfall</a></li></ul>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group">
    <h2 class="heading">Chapter 1: Departure</h2>
    <p class="byline">Chapter by quillfeather</p>
    <p>Chapter Summary</p><blockquote class="userstuff"><p>Leaving.</p></blockquote>
    <p>Chapter Notes</p><blockquote class="userstuff"><p>Set after episode 3.</p></blockquote>
    <div class="endnote-link">See the end of the chapter for  <a href="#endnotes1">more notes</a></div>
  </div>
  <!--chapter content--><div class="userstuff">
    <p>“You’re leaving,” Tomas said.</p>
    <p>She didn’t answer.<br/>   The airlock   hissed.</p>
    <center>***</center>
    <p>Later, she   came back.</p>
  </div><!--/chapter content-->
  <div class="meta" id="endnotes1"><p>Chapter End Notes</p><blockquote class="userstuff"><p>More soon!</p></blockquote></div>
  <div class="meta group">
    <h2 class="heading">Chapter 2</h2>
    <p>Chapter Notes</p>
    <div class="endnote-link">See the end of the chapter for  <a href="#endnotes2">notes</a></div>
  </div>
  <!--chapter content--><div class="userstuff">
    <p>“I came back,” Ada said. <em>Obviously.</em></p>
    <hr/>
    <p>The end of the beginning.</p>
  </div><!--/chapter content-->
  <div class="meta" id="endnotes2"><p>Chapter End Notes</p><blockquote class="userstuff"><p>Last one.</p></blockquote></div>
</div>
<div id="afterword">
  <h2 class="toc-heading">Afterword</h2>
  <div class="meta"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thanks for reading! Comments are love.</p></blockquote></div>
    <dl><dt>Works inspired by this one:</dt><dd><a href="/works/5">Echoes</a> by <a>someone</a></dd></dl></div>
  <p class="message">Please drop by the Archive and comment to let the creator know if you enjoyed their work!</p>
</div>
</body></html>
"""

AO3_ONESHOT = """<html><head><meta charset="utf-8"/><title>Small Hours - Anonymous - Orbit Station (TV)</title></head><body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>Small Hours</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/42">https://archiveofourown.org/works/42</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a>General Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a>No Archive Warnings Apply</a></dd>
      <dt>Category:</dt><dd><a>M/M</a></dd>
      <dt>Fandom:</dt><dd><a>Orbit Station (TV)</a></dd>
      <dt>Relationship:</dt><dd><a>Nico Vard/Tomas Brin</a></dd>
      <dt>Characters:</dt><dd><a>Nico Vard</a></dd>
      <dt>Additional Tags:</dt><dd><a>Fluff</a></dd>
      <dt>Language:</dt><dd>Français</dd>
      <dt>Stats:</dt><dd>Published: 2019-01-02 Completed: 2019-02-03 Words: 1,204,331 Chapters: 1/1</dd>
    </dl>
    <h1>Small Hours</h1>
    <div class="byline">by Anonymous</div>
  </div>
</div>
<div id="chapters" class="userstuff">
  <h2 class="toc-heading">Small Hours</h2><div class="userstuff"><p>Nico could not sleep, so he counted the stars outside the viewport until there were none left to count.</p></div>
</div>
<div id="afterword"><h2 class="toc-heading">Afterword</h2>
  <p class="message">Please drop by the Archive and comment to let the creator know if you enjoyed their work!</p></div>
</body></html>
"""


def test_ao3_html_every_metadata_field(tmp_path):
    work = read_bytes(tmp_path, "work.html", AO3_CHAPTERED.encode("utf-8"))
    m = work.meta
    assert work.format == "ao3-html"
    assert m.title == "The Long Way Round"
    assert m.authors == ["quillfeather", "bluewren (b_wren)"]
    assert m.rating == "Teen And Up Audiences"
    assert m.warnings == ["Graphic Depictions Of Violence", "Major Character Death"]
    assert m.categories == ["F/M", "Gen"]
    assert m.fandoms == ["Orbit Station (TV)", "Orbit Station (Comics)"]
    assert m.relationships == ["Ada Quell/Tomas Brin", "Ada Quell & Nico Vard"]
    assert m.characters == ["Ada Quell", "Tomas Brin", "Nico Vard"]
    assert m.tags == ["Angst", "Missing Scene", "Hurt/Comfort"]
    assert m.language == "English"
    assert m.series == [{"name": "Station Logs", "part": 2}, {"name": "Long Nights", "part": 1}]
    assert m.published == "2015-03-12"
    assert m.updated == "2015-04-01"
    assert m.words == 6538
    assert m.chapters == "2/?"
    assert m.status == "In-Progress"
    assert m.summary == "Ada takes the long way round.\n\nTomas waits."
    assert m.url == "https://archiveofourown.org/works/1234567"
    assert m.publisher == "Archive of Our Own"
    assert m.inspired_by == ["Dark Orbit by starfall"]


def test_ao3_html_notes_chapters_and_story(tmp_path):
    work = read_bytes(tmp_path, "work.html", AO3_CHAPTERED.encode("utf-8"))
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == [
        ("summary", "Ada takes the long way round.\n\nTomas waits.", None),
        ("front", "I wanted to write a fic of how I think it might play out tonight.", None),
        ("chapter-front", "Leaving.", 0),
        ("chapter-front", "Set after episode 3.", 0),
        ("chapter-end", "More soon!", 0),
        ("chapter-end", "Last one.", 1),
        ("end", "Thanks for reading! Comments are love.", None),
    ]
    assert [c.title for c in work.chapters] == ["Chapter 1: Departure", "Chapter 2"]
    assert story_paragraph_texts(work) == [
        "“You’re leaving,” Tomas said.",
        "She didn’t answer.\nThe airlock hissed.",
        "Later, she came back.",
        "“I came back,” Ada said. Obviously.",
        "The end of the beginning.",
    ]
    kinds = [(p.kind, work.text[p.start:p.end]) for p in work.paragraphs if p.kind != "text"]
    assert kinds == [("heading", "Chapter 1: Departure"), ("break", "***"), ("heading", "Chapter 2"),
                     ("break", "* * *")]
    first, second = work.chapters
    assert work.text[first.start:].startswith("Chapter 1: Departure\n\nLeaving.")
    assert work.text[:first.end].endswith("More soon!")
    assert work.text[second.start:second.end].endswith("The end of the beginning.\n\nLast one.")
    for boilerplate in ("Posted originally", "Please drop by", "Works inspired", "Echoes", "Chapter by",
                        "See the end of the work", "Teen And Up"):
        assert boilerplate not in work.text


def test_ao3_html_oneshot_singular_labels_and_anonymous(tmp_path):
    work = read_bytes(tmp_path, "oneshot.html", AO3_ONESHOT.encode("utf-8"))
    m = work.meta
    assert (m.title, m.authors, m.rating) == ("Small Hours", ["Anonymous"], "General Audiences")
    assert (m.warnings, m.categories, m.fandoms) == (["No Archive Warnings Apply"], ["M/M"], ["Orbit Station (TV)"])
    assert (m.relationships, m.characters, m.tags) == (["Nico Vard/Tomas Brin"], ["Nico Vard"], ["Fluff"])
    assert (m.language, m.series, m.published, m.updated) == ("Français", [], "2019-01-02", "2019-02-03")
    assert (m.words, m.chapters, m.status, m.summary) == (1204331, "1/1", "Completed", None)
    assert (m.url, m.inspired_by) == ("https://archiveofourown.org/works/42", [])
    assert work.notes == []
    assert [c.title for c in work.chapters] == ["Small Hours"]
    assert story_paragraph_texts(work)[0].startswith("Nico could not sleep")


def test_content_decides_not_the_name(tmp_path):
    """An AO3 download saved as .txt is still AO3 HTML; an .epub holding plain text is text."""
    assert read_bytes(tmp_path, "saved.txt", AO3_ONESHOT.encode("utf-8")).format == "ao3-html"
    prose = "She walked to the harbour.\n\nThe boats were gone.\n"
    assert read_bytes(tmp_path, "story.epub", prose.encode("utf-8")).format == "text"
    assert read_bytes(tmp_path, "story.html", prose.encode("utf-8")).format == "text"


# --------------------------------------------------------------------------------------------
# EPUBs: a tiny builder (mimetype first and stored, as the spec and both tools do it)
# --------------------------------------------------------------------------------------------

CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles></container>')


def make_epub(files: dict[str, str | bytes], *, opf_path: str = "content.opf", container: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        if container:
            z.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_path), zipfile.ZIP_DEFLATED)
        for name, content in files.items():
            z.writestr(name, content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def opf(metadata: str, items: list[str], *, prefix: str = "") -> str:
    manifest = "".join(f'<item id="i{n}" href="{h}" media-type="application/xhtml+xml"/>' for n, h in enumerate(items))
    spine = "".join(f'<itemref idref="i{n}"/>' for n in range(len(items)))
    return (f'<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
            f"{metadata}</metadata><manifest>{manifest}</manifest><spine toc=\"ncx\">{spine}</spine></package>")


def xhtml(body: str, body_class: str = "", title: str = "t") -> str:
    cls = f' class="{body_class}"' if body_class else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title>'
            f"</head><body{cls}>{body}</body></html>")


def split_ao3(document: str) -> list[str]:
    """What Calibre does to the AO3 HTML: a file per part and per chapter, each keeping its wrapper div."""
    body = document.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    preface, rest = body.split('<div id="chapters"', 1)
    chapters, afterword = ('<div id="chapters"' + rest).split('<div id="afterword">', 1)
    opening, *pieces = chapters.split('<div class="meta group">')
    if pieces:
        inner = [f'<div class="meta group">{p}' for p in pieces]
        inner[-1] = inner[-1].rsplit("</div>", 1)[0]
        chapter_files = [f'<div class="userstuff">{p}</div>' for p in inner]
    else:
        chapter_files = [chapters]
    return [preface, *chapter_files, '<div id="afterword">' + afterword]


def test_ao3_epub_reads_the_tags_block_and_opf(tmp_path):
    parts = split_ao3(AO3_CHAPTERED)
    assert len(parts) == 4
    names = [f"index_split_{n:03d}.html" for n in range(len(parts))]
    files = {name: xhtml(part, "calibre") for name, part in zip(names, parts)}
    files["content.opf"] = opf(
        "<dc:title>The Long Way Round</dc:title><dc:creator opf:role=\"aut\">quillfeather</dc:creator>"
        "<dc:publisher>Archive of Our Own</dc:publisher><dc:language>en</dc:language>"
        "<dc:subject>Fanworks</dc:subject><dc:subject>Angst</dc:subject>"
        "<dc:date>2015-03-12T00:00:00+00:00</dc:date>"
        "<dc:description>&lt;p&gt;Ada takes the long way round.&lt;/p&gt;</dc:description>"
        '<meta name="calibre:series" content="Station Logs"/><meta name="calibre:series_index" content="2.0"/>',
        names)
    work = read_bytes(tmp_path, "work.epub", make_epub(files))
    html_work = read_bytes(tmp_path, "work.html", AO3_CHAPTERED.encode("utf-8"))
    assert work.format == "ao3-epub"
    assert work.meta == html_work.meta, "the dl.tags block inside gives the same metadata as the HTML download"
    assert work.text == html_work.text
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == [(n.kind, n.text, n.chapter) for n in html_work.notes]
    assert [c.title for c in work.chapters] == ["Chapter 1: Departure", "Chapter 2"]


def calibre_flattened(document: str) -> str:
    """Calibre's CSS flattening: classes get numeric suffixes, or vanish where it had no style for them."""
    for old, new in (('class="userstuff"', 'class="userstuff1"'), ('class="meta group"', 'class="meta2"'),
                     ('class="heading"', 'class="heading3"'), ('class="toc-heading"', ''),
                     ('class="message"', ""), ('class="byline"', ""), ('class="tags"', ""),
                     ('class="endnote-link"', ""), (' rel="author"', "")):
        document = document.replace(old, new)
    return document


@pytest.mark.parametrize("source", [AO3_CHAPTERED, AO3_ONESHOT])
def test_ao3_epub_with_calibre_class_names(tmp_path, source):
    parts = split_ao3(calibre_flattened(source))
    names = [f"index_split_{n:03d}.html" for n in range(len(parts))]
    files = {name: xhtml(part, "calibre") for name, part in zip(names, parts)}
    files["content.opf"] = opf("<dc:title>x</dc:title><dc:publisher>Archive of Our Own</dc:publisher>", names)
    work = read_bytes(tmp_path, "work.epub", make_epub(files))
    html_work = read_bytes(tmp_path, "work.html", source.encode("utf-8"))
    assert work.meta == html_work.meta
    assert work.text == html_work.text
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == [(n.kind, n.text, n.chapter) for n in html_work.notes]
    assert [c.title for c in work.chapters] == [c.title for c in html_work.chapters]


def test_ao3_author_h2_inside_story_is_not_a_chapter(tmp_path):
    page = AO3_ONESHOT.replace("<p>Nico could not sleep", "<p>Prologue text here.</p><h2>Part Two</h2><p>Nico could not sleep")
    work = read_bytes(tmp_path, "work.html", calibre_flattened(page).encode("utf-8"))
    assert [c.title for c in work.chapters] == ["Small Hours"]
    assert [(p.kind, work.text[p.start:p.end]) for p in work.paragraphs][:3] == [
        ("heading", "Small Hours"), ("text", "Prologue text here."), ("heading", "Part Two")]


def test_ao3_story_text_that_looks_like_structure_is_story(tmp_path):
    """An author's own "Notes" paragraph before a blockquote, or their own h2.heading, stays in the story."""
    story = ('<p>Nico could not sleep.</p><p>Notes</p><blockquote><p>Day one: stars.</p></blockquote>'
             '<h2 class="heading">Log 2</h2><p>Still no sleep.</p>')
    page = AO3_ONESHOT.replace(
        "<p>Nico could not sleep, so he counted the stars outside the viewport until there were none left to count.</p>",
        story)
    work = read_bytes(tmp_path, "work.html", page.encode("utf-8"))
    assert work.notes == []
    assert [c.title for c in work.chapters] == ["Small Hours"]
    assert [work.text[p.start:p.end] for p in work.paragraphs] == [
        "Small Hours", "Nico could not sleep.", "Notes", "Day one: stars.", "Log 2", "Still no sleep."]


def test_ao3_epub_without_tags_block_uses_opf_subjects(tmp_path):
    parts = split_ao3(AO3_ONESHOT)
    parts[0] = parts[0].split('<dl class="tags">')[0] + parts[0].split("</dl>")[1]
    names = [f"index_split_{n:03d}.html" for n in range(len(parts))]
    files = {name: xhtml(part, "calibre") for name, part in zip(names, parts)}
    files["content.opf"] = opf("<dc:title>Small Hours</dc:title><dc:publisher>Archive of Our Own</dc:publisher>"
                               "<dc:subject>Fanworks</dc:subject><dc:subject>Fluff</dc:subject>"
                               "<dc:language>fr</dc:language>", names)
    work = read_bytes(tmp_path, "anon.epub", make_epub(files))
    assert (work.format, work.meta.tags, work.meta.language) == ("ao3-epub", ["Fluff"], "fr")


def test_ao3_epub_anonymous_author_from_opf(tmp_path):
    parts = split_ao3(AO3_ONESHOT.replace("<html>", "<html>").replace("</head><body>", "</head><body>", 1))
    names = [f"index_split_{n:03d}.html" for n in range(3)]
    files = {name: xhtml(part.replace('<div class="byline">by Anonymous</div>', ""), "calibre")
             for name, part in zip(names, parts)}
    files["content.opf"] = opf("<dc:title>Small Hours</dc:title><dc:creator>Anonymous</dc:creator>"
                               "<dc:publisher>Archive of Our Own</dc:publisher>", names)
    work = read_bytes(tmp_path, "anon.epub", make_epub(files))
    assert work.format == "ao3-epub"
    assert work.meta.authors == ["Anonymous"]
    assert work.meta.fandoms == ["Orbit Station (TV)"]


FFF_TITLE_PAGE = """<h3><a href="https://archiveofourown.org/works/777">Quiet Water</a> by <a class="authorlink" href="https://archiveofourown.org/users/lumen">lumen</a></h3>
<div>
<b>Category:</b> Orbit Station (TV), Orbit Station (Comics)<br />
<b>Genre:</b> Angst, F/M, Hurt/Comfort, Gen<br />
<b>Language:</b> English<br />
<b>Characters:</b> Ada Quell, Tomas Brin<br />
<b>Relationships:</b> Ada Quell/Tomas Brin<br />
<b>Status:</b> Completed<br />
<b>Published:</b> 2016-07-01<br />
<b>Updated:</b> 2016-08-15<br />
<b>Packaged:</b> 2024-01-05 10:12:44<br />
<b>Rating:</b> Mature<br />
<b>Warnings:</b> No Archive Warnings Apply<br />
<b>Chapters:</b> 2<br />
<b>Words:</b> 12,345<br />
<b>Publisher:</b> archiveofourown.org<br />
<b>Summary:</b> Two people, one <i>very</i> small ship.<br />
<b>Series:</b> Deep Water [3]<br />
</div>"""


def fff_chapter(title: str, body: str, head: str = "", foot: str = "") -> str:
    notes_head = f'<div class="fff_chapter_notes fff_head_notes">{head}</div>' if head else ""
    notes_foot = f'<div class="fff_chapter_notes fff_foot_notes">{foot}</div>' if foot else ""
    return xhtml(f'<h3 class="fff_chapter_title">{title}</h3>{notes_head}<div class="userstuff">{body}</div>{notes_foot}',
                 "fff_chapter", title)


FFF_CHAPTERS = [
    ("1. Launch",
     "<p>“Ready?” Ada asked.</p><p>Tomas nodded.</p>",
     "<b>Author's Note:</b><blockquote><p>Written for a prompt.</p><p>Unbeta'd.</p></blockquote>"
     "<b>Summary for the Chapter:</b><blockquote><p>They launch.</p></blockquote>"
     "<b>Notes for the Chapter:</b><blockquote><p>Short one.</p></blockquote>",
     "<b>Notes for the Chapter:</b><blockquote><p>Cliffhanger, sorry.</p></blockquote>"),
    ("2. Drift",
     "<p>They drifted for a long time.</p><div class='center'>* * *</div><p>Then a light.</p>",
     "",
     "<b>Author's Note:</b><blockquote><p>Thanks for reading!</p></blockquote>"),
]


def fff_epub(title_page: str = FFF_TITLE_PAGE) -> bytes:
    files = {"OEBPS/title_page.xhtml": xhtml(title_page, "fff_titlepage"),
             "OEBPS/toc_page.xhtml": xhtml('<div><h3>Table of Contents</h3><a href="file0001.xhtml">1. Launch</a><br /></div>',
                                           "fff_tocpage")}
    for n, chapter in enumerate(FFF_CHAPTERS, 1):
        files[f"OEBPS/file{n:04d}.xhtml"] = fff_chapter(*chapter)
    files["content.opf"] = opf(
        '<dc:identifier id="fanficfare-uid">fanficfare-uid:archiveofourown.org-ulumen-s777</dc:identifier>'
        "<dc:title>Quiet Water</dc:title><dc:creator opf:role=\"aut\">lumen</dc:creator>"
        "<dc:contributor>FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>"
        "<dc:language>en</dc:language><dc:date opf:event=\"publication\">2016-07-01</dc:date>"
        "<dc:date opf:event=\"modification\">2016-08-15</dc:date>"
        "<dc:description>Two people, one very small ship.</dc:description>"
        "<dc:subject>FanFiction</dc:subject><dc:subject>Angst</dc:subject>"
        "<dc:publisher>archiveofourown.org</dc:publisher>"
        "<dc:source>https://archiveofourown.org/works/777</dc:source>",
        [name for name in files])
    return make_epub(files)


def check_fff_meta(m, *, series=True):
    assert m.title == "Quiet Water"
    assert m.authors == ["lumen"]
    assert m.fandoms == ["Orbit Station (TV)", "Orbit Station (Comics)"]
    assert m.categories == ["F/M", "Gen"]
    assert m.tags == ["Angst", "Hurt/Comfort"]
    assert m.language == "English"
    assert m.characters == ["Ada Quell", "Tomas Brin"]
    assert m.relationships == ["Ada Quell/Tomas Brin"]
    assert m.status == "Completed"
    assert (m.published, m.updated) == ("2016-07-01", "2016-08-15")
    assert (m.rating, m.warnings) == ("Mature", ["No Archive Warnings Apply"])
    assert (m.chapters, m.words) == ("2", 12345)
    assert m.publisher == "archiveofourown.org"
    assert m.summary == "Two people, one very small ship."
    assert m.url == "https://archiveofourown.org/works/777"
    assert m.series == ([{"name": "Deep Water", "part": 3}] if series else [])
    assert m.inspired_by == []


FFF_NOTES = [
    ("summary", "Two people, one very small ship.", None),
    ("front", "Written for a prompt.\n\nUnbeta'd.", None),
    ("chapter-front", "They launch.", 0),
    ("chapter-front", "Short one.", 0),
    ("chapter-end", "Cliffhanger, sorry.", 0),
    ("end", "Thanks for reading!", None),
]


def test_fanficfare_epub(tmp_path):
    work = read_bytes(tmp_path, "quiet.epub", fff_epub())
    assert work.format == "fff-epub"
    check_fff_meta(work.meta)
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == FFF_NOTES
    assert [c.title for c in work.chapters] == ["1. Launch", "2. Drift"]
    assert story_paragraph_texts(work) == ["“Ready?” Ada asked.", "Tomas nodded.", "They drifted for a long time.",
                                           "Then a light."]
    assert "Table of Contents" not in work.text and "Packaged" not in work.text
    assert any(p.kind == "break" for p in work.paragraphs)


def test_fanficfare_epub_table_title_page(tmp_path):
    rows = "".join(f"<tr><td><b>{line.split('</b>')[0].split('<b>')[1]}</b></td><td>{line.split('</b>')[1].strip()}</td></tr>"
                   for line in FFF_TITLE_PAGE.replace("<br />", "").splitlines() if line.startswith("<b>"))
    page = FFF_TITLE_PAGE.split("<div>")[0] + f'<table class="full">{rows}</table>'
    work = read_bytes(tmp_path, "quiet.epub", fff_epub(page))
    check_fff_meta(work.meta)


FFF_HTML = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>Quiet Water by lumen</title>
<style type="text/css">body {{ margin: 2em; }}</style>
</head>
<body>
<h1><a href="https://archiveofourown.org/works/777">Quiet Water</a> by <a class="authorlink" href="https://archiveofourown.org/users/lumen">lumen</a></h1>
<table class="full">
{''.join(f"<tr><td><b>{line.split('</b>')[0].split('<b>')[1]}</b></td><td>{line.split('</b>')[1].replace('<br />', '').strip()}</td></tr>" + chr(10) for line in FFF_TITLE_PAGE.splitlines() if line.startswith('<b>'))}
</table>
<a name="TOCTOP"><h2>Table of Contents</h2></a>
<p>
<a href="#section0001">1. Launch</a><br />
<a href="#section0002">2. Drift</a><br />
</p>
<a name="section0001"><h2>1. Launch</h2></a>
<div class="fff_chapter_notes fff_head_notes">{FFF_CHAPTERS[0][2]}</div>
<div class="userstuff">{FFF_CHAPTERS[0][1]}</div>
<div class="fff_chapter_notes fff_foot_notes">{FFF_CHAPTERS[0][3]}</div>
<a name="section0002"><h2>2. Drift</h2></a>
<div class="userstuff">{FFF_CHAPTERS[1][1]}</div>
<div class="fff_chapter_notes fff_foot_notes">{FFF_CHAPTERS[1][3]}</div>
</body>
</html>"""


def test_fanficfare_epub_without_chapter_classes(tmp_path):
    """Older FanFicFare versions wrote plain chapter files: each is still a chapter, the metadata still read."""
    data = fff_epub()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        files = {n: z.read(n).decode("utf-8") for n in z.namelist() if n not in ("mimetype", "META-INF/container.xml")}
    for name in files:
        files[name] = files[name].replace(' class="fff_chapter"', "").replace(' class="fff_chapter_title"', "")
    work = read_bytes(tmp_path, "old.epub", make_epub(files))
    assert work.format == "fff-epub"
    check_fff_meta(work.meta)
    assert [c.title for c in work.chapters] == ["1. Launch", "2. Drift"]
    assert "Ready?" in work.text


def test_fanficfare_summary_with_paragraphs(tmp_path):
    page = FFF_TITLE_PAGE.replace("<b>Summary:</b> Two people, one <i>very</i> small ship.<br />",
                                  "<b>Summary:</b> <div class='userstuff'><p>Two people.</p><p>One <i>very</i><br/>small ship.</p></div><br />")
    work = read_bytes(tmp_path, "quiet.epub", fff_epub(page))
    assert work.meta.summary == "Two people.\n\nOne very small ship."
    assert work.meta.series == [{"name": "Deep Water", "part": 3}]
    assert [n.text for n in work.notes if n.kind == "summary"] == ["Two people.\n\nOne very small ship."]


def test_fanficfare_html(tmp_path):
    work = read_bytes(tmp_path, "quiet.html", FFF_HTML.encode("utf-8"))
    assert work.format == "fff-html"
    check_fff_meta(work.meta)
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == FFF_NOTES
    assert [c.title for c in work.chapters] == ["1. Launch", "2. Drift"]
    assert story_paragraph_texts(work) == ["“Ready?” Ada asked.", "Tomas nodded.", "They drifted for a long time.",
                                           "Then a light."]


FFF_TXT = (
    "\n\n\nQuiet Water\n\nby lumen\n\n\n\n"
    "Category: Orbit Station (TV), Orbit Station (Comics)\n"
    "Genre: Angst, F/M, Hurt/Comfort, Gen\nLanguage: English\nCharacters: Ada Quell, Tomas Brin\n"
    "Relationships: Ada Quell/Tomas Brin\nStatus: Completed\nPublished: 2016-07-01\nUpdated: 2016-08-15\n"
    "Packaged: 2024-01-05 10:12:44\nRating: Mature\nWarnings: No Archive Warnings Apply\nChapters: 2\n"
    "Words: 12,345\nPublisher: archiveofourown.org\nSummary: Two people, one very small ship.\n"
    "Series: Deep Water [3]\nStory URL: https://archiveofourown.org/works/777\nAuthor URL:\n"
    "https://archiveofourown.org/users/lumen/pseuds/lumen\n\n\n\n\n\nTABLE OF CONTENTS\n\n\n1. Launch\n\n2. Drift\n\n\n\n"
    "\t1. Launch\n\n"
    "**Author's Note:**\n\n> Written for a prompt.\n\n> Unbeta'd.\n\n"
    "**Notes for the Chapter:**\n\n> Short one.\n\n"
    "\"Ready?\" Ada asked. She checked the seals twice, then a third time, because the\n"
    "manual said twice and the manual had been written by someone who had never\n"
    "been this far out.\n\n"
    "Tomas nodded. _Ready._\n\n"
    "**Notes for the Chapter:**\n\n> Cliffhanger, sorry.\n\n\n\n"
    "\t2. Drift\n\n"
    "They drifted for a long time.\n\n\tAn indented line of verse, not a chapter.\n\n* * *\n\n## The Beacon\n\nThen a light.  \nA [second](https://x.org/) light.\n\n"
    "**Author's Note:**\n\n> Thanks for reading!\n\n\n\nEnd file.\n"
)


def test_fanficfare_txt(tmp_path):
    work = read_bytes(tmp_path, "quiet.txt", FFF_TXT.replace("\n", "\r\n").encode("utf-8"))
    assert work.format == "fff-txt"
    check_fff_meta(work.meta)
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == [
        FFF_NOTES[0], FFF_NOTES[1], FFF_NOTES[3], FFF_NOTES[4], FFF_NOTES[5]]
    assert [c.title for c in work.chapters] == ["1. Launch", "2. Drift"]
    assert story_paragraph_texts(work) == [
        "\"Ready?\" Ada asked. She checked the seals twice, then a third time, because the manual said twice "
        "and the manual had been written by someone who had never been this far out.",
        "Tomas nodded. Ready.",
        "They drifted for a long time.",
        "An indented line of verse, not a chapter.",
        "Then a light.\nA second light.",
    ]
    assert "End file." not in work.text and "TABLE OF CONTENTS" not in work.text and "\r" not in work.text
    assert [work.text[p.start:p.end] for p in work.paragraphs if p.kind != "text"] == [
        "1. Launch", "2. Drift", "* * *", "The Beacon"]


def test_fanficfare_txt_spaces_for_the_tab(tmp_path):
    """FanFicFare's own wrapping (textwrap) expands the chapter title's tab into eight spaces."""
    data = FFF_TXT.replace("\t", " " * 8).replace("\n", "\r\n").encode("utf-8")
    work = read_bytes(tmp_path, "quiet.txt", data)
    assert work.format == "fff-txt"
    assert [c.title for c in work.chapters] == ["1. Launch", "2. Drift"]


# --------------------------------------------------------------------------------------------
# Any other EPUB or HTML
# --------------------------------------------------------------------------------------------

PROSE = ("The tide came in slowly over the flats, and with it the birds, and with them the first grey light "
         "of a morning nobody had asked for.")


def test_generic_epub_chapters_from_headings(tmp_path):
    files = {
        "OPS/cover.xhtml": xhtml('<div><img src="cover.jpg" alt="cover"/></div>'),
        "OPS/toc.xhtml": xhtml('<p><a href="c1.xhtml">One</a></p><p><a href="c2.xhtml">Two</a></p>'),
        "OPS/c1.xhtml": xhtml(f"<h1>One</h1><p>{PROSE}</p><p>“Up,” she said.</p>"),
        "OPS/c2.xhtml": xhtml(f"<h2>Two</h2><p>{PROSE}</p><p>~~~</p><p>Gone.</p>"),
    }
    files["OPS/package.opf"] = opf("<dc:title>Tidal Flats</dc:title><dc:creator>R. Lowe</dc:creator>"
                                   "<dc:language>en-GB</dc:language><dc:subject>Original Fiction</dc:subject>"
                                   "<dc:date>2020-05-06</dc:date><dc:publisher>Self</dc:publisher>"
                                   "<dc:identifier>https://example.org/tidal</dc:identifier>"
                                   "<dc:description>&lt;p&gt;Birds.&lt;/p&gt;&lt;p&gt;Mud.&lt;/p&gt;</dc:description>"
                                   '<meta name="calibre:series" content="Coastlines"/>'
                                   '<meta name="calibre:series_index" content="4"/>',
                                   ["cover.xhtml", "toc.xhtml", "c1.xhtml", "c2.xhtml"])
    work = read_bytes(tmp_path, "book.epub", make_epub(files, opf_path="OPS/package.opf"))
    assert work.format == "epub"
    assert work.meta == Metadata(title="Tidal Flats", authors=["R. Lowe"], language="en-GB", tags=["Original Fiction"],
                                 published="2020-05-06", publisher="Self", url="https://example.org/tidal",
                                 summary="Birds.\n\nMud.", series=[{"name": "Coastlines", "part": 4}])
    assert [c.title for c in work.chapters] == ["One", "Two"]
    assert story_paragraph_texts(work) == [PROSE, "“Up,” she said.", PROSE, "Gone."]
    assert [p.kind for p in work.paragraphs] == ["heading", "text", "text", "heading", "text", "break", "text"]
    assert "cover" not in work.text and work.notes == []


def test_generic_epub_labelled_notes(tmp_path):
    files = {
        "c1.xhtml": xhtml(f"<h1>One</h1><p><b>Author's Note:</b></p><blockquote><p>Be gentle.</p></blockquote><p>{PROSE}</p>"),
        "c2.xhtml": xhtml(f"<h1>Two</h1><p>Notes:</p><blockquote><p>Last bit.</p></blockquote><p>{PROSE}</p>"
                          "<p>A/N:</p><blockquote><p>Thank you!</p></blockquote>"),
        "content.opf": opf("<dc:title>Notes</dc:title>", ["c1.xhtml", "c2.xhtml"]),
    }
    work = read_bytes(tmp_path, "notes.epub", make_epub(files))
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == [
        ("front", "Be gentle.", None), ("chapter-front", "Last bit.", 1), ("chapter-end", "Thank you!", 1)]
    assert story_paragraph_texts(work) == [PROSE, PROSE]


def test_generic_epub_manifest_with_wrong_case(tmp_path):
    files = {"OEBPS/Text/Chapter1.xhtml": xhtml(f"<p>{PROSE}</p>"),
             "OEBPS/content.opf": opf("<dc:title>Case</dc:title>", ["text/chapter1.XHTML"])}
    work = read_bytes(tmp_path, "case.epub", make_epub(files, opf_path="OEBPS/content.opf"))
    assert story_paragraph_texts(work) == [PROSE]


def test_generic_html_title_breaks_and_whitespace(tmp_path):
    page = (f"<html lang='en'><head><title>  Tidal   Flats </title><script>var x = 'not story';</script></head><body>"
            f"<nav><a href='/'>Home</a></nav><p>{PROSE}</p><p>Line one<br/>line   two</p>"
            "<div style='text-align:center'>***</div><p>~ ~ ~</p><hr/><p>“Go,” he said.</p></body></html>")
    work = read_bytes(tmp_path, "page.html", page.encode("utf-8"))
    assert work.format == "html"
    assert work.meta == Metadata(title="Tidal Flats", language="en")
    assert [(p.kind, work.text[p.start:p.end]) for p in work.paragraphs] == [
        ("text", PROSE), ("text", "Line one\nline two"), ("break", "***"), ("break", "~ ~ ~"), ("break", "* * *"),
        ("text", "“Go,” he said.")]
    assert "not story" not in work.text and "Home" not in work.text


def test_generic_html_chapters_under_a_title(tmp_path):
    page = (f"<html><body><h1>Tidal Flats</h1><h2>Chapter 1</h2><p>{PROSE}</p><h2>Chapter 2</h2>"
            f"<p>{PROSE}</p></body></html>")
    work = read_bytes(tmp_path, "page.html", page.encode("utf-8"))
    assert [c.title for c in work.chapters] == ["Chapter 1", "Chapter 2"]
    assert work.text[work.chapters[0].start:].startswith("Tidal Flats\n\nChapter 1\n\n")
    assert [p.chapter for p in work.paragraphs] == [0, 0, 0, 1, 1]


def test_html_in_windows_1252(tmp_path):
    page = (f'<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head><body>'
            f"<p>\u201cHello,\u201d she said at the caf\u00e9. {PROSE}</p></body></html>")
    work = read_bytes(tmp_path, "page.html", page.encode("cp1252"))
    assert work.meta.title == "Café"
    assert work.text.startswith("“Hello,” she said at the café.")


AO3_WORK_PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Quiet Water - Chapter 1 - lumen - Orbit Station [Archive of Our Own]</title></head>
<body><div id="outer"><ul id="skiplinks"><li><a href="#main">Main Content</a></li></ul>
<header id="header"><h1 class="heading"><a href="/">Archive of Our Own</a></h1><nav><a href="/">Fandoms</a></nav></header>
<div id="main" class="works-show region" role="main">
<div class="wrapper"><dl class="work meta group"><dt class="rating tags">Rating:</dt><dd class="rating tags">Mature</dd></dl></div>
<div id="workskin">
 <div class="preface group">
  <h2 class="title heading">Quiet Water</h2>
  <h3 class="byline heading"><a rel="author" href="/users/lumen">lumen</a></h3>
  <div class="summary module"><h3 class="heading">Summary:</h3><blockquote class="userstuff"><p>Two people.</p></blockquote></div>
  <div class="notes module"><h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>For a prompt.</p></blockquote></div>
 </div>
 <div id="chapters" role="article">
  <div class="chapter" id="chapter-1">
   <div class="chapter preface group" role="complementary"><h3 class="title"><a href="/works/1/chapters/1">Chapter 1</a>: Launch</h3>
    <div id="notes" class="notes module" role="complementary"><h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>Short one.</p></blockquote></div></div>
   <div class="userstuff module" role="article"><h3 class="landmark heading" id="work">Chapter Text</h3><p>{PROSE}</p></div>
   <div class="chapter preface group" role="complementary"><div id="chapter_1_endnotes" class="end notes module"><h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>Cliffhanger.</p></blockquote></div></div>
  </div>
  <div class="chapter" id="chapter-2">
   <div class="chapter preface group" role="complementary"><h3 class="title"><a href="/works/1/chapters/2">Chapter 2</a>: Drift</h3></div>
   <div class="userstuff module" role="article"><h3 class="landmark heading">Chapter Text</h3><p>“Drift,” she said.</p><p>{PROSE}</p></div>
  </div>
 </div>
 <div class="afterword preface group"><div id="work_endnotes" class="end notes module"><h3 class="heading">End Notes:</h3><blockquote class="userstuff"><p>Thanks!</p></blockquote></div></div>
</div>
<div id="feedback"><h3 class="landmark heading">Actions</h3><p>Kudos left by 20 people and 3 guests who all really liked this work a great deal.</p>
<div id="comments"><p>Comment: I loved this so much, I read it three times in a row and cried every time.</p></div></div>
</div></div></body></html>"""


def test_saved_ao3_work_page(tmp_path):
    """A work page saved from the browser is not an AO3 download: read as HTML, narrowed to #workskin,
    with its labelled notes."""
    work = read_bytes(tmp_path, "Quiet Water.html", AO3_WORK_PAGE.encode("utf-8"))
    assert work.format == "html"
    assert [c.title for c in work.chapters] == ["Chapter 1: Launch", "Chapter 2: Drift"]
    assert [(n.kind, n.text, n.chapter) for n in work.notes] == [
        ("summary", "Two people.", None), ("front", "For a prompt.", None), ("chapter-front", "Short one.", 0),
        ("chapter-end", "Cliffhanger.", 0), ("end", "Thanks!", None)]
    assert story_paragraph_texts(work) == [PROSE, "“Drift,” she said.", PROSE]
    for noise in ("Kudos", "Comment", "Fandoms", "Chapter Text", "Main Content", "Summary:"):
        assert noise not in work.text


def test_html_author_note_label_before_blockquote(tmp_path):
    page = (f"<html><body><p><b>Author's Note:</b></p><blockquote><p>Be kind.</p></blockquote><p>{PROSE}</p>"
            f"<p>A/N</p><blockquote>Thanks for reading!</blockquote></body></html>")
    work = read_bytes(tmp_path, "page.html", page.encode("utf-8"))
    assert [(n.kind, n.text) for n in work.notes] == [("front", "Be kind."), ("chapter-end", "Thanks for reading!")]
    assert story_paragraph_texts(work) == [PROSE]


def test_utf16_html_with_bom(tmp_path):
    work = read_bytes(tmp_path, "saved.htm", AO3_ONESHOT.encode("utf-16"))
    assert work.format == "ao3-html" and work.meta.title == "Small Hours" and work.meta.language == "Français"


def test_html_fragment_without_html_tag(tmp_path):
    work = read_bytes(tmp_path, "frag.txt", f"<p>{PROSE}</p>\n<p>{PROSE}</p>".encode("utf-8"))
    assert work.format == "html"
    assert story_paragraph_texts(work) == [PROSE, PROSE]


@pytest.mark.parametrize("page", [
    "<html><head><title>Log in</title></head><body><form><label>User name</label><input name=u>"
    "<label>Password</label><input type=password><button>Log in</button></form></body></html>",
    "<html><body><ul>" + "".join(f"<li><a href='/w/{n}'>Work number {n} by someone</a></li>" for n in range(40))
    + "</ul></body></html>",
    "<html><body><h1>404 Not Found</h1><p>The page you asked for is gone.</p></body></html>",
])
def test_html_that_is_not_a_story(tmp_path, page):
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest.read(str(path))
    assert err.value.problem == "HTML with no story text"
    assert str(err.value).startswith(str(path))


# --------------------------------------------------------------------------------------------
# Detection of what is not a story
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ["PDF", "not supported, convert to EPUB"]),
    (b"Quiet Water\0" + b"\0" * 48 + b"BOOKMOBI" + b"\0" * 200, ["MOBI/AZW3", "not supported, convert to EPUB"]),
    (b"TPZ0" + b"\0" * 100, ["Topaz", "not supported, convert to EPUB"]),
    (b"\xeaDRMION\xee" + b"\0" * 100, ["KFX", "not supported, convert to EPUB"]),
    ("<?xml version='1.0' encoding='utf-8'?>\n<FictionBook xmlns='http://www.gribuser.ru/xml/fictionbook/2.0'>"
     "<body><p>Text</p></body></FictionBook>".encode(), ["FictionBook (FB2)", "not supported, convert to EPUB"]),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 64, ["PNG image"]),
    (b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 64, ["JPEG image"]),
    (b"GIF89a\x01\0\x01\0" + b"\0" * 32, ["GIF image"]),
    (b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 32, ["WebP image"]),
    (bytes(range(256)) * 8, ["binary file"]),
])
def test_unsupported_files_get_one_line_naming_the_format(tmp_path, data, words):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        ingest.read(str(path))
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path))
    for word in words:
        assert word in message


def test_zip_that_is_not_an_epub(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("chapter1.txt", PROSE)
        z.writestr("photo.jpg", b"\xff\xd8\xff" + b"\0" * 100)
    with pytest.raises(formats.UnsupportedFormat, match="zip archive that is not an EPUB"):
        formats.detect(buf.getvalue())


def test_office_documents_in_zips(tmp_path):
    for members, word in (({"word/document.xml": "<w/>", "[Content_Types].xml": "<t/>"}, "Word document"),
                          ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<c/>",
                            "META-INF/manifest.xml": "<m/>"}, "OpenDocument")):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, content in members.items():
                z.writestr(name, content)
        with pytest.raises(formats.UnsupportedFormat, match=word):
            formats.detect(buf.getvalue())


def test_detect_by_content():
    assert formats.detect("\ufeffJust a story.\r\n".encode("utf-8")) == "text"
    assert formats.detect("A story.".encode("utf-16")) == "text"
    assert formats.detect(AO3_CHAPTERED.encode("utf-16")) == "ao3-html"
    assert formats.detect(FFF_TXT.encode("utf-32")) == "fff-txt"
    assert formats.detect(b"She said <html> was a word she hated.\n\nThe end.") == "text"
    assert formats.detect(b"TABLE OF CONTENTS\n\nNot a FanFicFare file at all.\n") == "text"
    assert formats.detect(b"<?xml version='1.0'?>\n<!DOCTYPE html>\n<html><body><p>x</p></body></html>") == "html"
    assert formats.detect(FFF_TXT.encode("utf-8")) == "fff-txt"
    assert formats.detect(FFF_HTML.encode("utf-8")) == "fff-html"
    assert formats.detect(AO3_CHAPTERED.encode("utf-8")) == "ao3-html"
    assert formats.detect(fff_epub()) == "epub"
    assert formats.detect(b"MZ is how my sister signs her letters.\n") == "text"
    assert formats.detect(b"CONTENT WARNING: grief.\n\nShe sat by the window.\n") == "text"


def test_real_plain_text_fics_are_detected_as_text(sample_paths):
    """The five sample fics in ../shared (plain text, curly and straight quotes) are never mistaken for markup."""
    assert len(sample_paths) == 5
    for path in sample_paths.values():
        assert formats.detect(path.read_bytes()) == "text", path.name
