"""Story versus notes in plain text: the five real sample fics exactly, and the shapes notes take."""

from __future__ import annotations

import pytest

from ficlens import ingest
from ficlens.ingest.notes import judge


def _story(work) -> list[str]:
    return [work.text[p.start:p.end] for _, p in work.story_paragraphs()]


def _notes(work) -> list[tuple[str, str]]:
    for n in work.notes:
        assert work.text[n.start:n.end] == n.text
    return [(n.kind, n.text) for n in work.notes]


class TestSamples:
    def test_000_has_no_notes(self, sample_paths):
        work = ingest.read(sample_paths["000"])
        assert work.notes == [] and work.meta.title is None
        assert _story(work)[0].startswith("Bellamy felt Clarke's lips graze his cheek")
        assert _story(work)[-1].endswith("she wasn't there.")
        assert len(_story(work)) == 13

    def test_001_first_paragraph_is_the_front_note(self, sample_paths):
        work = ingest.read(sample_paths["001"])
        [(kind, note)] = _notes(work)
        assert kind == "front"
        assert note.startswith("Ok so I'm late to the Bellarke party") and note.endswith("hopefully it's enjoyable?")
        assert work.notes[0].start == 0
        assert _story(work)[0].startswith("They walk, as quickly as they can")
        assert _story(work)[-1].endswith("the strength to close it.")

    def test_002_has_no_notes(self, sample_paths):
        work = ingest.read(sample_paths["002"])
        assert work.notes == []
        assert _story(work)[0].startswith("Bellamy doesn't really know what to expect")
        assert _story(work)[-1] == '"Okay."'

    def test_003_first_two_lines_are_front_notes(self, sample_paths):
        work = ingest.read(sample_paths["003"])
        assert _notes(work) == [
            ("front", "The gorgeous fanart this was inspired by can be found on Tumblr; I've put a link to it on my profile page."),
            ("front", "The title is a line from the song playing during that scene: 'Knockin' on Heaven's Door' done by Raign."),
        ]
        assert _story(work)[0] == "He knows the moment he sees her hugging Monty."
        assert _story(work)[-1] == "He's the last one through. The guards shut them behind him."

    def test_004_two_title_lines_and_a_front_note(self, sample_paths):
        work = ingest.read(sample_paths["004"])
        notes = _notes(work)
        assert notes[:2] == [("front", "not breaking my heart"), ("front", "Please Don’t Go.")]
        assert notes[2][0] == "front" and notes[2][1].startswith("I wanted to write a fic of how")
        assert notes[2][1].endswith("enjoy!!")
        assert len(notes) == 3
        assert work.meta.title == "Please Don’t Go"
        assert [p.kind for p in work.paragraphs[:3]] == ["heading", "heading", "text"]
        assert _story(work)[0] == "“I’m going to stay behind.”"
        assert _story(work)[-1].endswith("“We always do.”")

    def test_story_words_exclude_the_notes(self, sample_paths):
        work = ingest.read(sample_paths["001"])
        assert work.story_text_words() == len(work.text.split()) - len(work.notes[0].text.split())


def _read(tmp_path, raw: str):
    path = tmp_path / "story.txt"
    path.write_text(raw, encoding="utf-8", newline="")
    return ingest.read(path)


