"""Person, tense and point of view of the narration, per work, chapter, scene and paragraph.

Only narration counts: dialogue (the quotes stage's spans, widened to their marks) is masked out,
so a third-person story full of "I" in dialogue stays third person. Person comes from pronoun
counts (reader-insert "Y/N" makes it second person), tense from the finite verbs `tense` finds,
and point of view from whose cognition and perception the narration reports: the subject of
"thought / knew / felt / wondered / could see", the owner of "his heart" and "her stomach".
`read_story` keeps everything sentence by sentence for `ficlens check`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Character, Mention, Narration, Quote, Work
from . import lexicon as lx
from . import tense as tn
from .characters import READER, READER_INSERT, first_letter

VERSION = "4"

_MARKS = "\"'“”‘’«»"
_DOUBLE_QUOTED = re.compile(r"[\"“][^\"“”\n]*[\"”]")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")

_FIRST = frozenset("i me my mine myself".split())
_FIRST_PLURAL = frozenset("we us our ours ourselves".split())
_SECOND = frozenset("you your yours yourself yourselves".split())
_THIRD = frozenset("he she him her his hers himself herself".split())
_PRONOUN_SUBJECTS = frozenset("i we you he she they it this that there who which what".split())
_LINKING = frozenset("and as but while when before after because so then until once though".split())
_TITLE_GENDER = {
    **dict.fromkeys("mr sir lord captain admiral colonel general duke king prince father uncle brother mister".split(), "male"),
    **dict.fromkeys("mrs miss ms lady madame mme mlle mademoiselle duchess queen princess mother aunt sister".split(), "female"),
}
_PRESENCE = 0.25  # a name in the narration: the viewpoint character is also the one most named
_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())
_SKIP_BEFORE_INNER = frozenset(
    "could couldn't can can't cannot did didn't does doesn't do don't would wouldn't had has have just "
    "still only already suddenly finally never always also really almost barely hardly not help but".split()
)
# Bare "long" and "need" after a subject are an adverb and a modal: "had long since", "he need not".
_CUE_VERBS = lx.INNER_VERB_FORMS - {"long", "need"}
# "it seemed to her", "it occurred to Emma": the one it seems so to is the one whose view it is.
_EXPERIENCER = frozenset("seemed seems appeared appears occurred occurs".split())
_AFTER_EXPERIENCER = frozenset("that as like so the a an to then now almost quite very more most".split())
_INVERTED = frozenset("had were should".split())  # "Had he wished to see her": a supposition, not his wish
_BE_FEEL = frozenset("was is were are felt feels feel wasn't isn't 's".split())
_DEGREE = frozenset("so too very really quite a little bit suddenly almost not never still".split())
_TRIGGERS = lx.INNER_VERB_FORMS | lx.INNER_ADJECTIVES | lx.INNER_NOUNS | _EXPERIENCER
_LOWER_WORD = re.compile(r"[a-z]+")
_GUESSING = frozenset("though if like how what whether why".split())
# "he said to himself that the Polish Count must have robbed her": a man named as the subject of a
# clause his own sentence's "he" frames is not who the next "he" refers to.
_EMBEDDED = re.compile(r"\b(?:that|whether|if)\s+(?:the\s+)?(?:[A-Za-z]+\s+)?$")


class Cue(NamedTuple):
    """A sign that the narration looks through `name`: "Clarke wondered", "his heart"."""

    name: str  # Character.name, or "I" in a first-person story whose narrator has no name
    weight: float
    start: int  # offsets of the cue word
    end: int
    named: bool = False  # the character is named as the subject, not a resolved pronoun


@dataclass
class Sentence:
    start: int
    end: int
    verbs: list[tn.Verb]
    cues: list[Cue]


@dataclass
class ParagraphReading:
    index: int
    start: int
    end: int
    chapter: int
    scene: int
    segments: list[tuple[int, int]]  # narration outside quotes
    sentences: list[Sentence] = field(default_factory=list)
    words: int = 0
    named: Counter = field(default_factory=Counter)  # character names in the narration


@dataclass
class StoryReading:
    """Everything `describe` reads, kept per sentence so `ficlens check` can point at one."""

    paragraphs: list[ParagraphReading]
    scenes: list[tuple[int, int, int]]  # (start, end, chapter)
    person: str | None
    narrator: str | None
    genders: dict[str, str]


def narration_segments(work: Work, quotes: list[Quote]) -> dict[int, list[tuple[int, int]]]:
    """For every story paragraph, the spans of its text outside dialogue."""
    spans = sorted((q.start, q.end) for q in quotes if q.kind in ("speech", "thought", "written", "other"))
    out: dict[int, list[tuple[int, int]]] = {}
    text = work.text
    paragraphs = list(work.story_paragraphs())
    starts = [s for s, _ in spans]
    for i, p in paragraphs:
        masked: list[tuple[int, int]] = []
        k = bisect_left(starts, p.start)
        while k > 0 and spans[k - 1][1] > p.start:
            k -= 1
        while k < len(spans) and spans[k][0] < p.end:
            s, e = spans[k]
            while s > p.start and text[s - 1] in _MARKS:
                s -= 1
            while e < p.end and text[e] in _MARKS + ".,!?…":
                e += 1
            masked.append((max(s, p.start), min(e, p.end)))
            k += 1
        for m in _DOUBLE_QUOTED.finditer(text, p.start, p.end):
            masked.append(m.span())
        masked.sort()
        segs = []
        pos = p.start
        for s, e in masked:
            if s > pos:
                segs.append((pos, s))
            pos = max(pos, e)
        if pos < p.end:
            segs.append((pos, p.end))
        out[i] = [(s, e) for s, e in segs if text[s:e].strip(" \t\r\n" + _MARKS + ".,;:-—–")]
    return out


def _name_pattern(people: list[Character]) -> tuple[re.Pattern | None, dict[str, str]]:
    """A regex over every name, alias and first name of the characters, and name form -> Character.name."""
    forms: dict[str, str] = {}
    counts = Counter()
    for c in people:
        names = [c.name, *c.aliases]
        first = c.name.split()[0] if c.name.split() else c.name
        if (first[:1].isupper() and first.rstrip(".").lower() not in _TITLE_GENDER
                and first.lower() not in lx.DETERMINERS and first.lower() not in ("a", "an", "dr", "doctor")):
            names.append(first)
        for n in names:
            if n and n[:1].isupper():
                counts[n] += 1
                forms.setdefault(n, c.name)
    forms = {n: c for n, c in forms.items() if counts[n] == 1 or forms[n] == c}
    if not forms:
        return None, {}
    alternatives = sorted(forms, key=len, reverse=True)
    pattern = re.compile(r"\b" + first_letter(alternatives) + r"(?:" + "|".join(re.escape(a) for a in alternatives) + r")\b")
    return pattern, forms


def _name_hits(text: str, segments: dict[int, list[tuple[int, int]]], pattern: re.Pattern | None,
               forms: dict[str, str]) -> dict[int, list[tuple[int, int, str]]]:
    """Every character name in the narration, per paragraph: (start, end, Character.name)."""
    if pattern is None:
        return {}
    return {i: [(m.start(), m.end(), forms[m.group()]) for s, e in segs for m in pattern.finditer(text, s, e)]
            for i, segs in segments.items()}


def _genders(text: str, segments: dict[int, list[tuple[int, int]]], people: list[Character],
             hits: dict[int, list[tuple[int, int, str]]], forms: dict[str, str], *,
             given: bool = False) -> dict[str, str]:
    """The pronoun that most often refers back to the name in narration, else Character.gender.

    The narration's own evidence comes before a gender the characters stage guessed: it is what the
    pronouns of this text refer by. A gender the user's cast gives (`given`) is never overridden: over
    PDNC with its casts, every override of one was wrong.
    """
    known = {c.name: c.gender for c in people if c.gender in ("male", "female")}
    votes: dict[str, Counter] = defaultdict(Counter)
    for i, segs in segments.items():
        for ms, me, name in hits.get(i, ()):
            e = next((se for ss, se in segs if ss <= ms < se), me)
            s = next((ss for ss, se in segs if ss <= ms < se), ms)
            after = text[me:min(e, me + 80)]
            if not tn.is_subject_at(text, s, ms, me):
                continue  # only a name that is the subject: "over Clarke and tucking his fingers" is not
            if re.match(r"\s*,\s*(?:he|she)\b", after):
                continue  # "Clarke, he knows, will ...": someone else's parenthesis
            after = re.split(r"[.!?…]", after, maxsplit=1)[0]
            previous = ""
            weak = None
            for position, w in enumerate(_WORD.findall(after)[:12]):
                lw = w.lower().replace("’", "'").split("'")[0]
                if lw == "his" and position > 2:
                    previous = lw
                    continue  # "Marisol asked, leaning over his shoulder": someone else's
                if lw in ("her", "him") or (lw in ("he", "she") and previous not in _LINKING):
                    if lw in ("he", "she") and weak is None and previous not in lx.INNER_VERB_FORMS and previous not in ("that", "if", "whether", "what"):
                        weak = "male" if lw == "he" else "female"
                    previous = lw
                    continue  # "tugged her close", "with such longing he knows": maybe someone else
                previous = lw
                if w[:1].isupper() and w in forms and not after[after.find(w) + len(w):].startswith(("'s", "’s")):
                    break
                if lw in _MALE or lw in _FEMALE:
                    votes[name]["male" if lw in _MALE else "female"] += 2
                    weak = None
                    break
            if weak is not None:
                votes[name][weak] += 1
    for name, v in votes.items():
        g, n = v.most_common(1)[0]
        against = sum(v.values()) - n
        if n >= 2 * against and not (given and name in known):
            known[name] = g
    for c in people:
        title = c.name.split()[0].rstrip(".").lower() if c.name.split() else ""
        if title in _TITLE_GENDER:
            known[c.name] = _TITLE_GENDER[title]  # "Mrs. Croft", "Captain Wentworth": the title says it
    # A narration full of "he" with no man known: the most named character nobody has a gender for
    # is the one "he" refers to (and the same for "she").
    named = Counter(name for names in hits.values() for _, _, name in names)
    pronouns = Counter()
    for segs in segments.values():
        for s, e in segs:
            for w in _LOWER_WORD.findall(text[s:e].lower()):
                if w in _MALE:
                    pronouns["male"] += 1
                elif w in _FEMALE:
                    pronouns["female"] += 1
    for g in ("male", "female"):
        if g in known.values() or pronouns[g] < 10:
            continue
        unknown = [(n, name) for name, n in named.items() if name not in known]
        if unknown:
            known[max(unknown)[1]] = g
    return known


def _person(verbs: list[tn.Verb], inserts: int) -> str | None:
    """First, second or third person from the subjects of the narration's finite verbs.

    Only verbs in the narration's dominant tense count, and only main-clause ones: a quote the
    quotes stage missed is mostly present-tense talk ("I know", "I think") in a past-tense story,
    while a first-person narrator is the subject of the story's own verbs ("I said", "I went").
    Reader-insert markers ("Y/N", "(y/n)") make it second person.
    """
    by_tense = {"past": Counter(), "present": Counter()}
    for v in verbs:
        if v.clause == "main" and v.subject_word:
            by_tense[v.tense][v.subject_word] += 1
    past, present = by_tense["past"], by_tense["present"]
    main = past if sum(past.values()) >= sum(present.values()) else present
    first = main["i"] + 0.5 * main["we"]
    second = main["you"]
    third = main["he"] + main["she"] + 0.5 * sum(v for k, v in main.items() if k[:1].isalpha() and k not in _PRONOUN_SUBJECTS)
    if inserts >= 2 or (inserts and second >= first):
        return "second"
    if first + second + third == 0:
        return None
    if second >= max(first, 1) and second >= 0.5 * (main["he"] + main["she"]):
        return "second"
    if first >= 0.3 * (main["he"] + main["she"]) and first >= 2:
        return "first"
    return "third"


def _reader_inserts(text: str, segments: dict[int, list[tuple[int, int]]]) -> int:
    return sum(len(READER_INSERT.findall(text, s, e)) for segs in segments.values() for s, e in segs if "/" in text[s:e])


def person(work: Work, quotes: list[Quote]) -> str | None:
    """Narrative person of `work` alone: "first", "second" or "third" (None with no pronouns at all)."""
    text = work.text
    segments = narration_segments(work, quotes)
    verbs = [v for segs in segments.values() for s, e in segs for a, b in tn.sentences(text, s, e)
             for v in tn.finite_verbs(text, a, b)]
    return _person(verbs, _reader_inserts(text, segments))


def _scene_ids(work: Work) -> tuple[dict[int, int], list[tuple[int, int, int]]]:
    """Scene number of each paragraph: a new scene at each break paragraph and each chapter."""
    ids: dict[int, int] = {}
    scenes: list[list[int]] = []
    current = -1
    last_chapter = None
    fresh = True
    for i, p in enumerate(work.paragraphs):
        if p.kind == "break":
            fresh = True
            continue
        if p.chapter != last_chapter:
            fresh = True
            last_chapter = p.chapter
        if p.kind != "text" or work.in_note(p.start):
            continue
        if fresh:
            current += 1
            scenes.append([p.start, p.end, p.chapter])
            fresh = False
        scenes[current][1] = p.end
        ids[i] = current
    return ids, [tuple(s) for s in scenes]


def _cues(text: str, start: int, end: int, person: str | None, narrator: str | None,
          names: list[tuple[int, int, str]], genders: dict[str, str],
          last: dict[str, str | None], told: dict[str, str | None] | None = None) -> list[Cue]:
    """Point-of-view cues of one narration sentence; `last` carries the last man and woman named as subjects,
    `told` whom an inner verb's "he" and "she" mean when this sentence names no one of that gender (by
    default `last`)."""
    told = last if told is None else told
    if _TRIGGERS.isdisjoint(_LOWER_WORD.findall(text[start:end].lower())):
        for ns, ne, who in names:
            g = genders.get(who)
            if g in ("male", "female") and tn.is_subject_at(text, start, ns, ne) and not _framed_subject(text, start, ns, g):
                last[g] = who
        return []
    out = []
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
    names_at = {ns: (ne, who) for ns, ne, who in names}
    n = len(tokens)
    # "... to talk to Elizabeth, and she was very willing": a man or woman this sentence names, as the
    # subject or not, is who its "he" or "she" refers to before anyone named in an earlier one.
    here: dict[str, str] = {}
    for i in range(n):
        s, e, w = tokens[i]
        lw = w.lower().replace("’", "'")
        who = None
        if s in names_at:
            ne, who = names_at[s]
            g = genders.get(who)
            possessive = text[ne:ne + 2] in ("'s", "’s")
            if g in ("male", "female") and tn.is_subject_at(text, start, s, ne):
                if not _framed_subject(text, start, s, g):
                    last[g] = who
                here[g] = who
            elif g in ("male", "female") and not possessive:
                here.setdefault(g, who)
            if possessive:
                who = None
        elif lw in ("he", "she", "he'd", "she'd"):
            g = "male" if lw.startswith("he") else "female"
            who = here.get(g, told[g])
        elif lw in ("i", "i'd") and person == "first":
            who = narrator or "I"
        named = 1.5 if s in names_at else 1.0  # "Emma felt" is surer than a resolved "she felt"
        if who is not None and i > 0 and tokens[i - 1][2].lower() in _GUESSING:
            who = None  # "as though she knows", "to know how he felt": the viewpoint character's guess, not his view
        if who is not None and i > 0 and tokens[i - 1][2].lower() in _INVERTED and (
                i == 1 or "," in text[tokens[i - 2][1]:tokens[i - 1][0]]):
            who = None
        if who is not None:
            j = i + 1
            if s in names_at:
                while j < n and tokens[j][0] < names_at[s][0]:
                    j += 1  # past the rest of a name of several words ("Frederick Wentworth")
            while j < n and (tokens[j][2].lower() in _SKIP_BEFORE_INNER or tokens[j][2].endswith("ly")):
                j += 1
            if j < n:
                verb = tokens[j][2].lower()
                if verb in _CUE_VERBS:
                    weight = 1.0 if verb in lx.PERCEPTION_VERB_FORMS else 2.0
                    out.append(Cue(who, weight * named, tokens[j][0], tokens[j][1], named > 1))
                elif verb in _BE_FEEL and j + 1 < n:
                    k = j + 1
                    while k < n and tokens[k][2].lower() in _DEGREE:
                        k += 1
                    if k < n and tokens[k][2].lower() in lx.INNER_ADJECTIVES:
                        out.append(Cue(who, 1.0, tokens[k][0], tokens[k][1], named > 1))
                    elif k < n and tokens[k][2].lower() in lx.INNER_VERB_FORMS and tokens[k][2].lower().endswith("ing"):
                        weight = 1.0 if tokens[k][2].lower() in lx.PERCEPTION_VERB_FORMS else 2.0
                        out.append(Cue(who, weight, tokens[k][0], tokens[k][1], named > 1))
        elif lw in _EXPERIENCER and i + 2 < n and tokens[i + 1][2].lower() == "to":
            ks, _, kw = tokens[i + 2]
            kw = kw.lower()
            owner = (names_at[ks][1] if ks in names_at else told["male"] if kw == "him" else
                     told["female"] if kw == "her" else (narrator or "I") if kw == "me" and person == "first" else None)
            possessive = kw == "her" and i + 3 < n and not text[tokens[i + 2][1]:tokens[i + 3][0]].strip() and (
                tokens[i + 3][2].lower() not in _AFTER_EXPERIENCER)  # "it seemed to her sister"
            if owner is not None and not possessive:
                out.append(Cue(owner, 1.0, s, e, ks in names_at))
        elif lw in ("his", "her", "my") and i + 1 < n and tokens[i + 1][2].lower() in lx.INNER_NOUNS:
            owner = told["male"] if lw == "his" else told["female"] if lw == "her" else (
                (narrator or "I") if person == "first" else None)
            if owner is not None:
                out.append(Cue(owner, 0.5, tokens[i + 1][0], tokens[i + 1][1]))
    if out:
        # "she knew Bellamy understood", "he's sure Clarke can feel it": the first one's view.
        out = [c for c in out if c[0] == out[0][0]]
    return out


def _framed_subject(text: str, start: int, name_start: int, gender: str) -> bool:
    """A name as the subject of a "that" clause after this sentence's own "he" (or "she")."""
    before = text[start:name_start]
    pronoun = "he" if gender == "male" else "she"
    return bool(_EMBEDDED.search(before)) and pronoun in _LOWER_WORD.findall(before.lower())


