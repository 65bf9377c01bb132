"""`ficlens analyze`: the JSON contract, --text offsets, --out, --example, summaries and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficlens import examples
from ficlens.cli import main

STORY = (
    "Gravity\r\nby moonmoth\r\n\r\n"
    "A/N: written for the finale prompt, unbeta'd. Enjoy!!\r\n\r\n"
    "“You came back,” Clarke said.\r\n\r\n"
    "Bellamy shrugged. “You asked me to.”\r\n\r\n"
    "She laughed, and the sound carried all the way down to the river.\r\n\r\n"
    "Thanks for reading! Let me know what you think.\r\n"
)
CONTRACT_FIELDS = {
    "source", "format", "title", "authors", "fandoms", "relationships", "characters_tagged", "tags",
    "words", "chapters", "notes", "narration", "characters", "quotes", "ships",
}


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "gravity.txt"
    path.write_bytes(STORY.encode("utf-8"))
    return path


def test_json_contract(story):
    result = _invoke("analyze", str(story), "--json")
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    work = json.loads(line)
    assert CONTRACT_FIELDS <= set(work)
    assert work["source"] == str(story)
    assert work["format"] == "text"
    assert work["title"] == "Gravity"
    assert work["authors"] == ["moonmoth"]
    assert work["words"] == 24
    assert work["chapters"] == [{"title": None, "start": 0, "end": len(STORY)}]
    content = story.open(encoding="utf-8", newline="").read()
    assert [(n["kind"], content[n["start"]:n["end"]]) for n in work["notes"]] == [
        ("front", "Gravity"),
        ("front", "by moonmoth"),
        ("front", "A/N: written for the finale prompt, unbeta'd. Enjoy!!"),
        ("end", "Thanks for reading! Let me know what you think."),
    ]
    assert {"person", "tense", "pov"} <= set(work["narration"])
    for quote in work["quotes"]:
        assert quote["text"] in content[quote["start"] - 1:quote["end"] + 1]


def test_json_of_sample_004(sample_paths):
    result = _invoke("analyze", str(sample_paths["004"]), "--json")
    work = json.loads(result.stdout)
    assert work["title"] == "Please Don’t Go"
    assert [n["kind"] for n in work["notes"]] == ["front", "front", "front"]
    assert work["notes"][2]["text"].startswith("I wanted to write a fic of how")


def test_text_prints_what_offsets_index(story):
    result = _invoke("analyze", str(story), "--text")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == STORY


def test_text_of_an_html_example_matches_its_json_offsets():
    html = [p for p in examples.paths() if p.endswith(".html")]
    if not html:
        pytest.skip("no HTML example in the built-in library")
    text = _invoke("analyze", html[0], "--text").stdout
    work = json.loads(_invoke("analyze", html[0], "--json").stdout)
    assert work["notes"]
    for note in work["notes"]:
        assert text[note["start"]:note["end"]] == note["text"]
    assert work["chapters"][-1]["end"] <= len(text)


def test_out_writes_the_file_and_nothing_to_stdout(story, tmp_path):
    out = tmp_path / "result.jsonl"
    result = _invoke("analyze", str(story), str(story), "--json", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["title"] for x in lines] == ["Gravity", "Gravity"]


def test_out_inside_the_folder_being_read_is_not_read(story):
    out = story.parent / "works.jsonl"
    result = _invoke("analyze", str(story.parent), "--json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert [json.loads(x)["title"] for x in out.read_text(encoding="utf-8").splitlines()] == ["Gravity"]


def test_done_work_is_written_before_an_interruption(story, tmp_path, monkeypatch):
    from ficlens import engines
    from ficlens.engines import local

    def interrupted(paths, **kwargs):
        yield paths[0], local.analyze_one(paths[0])
        raise KeyboardInterrupt

    monkeypatch.setattr(engines, "analyze_files", interrupted)
    out = tmp_path / "result.jsonl"
    result = _invoke("analyze", str(story), str(story), "--json", "--out", str(out))
    assert result.exit_code == 1  # click: "Aborted!"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_example_library_runs_and_its_text_fics_are_split_as_the_answer_key_says():
    paths = examples.paths()
    if not paths:
        pytest.skip("the built-in example library is empty")
    result = _invoke("analyze", "--example", "--json")
    assert result.exit_code == 0, result.stderr
    works = [json.loads(x) for x in result.stdout.splitlines()]
    assert [w["source"] for w in works] == paths
    expected = examples.expected()["files"]
    for path, work in zip(paths, works):
        answer = expected[Path(path).name]
        assert work["format"] == answer["format"]
        if work["format"] != "text":
            continue
        content = Path(path).open(encoding="utf-8", newline="").read()
        front = [n for n in work["notes"] if n["kind"] == "front"]
        end = [n for n in work["notes"] if n["kind"] == "end"]
        assert (content[front[0]["start"]:front[-1]["end"]] if front else "") == answer["front_matter"]
        assert (content[end[0]["start"]:end[-1]["end"]] if end else "") == answer["end_matter"]
        assert work["title"] == answer["title"]


def test_summary_without_json(story):
    result = _invoke("analyze", str(story))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Gravity — text, 24 words, 1 chapter"
    assert f"  file: {story}" in lines
    assert "  by: moonmoth" in lines
    assert any(line.startswith("  narration: ") for line in lines)
    assert any(line.startswith("  quotes: 2 ") for line in lines)
    assert "  notes: 4 (end, front)" in lines


def test_cast_is_passed_to_the_analysis(story, tmp_path):
    cast = tmp_path / "cast.json"
    cast.write_text(json.dumps([{"name": "Clarke Griffin", "aliases": ["Clarke"]},
                                {"name": "Bellamy Blake", "aliases": ["Bellamy"]}]), encoding="utf-8")
    result = _invoke("analyze", str(story), "--json", "--cast", str(cast))
    assert result.exit_code == 0, result.output
    work = json.loads(result.stdout)
    # the story says only "Clarke" and "Bellamy": the cast gives their full names
    assert {c["name"] for c in work["characters"]} == {"Clarke Griffin", "Bellamy Blake"}
    assert all(q["speaker"] in (None, "Clarke Griffin", "Bellamy Blake") for q in work["quotes"])


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["{story}", "--json", "--text"],
        ["{story}", "--master", "local[2]"],
        ["{story}", "--engine", "hadoop"],
        ["{story}", "--workers", "0"],
        ["{story}", "--cast", "{bad_cast}"],
    ],
    ids=["no-paths", "json-and-text", "master-without-spark", "unknown-engine", "zero-workers", "bad-cast"],
)
def test_usage_errors_exit_2(args, story, tmp_path):
    bad_cast = tmp_path / "cast.json"
    bad_cast.write_text("{not json", encoding="utf-8")
    args = [a.format(story=story, bad_cast=bad_cast) for a in args]
    result = _invoke("analyze", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_exit_0_when_all_done_and_1_when_some_failed(story, tmp_path):
    assert _invoke("analyze", str(story), "--json").exit_code == 0
    result = _invoke("analyze", str(story), str(tmp_path / "missing.txt"), "--json")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == f"ficlens: {tmp_path / 'missing.txt'}: no such file or folder\n"


def test_folders_are_read_recursively_in_sorted_order(tmp_path):
    for name in ("b/z.txt", "a.txt", "b/a.txt", "c/d/e.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("“Stay,” he said.\n\nShe stayed until morning, and then a while longer.\n", encoding="utf-8")
    result = _invoke("analyze", str(tmp_path), "--json")
    sources = [Path(json.loads(x)["source"]).relative_to(tmp_path).as_posix() for x in result.stdout.splitlines()]
    assert sources == ["a.txt", "b/a.txt", "b/z.txt", "c/d/e.md"]


def test_a_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 name from an old archive: lone surrogate in Python
    fics = tmp_path / "fics"
    fics.mkdir()
    (fics / name).write_text("She left. He stayed.\n\nThe end came slowly, and then all at once.\n", encoding="utf-8")
    out = tmp_path / "works.jsonl"
    result = _invoke("analyze", str(fics), "--json", "--out", str(out))
    assert result.exit_code == 0, result.output
    [work] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert os.fsencode(work["source"]) == os.fsencode(str(fics / name))
    summary = _invoke("analyze", str(fics / name))
    assert summary.exit_code == 0
    assert "caf\\udce9.txt" in summary.stdout
