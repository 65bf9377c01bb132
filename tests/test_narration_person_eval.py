"""Narrative person against the PDNC index on a few novels (first and third person)."""

from ficlens.eval import person


def test_person_on_pdnc_novels(pdnc_dir):
    novels = ["TheSignOfTheFour", "TheSunAlsoRises", "Persuasion", "AlicesAdventuresInWonderland"]
    result = person.evaluate(str(pdnc_dir), novels=novels, narrators=False)
    assert set(result["per_novel"]) == set(novels)
    assert result["per_novel"]["TheSignOfTheFour"]["predicted"] == "first"
    assert result["per_novel"]["Persuasion"]["predicted"] == "third"
    assert result["overall"]["accuracy"] == 1.0


def test_first_person_narrator_is_named(pdnc_dir):
    # Jake Barnes is "_narr" in PDNC's character list; others call him Jake in dialogue
    result = person.evaluate(str(pdnc_dir), novels=["TheSunAlsoRises"])
    row = result["per_novel"]["TheSunAlsoRises"]
    assert row["predicted"] == "first"
    assert row["narrator"] == {"gold": "Jake Barnes", "predicted": "Jake Barnes", "correct": True}
