"""Libraries the web tests serve: constructed works with known speakers and narration, hostile fics,
and (when present) the sample fics and the built-in examples, all stored through the real Library.

The constructed works pin down what the pages must show (who says each line, where the tense
slips); the hostile fics carry `<script>`, `onerror=` and `javascript:` in text, title, tags and notes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ficlens import ingest
from ficlens.analyze import analyze
from ficlens.corpus.store import Library
from ficlens.model import (Analysis, Chapter, Character, Metadata, Narration, Note, Paragraph, Quote, Work)

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "fics"

EVIL_TEXT = """<script>alert(1)</script> The Evil Title

A/N: this note has <img src=x onerror=alert(2)> and <script>alert(3)</script> in it.

***

"<script>alert(4)</script>," Clarke said to Bellamy. "Please stay."

Bellamy looked at <img src=x onerror=alert(5)> the door and did not answer. <a href="javascript:alert(6)">x</a>

"I can't," Bellamy said. "Not tonight."

A/N: thanks for reading <script>alert(7)</script>
"""

EVIL_AO3 = """<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>&lt;script&gt;alert(1)&lt;/script&gt; Evil - Archive of Our Own</title></head>
<body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>Evil</b><br/>Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a></p>
  <div class="meta"><dl class="tags">
    <dt>Rating:</dt><dd><a href="x">General Audiences</a></dd>
    <dt>Fandom:</dt><dd><a href="javascript:alert(1)">The 100 (TV)</a></dd>
    <dt>Relationship:</dt><dd><a href="x">Bellamy Blake/Clarke Griffin</a></dd>
    <dt>Additional Tags:</dt><dd><a href="x">&lt;script&gt;alert(3)&lt;/script&gt;</a></dd>
    <dt>Stats:</dt><dd>Published: 2015-03-01 Words: 120 Chapters: 1/1</dd>
  </dl>
  <h1>&lt;script&gt;alert(1)&lt;/script&gt; Evil Title</h1>
  <div class="byline">by <a rel="author" href="x">mallory</a></div>
  <p>Summary</p>
  <blockquote class="userstuff"><p>A summary with &lt;img src=x onerror=alert(2)&gt; and <script>alert(4)</script><img src=x onerror="alert(5)"></p></blockquote>
  <p>Notes</p>
  <blockquote class="userstuff"><p>Author's note &lt;script&gt;alert(6)&lt;/script&gt; <a href="javascript:alert(7)">click</a></p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
<div class="meta group"><h2 class="heading">Chapter 1: &lt;script&gt;alert(15)&lt;/script&gt;</h2></div>
<!--chapter content-->
<div class="userstuff">
  <p>"Stay," Clarke said to Bellamy. "&lt;script&gt;alert(8)&lt;/script&gt;"</p>
  <p><script>alert(9)</script><img src=x onerror=alert(10)>Bellamy looked at the door. <a href="javascript:alert(11)">a link</a> <iframe src="javascript:alert(12)"></iframe></p>
  <p>"I can't," Bellamy said. "Not &lt;img src=x onerror=alert(13)&gt; tonight."</p>