def _narrator_name(work: Work, quotes: list[Quote], segments: dict[int, list[tuple[int, int]]],
                   pattern: re.Pattern | None, forms: dict[str, str], named: Counter) -> str | None:
    """The name others call the "I" of a first-person story, when dialogue tells it.

    The narrator is addressed by name ("..., Watson.") in quotes the narration does not tag as the
    narrator's own ("I said"), yet is hardly ever named by the narration, which says "I": `named`
    counts each character's names in the narration.
    """
    if pattern is None:
        return None
    votes = Counter()
    mine = re.compile(r"\b(?:I|we)\s+(?:said|say|asked|ask|replied|reply|answered|cried|whispered|told)\b|\bsaid I\b")
    for q in quotes:
        if q.kind != "speech" or q.paragraph is None or q.paragraph not in segments:
            continue
        narration = " ".join(work.text[s:e] for s, e in segments[q.paragraph])
        if mine.search(narration):
            continue
        for m in pattern.finditer(q.text):
            before = q.text[max(0, m.start() - 2):m.start()]
            after = q.text[m.end():m.end() + 1]
            if (m.start() == 0 or before.endswith((", ", "my ", "h, "))) and (after in (",", ".", "!", "?", "") or m.end() == len(q.text)):
                votes[forms[m.group()]] += 1
    candidates = Counter({k: v for k, v in votes.items() if named[k] <= v})
    if candidates:
        (name, n), *rest = candidates.most_common(2) + [(None, 0)]
        runner = rest[0][1] if rest else 0
        if n >= 2 and n >= 1.3 * runner:
            return name
    return _untold_tagged(work, segments, named)


