"""Tense drift and point-of-view slips in the narration.

Both are judged conservatively, because a false alarm costs a writer's trust more than a miss:
a verb off the story's tense is reported only in a main clause (or an "as"/"while" clause that
disagrees with its main clause), with both neighbouring narration sentences in the story's tense,
and never in a question, a reported thought, a flashback (past perfect, "earlier", "used to") or
after an impersonal subject ("it was strange", "the sky is blue"). A head-hop is a strong
cognition verb ("wondered", "felt", "realised") whose subject is not the character a scene is
clearly told through.
"""

from __future__ import annotations

import re
from collections import Counter

from ..analyze import lexicon as lx
from ..analyze import tense as tn
from ..analyze.narration import StoryReading
from .findings import Finding, Locator, make

_THOUGHT_TAG = re.compile(r"\b(?:he|she|I|they)\s+(?:thought|thinks|wondered|wonders|mused|muses|realised|realized)\b[.,!?]?", re.I)
_STRONG = frozenset(
    f for b in "think wonder realise realize feel fear hope wish dread regret worry imagine".split()
    for f in lx.verb_forms(b)
) - frozenset("feeling thinking hoping wishing".split())
_HABITUAL = frozenset("always usually often generally sometimes seldom".split())
_NARRATING_NOW = re.compile(r"\b(?:to this day|nowadays|today|these days)\b", re.I)
_I_COMMENT = re.compile(r"\bI (?:am|believe|think|suppose|know|confess|fear|hope|admit|remember|must|do not|don't)\b")
_COMPARATIVE = re.compile(r"\bas\s+\w+(?:\s+\w+)?\s+as\s+(?:\w+\s+){0,2}$|\bthan\s+(?:\w+\s+){0,2}$", re.I)
_SUBJECT_WORD = re.compile(r"([A-Za-z]+)(?:['’][a-z]+)?\s+(?:(?:could|couldn't|can|can't|cannot|did|didn't|does|doesn't|would|wouldn't|had|has|was|were|is|are|been|just|still|only|already|suddenly|finally|never|always|also|really|almost|barely|hardly|not|but|help|\w+ly)\s+){0,4}$")
_RELATIVE_BEFORE = re.compile(r"\b(?:who|whom|which|that|whose|whether|if|since)\s+(?:[A-Za-z.]+\s+){1,3}$", re.I)
_HYPOTHETICAL = re.compile(r"\W*(?:had|were|should)\s+(?:[A-Za-z.'’]+\s+){1,3}$", re.I)
# "she could not but do him the justice of feeling that ... he hoped": an inner verb or state before the
# cue, opening a "that" clause, makes the rest of the sentence the first one's view of the other.
_FRAMED = re.compile(r"\b(?:" + "|".join(sorted(lx.INNER_VERB_FORMS | lx.INNER_ADJECTIVES | {"feeling", "conviction", "belief", "sense"})) + r")\b(?:\W+\w+){0,3}\W+that\b", re.I)
# "would never have felt", "might have thought": what did not happen is nobody's inner life.
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|might|should)(?:\s+(?:never|not|hardly|scarcely))?\s+have\s+(?:\w+ly\s+)?$", re.I)
# "thought it right to", "think of telling", "thought the same": a judgement, a plan, an agreement.
_JUDGEMENT = re.compile(r"\s+(?:it\s+\w+|of\s+\w+ing\b|the\s+same\b|so\b|(?:best|fit|proper|right|necessary)\b)", re.I)
# "a letter came, saying he hoped to be back": what a character says they feel is speech, not their inner life.
_REPORTED = re.compile(
    r"\b(?:say|says|said|saying|told|tells|telling|wrote|writes|writing|declared|declares|declaring|assured|assures|"
    r"assuring|replied|answered|added|explained|promised|announced|protested|insisted|confessed|owned|admitted)\s+"
    r"(?:(?:her|him|them|me|us)\s+)?(?:that\s+)?[A-Za-z.]+\s+(?:(?:\w+ly|had|was|would|could|did|not|never)\s+){0,3}$",
    re.I)
_GUESSED = re.compile(r"\b(?:as if|as though|like|must|probably|perhaps|maybe|seemed|seems|likely|could tell|can tell|sure|certain|bet|guess|guesses|suspects|imagines)\b", re.I)


def _subject_before(text: str, sentence_start: int, cue_start: int) -> str | None:
    """The word the cue verb follows as its subject ("Clarke" in "Clarke suddenly wondered")."""
    m = _SUBJECT_WORD.search(text, max(sentence_start, cue_start - 80), cue_start)
    return m.group(1) if m else None


def _sentence_tense(s) -> str | None:
    past, present = tn.score([v for v in s.verbs if v.kind != "modal" and not v.perfect])
    return tn.dominant(past, present, margin=1.0)


