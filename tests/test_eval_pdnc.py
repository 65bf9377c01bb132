"""ficlens eval: PDNC reading, leave-novels-out scoring on two small novels, the gold format."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficlens.cli import main

PDNC = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdnc"
needs_pdnc = pytest.mark.skipif(not (PDNC / "DaisyMiller").is_dir(), reason="../shared/data/pdnc not present")


@needs_pdnc
def test_reader_spans_are_character_offsets_and_cast_has_aliases():
    from ficlens.eval import pdnc

    novel = pdnc.read(PDNC, "DaisyMiller")
    spans = [s for q in novel.quotes for s in q.spans]
    text = novel.work.text
    assert sum(text[s:e].strip() != "" and '"' not in text[s:e][:1] for s, e in spans) / len(spans) > 0.98
    assert {q.type for q in novel.quotes} == {"explicit", "anaphoric", "implicit"}
    assert any(c["aliases"] for c in novel.cast) and all("name" in c for c in novel.cast)


@needs_pdnc
@pytest.mark.slow
def test_cross_validation_on_two_novels_beats_a_floor():
    result = CliRunner().invoke(
        main, ["eval", "pdnc", "--data", str(PDNC), "--novels", "DaisyMiller,TheAwakening", "--folds", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    att = report["attribution"]
    assert att["novels"] == 2 and att["folds"] == 2
    cast = att["settings"]["cast_gold_spans"]
    assert cast["overall"]["accuracy"] >= 0.75
    assert cast["explicit"]["accuracy"] >= 0.9
    assert att["settings"]["nocast_gold_spans"]["overall"]["accuracy"] >= 0.6
    assert cast["overall"]["total"] == sum(cast[t]["total"] for t in ("explicit", "anaphoric", "implicit"))


def test_gold_folder_scores_own_annotations(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('Anna met Ben by the river.\n"Hello," said Anna.\n"Hi," Ben said.\n', encoding="utf-8")
    text = story.read_text(encoding="utf-8")
    s1, s2 = text.index("Hello"), text.index("Hi,")
    gold = {
        "source": "story.txt",
        "characters": [{"name": "Anna", "aliases": []}, {"name": "Ben", "aliases": []}],
        "quotes": [{"start": s1, "end": s1 + 6, "speaker": "Anna"}, {"start": s2, "end": s2 + 3, "speaker": "Ben"}],
    }
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "story.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "gold" / "story.json").write_text(json.dumps({**gold, "source": "../story.txt"}), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "gold", "--data", str(tmp_path / "gold"), "--json"])
    assert result.exit_code == 0, result.output
    overall = json.loads(result.output)["overall"]
    assert overall["cast"]["accuracy"] == 1.0 and overall["no_cast"]["accuracy"] == 1.0
    assert overall["detection"]["recall"] == 1.0


def test_gold_folder_errors_are_one_line(tmp_path):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "gold", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.json" in result.output and "Traceback" not in result.output


def test_fit_learns_which_clue_picks_the_speaker_among_each_turns_candidates():
    from ficlens.eval import attribution

    # The gold speaker always has the tag; the other candidate is always the more frequent one.
    turns = [({"a": {"tag_name": 1.0, "freq": 0.2 + k / 100}, "b": {"freq": 0.8, "rec1": 1.0}}, "a") for k in range(30)]
    turns += [({"a": {"rec1": 1.0, "freq": 0.3}, "b": {"freq": 0.6}}, "a") for _ in range(30)]
    weights = attribution.fit(turns)
    assert weights["tag_name"] > 1 and weights["freq"] < 0 and weights["rec1"] > 0
