"""Find every quotation in the story: where it is, and whether it is speech, thought, writing or other.

A single pass over the quote marks of each story paragraph (never notes or headings), with no
tokenizer, so it runs at millions of characters a second. The rules, in the order they matter:

- Quote marks: straight and curly double quotes, „ « », and single quotes used as quote marks
  (British style, or nested) told apart from apostrophes (don't, 'em, Knockin', the boys' room, '90s).
- Straight marks get a side from their neighbours: `"` after a space opens, `"` before a space or
  punctuation closes, and one that could be either toggles.
- Nested quotes are part of the outer quote (one Quote). `"A," he said, "B."` is two quotes.
- Paragraph boundaries reset the state, so unbalanced marks never swallow the rest of the text.
- A paragraph whose first mark closes (`Our people, Clarke.” Bellamy said`) starts with a quote whose
  opening mark is missing; an opening mark never closed runs to the end of its paragraph (a speech over
  several paragraphs, or a missing close) unless that would be a long stretch of narration, when it
  stops at the end of its first sentence. An opening mark that meets another opening mark of its kind
  ends before it (a missing close mid-paragraph).
- A speech that runs over several paragraphs (opening mark, no close, the next paragraph opens again)
  gives one Quote per paragraph; every piece after the first has `continues=True`, telling the speaker
  stage to give it the speaker of the piece before.
- Em-dash dialogue (paragraphs that start with — or ―) in works that use it instead of quote marks:
  the dashes alternate between speech and tag (`—Go —she said—. Now.` is two quotes).
- The narrator's stage direction in parentheses inside a quote splits it (`"But (with a smile) no."`);
  the piece after it has `continues=True`.
- Thoughts kept as *asterisks* or _underscores_ in plain text count when a thought tag is next to them.

`Quote.text` is the words between the marks; `start`/`end` cover exactly those characters.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import Paragraph, Quote, Work, trim

VERSION = "2"

# A quote-mark character that is not an apostrophe inside a word (don't, Heaven's).
_MARK = re.compile(r"[\"“”„«»]|(?<!\w)['‘’]|['‘’](?!\w)")
_OPENING_NEIGHBOURS = frozenset(" \t\r\n\u00a0([{<—–-/‘“'\"_*")
_CLOSING_NEIGHBOURS = frozenset(" \t\r\n\u00a0.,;:!?)]}>—–-/…’”'\"_*")
_STRONG_CLOSE_BEFORE = frozenset(".,!?;:…—–-")
_STRONG_CLOSE_AFTER = frozenset(".,;:!?…—–-)")
_DASHES = "—―"
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)[^*\n]{1,400}?(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)[^_\n]{1,400}?(?<=\S)_(?!\w)")
_CLAUSE_BREAK = re.compile(r"[.!?\"“”]")
_DOUBLE_MARK = re.compile(r"[\"“”]")
_DIALOGUE_DASH = re.compile(r"[—―]|--")

# Words that start with an apostrophe (elision), so a ' or ‘ before them is not a quote mark.
_ELIDED_START = re.compile(
    r"(?:em|im|er|is|tis|twas|twere|twill|twould|cause|cos|coz|cuz|til|till|bout|round|nuff|n|kay|sup"
    r"|ello|ere|ow|alf|ave|ad|e|appen|course|fraid|gainst|mongst|neath|nother|scuse|specially|tween"
    r"|y'all|s|d|ll|re|ve|m|\d+s?)(?![\w'’])",
    re.IGNORECASE,
)
_G_DROPPED = re.compile(r"[A-Za-z]{2,}in$")
_PLURAL_POSSESSIVE = re.compile(r"[A-Za-z]*[^s]s$")

_SPEECH_VERBS = (
    "say|says|said|saying|ask|asks|asked|asking|reply|replies|replied|answer|answers|answered"
    "|whisper|whispers|whispered|shout|shouts|shouted|yell|yells|yelled|cry|cries|cried|call|calls|called"
    "|murmur|murmurs|murmured|mutter|mutters|muttered|tell|tells|told|exclaim|exclaims|exclaimed"
    "|snap|snaps|snapped|growl|growls|growled|hiss|hisses|hissed|breathe|breathes|breathed|sigh|sighs"
    "|sighed|laugh|laughs|laughed|add|adds|added|continue|continues|continued|repeat|repeats|repeated"
    "|insist|insists|insisted|demand|demands|demanded|scream|screams|screamed|speak|speaks|spoke"
    "|begin|begins|began|interrupt|interrupts|interrupted|protest|protests|protested|plead|pleads|pleaded"
    "|beg|begs|begged|mumble|mumbles|mumbled|gasp|gasps|gasped|sob|sobs|sobbed|choke|chokes|choked"
    "|bark|barks|barked|roar|roars|roared|declare|declares|declared|remark|remarks|remarked"
    "|respond|responds|responded|confess|confesses|confessed|admit|admits|admitted|note|notes|noted"
    "|observe|observes|observed|agree|agrees|agreed|offer|offers|offered|warn|warns|warned"
    "|suggest|suggests|suggested|explain|explains|explained|announce|announces|announced"
    "|grumble|grumbles|grumbled|groan|groans|groaned|drawl|drawls|drawled|chorused|retorted|returned"
)
_SPEECH_VERB_SET = frozenset(_SPEECH_VERBS.split("|"))
_DASH_TAG = re.compile(
    rf"(?<=[,?!])\s+(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?|he|she|they|I|we|you|it)\s+(?:\w+ly\s+)?"
    rf"(?:{_SPEECH_VERBS})\b[^.!?]*(?:[.!?]|$)"
)
_ANY_SPEECH_VERB = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
_SPEECH_TAG = re.compile(
    rf"^[\s,—–-]*(?:(?:\w+ly\s+)?(?:{_SPEECH_VERBS})\b"
    rf"|(?:\w+\s+)?[\w.'’-]+\s+(?:\w+ly\s+)?(?:{_SPEECH_VERBS})\b)",
    re.IGNORECASE,
)
_THOUGHT_BEFORE = re.compile(
    r"(?:\b(?:think|thinks|thought|thinking|wonder|wonders|wondered|wondering|muse|muses|mused"
    r"|tell|tells|told|remind|reminds|reminded|ask|asks|asked)\s+(?:him|her|them|my|your|it)sel(?:f|ves)"
    r"|\b(?:thinks|thought|wonders|wondered|muses|mused|prays|prayed)\b(?!\s+(?:aloud|out loud))"
    r"|\b(?:through|in|inside|round|around|across)\s+(?:his|her|their|my|your|its)\s+(?:head|mind|brain|thoughts)"
    r"|\b(?:voice|voices|thought)\s+in\s+(?:his|her|their|my|your)\s+head)",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\(([^()]{2,200})\)")
_STAGE_DIRECTION = re.compile(
    rf"(?:[a-z]+ing\b|with\b|in an? \w+|to [A-Z]|[a-z]+ly\b|aside\b|again\b|after a\b|[^()]*\b(?:{_SPEECH_VERBS})\b)"
)
_NAMING_VERBS = frozenset(("call", "calls", "called"))
_NAMING = re.compile(
    r"\b(?:known as|so-called|termed|dubbed|nicknamed|the term|the name|the name of|call|calls|called"
    r"|as they say)(?:\s+(?:a|an|the))?\s*$",
    re.IGNORECASE,
)
_THOUGHT_AFTER = re.compile(
    r"^[\s,.!?—–-]*(?:(?:he|she|they|i|you|it|[A-Z][a-z]+)\s+){0,2}"
    r"(?:thinks|thought|wonders|wondered|muses|mused|prays|prayed)\b(?!\s+(?:aloud|out loud))"
)
_WRITTEN_BEFORE = re.compile(
    r"\b(?:sign|signs|note|notes|letter|letters|card|label|headline|banner|poster|plaque|inscription"
    r"|message|messages|text|texts|texted|caption|tattoo|envelope|postcard|graffiti|read|reads|motto"
    r"|wrote|writes|written|scrawled|printed|engraved|inscribed|stencilled|stenciled|labelled|labeled"
    r"|stamped|spelled|spelt)\b",
    re.IGNORECASE,
)
_WRITTEN_AFTER = re.compile(
    r"^[\s,]*(?:(?:was|were|is|are)\s+(?:the\s+)?(?:heading|headline|title|caption|inscription|legend|motto"
    r"|written|painted|printed|scrawled|engraved|inscribed|stamped|carved)"
    r"|(?:written|painted|printed|scrawled|engraved|inscribed|stamped|carved)\s+(?:on|across|above|in|over)\b)",
    re.IGNORECASE,
)
_TITLE_BEFORE = re.compile(
    r"\b(?:song|songs|book|books|album|film|movie|show|poem|novel|play|track|titled|entitled|called|named"
    r"|title|chapter|series|episode|painting|magazine|newspaper|fic|story|reading|overture|opera|hymn)\b",
    re.IGNORECASE,
)
_SALUTATION = re.compile(r"^(?:my\s+)?(?:dear|dearest|darling)\b[^.!?]{0,40}[,:]?$", re.IGNORECASE)
_VALEDICTION = re.compile(
    r"^(?:yours\b|your\s+(?:\w+\s+){0,3}(?:friend|servant|sister|brother|daughter|son|mother|father|wife|husband)"
    r"|your\s+(?:most\s+|very\s+)?(?:affectionate|obedient|sincere|loving|devoted|faithful|humble|grateful)\b"
    r"|(?:with\s+)?(?:love|regards|best wishes)\b|sincerely|faithfully|affectionately|ever yours)",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?,;:…—–-]['’\"”)]*\s*$")
_ENDS_SENTENCE = re.compile(r"[.!?…—–-]['’\"”)_]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…]+['’\"”)]*(?=\s|$)")
_SMALL_WORDS = frozenset("a an the of on in at to and or for with by from as is be my your his her".split())

MAX_UNCLOSED = 1200  # longest stretch an opening mark without its close may run to a paragraph's end


class _Mark(NamedTuple):
    pos: int
    family: str  # "d" double, "s" single
    role: str  # "open", "close", "either", or "tentative" (an elision that may also open a quote)


def find(work: Work) -> list[Quote]:
    """Every quotation in the story paragraphs of `work`, in text order, with its kind.

    >>> [q.text for q in find(work)]  # work.text == '"A," he said, "B."'
    ['A,', 'B.']
    """
    text = work.text
    paragraphs = list(work.story_paragraphs())
    dash_style = _uses_dash_dialogue(text, paragraphs)
    single_style = _uses_single_quotes(text, paragraphs)
    out: list[Quote] = []
    carried = False  # the previous paragraph ended inside an unclosed quote
    letter = _Letter()
    lead = ""  # the end of the previous paragraph when it introduces this one (`the following words:`)
    for index, p in paragraphs:
        spans, open_at_end = _quote_spans(text, p, single_style=single_style)
        if not spans and dash_style and _starts_with_dash(text, p):
            spans = _dash_spans(text, p)
        continues_first = carried and bool(spans) and spans[0][2]
        in_letter = letter.step(text, p, spans)
        alone = len(spans) == 1 and _only_quotes(text, p, spans)
        prev_end = p.start
        for n, (start, end, _) in enumerate(spans):
            if in_letter or (alone and _is_heading(text[start:end])):
                kind = "written"
            else:
                kind = _kind(text, start, end, p, prev_end, lead if n == 0 else "")
            for k, (a, b) in enumerate(_around_stage_directions(text, start, end)):
                out.append(
                    Quote(
                        start=a,
                        end=b,
                        text=text[a:b],
                        kind=kind,
                        paragraph=index,
                        continues=bool(k or (n == 0 and continues_first)),
                    )
                )
            prev_end = end
        out.extend(
            Quote(start=a, end=b, text=text[a:b], kind="thought", paragraph=index)
            for a, b in _emphasised_thoughts(text, p, spans)
        )
        carried = open_at_end
        lead = _introduction(text, p)
    out.sort(key=lambda q: q.start)
    return out


def _emphasised_thoughts(text: str, p: Paragraph, spans: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Thoughts set in *asterisks* or _underscores_ (italics in plain text) with a thought tag next to
    them: `*I can't do this,* she thought.` Emphasis without such a tag, or of one word, is left alone."""
    found = []
    for m in _EMPHASIS.finditer(text, p.start, p.end):
        a, b = m.start() + 1, m.end() - 1
        if " " not in text[a:b] or any(s < m.end() and m.start() < e for s, e, _ in spans):
            continue  # one stressed word (`_she_ thought`) is emphasis, not a thought
        before = text[max(p.start, m.start() - 80) : m.start()]
        after = text[m.end() : min(p.end, m.end() + 60)]
        tagged = _THOUGHT_AFTER.match(after) is not None
        cued = before.rstrip().endswith((",", ":")) and _THOUGHT_BEFORE.search(_clause_end(before, 55)) is not None
        if tagged or cued:
            found.append((a, b))
    return found


