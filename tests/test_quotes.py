"""quotes.find: quote marks, apostrophes, nesting, missing marks, paragraphs, dash dialogue, kinds."""

from __future__ import annotations

import pytest

from ficlens.analyze import quotes
from ficlens.eval.quotes import blank_line_work
from ficlens.ingest import read
from ficlens.model import Note


def found(text: str) -> list[str]:
    work = blank_line_work("t.txt", text)
    result = quotes.find(work)
    for q in result:
        assert work.text[q.start : q.end] == q.text
    return [q.text for q in result]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(q.text, q.kind) for q in quotes.find(blank_line_work("t.txt", text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the plain case, straight and curly
        ('"Hello," he said.', ["Hello,"]),
        ("“Hello,” he said.", ["Hello,"]),
        # an interrupted quote is two quotes
        ('"A," he said, "B."', ["A,", "B."]),
        ("“I bear it,” Clarke says with tears; “so they don’t have to.”", ["I bear it,", "so they don’t have to."]),
        # apostrophes inside and at the ends of words are not quote marks
        ("He didn't know. It's the boys' room, isn't it?", []),
        ("'Em? They've been rockin' since the '90s.", []),
        ("“Tell ’em I’m goin’ fishin’,” she said.", ["Tell ’em I’m goin’ fishin’,"]),
        # British single quotes, told apart from the apostrophes inside them
        ("'I don't know,' she said. 'Ask the boys' mother.'", ["I don't know,", "Ask the boys' mother."]),
        ("‘Knockin’ on Heaven’s Door’ played on the radio.", ["Knockin’ on Heaven’s Door"]),
        # an elision opening a single-quoted line is both apostrophe and opening mark
        ("'Cause I said so,' she snapped.", ["'Cause I said so,"]),
        ("'Cause it's late. He left the boys' room.", []),
        # a curly mark of the wrong hand takes its side from its neighbours
        ("“Hello.“ she said. “Bye.“", ["Hello.", "Bye."]),
        # Hagrid's dropped letters inside British single quotes
        ("'We're goin' to the Three Broomsticks,' said Hagrid. 'Fred an' George's shop.'",
         ["We're goin' to the Three Broomsticks,", "Fred an' George's shop."]),
        # a nested quote belongs to the outer one
        ('"She said \'no\' to me," he sighed.', ["She said 'no' to me,"]),
        ("'He told me \"never\" and left,' she said.", ['He told me "never" and left,']),
        # double marks nested in double marks (no single marks inside)
        ('"He said "no" to me," she said. "Fine."', ['He said "no" to me,', "Fine."]),
        # the opening mark is missing at the start of a paragraph (sample 004)
        (
            "Our people, Clarke. We lead them together, not alone.” Bellamy finally moved. “You’re coming.”",
            ["Our people, Clarke. We lead them together, not alone.", "You’re coming."],
        ),
        ('Our people, Clarke." Bellamy moved. "Come."', ["Our people, Clarke.", "Come."]),
        # ... and in a story quoted with single marks, but not where the mark is an apostrophe
        ("'Hi,' she said.\n\nOur people, Clarke.' He moved. 'Come.'\n\nThe boys' room was empty.",
         ["Hi,", "Our people, Clarke.", "Come."]),
        # the closing mark is missing at the end of a paragraph
        ('He said, "Wait for me\n\nShe left.', ["Wait for me"]),
        # a closing mark missing before the next opening mark
        ('"Stop it. "No, you stop."', ["Stop it.", "No, you stop."]),
        # a stray mark does not open a quote over the rest of the paragraph
        ('She read 5" of it and left. It was late.', []),
        # em-dash dialogue, with a tag in the middle
        ("—Go home —she said—. Now.\n\n—No.\n\nHe stayed.", ["Go home", "Now.", "No."]),
        # dash dialogue whose tag has no closing dash
        ("— Thanks, Stephen said. I can't wear them.\n\n— Why not? he asked.", ["Thanks,", "I can't wear them.", "Why not?"]),
        # a story with no dialogue
        ("He walked. She ran. Nobody spoke all day.\n\nThe end.", []),
    ],
)
def test_finds(text, expected):
    assert found(text) == expected


