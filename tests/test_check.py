"""ficlens check on fixtures written for it: each kind of finding at its exact line and column."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ficlens.analyze import analyze, narration
from ficlens.check import check
from ficlens.check.names import name_findings
from ficlens.check.findings import Locator
from ficlens.cli import check as check_cli
from ficlens.model import Chapter, Character, Paragraph, Quote, Work

PRESENT = (
    "Bellamy walks to the edge of the camp. He stops at the gate and looks out at the trees.\n\n"
    "The wind picks up. He pulls his jacket tighter and waits for the scouts.\n\n"
    "He opened the gate. He steps into the forest and listens.\n\n"
    "Nothing moves. He knows she is out there somewhere, and he keeps walking.\n"
)


def run(tmp_path, text, *args):
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(check_cli.check_command, [str(path), *args])


def findings(tmp_path, text):
    result = run(tmp_path, text, "--json")
    rows = [json.loads(line) for line in result.output.splitlines()]
    return [r for r in rows if r["kind"] != "summary"], rows[-1]


def test_tense_slip_position(tmp_path):
    found, summary = findings(tmp_path, PRESENT)
    assert [(f["kind"], f["line"], f["column"]) for f in found] == [("tense", 5, 4)]
    assert found[0]["text"] == "He opened the gate."
    assert summary["narration"]["tense"] == "present"


def test_clean_passage_has_no_finding(tmp_path):
    clean = PRESENT.replace("He opened the gate.", "He opens the gate.")
    found, summary = findings(tmp_path, clean)
    assert found == []
    assert summary["words"] == len(clean.split())


def test_flashback_and_relative_clauses_are_not_slips(tmp_path):
    text = PRESENT.replace("He opened the gate.", "He remembers the night she left the camp.") + (
        "\nHe thinks of the sacrifices she made for them. He walks on as the light fades.\n")
    found, _ = findings(tmp_path, text)
    assert found == []


def test_pov_slip():
    text = (
        "Bellamy knows she is leaving. He feels sick. He wonders what he can say to stop her.\n"
        "He thinks about the camp and what it needs. His heart aches. Clarke wonders if he is right.\n"
        "He realises he cannot stop her. Clarke looks sad. He knows it, and he hates it.\n"
    )
    w = _work(text)
    people = [Character("c1", "Bellamy Blake", ["Bellamy"], gender="male"),
              Character("c2", "Clarke Griffin", ["Clarke"], gender="female")]
    from ficlens.model import Analysis

    told = narration.describe(w, [], people, [])
    report = check(Analysis(work=w, characters=people, narration=told))
    assert [(f.kind, f.line, f.column) for f in report.findings] == [("pov", 2, 69)]
    assert "Clarke" in report.findings[0].message and "Bellamy" in report.findings[0].message
    assert report.findings[0].text == "Clarke wonders if he is right."


TWO_WOMEN = (
    "Anne walks into the kitchen and stops. She wonders where everyone has gone. She feels the silence "
    "press on her. She thinks of the letter in her pocket and what it will cost her.\n\n"
    "Sophie sits at the table with her back to the door. Anne watches her for a long moment. She knows "
    "something is wrong. Sophie hopes Anne will not ask about the letter. Anne wonders if she should leave.\n\n"
    "She decides to stay. She feels foolish, standing there, and she thinks about saying something kind.\n"
)


def test_cast_genders_tell_whose_scene_it_is(tmp_path):
    """Nothing in the text says Anne is a woman, so "she wonders" is nobody's until the cast says so."""
    found, summary = findings(tmp_path, TWO_WOMEN)
    assert found == [] and summary["narration"]["pov"] == ["Anne"]
    cast = tmp_path / "cast.json"
    cast.write_text(json.dumps([{"name": "Anne Marsh", "aliases": ["Anne"], "gender": "female"},
                                {"name": "Sophie Lane", "aliases": ["Sophie"], "gender": "female"}]))
    result = run(tmp_path, TWO_WOMEN, "--json", "--cast", str(cast))
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["kind"], r["line"], r["column"]) for r in rows[:-1]] == [("pov", 3, 126)]
    assert rows[0]["message"] == "Sophie Lane's inner life (\"hopes\") in a scene told through Anne Marsh"
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "Anne"}')
    result = run(tmp_path, TWO_WOMEN, "--cast", str(bad))
    assert result.exit_code == 2 and "expected a list" in result.output


