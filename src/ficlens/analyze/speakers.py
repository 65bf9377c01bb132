"""Say who speaks each quote and to whom.

Every speech or thought quote gets the character who says it, by ranking the characters near it.
Each (quote, character) pair is described by a few features a reader would use: a speech tag that
names the character ("said Bellamy", "Clarke says") or refers to them ("he said", "the Grounder
leader snapped"), the character acting in the paragraph, the turn-taking of the exchange (A, B,
A, B), vocatives ("Clarke, wait" is not said by Clarke), and who was addressed last. A linear
model weighs the features and every pair of them (how much the last speaker counts depends on how
far back they were named; a frequent character matters more in bare dialogue); its weights are
learned from PDNC by `scripts/train_speakers.py` and ship as `data/speakers.json`, applied here in
pure Python. Quotes of one paragraph form one turn.

The confidence of an attribution is the model's probability for the chosen character against the
other candidates.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from ..model import Character, Mention, Quote, Work
from . import tense as tn
from .characters import HONORIFICS, READER

VERSION = "8"

SPOKEN = ("speech", "thought")
_VERB_STEMS = """say said ask repl answer cr exclaim whisper murmur mutter shout yell call add continu begin began
repeat return rejoin observ remark interrupt insist suggest snap growl hiss breath sigh laugh gasp demand
inquir enquir declar tell told respond retort mumbl manag reason confess admit remind wonder explain protest
plead beg argu agre offer announc stammer stutter chok croak drawl grumbl groan sob scream snarl spoke speak
went quot flash suppl scoff sneer whimper pant purr chuckl giggl smil grin nod shrug correct conclud pursu assur cut urg
command order warn promis conced persist proceed resum echo mus think thought hazard ventur volunteer interject
comment not point prompt press counter quer question reckon shriek squeal bark bellow roar rasp
groan moan wail whine mouth huff grunt snort sniff chirp hum sing sang interpos burst chim blurt bawl lisp intone
gush babbl splutter sputter falter holler coo simper titter howl proclaim conjectur ejaculat opin expostulat
remonstrat entreat implor exhort vociferat inform object broke caution reassur lament boast jeer taunt scold chid
coax cajol sooth hint gabbl""".split()
_VERB = re.compile(
    r"^(?:" + "|".join(sorted(_VERB_STEMS, key=len, reverse=True)) + r")[a-z]*$"
)
_NOT_VERBS = {"saying", "says's", "callous", "crowd", "cross", "cry", "cries", "answer", "order", "question",
              "thinking", "beginning", "promise", "comment", "note", "notes", "point", "points", "echo", "sing",
              "call", "tell", "ask", "say", "speak", "think", "breath", "breathing", "smile", "smiles", "grin",
              "grins", "nod", "nods", "shrug", "shrugs", "laugh", "laughs", "sigh", "sighs", "cut", "cuts"}
# "I say", "you ask": the bare verb is a tag only after the narrator's own pronoun.
_BASE_SPEECH = {"say", "ask", "tell", "reply", "answer", "whisper", "mutter", "murmur", "call", "shout", "snap",
                "add", "admit", "offer", "insist", "protest", "agree", "repeat", "demand", "yell", "sigh", "manage",
                "breathe", "croak", "lie", "point", "remind", "promise", "warn", "explain", "correct", "counter"}
_AUXILIARIES = {"had", "has", "have", "was", "is", "would", "could", "will", "then", "now", "again", "also", "only",
                "just", "still", "finally"}
_DEGREE = {"rather", "very", "quite", "so", "too", "again", "still", "once"}
_PHRASAL = {"put", "broke", "cut", "chimed", "called", "cried", "spoke", "burst"}  # "put in Lucy", "broke in Kitty"
_PARTICLES = {"in", "out", "up", "back", "on", "from"}
_NONSPEECH_FACES = {"smiled", "smiles", "grinned", "grins", "nodded", "nods", "shrugged", "shrugs"}
_WORDS = re.compile(r"[A-Za-zÀ-ÿ](?:[\w'’]|-(?=\w))*|[.!?;:—–]")
# Terms of address that tell the sex of the one spoken to.
_ADDRESS_GENDER = {
    **dict.fromkeys("sir mister papa pa daddy dad father uncle lord boy fellow chap lad son brother".split(), "male"),
    **dict.fromkeys("madam ma'am ma’am madame mademoiselle miss mamma mama mummy mommy mum mother aunt auntie "
                    "lady girl sister".split(), "female"),
}
_ADDRESS_TERMS = re.compile(
    r"\b(?:my |old |dear |my dear )?(?:" + "|".join(sorted(_ADDRESS_GENDER, key=len, reverse=True)) + r")\b",
    re.IGNORECASE)
_STYLE_WORDS = re.compile(r"[a-zà-ÿ]+(?:['’][a-z]+)?")
_NARRATOR_SELF = re.compile(r"\b(?:I|me|my|myself)\b")
_PRONOUNS = {"he": "male", "she": "female", "i": "I", "we": "we", "they": "they"}
_SPEECH_NOUNS = ("voice|reply|answer|words|tone|response|question|retort|whisper|remark|reasoning|injunction|"
                 "amendment|exclamation|comment|rejoinder|greeting|farewell|observation|view|verdict|advice|protest")
# "Clarke's voice", "Mr. Weston's quick amendment", "the view of Mr. Wadgers": the words are the owner's.
_VOICE = re.compile(r"^['’]s\s+(?:[a-z]+\s+){0,2}(?:" + _SPEECH_NOUNS + r")\b")
_VOICE_OF = re.compile(r"\b(?:" + _SPEECH_NOUNS + r")\s+of\s+$")
_BY_NAME = re.compile(r"\bby\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)\s*[,:—–-]$")
_OBJECT_BEFORE = {"to", "at", "with", "for", "from", "on", "upon", "towards", "toward", "of", "by", "and", "than",
                  "like", "into", "about", "behind", "beside", "near", "after", "before", "past", "over", "under"}
_CLAUSE_OPENERS = {"and", "but", "while", "whilst", "when", "as", "then", "so", "yet", "now", "till", "until", ";", ":",
                   "—", "–"}
_NOT_MODIFIERS = _OBJECT_BEFORE | _AUXILIARIES | _DEGREE | {
    "and", "but", "or", "nor", "yet", "that", "when", "while", "as", "if", "so", "not", "who", "which", "whom",
    "him", "her", "them", "me", "us", "you", "it", "this", "there", "here", "in", "out", "up", "down", "off", "back"}
_DESC_STOP = {"the", "a", "an", "of", "mr", "mrs", "miss", "ms", "dr", "sir", "lady", "lord", "de", "van", "der",
              "von", "la", "le", "and", "old", "young", "little", "his", "her", "my", "man", "woman", "in", "with"}
_OPEN_MARKS = "\"“‘'«"
_CLOSE_MARKS = "\"”’'»"
_NOT_AN_END = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)"  # "Mrs. Elton said" is one clause
_SENTENCE_END = re.compile(_NOT_AN_END + r"[.!?](?=\s)")
_CLAUSE_STOP = re.compile(_NOT_AN_END + r"[.!?;:](?:\s|$)|[" + _OPEN_MARKS + "]")
_GENDER_NOUNS = {
    "man": "male", "boy": "male", "gentleman": "male", "lad": "male", "father": "male", "brother": "male",
    "husband": "male", "son": "male", "uncle": "male", "king": "male", "prince": "male", "fellow": "male",
    "woman": "female", "girl": "female", "lady": "female", "mother": "female", "sister": "female",
    "wife": "female", "daughter": "female", "aunt": "female", "queen": "female", "princess": "female",
}

# "cried his wife": the relation, the sex of the relative, and the title a spouse or parent shares with
# the possessor's surname ("Mrs. Bennet" for Mr. Bennet's wife); siblings and children share the surname.
_RELATIONS = {
    "wife": ("female", "mrs"), "husband": ("male", "mr"), "mother": ("female", "mrs"), "father": ("male", "mr"),
    "sister": ("female", None), "brother": ("male", None), "daughter": ("female", None), "son": ("male", None),
}

FEATURES = (
    "tag_name", "tag_name_other", "tag_pron_match", "tag_pron_mismatch", "tag_pron_rank1", "tag_pron_rank2",
    "tag_I_narrator", "tag_desc_match", "tag_other", "subj_adjacent", "para_mention", "para_first",
    "vocative", "quote_mention", "prev_speaker", "prev_speaker_far", "prev2_speaker", "prev_addressee",
    "continuation", "rec1", "rec2", "rec3", "log_dist", "freq", "next_para", "narrator", "no_narration",
    "prev_speaker_dialogue", "prev2_speaker_dialogue", "narrator_I_quote", "prev_para_subject",
    "next_tag_name", "next2_tag_name", "next_speaker", "next2_speaker", "pron_and_prev", "pron_and_prev2",
    "prev_para_pronoun", "tag_pron_subject", "tag_relative",
    "conv_addressed", "conv_narrated", "parity_same", "parity_other", "parity_pron_same", "parity_pron_other",
    "address_gender", "prev_address_gender", "style", "subj_pron_match", "subj_pron_rank1",
)
_FEATURE_RANK = {k: i for i, k in enumerate(FEATURES)}


@dataclass
class Tag:
    """What the narration next to a quote says about its speaker."""

    kind: str  # "name" | "pronoun" | "desc" | "subject" (who acts next to the quote: a name, or "he"/"she")
    who: str | None = None  # Character.id for "name" and a named "subject"
    pronoun: str | None = None
    words: tuple[str, ...] = ()
    addressee: str | None = None
    end: int = 0  # where the words naming the speaker end
    near: bool = True  # False for the subject of the narration paragraph before the quote


@dataclass
class Turn:
    """The speech and thought quotes of one paragraph, said by one speaker."""

    paragraph: int  # position among the story paragraphs
    quotes: list[int]  # indices into Context.quotes
    tags: list[Tag] = field(default_factory=list)
    vocatives: list[str] = field(default_factory=list)
    quote_mentions: set[str] = field(default_factory=set)
    narration_mentions: list[str] = field(default_factory=list)
    has_narration: bool = False
    ends_unclosed: bool = False
    uses_I: bool = False
    addressed: set[str] = field(default_factory=set)  # "male" / "female": "Yes, sir", "Oh, mamma"
    words: Counter = field(default_factory=Counter)  # the words of its quotes, lowercased
    named: set[str] = field(default_factory=set)  # whom its tags next to the quotes name
    pronouns: set[str] = field(default_factory=set)  # "male" / "female": its "he said", "she said"


@dataclass
class Context:
    """Everything the features look at, computed once per work."""

    text: str
    paragraphs: list[tuple[int, int]]
    people: dict[str, Character]
    quotes: list[Quote]
    turns: list[Turn]
    mention_starts: list[int]
    mentions: list[Mention]
    mention_in_quote: list[bool]
    freq: dict[str, float]
    narrator: str | None
    alias_words: dict[str, set[str]]
    word_index: dict[str, set[str]] = field(default_factory=dict)  # alias word -> Character ids
    gender: dict[str, str | None] = field(default_factory=dict)  # Character id -> gender, with the dialogue's evidence
    reader: bool = False  # the narrator is the reader of a reader-insert story: "you say" is their tag
    mention_subject: list[bool] = field(default_factory=list)  # the mention is the subject of its clause
    narrator_said: list[int] = field(default_factory=list)
    style: Style | None = None
    conversation: list[_Conversation] = field(default_factory=list)  # per turn
    static_scores: list[dict[str, float]] = field(default_factory=list)  # per turn and candidate, by `scored_by`
    scored_by: dict | None = None  # where the narration says "I", "me", "my": the narrator is there
    facts: dict[int, _TurnFacts] = field(default_factory=dict)  # per turn, filled as the decoder reaches it


def attribute(
    work: Work, quotes: list[Quote], people: list[Character], mentions: list[Mention], *, weights: dict | None = None
) -> list[Quote]:
    """`quotes` with speaker, addressee, confidence and method filled in for speech and thought.

    `weights` replaces the shipped model (cross-validation trains its own per fold).
    """
    ctx = context(work, quotes, people, mentions)
    weights = weights or model_weights()
    first, _, _ = decode(ctx, weights, beam=1)
    speakers, addressees, confidences = decode(ctx, weights, later=first)
    out = list(quotes)
    for t, turn in enumerate(ctx.turns):
        best = speakers[t]
        if best is None:
            continue
        name = ctx.people[best].name
        to = ctx.people[addressees[t]].name if addressees[t] else None
        conf, method = confidences[t]
        for qi in turn.quotes:
            out[qi] = replace(out[qi], speaker=name, addressee=to, confidence=conf, method=method)
    return out


BEAM = 3  # hypotheses kept per turn: a wrong guess early in an untagged exchange need not flip every later turn
PRUNE = math.log(1000.0)  # nor is one a thousand times less likely than the best worth carrying on


def decode(ctx: Context, weights: dict[str, float], *, later: list[str | None] | None = None, beam: int = BEAM):
    """Speakers, addressees and confidences of every turn, the most probable sequence a beam search finds.

    Each turn's candidates are scored given the speakers chosen before it (who spoke last, two turns back,
    who was addressed); `later` gives the next turns' speakers from a first pass. Hypotheses that agree on
    the last three speakers and the last addressee score every later turn alike, so only the best is kept.
    """
    model = compile_model(weights)
    # A hypothesis: (log probability, its last three speakers, its last addressee, index of its step).
    hyps: list[tuple[float, tuple, list, int]] = [(0.0, (), [None], -1)]
    steps: list[tuple[int, str | None, str | None, tuple[float, str]]] = []  # (parent step, speaker, addressee, confidence)
    if ctx.scored_by is not weights:  # the text-only scores of each turn's candidates, kept between passes
        ctx.static_scores = [{} for _ in ctx.turns]
        ctx.scored_by = weights
    static_scores = ctx.static_scores
    for t in range(len(ctx.turns)):
        grown: dict[tuple, tuple[float, tuple, list, int]] = {}
        turn = ctx.turns[t]
        facts = _turn_facts(ctx, t)
        continues = facts.adjacent and facts.prev.ends_unclosed and not facts.name_tags
        told_to: dict[tuple, str | None] = {}
        for logp, last, told, parent in hyps:
            feats: dict[str, dict[str, float]] = {}
            scores: dict[str, float] = {}
            for c in _candidates(ctx, facts, t, last, told):
                static = _static_features(ctx, t, facts, c)
                if static.get("vocative"):
                    continue  # "Clarke, wait" is never said by Clarke.
                if c not in static_scores[t]:
                    static_scores[t][c] = model.score(static)
                feats[c] = static
                history = _history_features(turn, t, facts, c, static, last, told, later)
                scores[c] = static_scores[t][c] + model.score(history) + model.cross(history, static)
            options: list[tuple[float, str | None, tuple[float, str]]] = [(0.0, None, (0.0, "implicit"))]
            if feats:
                top = max(scores.values())
                log_z = top + math.log(sum(math.exp(v - top) for v in scores.values()))
                ranked = [c for c in sorted(scores, key=scores.get, reverse=True)[:beam] if scores[c] >= top - PRUNE]
                options = [(scores[c] - log_z, c, (round(math.exp(scores[c] - log_z), 3), _method(feats[c]))) for c in ranked]
            if continues and last and last[-1] in scores:
                # A paragraph that ends inside a quote goes on in the next (170 of 172 times in PDNC).
                options = [(0.0, last[-1], (steps[parent][3][0], "implicit"))]
            for lp, c, conf in options:
                if (c, last[-1:]) not in told_to:  # whom c speaks to depends on the last speaker only
                    told_to[c, last[-1:]] = addressee_of(ctx, t, c, last) if c else None
                to = told_to[c, last[-1:]]
                key = (*last[-2:], c, to)
                if key not in grown or grown[key][0] < logp + lp:
                    steps.append((parent, c, to, conf))
                    grown[key] = (logp + lp, (*last[-2:], c), [to], len(steps) - 1)
        hyps = sorted(grown.values(), key=lambda h: h[0], reverse=True)[:beam]
        hyps = [h for h in hyps if h[0] >= hyps[0][0] - PRUNE]
    said: list[str | None] = []
    told: list[str | None] = []
    confidences: list[tuple[float, str]] = []
    k = hyps[0][3]
    while k >= 0:
        k, c, to, conf = steps[k]
        said.append(c)
        told.append(to)
        confidences.append(conf)
    return said[::-1], told[::-1], confidences[::-1]


@dataclass(frozen=True)
class Model:
    """Weights of single features and of feature pairs ("prev_speaker*log_dist"), ready to score."""

    linear: dict[str, float]
    pairs: dict[str, dict[str, float]]  # symmetric: pairs[a][b] == pairs[b][a]

    def score(self, f: dict[str, float]) -> float:
        """Linear score of `f`, with the weight of every pair of its features."""
        linear, pairs = self.linear, self.pairs
        items = list(f.items())
        total = 0.0
        for i, (a, va) in enumerate(items):
            total += linear.get(a, 0.0) * va
            partners = pairs.get(a)
            if partners:
                for b, vb in items[i + 1:]:
                    w = partners.get(b)
                    if w:
                        total += w * va * vb
        return total

    def cross(self, f: dict[str, float], g: dict[str, float]) -> float:
        """The weight of the pairs with one feature in `f` and one in `g` (disjoint sets)."""
        total = 0.0
        for a, va in f.items():
            partners = self.pairs.get(a)
            if partners:
                for b, vb in g.items():
                    w = partners.get(b)
                    if w:
                        total += w * va * vb
        return total


def compile_model(weights: dict[str, float]) -> Model:
    pairs: dict[str, dict[str, float]] = {}
    for k, w in weights.items():
        if "*" in k:
            a, b = k.split("*")
            pairs.setdefault(a, {})[b] = w
            pairs.setdefault(b, {})[a] = w
    return Model({k: w for k, w in weights.items() if "*" not in k}, pairs)


def crossed(f: dict[str, float]) -> dict[str, float]:
    """`f` with the product of every pair of its features, named "a*b" in FEATURES order."""
    keys = sorted(f, key=_FEATURE_RANK.__getitem__)
    out = dict(f)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            out[f"{a}*{b}"] = f[a] * f[b]
    return out


def weight_names() -> list[str]:
    """Every weight the model can have: the features, then their pairs."""
    return [*FEATURES, *(f"{a}*{b}" for i, a in enumerate(FEATURES) for b in FEATURES[i + 1:])]


@lru_cache(maxsize=1)
def model_weights() -> dict[str, float]:
    data = json.loads(resources.files("ficlens").joinpath("data", "speakers.json").read_text(encoding="utf-8"))
    return data["weights"]


def _method(f: dict[str, float]) -> str:
    if f.get("tag_name"):
        return "explicit"
    if f.get("tag_pron_match") or f.get("tag_desc_match") or f.get("tag_I_narrator"):
        return "anaphoric"
    return "implicit"


def addressee_of(ctx: Context, t: int, speaker: str, speakers: list[str | None]) -> str | None:
    """Whom turn `t` is said to; `speakers` are the speakers of the turns before it."""
    turn = ctx.turns[t]
    for v in turn.vocatives:
        if v != speaker:
            return v
    for tag in turn.tags:
        if tag.addressee and tag.addressee != speaker:
            return tag.addressee
    if t > 0 and speakers[-1] and speakers[-1] != speaker:
        prev = ctx.turns[t - 1]
        if turn.paragraph - prev.paragraph <= 4:
            return speakers[-1]
    # Nobody spoke just before: the other character the narration named last, in this paragraph or the one before.
    p = turn.paragraph
    floor = ctx.paragraphs[p - 1][0] if p > 0 else ctx.paragraphs[p][0]
    for c, d in _recency(ctx, ctx.quotes[turn.quotes[0]].start, window=ctx.quotes[turn.quotes[0]].start - floor):
        if c != speaker:
            return c
    return None


def context(work: Work, quotes: list[Quote], people: list[Character], mentions: list[Mention]) -> Context:
    text = work.text
    paragraphs = [(p.start, p.end) for _, p in work.story_paragraphs()]
    para_starts = [s for s, _ in paragraphs]
    by_id = {c.id: c for c in people}
    ms = sorted(mentions, key=lambda m: m.start)
    order = sorted(range(len(quotes)), key=lambda i: quotes[i].start)
    q_starts = [quotes[i].start for i in order]
    q_ends = [quotes[i].end for i in order]
    in_quote = _in_quotes(ms, q_starts, q_ends)
    counts: dict[str, int] = {}
    for m in ms:
        counts[m.character] = counts.get(m.character, 0) + 1
    total = max(1, len(ms))
    freq = {c: math.log(1 + 1000 * n / total) / math.log(1001) for c, n in counts.items()}
    alias_words = {
        c.id: {w.lower().strip(".") for n in [c.name, *c.aliases] for w in n.split()} for c in people
    }
    relations = _relation_mentions(text, ms, in_quote, by_id, q_starts, q_ends)
    if relations:
        ms = sorted(ms + relations, key=lambda m: m.start)
        in_quote = _in_quotes(ms, q_starts, q_ends)
    ctx = Context(text, paragraphs, by_id, quotes, [], [m.start for m in ms], ms, in_quote, freq, None, alias_words)
    ctx.mention_subject = [not q and _is_subject(text, m.start, m.end) for m, q in zip(ms, in_quote)]
    for cid, words in alias_words.items():
        for w in words - _DESC_STOP:
            ctx.word_index.setdefault(w, set()).add(cid)
    ctx.narrator = _narrator(ctx, work, quotes)
    if ctx.narrator is None:
        ctx.narrator = next((c.id for c in people if c.name == READER), None)
        ctx.reader = ctx.narrator is not None
    elif ctx.narrator is not None:
        for m in _NARRATOR_SELF.finditer(text):
            k = bisect_right(q_starts, m.start()) - 1
            if not (k >= 0 and q_ends[k] >= m.end()):
                ctx.narrator_said.append(m.start())
    # Turns: the spoken quotes of each paragraph.
    by_para: dict[int, list[int]] = {}
    for i in order:
        q = quotes[i]
        if q.kind not in SPOKEN:
            continue
        p = bisect_right(para_starts, q.start) - 1
        if p < 0 or q.start >= paragraphs[p][1]:
            continue
        by_para.setdefault(p, []).append(i)
    all_by_para: dict[int, list[int]] = {}
    for i in order:
        p = bisect_right(para_starts, quotes[i].start) - 1
        if p >= 0:
            all_by_para.setdefault(p, []).append(i)
    for p in sorted(by_para):
        ctx.turns.extend(_turns(ctx, p, by_para[p], all_by_para.get(p, [])))
    ctx.gender = _dialogue_gender(ctx)
    ctx.style = Style.learn(ctx)
    for turns in _conversations(ctx):
        conv = _conversation_facts(ctx, turns)
        ctx.conversation.extend(conv for _ in turns)
    return ctx


def _in_quotes(ms: list[Mention], q_starts: list[int], q_ends: list[int]) -> list[bool]:
    out = []
    for m in ms:
        k = bisect_right(q_starts, m.start) - 1
        out.append(k >= 0 and q_ends[k] >= m.end)
    return out


_RELATION = re.compile(r"\b([Hh]is|[Hh]er) (wife|husband|mother|father|sister|brother|daughter|son)\b")
_RELATION_REACH = 3000  # characters back to look for the relative among those the story has just named


def _relation_mentions(text: str, ms: list[Mention], in_quote: list[bool], people: dict[str, Character],
                       q_starts: list[int], q_ends: list[int]) -> list[Mention]:
    """Mentions of characters the narration calls by their relation: "her mother followed her" names
    Mrs. Bennet when "her" is Elizabeth, so the "she cried" after it is Mrs. Bennet's.

    The possessor is the last man (for "his") or woman named before; the relative is the one character of
    the relation's sex who shares their surname (with "Mrs." for a wife or mother, "Mr." for a husband
    or father) — and of several, the one named last within a few paragraphs.
    """
    starts = [m.start for m in ms]
    out = []
    for match in _RELATION.finditer(text):
        q = bisect_right(q_starts, match.start()) - 1
        if q >= 0 and q_ends[q] >= match.end():
            continue
        k = bisect_left(starts, match.start())
        owner_sex = "male" if match.group(1).lower() == "his" else "female"
        owner = next((ms[j].character for j in range(k - 1, max(-1, k - 40), -1)
                      if not in_quote[j] and people[ms[j].character].gender == owner_sex), None)
        if owner is None:
            continue
        sex = _RELATIONS[match.group(2)][0]
        kin = _kin(people, owner, match.group(2), (c for c, ch in people.items() if ch.gender == sex), married=False)
        if len(kin) > 1:
            recent = [ms[j].character for j in range(k - 1, -1, -1)
                      if ms[j].start > match.start() - _RELATION_REACH and ms[j].character in kin]
            kin = {recent[0]} if recent else set()
        if len(kin) == 1:
            out.append(Mention(match.start(), match.end(), kin.pop()))
    return out


STYLE_WEIGHT = 0.3  # how much of a character's word probabilities is their own usage, against the whole dialogue's


@dataclass
class Style:
    """How each character talks, learned from the turns a name tag gives them: their word frequencies
    mixed with the whole dialogue's, so "mademoiselle" and "mon ami" point to Poirot."""

    background: Counter
    total: int
    own: dict[str, Counter]
    teacher: dict[int, str]  # turn index -> the character whose words it taught
    gain: dict[str, dict[str, float]] = field(default_factory=dict)  # per character, log(P(w|c) / P(w))

    @classmethod
    def learn(cls, ctx: Context) -> Style:
        background: Counter = Counter()
        own: dict[str, Counter] = {}
        teacher: dict[int, str] = {}
        for t, turn in enumerate(ctx.turns):
            background.update(turn.words)
            if len(turn.named) == 1:
                (c,) = turn.named
                own.setdefault(c, Counter()).update(turn.words)
                teacher[t] = c
        style = cls(background, sum(background.values()), own, teacher)
        for c, words in own.items():
            n = sum(words.values())
            style.gain[c] = {w: style._gain(w, m, n) for w, m in words.items()}
        return style

    def _gain(self, w: str, m: int, n: int) -> float:
        share = m / n / (self.background[w] / self.total)
        return math.log(1 + STYLE_WEIGHT / (1 - STYLE_WEIGHT) * share)

    def score(self, t: int, words: Counter, c: str) -> float:
        """Log-likelihood ratio per word of turn `t`'s words under c's model against the whole dialogue's;
        a turn never counts as evidence for itself."""
        gain = self.gain.get(c)
        n = sum(words.values())
        if gain is None or n == 0:
            return 0.0
        if self.teacher.get(t) == c:
            own = self.own[c]
            rest = sum(own.values()) - n
            if rest <= 0:
                return 0.0
            return sum(k * self._gain(w, own[w] - k, rest) for w, k in words.items() if own[w] > k) / n
        return sum(k * gain[w] for w, k in words.items() if w in gain) / n


