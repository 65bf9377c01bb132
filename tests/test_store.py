"""The library file: what add() stores, replacing and skipping, the runs table, and bad files.

Analyses are built by hand here (`make_analysis`), so these tests check what the store
guarantees, whatever the analysis stages currently find.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3

import pytest

from ficlens.corpus import store
from ficlens.corpus.store import Library
from ficlens.errors import LibraryError
from ficlens.model import Analysis, Character, Chapter, Metadata, Narration, Note, Paragraph, Quote, Work

VERSIONS = {"quotes": "1", "characters": "1", "speakers": "1", "narration": "1", "ships": "1"}


def make_analysis(
    source: str,
    *,
    title: str,
    paragraphs: list,
    characters: list[tuple[str, list[str]]] = (),
    pov: list[str] = (),
    person: str | None = None,
    tense: str | None = None,
    ships: list[list[str]] = (),
    fandoms: list[str] = (),
    relationships: list[str] = (),
    tags: list[str] = (),
    rating: str | None = None,
    published: str | None = None,
    summary: str | None = None,
    end_note: str | None = None,
    versions: dict | None = None,
) -> Analysis:
    """A work and its analysis from paragraphs; a paragraph given as (text, speaker, addressee)
    attributes every "quoted" passage in it to that speaker."""
    pieces, spans, quotes = [], [], []
    pos = 0
    notes = []
    if summary:
        pieces.append(summary)
        notes.append(Note("summary", summary, 0, len(summary)))
        spans.append(Paragraph(0, len(summary)))
        pos = len(summary) + 2
        pieces.append("\n\n")
    first_story = len(spans)
    for item in paragraphs:
        text, speaker, addressee = (item, None, None) if isinstance(item, str) else item
        spans.append(Paragraph(pos, pos + len(text)))
        for m in re.finditer(r'"([^"]+)"', text):
            quotes.append(Quote(pos + m.start(1), pos + m.end(1), m[1], speaker=speaker, addressee=addressee,
                                confidence=0.9, paragraph=len(spans) - 1))
        pieces += [text, "\n\n"]
        pos += len(text) + 2
    story_spans = range(first_story, len(spans))
    if end_note:
        notes.append(Note("end", end_note, pos, pos + len(end_note)))
        spans.append(Paragraph(pos, pos + len(end_note)))
        pieces.append(end_note)
        pos += len(end_note)
    text = "".join(pieces)
    work = Work(
        source=source, format="text", text=text, chapters=[Chapter(None, 0, len(text))], paragraphs=spans,
        notes=notes,
        meta=Metadata(title=title, fandoms=list(fandoms), relationships=list(relationships), tags=list(tags),
                      rating=rating, published=published, summary=summary, authors=["tester"]),
    )
    people = [
        Character(f"c{i + 1}", name, list(aliases), mentions=text.count(name.split()[0]),
                  quotes=sum(q.speaker == name for q in quotes))
        for i, (name, aliases) in enumerate(characters)
    ]
    narration = Narration(
        person=person, tense=tense, pov=list(pov),
        paragraphs=[{"paragraph": i, "start": p.start, "end": p.end, "tense": tense, "pov": pov[0] if pov else None}
                    for i, p in enumerate(spans) if i in story_spans],
    )
    return Analysis(work=work, characters=people, quotes=quotes, narration=narration, ships=[list(s) for s in ships],
                    versions=dict(versions or VERSIONS))


def story(n: int = 0, **overrides) -> Analysis:
    options = dict(
        title=f"Story {n}",
        paragraphs=[
            "Clarke walked to the dropship while the rain came down.",
            ('"I\'m going to stay behind," Clarke said.', "Clarke Griffin", "Bellamy Blake"),
            ('"May we meet again," Bellamy said quietly.', "Bellamy Blake", "Clarke Griffin"),
        ],
        characters=[("Clarke Griffin", ["Clarke", "princess"]), ("Bellamy Blake", ["Bellamy", "Bell"])],
        pov=["Bellamy Blake"], person="third", tense="past", ships=[["Bellamy Blake", "Clarke Griffin"]],
        fandoms=["The 100 (TV)"], rating="Teen And Up Audiences", published="2016-03-01",
        summary="They part at the dropship.", end_note="Thanks for reading!",
    )
    options.update(overrides)
    return make_analysis(f"/fics/story{n}.txt", **options)


@pytest.fixture
def lib(tmp_path):
    with Library(tmp_path / "library.db") as library:
        yield library


def test_add_then_work_round_trips_the_analysis(lib):
    analysis = story()
    work_id = lib.add(analysis, source_path="/fics/story0.txt", content_hash="aaa")
    doc = lib.work(work_id)
    expected = analysis.to_json()
    for key in ("title", "fandoms", "relationships", "words", "chapters", "notes", "narration", "characters",
                "quotes", "ships", "versions"):
        assert doc[key] == expected[key], key
    assert doc["text"] == analysis.work.text
    assert doc["id"] == work_id and doc["key"] == analysis.work.id
    for quote in doc["quotes"]:
        assert doc["text"][quote["start"]:quote["end"]] == quote["text"]
    assert [p["tense"] for p in doc["paragraphs"]] == [None, "past", "past", "past", None]
    assert doc["paragraphs"][2]["pov"] == "Bellamy Blake"
    assert {(i["speaker"], i["addressee"], i["quotes"]) for i in doc["interactions"]} == {
        ("Clarke Griffin", "Bellamy Blake", 1), ("Bellamy Blake", "Clarke Griffin", 1)}
    assert lib.work(work_id + 100) is None
    assert lib.work(analysis.work.id)["id"] == work_id


def test_replacing_a_source_keeps_one_copy_and_its_id(lib):
    first = lib.add(story(title="Old title"), source_path="/fics/story0.txt", content_hash="aaa")
    second = lib.add(story(title="New title"), source_path="/fics/story0.txt", content_hash="bbb")
    assert first == second
    assert [w["title"] for w in lib.works()] == ["New title"]
    assert lib.count("old") == 0 and lib.count("new") == 1
    rows = lib._query("SELECT count(*) FROM works_fts")[0][0], lib._query("SELECT count(*) FROM quotes")[0][0]
    assert rows == (1, 2)


def test_needs_update_by_hash_and_stage_versions(lib):
    assert lib.needs_update("/fics/story0.txt", "aaa")
    lib.add(story(), source_path="/fics/story0.txt", content_hash="aaa")
    assert not lib.needs_update("/fics/story0.txt", "aaa")
    assert not lib.needs_update("/fics/story0.txt", "aaa", VERSIONS)
    assert lib.needs_update("/fics/story0.txt", "bbb")
    assert lib.needs_update("/fics/story0.txt", "aaa", VERSIONS | {"quotes": "2"})
    assert lib.has("/fics/story0.txt") and not lib.has("/fics/other.txt")


def test_runs_record_the_stage_versions_of_each_work(lib):
    lib.add(story(0), source_path="/a", content_hash="1")
    lib.add(story(1), source_path="/b", content_hash="1")
    lib.add(story(2, versions=VERSIONS | {"ships": "2"}), source_path="/c", content_hash="1")
    runs = lib.runs()
    assert [(r["versions"]["ships"], r["works"]) for r in runs] == [("1", 2), ("2", 1)]


def test_remove(lib):
    lib.add(story(), source_path="/a", content_hash="1")
    assert lib.remove("/a") and not lib.remove("/a")
    for table in ("works", "contents", "quotes", "characters", "names", "works_fts", "paragraphs", "tags", "pov_names",
                  "ship_names"):
        assert lib._query(f"SELECT count(*) FROM {table}")[0][0] == 0, table


def test_stats_and_corpus_views(lib):
    lib.add(story(0), source_path="/a", content_hash="1")
    lib.add(story(1, pov=["Clarke Griffin"], tense="present", published="2017-05-02", ships=[],
                  relationships=["Clarke Griffin/Lexa"]), source_path="/b", content_hash="1")
    stats = lib.stats()
    assert stats["works"] == 2 and stats["quotes"] == 4
    assert stats["words"] == sum(w["words"] for w in lib.works())
    assert stats["tense"] == {"past": 1, "present": 1}
    assert stats["person"] == {"third": 2}
    assert [c["name"] for c in stats["top_characters"]] == ["Bellamy Blake", "Clarke Griffin"]
    assert {s["ship"]: (s["inferred"], s["tagged"]) for s in stats["top_ships"]} == {
        "Bellamy Blake/Clarke Griffin": (1, 0), "Clarke Griffin/Lexa": (0, 1)}
    assert stats["top_fandoms"][0] == {"fandom": "The 100 (TV)", "works": 2, "words": stats["words"]}
    assert [(r["period"], r["works"]) for r in lib.words_over_time(by="year")] == [("2016", 1), ("2017", 1)]
    assert lib.characters(filters={"tense": "present"})[0]["pov_works"] in (0, 1)
    json.dumps(stats)


def test_default_path_follows_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FICLENS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.default_path() == str(tmp_path / "xdg" / "ficlens" / "library.db")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert store.default_path() == os.path.expanduser("~/.local/share/ficlens/library.db")
    monkeypatch.setenv("FICLENS_DB", str(tmp_path / "mine.db"))
    assert store.default_path() == str(tmp_path / "mine.db")
    with Library() as library:
        assert library.path == str(tmp_path / "mine.db")
    assert (tmp_path / "mine.db").exists()


def test_library_is_wal_with_foreign_keys(lib):
    assert lib._query("PRAGMA journal_mode")[0][0] == "wal"
    assert lib._query("PRAGMA foreign_keys")[0][0] == 1


def test_readonly_never_creates_or_writes(tmp_path):
    with pytest.raises(LibraryError, match="no library here"):
        Library(tmp_path / "none.db", readonly=True)
    assert not (tmp_path / "none.db").exists()
    Library(tmp_path / "x.db").close()
    with Library(tmp_path / "x.db", readonly=True) as library:
        with pytest.raises(LibraryError, match="read-only"):
            library.add(story(), source_path="/a", content_hash="1")


def _one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_foreign_files_are_refused_with_one_line(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n" * 100)
    with pytest.raises(LibraryError) as exc:
        Library(text)
    assert _one_line(exc).endswith("not a ficlens library (not an SQLite database)")
    assert text.read_text() == "just some notes\n" * 100

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE accounts (id INTEGER)")
    with pytest.raises(LibraryError) as exc:
        Library(other)
    assert "an SQLite database, but not a ficlens library" in _one_line(exc)

    with pytest.raises(LibraryError, match="is a folder"):
        Library(tmp_path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Library(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    with pytest.raises(LibraryError, match="newer ficlens"):
        Library(path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 1")
    with pytest.raises(LibraryError, match="older ficlens"):
        Library(path)


def as_schema_2(path) -> None:
    """Turn a library back into what schema 2 had: five FTS columns, no facets, no prefix index;
    quotes without their speaker's names; curly apostrophes kept in lookup forms."""
    with sqlite3.connect(path) as db:
        db.executescript("""
            UPDATE names SET name_norm = replace(name_norm, "'", '’');
            UPDATE pov_names SET name_norm = replace(name_norm, "'", '’');
            UPDATE ship_names SET a = replace(a, "'", '’'), b = replace(b, "'", '’');
            UPDATE tags SET value_norm = replace(value_norm, "'", '’'), base_norm = replace(base_norm, "'", '’');
            CREATE VIRTUAL TABLE old_fts USING fts5(story, title, summary, notes, tags,
                tokenize='porter unicode61 remove_diacritics 2');
            INSERT INTO old_fts (rowid, story, title, summary, notes, tags)
                SELECT rowid, story, title, summary, notes, tags FROM works_fts;
            DROP TABLE works_fts;
            ALTER TABLE old_fts RENAME TO works_fts;
            DROP TABLE quotes_fts;
            ALTER TABLE quotes DROP COLUMN speaker_forms;
            CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2');
            INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
            PRAGMA user_version = 2;
        """)