def _untold_tagged(work: Work, segments: dict[int, list[tuple[int, int]]], named: Counter) -> str | None:
    """The one character the archive's tags list whose name the narration never writes: the "I".

    AO3 and FanFicFare files tag the characters; a first-person narration names everyone but its
    narrator. Only a single such character counts.
    """
    tags = [t for t in work.meta.characters if t and t[:1].isupper() and t.lower() not in ("reader", "you", "original character")]
    if len(tags) < 2:
        return None
    text = " ".join(work.text[s:e] for segs in segments.values() for s, e in segs)
    untold = [t for t in tags if not any(re.search(r"\b" + re.escape(part) + r"\b", text)
                                         for part in t.split() if len(part) > 2)]
    return untold[0] if len(untold) == 1 else None


def read_story(work: Work, quotes: list[Quote], people: list[Character], *, genders_given: bool = False) -> StoryReading:
    """Narration of `work` sentence by sentence: finite verbs, point-of-view cues, scene of each paragraph.

    `genders_given`: the characters' genders come from a cast, which the narration's pronouns never overrule.
    """
    text = work.text
    segments = narration_segments(work, quotes)
    scene_of, scenes = _scene_ids(work)
    out = []
    for i, segs in segments.items():
        p = work.paragraphs[i]
        pr = ParagraphReading(i, p.start, p.end, p.chapter, scene_of.get(i, 0), segs)
        for s, e in segs:
            for ss, se in tn.sentences(text, s, e):
                pr.sentences.append(Sentence(ss, se, tn.finite_verbs(text, ss, se), []))
            pr.words += len(text[s:e].split())
        out.append(pr)
    person = _person([v for pr in out for s in pr.sentences for v in s.verbs], _reader_inserts(text, segments))
    pattern, forms = _name_pattern(people)
    hits = _name_hits(text, segments, pattern, forms)
    genders = _genders(text, segments, people, hits, forms, given=genders_given)
    named = Counter(name for names in hits.values() for _, _, name in names)
    narrator = _narrator_name(work, quotes, segments, pattern, forms, named) if person == "first" else None
    if person == "second":
        narrator = READER  # "you" is the viewpoint: the reader
    defaults = _scene_defaults(text, segments, hits, scene_of, genders)
    for pr in out:
        pr.named.update(name for _, _, name in hits.get(pr.index, []))
    _read_cues(text, out, hits, defaults, person, narrator, genders, {})
    if person == "third":
        reflectors = _reflectors(out, genders)
        if reflectors:
            _read_cues(text, out, hits, defaults, person, narrator, genders, reflectors)
    return StoryReading(out, scenes, person, narrator, genders)