def _dialogue_gender(ctx: Context) -> dict[str, str | None]:
    """Genders the narration left open, from the dialogue: in '"Clarke." He breathes.' Clarke is not "he"."""
    gender = {c: p.gender for c, p in ctx.people.items()}
    votes: dict[str, Counter] = {}
    opposite = {"male": "female", "female": "male"}
    for turn in ctx.turns:
        pronouns = {tag.pronoun for tag in turn.tags if tag.kind == "pronoun" and tag.pronoun in opposite}
        if len(pronouns) != 1:
            continue
        (pr,) = pronouns
        for v in set(turn.vocatives):
            if gender.get(v) is None:
                votes.setdefault(v, Counter())[opposite[pr]] += 1
    for c, v in votes.items():
        (g, n), *rest = v.most_common()
        if not rest or n >= 2 * rest[0][1] + 1:
            gender[c] = g
    return gender


def _narrator(ctx: Context, work: Work, quotes: list[Quote]) -> str | None:
    """The first-person narrator: a frequent character named mostly by others, in their speech."""
    sample = ctx.text[: 200_000]
    spans = sorted((q.start, q.end) for q in quotes if q.start < 200_000)
    pieces, last = [], 0
    for s, e in spans:
        pieces.append(sample[last:s])
        last = max(last, e)
    pieces.append(sample[last:])
    narration = " ".join(pieces)
    first = len(re.findall(r"\b(?:I|me|my|myself)\b", narration))
    third = len(re.findall(r"\b(?:he|she|him|her|his)\b", narration))
    if first < 0.5 * third or first < 20:
        return None
    addressed: dict[str, int] = {}
    outside: dict[str, int] = {}
    for q in quotes:
        if q.kind not in SPOKEN:
            continue
        for k in _mentions_between(ctx, q.start, q.end):
            m = ctx.mentions[k]
            if _is_vocative(q.text, m.start - q.start, m.end - q.start):
                addressed[m.character] = addressed.get(m.character, 0) + 1
    for m, inq in zip(ctx.mentions, ctx.mention_in_quote):
        if not inq:
            outside[m.character] = outside.get(m.character, 0) + 1
    best, best_score = None, 0.0
    fewest = 2 if len(quotes) < 200 else 3  # a short story has few chances to name its narrator
    for c, n in addressed.items():
        if n < fewest:
            continue
        s = n * n / (outside.get(c, 0) + 1)
        if s > best_score:
            best, best_score = c, s
    return best if best_score >= 2 else None