class TestShapes:
    def test_title_byline_disclaimer_an_break_and_end_note(self, tmp_path):
        work = _read(tmp_path, (
            "The Long Way Home\n\nby starlitquill\n\n"
            "Disclaimer: I don't own The 100 or any of the characters.\n\n"
            'A/N: This was written for the Secret Santa prompt "snowed in". Unbeta\'d, all mistakes are mine!\n\n'
            "* * *\n\n"
            "Snow had been falling since noon, and by the time Clarke reached the cabin it was up to her knees.\n\n"
            '"You made it," Bellamy said from the doorway.\n\n'
            '"Barely." She stamped her boots. "Move."\n\n'
            "* * *\n\n"
            "A/N: Thanks for reading! Comments are love <3 Come say hi on tumblr, I'm starlitquill there.\n"
        ))
        assert [k for k, _ in _notes(work)] == ["front", "front", "front", "front", "end"]
        assert work.meta.title == "The Long Way Home"
        assert work.meta.authors == ["starlitquill"]
        assert _story(work) == [
            "Snow had been falling since noon, and by the time Clarke reached the cabin it was up to her knees.",
            '"You made it," Bellamy said from the doorway.',
            '"Barely." She stamped her boots. "Move."',
        ]

    def test_an_block_runs_on_to_the_scene_break(self, tmp_path):
        work = _read(tmp_path, (
            "A/N: Okay, a few things before we start.\n\n"
            "Set after the finale, ignores everything since.\n\n"
            "~~~\n\n"
            "The rain hadn't stopped for three days.\n\n"
            "She counted the drops anyway.\n"
        ))
        assert [t for _, t in _notes(work)] == [
            "A/N: Okay, a few things before we start.", "Set after the finale, ignores everything since."]
        assert _story(work) == ["The rain hadn't stopped for three days.", "She counted the drops anyway."]

    def test_an_end_note_runs_on_after_its_label(self, tmp_path):
        work = _read(tmp_path, (
            "She ran.\n\nHe followed her into the dark, and neither of them looked back.\n\n* * *\n\n"
            "A/N: okay so.\n\nThis one got away from me a bit.\n"
        ))
        assert _notes(work) == [("end", "A/N: okay so."), ("end", "This one got away from me a bit.")]
        assert _story(work) == ["She ran.", "He followed her into the dark, and neither of them looked back."]

    def test_a_copied_ao3_page(self, tmp_path):
        work = _read(tmp_path, (
            "Harbour Lights\nquietmoth\n\nSummary:\nIlse counts the lights. There used to be ten.\n\n"
            "Notes:\nThis is for the Tidewatch exchange! Thank you to my beta.\n\n"
            "(See the end of the work for more notes.)\n\nWork Text:\n"
            "The harbour lights came on one by one.\n\n\"Nine,\" she said. \"There used to be ten.\"\n\n"
            "Jory didn't answer.\n\nNotes:\nCome find me on tumblr, I'm quietmoth there too.\n"
        ))
        assert _notes(work) == [
            ("front", "Harbour Lights"), ("front", "quietmoth"), ("front", "Summary:"),
            ("summary", "Ilse counts the lights. There used to be ten."), ("front", "Notes:"),
            ("front", "This is for the Tidewatch exchange! Thank you to my beta."),
            ("front", "(See the end of the work for more notes.)"), ("front", "Work Text:"),
            ("end", "Notes:"), ("end", "Come find me on tumblr, I'm quietmoth there too."),
        ]
        assert work.meta.summary == "Ilse counts the lights. There used to be ten."
        assert _story(work) == ["The harbour lights came on one by one.", '"Nine," she said. "There used to be ten."',
                                "Jory didn't answer."]

    def test_a_copied_ao3_page_with_chapters(self, tmp_path):
        work = _read(tmp_path, (
            "Chapter 1: Nine\n\nChapter Text\nThe lights came on.\n\nShe counted them.\n\n"
            "Chapter End Notes\nMore soon!\n\n"
            "Chapter 2: Ten\n\nChapter Notes\nThe short one.\n\nChapter Text\nThe tenth came on.\n\nShe wept.\n"
        ))
        assert [(n.kind, n.chapter, n.text) for n in work.notes] == [
            ("chapter-front", 0, "Chapter Text"), ("chapter-end", 0, "Chapter End Notes"), ("chapter-end", 0, "More soon!"),
            ("chapter-front", 1, "Chapter Notes"), ("chapter-front", 1, "The short one."), ("chapter-front", 1, "Chapter Text"),
        ]
        assert _story(work) == ["The lights came on.", "She counted them.", "The tenth came on.", "She wept."]

    def test_chapter_notes_between_chapters(self, tmp_path):
        work = _read(tmp_path, (
            "Chapter 1: The Drop\r\n\r\nA/N: First chapter! Let me know what you think.\r\n\r\n"
            "The dropship hit the ground hard.\r\n\r\n\"Is everyone okay?\" Clarke asked.\r\n\r\n"
            "AN: next chapter will be up soon!\r\n\r\nChapter 2: The Wall\r\n\r\n"
            "They built the wall in three days.\r\n\r\nIt held.\r\n\r\n"
            "Thanks for reading! Please review, reviews are love.\r\n"
        ))
        assert [(n.kind, n.chapter) for n in work.notes] == [("chapter-front", 0), ("chapter-end", 0), ("end", None)]
        assert _story(work) == ["The dropship hit the ground hard.", '"Is everyone okay?" Clarke asked.',
                                "They built the wall in three days.", "It held."]

    def test_header_fields(self, tmp_path):
        work = _read(tmp_path, (
            "Title: Gravity\nAuthor: moonmoth\nFandom: The 100 (TV)\nPairing: Bellamy Blake/Clarke Griffin\n"
            "Rating: T\n\nThe ground was closer than it should have been.\n\nShe jumped anyway.\n"
        ))
        assert work.meta.title == "Gravity"
        assert work.meta.authors == ["moonmoth"]
        assert work.meta.fandoms == ["The 100 (TV)"]
        assert work.meta.relationships == ["Bellamy Blake/Clarke Griffin"]
        assert work.meta.rating == "T"
        assert _story(work) == ["The ground was closer than it should have been.", "She jumped anyway."]

    def test_by_on_a_line_of_its_own(self, tmp_path):
        work = _read(tmp_path, "Persuasion\n\nby\n\nJane Austen\n\nSir Walter Elliot never took up any book but one.\n")
        assert (work.meta.title, work.meta.authors) == ("Persuasion", ["Jane Austen"])
        assert _story(work) == ["Sir Walter Elliot never took up any book but one."]

    def test_markdown_yaml_front_matter(self, tmp_path):
        work = _read(tmp_path, (
            "---\ntitle: Harbour Lights\nauthor: quietmoth\nfandom: Tidewatch (TV)\n---\n\n"
            "The harbour lights came on one by one.\n\n\"Nine,\" she said. \"There used to be ten.\"\n"
        ))
        assert (work.meta.title, work.meta.authors, work.meta.fandoms) == ("Harbour Lights", ["quietmoth"], ["Tidewatch (TV)"])
        assert [t for _, t in _notes(work)] == ["title: Harbour Lights", "author: quietmoth", "fandom: Tidewatch (TV)"]
        assert _story(work) == ["The harbour lights came on one by one.", '"Nine," she said. "There used to be ten."']

    def test_first_person_story_keeps_its_first_and_last_paragraph(self, tmp_path):
        work = _read(tmp_path, (
            "I wanted to tell him everything, but my voice broke before I could start.\n\n"
            "I wrote the first chapter of my novel that summer, and my editor hated it.\n\n"
            '"I\'m sorry," he said.\n\n'
            "I hope he knew. I hope he knows I meant it, every word I never wrote.\n"
        ))
        assert work.notes == []
        assert len(_story(work)) == 4

    def test_narration_at_chapter_edges_is_not_taken_for_notes(self, tmp_path):
        # a first-person narrator with "write" and "season" (The Gambler), and Austen's narrator
        # defending novels to their "readers" and "reviewers" (Northanger Abbey): story, not notes
        gambler = ("I confess I did not like it. Although I had made up my mind to play, I felt averse to doing so "
                   "on behalf of some one else, for the journalists write every season on the luxury of the casinos.")
        austen = ("Let us not desert one another; we are an injured body. Although our productions have afforded "
                  "more extensive and unaffected pleasure than those of any other literary corporation in the world, "
                  "no species of composition has been so much decried, and the reviewers abuse such effusions, "
                  "while the readers of a chapter from the Spectator are praised. ") * 3
        work = _read(tmp_path, (
            "EMMA\n\nChapter I\n\nShe walked to the casino.\n\n" + austen + "\n\n"
            "Chapter II\n\n" + gambler + "\n\nHe lost everything by noon.\n"
        ))
        assert work.meta.title == "EMMA"
        assert [t for _, t in _notes(work)] == ["EMMA"]
        assert len(_story(work)) == 4

    def test_a_story_that_is_all_author_voice_stays_a_story(self, tmp_path):
        work = _read(tmp_path, "I hope you enjoy this fic!!\n\nThanks for reading, comments are love :)\n")
        assert work.notes == []

    def test_mid_text_an_is_a_note(self, tmp_path):
        work = _read(tmp_path, (
            "She ran.\n\n(A/N: sorry, this part was hard to write.)\n\nHe followed her into the dark.\n"
        ))
        assert [t for _, t in _notes(work)] == ["(A/N: sorry, this part was hard to write.)"]
        assert _story(work) == ["She ran.", "He followed her into the dark."]