def _read_cues(text: str, paragraphs: list[ParagraphReading], hits: dict[int, list[tuple[int, int, str]]],
               defaults: dict[int, dict[str, str | None]], person: str | None, narrator: str | None,
               genders: dict[str, str], reflectors: dict[int, tuple[str, str]]) -> None:
    """Fill every sentence's cues. `reflectors`: per chapter, the gender and name of the character it is
    told through, who is the "she" (or "he") of an inner verb unless the woman last named as a subject
    is named in this sentence or the one before."""
    last: dict[str, str | None] = {"male": None, "female": None}
    scene = -1
    previous: set[str] = set()  # the names in the sentence before
    for pr in paragraphs:
        if pr.scene != scene:
            scene = pr.scene
            last = dict(defaults.get(scene, {"male": None, "female": None}))
            previous = set()
        names = hits.get(pr.index, [])
        reflector = reflectors.get(pr.chapter)
        k = 0
        for sentence in pr.sentences:
            while k < len(names) and names[k][0] < sentence.start:
                k += 1
            j = k
            while j < len(names) and names[j][0] < sentence.end:
                j += 1
            told = last
            if reflector and last[reflector[0]] not in previous:
                told = {**last, reflector[0]: reflector[1]}
            sentence.cues = _cues(text, sentence.start, sentence.end, person, narrator, names[k:j], genders, last, told)
            previous = {who for _, _, who in names[k:j]}


