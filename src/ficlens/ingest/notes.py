"""What comes before and after the story in plain text: title lines, bylines, header fields, author's
notes, disclaimers, "A/N:" blocks and end notes.

A pure function of the text and its paragraphs. It reads the cues a person uses: an author talking
to readers about the story (I/my with fic, write, chapter, season, tumblr, comments, kudos, prompt,
inspired, song, title, beta, enjoy, ":P", "!!") rather than narrating it; shortness; position at the
top or bottom of the work or of a chapter; explicit labels ("A/N:", "Disclaimer:", "Rating:"). It
scans inwards from each edge and stops at the first paragraph that reads as story, so the story's
own first and last paragraphs are never taken, and at least one paragraph of every chapter stays story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Chapter, Note, Paragraph

_QUOTE_START = tuple("\"'“”‘’«»„")

_MARKER = re.compile(
    r"^[\W_]{0,3}(?:a\s?/\s?n|a\.n\.|an|author'?s'?\s*notes?|authors?\s*notes?|notes?|disclaimer|"
    r"dedication|content\s+warnings?|t/?w|c/?w|end\s+notes?)\b\s*[:\-–—)\]]",
    re.IGNORECASE,
)
# AO3's page, copied as text: "Summary:", "Notes:", "Chapter End Notes" on lines of their own, and
# "Work Text:" / "Chapter Text" right before the story.
_LABEL_ONLY = re.compile(
    r"^[\W_]{0,3}(?:summary|notes?|chapter\s+(?:end\s+)?notes|end\s+notes|chapter\s+summary|"
    r"author['’]?s['’]?\s+notes?|a\s?/\s?n)\s*:?\s*$",
    re.IGNORECASE,
)
_STORY_LABEL = re.compile(r"^(?:work|chapter)\s+text\s*:?\s*$", re.IGNORECASE)
_CLOSING_LINE = re.compile(r"^[\W_]*(?:the\s+end|fin|end|tbc|to\s+be\s+continued|end\s+file)[\W_]*$", re.IGNORECASE)
# Phrases only an author uses about their own fic: enough on their own to make a short paragraph a note.
_STRONG_PHRASES = re.compile(
    r"\b(?:i\s+(?:don['’]?t|do\s+not)\s+own|don['’]?t\s+own\s+(?:the|any)|"
    r"(?:owned|belongs?)\s+(?:by|to)\s+(?:the\s+)?(?:cw|bbc|network|show|creators?)|"
    r"thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+reading|let\s+me\s+know\s+what\s+you|"
    r"comments?\s+(?:are|is)\s+(?:love|appreciated)|reviews?\s+(?:are|is)\s+(?:love|appreciated)|"
    r"please\s+(?:review|comment|leave)|leave\s+(?:a\s+)?(?:comment|review|kudos)|(?:follow|find)\s+me\s+on|"
    r"come\s+(?:talk|say\s+hi)|my\s+tumblr|hope\s+you\s+(?:all\s+|guys\s+)?(?:enjoy|like|liked|loved)|"
    r"(?:un)?beta['’]?(?:d|ed)|mistakes\s+are\s+(?:all\s+)?(?:my|mine)|"
    r"i\s+(?:wanted|decided|had)\s+to\s+write|sorry\s+(?:for|about)\s+the\s+(?:late|long|wait|delay)|"
    r"cross-?posted|fanfiction\.net|ff\.net|archiveofourown|happy\s+birthday|dedicated\s+to|a\s+gift\s+for)"
)
# Phrases an author uses, but a narrator might too: they count, but not alone.
_WEAK_PHRASES = re.compile(
    r"\b(?:this\s+(?:fic|one-?shot|drabble|ficlet|chapter|story\s+(?:was|is\s+(?:based|inspired|for|a))|"
    r"was\s+(?:inspired|written|originally))|the\s+title\s+(?:is|was|comes)|inspired\s+by|"
    r"based\s+(?:on|off)\s+(?:the|a|this)\s+(?:song|prompt|episode|scene|post)|i['’]?ve\s+(?:been\s+)?(?:written|writing)|"
    r"(?:next|new|last)\s+chapter\s+(?:will|should|is|was)|written\s+for\s+(?:the|a|an|my)\b)"
)
# Every phrase above has one of these words: a paragraph with none of them skips the slow search.
_PHRASE_WORDS = frozenset(
    """own owned belong belongs thank thanks know comment comments review reviews please leave follow find
    come tumblr hope this title inspired based written birthday dedicated gift beta'd beta’d betad betaed unbeta'd unbeta’d unbetad
    unbetaed mistakes write writing i've i’ve sorry cross-posted crossposted fanfiction ff archiveofourown chapter""".split()
)
# Words of an author talking about fandom and writing: strong ones rarely occur in narrative, weak ones do.
_STRONG_WORDS = frozenset(
    """fic fics fanfic fanfics fanfiction ficlet oneshot one-shot drabble readers reviews reviewers kudos typo
    feedback prompt prompts prompted beta betaed unbetaed fanart canon headcanon otp au wip fandom tumblr ao3
    ffnet wattpad season episode episodes finale spoiler spoilers disclaimer fluff angst smut typos unbetaed""".split()
)
_WEAK_WORDS = frozenset(
    """chapter chapters update updates updated posted posting write writing wrote written writer review comment
    comments request requested inspired inspiration song lyrics title enjoy enjoyed enjoyable trash profile
    sequel twitter ep""".split()
)
_CHAT = re.compile(r"(?::[pd)(]|;\)|\bxd\b|<3|\blol\b|\bomg\b|!!|\bhaha\b|\bhehe\b|\bok(?:ay)? so\b|\banyway\b)")
_FIRST_PERSON = frozenset("i i'm i’m i've i’ve i'll i’ll i'd i’d my me".split())
_YOU = frozenset("you your you're you’re y'all guys".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LOWER_WORD = re.compile(r"[a-z0-9](?:[a-z0-9'’-]*[a-z0-9])?")

_FIELD = re.compile(
    r"^(?P<label>title|author|authors|writer|fandoms?|pairings?|relationships?|ships?|ratings?|characters?|"
    r"genres?|tags?|warnings?|summary|word\s?count|words|spoilers?|status|prompt|beta|dedication)\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_FIELD_TO_META = {
    "fandom": "fandoms", "fandoms": "fandoms", "pairing": "relationships", "pairings": "relationships",
    "relationship": "relationships", "relationships": "relationships", "ship": "relationships",
    "ships": "relationships", "rating": "rating", "ratings": "rating", "character": "characters",
    "characters": "characters", "genre": "tags", "genres": "tags", "tag": "tags", "tags": "tags",
    "warning": "warnings", "warnings": "warnings", "summary": "summary",
}
_BYLINE = re.compile(r"^(?:written\s+)?by\s+(?P<name>[^\s.,;!?][^.,;!?]{0,58})$", re.IGNORECASE)
_NOT_A_NAME = frozenset("the a an his her their my your our this that then now morning night day time way".split())
_SMALL_WORDS = frozenset("a an the and but or nor for of in on at to by with from as is it its".split())

MAX_SCAN = 8  # how many paragraphs from an edge may be notes


@dataclass
class Matter:
    """Everything around the story: notes, and what title/byline/header lines say about the work."""

    notes: list[Note]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    title_paragraphs: list[int] = field(default_factory=list)  # paragraphs that are title lines or bylines
    fields: dict = field(default_factory=dict)  # Metadata attribute -> value, from "Rating: T"-style lines


def find(
    text: str,
    paragraphs: list[Paragraph],
    *,
    chapters: list[Chapter] | None = None,
    chapter_headings: set[int] = frozenset(),
) -> Matter:
    """Front matter, end matter and chapter notes of a plain-text work.

    `chapter_headings` are the heading paragraphs that start chapters; another heading at the top is a title.
    """
    chapters = chapters or [Chapter(title=None, start=0, end=len(text))]
    texts = [text[p.start:p.end] for p in paragraphs]
    by_chapter: list[list[int]] = [[] for _ in chapters]
    for i, p in enumerate(paragraphs):
        by_chapter[min(p.chapter, len(chapters) - 1)].append(i)
    noted: dict[int, str] = {}
    titles: list[int] = []
    for ci, members in enumerate(by_chapter):
        kinds, found_titles = _chapter_notes(
            members, paragraphs, texts, chapter=ci, chapters=len(chapters), chapter_headings=chapter_headings
        )
        noted.update(kinds)
        titles.extend(found_titles)
    for i in titles:
        noted[i] = "front"
    for i in _labelled_section([i for i in noted if noted[i] == "front"], texts, "summary"):
        noted[i] = "summary"
    matter = Matter(notes=[])
    for i in sorted(noted):
        kind, p = noted[i], paragraphs[i]
        chapter = p.chapter if kind.startswith("chapter-") else None
        matter.notes.append(Note(kind=kind, text=texts[i], start=p.start, end=p.end, chapter=chapter))
    _describe(
        matter, titles, texts,
        [i for i in sorted(noted) if noted[i] == "front"],
        summary_paragraphs=[i for i in sorted(noted) if noted[i] == "summary"],
    )
    return matter


def _chapter_notes(
    members: list[int],
    paragraphs: list[Paragraph],
    texts: list[str],
    *,
    chapter: int,
    chapters: int,
    chapter_headings: set[int],
) -> tuple[dict[int, str], list[int]]:
    """({paragraph: note kind}, title lines) for one chapter: its edges, and labelled notes anywhere in it."""
    multi, last = chapters > 1, chapter == chapters - 1
    front, before_heading, titles = _front(
        members, paragraphs, texts, top=chapter == 0, chapter_headings=chapter_headings
    )
    end = _end(members, paragraphs, texts, taken=set(front) | set(titles), strict=not last)
    prose = [i for i in members if paragraphs[i].kind == "text"]
    if prose and set(prose) <= set(front) | set(end):  # never the whole chapter: keep only labelled notes
        front = [i for i in front if _explicit(texts[i])]
        end = [i for i in end if _explicit(texts[i]) and i not in front]
        if set(prose) <= set(front) | set(end):
            front, end = [], []
    front_kind = "front" if not multi else "chapter-front"
    end_kind = "end" if not multi or last else "chapter-end"
    kinds = {i: "front" if chapter == 0 and i in before_heading else front_kind for i in front}
    kinds.update({i: end_kind for i in end})
    seen_story = False
    for i in members:
        if i in kinds or i in titles or paragraphs[i].kind != "text":
            continue
        if _MARKER.match(texts[i]):
            kinds[i] = end_kind if seen_story else front_kind
        else:
            seen_story = True
    return kinds, titles


def judge(paragraph: str) -> str:
    """"marker" (labelled note), "field" (header line), "note" (author's voice), "closing" or "story"."""
    first_line = paragraph.split("\n", 1)[0]
    if _CLOSING_LINE.match(paragraph):
        return "closing"
    if _MARKER.match(paragraph) or _LABEL_ONLY.match(paragraph) or _STORY_LABEL.match(paragraph):
        return "marker"
    if _FIELD.match(first_line) and len(first_line) < 400:
        return "field"
    if paragraph.startswith(_QUOTE_START):
        return "story"
    return "note" if _author_voice(paragraph) else "story"


def _author_voice(paragraph: str) -> bool:
    """An author talking about the story to readers, not the story itself."""
    lower = paragraph.lower()
    words = set(_LOWER_WORD.findall(lower))
    meta = 2 * len(words & _STRONG_WORDS) + len(words & _WEAK_WORDS)
    strong, weak = _phrases(lower, words)
    phrases = strong + weak
    chat = len(_CHAT.findall(lower))
    first = bool(words & _FIRST_PERSON)
    you = bool(words & _YOU)
    score = meta + 4 * strong + 2 * weak
    if len(paragraph) > 800:  # notes are short; a long paragraph needs an author's phrase or chat, not just words
        if not (phrases or chat):
            return False
        score -= 2
    return score >= 4 or (score >= 3 and (first or you or chat)) or (score >= 2 and chat and first)


def _phrases(lower: str, words: set[str]) -> tuple[int, int]:
    """How many strong and weak author's phrases a lower-cased paragraph has."""
    if not words & _PHRASE_WORDS:
        return 0, 0
    return len(_STRONG_PHRASES.findall(lower)), len(_WEAK_PHRASES.findall(lower))


def _judge_at(paragraph: str, *, strict: bool) -> str:
    """`judge`, but between chapters (strict) an unlabelled note needs an author's phrase or chat marks:
    chapter notes in plain text are nearly always labelled, and a chapter's edge is often narration."""
    verdict = judge(paragraph)
    if not strict or verdict != "note":
        return verdict
    lower = paragraph.lower()
    if any(_phrases(lower, set(_LOWER_WORD.findall(lower)))) or _CHAT.search(lower):
        return verdict
    return "story"


def _explicit(paragraph: str) -> bool:
    return judge(paragraph) in ("marker", "field", "closing") or bool(_STRONG_PHRASES.search(paragraph.lower()))


def _front(
    members: list[int], paragraphs: list[Paragraph], texts: list[str], *, top: bool, chapter_headings: set[int]
) -> tuple[list[int], set[int], list[int]]:
    """(note paragraphs, those before the chapter heading, title lines) at the start of a chapter."""
    notes: list[int] = []
    before_heading: set[int] = set()
    titles: list[int] = []
    heading_seen = False
    scanned = 0
    pos = 0
    while pos < len(members) and scanned < MAX_SCAN:
        i = members[pos]
        p = paragraphs[i]
        if p.kind == "heading":
            if top and not heading_seen and not notes and i not in chapter_headings:
                titles.append(i)
            else:
                heading_seen = True
            pos += 1
            continue
        if p.kind == "break":
            if notes or titles:
                break
            pos += 1  # a rule above everything (decoration, or Markdown's YAML front matter opening)
            continue
        verdict = _judge_at(texts[i], strict=not top)
        if top and not heading_seen and not notes and verdict == "story" and _is_title_line(texts[i]):
            titles.append(i)
        elif verdict == "story" or (verdict == "closing" and not notes):
            if notes and _explicit(texts[notes[-1]]) and _break_follows(members, pos, paragraphs, texts):
                notes.append(i)
            else:
                break
        else:
            notes.append(i)
            if not heading_seen:
                before_heading.add(i)
            if _STORY_LABEL.match(texts[i]):
                break
        scanned += 1
        pos += 1
    boundary = _story_label_position(members, paragraphs, texts)
    if boundary is not None:  # everything above "Work Text:" is front matter
        heading_seen = False
        for i in members[: boundary + 1]:
            if paragraphs[i].kind == "heading" and i in chapter_headings:
                heading_seen = True
            if paragraphs[i].kind == "text" and i not in titles and i not in notes:
                notes.append(i)
                if not heading_seen:
                    before_heading.add(i)
    return sorted(notes), before_heading, titles


def _story_label_position(members: list[int], paragraphs: list[Paragraph], texts: list[str]) -> int | None:
    for k, i in enumerate(members[: MAX_SCAN * 3]):
        if paragraphs[i].kind == "text" and _STORY_LABEL.match(texts[i]):
            return k
    return None


def _break_follows(members: list[int], pos: int, paragraphs: list[Paragraph], texts: list[str]) -> bool:
    """A note that runs on without cues up to a scene break, with the story after the break."""
    for k in range(pos, min(pos + 3, len(members))):
        i = members[k]
        if paragraphs[i].kind == "break":
            return any(paragraphs[j].kind == "text" for j in members[k + 1:])
        if paragraphs[i].kind != "text" or texts[i].startswith(_QUOTE_START) or len(texts[i]) > 600:
            return False
    return False


def _end(
    members: list[int], paragraphs: list[Paragraph], texts: list[str], *, taken: set[int], strict: bool
) -> list[int]:
    """Note paragraphs at the end of a chapter, scanning upwards until the story.

    A labelled note ("A/N:") set off by a scene break, or a label on its own line ("Notes:"), a few
    paragraphs from the end takes the short, undialogued paragraphs after it with it: an author's note
    often runs on without cues of its own.
    """
    notes: list[int] = []
    scanned = 0
    stop = len(members)
    for pos in range(len(members) - 1, -1, -1):
        i = members[pos]
        if i in taken or scanned >= MAX_SCAN:
            break
        p = paragraphs[i]
        if p.kind == "break":
            if notes:
                break
            continue
        if p.kind == "heading":
            break
        if _judge_at(texts[i], strict=strict) == "story":
            stop = pos
            break
        notes.append(i)
        scanned += 1
    for pos in range(stop, max(stop - 3, -1), -1):
        i = members[pos] if pos < len(members) else None
        if i is None or i in taken or paragraphs[i].kind != "text":
            break
        if texts[i].startswith(_QUOTE_START) or len(texts[i]) > 600:
            break
        if _MARKER.match(texts[i]) or _LABEL_ONLY.match(texts[i]):
            if _LABEL_ONLY.match(texts[i]) or (pos > 0 and paragraphs[members[pos - 1]].kind == "break"):
                notes.extend(members[k] for k in range(pos, stop + 1) if members[k] not in notes)
            break
    return sorted(notes)


def _is_title_line(paragraph: str) -> bool:
    """A short line at the top: no sentence punctuation at its end, or written In Title Case."""
    if "\n" in paragraph.strip() or len(paragraph) > 80 or paragraph.startswith(_QUOTE_START):
        return False
    words = _WORD.findall(paragraph)
    if not words or len(paragraph.split()) > 10:
        return False
    if _BYLINE.match(paragraph.strip("*_ ")) or _FIELD.match(paragraph):
        return True
    if paragraph[-1] not in ".!?…,;:\"'”’)-–—":
        return True
    return _title_case(words, min_words=2) and paragraph[-1] in ".!?…"


def _title_case(words: list[str], *, min_words: int = 1) -> bool:
    """Every significant word capitalised (ALL CAPS included)."""
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    return len(words) >= min_words and all(w[0].isupper() for w in significant)


def _describe(
    matter: Matter, titles: list[int], texts: list[str], front: list[int], *, summary_paragraphs: list[int]
) -> None:
    """Title, authors and header fields from the title lines and front notes."""
    matter.title_paragraphs = sorted(titles)
    candidates: list[str] = []
    after_by = False
    for i in sorted(set(titles) | set(front)):
        line = texts[i].strip().strip("*_").strip()
        byline = _BYLINE.match(line)
        field_line = _FIELD.match(line)
        if after_by and i in titles:  # "by" on a line of its own, the name on the next
            matter.authors.extend(_split_names(line))
            after_by = False
        elif line.lower() == "by" and i in titles:
            after_by = True
        elif byline and byline.group("name").split()[0].lower() not in _NOT_A_NAME:
            matter.authors.extend(_split_names(byline.group("name")))
            if i not in matter.title_paragraphs:
                matter.title_paragraphs.append(i)
        elif field_line:
            label = re.sub(r"\s+", "", field_line.group("label").lower())
            value = field_line.group("value").strip()
            if label == "title":
                matter.title = value
            elif label in ("author", "authors", "writer"):
                matter.authors.extend(_split_names(value))
            elif label in _FIELD_TO_META:
                attr = _FIELD_TO_META[label]
                if attr in ("rating", "summary"):
                    matter.fields[attr] = value
                else:
                    values = [v.strip() for v in re.split(r"\s*[,;]\s*", value) if v.strip()]
                    matter.fields.setdefault(attr, []).extend(values)
        elif i in titles:
            candidates.append(line.splitlines()[0].lstrip("#").strip().strip("*_").strip())
    matter.title_paragraphs.sort()
    summary = [texts[i].strip() for i in summary_paragraphs]
    if summary and "summary" not in matter.fields:
        matter.fields["summary"] = "\n\n".join(summary)
    if matter.title is None and candidates:
        titled = [c for c in candidates if _title_case(_WORD.findall(c))]
        chosen = (titled or candidates)[0]
        if chosen.endswith(".") and not chosen.endswith(".."):
            chosen = chosen[:-1]
        matter.title = chosen


def _labelled_section(front: list[int], texts: list[str], label: str) -> list[int]:
    """The paragraphs after a label on its own line ("Summary:"), up to the next label."""
    taken: list[int] = []
    inside = False
    for i in sorted(front):
        line = texts[i].strip()
        if _LABEL_ONLY.match(line) or _STORY_LABEL.match(line):
            if inside:
                break
            inside = line.rstrip(":").strip().lower() == label
            continue
        if inside:
            taken.append(i)
    return taken


def _split_names(value: str) -> list[str]:
    return [n.strip() for n in re.split(r"\s*(?:,|&|\band\b)\s*", value) if n.strip()]