@pytest.mark.parametrize(
    "paragraph, verdict",
    [
        ("Ok so this is my first fic, be nice!", "note"),
        ("I hope you enjoyed it!", "note"),
        ("Let me know what you think :)", "note"),
        ("Follow me on tumblr for more", "note"),
        ("The title is from a Hozier song.", "note"),
        ("Sorry for the late update guys, life got in the way!", "note"),
        ("Disclaimer: The characters belong to the CW.", "marker"),
        ("A/N - set during 2x16.", "marker"),
        ("Cross-posted on FF.net under the same name.", "note"),
        ("Please leave kudos and comments if you enjoyed!", "note"),
        ("Thanks so much for reading!", "note"),
        ("Happy birthday Sam, this one is for you!", "note"),
        ("Unbeta’d, so sorry for typos!", "note"),
        ("I don’t own anything, it all belongs to the CW.", "note"),
        ("The End", "closing"),
        # narrative that uses some of the same words
        ("I wrote the first chapter of my novel that summer, and my editor hated it.", "story"),
        ("He read the title of the song on the screen and laughed.", "story"),
        ("An hour passed before she spoke.", "story"),
        ("This chapter of her life was over, and she knew it.", "story"),
        ("She had written for the paper for years.", "story"),
        ("“Thanks for reading it to me,” she said.", "story"),
    ],
)
def test_judge(paragraph, verdict):
    assert judge(paragraph) == verdict