def _reflectors(paragraphs: list[ParagraphReading], genders: dict[str, str]) -> dict[int, tuple[str, str]]:
    """Per chapter, the one character whose inner life its narration reports far more than anyone's:
    close third person is told through them, and an inner verb's "she" is hers more often than that of
    the last woman named (who is often the woman she watches)."""
    by_chapter: dict[int, Counter] = defaultdict(Counter)
    for pr in paragraphs:
        for s in pr.sentences:
            for cue in s.cues:
                by_chapter[pr.chapter][cue.name] += cue.weight
    out = {}
    for chapter, scores in by_chapter.items():
        (lead, top), *rest = scores.most_common()
        gender = genders.get(lead)
        runner = rest[0][1] if rest else 0.0
        same = max((w for n, w in rest if genders.get(n) == gender), default=0.0)
        if gender in ("male", "female") and top >= 6 and top >= 1.5 * runner and top >= 2 * same:
            out[chapter] = (gender, lead)
    return out


def _scene_defaults(text: str, segments: dict[int, list[tuple[int, int]]], hits: dict[int, list[tuple[int, int, str]]],
                    scene_of: dict[int, int], genders: dict[str, str]) -> dict[int, dict[str, str | None]]:
    """Per scene, the man and woman most often named as a subject (else most named): who "he" and "she"
    are before anyone is named as a subject. The viewpoint character is "she" most of the time, so
    the woman she thinks about can be named more often; it is the viewpoint who is named acting."""
    named: dict[int, dict[str, Counter]] = defaultdict(lambda: {"male": Counter(), "female": Counter()})
    acting: dict[int, dict[str, Counter]] = defaultdict(lambda: {"male": Counter(), "female": Counter()})
    for i, names in hits.items():
        segs = segments.get(i, ())
        scene = scene_of.get(i, 0)
        for ms, me, name in names:
            g = genders.get(name)
            if g in ("male", "female"):
                named[scene][g][name] += 1
                s = next((ss for ss, se in segs if ss <= ms < se), ms)
                if tn.is_subject_at(text, s, ms, me):
                    acting[scene][g][name] += 1
    return {k: {g: max(c, key=lambda n: (acting[k][g][n], c[n]), default=None) for g, c in v.items()}
            for k, v in named.items()}