def _is_subject(text: str, start: int, end: int) -> bool:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 80), start)]
    floor = max(ends[-1] if ends else max(0, start - 80), text.rfind("\n", max(0, start - 80), start) + 1)
    return tn.is_subject_at(text, floor, start, end)


def _pronoun_subject(ctx: Context, pos: int, floor: int, gender: str) -> str | None:
    """The last character of `gender` named as a clause subject in the narration between floor and pos."""
    k = bisect_left(ctx.mention_starts, pos) - 1
    while k >= 0 and ctx.mentions[k].start >= floor:
        m = ctx.mentions[k]
        if ctx.mention_subject[k] and ctx.gender.get(m.character) == gender:
            return m.character
        k -= 1
    return None


def _mentions_between(ctx: Context, start: int, end: int) -> list[int]:
    return list(range(bisect_left(ctx.mention_starts, start), bisect_left(ctx.mention_starts, end)))


def _turns(ctx: Context, p: int, spoken: list[int], every: list[int]) -> list[Turn]:
    """The turns of paragraph p: one, unless its tags name two different speakers."""
    text = ctx.text
    ps, pe = ctx.paragraphs[p]
    spans = sorted((ctx.quotes[i].start, ctx.quotes[i].end) for i in every)
    # Narration: the paragraph without its quotes.
    narr_len = 0
    last = ps
    for s, e in spans:
        narr_len += len(text[last:max(last, s)].strip(_OPEN_MARKS + _CLOSE_MARKS + " \t\r\n,.—–-"))
        last = max(last, e)
    narr_len += len(text[last:pe].strip(_OPEN_MARKS + _CLOSE_MARKS + " \t\r\n,.—–-"))
    narration_mentions = [ctx.mentions[k].character for k in _mentions_between(ctx, ps, pe) if not ctx.mention_in_quote[k]]
    tags: list[Tag | None] = []
    for i in spoken:
        q = ctx.quotes[i]
        idx = spans.index((q.start, q.end))
        after_end = spans[idx + 1][0] if idx + 1 < len(spans) else pe
        before_start = spans[idx - 1][1] if idx > 0 else ps
        after, before = _tag_after(ctx, q.end, after_end), _tag_before(ctx, before_start, q.start)
        if before and idx + 1 < len(spans) and _introduces_next(text, q, after_end):
            after, before = before, after  # 'Milly said, "Are you?" Babs said, "Have you?"': "Babs said" is the next one's
        elif before and after and _leads_in(text, q.start) and _new_sentence_after(text, q):
            # 'Evie gasped: "Dolly is a rotter!" Then Margaret went down.': the tag is the one before.
            after, before = before, after
        found = [t for t in (after, before) if t]
        if idx == 0 and q.start - ps <= 2 and p > 0:
            found.extend(_tag_from_previous(ctx, p))
        speech = [t for t in found if t.kind != "subject"]
        tags.append((speech or found or [None])[0])
    groups: list[list[int]] = []
    referent = None
    for k, tag in enumerate(tags):
        ref = _referent(tag)
        if groups and not (ref and referent and ref != referent and (ref, referent) != ("I", "we")
                           and not _desc_and_pronoun(ref, referent)):
            groups[-1].append(k)
        else:
            groups.append([k])
            referent = None
        referent = referent or ref
    out = []
    for g in groups:
        turn = Turn(paragraph=p, quotes=[spoken[k] for k in g])
        turn.tags = [tags[k] for k in g if tags[k]]
        turn.named = {tag.who for tag in turn.tags if tag.kind == "name" and tag.near}
        turn.pronouns = {tag.pronoun for tag in turn.tags if tag.kind == "pronoun" and tag.near} & {"male", "female"}
        turn.has_narration = narr_len > 0
        turn.narration_mentions = narration_mentions
        named = {tag.who for tag in turn.tags if tag.kind == "name"}
        for i in turn.quotes:
            q = ctx.quotes[i]
            for k in _mentions_between(ctx, q.start, q.end):
                m = ctx.mentions[k]
                if m.character in named and q.text.strip(" \t\r\n,.!?;:—–-…") == ctx.text[m.start:m.end]:
                    continue  # '"Griffin," answered the Voice': a name alone, said by its owner, answers
                if _is_vocative(q.text, m.start - q.start, m.end - q.start):
                    turn.vocatives.append(m.character)
                else:
                    turn.quote_mentions.add(m.character)
            if re.search(r"\b(?:I|I'm|I’m|me|my)\b", q.text):
                turn.uses_I = True
            turn.words.update(_STYLE_WORDS.findall(q.text.lower()))
            for m in _ADDRESS_TERMS.finditer(q.text):
                if _is_vocative(q.text, m.start(), m.end()):
                    turn.addressed.add(_ADDRESS_GENDER[m.group().lower().split()[-1]])
        last_q = ctx.quotes[turn.quotes[-1]]
        # The paragraph's own last mark decides, not the character after the span: a span may run past it.
        turn.ends_unclosed = last_q.end >= pe - 1 and text[ps:pe].rstrip()[-1:] not in _CLOSE_MARKS
        out.append(turn)
    return out