class _Letter:
    """Follows a letter quoted paragraph by paragraph: from a salutation standing alone (`"Dear Meg,"`)
    through paragraphs that are nothing but quotation, to a signature or the first narration."""

    MAX_PARAGRAPHS = 60

    def __init__(self) -> None:
        self.state: str | None = None  # None, "body", or "signing" (after `Yours ever,`)
        self.paragraphs = 0

    def step(self, text: str, p: Paragraph, spans: list[tuple[int, int, bool]]) -> bool:
        """Whether the quotes of paragraph `p` are part of a letter."""
        whole = bool(spans) and _only_quotes(text, p, spans)
        first = text[spans[0][0] : spans[0][1]] if spans else ""
        last = text[spans[-1][0] : spans[-1][1]] if spans else ""
        if self.state == "signing":
            self.state = None
            if whole and _is_signature(first):
                return True
        if self.state == "body" and (not whole or self.paragraphs >= self.MAX_PARAGRAPHS):
            self.state = None
        if self.state is None:
            if not (whole and _is_letter_start(first)):
                return False
            self.state, self.paragraphs = "body", 0
        self.paragraphs += 1
        if _is_signature(last):
            self.state = None
        elif _is_letter_end(last):
            self.state = "signing"
        return True


def _only_quotes(text: str, p: Paragraph, spans: list[tuple[int, int, bool]]) -> bool:
    """No narration in the paragraph: nothing but quotation, marks and spaces."""
    pos = p.start
    for start, end, _ in spans:
        if any(c.isalpha() for c in text[pos:start]):
            return False
        pos = end
    return not any(c.isalpha() for c in text[pos : p.end])


