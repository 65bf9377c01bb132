"""Score speaker attribution on PDNC with leave-novels-out cross-validation.

The speaker model is a conditional logit over (quote, candidate character) features and their
pairs (see `ficlens.analyze.speakers`). For each fold the model is trained on the other novels only, then the
held-out novels are attributed and scored, so no figure is measured on data the model saw.

Settings, each reported overall and per PDNC quote type (explicit / anaphoric / implicit):
- cast given, gold quote spans (the standard setting of the PDNC papers): the gold character list
  is the cast and the gold quotation spans are the quotes; a prediction is right when it names the
  gold speaker.
- no cast, gold quote spans: ficlens finds the characters itself; a prediction is right when the
  predicted character's names (name and aliases) share one with the gold character's.
- no cast, end to end: ficlens also finds the quotes; a gold quote counts as right only when a
  found quote overlaps it and its speaker is right, so missed quotes count as wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..analyze import characters, quotes as quote_stage, speakers
from ..model import Quote
from .pdnc import QUOTE_TYPES, Novel

# Hand-set weights that produce the speaker history training sees. Fixed, so no fold's training
# data depends on a model that saw its held-out novels.
HISTORY_WEIGHTS = {
    "tag_name": 8,
    "tag_name_other": -3,
    "tag_pron_match": 2,
    "tag_pron_mismatch": -3,
    "tag_pron_rank1": 2,
    "tag_pron_rank2": 0.5,
    "tag_I_narrator": 5,
    "tag_desc_match": 3,
    "tag_relative": 3,
    "tag_other": 0,
    "subj_adjacent": 2.5,
    "para_mention": 1,
    "para_first": 1,
    "vocative": -5,
    "quote_mention": -1,
    "prev_speaker": -2,
    "prev_speaker_far": 0.5,
    "prev2_speaker": 2.5,
    "prev_addressee": 1.5,
    "continuation": 6,
    "rec1": 1,
    "rec2": 0.7,
    "rec3": 0.3,
    "log_dist": -1,
    "freq": 1,
    "next_para": 0.3,
    "narrator": 0.5,
    "no_narration": 0,
    "prev_speaker_dialogue": -1,
    "prev2_speaker_dialogue": 1,
    "narrator_I_quote": 0.5,
    "prev_para_subject": 1.5,
    "next_tag_name": -1.5,
    "next2_tag_name": 1.5,
    "next_speaker": -1.5,
    "next2_speaker": 1.5,
    "pron_and_prev": 0,
    "pron_and_prev2": 0,
    "conv_addressed": 0.5,
    "conv_narrated": 0.5,
    "parity_same": 2,
    "parity_other": -2,
    "parity_pron_same": 1,
    "parity_pron_other": -1,
    "address_gender": -1,
    "prev_address_gender": 1,
    "subj_pron_match": 1,
    "subj_pron_rank1": 1,
}

SETTINGS = ("cast_gold_spans", "nocast_gold_spans", "nocast_end_to_end")


@dataclass
class Prediction:
    gold: str
    type: str
    predicted: str | None
    correct: bool
    confidence: float


def gold_span_quotes(novel: Novel) -> tuple[list[Quote], list[int]]:
    """One speech Quote per gold sub-quotation span, and the index of its gold quotation."""
    text = novel.work.text
    out, owner = [], []
    for gi, g in enumerate(novel.quotes):
        for s, e in g.spans:
            out.append(Quote(start=s, end=e, text=text[s:e], kind="speech"))
            owner.append(gi)
    order = sorted(range(len(out)), key=lambda i: out[i].start)
    return [out[i] for i in order], [owner[i] for i in order]


def gold_entity(novel: Novel, speaker: str) -> int | None:
    """The cast entry a gold speaker string names: PDNC's speaker column may use an alias ("Lucy")."""
    table = _entity_table(novel)
    return table.get(speaker, table.get(speaker.lower()))


def _entity_table(novel: Novel) -> dict[str, int]:
    table: dict[str, int] = {}
    for i, c in enumerate(novel.cast):
        table.setdefault(c["name"], i)
        table.setdefault(c["name"].lower(), i)
    for i, c in enumerate(novel.cast):
        for a in c["aliases"]:
            table.setdefault(a, i)
            table.setdefault(a.lower(), i)
    return table


@dataclass
class TrainingNovel:
    """A PDNC novel ready for training: its gold-span quotes, cast entities and gold speaker per turn."""

    novel: Novel
    quotes: list[Quote]
    people: list
    mentions: list
    golds: list[str | None]

    def context(self) -> speakers.Context:
        return speakers.context(self.novel.work, self.quotes, self.people, self.mentions)


def prepare(novel: Novel) -> TrainingNovel:
    qs, owner = gold_span_quotes(novel)
    people, mentions = characters.find(novel.work, qs, cast=novel.cast)
    ctx = speakers.context(novel.work, qs, people, mentions)
    golds = []
    for turn in ctx.turns:
        e = gold_entity(novel, novel.quotes[owner[turn.quotes[0]]].speaker)
        golds.append(people[e].id if e is not None else None)
    return TrainingNovel(novel, qs, people, mentions, golds)


