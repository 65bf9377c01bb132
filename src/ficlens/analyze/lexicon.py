"""Word lists for telling finite verbs and their tense apart without a parser.

Written by hand for narrative prose: the irregular verbs (base, past, past participle), the verbs
common enough in fiction that an `-s` or bare form after a subject can be trusted as a verb, the
function words that look like verbs (`need`, `bed`, `always`), and the cue words of point of view.
Everything is lower case.
"""

from __future__ import annotations

# base past participle (alternatives with "/")
_IRREGULAR = """
arise arose arisen|awake awoke awoken|be was/were been|bear bore borne/born|beat beat beaten|
become became become|begin began begun|bend bent bent|bet bet bet|bind bound bound|bite bit bitten|
bleed bled bled|blow blew blown|break broke broken|breed bred bred|bring brought brought|
build built built|burn burnt/burned burnt/burned|burst burst burst|buy bought bought|cast cast cast|
catch caught caught|choose chose chosen|cling clung clung|come came come|cost cost cost|creep crept crept|
cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn|dream dreamt/dreamed dreamt/dreamed|
drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed fed|feel felt felt|
fight fought fought|find found found|flee fled fled|fling flung flung|fly flew flown|forbid forbade forbidden|
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten/got|give gave given|
go went gone|grind ground ground|grow grew grown|hang hung/hanged hung/hanged|have had had|hear heard heard|
hide hid hidden|hit hit hit|hold held held|hurt hurt hurt|keep kept kept|kneel knelt/kneeled knelt/kneeled|
know knew known|lay laid laid|lead led led|lean leant/leaned leant/leaned|leap leapt/leaped leapt/leaped|
learn learnt/learned learnt/learned|leave left left|lend lent lent|let let let|lie lay lain|light lit/lighted lit|
lose lost lost|make made made|mean meant meant|meet met met|pay paid paid|put put put|quit quit quit|
read read read|rid rid rid|ride rode ridden|ring rang rung|rise rose risen|run ran run|say said said|
see saw seen|seek sought sought|sell sold sold|send sent sent|set set set|shake shook shaken|shed shed shed|
shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|shut shut shut|sing sang sung|
sink sank sunk|sit sat sat|slay slew slain|sleep slept slept|slide slid slid|sling slung slung|slit slit slit|
smell smelt/smelled smelt/smelled|speak spoke spoken|speed sped sped|spend spent spent|spill spilt/spilled spilt/spilled|
spin spun spun|spit spat spat|split split split|spread spread spread|spring sprang sprung|stand stood stood|
steal stole stolen|stick stuck stuck|sting stung stung|stink stank stunk|stride strode stridden|strike struck struck|
string strung strung|strive strove striven|swear swore sworn|sweep swept swept|swell swelled swollen|
swim swam swum|swing swung swung|take took taken|teach taught taught|tear tore torn|tell told told|
think thought thought|throw threw thrown|thrust thrust thrust|tread trod trodden|understand understood understood|
wake woke woken|wear wore worn|weave wove woven|weep wept wept|win won won|wind wound wound|
withdraw withdrew withdrawn|wring wrung wrung|write wrote written|overcome overcame overcome|
undertake undertook undertaken|upset upset upset|mistake mistook mistaken|foresee foresaw foreseen|
behold beheld beheld|forsake forsook forsaken|arise arose arisen|dive dove/dived dived|sew sewed sewn|
sow sowed sown|saw sawed sawn|mow mowed mown|prove proved proven|stave stove stove|bid bid bid|
broadcast broadcast broadcast|shear sheared shorn|spoil spoilt/spoiled spoilt/spoiled|spell spelt/spelled spelt/spelled|
dwell dwelt dwelt|strew strewed strewn|smite smote smitten|thrive throve/thrived thriven/thrived
"""

IRREGULAR: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
for _entry in _IRREGULAR.split("|"):
    _base, _past, _pp = _entry.split()
    IRREGULAR[_base] = (tuple(_past.split("/")), tuple(_pp.split("/")))