def _quote_spans(
    text: str, p: Paragraph, *, single_style: bool = False
) -> tuple[list[tuple[int, int, bool]], bool]:
    """(start, end, opens_paragraph) of each quote in one paragraph, and whether the last is left open.

    `single_style`: the work quotes with single marks, so a paragraph whose first single mark closes
    after punctuation (`alone.' He moved.`) starts with a quote whose opening mark is missing."""
    marks = _marks(text, p.start, p.end)
    if not marks:
        return [], False
    spans: list[tuple[int, int, bool]] = []
    first_content = _skip_space(text, p.start, p.end)

    def add(a: int, b: int) -> None:
        a, b = trim(text, a, b)
        if b > a:
            spans.append((a, b, a <= first_content + 1))

    open_mark: _Mark | None = None
    nested = False  # inside a double-quoted quote nested in a double-quoted quote
    weak_closes: list[int] = []
    for k, m in enumerate(marks):
        if open_mark is None:
            if m.role == "close":
                missing_open = k == 0 and m.pos > first_content and text[m.pos - 1] in _STRONG_CLOSE_BEFORE
                if missing_open and (m.family == "d" or single_style):
                    add(first_content, m.pos)
                continue
            if m.family == "s" and m.role == "either":
                continue
            open_mark, weak_closes = m, []
            continue
        if m.family != open_mark.family:
            continue  # a nested quote of the other kind
        if open_mark.family == "d":
            if nested:
                nested = m.role == "open"
            elif m.role == "open" and _opens_nested(text, open_mark.pos, m.pos):
                nested = True
            elif m.role == "open":
                add(open_mark.pos + 1, m.pos)  # the closing mark is missing
                open_mark = m
            else:
                add(open_mark.pos + 1, m.pos)
                open_mark = None
            continue
        if m.role == "close" and _strong_close(text, m.pos, p.start, p.end):
            add(open_mark.pos + (open_mark.role != "tentative"), m.pos)
            open_mark = None
        elif m.role == "close" and open_mark.role != "tentative":
            weak_closes.append(m.pos)
        elif m.role == "open" and weak_closes:
            add(open_mark.pos + 1, _best_weak_close(text, weak_closes))
            open_mark, weak_closes = m, []
    if open_mark is None or open_mark.role == "tentative":
        return spans, False
    if open_mark.family == "s" and weak_closes:
        add(open_mark.pos + 1, _best_weak_close(text, weak_closes))
        return spans, False
    at_start = open_mark.pos <= first_content
    if open_mark.family == "s" and not at_start:
        return spans, False
    end = p.end
    if not at_start and end - open_mark.pos > MAX_UNCLOSED:
        sentence = _SENTENCE_END.search(text, open_mark.pos + 1, end)
        end = sentence.end() if sentence else end
        add(open_mark.pos + 1, end)
        return spans, False
    add(open_mark.pos + 1, end)
    return spans, True


