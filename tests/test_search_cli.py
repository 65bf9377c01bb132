"""`ficlens index`, `search`, `stats` end to end through the real CLI and the real analysis."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from ficlens.cli import main
from ficlens.corpus.store import Library

NAMES = ["Clarke", "Bellamy", "Octavia", "Raven", "Murphy", "Monty", "Jasper", "Lexa"]
WORDS = ("the a forest dropship rain light ground radio camp wall river night morning fire blood hand eyes "
         "voice door silence stars ship sky rope knife map").split()
VERBS = "walked looked turned waited listened ran stood watched breathed laughed".split()


def generated_story(seed: int) -> str:
    """A plain-text fic of a few hundred words: a title line, narration and dialogue between two people."""
    rng = random.Random(seed)
    a, b = rng.sample(NAMES, 2)
    lines = [f"Story number {seed}", ""]
    for _ in range(rng.randint(8, 16)):
        if rng.random() < 0.5:
            said = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
            who, to = rng.choice([(a, b), (b, a)])
            lines.append(f'"{said.capitalize()}," {who} said to {to}.')
        else:
            sentence = f"{rng.choice([a, b])} {rng.choice(VERBS)} toward the " + " ".join(
                rng.choice(WORDS) for _ in range(rng.randint(6, 20)))
            lines.append(sentence + ".")
        lines.append("")
    return "\n".join(lines)


def write_corpus(folder, n: int, start: int = 0) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = folder / f"fic{i:04d}.txt"
        path.write_text(generated_story(i), encoding="utf-8")
        paths.append(path)
    return paths


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


@pytest.fixture
def corpus(tmp_path):
    write_corpus(tmp_path / "fics", 12)
    return tmp_path / "fics"


def test_index_is_incremental(tmp_path, corpus):
    db = tmp_path / "lib.db"
    first = run("index", corpus, "--db", db)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip().endswith("12 added, 0 updated, 0 unchanged, 0 failed")
    again = run("index", corpus, "--db", db)
    assert again.stdout.strip().endswith("0 added, 0 updated, 12 unchanged, 0 failed")
    (corpus / "fic0003.txt").write_text(generated_story(3) + "\nA new ending with a lighthouse.\n")
    write_corpus(corpus, 1, start=50)
    third = run("index", corpus, "--db", db)
    assert third.stdout.strip().endswith("1 added, 1 updated, 11 unchanged, 0 failed")
    with Library(db, readonly=True) as lib:
        assert lib.stats()["works"] == 13
        [hit] = lib.search("lighthouse")
        assert hit["source"] == str((corpus / "fic0003.txt").resolve())


def test_same_folder_by_another_path_is_not_duplicated(tmp_path, corpus, monkeypatch):
    db = tmp_path / "lib.db"
    assert run("index", corpus, "--db", db).exit_code == 0
    monkeypatch.chdir(corpus)
    result = run("index", ".", "--db", db)
    assert result.stdout.strip().endswith("0 added, 0 updated, 12 unchanged, 0 failed")


def test_bad_files_are_one_line_each_and_exit_1(tmp_path, corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    db = tmp_path / "lib.db"
    result = run("index", corpus, tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 3
    assert all(line.startswith("ficlens: ") for line in errors)
    assert any("empty.txt" in line for line in errors) and any("missing.txt" in line for line in errors)
    assert result.stdout.strip().endswith("12 added, 0 updated, 0 unchanged, 3 failed")


def test_index_in_a_process_pool(tmp_path, corpus):
    db = tmp_path / "lib.db"
    result = run("index", corpus, "--db", db, "--workers", 2)
    assert result.exit_code == 0, result.output
    with Library(db, readonly=True) as lib:
        sources = [w["source"] for w in lib.works(limit=100, sort="added")]
    assert len(sources) == len(set(sources)) == 12


def test_index_needs_a_path(tmp_path):
    assert run("index", "--db", tmp_path / "x.db").exit_code == 2


def test_index_without_paths_upgrades_an_older_library(tmp_path, corpus):
    from test_store import as_schema_2

    db = tmp_path / "lib.db"
    assert run("index", corpus, "--db", db).exit_code == 0
    before = run("search", "dropship", "--db", db, "--json").output
    as_schema_2(db)
    refused = run("search", "dropship", "--db", db)
    assert refused.exit_code == 1 and "schema 2" in refused.output and f"`ficlens index --db {db}`" in refused.output
    upgraded = run("index", "--db", db)
    assert upgraded.exit_code == 0, upgraded.output
    assert "up to date (schema 3)" in upgraded.output
    assert run("search", "dropship", "--db", db, "--json").output == before
    assert run("index", "--db", db).exit_code == 0  # a second time changes nothing


@pytest.fixture
def indexed(tmp_path, corpus):
    db = tmp_path / "lib.db"
    assert run("index", corpus, "--db", db).exit_code == 0
    return db


def test_search_json_lines(indexed):
    result = run("search", "dropship", "--db", indexed, "--json", "--limit", 5)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert 0 < len(rows) <= 5
    for row in rows:
        assert list(row)[:4] == ["source", "title", "score", "snippet"]
        assert "**dropship**" in row["snippet"].lower()
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_human_table(indexed):
    result = run("search", "dropship", "--db", indexed, "--limit", 3)
    assert result.exit_code == 0
    assert result.stdout.count("fic0") == 3
    assert "Story number" in result.stdout or "(untitled)" in result.stdout
    assert "**dropship**" in result.stdout.lower()


def test_search_filters_on_the_command_line(indexed):
    result = run("search", "--db", indexed, "--words-min", 100000, "--json")
    assert result.exit_code == 0 and result.stdout == ""
    result = run("search", "--db", indexed, "--tense", "future")
    assert result.exit_code == 2


def test_search_speaker_returns_quotes(tmp_path):
    folder = tmp_path / "fics"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "Goodbye\n\n"
        "Clarke stood at the gate while the rain fell on the camp.\n\n"
        '"May we meet again," Clarke said.\n\n'
        "Bellamy watched her go and did not answer for a long time.\n\n"
        '"We will," Bellamy said, "I promise you that."\n',
        encoding="utf-8",
    )
    db = tmp_path / "lib.db"
    assert run("index", folder, "--db", db).exit_code == 0
    result = run("search", "meet", "--db", db, "--speaker", "Clarke", "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    with Library(db, readonly=True) as lib:
        text = lib.work(1)["text"]
        spoken = [q for q in lib.quotes(1, speaker="Clarke")]
    if not spoken:
        pytest.skip("the current speaker stage attributes no line to Clarke here")
    assert len(rows) == 1
    for quote in rows[0]["quotes"]:
        assert {"start", "end", "text", "speaker"} <= set(quote)
        assert text[quote["start"]:quote["end"]] == quote["text"]
        assert "meet" in quote["text"].lower()


def test_search_errors_are_one_line(indexed, tmp_path):
    result = run("search", "meet AND", "--db", indexed)
    assert result.exit_code == 2
    assert result.stderr.startswith("ficlens: search query") and result.stderr.count("\n") == 1
    missing = run("search", "x", "--db", tmp_path / "none.db")
    assert missing.exit_code == 1 and "no library here" in missing.stderr
    (tmp_path / "foreign.db").write_text("not a database at all")
    foreign = run("search", "x", "--db", tmp_path / "foreign.db")
    assert foreign.exit_code == 1 and foreign.stderr.strip().endswith("not a ficlens library (not an SQLite database)")
    for command in ("stats", "export"):
        extra = ["--parquet", tmp_path / "out"] if command == "export" else []
        result = run(command, "--db", tmp_path / "foreign.db", *extra)
        assert result.exit_code == 1 and "Traceback" not in result.output


def test_stats(indexed):
    result = run("stats", "--db", indexed, "--json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["works"] == 12 and stats["words"] > 12 * 50
    human = run("stats", "--db", indexed)
    assert "works      12" in human.stdout and "characters:" in human.stdout


def test_db_from_environment(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("FICLENS_DB", str(tmp_path / "env.db"))
    assert run("index", corpus).exit_code == 0
    assert json.loads(run("stats", "--json").stdout)["works"] == 12


def test_example_library():
    from ficlens import examples

    if not examples.paths():
        pytest.skip("the built-in examples are not there yet")
    runner = CliRunner()
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["index", "--example", "--db", "ex.db"])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip().endswith(f"{len(examples.paths())} added, 0 updated, 0 unchanged, 0 failed")
        again = runner.invoke(main, ["index", "--example", "--db", "ex.db"])
        assert again.stdout.strip().endswith(f"0 added, 0 updated, {len(examples.paths())} unchanged, 0 failed")