def test_missing_opening_quote_mark(tmp_path):
    text = "“Stay,” he said.\n\nOur people, Clarke. We lead them together.” Bellamy moved closer.\n\n“No,” she said.\n"
    found, _ = findings(tmp_path, text)
    dialogue = [f for f in found if f["kind"] == "dialogue"]
    assert [(f["line"], f["column"]) for f in dialogue] == [(3, 1)]
    assert "opening mark is missing" in dialogue[0]["message"]


def test_multi_paragraph_speech_is_not_unbalanced(tmp_path):
    text = "“It was long ago,” she said. “We lived by the sea.\n\n“Then the war came.”\n"
    found, _ = findings(tmp_path, text)
    assert found == []


def test_straight_quote_never_closed(tmp_path):
    text = ('"Stay," he said.\n\n"Stay here, he said, and turned away.\n\n'
            "He left the room without a word.\n\nShe waited for a long time.\n")
    found, _ = findings(tmp_path, text)
    assert [(f["kind"], f["line"], f["column"]) for f in found] == [("dialogue", 3, 1)]
    assert "never closed" in found[0]["message"]


def test_quotation_over_wrapped_lines_is_balanced(tmp_path):
    text = ('She read it aloud: "My first doth affliction denote,\nWhich my second is destin\'d to feel.\n'
            'And my whole is the best antidote."\nHarriet listened.\n')
    found, _ = findings(tmp_path, text)
    assert found == []


def test_family_names_and_months_are_not_misspellings():
    text = "Jane smiles. Jane waits. Jane reads. Jane sighs. Jane leaves.\nThe Janes came in June.\n"
    people = [Character("c1", "Jane Fairfax", ["Jane"], gender="female")]
    assert name_findings(_work(text), people, locate=Locator(text)) == []


def _work(text):
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 1
    return Work("t.txt", "text", text, [Chapter(None, 0, len(text))], paragraphs)


def test_misspelt_name():
    text = "Clarke runs. Clarke stops. Clarke waits. Clarke turns. Clarke smiles.\nClark laughs.\n"
    w = _work(text)
    people = [Character("c1", "Clarke Griffin", ["Clarke"], gender="female")]
    found = name_findings(w, people, locate=Locator(text))
    assert [(f.kind, f.line, f.column) for f in found] == [("name", 2, 1)]
    assert "Clark" in found[0].message


def test_untagged_run_and_self_address():
    text = "\n".join(['"Go."', '"No."', '"Why?"', '"Because."', '"Clarke, stop," Clarke said.'])
    w = _work(text)
    people = [Character("c1", "Clarke Griffin", ["Clarke"], gender="female"), Character("c2", "Bellamy", [], gender="male")]
    quotes = []
    for i, p in enumerate(w.paragraphs):
        line = text[p.start:p.end]
        end = line.index('"', 1)
        explicit = i == 4
        quotes.append(Quote(p.start + 1, p.start + end, line[1:end], speaker="Clarke Griffin" if explicit else None,
                            confidence=0.95 if explicit else 0.3, method="explicit" if explicit else "implicit", paragraph=i))
    from ficlens.model import Analysis, Narration

    report = check(Analysis(work=w, characters=people, quotes=quotes, narration=Narration()))
    kinds = [(f.kind, f.line, f.column) for f in report.findings]
    assert ("dialogue", 1, 2) in kinds  # the weakest line of the untagged run (first of equals)
    assert ("dialogue", 5, 2) in kinds  # Clarke named in Clarke's own line
    assert any("in a row" in f.message for f in report.findings)