def test_unbalanced_marks_everywhere_stay_within_their_paragraphs():
    # every paragraph opens a quote and never closes it; none may swallow the next
    text = "\n\n".join(f'"Line {i} of a text whose quotes never close' for i in range(50))
    result = quotes.find(blank_line_work("t.txt", text))
    assert len(result) == 50
    assert all("\n" not in q.text and q.text.startswith("Line") for q in result)


def test_unclosed_mark_in_a_long_paragraph_stops_at_its_sentence():
    # 10,000 characters without a paragraph break: a lost close must not make one giant quote
    text = 'He said "stay here. ' + "The rain kept falling on the roof. " * 300
    (q,) = quotes.find(blank_line_work("t.txt", text))
    assert q.text == "stay here."


def test_only_dialogue():
    # a story that is nothing but quotes
    lines = [f'"Line number {i}."' for i in range(200)]
    assert found("\n\n".join(lines)) == [f"Line number {i}." for i in range(200)]


def test_multi_paragraph_speech_is_marked_as_continuing():
    # old convention: no close at the end of a paragraph, the next one opens again
    text = '"First part of a long speech.\n\n"Second part.\n\n"Third and last."\n\nHe stopped.\n\n"New."'
    result = quotes.find(blank_line_work("t.txt", text))
    assert [q.text for q in result] == ["First part of a long speech.", "Second part.", "Third and last.", "New."]
    assert [q.continues for q in result] == [False, True, True, False]


def test_multi_paragraph_speech_in_single_marks():
    # the same convention in a story quoted with single marks
    text = "'It began long ago.\n\n'And it never ended,' she said.\n\n'Next.'"
    result = quotes.find(blank_line_work("t.txt", text))
    assert [(q.text, q.continues) for q in result] == [
        ("It began long ago.", False),
        ("And it never ended,", True),
        ("Next.", False),
    ]


def test_stage_direction_in_parentheses_splits_a_quote():
    # the narrator interrupting inside the marks: two pieces of one speech; an aside of the speaker is not split
    text = '"But (with a smile at Emma) she is kind," said he. "It was (as you know) late."'
    result = quotes.find(blank_line_work("t.txt", text))
    assert [(q.text, q.continues) for q in result] == [
        ("But", False),
        ("she is kind,", True),
        ("It was (as you know) late.", False),
    ]