def _referent(tag: Tag | None):
    """Whom a tag points at: a character id, a pronoun, or a description's words ("a haughty nephew")."""
    if tag is None:
        return None
    if tag.kind in ("name", "pronoun"):
        return tag.who or tag.pronoun
    return tag.words if tag.kind == "desc" else None


def _desc_and_pronoun(a, b) -> bool:
    """ "said the old man. He added": the pronoun may well be the description's person."""
    return (isinstance(a, tuple) and b in _PRONOUNS.values()) or (isinstance(b, tuple) and a in _PRONOUNS.values())


def _leads_in(text: str, start: int) -> bool:
    """The narration runs into the quote: 'Evie gasped: "', 'the Queen said severely "'."""
    before = text[max(0, start - 40):start].rstrip(_OPEN_MARKS + " \t\r\n")
    return before[-1:] in (",", ":", "—", "–", "-") or before[-1:].isalpha()


def _new_sentence_after(text: str, q: Quote) -> bool:
    """The quote ends its sentence and a capitalised one follows ('"Oh, do stop!" Then Margaret went')."""
    own = text[q.start:q.end].rstrip(_CLOSE_MARKS + " ")
    after = text[q.end:q.end + 40].lstrip(_CLOSE_MARKS + " \t")
    return own[-1:] in (".", "!", "?") and after[:1].isupper()


