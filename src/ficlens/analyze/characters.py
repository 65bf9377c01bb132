"""Find the characters and every name they go by.

A name is a run of capitalised words in the story text (never the notes). Words that start a
sentence count only when the same word is also seen capitalised mid-sentence, so "Still" and
"Please" are not people while "Clarke" is. Honorifics stay part of a name ("Mr. Bennet" and
"Mrs. Bennet" are two people); rank titles do not ("Commander Lexa" is Lexa). First names and
surnames join the full name they belong to when only one full name fits. AO3 "Characters" tags
give the fullest form ("Clarke Griffin"). With a cast, exactly the cast's entities are used.

Pure Python and regular expressions: a 500k-word novel takes a few seconds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from ..model import Character, Mention, Quote, Work

VERSION = "4"
READER = "Y/N"  # the reader of a reader-insert story, a character the text names "Y/N"
READER_INSERT = re.compile(r"[(\[]?\b[Yy]/[Nn]\b[)\]]?|\(y/n\)|\bY/N\b")

HONORIFICS = {
    "Mr": "male", "Mister": "male", "Sir": "male", "Lord": "male", "Monsieur": "male", "Herr": "male",
    "Uncle": "male", "Master": "male", "Signor": "male", "Señor": "male", "Mrs": "female",
    "Ms": "female", "Miss": "female", "Lady": "female", "Madame": "female", "Madam": "female",
    "Mme": "female", "Mlle": "female", "Mademoiselle": "female", "Dame": "female", "Aunt": "female",
    "Frau": "female", "Fräulein": "female", "Signora": "female", "Dr": None, "Doctor": None, "Mx": None,
}
TITLES = {
    "Commander": None, "Captain": None, "Colonel": None, "General": None, "Major": None,
    "Lieutenant": None, "Sergeant": None, "Admiral": None, "Professor": None, "Chancellor": None,
    "Inspector": None, "Detective": None, "Agent": None, "Officer": None, "Councilor": None,
    "Senator": None, "President": None, "Father": "male", "Brother": "male", "Sister": "female",
    "Mother": "female", "King": "male", "Prince": "male", "Duke": "male", "Count": "male",
    "Baron": "male", "Queen": "female", "Princess": "female", "Duchess": "female",
    "Countess": "female", "Baroness": "female",
}

# Capitalised words that are not names when they stand alone (closed classes, interjections, time words).
STOP = set("""
A An The This That These Those There Here Then Than Now When While Where What Which Who Whom Whose Why How
If Unless Until Though Although Because Since As So But And Or Nor Yet For Of In On At To From By With Without
Into Onto Upon About Above Below After Before During Through Across Against Among Around Behind Beside
Between Beyond Inside Outside Over Under Near Off Out Up Down Not No Yes Yeah Yep Nope Ok Okay OK Oh Ah Aha
Ahh Ugh Uh Um Hmm Hm Mm Eh Er Huh Hey Hi Hello Bye Goodbye Well Why Wow Whoa Alas Oops Ouch Please Thanks
Thank Sorry Alright Sure Fine Good Great Right Wait Stop Come Go Look Listen See Let Maybe Perhaps Still Just
Even Only Also Too Very Really Quite Almost Always Never Ever Often Sometimes Once Twice Again Soon Later
Today Tomorrow Yesterday Tonight Everyone Everybody Everything Someone Somebody Something Nobody Nothing
Anyone Anybody Anything Each Every All Both Some Any Many Much Most More Less Few Several Such Other Another
I I'm I'll I'd I've Me My Mine Myself We We're We'll We'd We've Us Our Ours You You're You'll You'd You've
Your Yours He He's He'll He'd Him His She She's She'll She'd Her Hers It It's Its They They're They'll
They'd Them Their Theirs One Ones Two Three Four Five Six Seven Eight Nine Ten First Second Third Last Next
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Christmas Easter God Gods Heaven Hell Lord Jesus Christ Bible Mass
Chapter Part Book Volume Prologue Epilogue End Author Note Notes Summary Disclaimer Title Fin
Don't Can't Won't Didn't Doesn't Isn't Aren't Wasn't Weren't Hasn't Haven't Hadn't Couldn't Wouldn't
Poor Dear Dearest Sweet Good Bad Little Old Young Big Shouldn't Mustn't Let's That's What's There's Here's Where's Who's How's It'll Do Does Did Is Are Was Were
Be Been Being Have Has Had Can Could Will Would Shall Should May Might Must Ought Sir Madam Ma'am Mister
Miss Mrs Mr Ms Dr Mx Lady Dear Darling Honey Love Baby Babe Mum Mom Mama Mummy Dad Daddy Papa Mamma Grandma
Grandpa Granny English French German Italian Spanish Russian American British Indian Chinese Japanese Irish
Scottish Welsh Dutch Greek Roman Latin North South East West Northern Southern Eastern Western
""".split())
STOP |= {w.replace("'", "’") for w in STOP if "'" in w}
_ABBREVIATED = {"Mr", "Mrs", "Ms", "Dr", "Mx", "Mme", "Mlle"}  # "Mr" alone is "Mr." before a name
_NO_NAME_AFTER = r"(?!\s+(?:[A-Z]|(?:de|du|van|von|der|la|le)\s))"  # "Madame", not "Madame de Cominges"
# Stop words that are also given names: the cast's "May Welland" is "May" in the text.
_GIVEN_NAMES = {"May", "June", "April", "August", "Will"}
# A run of capitalised words with one of these is a place or a building, not a person.
PLACE_WORDS = set("""Street Road Avenue Lane Square Park Hall House Church Court Castle Station Hotel Mount River
Lake Sea Ocean Island Hill Hills Valley Bay Forest Wood Woods Bridge Abbey Place Gardens Row Terrace College
School University Hospital Club Inn Tower City Town Village County Kingdom Empire Republic States Point Head
Headland Harbour Harbor Cove Beach Port Cape Quay Pier Lighthouse Reef Shoals Strait Creek Falls Glen Heights
Manor Cottage Farm Palace Temple Tavern Cafe Café Market Academy Institute Center Centre Museum Library Fort
Camp Base Docks Harbourside Marsh Moor Fields""".split())
_PLACE_BEFORE = (" at ", " in ", " from ", " near ", " into ", " towards ", " through ", " reach ", " reached ",
                 " leave ", " left ", " to ", " under ", " across ")
_DETERMINERS = ("the ", " in ", " of ", "this ", "that ", " a ", " an ", "our ", "their ", "its ")

_WORD = r"[A-Z][a-zà-ÿ]*(?:['’][A-Za-z]+)?(?:-[A-Z][a-zà-ÿ]+)*(?![\w-])"
_SEQ = re.compile(
    r"(?<![\w'’])(?:(?P<hon>" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r")\.?[ \t]*\n?[ \t]*)?"
    r"(?P<words>" + _WORD + r"(?:[ \t]*\n?[ \t]*" + _WORD + r")*)"
)
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = set(".!?…")
_OPENING_QUOTES = set("\"“‘«")
_OPENERS = set("\"'“‘«(—–-[*_ \t\r\n")
_HON_DOT = re.compile(r"\b(Mr|Mrs|Ms|Dr|St)(\.?)(?=\s)")
_THEN_LOWER = re.compile(r"[ \t]+[a-z]")
_THEN_SAID = re.compile(r"[ \t]+(?:\w+ly[ \t]+)?(?:said|says|asked|asks|replied|replies|answered|whispered|murmured|muttered|"
                        r"shouted|cried|called|snapped|told|tells|exclaimed|added|continued|sighed)\b")
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_SUBJECTS = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_PARTICLES = re.compile(r"(?<=\s)(?:Van|Der|Von|De|Du|La|Le|Di|Da|Del|Della|Den)(?=\s)")
_NEXT_SENTENCE_PRONOUN = re.compile(r"^[^.!?\"“”]*[.!?][\"”’]?\s+(He|She)\b")
_OWN_POSSESSIVE = re.compile(r"^\s+(?:\w+ly\s+)?[a-z]+\s+(his|her)\s+(?:own\s+)?[a-z]+")
_QUOTE_CHARS = "\"“”"
_VOCATIVE_AFTER = re.compile(r"\w+\s+\w+[^,]*,\s*(?:my\s+)?([a-z][a-z'’]+)\s*[.!?]*$")
_VOCATIVE_BEFORE = re.compile(r"^(?:(?:oh|hey|ah),?\s+)?([a-z][a-z'’]+),")
_IMPERATIVES = set("move go stop wait come look listen run hurry hold stay leave help sit stand please thanks".split())
_GENERIC_ADDRESS = set(
    """sir madam ma'am man dude guys mate bro buddy pal kid kids son boys girls folks everyone everybody
    friend friends sweetheart honey love darling dear babe baby sweetie gentlemen ladies child children
    mister miss lady boy girl fellow chap please yes no okay ok well then now though too again""".split()
)


@dataclass
class _Form:
    """A name as written: an optional honorific and its words."""

    hon: str | None
    words: tuple[str, ...]
    count: int = 0
    mid: int = 0
    after_the: int = 0
    then_lower: int = 0  # followed by a lowercase word ("Anna ran")
    then_said: int = 0  # followed by a speech verb ("Anna said")
    place: int = 0  # after "at", "from", "near"...: "at Longbourn"

    @property
    def text(self) -> str:
        return " ".join(([self.hon + ("." if self.hon in ("Mr", "Mrs", "Ms", "Dr", "Mx") else "")] if self.hon else []) + list(self.words))


@dataclass
class _Entity:
    forms: list[_Form] = field(default_factory=list)
    name: str | None = None
    extra: list[str] = field(default_factory=list)
    gender: str | None = None

    def key_words(self) -> tuple[str, ...]:
        return max((f.words for f in self.forms), key=len)


def find(work: Work, quotes: list[Quote], *, cast: list[dict] | None = None) -> tuple[list[Character], list[Mention]]:
    """The people of `work` and every place the text names them."""
    spans = [(p.start, p.end) for _, p in work.story_paragraphs()]
    ambiguous: dict[str, set[int]] = {}
    if cast:
        entities, ambiguous = _cast_entities(cast)
    else:
        entities = _text_entities(work, spans)
        _apply_tags(entities, work.meta.characters)
    people = [
        Character(id=f"c{i + 1}", name=e.name or _fullest(e), aliases=_aliases(e), gender=e.gender)
        for i, e in enumerate(entities)
    ]
    if not cast:
        people += _reader(work.text, spans, len(people))
    mentions = _mentions(work.text, spans, people)
    if ambiguous:
        # "Charles" with three Charleses in the cast goes to the one the text names far more often.
        counts = Counter(m.character for m in mentions)
        added = False
        for word, idx in ambiguous.items():
            ranked = sorted(idx, key=lambda i: -counts[people[i].id])
            top = counts[people[ranked[0]].id]
            second = counts[people[ranked[1]].id] if len(ranked) > 1 else 0
            if top >= 3 and top >= 3 * second:
                people[ranked[0]].aliases.append(word)
                added = True
        if added:
            mentions = _mentions(work.text, spans, people)
    if cast and _add_bare_titles(work.text, spans, quotes, people):
        mentions = _mentions(work.text, spans, people)
    _guess_gender(work.text, spans, quotes, people, mentions)
    counts = Counter(m.character for m in mentions)
    return [replace(c, mentions=counts[c.id]) for c in people], mentions


def _add_bare_titles(text: str, spans: list[tuple[int, int]], quotes: list[Quote], people: list[Character]) -> bool:
    """A title only one cast member bears is that one's name where the narration uses it alone.

    "exclaimed Mademoiselle" for Mademoiselle Reisz, "the Colonel" for Colonel Brandon: at least three
    times mid-sentence outside the quotes, never followed by another name.
    """
    holders: dict[str, set[int]] = defaultdict(set)
    for i, c in enumerate(people):
        for n in [c.name, *c.aliases]:
            words = n.split()
            if len(words) > 1 and (words[0].rstrip(".") in HONORIFICS or words[0] in TITLES):
                holders[words[0]].add(i)
    quotes = sorted(quotes, key=lambda q: q.start)
    starts = [q.start for q in quotes]
    taken = {a for c in people for a in [c.name, *c.aliases]}
    added = False
    for title, idx in holders.items():
        if len(idx) != 1 or title in taken or title.endswith(".") or title in _ABBREVIATED:
            continue
        rx = re.compile(r"(?<=[a-z,;] )" + re.escape(title) + r"(?!\w)" + _NO_NAME_AFTER)
        uses = 0
        for s, e in spans:
            for m in rx.finditer(text, s, e):
                k = bisect_right(starts, m.start()) - 1
                uses += not (k >= 0 and quotes[k].end > m.start())
        if uses >= 3:
            people[next(iter(idx))].aliases.append(title)
            added = True
    return added


def _reader(text: str, spans: list[tuple[int, int]], taken: int) -> list[Character]:
    """The reader of a reader-insert story, under every spelling the text uses ("Y/N", "(y/n)")."""
    forms = Counter(m.group().strip("()[]") for s, e in spans for m in READER_INSERT.finditer(text, s, e))
    if not forms:
        return []
    names = [f for f, _ in forms.most_common()]
    name = READER if READER in forms else names[0]
    return [Character(id=f"c{taken + 1}", name=name, aliases=[n for n in names if n != name])]


def count_quotes(people: list[Character], quotes: list[Quote]) -> list[Character]:
    """Quote counts per character, and the terms of address one speaker keeps using for one addressee.

    A lowercase vocative ("It's my job to worry, princess.") said to the same person, and never to
    anyone else, becomes one of that person's aliases.
    """
    by_name = {c.name: c for c in people}
    said = Counter(q.speaker for q in quotes if q.speaker)
    nick_to: dict[str, Counter] = defaultdict(Counter)
    for q in quotes:
        if q.kind not in ("speech", "thought") or not q.addressee:
            continue
        for word in _lower_vocatives(q.text):
            nick_to[word][q.addressee] += 1
    taken = {a.lower() for c in people for a in [c.name, *c.aliases]}
    extra: dict[str, list[str]] = defaultdict(list)
    for word, targets in nick_to.items():
        if len(targets) == 1 and word not in taken and word not in _GENERIC_ADDRESS:
            (target,) = targets
            if target in by_name:
                extra[target].append(word)
    return [
        replace(c, quotes=said[c.name], aliases=c.aliases + [w for w in extra[c.name] if w not in c.aliases])
        for c in people
    ]


def _lower_vocatives(text: str) -> list[str]:
    out = []
    for rx in (_VOCATIVE_AFTER, _VOCATIVE_BEFORE):
        m = rx.search(text.strip())
        if m and len(m.group(1)) > 2 and not m.group(1).endswith("ly") and m.group(1) not in _IMPERATIVES:
            out.append(m.group(1).replace("’", "'"))
    return out


def _cast_entities(cast: list[dict]) -> tuple[list[_Entity], dict[str, set[int]]]:
    out = []
    for c in cast:
        e = _Entity(name=str(c["name"]))
        names = [str(c["name"]), *(str(a) for a in c.get("aliases", []) or [])]
        variants = [n.strip() for n in names if n and n.strip()]
        variants += [_PARTICLES.sub(lambda m: m.group().lower(), n) for n in variants]
        variants += [_HON_DOT.sub(lambda m: m.group(1) + ("" if m.group(2) else "."), n) for n in variants]
        variants += [v for n in variants if n.startswith("The ") for v in ("the" + n[3:], "the" + n[3:].lower(), "The" + n[3:].lower())]
        e.extra = list(dict.fromkeys(n for n in variants if n != e.name))
        g = str(c.get("gender") or "").lower()
        e.gender = {"m": "male", "male": "male", "f": "female", "female": "female"}.get(g)
        out.append(e)
    # A first name or surname of a cast name is an alias when no other cast member could own it.
    owners: dict[str, set[int]] = defaultdict(set)
    own: set[str] = set()
    for i, e in enumerate(out):
        for n in [e.name, *e.extra]:
            own.add(n)
            for w in n.replace(".", " ").split():
                if w[:1].isupper() and w.rstrip(".") not in HONORIFICS and w not in TITLES and (
                        w not in STOP or (w in _GIVEN_NAMES and n.startswith(w + " "))):
                    owners[w].add(i)
    ambiguous = {}
    for w, idx in owners.items():
        if w in own or len(w) < 2:
            continue
        if len(idx) == 1:
            out[next(iter(idx))].extra.append(w)
        else:
            ambiguous[w] = idx
    return out, ambiguous


def _sentence_start(text: str, pos: int, floor: int) -> bool:
    """At the start of a sentence, or of a quotation (`says, "Stubborn."`), a capital proves nothing."""
    j = pos - 1
    while j >= floor and text[j] in _OPENERS:
        if text[j] in _OPENING_QUOTES and (j == floor or text[j - 1].isspace() or text[j - 1] in "([—–"):
            return True
        j -= 1
    return j < floor or text[j] in _SENTENCE_END or text[j] in "\"“”:"


def _text_entities(work: Work, spans: list[tuple[int, int]]) -> list[_Entity]:
    text = work.text
    forms: dict[tuple, _Form] = {}
    lower_counts: Counter = Counter()
    for s, e in spans:
        chunk = text[s:e]
        for m in _SEQ.finditer(text, s, e):
            hon = m.group("hon")
            raw = re.split(r"\s+", m.group("words"))
            words = [_POSSESSIVE.sub("", w) for w in raw]
            start = m.start()
            # Leading function words ("Then Clarke") are dropped, trailing ones too ("Clarke I").
            lead = 0
            if any(w in PLACE_WORDS or any(part in STOP for part in w.split("-")[1:]) for w in words):
                continue
            while not hon and lead < len(words) and words[lead] in STOP and words[lead] not in TITLES:
                lead += 1
            words = words[lead:]
            while words and words[-1] in STOP:
                words.pop()
            if not words:
                continue
            if lead:
                start = m.start("words") + sum(len(w) + 1 for w in raw[:lead])
            # A capitalised word after a dropped function word ("Then Clarke") is capitalised for a reason.
            at_start = (not hon) and lead == 0 and _sentence_start(text, start, s)
            # Titles are kept as a separate word so "Commander Lexa" joins "Lexa".
            key = (hon, tuple(words))
            f = forms.get(key)
            if f is None:
                f = forms[key] = _Form(hon, tuple(words))
            f.count += 1
            if not at_start:
                f.mid += 1
            if _THEN_LOWER.match(text, m.end(), e):
                f.then_lower += 1
                if _THEN_SAID.match(text, m.end(), e):
                    f.mid += 1  # "Bellamy said": a speaker, wherever the sentence starts
                    f.then_said += 1
            before = " " + text[max(s, start - 8):start].lower()
            if before.endswith(_DETERMINERS):
                f.after_the += 1
            if before.endswith(_PLACE_BEFORE):
                f.place += 1
        lower_counts.update(re.findall(r"\b[a-z][a-z'’]+\b", chunk))
    return _group_forms(forms, lower_counts, set(work.meta.characters))


def _is_person_form(f: _Form, lower_counts: Counter, tagged_words: set[str], mid_words: set[str]) -> bool:
    words = [w for w in f.words if w not in TITLES]
    if not words:
        return False
    if any(len(w) < 2 for w in words):
        return False
    if f.hon:
        return True
    if len(f.words) > 3:
        return False
    if f.mid == 0 and not (set(words) & (tagged_words | mid_words)):
        # Only ever at a sentence start: a name when it acts ("Anna ran.") and is never written in lowercase.
        w = words[0]
        if len(words) > 1 or f.count < 3 or lower_counts[w.lower()] or w.endswith("ly") or f.then_lower * 2 < f.count:
            return False
    if f.after_the * 2 > f.count:
        return False
    if not f.then_said and f.place * 5 >= f.count * 2 and (f.count >= 3 or f.place == f.count >= 2):
        return False  # "at Longbourn", "from Meryton": a place
    if len(words) == 1:
        w = words[0]
        if lower_counts[w.lower()] > 2 * f.mid + 1:
            return False
    return True


def _group_forms(forms: dict[tuple, _Form], lower_counts: Counter, tags: set[str]) -> list[_Entity]:
    tagged_words = {w for t in tags for w in t.split()}
    mid_words = {w for f in forms.values() if f.mid and not f.hon for w in f.words}
    alone = Counter({f.words[0]: f.count for f in forms.values() if not f.hon and len(f.words) == 1})
    for key, f in list(forms.items()):
        # "from London Lydia went": two names that each stand alone far more often than together.
        if not f.hon and len(f.words) == 2 and f.count <= 2 and min(alone[w] for w in f.words) >= 3:
            del forms[key]
    kept = [f for f in forms.values() if _is_person_form(f, lower_counts, tagged_words, mid_words)]
    # Titles are not names: "Commander Lexa" is an alias of "Lexa".
    titled: dict[tuple, list[_Form]] = defaultdict(list)
    plain: dict[tuple, _Form] = {}
    for f in kept:
        core = tuple(w for w in f.words if w not in TITLES)
        if f.hon is None and core != f.words:
            titled[core].append(f)
        else:
            key = (f.hon, core)
            if key in plain:
                plain[key].count += f.count
            else:
                plain[key] = _Form(f.hon, core, f.count, f.mid, f.after_the)
    for core, fs in titled.items():
        if (None, core) not in plain:
            plain[(None, core)] = _Form(None, core, sum(x.count for x in fs), sum(x.mid for x in fs))
    entities: list[_Entity] = []
    owner: dict[tuple, _Entity] = {}
    multi = sorted((f for k, f in plain.items() if k[0] is None and len(f.words) > 1), key=lambda f: -len(f.words))
    for f in multi:
        # "Clarke Griffin Blake"-style longer forms absorb shorter full names they contain.
        host = next((e for e in entities if _contains(e.key_words(), f.words)), None)
        if host is None:
            host = _Entity()
            entities.append(host)
        host.forms.append(f)
        owner[(None, f.words)] = host
    firsts: dict[str, set[int]] = defaultdict(set)
    lasts: dict[str, set[int]] = defaultdict(set)
    for i, e in enumerate(entities):
        for f in e.forms:
            firsts[f.words[0]].add(i)
            lasts[f.words[-1]].add(i)
    singles = [f for k, f in plain.items() if k[0] is None and len(f.words) == 1]
    honored = [f for k, f in plain.items() if k[0] is not None]
    surname_hon: dict[str, list[_Form]] = defaultdict(list)
    for f in honored:
        if len(f.words) == 1:
            surname_hon[f.words[-1]].append(f)
    size = [sum(f.count for f in e.forms) for e in entities]
    for f in singles:
        w = f.words[0]
        if len(firsts[w]) == 1 and not lasts[w] - firsts[w]:
            entities[next(iter(firsts[w]))].forms.append(f)
        elif len(lasts[w]) == 1 and not firsts[w] and not surname_hon.get(w):
            entities[next(iter(lasts[w]))].forms.append(f)
        elif firsts[w] or lasts[w]:
            # "Emma" with "Emma Woodhouse" and a stray "Emma Woodhouse-ing": the full name the text uses most,
            # when it dominates; otherwise the bare name is its own person.
            hosts = sorted(firsts[w] | lasts[w], key=lambda i: -size[i])
            if len(hosts) == 1 or size[hosts[0]] >= 3 * size[hosts[1]]:
                entities[hosts[0]].forms.append(f)
            elif not surname_hon.get(w):
                e = _Entity(forms=[f])
                entities.append(e)
                owner[(None, f.words)] = e
        else:
            if len(surname_hon.get(w, [])) == 1:
                continue  # joins its honorific form below
            if surname_hon.get(w):
                continue  # "Bennet" alone: Mr. or Mrs.? Too ambiguous to count.
            e = _Entity(forms=[f])
            entities.append(e)
            owner[(None, f.words)] = e
    for f in honored:
        e = None
        if len(f.words) > 1:
            e = owner.get((None, f.words))
        elif len(firsts[f.words[0]]) == 1 and not lasts[f.words[0]]:
            e = entities[next(iter(firsts[f.words[0]]))]  # "Miss Elizabeth" -> Elizabeth Bennet
        elif len(lasts[f.words[0]]) == 1 and len(surname_hon[f.words[0]]) == 1:
            # "Mr. Holmes" joins "Mr. Sherlock Holmes" when that full name has the same honorific's gender.
            host = entities[next(iter(lasts[f.words[0]]))]
            if any(g.hon and HONORIFICS.get(g.hon) == HONORIFICS.get(f.hon) and HONORIFICS.get(f.hon) for g in host.forms):
                e = host
        if e is None:
            e = _Entity()
            entities.append(e)
            bare = plain.get((None, f.words))
            if bare is not None and len(surname_hon[f.words[-1]]) == 1 and bare not in [x for en in entities for x in en.forms]:
                e.forms.append(bare)
        e.forms.append(f)
        if HONORIFICS.get(f.hon):
            e.gender = HONORIFICS[f.hon]
    for core, fs in titled.items():
        e = next((en for en in entities if any(x.hon is None and x.words == core for x in en.forms)), None)
        if e is not None:
            e.extra.extend(x.text for x in fs)
            g = {TITLES.get(x.words[0]) for x in fs} - {None}
            if len(g) == 1 and e.gender is None:
                e.gender = g.pop()
    entities = _merge_nicknames([e for e in entities if e.forms])
    entities.sort(key=lambda e: -sum(f.count for f in e.forms))
    return entities


def _is_nickname(short: str, first: str) -> bool:
    """"Sol" for Marisol, "Alex" for Alexander, "Toby" for Tobias: the clipped forms English nicknames take."""
    if len(short) < 3 or len(first) <= len(short):
        return False
    if first.startswith(short) and len(first) - len(short) >= 2 and short[-1] not in "aeiou":
        return True  # a clipped syllable: "Alex", "Sam"; "Maria" is a name of its own, not Marianne's
    if first.lower().endswith(short.lower()) and len(first) - len(short) >= 3:
        return True
    stem = short[:-2] if short.endswith("ie") else short[:-1] if short.endswith("y") else ""
    return len(stem) >= 3 and first.startswith(stem)


def _merge_nicknames(entities: list[_Entity]) -> list[_Entity]:
    """A one-word name that is a clipped form of exactly one other person's first name is that person."""
    firsts = [{f.words[0] for f in e.forms if f.hon is None} for e in entities]
    merged: set[int] = set()
    for i, e in enumerate(entities):
        if len(e.forms) != 1 or e.forms[0].hon or len(e.forms[0].words) != 1:
            continue
        short = e.forms[0].words[0]
        hosts = [j for j, names in enumerate(firsts) if j != i and j not in merged
                 and any(_is_nickname(short, n) for n in names)]
        if len(hosts) == 1:
            entities[hosts[0]].forms.extend(e.forms)
            merged.add(i)
    return [e for i, e in enumerate(entities) if i not in merged]