def _opens_nested(text: str, open_pos: int, pos: int) -> bool:
    """An opening mark inside an open quote starts a nested quote when the words before it run on
    (`"He said "no` ), and a new quote when they end a sentence (`"Stop it. "No`: a close is missing)."""
    before = text[open_pos + 1 : pos].rstrip()
    return bool(before) and before[-1].isalnum()


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    """The quote marks of text[start:end], each with its family and the side it can stand on."""
    out = []
    for m in _MARK.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if ch in "“„«":
            out.append(_Mark(i, "d", "close" if _side(before, after) == "close" else "open"))
        elif ch in "”»":
            out.append(_Mark(i, "d", "open" if _side(before, after) == "open" else "close"))
        elif ch == '"':
            out.append(_Mark(i, "d", _side(before, after)))
        elif ch == "‘":
            if not _is_elision(text, i + 1, end):
                out.append(_Mark(i, "s", "open"))
        elif ch == "’":
            if before not in _OPENING_NEIGHBOURS:
                out.append(_Mark(i, "s", "close"))
            elif after not in _CLOSING_NEIGHBOURS and not _is_elision(text, i + 1, end):
                out.append(_Mark(i, "s", "open"))  # a mis-curled opening mark
        else:
            side = _side(before, after)
            if side == "open" and _is_elision(text, i + 1, end):
                if text[start:i].isspace() or i == start:
                    out.append(_Mark(i, "s", "tentative"))  # `'Cause I said so,' she said.`
                continue
            out.append(_Mark(i, "s", side))
    return out