def _introduces_next(text: str, q: Quote, next_start: int) -> bool:
    """The narration after a quote that ends a sentence leads into the next quote ("... Babs said, ")."""
    own = text[q.start:q.end].rstrip(_CLOSE_MARKS + " ")
    between = text[q.end:next_start].rstrip(_OPEN_MARKS + " \t\r\n")
    return own[-1:] in (".", "!", "?") and between[-1:] in (",", ":")


def _quote_inside(ctx: Context, start: int, end: int) -> bool:
    text = ctx.text[start:end]
    return any(ch in text for ch in _OPEN_MARKS if ch != "'")


def _tag_from_previous(ctx: Context, p: int) -> list[Tag]:
    """A tag that ends the paragraph before the quote: 'Mr. Collins ... replied,' or 'accosted by Miss Bingley,'."""
    ps, pe = ctx.paragraphs[p - 1]
    tail = ctx.text[max(ps, pe - 200):pe].rstrip()
    if not tail or tail[-1] in _CLOSE_MARKS:
        return []
    if tail[-1] not in ",:—-–" and not tail[-1].isalpha():
        # "Mrs. Hurst began again." closing a paragraph of narration; one that stops mid-sentence
        # ("the Secretary said") leads into the quote like "said," does.
        if _quote_inside(ctx, ps, pe):
            return []
        tag = _tag_before(ctx, max(ps, pe - 200), pe)
        if tag is None:
            last = re.split(r"(?<=[.!?])\s+", tail)[-1]
            first = last.split(maxsplit=1)[0].lower() if last.split() else ""
            if first in ("he", "she"):
                tag = Tag("pronoun", pronoun=_PRONOUNS[first])
        if tag is None or tag.kind not in ("name", "subject", "pronoun"):
            return []
        tag.near = False
        return [tag]
    k = bisect_left(ctx.mention_starts, pe - 200)
    by = _BY_NAME.search(tail)
    if by:
        for j in range(k, bisect_left(ctx.mention_starts, pe)):
            m = ctx.mentions[j]
            if m.start >= pe - len(tail) + by.start(1):
                return [Tag("name", who=m.character, end=m.end)]
    tag = _tag_before(ctx, max(ps, pe - 200), pe)
    return [tag] if tag and tag.kind != "subject" else []


def _is_vocative(text: str, s: int, e: int) -> bool:
    before = text[:s].rstrip()
    after = text[e:].lstrip()
    lead = before == "" or before.endswith((",", "Oh", "oh", "Dear", "dear", "my", "My", "Hey", "hey", "Ah", "—", "–", "!"))
    trail = after == "" or after[0] in ",.!?—–;:-" or after.startswith(("'s", "’s")) is False and after[:1] in "…"
    if after.startswith(("'s", "’s")):
        return False
    return (lead and (after == "" or after[0] in ",.!?—–;:-…")) or (before.endswith(",") and trail)


def _words(text: str, base: int) -> list[tuple[str, int, int]]:
    return [(m.group(), base + m.start(), base + m.end()) for m in _WORDS.finditer(text)]


def _to_say(words: list[tuple[str, int, int]], k: int) -> bool:
    """ "hastened to add", "ventured to say": a speech verb after "to"."""
    return (k + 2 < len(words) and words[k + 1][0].lower() == "to"
            and (_is_verb(words[k + 2][0]) or words[k + 2][0].lower() in _BASE_SPEECH))


def _is_verb(word: str) -> bool:
    w = word.lower()
    return w not in _NOT_VERBS and bool(_VERB.match(w)) and (w.endswith(("ed", "s", "d")) or w in {
        "said", "told", "began", "spoke", "went", "thought", "sang", "cut", "say", "ask", "reply", "cry", "burst"})


def _subject_at(ctx: Context, words: list[tuple[str, int, int]], i: int) -> tuple[Tag | None, int]:
    """The speaker named at word i ("Bellamy", "he", "the old man"); returns the tag and the next word index."""
    if i >= len(words):
        return None, i
    w, s, _ = words[i]
    k = bisect_left(ctx.mention_starts, s)
    if k < len(ctx.mentions) and ctx.mentions[k].start == s:
        m = ctx.mentions[k]
        j = i
        while j < len(words) and words[j][2] <= m.end:
            j += 1
        return Tag("name", who=m.character, end=m.end), max(j, i + 1)
    lw = w.lower()
    if i + 1 < len(words) and (w.rstrip(".") in HONORIFICS or _modifies_name(w)):
        # "said Mr. Jaffers" when the cast calls him "Jaffers", "remarked skeptical Anne".
        after = i + 2 if words[i + 1][0] == "." else i + 1
        tag, j = _subject_at(ctx, words, after)
        sex = HONORIFICS.get(w.rstrip("."))
        if tag and tag.kind == "name" and sex in (None, ctx.people[tag.who].gender or sex):
            return tag, j
    if lw in _PRONOUNS:
        return Tag("pronoun", pronoun=_PRONOUNS[lw]), i + 1
    if lw == "you" and ctx.reader:
        return Tag("pronoun", pronoun="I"), i + 1  # the reader narrates a reader-insert as "I" narrates
    if lw in ("the", "his", "her", "my", "their", "our", "your", "its", "a", "an"):
        j = i + 1
        desc = []
        while j < len(words) and j <= i + 3 and not _is_verb(words[j][0]) and words[j][0][0].isalpha():
            desc.append(words[j][0].lower())
            j += 1
        if desc:
            owners = {c for w in desc for c in ctx.word_index.get(w, ())}
            if len(owners) == 1 and lw in ("the", "a", "an"):
                # "said the count" when the cast has Count Mippipopolous: only one character is called that.
                return Tag("name", who=next(iter(owners)), end=words[j - 1][2]), j
            return Tag("desc", words=(lw, *desc)), j
    return None, i


def _common_noun_name(ctx: Context, word: tuple[str, int, int]) -> Tag | None:
    """A lowercase word that is one character's whole one-word name ("nanny" for "Nanny")."""
    w = word[0]
    if not w.islower():
        return None
    owners = [c.id for c in ctx.people.values() if c.name == w.capitalize()]
    return Tag("name", who=owners[0], end=word[2]) if len(owners) == 1 else None


def _modifies_name(word: str) -> bool:
    """A lowercase word that can stand before a name in a tag: "said poor Lucy", "remarked skeptical Anne"."""
    return (word.islower() and word not in _NOT_MODIFIERS and not word.endswith(("ly", "ing"))
            and not _is_verb(word))


def _object_after(ctx: Context, words: list[tuple[str, int, int]], i: int) -> str | None:
    """The person told: "tells Clarke", "said to Elizabeth"."""
    if i < len(words) and words[i][0].lower() == "to":
        i += 1
    if i < len(words):
        k = bisect_left(ctx.mention_starts, words[i][1])
        if k < len(ctx.mentions) and ctx.mentions[k].start == words[i][1]:
            return ctx.mentions[k].character
    return None