def test_strict_exit_codes_and_bad_file(tmp_path):
    assert run(tmp_path, PRESENT).exit_code == 0
    assert run(tmp_path, PRESENT, "--strict").exit_code == 1
    clean = PRESENT.replace("He opened the gate.", "He opens the gate.")
    assert run(tmp_path, clean, "--strict").exit_code == 0
    bad = CliRunner().invoke(check_cli.check_command, [str(tmp_path / "missing.txt")])
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1 and "missing.txt" in bad.output


def test_html_escapes_story_text(tmp_path):
    text = PRESENT + "\nHe sees <script>alert(1)</script> on the sign.\n"
    out = tmp_path / "report.html"
    result = run(tmp_path, text, "--html", str(out))
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<mark id="f0" class="tense"' in page


def test_sample_002_slips(sample_paths):
    from ficlens import ingest

    report = check(analyze(ingest.read(sample_paths["002"])))
    tense = [f for f in report.findings if f.kind == "tense"]
    assert [(f.line, f.column) for f in tense] == [(3, 179), (37, 60)]
    assert "became" in tense[0].message and "swallowed" in tense[1].message


def test_sample_004_missing_mark(sample_paths):
    from ficlens import ingest

    report = check(analyze(ingest.read(sample_paths["004"])))
    marks = [(f.line, f.column) for f in report.findings if f.kind == "dialogue" and "opening mark is missing" in f.message]
    assert marks == [(15, 1)]


