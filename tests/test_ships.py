"""Ships: AO3 relationship tags when present, otherwise the central pair with romance cues."""

import re

from ficlens.analyze import ships
from ficlens.model import Chapter, Character, Mention, Metadata, Paragraph, Quote, Work

PEOPLE = [
    Character("c1", "Clarke Griffin", ["Clarke"]),
    Character("c2", "Bellamy Blake", ["Bellamy"]),
    Character("c3", "Raven Reyes", ["Raven"]),
]


def work(text, relationships=()):
    paras = [Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return Work("t.txt", "text", text, [Chapter(None, 0, len(text))], paras, meta=Metadata(relationships=list(relationships)))


def mentions(text):
    ids = {"Clarke": "c1", "Bellamy": "c2", "Raven": "c3"}
    return [Mention(m.start(), m.end(), ids[m.group()]) for m in re.finditer(r"Clarke|Bellamy|Raven", text)]


def test_slash_tags_are_ships_and_ampersand_tags_are_not():
    w = work("Nothing here.", ["Bellamy Blake/Clarke Griffin", "Clarke Griffin & Raven Reyes"])
    assert ships.infer(w, PEOPLE, [], []) == [["Bellamy Blake", "Clarke Griffin"]]


def test_tag_names_map_to_character_names():
    people = [Character("c1", "Clarke", []), Character("c2", "Lexa", ["Commander Lexa"])]
    w = work("Nothing here.", ["Clarke Griffin/Lexa (The 100)"])
    assert ships.infer(w, people, [], []) == [["Clarke", "Lexa"]]


def test_inferred_from_interaction_and_romance():
    text = (
        "Raven fixed the radio while Clarke packed.\n"
        "Bellamy found Clarke by the gate and kissed her cheek.\n"
        "Clarke held his hand; her heart was breaking. Bellamy said he loved her.\n"
        "Raven waved from the wall.\n"
    )
    quotes = [Quote(0, 1, "Stay.", speaker="Bellamy Blake", addressee="Clarke Griffin"),
              Quote(2, 3, "I can't.", speaker="Clarke Griffin", addressee="Bellamy Blake")]
    assert ships.infer(work(text), PEOPLE, quotes, mentions(text)) == [["Bellamy Blake", "Clarke Griffin"]]


def test_a_story_tagged_as_friendship_or_gen_gets_no_inferred_romance():
    text = (
        "Bellamy found Clarke by the gate and kissed her cheek.\n"
        "Clarke held his hand; her heart was breaking. Bellamy said he loved her.\n"
    )
    quotes = [Quote(0, 1, "Stay.", speaker="Bellamy Blake", addressee="Clarke Griffin"),
              Quote(2, 3, "I can't.", speaker="Clarke Griffin", addressee="Bellamy Blake")]
    friends = work(text, ["Bellamy Blake & Clarke Griffin"])
    assert ships.infer(friends, PEOPLE, quotes, mentions(text)) == []
    gen = work(text)
    gen.meta.categories = ["Gen"]
    assert ships.infer(gen, PEOPLE, quotes, mentions(text)) == []
    assert ships.infer(work(text), PEOPLE, quotes, mentions(text)) == [["Bellamy Blake", "Clarke Griffin"]]


def test_no_romance_no_ship():
    text = "Raven fixed the radio while Clarke packed.\nBellamy counted the guns with Clarke.\n"
    assert ships.infer(work(text), PEOPLE, [], mentions(text)) == []
    assert ships.infer(work(""), [], [], []) == []