# Regular verbs frequent in fiction; with the irregular ones they make the set of verbs whose
# `-s` form or bare form after a subject is taken as a finite verb.
_REGULAR = """
accept act add admit agree aim allow answer appear arrive ask attack attempt avoid back bark beg belong
blink blush boil bother bounce bow brace breathe brush bump call calm care carry cause change charge chase
check cheer chew choke circle claim clap clasp clean clear climb close collapse comb complain confess consider
continue cough count cover crack crash crawl cross cry curl curse dance dare decide declare demand deny
depend deserve die disappear drag drift drop duck dress earn echo empty end enjoy enter escape examine
exhale expect explain face fade fail fill finish fix flash flick flinch float flush fold follow force frown
gasp gather gaze giggle glance glare glide glow grab grasp greet grin grip groan growl grumble grunt guess
hand handle happen hate head help hesitate hiss hop hope hug hum hurry ignore imagine inhale insist jerk
join joke jump kick kill kiss knock land last laugh lick like limp linger listen live lock look love
manage marry matter mention miss mistake motion mouth move mumble murmur mutter nod note notice nudge
nuzzle offer open order owe pace pack panic pant pass pause peek peer pick place plan plead point poke
pour pray press pretend promise pull punch push rain raise reach realise realize recall recognise recognize
refuse regret relax release rely remain remember repeat reply rest return rip roar rock roll rub rush
sag save scoff scowl scramble scream search seem settle shiver shout shove shriek shrug shudder sigh
smile smirk snap snarl sneak snort sob spot squeeze squint stare start stay step stir stop straighten
stretch stroke struggle stumble suppose surprise swallow sway talk tap taste tease thank tighten tilt
touch trace trail tremble trip try tug turn twist use wait walk wander want warn wash watch wave whimper
whine whirl whisper wince wipe wish wonder work worry wrap yank yell yawn zip close crouch glance hover
rise roam snicker spit stalk struggle tense topple tremble tuck usher vanish wake wobble wrinkle yearn
agree apologize apologise arrange assume attend beam believe blame blink bolt brighten burn clutch collect
compare concern contain cradle creak dangle deepen deliver describe destroy die dip discover dismiss
disturb doubt drape drum dry enter explode fear feature fidget figure fire flip flutter form frown fumble
gesture grunt hammer hang harden haunt heal heat hurl hustle inch interrupt introduce jog kneel lift
light linger loosen lower mark mean melt nestle object observe pat pepper perch pester plop plunge prefer
prepare pretend prod protest prove pucker purse question quiet race rattle recover reflect remind repeat
reveal ruffle sample scan scratch seal shake shift shine shuffle sip skim slam slap slip slump smack
smash smell sniff soften sound sparkle speak spin splash sprawl stab stagger startle steady sting stomp
storm strain stroll stuff suck suggest swear sweep swing tangle tear thud thump tick toss tremble trudge
trust tumble twirl unfold unlock urge vow wail warm weep wheeze wiggle wink wobble worry wreck yelp
"""

BASE_VERBS: frozenset[str] = frozenset(_REGULAR.split()) | frozenset(IRREGULAR)

# Past forms of irregular verbs, and the ones that cannot also be a past participle: `became`,
# `went`, `saw` are finite past wherever they stand as verbs; `felt`, `said` may follow `had`.
IRREGULAR_PAST: frozenset[str] = frozenset(p for ps, _ in IRREGULAR.values() for p in ps) - {"was", "were"}
IRREGULAR_PARTICIPLE: frozenset[str] = frozenset(p for _, pps in IRREGULAR.values() for p in pps)
PAST_ONLY: frozenset[str] = IRREGULAR_PAST - IRREGULAR_PARTICIPLE - frozenset(IRREGULAR)
# Past forms that are also a common noun or adjective ("a saw", "her left eye", "the thought").
PAST_HOMOGRAPHS: frozenset[str] = frozenset(
    "saw rose fell left felt thought found ground wound bound lay bore stole spoke shed lit set put cut hit "
    "hurt cost let read quit shut spread cast burst bet bid rid slit split thrust upset broadcast dove "
    "sought leapt lead led meant sent won wove bit shot dealt".split()
)

# Base verbs that end in -s, so their bare form must not be read as a 3rd-person -s form.
_S_BASES = frozenset("miss kiss hiss press pass cross toss dress guess bless fuss focus".split())

THIRD_SINGULAR: dict[str, str] = {}
for _v in BASE_VERBS:
    if _v.endswith(("s", "x", "z", "ch", "sh", "o")):
        THIRD_SINGULAR[_v + "es"] = _v
    elif _v.endswith("y") and len(_v) > 2 and _v[-2] not in "aeiou":
        THIRD_SINGULAR[_v[:-1] + "ies"] = _v
    else:
        THIRD_SINGULAR[_v + "s"] = _v
THIRD_SINGULAR["has"] = "have"
THIRD_SINGULAR["does"] = "do"

# Words ending in -ed that are not past forms; and -s words after a subject that are not verbs.
ED_NOT_PAST: frozenset[str] = frozenset(
    "bed red shed need seed feed weed speed breed creed greed heed bleed plead proceed exceed succeed "
    "indeed hundred sacred naked wicked rugged ragged jagged crooked beloved learned aged blessed "
    "dogged wretched sled fled led bred wed sped fed embed bobsled infrared unwed ted".split()
)
S_NOT_VERB: frozenset[str] = frozenset(
    "is was has does this his hers its ours yours theirs us thus yes always perhaps sometimes afterwards "
    "towards upwards downwards backwards forwards besides less unless nevertheless regardless "
    "across as was alas series news lens bus gas plus anyways".split()
)

