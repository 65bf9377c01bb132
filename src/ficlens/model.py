"""The document model every stage shares.

A `Work` is what ingest produces: one text, and spans into it. Offsets are Python string indices
(end exclusive) into `Work.text`; for a plain-text file that text is the decoded file exactly as
stored, so offsets point into the user's own file.

An `Analysis` is what the analysis stages add. Stages never mutate a Work; each returns its own
annotations, and `Analysis.to_json` renders the contract of `ficlens analyze --json`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Iterator

NOTE_KINDS = ("summary", "front", "end", "chapter-front", "chapter-end")
QUOTE_KINDS = ("speech", "thought", "written", "other")
PARAGRAPH_KINDS = ("text", "break", "heading")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` narrowed past the whitespace at both ends: spans never start or end in space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass
class Chapter:
    """A chapter of the story; `start`/`end` cover its text including its chapter notes."""

    title: str | None
    start: int
    end: int


@dataclass
class Note:
    """Text around the story: summary, author's notes, chapter notes.

    Notes are part of `Work.text` (so they can be shown and searched), and the analysis skips them.
    `chapter` is the index of the chapter a chapter note belongs to.
    """

    kind: str
    text: str
    start: int
    end: int
    chapter: int | None = None


@dataclass
class Paragraph:
    """One paragraph of `Work.text`.

    kind: "text" (prose or dialogue), "break" (a scene break: `***`, `<hr/>`, "~"),
    "heading" (a title or chapter heading line). `chapter` is an index into `Work.chapters`.
    """

    start: int
    end: int
    chapter: int = 0
    kind: str = "text"


@dataclass
class Metadata:
    """What the archive says about a work. Lists are empty, scalars None, when the file does not say."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rating: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    language: str | None = None
    series: list[dict] = field(default_factory=list)  # [{"name": ..., "part": 2}]
    published: str | None = None  # ISO date
    updated: str | None = None
    words: int | None = None  # as stated by the archive
    chapters: str | None = None  # as stated: "2/?"
    summary: str | None = None
    url: str | None = None
    publisher: str | None = None
    status: str | None = None
    inspired_by: list[str] = field(default_factory=list)  # works this one names as inspiration


@dataclass
class Work:
    """One story as read from a file."""

    source: str
    format: str
    text: str
    chapters: list[Chapter] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    meta: Metadata = field(default_factory=Metadata)

    @property
    def id(self) -> str:
        """Stable id: a hash of the source and the text, so the same file always gets the same id."""
        digest = hashlib.sha1(self.source.encode("utf-8", "surrogatepass"))
        digest.update(self.text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:16]

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    def in_note(self, pos: int) -> bool:
        return any(n.start <= pos < n.end for n in self.notes)

    def story_paragraphs(self) -> Iterator[tuple[int, Paragraph]]:
        """(index, paragraph) for every prose paragraph that is story, not notes, not headings."""
        spans = sorted((n.start, n.end) for n in self.notes)
        for i, p in enumerate(self.paragraphs):
            if p.kind != "text":
                continue
            if any(s <= p.start < e for s, e in spans):
                continue
            yield i, p

    def story_text_words(self) -> int:
        return sum(len(self.text[p.start:p.end].split()) for _, p in self.story_paragraphs())


@dataclass
class Character:
    """One person of the story with every name the text uses for them."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    quotes: int = 0
    gender: str | None = None  # "female", "male", "nonbinary" or None when the text does not show it


@dataclass
class Mention:
    """A place in the text that names a character (by a name or alias)."""

    start: int
    end: int
    character: str  # Character.id


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str = "speech"
    speaker: str | None = None  # Character.name
    addressee: str | None = None
    confidence: float = 0.0
    method: str | None = None  # "explicit" | "anaphoric" | "implicit": how the speaker was found
    paragraph: int | None = None  # index into Work.paragraphs
    continues: bool = False  # this piece continues the quote before it (a speech over several paragraphs)


@dataclass
class Narration:
    """Whose eyes, which person, which tense; per work, chapter, scene and paragraph."""

    person: str | None = None  # "first" | "second" | "third"
    tense: str | None = None  # "past" | "present"
    pov: list[str] = field(default_factory=list)  # Character.name, main first
    chapters: list[dict] = field(default_factory=list)  # [{"chapter", "person", "tense", "pov"}]
    scenes: list[dict] = field(default_factory=list)  # [{"start", "end", "chapter", "pov"}]
    paragraphs: list[dict] = field(default_factory=list)  # [{"paragraph", "start", "end", "tense", "pov"}]


@dataclass
class Analysis:
    work: Work
    characters: list[Character] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    narration: Narration = field(default_factory=Narration)
    ships: list[list[str]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)  # stage name -> version that produced it
    cast: list[dict] | None = None  # the character list the analysis was given (`--cast`), if any

    def to_json(self) -> dict:
        """The `ficlens analyze --json` object (see docs/design.md); extended, never broken."""
        w, m = self.work, self.work.meta
        return {
            "id": w.id,
            "source": w.source,
            "format": w.format,
            "title": m.title,
            "authors": m.authors,
            "fandoms": m.fandoms,
            "relationships": m.relationships,
            "characters_tagged": m.characters,
            "tags": m.tags,
            "rating": m.rating,
            "warnings": m.warnings,
            "categories": m.categories,
            "language": m.language,
            "series": m.series,
            "published": m.published,
            "updated": m.updated,
            "summary": m.summary,
            "url": m.url,
            "publisher": m.publisher,
            "words": w.story_text_words(),
            "chapters": [asdict(c) for c in w.chapters],
            "notes": [asdict(n) for n in w.notes],
            "narration": {
                "person": self.narration.person,
                "tense": self.narration.tense,
                "pov": self.narration.pov,
                "chapters": self.narration.chapters,
                "scenes": self.narration.scenes,
            },
            "characters": [asdict(c) for c in self.characters],
            "quotes": [
                {k: v for k, v in asdict(q).items() if k != "paragraph"} for q in self.quotes
            ],
            "ships": self.ships,
            "versions": self.versions,
        }