def training_turns(prepared: TrainingNovel, weights: dict[str, float] | None = None
                   ) -> list[tuple[dict[str, dict[str, float]], str]]:
    """(features of every candidate, gold candidate) for every turn, with earlier turns' speakers decoded.

    Features see the speakers a model predicted, as they will at run time, not the gold ones: with no
    `weights`, a greedy pass (beam 1) of hand-set weights; with `weights`, the trained model's own beam.
    """
    ctx = prepared.context()
    beam = 1 if weights is None else speakers.BEAM
    weights = weights or HISTORY_WEIGHTS
    first, _, _ = speakers.decode(ctx, weights, beam=1)
    said, told, _ = speakers.decode(ctx, weights, later=first, beam=beam)
    out = []
    for t, gold in enumerate(prepared.golds):
        feats = speakers.candidate_features(ctx, t, said[:t], told[:t], later=first)
        feats = {c: f for c, f in feats.items() if not f.get("vocative")}
        if gold in feats and len(feats) > 1:
            out.append((feats, gold))
    return out


def train(novels: list[Novel]) -> dict[str, float]:
    """Speaker-model weights trained on `novels`."""
    prepared = [prepare(n) for n in novels]
    return train_prepared(prepared, [training_turns(p) for p in prepared])


def train_prepared(prepared: list[TrainingNovel], hand_turns: list[list]) -> dict[str, float]:
    """Two rounds: a model trained on the hand-weighted history, then one trained also on the history
    that first model decodes, so the weights learn how far to trust the speakers the model itself chose.
    """
    first = fit([t for ts in hand_turns for t in ts])
    own = [t for p in prepared for t in training_turns(p, first)]
    return fit([t for ts in hand_turns for t in ts] + own)


L2 = 3.0


def fit(turns: list[tuple[dict[str, dict[str, float]], str]], *, l2: float = L2) -> dict[str, float]:
    """Conditional-logit weights over the features and their pairs (`speakers.crossed`).

    Each turn is one choice among its candidates: the loss is the negative log of the softmax
    probability of the gold speaker, with an L2 penalty, minimised by L-BFGS.
    """
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    names = speakers.weight_names()
    index = {k: i for i, k in enumerate(names)}
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    sizes, gold_rows = [], []
    for feats, gold in turns:
        ordered = sorted(feats)
        gold_rows.append(len(indptr) - 1 + ordered.index(gold))
        for c in ordered:
            for k, v in speakers.crossed(feats[c]).items():
                cols.append(index[k])
                data.append(v)
            indptr.append(len(cols))
        sizes.append(len(ordered))
    x = csr_matrix((data, cols, indptr), shape=(len(indptr) - 1, len(names)))
    group = np.repeat(np.arange(len(sizes)), sizes)
    gold_rows = np.array(gold_rows)
    x_gold = np.asarray(x[gold_rows].sum(axis=0)).ravel()

    def loss(w):
        s = x @ w
        top = np.full(len(sizes), -np.inf)
        np.maximum.at(top, group, s)
        e = np.exp(s - top[group])
        z = np.bincount(group, e, len(sizes))
        p = e / z[group]
        value = (top + np.log(z)).sum() - s[gold_rows].sum() + 0.5 * l2 * w @ w
        return value, x.T @ p - x_gold + l2 * w

    result = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return {k: round(float(w), 4) for k, w in zip(names, result.x) if abs(w) >= 1e-4}


def predict(novel: Novel, *, setting: str, weights: dict[str, float] | None = None) -> list[Prediction]:
    text = novel.work.text
    cast = novel.cast if setting == "cast_gold_spans" else None
    if setting == "nocast_end_to_end":
        qs = quote_stage.find(novel.work)
    else:
        qs, _ = gold_span_quotes(novel)
    people, mentions = characters.find(novel.work, qs, cast=cast)
    found = speakers.attribute(novel.work, qs, people, mentions, weights=weights)
    names_of = {c.name: {c.name, *c.aliases} for c in people}
    cast_index = {c["name"]: i for i, c in enumerate(novel.cast)}
    starts = sorted((q.start, q.end, i) for i, q in enumerate(found) if q.kind in speakers.SPOKEN)
    out = []
    for g in novel.quotes:
        match = _overlapping(starts, found, g.spans)
        predicted = match.speaker if match else None
        if predicted is None:
            correct = False
        else:
            e = gold_entity(novel, g.speaker)
            if cast is not None:
                correct = e is not None and cast_index.get(predicted) == e
            else:
                gold_names = {novel.cast[e]["name"], *novel.cast[e]["aliases"]} if e is not None else {g.speaker}
                correct = bool(names_of.get(predicted, {predicted}) & gold_names)
        out.append(Prediction(g.speaker, g.type, predicted, correct, match.confidence if match else 0.0))
    del text
    return out