def _side(before: str, after: str) -> str:
    """Which side a straight mark stands on, judged by its neighbours."""
    opens = before in _OPENING_NEIGHBOURS and after not in _OPENING_NEIGHBOURS
    closes = before not in _OPENING_NEIGHBOURS and after in _CLOSING_NEIGHBOURS
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _is_elision(text: str, i: int, end: int) -> bool:
    """An apostrophe starting a word ('em, 'cause, '90s), not an opening quote mark."""
    return _ELIDED_START.match(text, i, end) is not None


def _strong_close(text: str, i: int, start: int, end: int) -> bool:
    """A single mark after punctuation (`to.'`) or before it (`'princess'.`) closes a quote."""
    return (i > start and text[i - 1] in _STRONG_CLOSE_BEFORE) or (i + 1 < end and text[i + 1] in _STRONG_CLOSE_AFTER)


def _best_weak_close(text: str, candidates: list[int]) -> int:
    """The first single mark after a word that does not read as an apostrophe (Knockin', the boys')."""
    for i in candidates:
        word = text[max(0, i - 30) : i].split()[-1] if text[max(0, i - 30) : i].split() else ""
        if not (_G_DROPPED.search(word) or _PLURAL_POSSESSIVE.fullmatch(word)):
            return i
    return candidates[-1]


def _skip_space(text: str, i: int, end: int) -> int:
    while i < end and text[i].isspace():
        i += 1
    return i