SUBJECT_SINGULAR = frozenset("he she".split())
SUBJECT_PLURAL = frozenset("i we they you".split())
SUBJECT_IT = frozenset("it this that there who which what".split())

PAST_AUX = frozenset("was were wasn't weren't did didn't had hadn't".split())
PRESENT_AUX = frozenset(
    "is are am isn't aren't ain't has hasn't does doesn't".split()
)
# "do"/"have" are finite present only after a subject; "don't" too.
PRESENT_AUX_AFTER_SUBJECT = frozenset("do don't have haven't".split())
MODALS_PRESENT = frozenset("can can't cannot will won't shall may must".split())
MODALS_PAST = frozenset("could couldn't would wouldn't should shouldn't might mightn't".split())

# Contractions of a pronoun with is/are/am/has/have: present whichever it is (he's = he is | he has).
CONTRACTED_PRESENT_SUFFIXES = ("'s", "'re", "'m", "'ve")
CONTRACTING_PRONOUNS = frozenset(
    "he she it i you we they there that what who here where how everything nothing something everyone "
    "someone nobody everybody somebody this".split()
)

# Words skipped between a subject and its verb: "he still knows", "she slowly turns".
ADVERBS = frozenset(
    "still just only even already finally suddenly slowly quickly quietly softly also never always often "
    "really almost nearly barely hardly simply now instantly immediately gently carefully actually "
    "eventually merely nervously sadly silently swiftly tentatively abruptly briefly quickly absently "
    "reluctantly instinctively automatically certainly probably definitely clearly honestly truly "
    "sometimes usually rarely once somehow again all both each further secretly mostly".split()
)

DETERMINERS = frozenset(
    "the a an his her their its my your our this that these those some any no every each another "
    "what which whose".split()
)
SUBORDINATORS = frozenset(
    "as when while whilst if because since though although once until till before after unless whenever "
    "wherever whether".split()
)
SIMULTANEOUS = frozenset("as while whilst".split())
COORDINATORS = frozenset("and but or then yet so".split())

# Words that license a past verb in present narration (or mark a flashback in past narration).
PAST_TIME_CUES = frozenset(
    "ago earlier yesterday previously formerly used remembered remembers remember recalls recall recalled "
    "childhood memory memories".split()
)

# Point of view: verbs of cognition and perception whose subject is the one we see through.
_INNER_VERBS = """
think know feel wonder realise realize remember notice hope wish fear want decide understand believe
sense suspect doubt worry regret imagine recall suppose guess figure assume expect forget hate love
need dread crave long ache yearn miss hear see smell taste watch
"""


def verb_forms(base: str) -> set[str]:
    """Every form of a verb: base, -s, past, participle, -ing."""
    out = {base}
    if base in IRREGULAR:
        past, pp = IRREGULAR[base]
        out.update(past, pp)
    else:
        stem = base[:-1] if base.endswith("e") else base
        if base.endswith("y") and base[-2] not in "aeiou":
            stem = base[:-1] + "i"
        out.add(stem + "ed")
    out.update(k for k, v in THIRD_SINGULAR.items() if v == base)
    stem = base[:-1] if base.endswith("e") and not base.endswith(("ee", "ye")) else base
    out.add(stem + "ing")
    return out


INNER_VERB_FORMS: frozenset[str] = frozenset(f for b in _INNER_VERBS.split() for f in verb_forms(b))
# Perception verbs count less than cognition: anyone in a scene can be seen to watch or hear.
PERCEPTION_VERB_FORMS: frozenset[str] = frozenset(f for b in "hear see smell taste watch".split() for f in verb_forms(b))

# "his heart", "her stomach": body parts and states a narrator only knows from inside.
INNER_NOUNS = frozenset(
    "heart stomach chest mind thoughts thought gut throat pulse feelings feeling "
    "fear anger guilt dread chest relief panic hope memories memory instincts instinct brain conscience "
    "nerves insides soul desire longing".split()
)
# "she was afraid", "he is relieved": feelings named from inside.
INNER_ADJECTIVES = frozenset(
    "afraid scared frightened terrified surprised relieved ashamed embarrassed worried nervous anxious "
    "guilty jealous grateful desperate furious angry confused determined tempted torn heartbroken "
    "devastated lonely sure certain unsure uncertain aware unaware conscious glad sorry curious "
    "overwhelmed exhausted hopeful helpless".split()
)
# Perceivable outward behaviour: "Clarke looked sad" is seen from outside, not a slip.
OUTWARD_VERBS = frozenset(
    "look looks looked seem seems seemed appear appears appeared sound sounds sounded".split()
)
