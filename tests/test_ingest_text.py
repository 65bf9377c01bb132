"""Plain text as users have it: encodings, paragraphs, scene breaks, headings, chapters, offsets."""

from __future__ import annotations

import codecs
import textwrap

import pytest

from ficlens import ingest
from ficlens.ingest import text
from ficlens.ingest.decode import NotText, decode

STORY = "I’m “fine,” she said — and café was closed… Don’t go.\r\nHe didn’t.\r\n"


class TestDecode:
    @pytest.mark.parametrize(
        "data",
        [
            STORY.encode("utf-8"),
            codecs.BOM_UTF8 + STORY.encode("utf-8"),
            STORY.encode("utf-16"),  # Python writes a BOM
            codecs.BOM_UTF16_BE + STORY.encode("utf-16-be"),
            STORY.encode("utf-32"),
            STORY.encode("cp1252"),  # Windows Notepad's "ANSI": curly quotes as 0x93/0x94
            STORY.encode("utf-16-le"),  # no BOM: every other byte NUL
        ],
        ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf32-bom", "cp1252", "utf16le-no-bom"],
    )
    def test_every_encoding_gives_the_same_text(self, data):
        assert decode(data) == STORY

    def test_cp1252_is_preferred_over_other_latin_code_pages(self):
        # charset-normalizer alone calls this cp1250 and turns "naïve" into "naďve"
        assert decode("Naïve, she thought. “Café?”".encode("cp1252")) == "Naïve, she thought. “Café?”"

    def test_utf8_with_a_few_windows_1252_bytes_pasted_in(self):
        data = "“Don’t,” she said — “not yet.”\n".encode() + "He didn\x92t.\n".encode("latin-1")
        assert decode(data) == "“Don’t,” she said — “not yet.”\nHe didn’t.\n"

    def test_other_legacy_encodings_are_detected(self):
        russian = "Привет, как дела? Всё хорошо, спасибо большое за помощь, друг мой."
        assert decode(russian.encode("cp1251")) == russian

    def test_mojibake_is_repaired(self):
        assert decode("Iâ€™m going to stay behind.".encode("utf-8")) == "I’m going to stay behind."

    def test_mojibake_with_a_dropped_byte_is_repaired(self):
        # a strict Windows-1252 decoder turns the 0x9D of ” into U+FFFD
        lossy = STORY.encode("utf-8").decode("cp1252", errors="replace")
        assert "\ufffd" in lossy
        assert decode(lossy.encode("utf-8")) == STORY

    def test_mojibake_repair_touches_only_the_lines_that_show_it(self):
        data = "“Fine,” he said.\r\nIâ€™m not.\r\nÂ¿Qué?\r\n".encode("utf-8")
        assert decode(data) == "“Fine,” he said.\r\nI’m not.\r\n¿Qué?\r\n"

    def test_quotes_and_line_ends_are_otherwise_untouched(self):
        raw = "\"Straight\" and “curly” -- and ''two'' \r\n\r\nNext\rold mac\n"
        assert decode(raw.encode("utf-8")) == raw

    def test_binary_is_not_text(self):
        with pytest.raises(NotText):
            decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


def _read(tmp_path, content: str | bytes, name="story.txt"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return ingest.read(path)


def _spans(work, kind=None):
    return [work.text[p.start:p.end] for p in work.paragraphs if kind is None or p.kind == kind]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_a_story(tmp_path, encoding):
    path = tmp_path / "saved-by-notepad.txt"
    path.write_bytes(STORY.encode(encoding))
    work = ingest.read(path)
    assert (work.format, work.text) == ("text", STORY)


def test_random_bytes_with_nuls_are_binary_not_utf16(tmp_path):
    path = tmp_path / "photo.dat"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ingest.InputError, match="binary file"):
        ingest.read(path)