def _around_stage_directions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of a quote around the narrator's parenthetical stage directions inside it:
    `"But (with a smile at Emma) she receives attentions"` is one speech in two pieces."""
    if "(" not in text[start:end]:
        return [(start, end)]
    pieces = []
    pos = start
    for m in _PARENTHESIS.finditer(text, start, end):
        if _STAGE_DIRECTION.match(m.group(1)):
            a, b = trim(text, pos, m.start())
            if b > a:
                pieces.append((a, b))
            pos = m.end()
    a, b = trim(text, pos, end)
    if b > a:
        pieces.append((a, b))
    return pieces or [(start, end)]


def _starts_with_dash(text: str, p: Paragraph) -> bool:
    i = _skip_space(text, p.start, p.end)
    return i < p.end and (text[i] in _DASHES or text.startswith("--", i))


def _uses_single_quotes(text: str, paragraphs: list[tuple[int, Paragraph]]) -> bool:
    """British style: more paragraphs open with a single mark than with a double one."""
    single = double = 0
    for _, p in paragraphs:
        i = _skip_space(text, p.start, p.end)
        if i < p.end:
            c = text[i]
            single += c in "'‘"
            double += c in '"“'
    return single > double


def _uses_dash_dialogue(text: str, paragraphs: list[tuple[int, Paragraph]]) -> bool:
    """Dash dialogue when several paragraphs open with a dash and they outnumber those with double quotes."""
    dashed = sum(1 for _, p in paragraphs if _starts_with_dash(text, p))
    if dashed < 2:
        return False
    quoted = sum(1 for _, p in paragraphs if _DOUBLE_MARK.search(text, p.start, p.end))
    return dashed > quoted


def _dash_spans(text: str, p: Paragraph) -> list[tuple[int, int, bool]]:
    """Speech between the dashes of a dash-dialogue paragraph: speech, tag, speech, ... A tag without
    dashes around it (`— Thanks, Stephen said. I can't wear them.`) ends at its sentence's end."""
    start = _DIALOGUE_DASH.match(text, _skip_space(text, p.start, p.end)).end()
    cuts = [(m.start(), m.end()) for m in _DIALOGUE_DASH.finditer(text, start, p.end)]
    bounds = [(start, start)] + cuts + [(p.end, p.end)]
    spans = []
    for n in range(0, len(bounds) - 1, 2):
        a = bounds[n][1]
        b = bounds[n + 1][0]
        while a < b and (text[a].isspace() or text[a] in ".,;:"):
            a += 1
        a, b = trim(text, a, b)
        tag = _DASH_TAG.search(text, a, b)
        if tag:
            spans.append((a, tag.start(), n == 0))
            a, b = trim(text, tag.end(), b)
        if b > a:
            spans.append((a, b, n == 0 and not tag))
    return spans


def _introduction(text: str, p: Paragraph) -> str:
    """The last words of a paragraph ending in a colon, which introduce the next paragraph's quote."""
    tail = text[max(p.start, p.end - 100) : p.end].rstrip()
    return tail if tail.endswith((":", ":--", ":—")) else ""


def _kind(text: str, start: int, end: int, p: Paragraph, prev_end: int, lead: str = "") -> str:
    """speech, thought, written or other, from the words around the quote (and the introduction of its
    paragraph by the one before, when the quote opens the paragraph)."""
    quote = text[start:end]
    before = text[max(prev_end, start - 100) : max(prev_end, start - 1)]
    if lead and not before.strip():
        before = lead
    after = text[min(end + 1, p.end) : min(end + 60, p.end)]
    if _is_thought(before, after):
        return "thought"
    if _is_written(before, after, quote) and not (prev_end > p.start and _ANY_SPEECH_VERB.search(before)):
        return "written"
    if _is_other(before, after, quote):
        return "other"
    return "speech"


def _clause_end(before: str, width: int) -> str:
    """The last `width` characters of the clause the quote sits in (cut at a sentence end or quote mark),
    where a cue must be to count."""
    return _CLAUSE_BREAK.split(before[-width:])[-1]


def _is_thought(before: str, after: str) -> bool:
    """A thought tag after (`she thought`), or a cue of thinking just before (`runs through his head;`)
    that no speech verb overrides (`He thought for a moment, then said, "Maybe."` is speech)."""
    if _THOUGHT_AFTER.match(after):
        return True
    if not _THOUGHT_BEFORE.search(_clause_end(before, 55)):
        return False
    return not (_introduces_speech(before) or _tags_speech(after))