def tense_findings(story: StoryReading, dominant: str | None, *, text: str, locate: Locator,
                   names: frozenset[str] = frozenset()) -> list[Finding]:
    """`names`: lower-case words of the characters' names, the only capitalised subjects trusted."""
    if dominant not in ("past", "present"):
        return []
    other = "present" if dominant == "past" else "past"
    out = []
    for p_index, pr in enumerate(story.paragraphs):
        sentences = pr.sentences
        for k, s in enumerate(sentences):
            body = text[s.start:s.end]
            if body.rstrip(" \"'”’)").endswith("?") or _THOUGHT_TAG.search(body):
                continue
            words = {w.lower() for w in re.findall(r"[A-Za-z]+", body)}
            if other == "past" and (words & lx.PAST_TIME_CUES or any(v.perfect for v in s.verbs)):
                continue  # a flashback inside a present-tense story; a past-tense one has no such licence
            slip = _slip(s.verbs, dominant, other, names, story.person)
            if slip is None:
                continue
            if other == "present" and (words & _HABITUAL or _NARRATING_NOW.search(body)
                                       or (story.person == "first" and _I_COMMENT.search(body))):
                continue  # "he always bets", "to this day she declares", "Mencken hates Paris, I believe"
            before = _neighbour(story, p_index, k, -1)
            after = _neighbour(story, p_index, k, +1)
            if slip.clause == "main" and not (before == dominant and after in (dominant, None)):
                continue
            if slip.clause == "sub" and before not in (dominant, None):
                continue
            if slip.clause == "sub" and _COMPARATIVE.search(text[s.start:slip.start]):
                continue  # "as brightly as she did": a comparison, not a simultaneous event
            message = (
                f"{'past' if other == 'past' else 'present'}-tense verb \"{slip.word}\" in a story told in the "
                f"{dominant} tense"
                + (f" (in an \"{slip.subordinator}\" clause whose main clause is {dominant})" if slip.clause == "sub" else "")
            )
            out.append(make("tense", slip.start, slip.end, (s.start, s.end), message, text=text, locate=locate))
    return out


def _slip(verbs: list[tn.Verb], dominant: str, other: str, names: frozenset[str], person: str | None) -> tn.Verb | None:
    """The off-tense verb of a sentence that cannot be a legitimate backshift, if there is one."""
    strong = [v for v in verbs if v.kind in ("aux", "lexical") and not v.perfect]
    for v in strong:
        if "'s" in v.word.replace("’", "'"):
            continue  # "everyone's room": a possessive as often as "is" or "has"
        if v.tense != other or v.subject in ("it", None):
            continue  # coordinated verbs and impersonal subjects ("it was strange") are left alone
        if other == "present" and not (v.subject in ("sg", "pl") or (v.subject == "name" and v.subject_word in names)):
            continue  # "the sky is blue", "Friendship is the finest balm": general truths in a past-tense story
        if other == "present" and (v.subject_word == "you" or (person == "first" and v.subject_word in ("i", "we"))):
            continue  # "you see", and a first-person narrator's own comment: "I confess I was surprised"
        if v.subject == "name" and v.subject_word not in names:
            continue  # a capitalised word that is no character ("Musical strains") may be no subject at all
        if v.clause == "main":
            mains = [u for u in strong if u.clause == "main"]
            if mains and mains[0] is v:
                return v
        if v.clause == "sub" and v.subordinator in lx.SIMULTANEOUS:
            mains = [u for u in strong if u.clause == "main" and u is not v]
            if mains and all(u.tense == dominant for u in mains):
                return v
    return None


def _neighbour(story: StoryReading, p_index: int, k: int, step: int) -> str | None:
    """Tense of the nearest narration sentence with verbs before (step -1) or after (+1), in the same scene."""
    scene = story.paragraphs[p_index].scene
    i, j = p_index, k + step
    while 0 <= i < len(story.paragraphs) and story.paragraphs[i].scene == scene:
        sentences = story.paragraphs[i].sentences
        while 0 <= j < len(sentences):
            t = _sentence_tense(sentences[j])
            if t is not None:
                return t
            if [v for v in sentences[j].verbs if v.kind != "modal"]:
                return "mixed"
            j += step
        i += step
        if 0 <= i < len(story.paragraphs):
            j = 0 if step > 0 else len(story.paragraphs[i].sentences) - 1
    return None