class TestOffsets:
    def test_crlf_offsets_index_the_file_as_stored(self, tmp_path):
        raw = "Title Here\r\n\r\nA/N: my first fic, enjoy!!\r\n\r\n“Stay,” he said.\r\n\r\nShe stayed.\r\n"
        work = _read(tmp_path, raw)
        content = (tmp_path / "story.txt").open(encoding="utf-8", newline="").read()
        assert work.text == content
        assert _spans(work) == ["Title Here", "A/N: my first fic, enjoy!!", "“Stay,” he said.", "She stayed."]
        for note in work.notes:
            assert content[note.start:note.end] == note.text

    def test_bom_is_not_part_of_the_text(self, tmp_path):
        work = _read(tmp_path, codecs.BOM_UTF8 + "“Go,” she said.\n\nHe went.\n".encode("utf-8"))
        assert work.text.startswith("“Go,”")
        assert _spans(work) == ["“Go,” she said.", "He went."]

    def test_cp1252_file_offsets(self, tmp_path):
        work = _read(tmp_path, "“Don’t,” he said.\r\n\r\nShe did.\r\n".encode("cp1252"))
        assert _spans(work) == ["“Don’t,” he said.", "She did."]

    def test_samples_decode_to_the_file_exactly(self, sample_paths):
        for path in sample_paths.values():
            work = ingest.read(path)
            assert work.text == path.open(encoding="utf-8", newline="").read()
            for p in work.paragraphs:
                span = work.text[p.start:p.end]
                assert span == span.strip() and span


