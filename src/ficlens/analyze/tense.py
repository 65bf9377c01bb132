"""Tense of narration sentences from their finite verbs, found by rules instead of a parser.

A finite verb is found by what stands before it: a subject (pronoun, name, or a determiner and a
noun: "the birds became"), a coordinator after an earlier finite verb ("and looks"), or nothing at
all for forms that can only be finite (`was`, `is`, `became`). Its tense comes from its form: the
hand-written irregular table, `-ed` and `-s` morphology with their exceptions, and contractions
(`he's` is `he is` or `he has`: present either way). Each verb also records the kind of clause it
stands in, which `ficlens check` needs to tell a slip from a legitimate backshift ("the space she
was asking for" in a present-tense story).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import methodcaller

from ..model import trim
from . import lexicon as lx

VERSION = "1"

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|[,;:()—–]|\s-+\s")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bMx\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMme\.)(?<!\bMlle\.)"
    r"(?<!\bCapt\.)(?<!\bCol\.)(?<!\bRev\.)(?<!\bProf\.)(?<!\b[A-HJ-Z]\.)"  # "M. Riviere", "J. K. Rowling"; "than I." ends one
    r"[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n[ \t]*\r?\n\s*"
)

_BOUNDARY = ",;:()—–"
_RELATIVES = frozenset("that which who whom whose what how where why whatever".split())


@dataclass(slots=True)
class Verb:
    """A finite verb: its span, its tense, and the kind of clause it stands in.

    kind: "aux" (be/have/do), "lexical", "modal" (weak evidence: "could", "can", "she'd").
    clause: "main", "sub" (after a subordinator: `subordinator` says which), "embedded" (a second
    subject and verb inside a clause that already has one: "he finds he was thirsty").
    """

    start: int
    end: int
    word: str
    tense: str
    kind: str
    clause: str
    subordinator: str | None = None
    perfect: bool = False
    subject: str | None = None  # "sg", "pl", "it", "name", "noun" or None (coordinated)
    subject_word: str | None = None  # the subject pronoun or name as written, lower case


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], split after . ! ? … before a capital (not after "Mr." or an initial), and at blank lines."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if text[pos:m.start()].strip():
            out.append(trim(text, pos, m.start()))
        pos = m.end()
    if text[pos:end].strip():
        out.append(trim(text, pos, end))
    return out


_CLASS_CACHE: dict[str, str] = {}


def shape_of(w: str) -> str:
    """What a lower-case token could be, ignoring context."""
    cls = _CLASS_CACHE.get(w)
    if cls is not None:
        return cls
    if w in lx.PAST_AUX:
        cls = "past_aux"
    elif w in lx.PRESENT_AUX:
        cls = "present_aux"
    elif w in lx.PRESENT_AUX_AFTER_SUBJECT:
        cls = "do_have"
    elif w in lx.MODALS_PRESENT:
        cls = "modal_present"
    elif w in lx.MODALS_PAST:
        cls = "modal_past"
    elif w in lx.SUBJECT_SINGULAR:
        cls = "sg"
    elif w in lx.SUBJECT_PLURAL:
        cls = "pl"
    elif w in lx.SUBJECT_IT:
        cls = "it"
    elif "'" in w:
        head, _, tail = w.partition("'")
        tail = "'" + tail
        if head in lx.CONTRACTING_PRONOUNS and tail in lx.CONTRACTED_PRESENT_SUFFIXES:
            cls = "contracted_present"
        elif head in lx.CONTRACTING_PRONOUNS and tail == "'d":
            cls = "contracted_d"
        elif head in lx.CONTRACTING_PRONOUNS and tail == "'ll":
            cls = "contracted_ll"
        elif tail == "'s" or tail == "'":
            cls = "det"  # "Weston's fears": a possessive opens a noun phrase
        else:
            cls = "other"
    elif w in lx.ADVERBS or (w.endswith("ly") and len(w) > 4 and w not in ("fly", "rely", "reply", "apply", "supply")):
        cls = "adverb"
    elif w in lx.DETERMINERS:
        cls = "det"
    elif w in lx.SUBORDINATORS:
        cls = "subordinator"
    elif w in lx.COORDINATORS:
        cls = "coordinator"
    elif w in lx.IRREGULAR_PAST and w in lx.IRREGULAR:
        cls = "same_form"  # put, cut, shut, set, let, hit: past only after he/she/a name
    elif w in lx.IRREGULAR_PAST:
        cls = "past_only" if w in lx.PAST_ONLY and w not in lx.PAST_HOMOGRAPHS else "past_form"
    elif w.endswith("ed") and len(w) > 3 and w not in lx.ED_NOT_PAST:
        cls = "past_form"
    elif w in lx.THIRD_SINGULAR:
        cls = "s_verb"
    elif w.endswith("s") and len(w) > 3 and w not in lx.S_NOT_VERB and not w.endswith("ss"):
        cls = "s_word"
    elif w in lx.BASE_VERBS:
        cls = "base"
    elif w == "to":
        cls = "to"
    else:
        cls = "other"
    _CLASS_CACHE[w] = cls
    return cls


_FINITE_AFTER_SUBJECT = {
    # shape -> {subject kind: tense}
    "past_only": {"sg": "past", "pl": "past", "it": "past", "name": "past", "noun": "past"},
    "past_form": {"sg": "past", "pl": "past", "it": "past", "name": "past", "noun": "past"},
    "s_verb": {"sg": "present", "it": "present", "name": "present", "noun": "present"},
    "s_word": {"sg": "present"},
    "same_form": {"sg": "past", "name": "past"},
    "base": {"pl": "present"},
    "do_have": {"pl": "present"},
}


_NAME_LIKE = frozenset(("other", "s_word", "base", "s_verb", "past_form"))
_RAW_CACHE: dict[str, tuple[str, str, str]] = {}
_span = methodcaller("span")


def _raw_info(raw: str) -> tuple[str, str, str]:
    """(lower-case form, shape as the first word, shape elsewhere) of a token as written."""
    info = _RAW_CACHE.get(raw)
    if info is not None:
        return info
    if raw in _BOUNDARY or raw.strip().startswith("-"):
        info = (raw, "boundary", "boundary")
    else:
        w = raw.lower().replace("’", "'")
        shape = shape_of(w)
        named = shape
        if raw[0].isupper() and shape in _NAME_LIKE and w != "i":
            named = "name"
        info = (w, named if shape == "other" else shape, named)
    if len(_RAW_CACHE) < 200_000:
        _RAW_CACHE[raw] = info
    return info


def finite_verbs(text: str, start: int = 0, end: int | None = None) -> list[Verb]:
    """The finite verbs of one sentence (or any stretch of narration) text[start:end]."""
    end = len(text) if end is None else end
    words = _TOKEN.findall(text, start, end)
    spans = None  # token offsets, found only once a verb needs them
    out: list[Verb] = []
    subject: str | None = None  # kind of the subject waiting for its verb
    subject_word: str | None = None
    noun_run = 0
    clause, subordinator = "main", None
    clause_has_verb = False
    last_tense: str | None = None
    after_coordinator = False
    previous_shape = None
    n = len(words)
    for i in range(n):
        raw = words[i]
        w, first_shape, shape = _RAW_CACHE.get(raw) or _raw_info(raw)
        if i == 0:
            shape = first_shape
        before, previous_shape = previous_shape, shape
        if shape == "boundary":
            subject, noun_run = None, 0
            clause, subordinator, clause_has_verb = "main", None, False
            after_coordinator = False
            continue
        if shape == "other":
            if subject in ("det", "noun") and noun_run < 3:
                subject, noun_run = "noun", noun_run + 1
            elif w in _RELATIVES:
                pass
            else:
                subject, noun_run = None, 0
                continue

        tense = kind = None
        perfect = False
        if shape == "past_aux":
            tense, kind = "past", "aux"
            if w == "had" and i + 1 < n and words[i + 1] == "to":
                kind = "modal"
            elif w.startswith("had"):
                perfect = _participle_follows(words, i + 1)
        elif shape == "present_aux" or shape == "contracted_present":
            tense, kind = "present", "aux"
        elif shape == "contracted_d":
            tense, kind = "past", "modal"
            perfect = _participle_follows(words, i + 1)
        elif shape == "modal_present" or shape == "contracted_ll":
            tense, kind = "present", "modal"
        elif shape == "modal_past":
            tense, kind = "past", "modal"
        elif shape in _FINITE_AFTER_SUBJECT:
            if subject is not None:
                tense = _FINITE_AFTER_SUBJECT[shape].get(subject)
                if tense and shape == "past_form" and subject in ("noun", "name") and w.endswith("ed") and not _verb_stem(w):
                    tense = None
            elif after_coordinator and last_tense is not None:
                if shape in ("past_only", "past_form") and last_tense == "past":
                    tense = "past"
                elif shape == "s_verb" and last_tense == "present":
                    tense = "present"
            elif shape == "past_only" and i > 0 and before not in ("det", "to", "modal_present", "modal_past"):
                tense = "past"
            if tense is not None:
                kind = "lexical"

        if tense is not None:
            role = clause
            if clause_has_verb and subject is not None and clause in ("main", "sub") and not (clause == "main" and after_coordinator):
                role = "embedded"
            if shape.startswith("contracted"):
                head = w.split("'")[0]
                subject, subject_word = ("pl" if head in ("i", "we", "they", "you") else "sg"), head
            if spans is None:
                spans = list(map(_span, _TOKEN.finditer(text, start, end)))
            s, e = spans[i]
            out.append(Verb(s, e, raw, tense, kind, role, subordinator if role == "sub" else None, perfect,
                            subject, subject_word if subject in ("sg", "pl", "it", "name") else None))
            if role == "embedded":
                clause, subordinator = "embedded", None
            clause_has_verb = True
            last_tense = tense
            subject, noun_run = None, 0
            after_coordinator = False
            continue

        if shape == "adverb":
            continue
        if w in _RELATIVES and (clause_has_verb or subject is not None):
            clause, subordinator, clause_has_verb = "sub", w, False
            subject = "it" if w in ("that", "which", "who", "what") else None
            after_coordinator = False
            continue
        if shape in ("sg", "pl", "it", "name"):
            if subject == "noun" and shape in ("sg", "pl"):
                clause, subordinator, clause_has_verb = "sub", "that", False  # "the sacrifices she made"
            subject, noun_run, subject_word = shape, 0, w
            continue
        if shape == "det":
            subject, noun_run = "det", 0
            continue
        if shape == "other":
            continue
        if subject in ("det", "noun") and shape in ("s_word", "base", "s_verb", "past_form", "past_only") and noun_run < 3:
            subject, noun_run = "noun", noun_run + 1
            continue
        if shape == "subordinator" or w in _RELATIVES:
            clause, subordinator, clause_has_verb = "sub", w, False
            subject = None
            after_coordinator = False
            continue
        if shape == "coordinator":
            after_coordinator = True
            subject = None
            continue
        subject, noun_run = None, 0
    return out


def _participle_follows(words: list[str], i: int) -> bool:
    for j in range(i, min(i + 3, len(words))):
        w = words[j].lower()
        if w in lx.ADVERBS or w == "not" or w.endswith("ly"):
            continue
        return w in lx.IRREGULAR_PARTICIPLE or (w.endswith("ed") and w not in lx.ED_NOT_PAST) or w == "been"
    return False


def _verb_stem(w: str) -> bool:
    """Whether an -ed word comes from a known verb (after a noun, "the door opened" but not "the red-haired")."""
    stem = w[:-2]
    candidates = (stem, stem + "e", w[:-1], stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem, stem[:-1] + "y" if stem.endswith("i") else stem)
    return any(c in lx.BASE_VERBS for c in candidates)


WEIGHTS = {"aux": 1.0, "lexical": 1.0, "modal": 0.25}


def score(verbs: list[Verb]) -> tuple[float, float]:
    """(past, present) evidence of a list of verbs; past perfect counts half (it is backshift)."""
    past = present = 0.0
    for v in verbs:
        w = WEIGHTS[v.kind] * (0.5 if v.perfect else 1.0)
        if v.tense == "past":
            past += w
        else:
            present += w
    return past, present


def dominant(past: float, present: float, *, margin: float = 1.5) -> str | None:
    """"past" or "present" when one outweighs the other by `margin`, else None."""
    if past == present:
        return None
    if past >= margin * present and past > 0:
        return "past"
    if present >= margin * past and present > 0:
        return "present"
    return None


_VERBISH = frozenset(
    "past_form past_only same_form s_verb s_word past_aux present_aux modal_present modal_past adverb".split()
)
_NEXT_WORD = re.compile(r"[^A-Za-z.!?…]*([A-Za-z]+(?:['’][A-Za-z]+)*)")


def is_subject_at(text: str, sentence_start: int, start: int, end: int) -> bool:
    """A name opening its sentence or followed by a verb-looking word is the subject of a clause."""
    before = text[sentence_start:start].rstrip()
    if not before or before[-1] in ".!?…\"”":
        return True
    if text[end:end + 2] in ("'s", "’s"):
        return False
    m = _NEXT_WORD.match(text, end, end + 40)
    return bool(m) and shape_of(m.group(1).lower().replace("’", "'")) in _VERBISH
