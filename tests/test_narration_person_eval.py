"""Narrative person against the PDNC index on a few novels (first and third person)."""

from ficlens.eval import person


def test_person_on_pdnc_novels(pdnc_dir):
    novels = ["TheSignOfTheFour", "TheSunAlsoRises", "Persuasion", "AlicesAdventuresInWonderland"]
    result = person.evaluate(str(pdnc_dir), novels=novels)
    assert set(result["per_novel"]) == set(novels)
    assert result["per_novel"]["TheSignOfTheFour"]["predicted"] == "first"
    assert result["per_novel"]["Persuasion"]["predicted"] == "third"
    assert result["overall"]["accuracy"] == 1.0