def _contains(big: tuple, small: tuple) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def _apply_tags(entities: list[_Entity], tags: list[str]) -> None:
    """AO3 writes "Clarke Griffin" where the text says "Clarke": the tag becomes the name."""
    for tag in tags:
        clean = re.sub(r"\s*\(.*?\)\s*", " ", tag).strip()
        words = clean.split()
        if not words:
            continue
        hits = [e for e in entities if any(f.words and (f.words == tuple(words) or f.words[0] == words[0]) for f in e.forms)]
        if len(hits) != 1:
            hits = [e for e in entities if any(f.words and f.words[-1] == words[-1] and len(f.words) == 1 for f in e.forms)]
        if len(hits) == 1 and hits[0].name is None:
            hits[0].name = clean


def _fullest(e: _Entity) -> str:
    # The fullest form, except that a title on a first name ("Miss Elizabeth") loses to the bare name.
    def rank(f: _Form) -> tuple:
        bare_first = f.hon and len(f.words) == 1 and any(g.hon is None and g.words == f.words for g in e.forms)
        return (len(f.words) + (0 if bare_first or not f.hon else 1), f.count)

    best = max(e.forms, key=rank)
    return best.text


def _aliases(e: _Entity) -> list[str]:
    name = e.name or _fullest(e)
    out = []
    for a in [*(f.text for f in sorted(e.forms, key=lambda f: -f.count)), *e.extra]:
        if a != name and a not in out:
            out.append(a)
    return out