def _rank(scores: Counter, *, share: float) -> list[str]:
    if not scores:
        return []
    top = max(scores.values())
    return [n for n, v in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if v >= share * top and v >= 2]


def describe(work: Work, quotes: list[Quote], people: list[Character], mentions: list[Mention], *,
             genders_given: bool = False) -> Narration:
    """Person, dominant tense and point-of-view characters of `work`, main one first."""
    story = read_story(work, quotes, people, genders_given=genders_given)
    first_person = story.person == "first"
    paragraphs = []
    scene_scores: dict[int, Counter] = defaultdict(Counter)
    scene_tense: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    chapter_tense: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    chapter_scores: dict[int, Counter] = defaultdict(Counter)
    total = [0.0, 0.0]
    for pr in story.paragraphs:
        past = present = 0.0
        cues = Counter()
        for s in pr.sentences:
            a, b = tn.score(s.verbs)
            past += a
            present += b
            for cue in s.cues:
                cues[cue.name] += cue.weight
        for acc in (scene_tense[pr.scene], chapter_tense[pr.chapter], total):
            acc[0] += past
            acc[1] += present
        presence = Counter({n: _PRESENCE * c for n, c in pr.named.items()})
        for acc in (scene_scores[pr.scene], chapter_scores[pr.chapter]):
            acc.update(cues)
            acc.update(presence)
        pov = _pov_name(cues, first_person, story.narrator)
        paragraphs.append({
            "paragraph": pr.index, "start": pr.start, "end": pr.end,
            "tense": tn.dominant(past, present), "pov": pov,
        })
    scenes = []
    for k, (start, end, chapter) in enumerate(story.scenes):
        scenes.append({
            "start": start, "end": end, "chapter": chapter,
            "tense": tn.dominant(*scene_tense[k], margin=1.0) if k in scene_tense else None,
            "pov": _pov_list(scene_scores[k], first_person, story.narrator),
        })
    chapters = []
    for c in sorted(chapter_tense):
        chapters.append({
            "chapter": c, "person": story.person,
            "tense": tn.dominant(*chapter_tense[c], margin=1.0),
            "pov": _pov_list(chapter_scores[c], first_person, story.narrator),
        })
    work_scores = Counter()
    for c in chapter_scores.values():
        work_scores.update(c)
    return Narration(
        person=story.person,
        tense=tn.dominant(*total, margin=1.0),
        pov=_pov_list(work_scores, first_person, story.narrator),
        chapters=chapters,
        scenes=scenes,
        paragraphs=paragraphs,
    )


def _pov_name(cues: Counter, first_person: bool, narrator: str | None) -> str | None:
    if first_person or narrator == READER:
        return narrator
    if not cues:
        return None
    (name, v), *rest = cues.most_common(2)
    if v >= 2 and (not rest or v > rest[0][1]):
        return name
    return None


def _pov_list(scores: Counter, first_person: bool, narrator: str | None) -> list[str]:
    """Characters whose inner life the narration reports, main first; the narrator in first person
    (and "Y/N", the reader, in a reader-insert story)."""
    if first_person or narrator == READER:
        return [narrator] if narrator else []
    return _rank(Counter({k: v for k, v in scores.items() if k != "I"}), share=0.35)