def _tag_after(ctx: Context, start: int, end: int) -> Tag | None:
    text = ctx.text[start:min(end, start + 160)]
    lead = len(text) - len(text.lstrip(_CLOSE_MARKS + " \t\r\n,"))
    body = text[lead:]
    stop = _CLAUSE_STOP.search(body)
    clause = body[: stop.start() if stop else len(body)]
    if body[:1] in ".!?" and not clause:
        return None
    words = _words(clause, start + lead)
    if not words:
        return None
    first = words[0][0]
    if _is_verb(first) or first.lower() in _PHRASAL or (first.endswith("ed") and first.islower()):
        # "said Bellamy", and "put in Lucy", "burst from William": a particle between verb and speaker;
        # any verb in that place is a tag when a name follows ("interpreted Helen", "corroborated Flora Jane").
        particle = len(words) > 2 and words[1][0].lower() in _PARTICLES
        tag, j = _subject_at(ctx, words, 2 if particle else 1)
        if tag is None and not particle and _is_verb(first) and len(words) > 1:
            tag, j = _common_noun_name(ctx, words[1]), 2  # "said nanny" when the cast has "Nanny"
        if tag and (particle or _is_verb(first) or tag.kind == "name"):
            tag.addressee = _object_after(ctx, words, j)
            return tag
    if first.lower() in ("was", "were", "came") and len(words) > 1:
        # '"I cannot do without Anne," was Mary's reasoning', 'was the view of Mr. Sandy Wadgers'.
        owner = _speech_owner(ctx, words[:6], 1)
        if owner:
            return owner
    tag, j = _subject_at(ctx, words, 0)
    if tag is None and len(words) > 1 and words[0][0].lower() in ("and", "then", "but", "as", "while"):
        tag, j = _subject_at(ctx, words, 1)
    if tag is None:
        return None
    if tag.kind == "name" and _VOICE.match(ctx.text[tag.end:tag.end + 40]):
        return tag
    for k in range(j, min(j + 3, len(words))):
        if words[k][0] in _PHRASAL and k + 1 < len(words) and words[k + 1][0] in _PARTICLES:
            return tag  # "Mrs. Braddock put in."
        if _is_verb(words[k][0]) or (tag.pronoun == "I" and words[k][0].lower() in _BASE_SPEECH) or _to_say(words, k):
            if words[k][0].lower() in _NONSPEECH_FACES and tag.kind == "name":
                tag.kind = "subject"
            tag.addressee = _object_after(ctx, words, k + 1)
            return tag
        if words[k][0].lower() not in _AUXILIARIES and not words[k][0].endswith("ly"):
            break
    if (tag.kind == "name" or tag.pronoun in ("male", "female")) and body[:1] not in ",":
        tag.kind = "subject"  # '"..." He turned his head.': who acts after the quote likely said it
        return tag
    return None


def _speaker_before(ctx: Context, words: list[tuple[str, int, int]], k: int) -> Tag | None:
    """The subject of the verb at word k.

    The nearest name or pronoun before the verb that is not an object ("turning to Emma, said"),
    unless a relative clause makes it the subject ("met by Mr. Allen, who, on hearing it, said");
    a description only when no name or pronoun is there ("Mr. Wells cleared his throat and remarked").
    """
    if k > 1 and "," in ctx.text[words[k - 1][2]:words[k][1]]:
        # "Diana, going to the gable, where Anne was standing, said": the name set off by the first
        # comma is the subject; the names inside the clauses between are not.
        for i in range(k - 1):
            tag, j = _subject_at(ctx, words, i)
            if (tag and tag.kind in ("name", "pronoun") and j < k and "," in ctx.text[words[j - 1][2]:words[j][1]]
                    and (i == 0 or words[i - 1][0].lower() in _CLAUSE_OPENERS)
                    and ctx.text[words[j - 1][2]:words[j - 1][2] + 2] not in ("'s", "’s")):
                return tag
    found = None
    for i in range(k - 1, max(-1, k - 16), -1):
        tag, j = _subject_at(ctx, words, i)
        if tag and tag.kind == "name" and ctx.text[tag.end:tag.end + 2] in ("'s", "’s"):
            continue  # "picked up the end of Anne's braid and said": Anne owns, she does not speak
        relative = j < k and words[j][0].lower() == "who"
        # "; and Alice called out", "Cecil had said": a name right before its verb is its subject.
        adjacent = "," not in ctx.text[words[j - 1][2]:words[k][1]] and all(
            w[0].lower() in _AUXILIARIES or w[0].endswith("ly") for w in words[j:k])
        if i > 0 and words[i - 1][0].lower() in _OBJECT_BEFORE and not (relative or adjacent):
            continue
        if tag and tag.kind != "desc":
            return tag
        if tag and found is None and (j >= k - 2 or relative):
            found = tag
    return found


def _speech_owner(ctx: Context, words: list[tuple[str, int, int]], lo: int) -> Tag | None:
    """A name whose words the quote is: "Elizabeth's reply was,", "was the view of Mr. Wadgers"."""
    for i in range(lo, len(words)):
        tag, _ = _subject_at(ctx, words, i)
        if tag and tag.kind == "name" and (
            _VOICE.match(ctx.text[tag.end:tag.end + 40]) or _VOICE_OF.search(ctx.text[max(0, words[i][1] - 30):words[i][1]])
        ):
            return tag
    return None


def _tag_before(ctx: Context, start: int, end: int) -> Tag | None:
    text = ctx.text[max(start, end - 200):end].rstrip(_OPEN_MARKS + " \t\r\n")
    base = max(start, end - 200)
    body = text.rstrip(".!?,:;—–- ")
    ends = [m.start() for m in _SENTENCE_END.finditer(body)]
    cut = max(ends[-1] if ends else -1, *(body.rfind(x) for x in ("”", '"', "\n\n")))
    clause = text[cut + 1:] if cut >= 0 else text
    base += cut + 1 if cut >= 0 else 0
    words = _words(clause, base)
    if not words:
        return None
    owner = _speech_owner(ctx, words, max(0, len(words) - 6))
    if owner:
        return owner
    last = len(words) - 1
    while last > 0 and (words[last][0] in ":—–" or words[last][0].endswith("ly") or words[last][0] in _DEGREE):
        last -= 1
    w = words[last][0].lower()
    if w.endswith("ing") and w != "thinking" and _VERB.match(w):
        # "Mr. Beebe was back, saying rather nervously:", "Poirot damped my ardour by remarking:".
        found = _speaker_before(ctx, words, last)
        if found:
            return found
    for k in range(len(words) - 1, max(-1, len(words) - 14), -1):
        # Right before a quotation a bare verb is a tag too: "Archer roused himself to say:", "heard the Rabbit say,".
        phrasal = words[k][0] in _PHRASAL and k + 1 < len(words) and words[k + 1][0] in _PARTICLES
        if _is_verb(words[k][0]) or words[k][0].lower() in _BASE_SPEECH or phrasal:
            found = _speaker_before(ctx, words, k)
            if found:
                found.addressee = _object_after(ctx, words, k + 1)
                return found
            break
    tag, _ = _subject_at(ctx, words, 0)
    if tag is None and len(words) > 1 and words[0][0] in ("And", "Then", "But", "So", "Here", "Now"):
        tag, _ = _subject_at(ctx, words, 1)
    if tag and (tag.kind == "name" or tag.pronoun in ("male", "female")):
        tag.kind = "subject"  # 'He saw his chance. "..."'
        return tag
    return None


def _recency(ctx: Context, pos: int, window: int = 4000) -> list[tuple[str, int]]:
    """Characters by their last narration mention before `pos`, nearest first, with the distance.

    A first-person narrator is mentioned wherever the narration says "I" or "me".
    """
    k = bisect_left(ctx.mention_starts, pos) - 1
    seen: dict[str, int] = {}
    while k >= 0 and pos - ctx.mentions[k].start <= window and len(seen) < 8:
        if not ctx.mention_in_quote[k]:
            c = ctx.mentions[k].character
            if c not in seen:
                seen[c] = pos - ctx.mentions[k].start
        k -= 1
    k = bisect_left(ctx.narrator_said, pos) - 1
    if k >= 0 and pos - ctx.narrator_said[k] <= window:
        d = pos - ctx.narrator_said[k]
        if d < seen.get(ctx.narrator, window + 1):
            seen[ctx.narrator] = d
            return sorted(seen.items(), key=lambda x: x[1])[:8]
    return list(seen.items())


