"""Precision and recall of `ficlens check` on tense slips and point-of-view slips injected at known sentences.

The labelled set is built, never downloaded:
- Passages: the present-tense sample fics 001-003 (Bellamy's point of view, read by hand), the
  past-tense samples 000 and 004, and windows of ~15 paragraphs from PDNC novels told in close third
  person past through one protagonist (Emma, Persuasion, Pride and Prejudice, Northanger Abbey, The
  Age of Innocence, The Awakening). No present-tense version of a PDNC passage is generated: turning
  every verb of a passage into the present cannot be done reliably by rule.
- Tense slips: two sentences per passage that open with "He/She/<Name> <verb>", far apart, get that
  verb swapped into the other tense with the hand-written irregular table and -ed/-s morphology
  ("knew" -> "knows", "walked" -> "walks", "was" -> "is"; "turns" -> "turned"). Sentences whose verb
  cannot be inflected reliably are never picked.
- Point-of-view labels: a reader (an LLM annotator, reading each window itself, never shown ficlens
  output) labelled each PDNC window of the default run (seed 7, 20 per novel) in pov_windows.json:
  the one character it is told through, or "several" (omniscient or shifting) or "none", and the
  sentences of the original that already hop into another head. Only windows told through one
  character get a POV slip; a finding on a hop the reader marked is neither right nor wrong for the
  injected slip, and is counted apart ("head-hops a reader marked"). Unlabelled windows (other
  seeds) get no POV slip.
- The hold-outs (`--holdout`): pov_holdout.json, 38 windows of seeds 11, 13, 17, 19 and 23, and
  pov_holdout_2.json, 66 windows of odd seeds from 29 on, each sharing no paragraph with the seed-7
  windows or with each other, labelled by the same kind of reader in the same way, but only after
  the rules of their day were set. The first was looked at while later rules were written; the
  second is the clean one.
- Point-of-view slips: one sentence reporting another named character's thoughts from inside
  ("Charles wondered whether she meant it.") is inserted after a narration sentence in the middle of
  a passage whose point-of-view character is known (the labelled one / Bellamy). The other character
  is named by a form only they bear ("Collins", not "Bennet", which is also Mrs. Bennet's).
- PDNC passages are checked with PDNC's character list and genders as `--cast`, as a writer who keeps a
  cast file would; the sample fics without one.
- A finding is a true positive when its span lies in an injected sentence; every other tense or pov
  finding on an injected passage is a false positive; findings on the clean passages are false alarms.
  Sample 002's two real slips ("became", "swallowed") are labelled as slips too.

The passages are split in two halves by a fixed shuffle: rules may be tuned on the "tune" half; the
figures to report are those of the "test" half. Both halves are also shown by source: "fic" (the
sample fics) and "classic" (the PDNC windows).

    nice python benchmarks/check_slips.py [--per-novel 20] [--seed 7] [--json] [--verbose]
    nice python benchmarks/check_slips.py --holdout     # the hold-out windows only, each hold-out apart
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ficlens import ingest
from ficlens.analyze import analyze
from ficlens.analyze import lexicon as lx
from ficlens.analyze.characters import HONORIFICS, TITLES
from ficlens.check import check

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "samples" / "fics"
PDNC = SHARED / "data" / "pdnc"
NOVELS = {  # close third person past, one protagonist's point of view
    "Emma": "Emma",
    "Persuasion": "Anne",
    "PrideAndPrejudice": "Elizabeth",
    "NorthangerAbbey": "Catherine",
    "TheAgeOfInnocence": "Archer",
    "TheAwakening": "Edna",
}
SAMPLE_POV = {"001": "Bellamy", "002": "Bellamy", "003": "Bellamy"}
LABELS = json.loads((Path(__file__).with_name("pov_windows.json")).read_text(encoding="utf-8"))
# Hold-outs, each labelled after the rules of its day were set: the first was later looked at while
# rules changed, the second is the fresh one.
HOLDOUTS = {n: json.loads(Path(__file__).with_name(f).read_text(encoding="utf-8"))
            for n, f in (("holdout 1", "pov_holdout.json"), ("holdout 2", "pov_holdout_2.json"))
            if Path(__file__).with_name(f).exists()}
KNOWN_SLIPS = {"002": ["the birds became loud", "as she swallowed the last"]}
_OPENING = re.compile(
    r"(?:(?<=^)|(?<=[.!?]\s)|(?<=; )|(?<=, and ))(?<!Mr\. )(?<!Mrs\. )(?<!Dr\. )(?<!Ms\. )((?:(?:Then|And|But|So|Now) (?:he|she) |He |She |[A-Z][a-z]{2,} )(?:[a-z]+ )?)([a-z]+)(?= )"
)
_PAST_TEMPLATES = [
    "{b} wondered whether {p} had meant any of it.",
    "{b} felt a sudden pang of guilt.",
    "{b} thought {p} had never looked so tired.",
    "{b} realised that {p} was not going to give way.",
    "{b} hoped {p} would not notice how much it hurt.",
    "{b} feared the worst and said nothing.",
]
_PRESENT_TEMPLATES = [
    "{b} wonders whether {p} means any of it.",
    "{b} feels a sudden pang of guilt.",
    "{b} thinks {p} has never looked so tired.",
    "{b} realises that {p} is not going to give way.",
    "{b} hopes {p} will not notice how much it hurts.",
    "{b} fears the worst and says nothing.",
]
_HEADING = re.compile(r"^(?:(?:CHAPTER|Chapter|BOOK|Book|VOLUME|Volume)\s+[\dIVXLCivxlc]+\.?|[IVXLC]+\.?)$")
_ADVERBS = frozenset("still just only even already finally suddenly slowly quickly quietly softly also never always".split())


def _base(word: str) -> str | None:
    """The base form of a past or 3rd-person present verb, when the lexicon is sure of it."""
    for base, (past, _) in lx.IRREGULAR.items():
        if word in past and base != word:
            return base
    if word in lx.THIRD_SINGULAR:
        return lx.THIRD_SINGULAR[word]
    if word.endswith("ed"):
        for candidate in (word[:-1], word[:-2], word[:-3], word[:-3] + "y" if word.endswith("ied") else ""):
            if candidate in lx.BASE_VERBS:
                return candidate
    return None


def swap_tense(word: str, to: str) -> str | None:
    """`word` (a finite verb after he/she/a name) in the other tense, or None when unsure."""
    table = {"was": "is", "is": "was", "had": "has", "has": "had", "did": "does", "does": "did"}
    if word in table:
        swapped = table[word]
        return swapped if (to == "present") == (swapped in ("is", "has", "does")) else None
    base = _base(word)
    if base is None or base in ("be", "have", "do"):
        return None
    if to == "present":
        if word in lx.THIRD_SINGULAR:
            return None
        forms = [k for k, v in lx.THIRD_SINGULAR.items() if v == base]
        return forms[0] if forms else None
    if word not in lx.THIRD_SINGULAR:
        return None
    if base in lx.IRREGULAR:
        return lx.IRREGULAR[base][0][0]
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


def paragraphs_of(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def passages(per_novel: int, rng: random.Random) -> list[dict]:
    out = []
    for path in sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []:
        number = path.name[:3]
        text = path.read_text(encoding="utf-8")
        paras = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
        tense = "present" if number in ("001", "002", "003") else "past"
        if number in KNOWN_SLIPS:
            out.append({"name": f"sample {number}", "paragraphs": paras, "tense": tense, "pov": SAMPLE_POV.get(number),
                        "known": KNOWN_SLIPS[number]})
            continue
        for k in range(0, len(paras), 12):  # windows of the size of the PDNC ones
            chunk = paras[k:k + 12]
            if len(chunk) >= 6:
                out.append({"name": f"sample {number} ¶{k}", "paragraphs": chunk, "tense": tense,
                            "pov": SAMPLE_POV.get(number), "known": []})
    for folder, hero in NOVELS.items():
        path = PDNC / folder / "novel_text.txt"
        if not path.exists():
            continue
        paras = paragraphs_of(path.read_text(encoding="utf-8"))
        headings = [i for i, p in enumerate(paras) if _HEADING.match(p)]
        narrative = [i for i, p in enumerate(paras) if len(p) > 300 and '"' not in p[:1]]
        starts = sorted(rng.sample(narrative[10:-20], min(per_novel * 3, len(narrative) - 30)))
        taken = 0
        for s in starts:
            window = paras[s:s + 15]
            if sum(hero in p for p in window) < 2 or sum(len(p) for p in window) < 4000:
                continue
            out.append(pdnc_window(folder, paras, headings, s, LABELS.get(f"{folder} ¶{s}", {})))
            taken += 1
            if taken >= per_novel:
                break
    return out


def pdnc_window(folder: str, paras: list[str], headings: list[int], s: int, label: dict) -> dict:
    """The 15 paragraphs from paragraph s, with their point-of-view label and the rest of their chapter."""
    window = paras[s:s + 15]
    pov = label.get("pov") if label.get("pov") not in ("several", "none") else None
    opening = max((h for h in headings if h < s), default=-1) + 1
    closing = min((h for h in headings if h >= s + len(window)), default=len(paras))
    return {"name": f"{folder} ¶{s}", "paragraphs": window, "tense": "past", "pov": pov, "known": [],
            "hops": label.get("hops", []), "cast": read_cast(folder),
            "chapter": (paras[opening:s], paras[s + len(window):closing])}


def holdout_passages() -> list[dict]:
    """The windows of the hold-outs, each with the name of its hold-out under "holdout": labelled after
    the rules were set, and sharing no paragraph with the windows of pov_windows.json or each other."""
    out = []
    for holdout, labels in HOLDOUTS.items():
        by_novel: dict[str, list[tuple[int, dict]]] = {}
        for name, label in labels.items():
            folder, start = name.split(" ¶")
            by_novel.setdefault(folder, []).append((int(start), label))
        for folder, windows in sorted(by_novel.items()):
            path = PDNC / folder / "novel_text.txt"
            if not path.exists():
                continue
            paras = paragraphs_of(path.read_text(encoding="utf-8"))
            headings = [i for i, p in enumerate(paras) if _HEADING.match(p)]
            out.extend({**pdnc_window(folder, paras, headings, s, label), "holdout": holdout}
                       for s, label in sorted(windows, key=lambda w: w[0]))
    return out


def inject_tense(passage: dict, rng: random.Random, names: set[str]) -> tuple[list[str], list[str]] | None:
    """Two tense slips far apart; returns (paragraphs, injected sentences)."""
    paras = list(passage["paragraphs"])
    to = "past" if passage["tense"] == "present" else "present"
    sites = []
    for i, p in enumerate(paras):
        if p.startswith(("\"", "“", "'")):
            continue
        for m in _OPENING.finditer(p):
            if re.search(r"[\"“”]", p[:m.start()]) or '"' in p[m.start():m.start() + 80]:
                continue
            words = m.group(1).split()
            if words[0] in ("Then", "And", "But", "So", "Now"):
                words = words[1:]
            if not words:
                continue
            if len(words) == 2 and words[1] not in _ADVERBS:
                continue
            if words[0] not in ("He", "She", "he", "she") and words[0] not in names:
                continue  # only a pronoun or a character's name is sure to be the subject
            new = swap_tense(m.group(2), to)
            if new:
                sites.append((i, m.start(2), m.end(2), new))
    sites = [s for s in sites if 1 <= s[0] < len(paras) - 1]
    if not sites:
        return None
    first = rng.choice(sites[: len(sites) // 2 or 1])
    later = [s for s in sites if s[0] >= first[0] + 3]
    chosen = [first] + ([rng.choice(later)] if later else [])
    injected = []
    for i, s, e, new in sorted(chosen, key=lambda c: (c[0], -c[1])):
        p = paras[i]
        paras[i] = p[:s] + new + p[e:]
        sentence_end = re.search(r"(?<!Mr)(?<!Mrs)(?<!Dr)[.!?](?=\s|$)", paras[i][s:])
        start = max(paras[i].rfind(". ", 0, s - 1), paras[i].rfind("! ", 0, s - 1), paras[i].rfind("? ", 0, s - 1),
                    paras[i].rfind("; ", 0, s - 1))
        injected.append(paras[i][start + 2 if start >= 0 else 0: s + (sentence_end.end() if sentence_end else len(paras[i]) - s)])
    return paras, injected


def inject_pov(passage: dict, other: str, rng: random.Random) -> tuple[list[str], list[str]] | None:
    paras = list(passage["paragraphs"])
    candidates = [i for i, p in enumerate(paras[2:-2], 2) if not p.startswith(("\"", "“")) and p.count(". ") >= 2
                  and not re.search(r"[\"“”]", p)]
    if not candidates:
        return None
    i = rng.choice(candidates)
    sentences = re.split(r"(?<=[.!?])(?<!Mr\.)(?<!Mrs\.)(?<!Dr\.)(?<!Ms\.)(?<!St\.)\s+(?=[A-Z])", paras[i])
    if len(sentences) < 2:
        return None
    k = rng.randrange(1, len(sentences))
    templates = _PRESENT_TEMPLATES if passage["tense"] == "present" else _PAST_TEMPLATES
    cast = passage.get("cast", [])
    owner = (next((c for c in cast if passage["pov"] in (c["name"], *c["aliases"])), None)
             or next((c for c in cast if passage["pov"] in c["name"].split() and c["gender"]), None))
    gender = owner["gender"] if owner else ("male" if passage["pov"] == "Bellamy" else None)
    pronoun = "he" if gender == "male" else "she"
    sentence = rng.choice(templates).format(b=other, p=pronoun)
    sentences.insert(k, sentence)
    paras[i] = " ".join(sentences)
    return paras, [sentence]


def read_cast(folder: str) -> list[dict]:
    """PDNC's character list of a novel as a --cast list, with the gender PDNC gives."""
    import ast
    import csv

    out = []
    with open(PDNC / folder / "character_info.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            aliases = sorted(ast.literal_eval(row["Aliases"]))
            out.append({"name": row["Main Name"], "aliases": [a for a in aliases if a != row["Main Name"]],
                        "gender": {"M": "male", "F": "female"}.get(row["Gender"])})
    return out


def run_check(paras: list[str], cast: list[dict] | None = None, context: tuple[list, list] | None = None):
    """Check `paras`, alone or (`context`: the paragraphs before and after them) inside their chapter;
    returns the work, its analysis, the report and the offsets of `paras` in the work's text."""
    before, after = context or ([], [])
    head = "".join(p + "\n\n" for p in before)
    body = "\n\n".join(paras)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(head + body + "".join("\n\n" + p for p in after) + "\n")
        path = f.name
    try:
        work = ingest.read(path)
        analysis = analyze(work, cast=cast)
        return work, analysis, check(analysis), (len(head), len(head) + len(body))
    finally:
        os.unlink(path)


def score(work, report, window: tuple[int, int], injected: list[str], kinds: tuple[str, ...],
          real: list[str] = ()) -> tuple[int, int, int, list, int]:
    """(true positives, false positives, missed, the false positives, real head-hops found) of findings
    of `kinds` in the passage (`window`, offsets) against injected sentences; a finding on a head-hop the
    labeller found in the original text (`real`) is neither. The chapter around a passage is not scored:
    nobody labelled it."""
    text = work.text

    def spans_of(sentences):
        found = ((text.find(x[:60], window[0]), len(x)) for x in sentences)
        return [(k, k + n) if k >= 0 else (-1, -1) for k, n in found]

    spans, real_spans = spans_of(injected), spans_of(real)
    hit = [False] * len(spans)
    real_hit = [False] * len(real_spans)
    fp = []
    for f in report.findings:
        if f.kind not in kinds or not window[0] <= f.start < window[1]:
            continue
        n = next((n for n, (s, e) in enumerate(spans) if s <= f.start < e), None)
        r = next((n for n, (s, e) in enumerate(real_spans) if s <= f.start < e), None)
        if n is not None:
            hit[n] = True
        elif r is not None:
            real_hit[r] = True
        else:
            fp.append(f)
    return sum(hit), len(fp), hit.count(False), fp, sum(real_hit)


def other_character(item: dict, analysis) -> str | None:
    """Another person of the passage, by the name the passage uses most for them.

    From PDNC's own character list when the passage comes from PDNC (so that "Mrs. Pontellier" is
    known to be Edna herself), else from the characters ficlens found.
    """
    text = " ".join(item["paragraphs"])
    pov = item["pov"]
    if item.get("cast"):
        best, best_count = None, 1
        words = Counter(w for c in item["cast"] for w in {w for f in [c["name"], *c["aliases"]] for w in f.split()})
        for c in item["cast"]:
            forms = [c["name"], *c["aliases"]]
            if c["gender"] is None or any(pov in f.split() for f in forms):
                continue
            for f in forms:
                if any(words[w] > 1 for w in f.split() if w.rstrip(".") not in HONORIFICS | TITLES):
                    continue  # "Bennet", "Tilney", "Pontellier": more than one character's name
                n = len(re.findall(r"(?<!Mr\. )(?<!Mrs\. )(?<!Miss )\b" + re.escape(f) + r"\b", text))
                if n > best_count:
                    best, best_count = f, n
        return best
    for c in sorted(analysis.characters, key=lambda c: -c.mentions):
        if pov not in c.name.split() and c.mentions >= 2:
            return c.name.split()[0]
    return None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-novel", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print every false positive and miss")
    parser.add_argument("--holdout", action="store_true",
                        help="check only the hold-out windows (pov_holdout.json, pov_holdout_2.json), labelled after "
                             "the rules were set")
    parser.add_argument("--alone", action="store_true",
                        help="check each PDNC passage on its own, not inside its chapter")
    args = parser.parse_args(argv)
    items = holdout_passages() if args.holdout else passages(args.per_novel, random.Random(args.seed))
    if not items:
        sys.exit("no passages: ../shared/samples/fics and ../shared/data/pdnc are both missing")
    order = list(range(len(items)))
    random.Random(args.seed).shuffle(order)
    if args.holdout:
        half = {i: items[i]["holdout"] for i in order}
        groups: tuple[str, ...] = tuple(HOLDOUTS)
    else:
        half = {i: ("tune" if n % 2 == 0 else "test") for n, i in enumerate(order)}
        groups = ("tune", "test", "fic", "classic")  # the two halves, and both halves by source
    totals = {h: {k: {"tp": 0, "fp": 0, "missed": 0} for k in ("tense", "pov")} for h in groups}
    alarms = {h: {"findings": 0, "words": 0, "passages": 0} for h in groups}
    real = {h: {"labelled": 0, "found": 0} for h in groups}  # head-hops a reader found in the original text

    def add(h: str, source: str, kind: str, tp: int, fp: int, missed: int) -> None:
        for g in {h, source} & set(groups):
            t = totals[g][kind]
            t["tp"] += tp
            t["fp"] += fp
            t["missed"] += missed

    for n, item in enumerate(items):
        h = half[n]
        source = "fic" if item["name"].startswith("sample") else "classic"
        context = None if args.alone else item.get("chapter")
        work, analysis, report, window = run_check(item["paragraphs"], item.get("cast"), context)
        clean_tp, clean_fp, clean_missed, clean_fp_list, real_found = score(
            work, report, window, item["known"], ("tense", "pov"), item.get("hops", []))
        for g in {h, source} & set(groups):
            alarms[g]["findings"] += clean_fp
            alarms[g]["words"] += len(work.text[window[0]:window[1]].split())
            alarms[g]["passages"] += 1
            real[g]["labelled"] += len(item.get("hops", []))
            real[g]["found"] += real_found
        if item["known"]:
            add(h, source, "tense", clean_tp, 0, clean_missed)
        if args.verbose:
            for f in clean_fp_list:
                print(f"[{h}] clean {item['name']}: {f.kind} {f.message} | {f.text}", file=sys.stderr)
        if item["known"]:
            continue  # a passage with real slips of its own is used as it is
        names = {w for c in analysis.characters for w in c.name.split() if w[:1].isupper() and not w.endswith(".")}
        injected = inject_tense(item, random.Random(f"{args.seed}:tense:{item['name']}"), names)
        if injected:
            w2, _, r2, span = run_check(injected[0], item.get("cast"), context)
            tp, fp, missed, fps, _ = score(w2, r2, span, injected[1], ("tense",))
            add(h, source, "tense", tp, fp, missed)
            if args.verbose:
                for f in fps:
                    print(f"[{h}] tense FP {item['name']}: {f.message} | {f.text}", file=sys.stderr)
                if missed:
                    print(f"[{h}] tense missed {item['name']}: {injected[1]}", file=sys.stderr)
        if item["pov"]:
            other = other_character(item, analysis)
            injected = inject_pov(item, other, random.Random(f"{args.seed}:pov:{item['name']}")) if other else None
            if injected:
                w3, _, r3, span = run_check(injected[0], item.get("cast"), context)
                tp, fp, missed, fps, _ = score(w3, r3, span, injected[1], ("pov",), item.get("hops", []))
                add(h, source, "pov", tp, fp, missed)
                if args.verbose:
                    for f in fps:
                        print(f"[{h}] pov FP {item['name']}: {f.message} | {f.text}", file=sys.stderr)
                    if missed:
                        print(f"[{h}] pov missed {item['name']}: {injected[1]}", file=sys.stderr)
    result = {}
    for h in groups:
        row = {}
        for kind in ("tense", "pov", "all"):
            c = ({k: totals[h]["tense"][k] + totals[h]["pov"][k] for k in ("tp", "fp", "missed")}
                 if kind == "all" else totals[h][kind])
            found = c["tp"] + c["fp"]
            injected_n = c["tp"] + c["missed"]
            row[kind] = {**c, "precision": round(c["tp"] / found, 3) if found else None,
                         "recall": round(c["tp"] / injected_n, 3) if injected_n else None}
        a = alarms[h]
        row["clean"] = {**a, "false_alarms_per_10k_words": round(10000 * a["findings"] / a["words"], 2) if a["words"] else None}
        row["real_head_hops"] = real[h]
        result[h] = row
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for h in groups:
        print({"tune": "tune half:", "test": "test half:",
               "holdout 1": "holdout 1 (38 windows, labelled for an earlier version; its false alarms were looked at since):",
               "holdout 2": "holdout 2 (66 windows, labelled before its first run; three rules were written from its misses since):"}
              .get(h, f"{h} passages (both halves):"))
        for kind in ("tense", "pov", "all"):
            r = result[h][kind]
            print(f"  {kind:5}  precision {r['precision']}  recall {r['recall']}  "
                  f"(tp {r['tp']}, fp {r['fp']}, missed {r['missed']})")
        c = result[h]["clean"]
        print(f"  clean passages: {c['passages']}, {c['words']} words, {c['findings']} false alarms "
              f"({c['false_alarms_per_10k_words']} per 10k words)")
        r = result[h]["real_head_hops"]
        if r["labelled"]:
            print(f"  head-hops a reader marked in the original text: {r['found']} of {r['labelled']} found")


if __name__ == "__main__":
    main()