class TestParagraphs:
    def test_blank_line_separated(self, tmp_path):
        work = _read(tmp_path, "First line\nstill first.\n\n\n\nSecond.\n  \t\nThird.")
        # a two-line block that is not hard-wrapped prose: each line is its own paragraph
        assert _spans(work) == ["First line", "still first.", "Second.", "Third."]

    def test_one_paragraph_per_line_without_blank_lines(self, sample_paths):
        work = ingest.read(sample_paths["003"])
        lines = [line for line in work.text.splitlines() if line.strip()]
        assert len(work.paragraphs) == len(lines) == 39

    def test_mix_of_blank_lines_and_line_per_paragraph(self, tmp_path):
        work = _read(tmp_path, "He waited.\n\n“Come on,” he said.\n“No,” she said.\nShe left.\n\nThe end came.\n")
        assert _spans(work) == ["He waited.", "“Come on,” he said.", "“No,” she said.", "She left.", "The end came."]

    def test_hard_wrapped_prose_is_one_paragraph(self, tmp_path):
        one = ("Bellamy doesn't really know what to expect when he finally leaves camp to go looking for "
               "Clarke. Months have passed and he's given her what he assumed was the space she asked for.")
        two = "“What's your problem?” he wonders aloud, peering up through the branches at the flashes above him."
        work = _read(tmp_path, textwrap.fill(one, 78) + "\n\n" + textwrap.fill(two, 78) + "\n")
        assert [" ".join(s.split()) for s in _spans(work)] == [one, two]

    def test_hard_wrapped_paragraphs_without_blank_lines(self, tmp_path):
        one = ("The harbour lights came on one by one, and Ilse counted them the way she always had, from the "
               "breakwater to the chapel, nine of them where there used to be ten.")
        two = ("Nobody had fixed the tenth. Nobody would. She watched the dark place where it should have been "
               "until the ferry horn sounded twice and the last of the fishing boats came in under it.")
        work = _read(tmp_path, textwrap.fill(one, 72) + "\n" + textwrap.fill(two, 72) + "\n")
        assert [" ".join(s.split()) for s in _spans(work)] == [one, two]

    def test_short_lines_one_per_line_are_not_taken_for_wrapping(self, tmp_path):
        lines = ["He knows the moment he sees her hugging Monty, and he says nothing.",
                 "“I think we deserve a drink,” Bellamy tells her, going to a lot of effort.",
                 "“Have one for me,” Clarke says.",
                 "This time there's a long pause before Clarke speaks to him again."]
        work = _read(tmp_path, "\n".join(lines) + "\n")
        assert _spans(work) == lines

    @pytest.mark.parametrize("line", ["***", "* * *", "~~~", "---", "oOo", "xXx", "-x-", "~*~*~", "      ◇◆◇", "#", "o0o", "XxXxX", "_____"])
    def test_scene_breaks(self, tmp_path, line):
        work = _read(tmp_path, f"She left.\n\n{line}\n\nHe stayed.\n")
        assert [p.kind for p in work.paragraphs] == ["text", "break", "text"]
        assert _spans(work, "break") == [line.strip()]

    @pytest.mark.parametrize("line", ["...", "“…”", "Ox.", "No.", "X marks the spot."])
    def test_not_scene_breaks(self, tmp_path, line):
        work = _read(tmp_path, f"She left.\n\n{line}\n\nHe stayed.\n")
        assert [p.kind for p in work.paragraphs] == ["text", "text", "text"]

    def test_chapter_headings_start_chapters_with_titles(self, tmp_path):
        raw = ("Chapter 1\n\nThe dropship hit the ground.\n\nChapter Two: The Wall\n\nThey built it.\n\n"
               "Part III The Return\n\nIt held.\n\nEpilogue\n\nYears later.\n")
        work = _read(tmp_path, raw)
        assert [c.title for c in work.chapters] == ["Chapter 1", "Chapter Two: The Wall", "Part III The Return", "Epilogue"]
        assert work.chapters[0].start == 0 and work.chapters[-1].end == len(work.text)
        for a, b in zip(work.chapters, work.chapters[1:]):
            assert a.end == b.start
        assert [work.text[p.start:p.end] for _, p in work.story_paragraphs()] == [
            "The dropship hit the ground.", "They built it.", "It held.", "Years later."]
        assert [p.chapter for _, p in work.story_paragraphs()] == [0, 1, 2, 3]

    def test_sentences_that_begin_like_headings_are_prose(self, tmp_path):
        work = _read(tmp_path, "Part of her wanted to stay.\n\nChapter by chapter, he read it to her.\n\n"
                               "Part two of the plan was simple.\n\nChapter one was over\n")
        assert [p.kind for p in work.paragraphs] == ["text", "text", "text", "text"]
        assert len(work.chapters) == 1

    def test_markdown_title_and_chapters(self, tmp_path):
        raw = "# Starlight\n\n*by quietmoth*\n\n## Chapter One\n\nThe ship was quiet.\n\n---\n\nShe went on.\n\n## Chapter Two\n\nNobody asked.\n"
        work = _read(tmp_path, raw, name="story.md")
        assert work.meta.title == "Starlight"
        assert work.meta.authors == ["quietmoth"]
        assert [c.title for c in work.chapters] == ["Chapter One", "Chapter Two"]
        assert [p.kind for p in work.paragraphs] == ["heading", "heading", "heading", "text", "break", "text", "heading", "text"]
        assert work.story_text_words() == 9

    @pytest.mark.parametrize("top", ["# *Starlight*", "**Starlight**", "_Starlight_"])
    def test_emphasised_markdown_title(self, tmp_path, top):
        work = _read(tmp_path, f"{top}\n\nThe ship was quiet.\n", name="story.md")
        assert work.meta.title == "Starlight"

    def test_setext_markdown_title(self, tmp_path):
        work = _read(tmp_path, "Starlight\n=========\n\nThe ship was quiet.\n")
        assert work.meta.title == "Starlight"
        assert _spans(work, "text") == ["The ship was quiet."]


def test_odd_bytes_give_a_work_or_one_input_error(tmp_path):
    """Random bytes and shuffled pieces of fics (BOMs, stray cp1252, NULs, headings, breaks):
    never an unexpected exception, and every span lies inside the text."""
    import random

    from ficlens.errors import InputError

    rng = random.Random(5)
    pieces = [b"***\n", b"Chapter 3\n", b"# Title\n", b"A/N: hi\n", b"\r\n", b"\n\n", codecs.BOM_UTF8, b"\x92",
              b"\xe2\x80", b"by me\n", b"---\n", b"Title: x\n", b"\x00", b"   \t", b"\xff\xfe", "“”’".encode(),
              b"oOo\n", b"1.\n", b"I\n", "“Stay,” he said. She stayed.\n".encode()]
    path = tmp_path / "odd.txt"
    for _ in range(300):
        if rng.random() < 0.3:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
        else:
            data = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        path.write_bytes(data)
        try:
            work = ingest.read(path)
        except InputError as exc:
            assert "\n" not in str(exc)
            continue
        for span in [*work.paragraphs, *work.notes, *work.chapters]:
            assert 0 <= span.start <= span.end <= len(work.text)
        for note in work.notes:
            assert work.text[note.start:note.end] == note.text