def _overlapping(starts: list[tuple[int, int, int]], found: list[Quote], spans) -> Quote | None:
    from bisect import bisect_left

    for s, e in spans:
        k = bisect_left(starts, (s, -1, -1))
        for j in (k - 1, k, k + 1):
            if 0 <= j < len(starts):
                ps, pe, i = starts[j]
                overlap = min(pe, e) - max(ps, s)
                if overlap > 0 and overlap * 2 >= min(pe - ps, e - s):
                    return found[i]
    return None


def summarize(predictions: list[Prediction]) -> dict:
    """Accuracy overall and per quote type, and how right the confident answers are."""
    def acc(ps):
        return {"correct": sum(p.correct for p in ps), "total": len(ps),
                "accuracy": round(sum(p.correct for p in ps) / len(ps), 4) if ps else None}

    out = {"overall": acc(predictions)}
    for t in QUOTE_TYPES:
        out[t] = acc([p for p in predictions if p.type == t])
    bins: dict[str, list[Prediction]] = defaultdict(list)
    for p in predictions:
        if p.predicted is not None:
            lo = min(int(p.confidence * 10), 9) / 10
            bins[f"{lo:.1f}-{lo + 0.1:.1f}"].append(p)
    out["calibration"] = {k: acc(v) for k, v in sorted(bins.items())}
    return out


def cross_validate(novels: list[Novel], *, folds: int = 11, settings=SETTINGS) -> dict:
    """Leave-novels-out: novel i is scored by a model trained on the novels not in its fold."""
    folds = max(2, min(folds, len(novels)))
    preds: dict[str, list[Prediction]] = {s: [] for s in settings}
    per_novel: dict[str, dict] = {}
    prepared = [prepare(n) for n in novels]
    turns = [training_turns(p) for p in prepared]
    for k in range(folds):
        held = [n for i, n in enumerate(novels) if i % folds == k]
        if not held:
            continue
        train_on = [i for i in range(len(novels)) if i % folds != k]
        weights = train_prepared([prepared[i] for i in train_on], [turns[i] for i in train_on])
        for n in held:
            per_novel[n.name] = {}
            for s in settings:
                p = predict(n, setting=s, weights=weights)
                preds[s].extend(p)
                per_novel[n.name][s] = round(sum(x.correct for x in p) / len(p), 4) if p else None
    return {
        "folds": folds,
        "novels": len(novels),
        "settings": {s: summarize(p) for s, p in preds.items()},
        "per_novel": per_novel,
        "errors_by_type": {s: dict(Counter(p.type for p in ps if not p.correct)) for s, ps in preds.items()},
    }


def litbank_cast(speaker_ids: list[str]) -> list[dict]:
    """A cast from LitBank speaker ids ("Aunt_Betsey_Trotwood-32" -> "Aunt Betsey Trotwood")."""
    names = sorted({_litbank_name(s) for s in speaker_ids if s})
    return [{"name": n, "aliases": []} for n in names if n]


def _litbank_name(speaker_id: str) -> str:
    base = speaker_id.rsplit("-", 1)[0] if "-" in speaker_id else speaker_id
    return " ".join(base.replace("__", " ").split("_")).strip()


def _names_agree(predicted: set[str], gold: str) -> bool:
    """A predicted name agrees with a LitBank name when one's words contain the other's ("Winnie" / "Winnie Verloc")."""
    gold_words = set(gold.lower().split())
    for n in predicted:
        words = set(n.lower().replace(".", "").split()) - {"mr", "mrs", "miss", "ms", "dr", "sir", "lady"}
        if words and (words <= gold_words or gold_words <= words):
            return True
    return False


def evaluate_litbank(books) -> dict:
    """Speaker accuracy on LitBank's gold quotes: with the speakers' names as the cast, and without a cast.

    LitBank names speakers by coreference ids built from a name ("Winnie_Verloc-3"); a prediction is right
    when its names and that name agree word for word (one contains the other).
    """
    totals = {"cast": [0, 0], "no_cast": [0, 0]}
    for book in books:
        gold = [g for g in book.quotes if g.speaker]
        qs = [Quote(start=g.start, end=g.end, text=book.work.text[g.start:g.end], kind="speech") for g in gold]
        for setting in totals:
            cast = litbank_cast([g.speaker for g in gold]) if setting == "cast" else None
            people, mentions = characters.find(book.work, qs, cast=cast)
            found = speakers.attribute(book.work, qs, people, mentions)
            names_of = {c.name: {c.name, *c.aliases} for c in people}
            for g, q in zip(gold, found):
                ok = q.speaker is not None and (
                    q.speaker == _litbank_name(g.speaker) if cast else _names_agree(names_of.get(q.speaker, {q.speaker}), _litbank_name(g.speaker))
                )
                totals[setting][0] += ok
                totals[setting][1] += 1
    return {s: {"correct": c, "total": n, "accuracy": round(c / n, 4) if n else None} for s, (c, n) in totals.items()}