</div>
</div>
<div id="afterword"><h2 class="toc-heading">Afterword</h2><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>End &lt;script&gt;alert(14)&lt;/script&gt;</p></blockquote></div></div>
</body></html>
"""

# {speaker>addressee:words} marks a quote; the braces become curly quote marks in the text.
_QUOTE = re.compile(r"\{([^>:{}]*)>([^:{}]*):([^{}]*)\}")

SHARED = ("The stars over the camp were the same ones we watched from the Ark, and I told myself "
          "that as long as they were there I would find my way home again.")

DROPSHIP = {
    "title": "The Dropship at Dawn",
    "meta": dict(authors=["quietreader"], fandoms=["The 100 (TV)"], rating="Teen And Up Audiences",
                 relationships=["Bellamy Blake/Clarke Griffin"], characters=["Clarke Griffin", "Bellamy Blake"],
                 tags=["Angst", "Slow Burn"], published="2015-03-01", language="en"),
    "note": "A/N: written for a prompt about the first morning on the ground.",
    "person": "third",
    "tense": "past",
    "characters": [("Clarke Griffin", ["Clarke", "princess"]), ("Bellamy Blake", ["Bellamy", "Blake"]),
                   ("Octavia Blake", ["Octavia", "O"])],
    # (paragraph, tense, pov)
    "paragraphs": [
        ("Clarke woke before the others and climbed to the top of the dropship. "
         "{Bellamy Blake>Clarke Griffin:You should be asleep, princess,} Bellamy said from the hatch.", "past", "Clarke Griffin"),
        ("{Clarke Griffin>Bellamy Blake:So should you,} she answered, without turning round. " + SHARED, "past", "Clarke Griffin"),
        ("He climbed up beside her. {Bellamy Blake>Clarke Griffin:We have to talk about the guns.}", "past", "Clarke Griffin"),
        ("Bellamy wonders if she will ever trust him. He knows she won't, not today.", "present", "Bellamy Blake"),
        ("{Octavia Blake>Bellamy Blake:Are you two done?} Octavia called up. "
         "{Bellamy Blake>Octavia Blake:Go back to sleep, O.}", "past", "Clarke Griffin"),
        ("{Clarke Griffin>Octavia Blake:We're done,} Clarke said, and smiled for the first time in days.", "past", "Clarke Griffin"),
    ],
}

MEET_AGAIN = {
    "title": "May We Meet Again",
    "meta": dict(authors=["stargazer"], fandoms=["The 100 (TV)"], rating="General Audiences",
                 relationships=["Bellamy Blake/Clarke Griffin"], published="2016-07-10", language="en"),
    "note": None,
    "person": "first",
    "tense": "present",
    "characters": [("Clarke Griffin", ["Clarke"]), ("Bellamy Blake", ["Bellamy"])],
    "paragraphs": [
        ("I leave at first light. {Clarke Griffin>Bellamy Blake:May we meet again,} I tell him.", "present", "Clarke Griffin"),
        (SHARED, "present", "Clarke Griffin"),
        ("{Bellamy Blake>Clarke Griffin:Come back to me,} Bellamy says, and I don't look back.", "present", "Clarke Griffin"),
    ],
}


def long_watch(paragraphs: int = 300) -> dict:
    """A 15,000-word work whose one present-tense paragraph lies deep in the story, in a later chunk."""
    body = []
    for i in range(paragraphs):
        words = f"Watch {i}: the sea was grey and the lamp was lit and nobody came up the hill that night. " * 2
        words += "{Clarke Griffin>Bellamy Blake:Still nothing out there,} she said, and he nodded in the dark. " * 2
        body.append((words.strip(), "present" if i == paragraphs - 50 else "past", "Clarke Griffin"))
    return {"title": "The Long Watch", "meta": dict(fandoms=["The 100 (TV)"], published="2017-01-05"),
            "note": None, "person": "third", "tense": "past",
            "characters": [("Clarke Griffin", ["Clarke"]), ("Bellamy Blake", ["Bellamy"])], "paragraphs": body}


def constructed(spec: dict, source: str) -> Analysis:
    """An Analysis built by hand from `spec`, so the pages can be checked against known answers."""
    text, paragraphs, quotes, narration = "", [], [], []
    notes = []
    if spec["note"]:
        notes.append(Note("front", spec["note"], 0, len(spec["note"])))
        paragraphs.append(Paragraph(0, len(spec["note"])))
        text = spec["note"] + "\n\n"
    for body, tense, pov in spec["paragraphs"]:
        start = len(text)
        out, pos = "", 0
        for m in _QUOTE.finditer(body):
            out += body[pos:m.start()] + "“"
            q_start = start + len(out)
            out += m.group(3)
            quotes.append(Quote(q_start, q_start + len(m.group(3)), m.group(3), "speech", m.group(1), m.group(2),
                                0.9, "explicit", len(paragraphs)))
            out += "”"
            pos = m.end()
        out += body[pos:]
        text += out
        narration.append({"paragraph": len(paragraphs), "start": start, "end": len(text), "tense": tense, "pov": pov})
        paragraphs.append(Paragraph(start, len(text)))
        text += "\n\n"
    work = Work(source=source, format="text", text=text, chapters=[Chapter(None, 0, len(text))],
                paragraphs=paragraphs, notes=notes, meta=Metadata(title=spec["title"], **spec["meta"]))
    said = {}
    for q in quotes:
        said[q.speaker] = said.get(q.speaker, 0) + 1
    people = [Character(f"c{i + 1}", name, aliases, mentions=text.count(name.split()[0]), quotes=said.get(name, 0))
              for i, (name, aliases) in enumerate(spec["characters"])]
    main_pov = max({n["pov"] for n in narration}, key=lambda p: sum(n["pov"] == p for n in narration))
    told = Narration(person=spec["person"], tense=spec["tense"], pov=[main_pov],
                     chapters=[{"chapter": 0, "person": spec["person"], "tense": spec["tense"], "pov": [main_pov]}],
                     paragraphs=narration)
    return Analysis(work=work, characters=people, quotes=quotes, narration=told,
                    ships=[["Bellamy Blake", "Clarke Griffin"]], versions={"test": "1"})


def build_library(folder: Path) -> Path:
    """A library with the constructed works, the hostile fics, the samples and the examples."""
    from ficlens import examples

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
    (folder / "evil_ao3.html").write_text(EVIL_AO3, encoding="utf-8")
    files = [folder / "evil.txt", folder / "evil_ao3.html"]
    files += sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []
    files += [Path(p) for p in examples.paths()]
    path = folder / "library.db"
    with Library(path) as lib:
        for spec, name in ((DROPSHIP, "dropship.txt"), (MEET_AGAIN, "meet_again.txt"), (long_watch(), "long.txt")):
            analysis = constructed(spec, str(folder / name))
            lib.add(analysis, source_path=str(folder / name), content_hash=hashlib.sha1(name.encode()).hexdigest())
        for f in files:
            analysis = analyze(ingest.read(f))
            lib.add(analysis, source_path=str(f), content_hash=hashlib.sha1(f.read_bytes()).hexdigest())
    return path


def key_of(library: Path, title_part: str) -> str:
    """The key (URL id) of the first work whose title or source contains `title_part`."""
    with Library(library, readonly=True) as lib:
        for w in lib.works(limit=1000):
            if title_part in (w["title"] or "") or title_part in w["source"]:
                return w["key"]
    raise LookupError(title_part)


def test_constructed_work_offsets_point_at_the_quotes():
    a = constructed(DROPSHIP, "dropship.txt")
    assert all(a.work.text[q.start:q.end] == q.text for q in a.quotes)
    assert [q.speaker for q in a.quotes][:2] == ["Bellamy Blake", "Clarke Griffin"]
    assert [n["tense"] for n in a.narration.paragraphs].count("present") == 1


def test_built_library_holds_every_fixture(tmp_path):
    path = build_library(tmp_path / "lib")
    with Library(path, readonly=True) as lib:
        titles = {w["title"] for w in lib.works(limit=1000)}
        assert {"The Dropship at Dawn", "May We Meet Again"} <= titles
        assert any(t and "<script>" in t for t in titles), "the AO3 fixture's hostile title must reach the library"
        assert lib.count() >= 4