@dataclass
class _TurnFacts:
    """What the features of one turn read that does not depend on the speakers chosen before it."""

    cands: set[str]
    rank: dict[str, int]
    dist: dict[str, int]
    prev: Turn | None
    adjacent: bool
    adjacent2: bool
    nxt1: Turn | None
    nxt2: Turn | None
    next_mentions: set[str]
    next_named: set[str]
    next2_named: set[str]
    name_tags: set[str]
    subj_tags: set[str]
    before_tags: set[str]
    pron_tags: list[str]
    before_pron: set[str]
    subj_prons: set[str]
    desc_tags: list[Tag]
    gender_order: dict[str, list[str]]
    pron_subjects: set[str | None]
    relatives: set[str]
    conv_addressed: set[str]
    conv_narrated: set[str]
    parity: dict[str, tuple[float, float]]
    ordered: list[str] = field(default_factory=list)  # `cands`, sorted
    static: dict[str, dict[str, float]] = field(default_factory=dict)  # per candidate, filled on first use


def _turn_facts(ctx: Context, t: int) -> _TurnFacts:
    facts = ctx.facts.get(t)
    if facts is not None:
        return facts
    turn = ctx.turns[t]
    ps, _ = ctx.paragraphs[turn.paragraph]
    first_q = ctx.quotes[turn.quotes[0]]
    recent = _recency(ctx, first_q.start)
    prev = ctx.turns[t - 1] if t > 0 else None
    prev2 = ctx.turns[t - 2] if t > 1 else None
    nxt1 = ctx.turns[t + 1] if t + 1 < len(ctx.turns) else None
    nxt2 = ctx.turns[t + 2] if t + 2 < len(ctx.turns) else None
    adjacent = prev is not None and turn.paragraph - prev.paragraph == 1
    next_mentions: set[str] = set()
    if turn.paragraph + 1 < len(ctx.paragraphs):
        ns, ne = ctx.paragraphs[turn.paragraph + 1]
        next_mentions = {ctx.mentions[k].character for k in _mentions_between(ctx, ns, ne) if not ctx.mention_in_quote[k]}
    next_named: set[str] = set()
    next2_named: set[str] = set()
    if nxt1 is not None and nxt1.paragraph - turn.paragraph == 1:
        next_named = nxt1.named
        if nxt2 is not None and nxt2.paragraph - nxt1.paragraph == 1:
            next2_named = nxt2.named
    cands: set[str] = {c for c, _ in recent} | set(turn.narration_mentions) | set(turn.vocatives) | next_mentions
    cands |= {tag.who for tag in turn.tags if tag.who}
    if ctx.narrator:
        cands.add(ctx.narrator)
    for tag in turn.tags:
        if tag.kind == "desc":
            for w in tag.words[1:]:
                cands |= ctx.word_index.get(w, set())
    gender_order: dict[str, list[str]] = {}
    for g in ("male", "female"):
        exact = [c for c, _ in recent if ctx.gender.get(c) == g and c not in turn.vocatives]
        unknown = [c for c, _ in recent if ctx.gender.get(c) is None and c not in turn.vocatives]
        gender_order[g] = exact + unknown
    relatives = {c for tag in turn.tags if tag.kind == "desc" for c in _relatives(ctx, tag, gender_order)}
    cands |= relatives
    # Whom the conversation's tags name may speak here, but that is no clue that they do: where only one of
    # two people is ever tagged by name (fan fiction tags by pronoun), it would pull every turn to them.
    conv_named, conv_addressed, conv_narrated = _participants(ctx, t)
    cands |= conv_named | conv_addressed
    pron_tags = [tag.pronoun for tag in turn.tags if tag.kind == "pronoun" and tag.near]
    floor = ctx.paragraphs[turn.paragraph - 1][0] if turn.paragraph > 0 else ps
    facts = _TurnFacts(
        cands=cands & set(ctx.people), rank={c: i for i, (c, _) in enumerate(recent)}, dist=dict(recent),
        prev=prev, adjacent=adjacent,
        adjacent2=adjacent and prev2 is not None and prev.paragraph - prev2.paragraph == 1,
        nxt1=nxt1, nxt2=nxt2, next_mentions=next_mentions, next_named=next_named, next2_named=next2_named,
        name_tags=turn.named,
        subj_tags={tag.who for tag in turn.tags if tag.kind == "subject" and tag.near and tag.who},
        before_tags={tag.who for tag in turn.tags if not tag.near and tag.who},
        pron_tags=pron_tags,
        before_pron={tag.pronoun for tag in turn.tags if tag.kind in ("pronoun", "subject") and not tag.near} - {None},
        subj_prons={tag.pronoun for tag in turn.tags if tag.kind == "subject" and tag.near} - {None},
        desc_tags=[tag for tag in turn.tags if tag.kind == "desc"],
        gender_order=gender_order,
        pron_subjects={_pronoun_subject(ctx, first_q.start, floor, pr) for pr in pron_tags if pr in ("male", "female")},
        relatives=relatives,
        conv_addressed=conv_addressed, conv_narrated=conv_narrated, parity=_parity(ctx, t),
    )
    facts.ordered = sorted(facts.cands)
    ctx.facts[t] = facts
    return facts


CONVERSATION_GAP = 2  # turns at most this many paragraphs apart belong to one conversation
PARITY_REACH = 12  # how many turns of unbroken back-and-forth an anchoring name tag speaks for


def _conversations(ctx: Context) -> list[range]:
    """The turns of each conversation: neighbours at most CONVERSATION_GAP paragraphs apart."""
    out: list[range] = []
    lo = 0
    for t in range(1, len(ctx.turns) + 1):
        if t == len(ctx.turns) or ctx.turns[t].paragraph - ctx.turns[t - 1].paragraph > CONVERSATION_GAP:
            out.append(range(lo, t))
            lo = t
    return out


@dataclass
class _Conversation:
    """Who a conversation's turns name as speakers and address, turn by turn, and whom its narration names."""

    named: Counter
    addressed: Counter
    narrated: set[str]


def _conversation_facts(ctx: Context, turns: range) -> _Conversation:
    named: Counter = Counter()
    addressed: Counter = Counter()
    for u in turns:
        named.update(ctx.turns[u].named)
        addressed.update(set(ctx.turns[u].vocatives))
    first = max(0, ctx.turns[turns[0]].paragraph - 1)
    start, end = ctx.paragraphs[first][0], ctx.paragraphs[ctx.turns[turns[-1]].paragraph][1]
    narrated = {ctx.mentions[k].character for k in _mentions_between(ctx, start, end) if not ctx.mention_in_quote[k]}
    return _Conversation(named, addressed, narrated)


def _participants(ctx: Context, t: int) -> tuple[set[str], set[str], set[str]]:
    """Who the other turns of turn `t`'s conversation name as speakers, whom they address, and whom
    the conversation's narration (from the paragraph before it) names."""
    conv = ctx.conversation[t]
    turn = ctx.turns[t]
    named = {c for c, n in conv.named.items() if n > (c in turn.named)}
    addressed = {c for c, n in conv.addressed.items() if n > (c in turn.vocatives)}
    return named, addressed, conv.narrated


def _parity(ctx: Context, t: int) -> dict[str, tuple[float, float]]:
    """Back-and-forth: the speaker a tag gives k turns away, in unbroken alternation, says turn `t`
    when k is even and not when k is odd; whom a turn k away addresses by name ("Frank, ...") says
    it when k is odd. Per character id, or per "male"/"female" for the nearest pronoun tag
    ("she said"), the (same, other) evidence, weaker with distance."""
    out: dict[str, list[float]] = {}

    def add(who: str, k: int, same: bool) -> None:
        ev = out.setdefault(who, [0.0, 0.0])
        ev[0 if same else 1] = max(ev[0 if same else 1], 1.0 / k)

    for step in (-1, 1):
        u = t
        found_pronoun = False
        addressed: set[str] = set()
        for k in range(1, PARITY_REACH + 1):
            v = u + step
            if not 0 <= v < len(ctx.turns) or abs(ctx.turns[v].paragraph - ctx.turns[u].paragraph) != 1:
                break
            turn = ctx.turns[v]
            named = turn.named
            for who in turn.vocatives:
                if who not in addressed:
                    add(who, k, k % 2 == 1)
                    addressed.add(who)
            if not named and len(turn.pronouns) == 1 and not found_pronoun:
                add(next(iter(turn.pronouns)), k, k % 2 == 0)
                found_pronoun = True
            if len(named) == 1:
                add(next(iter(named)), k, k % 2 == 0)
                break
            u = v
    return {c: (ev[0], ev[1]) for c, ev in out.items()}


