"""Narration: person (incl. reader-insert), tense from finite verbs, POV per scene, the sample fics."""

from __future__ import annotations

import pytest

from ficlens import ingest
from ficlens.analyze import analyze, narration, tense
from ficlens.model import Chapter, Character, Paragraph, Quote, Work

BELLAMY = Character("c1", "Bellamy Blake", ["Bellamy"], gender="male")
CLARKE = Character("c2", "Clarke Griffin", ["Clarke"], gender="female")


def work_of(text: str) -> Work:
    """A Work with one paragraph per non-empty line; a line of "***" is a scene break."""
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(pos, pos + len(line), 0, "break" if line.strip() == "***" else "text"))
        pos += len(line) + 1
    return Work(source="t.txt", format="text", text=text, chapters=[Chapter(None, 0, len(text))], paragraphs=paragraphs)


def quotes_of(work: Work) -> list[Quote]:
    import re

    def paragraph(pos):
        return next(i for i, p in enumerate(work.paragraphs) if p.start <= pos < p.end)

    return [Quote(m.start(1), m.end(1), m.group(1), paragraph=paragraph(m.start()))
            for m in re.finditer(r"\"([^\"]+)\"", work.text)]


def describe(text: str, people=(BELLAMY, CLARKE)):
    w = work_of(text)
    return narration.describe(w, quotes_of(w), list(people), [])


class TestTense:
    def words(self, sentence):
        return [(v.word, v.tense) for v in tense.finite_verbs(sentence)]

    def test_past_and_present_forms(self):
        assert self.words("She knew he was right.") == [("knew", "past"), ("was", "past")]
        assert self.words("He takes it and looks away.") == [("takes", "present"), ("looks", "present")]

    def test_contraction_is_present_either_way(self):
        # "he's" is "he is" or "he has": present in both readings
        assert self.words("He's sure.")[0][1] == "present"
        assert self.words("He's given up.")[0][1] == "present"

    def test_nouns_that_look_like_verbs_are_not_verbs(self):
        assert self.words("The thought depresses him.") == []  # "thought" after "the" is a noun
        assert self.words("Her left eye was red.") == [("was", "past")]

    def test_same_form_verbs_need_a_singular_subject(self):
        # "shut" is past after "he", but present or past after "the guards"
        assert self.words("He shut the door.") == [("shut", "past")]
        assert self.words("The guards shut them out.") == []

    def test_past_perfect_and_clauses(self):
        verbs = tense.finite_verbs("He'd almost stumbled into it, and he tells her as she swallowed.")
        assert verbs[0].perfect
        swallowed = [v for v in verbs if v.word == "swallowed"][0]
        assert (swallowed.clause, swallowed.subordinator) == ("sub", "as")
        made = tense.finite_verbs("That armour represents the sacrifices she made for him.")[-1]
        assert made.word == "made" and made.clause == "sub"  # zero relative: a legitimate backshift

    def test_sentences(self):
        text = 'He waits. "Go," she says. Then he leaves!'
        assert [text[s:e] for s, e in tense.sentences(text)] == ["He waits.", '"Go," she says.', "Then he leaves!"]


class TestPerson:
    def test_third_person_with_first_person_dialogue(self):
        n = describe('"I am going and I will not stop," she said.\nClarke walked away. He watched her go. She was gone.\n'
                     '"I know," he said. He knew she was right and he followed her.')
        assert n.person == "third"

    def test_first_person_narrator_from_tags(self):
        # AO3 tags three characters; the narration names two of them: the third is the "I"
        w = work_of("I watched Marisol climb the ladder. Wren waved at me. I waved back and I went inside.\n"
                    "I knew Marisol was right. I said nothing.")
        w.meta.characters = ["Tobias Reyne", "Marisol Vantongeren", "Wren Vantongeren"]
        people = [Character("c1", "Marisol Vantongeren", ["Marisol"]), Character("c2", "Wren Vantongeren", ["Wren"])]
        n = narration.describe(w, [], people, [])
        assert (n.person, n.pov) == ("first", ["Tobias Reyne"])

    def test_first_person(self):
        n = describe("I walked to the door and I opened it. Bellamy was there.\nI said nothing. I knew he was angry. He left.")
        assert n.person == "first"

    def test_reader_insert_is_second_person(self):
        n = describe("Y/N walks into the room. You see him at once.\n(Y/N) smiles and he smiles back. You sit down.")
        assert n.person == "second"
        assert n.pov == ["Y/N"]  # the reader is the viewpoint

    def test_second_person(self):
        n = describe("You walk to the door. You open it and you see him. He smiles.\nYou know he is waiting for you. You wait.")
        assert n.person == "second"


class TestPov:
    def test_pov_per_scene_resets_at_breaks(self):
        n = describe(
            "Bellamy knew she was leaving. He felt sick. He wondered what to say. His heart ached.\n"
            "***\n"
            "Clarke thought about the camp. She wondered if he hated her. She knew she had to go. She felt empty.\n"
        )
        assert [s["pov"][0] for s in n.scenes] == ["Bellamy Blake", "Clarke Griffin"]
        assert set(n.pov) == {"Bellamy Blake", "Clarke Griffin"}
        assert [p["pov"] for p in n.paragraphs] == ["Bellamy Blake", "Clarke Griffin"]

    def test_tense_per_paragraph(self):
        n = describe("He walks to the gate. He waits. She comes.\nHe walked home. He slept. She was gone.\n"
                     "He opens the door. He sees her. She smiles.")
        assert n.tense == "present"
        assert [p["tense"] for p in n.paragraphs] == ["present", "past", "present"]

    def test_first_person_narrator_named_by_dialogue(self):
        n = describe('"Bellamy, wait," Clarke said.\nI turned. I knew what she wanted.\n"Bellamy, please."\n'
                     'I looked at her.\n"Bellamy, listen to me."\nI walked away.')
        assert n.person == "first"
        assert n.pov == ["Bellamy Blake"]

    def test_no_text_no_crash(self):
        n = describe('"Hi."\n"Hello."')
        assert n.pov == [] and n.tense is None