def test_a_schema_2_library_is_upgraded_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.db"
    with Library(path) as lib:
        lib.add(story(0, title="Meet Again"), source_path="/fics/a.txt", content_hash="1")
        before = lib.search("dropship", filters={"pov": "Bellamy"})
        assert [r["title"] for r in before] == ["Meet Again"]
        lib.add(story(1, title="Musketeers", characters=[("D’Artagnan", []), ("Athos", [])], pov=["D’Artagnan"],
                      ships=[["Athos", "D’Artagnan"]], tags=["D’Artagnan Needs a Hug"]),
                source_path="/fics/b.txt", content_hash="2")
        said = lib.search("meet", filters={"speaker": "Bellamy"})
        assert said[0]["quotes"]
    as_schema_2(path)
    with pytest.raises(LibraryError, match=r"schema 2\); `ficlens index --db .*old.db` upgrades it in place"):
        Library(path, readonly=True)
    with Library(path) as lib:
        assert lib._query("PRAGMA user_version")[0][0] == store.SCHEMA_VERSION
        assert {"xpovbellamy", "xtensepast", "xshipclarkexbellamy"} <= set(lib._query("SELECT facets FROM works_fts")[0][0].split())
        after = lib.search("dropship", filters={"pov": "Bellamy"})
        assert [(r["title"], r["snippet"]) for r in after] == [(r["title"], r["snippet"]) for r in before]
        assert lib.count("dropsh*") == 2
        assert lib.search("meet", filters={"speaker": "Bellamy"}) == said
        assert lib.search("meet", filters={"speaker": "Clarke"}) == []
        for filters in ({"pov": "D'Artagnan"}, {"ship": "Athos/d'artagnan"}, {"tag": "D'Artagnan needs a hug"}):
            assert [r["title"] for r in lib.search("dropship", filters=filters)] == ["Musketeers"], filters


