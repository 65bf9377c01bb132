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


def test_litbank_reader_maps_gold_quotes_onto_the_rebuilt_text(litbank_dir):
    from ficlens.eval.litbank import books

    tess = next(b for b in books(litbank_dir) if b.name.startswith("110_tess"))
    text = tess.work.text
    first = tess.quotes[0]
    assert text[first.start : first.end] == "Good night t'ee,"
    assert first.speaker == "Jack_Durbeyfield-0"
    assert all(text[q.start : q.end].strip() == text[q.start : q.end] for q in tess.quotes)


def test_litbank_detection(litbank_dir):
    from ficlens.eval import litbank

    result = litbank.evaluate(litbank_dir)
    assert result["overall"]["gold"] == 1765
    assert result["overall"]["overlap"]["recall"] >= 0.92
    assert result["overall"]["overlap"]["precision"] >= 0.89
    assert len(result["per_novel"]) > 50


def test_a_folder_without_data_is_one_clear_error(tmp_path):
    # the CLI prints this as one line naming the folder
    import pytest

    from ficlens.errors import InputError
    from ficlens.eval import litbank

    with pytest.raises(InputError, match="no PDNC novels here"):
        pdnc_quotes.evaluate_detection(tmp_path)
    with pytest.raises(InputError, match="no LitBank quotation files here"):
        litbank.evaluate(tmp_path)


def test_blank_line_work_keeps_the_text_and_trims_paragraphs():
    # PDNC offsets point into the file as stored, so the text must be kept exactly
    text = "CHAPTER I\r\n\r\n  \"Hello,\" she said.\r\nHe nodded. \n \n\nEnd\n"
    work = pdnc_quotes.blank_line_work("n.txt", text)
    assert work.text == text
    assert [text[p.start : p.end] for p in work.paragraphs] == [
        "CHAPTER I",
        "\"Hello,\" she said.\r\nHe nodded.",
        "End",
    ]