EXPECTED = {
    "000": ("third", "past", {"Bellamy", "Clarke"}),
    "001": ("third", "present", {"Bellamy"}),
    "002": ("third", "present", {"Bellamy"}),
    "003": ("third", "present", {"Bellamy"}),
    "004": ("third", "past", {"Clarke", "Bellamy"}),
}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_sample_fics(sample_paths, number):
    a = analyze(ingest.read(sample_paths[number]))
    person, tense_, pov = EXPECTED[number]
    assert (a.narration.person, a.narration.tense) == (person, tense_)
    assert {name.split()[0] for name in a.narration.pov} == pov
    assert {name.split()[0] for name in a.narration.pov[:1]} <= {"Bellamy", "Clarke"}
    if number in ("001", "002", "003"):
        assert a.narration.pov[0].startswith("Bellamy")


EMMA = Character("c1", "Emma Woodhouse", ["Emma"], gender="female")
HARRIET = Character("c2", "Harriet Smith", ["Harriet"], gender="female")
KNIGHTLEY = Character("c3", "George Knightley", ["Mr. Knightley", "Knightley"], gender="male")


def cues_of(text: str, people=(EMMA, HARRIET, KNIGHTLEY), **kw):
    w = work_of(text)
    story = narration.read_story(w, quotes_of(w), list(people), **kw)
    return [(c.name.split()[0], text[c.start:c.end]) for p in story.paragraphs for s in p.sentences for c in s.cues]


class TestCues:
    def test_she_is_the_woman_her_own_sentence_names(self):
        """The last woman named as a subject is Emma, but this "she" is Harriet."""
        assert cues_of("Emma walked on. Mr. Knightley came to talk to Harriet, and she thought him very kind.") == [
            ("Harriet", "thought")]

    def test_it_seemed_to_her_is_her_view(self):
        assert cues_of("Emma sat down. It seemed to her that the room had grown cold.") == [("Emma", "seemed")]
        assert cues_of("Emma sat down. It occurred to Harriet that nobody had come.") == [("Harriet", "occurred")]
        assert cues_of("Emma sat down. It seemed to her sister that the room had grown cold.") == []

    def test_adverbs_modals_and_suppositions_are_not_cues(self):
        assert cues_of("Emma had long since given up. She need not have worried.") == []
        assert cues_of("Emma walked in. Had she wished it, she could have stayed.") == []
        assert cues_of("Emma could not help but wonder where he was.") == [("Emma", "wonder")]

    def test_a_cast_gender_is_never_overruled_by_the_narration(self):
        text = "Emma could not help but wonder where he was. Emma looked up, and he was gone.\n"
        w = work_of(text)
        guessed = narration.read_story(w, [], [EMMA, KNIGHTLEY])
        given = narration.read_story(w, [], [EMMA, KNIGHTLEY], genders_given=True)
        assert guessed.genders["Emma Woodhouse"] == "male"  # the pronouns' own evidence beats a guess
        assert given.genders["Emma Woodhouse"] == "female"

    def test_a_man_named_inside_his_framed_clause_is_not_the_next_he(self):
        """The Count is the subject of what Archer says to himself; the next "He" is still Archer."""
        archer = Character("c4", "Newland Archer", ["Archer"], gender="male")
        count = Character("c5", "Count Olenski", ["Count Olenski", "Count"], gender="male")
        text = ("Archer looked at the house, and he said to himself that the Count must have robbed her. "
                "He knew that she would never speak of it.\n")
        assert cues_of(text, (archer, count)) == [("Newland", "knew")]

    def test_she_is_the_woman_the_scene_names_as_a_subject(self):
        """Harriet is named more often, Emma as the one acting: an opening "She wondered" is Emma's."""
        text = ("She wondered what would become of poor Harriet. There was a letter for Harriet on the table, "
                "beside the parcel from Harriet.\n\nEmma folded the letter and put it away.\n")
        assert cues_of(text)[0] == ("Emma", "wondered")

    def test_an_inner_verbs_she_is_the_chapters_reflector_unless_the_last_woman_was_just_named(self):
        """A chapter told through Emma: Harriet, named as a subject two sentences back, is not who wonders
        about the letter; named in the sentence before, she is who hopes."""
        text = ("Emma wondered where everyone had gone. Emma felt the quiet of the house. Emma thought of the letter.\n"
                "Harriet had walked out an hour before. The letter still lay on the table. "
                "She wondered whether it had been sent.\n"
                "Harriet came back at noon. She hoped that it had not.\n")
        assert cues_of(text) == [("Emma", "wondered"), ("Emma", "felt"), ("Emma", "thought"),
                                 ("Emma", "wondered"), ("Harriet", "hoped")]

    def test_an_initial_is_no_sentence_end(self):
        riviere = Character("c6", "M. Riviere", ["M. Riviere"], gender="male")
        assert cues_of("Emma sat down. M. Riviere felt a sudden pang of guilt.", (EMMA, riviere)) == [("M.", "felt")]