def _tally(cues, text: str) -> tuple[Counter, Counter, Counter, Counter]:
    """Cue weight per character: all cues, those naming the character, those of strong inner verbs,
    and the strong ones whose subject is a pronoun."""
    every, named, strong, strong_pronoun = Counter(), Counter(), Counter(), Counter()
    for cue in cues:
        every[cue.name] += cue.weight
        if cue.named:
            named[cue.name] += cue.weight
        if text[cue.start:cue.end].lower() in _STRONG:
            strong[cue.name] += cue.weight
            if not cue.named:
                strong_pronoun[cue.name] += cue.weight
    return every, named, strong, strong_pronoun


def _same_gender(genders: dict[str, str], a: str, b: str) -> bool:
    return genders.get(a) is not None and genders.get(a) == genders.get(b)


def _clear_lead(scores: Counter, least: float) -> str | None:
    ranked = scores.most_common(2) + [(None, 0.0)] * 2
    (name, top), (_, second) = ranked[0], ranked[1]
    return name if top >= least and top >= 1.75 * second else None


def _viewpoint(scores: Counter, named: Counter, genders: dict[str, str]) -> tuple[str | None, float]:
    """The one character a scene is clearly told through, and their cue weight, or (None, 0).

    Two women (or two men) close in cues are told apart by the cues that name them, two at least
    (one is as likely the slip itself): each "she thought" went to whichever woman was named last,
    so those cues cannot.
    """
    lead = _clear_lead(scores, 4.0)
    if lead is None and len(scores) > 1:
        (first, _), (second, _) = scores.most_common(2)
        if _same_gender(genders, first, second):
            lead = _clear_lead(named, 4.5)
            lead = lead if lead in (first, second) else None
    return (lead, scores[lead]) if lead else (None, 0.0)


def pov_findings(story: StoryReading, scenes: list[dict], *, text: str, locate: Locator) -> list[Finding]:
    """Head-hops: another character's strong inner verb inside a scene clearly told through one."""
    if story.person != "third":
        return []
    by_scene: dict[int, tuple[Counter, ...]] = {}
    for pr in story.paragraphs:
        totals = by_scene.setdefault(pr.scene, (Counter(), Counter(), Counter(), Counter()))
        for s in pr.sentences:
            for total, part in zip(totals, _tally(s.cues, text)):
                total.update(part)
    out = []
    for pr in story.paragraphs:
        scores, named_scores, strong_scores, pronoun_scores = by_scene.get(pr.scene, (Counter(),) * 4)
        if not scores:
            continue
        for s in pr.sentences:
            if text[s.start:s.end].rstrip(" \"'”’)").endswith("?"):
                continue  # a question in the narration is the point-of-view character wondering
            own, own_named, own_strong, own_pronoun = _tally(s.cues, text)
            rest, named_rest, strong_rest = scores - own, named_scores - own_named, strong_scores - own_strong
            pronoun_rest = pronoun_scores - own_pronoun
            if not rest:
                continue
            pov, top = _viewpoint(rest, named_rest, story.genders)
            if pov is None:
                continue  # no one character the scene is clearly told through
            for name, weight, cs, ce, _ in s.cues:
                if (name != pov and named_rest.get(name, 0.0) > named_rest.get(pov, 0.0)
                        and top < 4 * strong_rest.get(name, 0.0)):
                    continue  # named as a thinker more often than the presumed viewpoint, which leads narrowly
                word = text[cs:ce].lower()
                if name == pov or weight < 2 or word not in _STRONG:
                    continue
                inner = strong_rest.get(name, 0.0)
                if _same_gender(story.genders, name, pov):
                    inner -= pronoun_rest.get(name, 0.0)  # "she thought" in her scene is as likely hers
                if inner > max(2.0, 0.25 * top):
                    continue  # their inner life runs through the scene: told from several heads, not one slip
                subject = _subject_before(text, s.start, cs)
                if subject is None:
                    continue
                if subject.lower() in ("he", "she") and story.genders.get(pov) in (None, story.genders.get(name)):
                    continue  # "she wondered" in a woman's scene is most likely her own thought
                if _RELATIVE_BEFORE.search(text[max(s.start, cs - 80):cs]):
                    continue  # "whom he wished to see", "whether he had felt", "since she felt that": not the narration's own report
                if _GUESSED.search(text[max(s.start, cs - 60):cs]) or _HYPOTHETICAL.fullmatch(text[s.start:cs]):
                    continue  # "as though she knew", "she must have felt", "had he wished": the POV character's guess
                if _COUNTERFACTUAL.search(text, max(s.start, cs - 40), cs) or _REPORTED.search(text, max(s.start, cs - 60), cs):
                    continue
                if word.startswith("th") and _JUDGEMENT.match(text, ce):
                    continue
                if _FRAMED.search(text, s.start, cs):
                    continue
                message = f"{name}'s inner life (\"{text[cs:ce]}\") in a scene told through {pov}"
                out.append(make("pov", cs, ce, (s.start, s.end), message, text=text, locate=locate))
    return out
