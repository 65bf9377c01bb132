"""The figures writers compare: words, sentences, dialogue share, speech tags, adverbs in tags, reading time."""

from __future__ import annotations

import re
from collections import Counter

from ..analyze import tense as tn
from ..model import Quote, Work

WORDS_PER_MINUTE = 238  # average silent reading speed of adult readers of fiction (Brysbaert 2019)
_SPEECH_VERBS = frozenset(
    "said says say asked asks replied replies answered answers whispered whispers shouted shouts yelled yells "
    "muttered mutters murmured murmurs called calls cried cries snapped snaps added adds continued continues "
    "breathed breathes sighed sighs growled growls hissed hisses laughed laughs exclaimed exclaims "
    "demanded demands insisted insists begged begs pleaded pleads mumbled mumbles screamed screams "
    "told tells repeated repeats interrupted interrupts admitted admits confessed confesses agreed agrees "
    "offered offers suggested suggests warned warns reminded reminds managed manages reasoned reasons "
    "spoke speaks choked chokes gasped gasps groaned groans scoffed scoffs smirked smirks teased teases "
    "responded responds stated states explained explains wondered wonders".split()
)
_SAID = frozenset("said says say".split())
_TAG_AFTER = re.compile(r"^[,.!?…—-]?[”\"’']?\s*,?\s*(?:([A-Za-z]+)\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?)")


def count(work: Work, quotes: list[Quote]) -> dict:
    text = work.text
    story = [(p.start, p.end) for _, p in work.story_paragraphs()]
    words = sum(len(text[s:e].split()) for s, e in story)
    sentences = sum(len(tn.sentences(text, s, e)) for s, e in story)
    story_chars = sum(len(text[s:e].strip()) for s, e in story) or 1
    speech = [q for q in quotes if q.kind in ("speech", "thought")]
    dialogue_chars = sum(q.end - q.start for q in speech if q.kind == "speech")
    tags: Counter = Counter()
    adverbs: Counter = Counter()
    for q in speech:
        m = _TAG_AFTER.match(text[q.end:q.end + 60])
        if not m:
            continue
        a, b, c = (x.lower() if x else None for x in m.groups())
        verb, after = (b, c) if b in _SPEECH_VERBS else (a, b) if a in _SPEECH_VERBS else (None, None)
        if verb is None:
            continue
        tags[verb] += 1
        if after and after.endswith("ly") and len(after) > 4 and after not in ("only", "early", "family"):
            adverbs[after] += 1
    said = sum(v for k, v in tags.items() if k in _SAID)
    return {
        "words": words,
        "sentences": sentences,
        "dialogue_share": round(dialogue_chars / story_chars, 3),
        "quotes": len([q for q in quotes if q.kind == "speech"]),
        "tags": sum(tags.values()),
        "tags_said": said,
        "tags_other": sum(tags.values()) - said,
        "tag_verbs": dict(tags.most_common()),
        "adverbs_in_tags": dict(adverbs.most_common()),
        "reading_minutes": round(words / WORDS_PER_MINUTE, 1),
    }