def _mentions(text: str, spans: list[tuple[int, int]], people: list[Character]) -> list[Mention]:
    owners: dict[str, list[str]] = defaultdict(list)
    for c in people:
        for n in [c.name, *c.aliases]:
            if n and n.strip() and c.id not in owners[n]:
                owners[n].append(c.id)
    owner = {n: ids[0] for n, ids in owners.items() if len(ids) == 1}
    out = _find(text, spans, owner)
    # A name several characters bear ("Mademoiselle", "Mrs. Archer") is the one of them the text
    # names far more often by their own names.
    counts = Counter(m.character for m in out)
    shared = {}
    for n, ids in owners.items():
        if len(ids) > 1:
            ranked = sorted(ids, key=lambda i: -counts[i])
            if counts[ranked[0]] >= 3 * max(1, counts[ranked[1]]):
                shared[n] = ranked[0]
    return _find(text, spans, {**owner, **shared}) if shared else out


def _find(text: str, spans: list[tuple[int, int]], owner: dict[str, str]) -> list[Mention]:
    names = sorted(owner, key=len, reverse=True)
    if not names:
        return []
    pattern = "|".join(
        r"\s+".join(re.escape(w) for w in n.split()) + (_NO_NAME_AFTER if _is_title(n) else "") for n in names)
    rx = re.compile(r"(?<![\w])" + first_letter(names) + r"(?:" + pattern + r")(?![\w])")
    lookup = {re.sub(r"\s+", " ", n): o for n, o in owner.items()}
    out = []
    for s, e in spans:
        for m in rx.finditer(text, s, e):
            cid = lookup.get(re.sub(r"\s+", " ", m.group()))
            if cid:
                out.append(Mention(m.start(), m.end(), cid))
    return out


