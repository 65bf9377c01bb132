"""Quote detection scored on PDNC (two small novels) and LitBank; skipped when ../shared is absent."""

from __future__ import annotations

from ficlens.eval import quotes as pdnc_quotes
from ficlens.eval.quotes import score


def test_score_counts_exact_and_overlapping_matches():
    # "A" matches exactly, "B" overlaps more than half of a longer gold span, "C" is a false alarm
    text = "x" * 100
    predicted = [(0, 10), (20, 30), (60, 70)]
    gold = [(0, 10), (20, 34), (80, 90)]
    result = score(text, predicted, gold)
    assert result["exact"]["matched"] == 1
    assert result["overlap"]["matched"] == 2
    assert result["overlap"]["precision"] == round(2 / 3, 4)
    assert result["overlap"]["recall"] == round(2 / 3, 4)


def test_one_prediction_matches_one_gold_span():
    # one predicted span over two gold spans counts once at most
    result = score("x" * 50, [(0, 20)], [(0, 11), (11, 20)])
    assert result["overlap"]["matched"] == 1


def test_pdnc_detection_on_two_novels(pdnc_dir):
    result = pdnc_quotes.evaluate_detection(pdnc_dir, novels=["DaisyMiller", "AlicesAdventuresInWonderland"])
    assert set(result["per_novel"]) == {"DaisyMiller", "AlicesAdventuresInWonderland"}
    overall = result["overall"]
    assert overall["gold"] == 725 + 1048
    assert overall["overlap"]["recall"] >= 0.97
    assert overall["overlap"]["precision"] >= 0.93
    assert overall["exact"]["recall"] >= 0.96