def test_crlf_lines_and_columns(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(PRESENT.replace("\n", "\r\n").encode("utf-8"))
    result = CliRunner().invoke(check_cli.check_command, [str(path), "--json"])
    found = [json.loads(line) for line in result.output.splitlines()][:-1]
    assert [(f["kind"], f["line"], f["column"]) for f in found] == [("tense", 5, 4)]


def test_readme_scene(tmp_path):
    """The scene in the README's `ficlens check` section gives the findings the README shows, one of each kind."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `ficlens check`", 1)[1]
    scene = section.split("```text\n", 1)[1].split("```", 1)[0]
    found, _ = findings(tmp_path, scene)
    assert [(f["kind"], f["line"], f["column"]) for f in found] == [
        ("tense", 7, 137), ("pov", 9, 138), ("name", 13, 23), ("dialogue", 15, 1)]


PRIDE_CAST = [{"name": "Elizabeth Bennet", "aliases": ["Elizabeth"], "gender": "female"},
              {"name": "Jane Bennet", "aliases": ["Jane"], "gender": "female"},
              {"name": "Fitzwilliam Darcy", "aliases": ["Mr. Darcy", "Darcy"], "gender": "male"},
              {"name": "Charles Bingley", "aliases": ["Mr. Bingley", "Bingley"], "gender": "male"}]


def person(name, gender, alias=None):
    """A cast entry known by its full name and one short one (the first name unless `alias` says)."""
    return {"name": name, "aliases": [alias or name.split()[0]], "gender": gender}


def cast_findings(tmp_path, text, cast):
    path = tmp_path / "cast.json"
    path.write_text(json.dumps(cast))
    result = run(tmp_path, text, "--json", "--cast", str(path))
    return [json.loads(line) for line in result.output.splitlines()][:-1]


def slips(tmp_path, text, cast=PRIDE_CAST):
    """(kind, line, column, sentence) of each finding `ficlens check --cast` makes on `text`."""
    return [(f["kind"], f["line"], f["column"], f["text"]) for f in cast_findings(tmp_path, text, cast)]


def test_could_not_help_but_wish_is_a_slip(tmp_path):
    text = ("Elizabeth walked into the drawing-room and found it empty. She wondered where her sister had gone, "
            "and she felt the quiet of the house.\n\n"
            "Jane came in a moment later, pale and tired. Elizabeth watched her take off her bonnet. Jane could "
            "not help but wish she had stayed at home.\n\n"
            "Elizabeth thought she had never seen her so low. She resolved to say nothing of Mr. Bingley.\n")
    assert slips(tmp_path, text) == [("pov", 3, 113, "Jane could not help but wish she had stayed at home.")]


def test_his_hope_inside_her_feeling_that_is_her_view(tmp_path):
    """"feeling that ... he hoped": what he hoped is what she feels, not a hop into his head."""
    text = ("Elizabeth walked into the drawing-room and found Mr. Darcy alone. She wondered why he had come, and "
            "she felt the awkwardness of the silence.\n\n"
            "He rose and bowed and soon took his leave. She could not but do him the justice of feeling that there "
            "was real kindness in his manner of going, in the care with which he promised to call on her sister, "
            "when he hoped to bring better news.\n\n"
            "Elizabeth thought she had never seen him so humble. She resolved to be civil.\n")
    assert slips(tmp_path, text) == []


def test_a_cast_gender_decides_whose_he_it_is(tmp_path):
    """Narration pronouns would make Sam a man; the cast says she is not, so "He hopes" is Tom's, a slip."""
    text = ("Sam stands at the window while the rain comes down. He is late again, and she knows it.\n\n"
            "Sam waits by the door. He is always late. She wonders whether he will come at all, and she hates "
            "that she cares.\n\n"
            "Tom runs up the path with his coat over his head. Sam opens the door before he can knock. He hopes "
            "she is not angry.\n")
    found = cast_findings(tmp_path, text, [person("Sam Reed", "female"), person("Tom Hale", "male")])
    assert [(f["kind"], f["line"], f["column"]) for f in found] == [("pov", 5, 94)]
    assert found[0]["message"] == "Tom Hale's inner life (\"hopes\") in a scene told through Sam Reed"


def test_since_she_felt_that_is_his_reasoning(tmp_path):
    """"since she felt that he understood her": what Archer reasons from her feeling, not a hop into her head."""
    text = ("Archer walked home through the snow. He thought of the evening, and he wondered what he had meant "
            "by it. He knew that he had said too much.\n\n"
            "He remembered her face when he left. But since Ellen felt that he understood her, his business "
            "would be to make her see that he did.\n\n"
            "Archer realised that he had walked past his own door. He felt foolish and turned back.\n")
    assert slips(tmp_path, text, [person("Newland Archer", "male", "Archer"), person("Ellen Olenska", "female")]) == []


def test_her_pronoun_thoughts_in_a_womans_scene_do_not_hide_a_hop(tmp_path):
    """The "she thought" lines resolve to Jane, named last, but in a scene told through Elizabeth they are as
    likely hers: they are no sign that Jane's mind runs through the scene, and "Jane feared" is a slip."""
    text = ("Elizabeth walked into the drawing-room and found her sister at the window. Elizabeth wondered what "
            "had kept her there, and she felt the quiet of the house.\n\n"
            "Jane turned from the glass. She thought of the letter. She wondered whether it had been answered, "
            "and she hoped that it had not.\n\n"
            "Elizabeth thought she had never seen her so pale. Elizabeth felt the silence grow. Jane feared the "
            "worst and said nothing.\n\n"
            "Elizabeth resolved to say nothing of Mr. Bingley.\n")
    assert slips(tmp_path, text) == [("pov", 5, 89, "Jane feared the worst and said nothing.")]


def test_two_women_close_in_cues_are_told_apart_by_their_names(tmp_path):
    """Jane is out, so the "she" who thinks of the letter is Elizabeth; each "she" goes to Jane, named last,
    and by all cues the sisters are even. The cues that name them say the scene is Elizabeth's, and
    "Jane feared" is a slip."""
    text = ("Elizabeth came down late. Jane had already gone out to walk. She thought of the letter she had "
            "written the night before. She wondered whether it had been sent, and she hoped that it had not.\n\n"
            "Jane came in at noon, pale and tired. Elizabeth wondered what had kept her out so long. Elizabeth "
            "felt the quiet of the house. Jane feared the worst and said nothing.\n\n"
            "Elizabeth resolved to say nothing of Mr. Bingley.\n")
    assert slips(tmp_path, text) == [("pov", 3, 133, "Jane feared the worst and said nothing.")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Jane did not think it right to press her.",  # a judgement of what is proper, seen in what she does
        "Jane could not think of leaving her alone.",  # a plan
        "Jane thought the same, and said so.",  # an agreement reported
        "Jane would never have felt moved to say so.",  # what did not happen
        "Jane had a letter from Mr. Bingley, saying he hoped to be back in March.",  # what he wrote he felt
        "Mr. Bingley would do whatever he thought best.",  # a judgement
    ],
)
def test_judgements_plans_and_what_did_not_happen_are_not_hops(tmp_path, sentence):
    text = ("Elizabeth walked into the drawing-room and found it empty. She wondered where her sister had gone, "
            "and she felt the quiet of the house.\n\n"
            f"Jane came in a moment later, pale and tired. Elizabeth watched her take off her bonnet. {sentence}\n\n"
            "Elizabeth thought she had never seen her so low. She resolved to say nothing of Mr. Bingley.\n")
    assert slips(tmp_path, text) == []
    assert slips(tmp_path, text.replace(sentence, "Jane wondered whether he would ever come back.")) == [
        ("pov", 3, 94, "Jane wondered whether he would ever come back.")]


