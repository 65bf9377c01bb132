"""Characters: names found in the story text, merged into one entity per person."""

import re

from ficlens.analyze import characters
from ficlens.model import Chapter, Metadata, Paragraph, Quote, Work


def work(text, **meta):
    paras = [Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return Work("t.txt", "text", text, [Chapter(None, 0, len(text))], paras, meta=Metadata(**meta))


def quotes_of(w):
    return [Quote(m.start(1), m.end(1), m.group(1)) for m in re.finditer(r'"([^"\n]+)"', w.text)]


def find(text, **kw):
    w = work(text, **{k: v for k, v in kw.items() if k != "cast"})
    return characters.find(w, quotes_of(w), cast=kw.get("cast"))


def by_name(people):
    return {c.name: c for c in people}


def test_full_name_merges_first_name_and_gender_from_pronouns():
    people, mentions = find(
        "Clarke Griffin walked into camp. She was tired.\n"
        "Later Clarke sat by the fire and Bellamy watched her. He said nothing.\n"
        "Bellamy threw his arm out. Clarke shook her head.\n"
    )
    names = by_name(people)
    assert "Clarke Griffin" in names and "Clarke" in names["Clarke Griffin"].aliases
    assert names["Clarke Griffin"].mentions == 3
    assert names["Clarke Griffin"].gender == "female"
    assert names["Bellamy"].gender == "male"
    assert all(m.character in {c.id for c in people} for m in mentions)


def test_mr_and_mrs_are_two_people():
    people, _ = find(
        "Mr. Bennet smiled at his wife. Mrs. Bennet did not smile back.\n"
        "Then Mr. Bennet left the room, and Mrs. Bennet called after him.\n"
    )
    names = by_name(people)
    assert {"Mr. Bennet", "Mrs. Bennet"} <= set(names)
    assert names["Mr. Bennet"].gender == "male" and names["Mrs. Bennet"].gender == "female"


def test_rank_title_is_an_alias_not_the_name():
    people, _ = find("The army followed Commander Lexa. Even so, Clarke trusted Lexa less each day.\n")
    names = by_name(people)
    assert "Lexa" in names and "Commander Lexa" in names["Lexa"].aliases


def test_sentence_initial_words_days_and_places_are_not_people():
    people, _ = find(
        "Still, Bellamy waited. Please let her come, he thought.\n"
        "On Monday he walked to the Ark with Bellamy's sister Octavia, in London.\n"
        "Octavia laughed. God, she was loud.\n"
    )
    names = set(by_name(people))
    assert {"Bellamy", "Octavia"} <= names
    assert not names & {"Still", "Please", "Monday", "Ark", "London", "God", "On"}


def test_headlands_ledger_headings_and_quoted_words_are_not_people():
    people, _ = find(
        "Tobias had come to Harrow Point three summers ago, and Captain Harrow swore at the harbour.\n"
        "Ilse watched the harbour wall at Dunmere vanish. Tobias told Ilse she would be back at Dunmere by noon.\n"
        "I wrote it down under a heading I had labelled Errors: made a joke.\n"
        "Later, under Errors: forgot the tea. Ilse did not laugh. Tobias filed it under Errors too.\n"
        'Then he says, "Stubborn. Funny, when she forgets not to be."\n'
    )
    names = set(by_name(people))
    assert {"Tobias", "Ilse"} <= names
    assert not names & {"Harrow Point", "Dunmere", "Errors", "Stubborn"}
    assert "Harrow" in names or "Captain Harrow" in names


def test_clipped_nicknames_join_the_one_person_they_fit():
    people, _ = find(
        "Marisol climbed the tower. Tobias followed her up, and Marisol laughed at him.\n"
        "Everyone on the coast called her Sol. Tobias liked that Sol let him stay.\n"
        "They called him Toby when Tobias was not listening. At the harbour were Maria and Marianne, and Maria waved.\n"
    )
    names = by_name(people)
    assert "Sol" in names["Marisol"].aliases and "Toby" in names["Tobias"].aliases
    assert "Sol" not in names and "Toby" not in names
    assert "Maria" in names  # a name, not a clipping: Marianne is someone else


def test_ao3_character_tag_gives_the_full_name():
    people, _ = find("Later that night Clarke left. Bellamy watched Clarke go.\n", characters=["Clarke Griffin", "Bellamy Blake"])
    names = set(by_name(people))
    assert {"Clarke Griffin", "Bellamy Blake"} == names


def test_cast_is_used_exactly_and_unique_first_names_become_aliases():
    cast = [{"name": "Elizabeth Bennet", "aliases": ["Lizzy"]}, {"name": "Mr. Darcy", "aliases": []}]
    people, mentions = find("Then Lizzy looked at Mr. Darcy. Elizabeth smiled; Jane did not.\n", cast=cast)
    assert [c.name for c in people] == ["Elizabeth Bennet", "Mr. Darcy"]
    assert "Elizabeth" in people[0].aliases
    assert people[0].mentions == 2 and people[1].mentions == 1
    assert len(mentions) == 3


def test_nickname_used_by_one_speaker_for_one_addressee_becomes_alias():
    people = [characters.Character("c1", "Clarke"), characters.Character("c2", "Bellamy")]
    quotes = [
        Quote(0, 10, "It's my job to worry, princess.", speaker="Bellamy", addressee="Clarke"),
        Quote(20, 30, "Raven, move.", speaker="Clarke", addressee="Bellamy"),
        Quote(40, 50, "Come on, princess.", speaker="Bellamy", addressee="Clarke"),
    ]
    counted = by_name(characters.count_quotes(people, quotes))
    assert counted["Clarke"].aliases == ["princess"]
    assert counted["Bellamy"].aliases == []
    assert counted["Bellamy"].quotes == 2 and counted["Clarke"].quotes == 1


def test_bad_input_no_names_and_one_long_paragraph():
    people, mentions = find("it was raining. nobody came. " * 400)
    assert people == [] and mentions == []
    people, _ = find(("Anna ran. " * 1500).strip())
    assert [c.name for c in people] == ["Anna"]


def test_a_hundred_characters_with_the_same_name_are_one_entity():
    text = "\n".join(f'"Hello," said Sam to the crowd number {i}.' for i in range(100))
    people, mentions = find(text)
    assert [c.name for c in people] == ["Sam"] and len(mentions) == 100


def test_a_cast_given_name_that_is_also_a_month_is_an_alias():
    """PDNC's cast has "May Wellend" (sic); the text says "May", as it says "Newland"."""
    cast = [{"name": "Miss Welland", "aliases": ["May Wellend"], "gender": "female"},
            {"name": "Newland Archer", "aliases": ["Newland"], "gender": "male"}]
    people, mentions = find('"It would be lovely," May said. Newland smiled at May.\n', cast=cast)
    names = {c.id: c.name for c in people}
    assert "May" in by_name(people)["Miss Welland"].aliases
    assert [names[m.character] for m in mentions] == ["Miss Welland", "Newland Archer", "Miss Welland"]


def test_a_title_one_cast_member_bears_names_her_where_the_narration_uses_it_alone():
    cast = [{"name": "Mademoiselle Reisz", "gender": "female"}, {"name": "Edna Pontellier", "aliases": ["Edna"]},
            {"name": "Madame Ratignolle"}, {"name": "Madame Lebrun"}]
    text = ('"So you remembered me," said Mademoiselle. Edna smiled.\n'
            '"Ah! the sunlight!" exclaimed Mademoiselle, rising. Edna sat down.\n'
            '"They are your husband\'s," returned Mademoiselle with a shrug.\n'
            'Madame came in, and later Mademoiselle Duvigne.\n')
    people, mentions = find(text, cast=cast)
    assert "Mademoiselle" in by_name(people)["Mademoiselle Reisz"].aliases
    bare = [m for m in mentions if text[m.start:m.end] == "Mademoiselle"]
    assert len(bare) == 3  # not the one in "Mademoiselle Duvigne"
    assert not any("Madame" in c.aliases for c in people)  # two Madames: nobody's
    # Said only twice, it is not enough to be sure.
    people, _ = find(text.replace('returned Mademoiselle', 'returned she'), cast=cast)
    assert "Mademoiselle" not in by_name(people)["Mademoiselle Reisz"].aliases