def first_letter(names: list[str]) -> str:
    """A lookahead for the letters the names begin with: a long alternation of names is tried at a
    position only when one of them can start there, which makes the scan several times faster."""
    return "(?=[" + "".join(sorted({re.escape(n[0]) for n in names if n})) + "])"


def _is_title(name: str) -> bool:
    """A bare title as a name: "Mademoiselle" is not the one in "Mademoiselle Duvigne"."""
    return name.rstrip(".") in HONORIFICS or name in TITLES


def _guess_gender(text: str, spans: list[tuple[int, int]], quotes: list[Quote], people: list[Character], mentions: list[Mention]) -> None:
    """He or she, from the narration: "Bellamy said huskily. He ..." and "Clarke shook her head"."""
    quote_starts = [q.start for q in quotes]
    quote_ends = [q.end for q in quotes]
    votes: dict[str, Counter] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        k = bisect_right(quote_starts, m.start) - 1
        if k >= 0 and quote_ends[k] >= m.end:
            continue
        limit = m.end + 160
        if i + 1 < len(mentions):
            limit = min(limit, mentions[i + 1].start)
        window = text[m.end:limit]
        cut = min((window.find(ch) for ch in _QUOTE_CHARS + "\n" if ch in window), default=-1)
        if cut >= 0:
            window = window[:cut]
        pm = _OWN_POSSESSIVE.match(window)
        if pm:
            votes[m.character][pm.group(1).lower()] += 2
        elif not window.startswith(("'", "’")) and _sentence_start(text, m.start, max(0, m.start - 200)):
            pm = _NEXT_SENTENCE_PRONOUN.search(window)
            if pm:
                votes[m.character][pm.group(1).lower()] += 1
    # Paragraphs that name one character only: their subject pronouns mostly mean that character.
    para_starts = [ps for ps, _ in spans]
    named: dict[int, set[str]] = defaultdict(set)
    for m in mentions:
        k = bisect_right(quote_starts, m.start) - 1
        if k >= 0 and quote_ends[k] >= m.end:
            continue
        named[bisect_right(para_starts, m.start) - 1].add(m.character)
    share: dict[str, Counter] = defaultdict(Counter)
    for p, who in named.items():
        if len(who) != 1 or p < 0:
            continue
        ps, pe = spans[p]
        chunk = _QUOTED.sub(" ", text[ps:pe])
        (cid,) = who
        share[cid].update(w.lower() for w in _SUBJECTS.findall(chunk))
    # The point-of-view character's pronoun fills every paragraph; compare each share with the baseline.
    total = Counter()
    for sh in share.values():
        total.update(sh)
    base = total["he"] / (total["he"] + total["she"]) if total["he"] + total["she"] else 0.5
    for c in people:
        if c.gender:
            continue
        v = votes.get(c.id, Counter())
        sh = share.get(c.id, Counter())
        n = sh["he"] + sh["she"]
        lean = (sh["he"] / n - base) * min(n, 20) / 4 if n >= 4 else 0.0
        lean += (v["he"] + v["his"] - v["she"] - v["her"]) / 2
        if abs(lean) >= 1:
            c.gender = "male" if lean > 0 else "female"