def test_she_was_wondering_in_her_own_scene_is_hers(tmp_path):
    """The progressive "she was wondering" has "she" as its subject, like "she wondered"."""
    text = ("Elizabeth walked into the drawing-room and found Jane by the window. She wondered where Mr. Bingley had "
            "gone, and she felt the quiet of the house.\n\n"
            "Jane said nothing for a long while. She was wondering what her aunt would say.\n\n"
            "Elizabeth thought she had never seen her so low. She resolved to say nothing of Mr. Bingley.\n")
    assert slips(tmp_path, text) == []


PAST = (
    "Bellamy walked to the edge of the camp. He stopped at the gate and looked out at the trees.\n\n"
    "The wind picked up. He pulled his jacket tighter and waited for the scouts.\n\n"
    "{slip} He stepped into the forest and listened.\n\n"
    "Nothing moved. He knew she was out there somewhere, and he kept walking.\n"
)


def test_a_past_perfect_or_a_memory_does_not_license_the_present_in_a_past_tense_story(tmp_path):
    """A flashback explains a past verb in a present-tense story; in a past-tense one, "knows" is a slip all the same."""
    for slip, column in (("He never knows whether she had been hurt.", 10), ("Then he remembers the night she left.", 9)):
        found, _ = findings(tmp_path, PAST.format(slip=slip))
        assert [(f["kind"], f["line"], f["column"]) for f in found] == [("tense", 5, column)]
    found, _ = findings(tmp_path, PAST.format(slip="He never knew whether she had been hurt."))
    assert found == []


def test_his_thoughts_in_the_chapter_of_another_man_are_that_mans(tmp_path):
    """A chapter told through Archer: in its second scene the "he" who thinks of the bank, two sentences
    after Beaufort is named, is Archer, and Ellen's pang is a slip in Archer's scene, not Beaufort's."""
    cast = [person("Newland Archer", "male", "Archer"), person("Julius Beaufort", "male", "Beaufort"),
            person("Ellen Olenska", "female", "Ellen")]
    text = ("Archer walked home through the snow. Archer wondered what his mother would say. Archer felt the cold "
            "of the street, and Archer thought of the long evening ahead. Archer knew he would not sleep.\n\n"
            "* * *\n\n"
            "Beaufort had gone to Europe in the spring. The doors of his bank were still shut. He thought of the "
            "old families who had trusted it. He feared the worst for them, and he wondered what they would do.\n\n"
            "Archer climbed the steps of the house. Ellen opened the door. Ellen felt a sudden pang of guilt.\n")
    found = cast_findings(tmp_path, text, cast)
    assert [(f["kind"], f["line"], f["column"], f["text"]) for f in found] == [
        ("pov", 7, 69, "Ellen felt a sudden pang of guilt.")]
    assert found[0]["message"].endswith("in a scene told through Newland Archer")