def test_notes_are_skipped():
    # author's notes are not story, even when they quote things
    text = 'A.N.: my fave song is "Hallelujah"\n\n"Hi," she said.'
    work = blank_line_work("t.txt", text)
    work.notes.append(Note(kind="front", text=text[:34], start=0, end=34))
    assert [q.text for q in quotes.find(work)] == ["Hi,"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # speech with a tag
        ('"Come back to me." He whispered in her ear.', [("Come back to me.", "speech")]),
        # a thought, cued before (sample 001) and tagged after
        (
            "The same justification runs through his head; 'you had to, you had to.' He walks on.",
            [("you had to, you had to.", "thought")],
        ),
        ('"This is a mistake," she thought.', [("This is a mistake,", "thought")]),
        ('She smiled and thought, "Finally."', [("Finally.", "thought")]),
        # a speech verb overrides a cue of thinking
        ('He thought for a moment, then said, "Maybe."', [("Maybe.", "speech")]),
        # italics kept as *asterisks* or _underscores_ in plain text, with a thought tag; plain emphasis is not a quote
        ("*I can't do this,* she thought. It was *so* cold.", [("I can't do this,", "thought")]),
        ("He wondered, _what if she never comes back?_ and walked on.", [("what if she never comes back?", "thought")]),
        ("To know that _she_ thought so was enough.", []),
        # "wonders aloud" is speech, not thought
        ('"What\'s your problem?" He wonders aloud.', [("What's your problem?", "speech")]),
        # writing: signs, a song title after "song", a heading named after the quote
        ('The sign read "No Entry" in red.', [("No Entry", "written")]),
        ("The title is a line from the song: 'Knockin' on Heaven's Door' by Raign.", [("Knockin' on Heaven's Door", "written")]),
        ('"An Entire Village Goes Mad" was the heading.', [("An Entire Village Goes Mad", "written")]),
        # a title standing alone as a paragraph (an epigraph, a chapter title in quotes)
        ("\"Knockin' On Heaven's Door\"\n\nHe walked out.", [("Knockin' On Heaven's Door", "written")]),
        # nicknames and scare quotes
        ('He called her "princess" again.', [("princess", "other")]),
        ("He looked at her blonde 'princess' hair.", [("princess", "other")]),
        # a one-word title after its noun; a name given with "call" (no comma) is not speech
        ('She read a novel called "Middlemarch," and slept.', [("Middlemarch,", "written")]),
        ('He was what people call "a good citizen."', [("a good citizen.", "other")]),
        ('He called, "Come here!"', [("Come here!", "speech")]),
        # a short quote after a speech verb is still speech
        ('He said "no" and left.', [("no", "speech")]),
        # a short quote opening its paragraph is speech
        ('"Miss Schlegel"--his voice was firm--"I have had you up."', [("Miss Schlegel", "speech"), ("I have had you up.", "speech")]),
    ],
)
def test_kinds(text, expected):
    assert kinds(text) == expected


def test_quoted_letter_is_written():
    # a letter quoted paragraph by paragraph, salutation to signature, then dialogue again
    text = '"Dear Meg,"\n\n"We arrived safely. It rains."\n\n"Yours ever,"\n\n"HELEN."\n\n"Well?" said Tibby.'
    assert kinds(text) == [
        ("Dear Meg,", "written"),
        ("We arrived safely. It rains.", "written"),
        ("Yours ever,", "written"),
        ("HELEN.", "written"),
        ("Well?", "speech"),
    ]


# Counted by hand from the sample fics (each quotation of the story, not of the notes).
SAMPLE_COUNTS = {"000": 16, "001": 6, "002": 39, "003": 20, "004": 25}


@pytest.mark.parametrize("number", sorted(SAMPLE_COUNTS))
def test_sample_fics(sample_paths, number):
    work = read(sample_paths[number])
    result = quotes.find(work)
    assert len(result) == SAMPLE_COUNTS[number]
    for q in result:
        assert work.text[q.start : q.end] == q.text
        assert not work.in_note(q.start)
        assert q.text.strip() == q.text and q.text


def test_sample_004_missing_opening_mark(sample_paths):
    texts = [q.text for q in quotes.find(read(sample_paths["004"]))]
    assert "Our people, Clarke. We lead them together, not alone." in texts


def test_sample_001_kinds(sample_paths):
    result = quotes.find(read(sample_paths["001"]))
    by_kind = {q.kind: q.text for q in result if q.kind != "speech"}
    assert by_kind["thought"].startswith("you had to, you had to, they were killing our people")
    assert by_kind["other"] == "princess"
    assert [q.text for q in result if q.kind == "speech"] == [
        "Have one for me.",
        "You're forgiven.",
        "May we meet again.",
        "May we meet again.",
    ]


def test_random_marks_keep_the_contract():
    # any mix of marks, apostrophes and breaks: quotes stay in order, inside their paragraphs, text == span
    import random

    rng = random.Random(5)
    pieces = list("abc de fg ") + list("\"'“”‘’—-.,!?()\n") + ["\n\n", "'em ", "don't ", " said ", "(with a smile) "]
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 1500)))
        work = blank_line_work("t.txt", text)
        last = -1
        for q in quotes.find(work):
            assert 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text
            assert q.start >= last
            last = q.end
            p = work.paragraphs[q.paragraph]
            assert p.start <= q.start and q.end <= p.end