def _relatives(ctx: Context, tag: Tag, gender_order: dict[str, list[str]]) -> set[str]:
    """Who "his wife" or "her brother" can be: a relative of one of the two characters the pronoun
    most likely points at, known by the title and surname they share with them."""
    if len(tag.words) != 2 or tag.words[0] not in ("his", "her") or tag.words[1] not in _RELATIONS:
        return set()
    sex = _RELATIONS[tag.words[1]][0]
    out = set()
    for owner in gender_order["male" if tag.words[0] == "his" else "female"][:2]:
        out |= _kin(ctx.people, owner, tag.words[1], (c for c in ctx.people if ctx.gender.get(c) in (sex, None)))
    return out


def _kin(people: dict[str, Character], owner: str, relation: str, candidates, *, married: bool = True) -> set[str]:
    """Which of `candidates` can be `owner`'s wife, brother...: those sharing the owner's surname, with
    "Mrs." for a wife or mother and "Mr." for a husband or father. `married=False`: a "Mrs." is no sister
    or daughter (she has her husband's name)."""
    owner_words = people[owner].name.replace(".", "").lower().split()
    if len(owner_words) < 2:
        return set()
    sex, title = _RELATIONS[relation]
    out = set()
    for c in candidates:
        if c == owner:
            continue
        names = [n.replace(".", "").lower().split() for n in (people[c].name, *people[c].aliases)]
        if not married and title is None and sex == "female" and any(n[:1] == ["mrs"] for n in names):
            continue
        if any(n[-1:] == owner_words[-1:] and (title is None or n[:1] == [title]) for n in names):
            out.add(c)
    return out


def _static_features(ctx: Context, t: int, facts: _TurnFacts, c: str) -> dict[str, float]:
    """Features of candidate `c` that read only the text: tags, mentions, recency, the next turns' tags."""
    f = facts.static.get(c)
    if f is not None:
        return f
    turn = ctx.turns[t]
    f = {}
    if c in facts.name_tags:
        f["tag_name"] = 1.0
    elif facts.name_tags:
        f["tag_name_other"] = 1.0
    for pr in facts.pron_tags:
        if pr in ("male", "female"):
            if ctx.gender.get(c) == pr:
                f["tag_pron_match"] = 1.0
            elif ctx.gender.get(c):
                f["tag_pron_mismatch"] = 1.0
            order = facts.gender_order[pr]
            if order[:1] == [c]:
                f["tag_pron_rank1"] = 1.0
            elif order[1:2] == [c]:
                f["tag_pron_rank2"] = 1.0
        elif pr == "I" and c == ctx.narrator:
            f["tag_I_narrator"] = 1.0
    for tag in facts.desc_tags:
        words = set(tag.words[1:])
        if words & ctx.alias_words.get(c, set()):
            f["tag_desc_match"] = 1.0
        g = {_GENDER_NOUNS[w] for w in words if w in _GENDER_NOUNS}
        if len(g) == 1 and ctx.gender.get(c) == next(iter(g)):
            f["tag_pron_match"] = 1.0
    if turn.tags and not (facts.name_tags or facts.pron_tags or facts.desc_tags or facts.subj_tags
                          or facts.subj_prons or facts.before_tags or facts.before_pron):
        f["tag_other"] = 1.0
    if c in facts.relatives:
        f["tag_relative"] = 1.0
    if c in facts.pron_subjects:
        f["tag_pron_subject"] = 1.0
    if c in facts.subj_tags:
        f["subj_adjacent"] = 1.0
    for pr in facts.subj_prons:
        if ctx.gender.get(c) == pr:
            f["subj_pron_match"] = 1.0
            if facts.gender_order[pr][:1] == [c]:
                f["subj_pron_rank1"] = 1.0
    if c in facts.before_tags:
        f["prev_para_subject"] = 1.0
    if ctx.gender.get(c) in facts.before_pron:
        f["prev_para_pronoun"] = 1.0
    if c in turn.narration_mentions:
        f["para_mention"] = 1.0
        if turn.narration_mentions[0] == c:
            f["para_first"] = 1.0
    if c in turn.vocatives:
        f["vocative"] = 1.0
    if c in turn.quote_mentions:
        f["quote_mention"] = 1.0
    r = facts.rank.get(c)
    if r is not None and r < 3:
        f[f"rec{r + 1}"] = 1.0
    d = facts.dist.get(c)
    f["log_dist"] = math.log(1 + (d if d is not None else 4000)) / math.log(4001)
    f["freq"] = ctx.freq.get(c, 0.0)
    if c in facts.next_mentions:
        f["next_para"] = 1.0
    if c in facts.next_named:
        f["next_tag_name"] = 1.0
    if c in facts.next2_named and c not in facts.next_named:
        f["next2_tag_name"] = 1.0
    if c in facts.conv_addressed:
        f["conv_addressed"] = 1.0
    if c in facts.conv_narrated:
        f["conv_narrated"] = 1.0
    same, other = facts.parity.get(c, (0.0, 0.0))
    if same:
        f["parity_same"] = same
    if other:
        f["parity_other"] = other
    g = ctx.gender.get(c)
    if g and turn.addressed == {g}:
        f["address_gender"] = 1.0
    if g and facts.adjacent and facts.prev.addressed == {g}:
        f["prev_address_gender"] = 1.0
    same, other = facts.parity.get(g or "", (0.0, 0.0))
    if same:
        f["parity_pron_same"] = same
    if other:
        f["parity_pron_other"] = other
    if c == ctx.narrator:
        f["narrator"] = 1.0
        if turn.uses_I:
            f["narrator_I_quote"] = 1.0
    if not turn.has_narration:
        f["no_narration"] = 1.0
    style = ctx.style.score(t, turn.words, c) if ctx.style else 0.0
    if style:
        f["style"] = style
    facts.static[c] = f
    return f


def _candidates(ctx: Context, facts: _TurnFacts, t: int, speakers: list[str | None],
                addressees: list[str | None]) -> list[str]:
    """Who may say turn `t`: the text's candidates and the speakers and addressee just before it.

    Sorted, so ties break the same way in every process.
    """
    extra = {c for c in (*speakers[-3:], addressees[-1] if t > 0 else None)
             if c and c not in facts.cands and c in ctx.people}
    return sorted(facts.cands | extra) if extra else facts.ordered


def _history_features(turn: Turn, t: int, facts: _TurnFacts, c: str, static: dict[str, float],
                      speakers: list[str | None], addressees: list[str | None],
                      later: list[str | None] | None) -> dict[str, float]:
    """Features of candidate `c` that read who spoke and who was addressed before turn `t` (and `later`)."""
    prev, adjacent, adjacent2, nxt1, nxt2 = facts.prev, facts.adjacent, facts.adjacent2, facts.nxt1, facts.nxt2
    f: dict[str, float] = {}
    if static.get("tag_pron_match"):
        if adjacent and speakers[-1] == c:
            f["pron_and_prev"] = 1.0
        if adjacent2 and speakers[-2] == c:
            f["pron_and_prev2"] = 1.0
    if prev is not None and speakers[-1] == c:
        if adjacent:
            f["prev_speaker"] = 1.0
            if not turn.has_narration:
                f["prev_speaker_dialogue"] = 1.0
            if prev.ends_unclosed:
                f["continuation"] = 1.0
        else:
            f["prev_speaker_far"] = 1.0
    if adjacent2 and speakers[-2] == c and speakers[-1] != c:
        f["prev2_speaker"] = 1.0
        if not turn.has_narration:
            f["prev2_speaker_dialogue"] = 1.0
    if t > 0 and addressees[-1] == c and turn.paragraph - prev.paragraph <= 2:
        f["prev_addressee"] = 1.0
    if later is not None and nxt1 is not None and nxt1.paragraph - turn.paragraph == 1:
        if later[t + 1] == c:
            f["next_speaker"] = 1.0
        elif nxt2 is not None and nxt2.paragraph - nxt1.paragraph == 1 and later[t + 2] == c:
            f["next2_speaker"] = 1.0
    return f


def candidate_features(
    ctx: Context, t: int, speakers: list[str | None], addressees: list[str | None],
    *, later: list[str | None] | None = None,
) -> dict[str, dict[str, float]]:
    """Features of every candidate speaker of turn `t`, given the speakers chosen for earlier turns."""
    turn = ctx.turns[t]
    facts = _turn_facts(ctx, t)
    out: dict[str, dict[str, float]] = {}
    for c in _candidates(ctx, facts, t, speakers, addressees):
        static = _static_features(ctx, t, facts, c)
        out[c] = {**static, **_history_features(turn, t, facts, c, static, speakers, addressees, later)}
    return out