def test_corrupt_library_is_one_clear_error(tmp_path):
    path = tmp_path / "library.db"
    with Library(path) as library:
        for n in range(30):
            library.add(story(n), source_path=f"/fics/{n}", content_hash="1")
        library._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 40_000
    data[4096 * 2:4096 * 8] = b"\x5a" * (4096 * 6)  # clobber pages after the header
    path.write_bytes(bytes(data))
    with pytest.raises(LibraryError) as exc:
        with Library(path, readonly=True) as library:
            library.stats()
            library.search("meet")
            [library.work(n) for n in range(1, 31)]
    assert "corrupt or unreadable library" in _one_line(exc)


def test_truncated_header_is_one_clear_error(tmp_path):
    path = tmp_path / "library.db"
    with Library(path) as library:
        library.add(story(), source_path="/a", content_hash="1")
        library._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(LibraryError) as exc:
        Library(path).stats()
    assert str(path) in _one_line(exc)


def test_batch_commits_together_and_a_failing_work_rolls_back_alone(lib):
    broken = story(9)
    broken.quotes[0].start = None  # NOT NULL column: this work cannot be stored
    with lib.batch():
        lib.add(story(0), source_path="/a", content_hash="1")
        with pytest.raises(LibraryError):
            lib.add(broken, source_path="/broken", content_hash="1")
        lib.add(story(1), source_path="/b", content_hash="1")
    assert [w["source"] for w in lib.works(sort="added")] == ["/b", "/a"]
    assert not lib.has("/broken")
    with pytest.raises(RuntimeError):
        with lib.batch():
            lib.add(story(2), source_path="/c", content_hash="1")
            raise RuntimeError("interrupted")
    assert not lib.has("/c") and lib.count() == 2