def _is_written(before: str, after: str, quote: str) -> bool:
    """Writing (`the sign read "..."`, `"..." was painted on the banner`) or a title (`the song 'Knockin' on
    Heaven's Door'`), unless a speech verb or tag says it is spoken."""
    if _introduces_speech(before) or _tags_speech(after):
        return False
    if _WRITTEN_BEFORE.search(_clause_end(before, 25)) or _WRITTEN_AFTER.match(after):
        return True
    if _TITLE_BEFORE.search(_clause_end(before, 55)):
        return _looks_like_title(quote, shortest=1)
    return _inside_sentence(before) and _looks_like_title(quote)


def _looks_like_title(quote: str, *, shortest: int = 2) -> bool:
    """`shortest` to ten words, capitalised (small words aside), no sentence punctuation inside."""
    words = quote.rstrip(",.").split()
    if not shortest <= len(words) <= 10 or any(c in quote.rstrip(",.") for c in ".!?;:"):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(content) and all(w[:1].isupper() or not w[:1].isalpha() for w in content)


def _is_heading(quote: str) -> bool:
    """A quote standing alone as a paragraph that reads as a title (`"Knockin' On Heaven's Door"`, an
    epigraph or a chapter title): capitalised words and no punctuation at the end."""
    return not _TERMINAL.search(quote) and _looks_like_title(quote)


def _is_letter_start(quote: str) -> bool:
    """`Dear Catherine,` / `My dearest Meg:`: a letter follows."""
    return _SALUTATION.match(quote.strip()) is not None


def _is_letter_end(quote: str) -> bool:
    """`Yours ever,`, `Your affectionate friend,`: a signature may follow."""
    return _VALEDICTION.match(quote.strip()) is not None


def _is_signature(quote: str) -> bool:
    """A name in capitals ending a letter (`LYDIA BENNET.`, `A. W.`)."""
    q = quote.strip().rstrip(".,")
    return bool(q) and len(q.split()) <= 4 and q.upper() == q and any(c.isalpha() for c in q)


def _is_other(before: str, after: str, quote: str) -> bool:
    """A scare quote or nickname: a few words inside a sentence (`called her "princess"`, `a "masher."`),
    not introduced or followed by a speech tag, and not a sentence of its own (capitalised and ended)."""
    words = quote.split()
    if not words or len(words) > 6:
        return False
    if len(words) <= 4 and _NAMING.search(_clause_end(before, 40)):
        return True
    if not _inside_sentence(before):
        return False
    lowercase = words[0][:1].islower()
    if not lowercase and (len(words) > 4 or _ENDS_SENTENCE.search(quote)):
        return False
    if quote.rstrip().endswith(",") and not after[:1].isspace():
        return False
    return not (_introduces_speech(before) or _tags_speech(after))


def _inside_sentence(before: str) -> bool:
    """The quote mark follows a word (`her "princess"`, `the 'princess'`), not a comma, colon or sentence end."""
    last = before.rstrip()[-1:]
    return bool(last) and (last.isalnum() or last in "'’_")


def _introduces_speech(before: str) -> bool:
    """A speech verb right before the quote: `said "`, `asked, "`, `said softly: "`, `whispered to him: "`."""
    words = before[-40:].lower().replace("—", " ").replace("–", " ").split()
    words = [w.strip(",:-") for w in words if w.strip(",:-")][-3:]
    if not words:
        return False
    if words[-1] in _NAMING_VERBS and not before.rstrip().endswith((",", ":")):
        return False  # `what people call "a good citizen"` names; `he called, "Come!"` speaks
    if words[-1] in _SPEECH_VERB_SET:
        return True
    if len(words) >= 2 and words[-2] in _SPEECH_VERB_SET and words[-1].endswith("ly"):
        return True
    return len(words) == 3 and words[0] in _SPEECH_VERB_SET and words[1] in ("to", "at")


def _tags_speech(after: str) -> bool:
    """A speech tag right after the quote: `" he said`, `" said Bellamy`, `" Clarke whispers`."""
    return _SPEECH_TAG.match(after) is not None
