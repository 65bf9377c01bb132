"""The library: works, their text and their analysis in one SQLite file, searchable with FTS5.

Where it lives: `--db PATH`, else `$FICLENS_DB`, else `$XDG_DATA_HOME/ficlens/library.db`
(`~/.local/share/ficlens/library.db` when XDG_DATA_HOME is unset); see `default_path()`.

Why it survives being killed: the database runs in WAL mode and every work is written in one
transaction (its row, text, chapters, notes, characters, quotes, paragraphs and FTS rows), so a
killed `ficlens index` leaves either the whole work or none of it, and readers never block the
writer or each other. A rerun skips what is already stored (same source, same content hash, same
stage versions) and replaces what changed, so it never duplicates.

API (what the CLI and the web app build on):

    lib = Library(path, readonly=False)   # LibraryError (one line) for a corrupt or foreign file
    lib.has(source) -> bool
    lib.needs_update(source, content_hash, versions=None) -> bool
    lib.add(analysis, source_path=..., content_hash=...) -> work_id (int)
    lib.remove(source) -> bool
    with lib.batch(): lib.add(...)...     # bulk loads: many works in one transaction
    lib.work(work_id) -> dict | None      # analyze JSON + id, key, text, paragraphs (tense, pov), interactions
    lib.works(limit=, offset=, sort=, filters=) -> list[dict]      # summaries, no text
    lib.search(query, filters=, limit=, offset=, sort=, mark=) -> list[dict]
    lib.count(query, filters=) -> int
    lib.facets(query, filters=) -> {facet: [(value, count), ...]}
    lib.quotes(work_id, speaker=None) -> list[dict]
    lib.characters(limit=, filters=) / lib.ships(...) / lib.fandoms(...) / lib.words_over_time(...)
    lib.stats(top=10) -> dict             # works, words, chapters, character_rows, quotes, paragraphs,
                                          # person, tense, length, works_with_pov, top_fandoms,
                                          # top_characters, top_pov, top_ships, runs, bytes
    lib.snapshot() -> context yielding rows(sql, params) for a consistent read (used by export)
    lib.runs() -> list[dict]              # stage versions that produced the stored works
    lib.close()   (also a context manager)

Work summaries (`works`, `search`) are dicts with: id, key, source, title, authors, fandoms,
relationships, tags, rating, words, person, tense, pov, ships, published, indexed_at; search
results add score (BM25, higher is better; None without a query), snippet, and with a speaker
filter quotes ([{id, start, end, text, speaker, addressee, kind, confidence}]).

Ranking is BM25 with per-field weights (FTS_WEIGHTS); a phrase is scored as a NEAR group of its
words (see `search.near_group`). A query matching more than RANK_WINDOW works (PHRASE_RANK_WINDOW
for a phrase) ranks the newest of them and lists the rest after, newest first (see `_ranked`).
Filters are SQL conditions, and also facet words (`search.facet_token`) in a hidden FTS column
that let FTS5 skip the works a filter drops; `--speaker` does the same in quotes_fts.

A `Library` holds one connection: open one per thread (they are cheap) rather than sharing.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path
from typing import Callable, Iterator

from .. import __version__
from ..errors import LibraryError
from ..model import Analysis, Quote
from . import search as q

SCHEMA_VERSION = 3  # 3: facet words in works_fts and quotes_fts, a 3-letter prefix index, newer norm
APPLICATION_ID = 0x46434C4E  # "FCLN": marks a SQLite file as a ficlens library
BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 64 * 1024  # page cache per connection: the FTS index's hot pages stay in memory
MMAP_BYTES = 1 << 30  # read pages through the OS cache instead of copying them
LENGTH_BUCKETS = ((1_000, "under 1k"), (5_000, "1k-5k"), (10_000, "5k-10k"), (50_000, "10k-50k"), (None, "over 50k"))
RANK_WINDOW = 2_000  # a query matching more works than this ranks the newest RANK_WINDOW of them
PHRASE_RANK_WINDOW = 250  # BM25 of a phrase reads every position of its words in each work: rank fewer
_PHRASE = re.compile(r'"[^"]*\s[^"]*"')
FACETS = ("fandom", "ship", "character", "pov", "person", "tense", "rating", "length")
FTS_WEIGHTS = {"story": 1.0, "title": 10.0, "summary": 4.0, "notes": 0.5, "tags": 3.0, "facets": 0.0}
_TOKENIZER = "porter unicode61 remove_diacritics 2"
_PREFIX_INDEX = "3"  # `mor*` reads one list instead of merging hundreds (about 8% more library)
_WEIGHTS = ", ".join(str(w) for w in FTS_WEIGHTS.values())
_BM25 = f"bm25(works_fts, {_WEIGHTS})"
_WORKS_FTS = (
    f"CREATE VIRTUAL TABLE {{name}} USING fts5({', '.join(FTS_WEIGHTS)}, tokenize='{_TOKENIZER}',"
    f" prefix='{_PREFIX_INDEX}');\n"
    f"INSERT INTO {{name}}({{name}}, rank) VALUES ('rank', 'bm25({_WEIGHTS})');"
)
_QUOTES_FTS = (
    f"CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker_forms, content='quotes', content_rowid='id',"
    f" tokenize='{_TOKENIZER}');\n"
    "INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');"
)
# The facet words of one work (see search.facet_token), from the rows its filters are answered by.
_FACETS = """
SELECT 'pov', name_norm, NULL FROM pov_names WHERE work_id = :id
UNION SELECT 'character', name_norm, NULL FROM names WHERE work_id = :id AND character_id IS NOT NULL
UNION SELECT 'ship', a, b FROM ship_names WHERE work_id = :id
UNION SELECT 'fandom', value_norm, NULL FROM tags WHERE work_id = :id AND kind = 'fandom'
UNION SELECT 'fandom', base_norm, NULL FROM tags WHERE work_id = :id AND kind = 'fandom'
UNION SELECT 'tag', value_norm, NULL FROM tags WHERE work_id = :id
UNION SELECT 'tag', base_norm, NULL FROM tags WHERE work_id = :id
UNION SELECT 'tense', tense, NULL FROM works WHERE id = :id AND tense IS NOT NULL
UNION SELECT 'person', person, NULL FROM works WHERE id = :id AND person IS NOT NULL
UNION SELECT 'rating', rating_code, NULL FROM works WHERE id = :id AND rating_code IS NOT NULL
"""
_SUMMARY_COLUMNS = (
    "w.id, w.key, w.source, w.title, w.authors, w.fandoms, w.relationships, w.tags, w.rating, w.words,"
    " w.person, w.tense, w.pov, w.ships, w.published, w.indexed_at"
)
_QUOTE_FIELDS = [f.name for f in fields(Quote)]
_QUOTE_COLUMNS = ("start", "end", "text", "kind", "speaker", "addressee", "confidence", "method")
_QUOTE_SELECT = ", ".join(f'"{c}"' for c in _QUOTE_COLUMNS)
_JSON_COLUMNS = ("authors", "fandoms", "relationships", "tags", "pov", "ships")
_ORDER = {
    "title": "w.title COLLATE NOCASE, w.id",
    "words": "w.words, w.id",
    "-words": "w.words DESC, w.id",
    "published": "w.published, w.id",
    "-published": "w.published DESC, w.id",
    "added": "w.id DESC",
}

SCHEMA = f"""
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    versions TEXT NOT NULL UNIQUE,          -- JSON {{stage: version}} that produced the works of this run
    ficlens_version TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE works (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- work_id (kept when a work is replaced); rowid of works_fts
    key TEXT NOT NULL,                      -- Work.id: hash of source and text
    source TEXT NOT NULL UNIQUE,            -- absolute path of the file
    content_hash TEXT NOT NULL,             -- sha1 of the file's bytes
    run_id INTEGER NOT NULL REFERENCES runs(id),
    format TEXT, title TEXT,
    authors TEXT NOT NULL, fandoms TEXT NOT NULL, relationships TEXT NOT NULL,
    characters_tagged TEXT NOT NULL, tags TEXT NOT NULL, warnings TEXT NOT NULL, categories TEXT NOT NULL,
    rating TEXT, rating_code TEXT, language TEXT, series TEXT NOT NULL,
    published TEXT, updated TEXT, summary TEXT, url TEXT, publisher TEXT, status TEXT,
    words INTEGER NOT NULL, chapter_count INTEGER NOT NULL,
    person TEXT, tense TEXT, pov TEXT NOT NULL, ships TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE INDEX works_key ON works(key);
CREATE INDEX works_title ON works(title COLLATE NOCASE, id);
CREATE INDEX works_words ON works(words);
CREATE INDEX works_published ON works(published);
CREATE INDEX works_narration ON works(tense, person);
CREATE TABLE contents (
    work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,
    text TEXT NOT NULL,                     -- the text every offset points into
    analysis TEXT NOT NULL                  -- Analysis.to_json() without its quotes (they are in `quotes`)
);
CREATE TABLE tags (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                     -- fandom, relationship, character, tag, warning, category, author
    value TEXT NOT NULL, value_norm TEXT NOT NULL, base_norm TEXT NOT NULL
);
CREATE INDEX tags_value ON tags(value_norm, kind, work_id);
CREATE INDEX tags_base ON tags(base_norm, kind, work_id);
CREATE INDEX tags_work ON tags(work_id, kind);
CREATE INDEX tags_kind ON tags(kind, value, work_id);
CREATE TABLE chapters (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, title TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    person TEXT, tense TEXT, pov TEXT,
    PRIMARY KEY (work_id, idx)
) WITHOUT ROWID;
CREATE TABLE notes (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, kind TEXT NOT NULL, chapter INTEGER, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (work_id, idx)
) WITHOUT ROWID;
CREATE TABLE characters (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    key TEXT NOT NULL,                      -- Character.id within the work ("c1")
    name TEXT NOT NULL, mentions INTEGER NOT NULL, quotes INTEGER NOT NULL, gender TEXT,
    pov_rank INTEGER                        -- 0 for the main point-of-view character, NULL if not a POV
);
CREATE INDEX characters_work ON characters(work_id);
CREATE INDEX characters_name ON characters(name, work_id);
CREATE TABLE aliases (
    character_id INTEGER NOT NULL REFERENCES characters(id) ON DELETE CASCADE,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    alias TEXT NOT NULL
);
CREATE INDEX aliases_character ON aliases(character_id);
CREATE INDEX aliases_work ON aliases(work_id);
CREATE TABLE names (                        -- every lookup form of every person a work names
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    character_id INTEGER REFERENCES characters(id) ON DELETE CASCADE,
    label TEXT NOT NULL,                    -- the full name as stored in characters/pov/ships/quotes
    name_norm TEXT NOT NULL
);
CREATE INDEX names_lookup ON names(name_norm, work_id, label);
CREATE INDEX names_work ON names(work_id, label);
CREATE TABLE mentions (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    character_id INTEGER REFERENCES characters(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX mentions_work ON mentions(work_id);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,                 -- also the rowid of quotes_fts
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    kind TEXT NOT NULL, speaker TEXT, addressee TEXT, confidence REAL NOT NULL, method TEXT, paragraph INTEGER,
    extra TEXT,                             -- JSON of any further Quote fields (e.g. continues) or NULL
    -- the facet words (search.facet_token) of all the speaker's names: what --speaker looks up
    speaker_forms TEXT
);
CREATE INDEX quotes_work ON quotes(work_id, speaker);
CREATE TABLE paragraphs (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, chapter INTEGER NOT NULL,
    kind TEXT NOT NULL, tense TEXT, pov TEXT,
    PRIMARY KEY (work_id, idx)
) WITHOUT ROWID;
CREATE TABLE pov (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL, name TEXT NOT NULL,
    PRIMARY KEY (work_id, rank)
) WITHOUT ROWID;
CREATE INDEX pov_name ON pov(name, work_id);
CREATE TABLE pov_names (                    -- every lookup form of every POV character, for --pov
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    name_norm TEXT NOT NULL,
    PRIMARY KEY (name_norm, work_id)
) WITHOUT ROWID;
CREATE INDEX pov_names_work ON pov_names(work_id);
CREATE TABLE ships (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    label TEXT NOT NULL,                    -- members sorted, joined by "/"
    origin TEXT NOT NULL                    -- "inferred" (analysis) or "tagged" (relationship tag)
);
CREATE INDEX ships_work ON ships(work_id);
CREATE INDEX ships_label ON ships(label, work_id);
CREATE TABLE ship_members (
    ship_id INTEGER NOT NULL REFERENCES ships(id) ON DELETE CASCADE,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, name TEXT NOT NULL
);
CREATE INDEX ship_members_work ON ship_members(work_id, name);
CREATE INDEX ship_members_ship ON ship_members(ship_id);
CREATE TABLE ship_names (                   -- every pair of lookup forms of two members of a ship, for --ship
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    a TEXT NOT NULL, b TEXT NOT NULL,
    PRIMARY KEY (a, b, work_id)
) WITHOUT ROWID;
CREATE INDEX ship_names_work ON ship_names(work_id);
CREATE TABLE interactions (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    speaker TEXT NOT NULL, addressee TEXT NOT NULL, quotes INTEGER NOT NULL,
    PRIMARY KEY (work_id, speaker, addressee)
) WITHOUT ROWID;
{_WORKS_FTS.format(name="works_fts")}
{_QUOTES_FTS}
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
"""


def default_path() -> str:
    """`$FICLENS_DB`, else `$XDG_DATA_HOME/ficlens/library.db` (XDG default `~/.local/share`)."""
    if os.environ.get("FICLENS_DB"):
        return os.environ["FICLENS_DB"]
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(data_home, "ficlens", "library.db")


def length_bucket(words: int) -> str:
    for limit, label in LENGTH_BUCKETS:
        if limit is None or words < limit:
            return label
    raise AssertionError("unreachable")


def _length_case(column: str) -> str:
    parts = [f"WHEN {column} < {limit} THEN '{label}'" for limit, label in LENGTH_BUCKETS if limit]
    return f"CASE {' '.join(parts)} ELSE '{LENGTH_BUCKETS[-1][1]}' END"


def _statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return statements


def _versions_key(versions: dict) -> str:
    return json.dumps(versions, sort_keys=True, separators=(",", ":"))


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Library:
    """A ficlens library file. `readonly=True` never writes (and never creates the file)."""

    def __init__(self, path: str | os.PathLike | None = None, *, readonly: bool = False):
        self.path = os.fspath(path) if path is not None else default_path()
        self.readonly = readonly
        self._db = self._connect()

    # -- connection ----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        path = self.path
        exists = os.path.exists(path) and os.path.getsize(path) > 0
        if os.path.isdir(path):
            raise LibraryError(f"{path}: is a folder, not a library file")
        if exists:
            with open(path, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise LibraryError(f"{path}: not a ficlens library (not an SQLite database)")
        elif self.readonly:
            raise LibraryError(f"{path}: no library here (build one with `ficlens index PATH --db {path}`)")
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.02
        while True:
            try:
                return self._open(path)
            except sqlite3.OperationalError as exc:
                # Switching a new file to WAL, or creating its schema, while another process does the
                # same can fail at once with "database is locked", whatever the busy timeout says.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise LibraryError(f"{path}: corrupt or unreadable library ({exc})") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
            except sqlite3.DatabaseError as exc:
                raise LibraryError(f"{path}: corrupt or unreadable library ({exc})") from None

    def _open(self, path: str) -> sqlite3.Connection:
        if self.readonly:
            db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                 check_same_thread=False)
        else:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            if not self.readonly:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            self._check_schema(db)
        except BaseException:
            db.close()
            raise
        return db

    def _check_schema(self, db: sqlite3.Connection) -> None:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id == 0 and tables == 0:
            if self.readonly:
                raise LibraryError(f"{self.path}: empty database, not a ficlens library yet")
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                    for statement in _statements(SCHEMA):
                        db.execute(statement)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return
        if app_id != APPLICATION_ID:
            raise LibraryError(f"{self.path}: an SQLite database, but not a ficlens library")
        if version > SCHEMA_VERSION:
            raise LibraryError(f"{self.path}: made by a newer ficlens (schema {version}); upgrade ficlens")
        if version == 2 and not self.readonly:
            _upgrade_from_2(db)
        elif version == 2:
            raise LibraryError(f"{self.path}: made by an older ficlens (schema 2); `ficlens index --db {self.path}`"
                               " upgrades it in place (the works stay, their search index is rebuilt)")
        elif version < SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path}: made by an older ficlens (schema {version}); move it aside and run `ficlens index` again"
            )

    def _query(self, sql: str, params=()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if message.startswith("fts5:") or "malformed MATCH" in message:
                raise q.QueryError(
                    f"search query: {message.removeprefix('fts5: ')} (write phrases in double quotes,"
                    " operators as AND, OR, NOT between terms, prefixes as word*)"
                ) from None
            raise LibraryError(f"{self.path}: {message}") from None
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: corrupt or unreadable library ({exc})") from None

    @contextmanager
    def snapshot(self) -> Iterator[Callable[..., sqlite3.Cursor]]:
        """A consistent read of the whole library: yields `rows(sql, params=())` -> cursor, all reads
        in one transaction, so a writer running meanwhile cannot make the tables disagree."""
        self._db.execute("BEGIN")
        try:
            yield lambda sql, params=(): self._db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: corrupt or unreadable library ({exc})") from None
        finally:
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------

    def has(self, source_path: str) -> bool:
        return bool(self._query("SELECT 1 FROM works WHERE source = ?", (source_path,)))

    def needs_update(self, source_path: str, content_hash: str, versions: dict | None = None) -> bool:
        """True when `source_path` is not stored, or was stored from other bytes or other stage versions."""
        rows = self._query(
            "SELECT w.content_hash, r.versions FROM works w JOIN runs r ON r.id = w.run_id WHERE w.source = ?",
            (source_path,),
        )
        if not rows:
            return True
        if rows[0]["content_hash"] != content_hash:
            return True
        return versions is not None and rows[0]["versions"] != _versions_key(versions)

    def add(self, analysis: Analysis, *, source_path: str, content_hash: str) -> int:
        """Store one analysed work in one transaction, replacing what was stored for `source_path`."""
        if self.readonly:
            raise LibraryError(f"{self.path}: opened read-only")
        db = self._db
        begin, commit, rollback = (
            ("SAVEPOINT work", "RELEASE work", "ROLLBACK TO work")
            if db.in_transaction else ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        )
        try:
            db.execute(begin)
            try:
                old_id = self._delete(source_path)
                work_id = self._insert(analysis, source_path, content_hash, old_id)
                db.execute(commit)
            except BaseException:
                db.execute(rollback)
                if begin.startswith("SAVEPOINT"):
                    db.execute(commit)
                raise
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: could not store {source_path} ({exc})") from None
        return work_id

    @contextmanager
    def batch(self) -> Iterator[Library]:
        """Many `add` calls in one transaction, for bulk loads that would rather redo a whole batch
        after a crash than pay a commit per work; `ficlens index` does not use it."""
        if self.readonly:
            raise LibraryError(f"{self.path}: opened read-only")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def remove(self, source_path: str) -> bool:
        """Delete a stored work; True if there was one."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            found = self._delete(source_path) is not None
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return found

    def _delete(self, source_path: str) -> int | None:
        """Delete the work stored for `source_path`; its id, or None when there was none."""
        db = self._db
        row = db.execute("SELECT id FROM works WHERE source = ?", (source_path,)).fetchone()
        if row is None:
            return None
        work_id = row[0]
        db.execute(
            "INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker_forms)"
            " SELECT 'delete', id, text, speaker_forms FROM quotes WHERE work_id = ?",
            (work_id,),
        )
        db.execute("DELETE FROM works_fts WHERE rowid = ?", (work_id,))
        db.execute("DELETE FROM works WHERE id = ?", (work_id,))
        return work_id

    def _run_id(self, versions: dict) -> int:
        key = _versions_key(versions)
        row = self._db.execute("SELECT id FROM runs WHERE versions = ?", (key,)).fetchone()
        if row:
            return row[0]
        return self._db.execute(
            "INSERT INTO runs (versions, ficlens_version, created_at) VALUES (?, ?, ?)", (key, __version__, _now())
        ).lastrowid

    def _insert(self, analysis: Analysis, source: str, content_hash: str, work_id: int | None) -> int:
        db = self._db
        work, meta, told = analysis.work, analysis.work.meta, analysis.narration
        doc = replace(analysis, quotes=[]).to_json()
        del doc["quotes"]
        doc["source"] = source
        dumps = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
        work_id = db.execute(
            "INSERT INTO works (id, key, source, content_hash, run_id, format, title, authors, fandoms, relationships,"
            " characters_tagged, tags, warnings, categories, rating, rating_code, language, series, published,"
            " updated, summary, url, publisher, status, words, chapter_count, person, tense, pov, ships, indexed_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                work_id, work.id, source, content_hash, self._run_id(analysis.versions), work.format, meta.title,
                dumps(meta.authors), dumps(meta.fandoms), dumps(meta.relationships), dumps(meta.characters),
                dumps(meta.tags), dumps(meta.warnings), dumps(meta.categories), meta.rating,
                q.rating_code(meta.rating), meta.language, dumps(meta.series), meta.published, meta.updated,
                meta.summary, meta.url, meta.publisher, meta.status, doc["words"], len(work.chapters),
                told.person, told.tense, dumps(told.pov), dumps(analysis.ships), _now(),
            ),
        ).lastrowid
        db.execute("INSERT INTO contents (work_id, text, analysis) VALUES (?, ?, ?)", (work_id, work.text, dumps(doc)))
        self._insert_tags(work_id, meta)
        by_chapter = {c.get("chapter"): c for c in told.chapters if isinstance(c, dict)}
        db.executemany(
            'INSERT INTO chapters (work_id, idx, title, start, "end", person, tense, pov) VALUES (?,?,?,?,?,?,?,?)',
            [
                (work_id, i, c.title, c.start, c.end, by_chapter.get(i, {}).get("person"),
                 by_chapter.get(i, {}).get("tense"), _pov_text(by_chapter.get(i, {}).get("pov")))
                for i, c in enumerate(work.chapters)
            ],
        )
        db.executemany(
            'INSERT INTO notes (work_id, idx, kind, chapter, start, "end", text) VALUES (?,?,?,?,?,?,?)',
            [(work_id, i, n.kind, n.chapter, n.start, n.end, n.text) for i, n in enumerate(work.notes)],
        )
        forms = self._insert_people(work_id, analysis)
        self._insert_quotes(work_id, analysis, forms)
        by_paragraph = {p.get("paragraph"): p for p in told.paragraphs if isinstance(p, dict)}
        db.executemany(
            'INSERT INTO paragraphs (work_id, idx, start, "end", chapter, kind, tense, pov) VALUES (?,?,?,?,?,?,?,?)',
            [
                (work_id, i, p.start, p.end, p.chapter, p.kind, by_paragraph.get(i, {}).get("tense"),
                 _pov_text(by_paragraph.get(i, {}).get("pov")))
                for i, p in enumerate(work.paragraphs)
            ],
        )
        note_text = "\n\n".join(n.text for n in work.notes if n.kind != "summary")
        tag_text = "\n".join(meta.fandoms + meta.relationships + meta.characters + meta.tags)
        db.execute(
            "INSERT INTO works_fts (rowid, story, title, summary, notes, tags, facets) VALUES (?,?,?,?,?,?,?)",
            (work_id, _story_text(analysis), meta.title or "", meta.summary or "", note_text, tag_text,
             _facet_text(db, work_id)),
        )
        return work_id

    def _insert_tags(self, work_id: int, meta) -> None:
        kinds = (
            ("fandom", meta.fandoms), ("relationship", meta.relationships), ("character", meta.characters),
            ("tag", meta.tags), ("warning", meta.warnings), ("category", meta.categories), ("author", meta.authors),
        )
        self._db.executemany(
            "INSERT INTO tags (work_id, kind, value, value_norm, base_norm) VALUES (?,?,?,?,?)",
            [(work_id, kind, v, q.norm(v), q.base_form(v)) for kind, values in kinds for v in dict.fromkeys(values) if v],
        )

    def _insert_people(self, work_id: int, analysis: Analysis) -> dict[str, set[str]]:
        """Characters, aliases, lookup names, POV and ships; returns {name: its lookup forms}."""
        db = self._db
        told = analysis.narration
        pov_rank = {name: i for i, name in reversed(list(enumerate(told.pov)))}
        ids: dict[str, int] = {}
        key_ids: dict[str, int] = {}
        names: list[tuple] = []
        for c in analysis.characters:
            row_id = db.execute(
                "INSERT INTO characters (work_id, key, name, mentions, quotes, gender, pov_rank) VALUES (?,?,?,?,?,?,?)",
                (work_id, c.id, c.name, c.mentions, c.quotes, c.gender, pov_rank.get(c.name)),
            ).lastrowid
            ids.setdefault(c.name, row_id)
            key_ids[c.id] = row_id
            db.executemany(
                "INSERT INTO aliases (character_id, work_id, alias) VALUES (?,?,?)",
                [(row_id, work_id, a) for a in dict.fromkeys(c.aliases) if a],
            )
            names += [(work_id, row_id, c.name, form) for form in q.name_forms(c.name, c.aliases)]
        ships = [(s, "inferred") for s in analysis.ships if len(s) >= 2]
        inferred = {tuple(sorted(s)) for s, _ in ships}
        for tag in analysis.work.meta.relationships:
            members = [m.strip() for m in tag.split("/") if m.strip()] if "/" in tag else []
            if len(members) >= 2 and tuple(sorted(members)) not in inferred:
                ships.append((members, "tagged"))
        outsiders = {n for n in told.pov if n not in ids} | {m for s, _ in ships for m in s if m not in ids}
        for name in sorted(outsiders):
            known = self._alias_owner(analysis, name)
            names += [(work_id, None, name, form) for form in q.name_forms(name, known.aliases if known else [])]
        db.executemany("INSERT INTO names (work_id, character_id, label, name_norm) VALUES (?,?,?,?)", names)
        forms: dict[str, set[str]] = {}
        for _, _, label, form in names:
            forms.setdefault(label, set()).add(form)
        db.executemany(
            "INSERT OR IGNORE INTO pov_names (work_id, name_norm) VALUES (?,?)",
            [(work_id, form) for name in told.pov for form in forms.get(name, ())],
        )
        db.executemany(
            "INSERT OR IGNORE INTO ship_names (work_id, a, b) VALUES (?,?,?)",
            [(work_id, fa, fb) for members, _ in ships for i, ma in enumerate(members) for j, mb in enumerate(members)
             if i != j for fa in forms.get(ma, ()) for fb in forms.get(mb, ())],
        )
        db.executemany(
            "INSERT INTO pov (work_id, rank, name) VALUES (?,?,?)",
            [(work_id, i, name) for i, name in enumerate(dict.fromkeys(told.pov))],
        )
        for members, origin in ships:
            ship_id = db.execute(
                "INSERT INTO ships (work_id, label, origin) VALUES (?,?,?)", (work_id, "/".join(sorted(members)), origin)
            ).lastrowid
            db.executemany(
                "INSERT INTO ship_members (ship_id, work_id, position, name) VALUES (?,?,?,?)",
                [(ship_id, work_id, i, m) for i, m in enumerate(members)],
            )
        db.executemany(
            'INSERT INTO mentions (work_id, character_id, start, "end") VALUES (?,?,?,?)',
            [(work_id, key_ids.get(m.character), m.start, m.end) for m in analysis.mentions],
        )
        return forms

    @staticmethod
    def _alias_owner(analysis: Analysis, name: str):
        wanted = q.norm(name)
        for c in analysis.characters:
            if wanted in q.name_forms(c.name, c.aliases):
                return c
        return None

    def _insert_quotes(self, work_id: int, analysis: Analysis, forms: dict[str, set[str]]) -> None:
        db = self._db
        extra = [f for f in _QUOTE_FIELDS if f not in _QUOTE_COLUMNS and f != "paragraph"]
        db.executemany(
            'INSERT INTO quotes (work_id, idx, start, "end", text, kind, speaker, addressee, confidence, method,'
            " paragraph, extra, speaker_forms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(work_id, i, quote.start, quote.end, quote.text, quote.kind, quote.speaker, quote.addressee,
              float(quote.confidence or 0.0), quote.method, quote.paragraph,
              json.dumps({f: getattr(quote, f) for f in extra}) if extra else None,
              _speaker_forms(forms.get(quote.speaker, ())))
             for i, quote in enumerate(analysis.quotes)],
        )
        db.execute("INSERT INTO quotes_fts (rowid, text, speaker_forms) SELECT id, text, speaker_forms FROM quotes"
                   " WHERE work_id = ?", (work_id,))
        pairs = Counter((quote.speaker, quote.addressee) for quote in analysis.quotes if quote.speaker and quote.addressee)
        db.executemany(
            "INSERT INTO interactions (work_id, speaker, addressee, quotes) VALUES (?,?,?,?)",
            [(work_id, s, a, n) for (s, a), n in sorted(pairs.items())],
        )

    # -- reading -------------------------------------------------------------------------------

    def _work_row(self, work_id: int | str) -> int | None:
        """The id of a work given by id (int or digits) or by key (Work.id)."""
        if isinstance(work_id, int):
            rows = self._query("SELECT id FROM works WHERE id = ?", (work_id,))
        else:
            rows = self._query("SELECT id FROM works WHERE key = ? ORDER BY id LIMIT 1", (work_id,))
            if not rows and work_id.isdigit():
                rows = self._query("SELECT id FROM works WHERE id = ?", (int(work_id),))
        return rows[0]["id"] if rows else None

    def work(self, work_id: int | str) -> dict | None:
        """Everything stored for one work (by id or key): the analyze JSON plus id, key, source, text,
        content_hash, indexed_at, versions, paragraphs (with tense and pov), interactions and mentions."""
        found = self._work_row(work_id)
        if found is None:
            return None
        row = self._query(
            "SELECT w.id, w.key, w.source, w.content_hash, w.indexed_at, c.text, c.analysis FROM works w"
            " JOIN contents c ON c.work_id = w.id WHERE w.id = ?",
            (found,),
        )[0]
        doc = json.loads(row["analysis"])
        doc.update(id=row["id"], key=row["key"], source=row["source"], content_hash=row["content_hash"],
                   indexed_at=row["indexed_at"], text=row["text"])
        doc["quotes"] = [_quote_json(r) for r in self._query(
            f"SELECT {_QUOTE_SELECT}, extra FROM quotes WHERE work_id = ? ORDER BY idx", (found,))]
        doc["paragraphs"] = [
            dict(r) for r in self._query(
                'SELECT idx AS paragraph, start, "end", chapter, kind, tense, pov FROM paragraphs'
                " WHERE work_id = ? ORDER BY idx", (found,))
        ]
        doc["interactions"] = [
            dict(r) for r in self._query(
                "SELECT speaker, addressee, quotes FROM interactions WHERE work_id = ? ORDER BY quotes DESC, speaker",
                (found,))
        ]
        doc["mentions"] = [
            dict(r) for r in self._query(
                'SELECT m.start, m."end", c.name AS character FROM mentions m LEFT JOIN characters c'
                " ON c.id = m.character_id WHERE m.work_id = ? ORDER BY m.start", (found,))
        ]
        return doc

    def quotes(self, work_id: int | str, *, speaker: str | None = None) -> list[dict]:
        """The quotes of one work in text order; `speaker` matches any name the speaker goes by."""
        found = self._work_row(work_id)
        if found is None:
            return []
        sql = ('SELECT q.id, q.idx, q.start, q."end", q.text, q.kind, q.speaker, q.addressee, q.confidence,'
               " q.method, q.paragraph FROM quotes q WHERE q.work_id = ?")
        params: list = [found]
        if speaker:
            sql += (" AND q.speaker IN (SELECT label FROM names n WHERE n.work_id = q.work_id AND n.name_norm = ?)")
            params.append(q.norm(speaker))
        return [dict(r) for r in self._query(sql + " ORDER BY q.start", params)]

    def works(self, *, filters: q.Filters | dict | None = None, limit: int = 50, offset: int = 0,
              sort: str = "title") -> list[dict]:
        """Work summaries (no text), filtered and sorted (see search.SORTS)."""
        return self.search(None, filters=filters, limit=limit, offset=offset, sort=sort)

    def search(self, query: str | None = None, *, filters: q.Filters | dict | None = None, limit: int = 20,
               offset: int = 0, sort: str = "rank", mark: tuple[str, str] = ("**", "**"),
               snippet_tokens: int = 24) -> list[dict]:
        """Works matching `query` (FTS5 syntax made safe, see corpus/search.py) and `filters`, best first.

        With a speaker filter the query searches only that character's lines, and each result carries
        the matching `quotes`. `mark` wraps each matched term in snippets.
        """
        f = q.Filters.of(filters)
        if sort not in q.SORTS:
            raise q.QueryError(f"sort must be one of {', '.join(q.SORTS)}, not {sort!r}")
        match = q.fts_query(query) if query and query.strip() else None
        if f.speaker:
            return self._search_speaker(match, f, limit, offset, sort, mark)
        conditions, params, facets = q.where(f)
        if match and sort == "rank":
            scoring = _searchable(q.fts_query(query, near=True), facets) if _PHRASE.search(match) else None
            rows = self._ranked(_searchable(match, facets), scoring, conditions, params, int(limit), int(offset))
        else:
            if match:
                sql = (f"SELECT {_SUMMARY_COLUMNS}, -{_BM25} AS score FROM works_fts"
                       " JOIN works w ON w.id = works_fts.rowid WHERE works_fts MATCH ?")
                params = [_searchable(match, facets)] + params
            else:
                sql = f"SELECT {_SUMMARY_COLUMNS}, NULL AS score FROM works w WHERE 1"
            sql += "".join(f" AND {c}" for c in conditions)
            sql += f" ORDER BY {_ORDER.get(sort, _ORDER['added'])} LIMIT ? OFFSET ?"
            rows = self._query(sql, params + [int(limit), int(offset)])
        rows = [_summary(r) for r in rows]
        if rows and match:
            snippets = self._snippets(_searchable(match), [r["id"] for r in rows], mark, snippet_tokens)
            for r in rows:
                r["snippet"] = snippets.get(r["id"], "")
        elif rows:
            self._add_openings(rows, snippet_tokens)
        return rows

    def _ranked(self, match: str, scoring: str | None, conditions: list[str], params: list, limit: int,
                offset: int) -> list:
        """Matches best first by BM25, in one pass over the newest matches.

        A query matching more than RANK_WINDOW works (after filters) ranks the RANK_WINDOW most
        recently added of them and lists the older ones after, newest first: a term that common
        carries little weight in BM25, and this keeps a search on a large library fast. A query
        with a phrase is found by `match` and scored by `scoring`, its phrases as NEAR groups
        (see search.near_group), on PHRASE_RANK_WINDOW works.
        """
        exact = scoring is None
        size = RANK_WINDOW if exact else PHRASE_RANK_WINDOW
        score = f"-{_BM25}" if exact else "NULL"
        where = " WHERE works_fts MATCH ?" + "".join(f" AND {c}" for c in conditions)
        window = self._query(
            f"SELECT w.id, {score} AS score FROM works_fts JOIN works w ON w.id = works_fts.rowid{where}"
            " ORDER BY works_fts.rowid DESC LIMIT ?", [match, *params, size + 1])
        scores = {r["id"]: r["score"] for r in window[:size]}
        if not exact:
            scores = self._scores(scoring, list(scores))
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        page = ranked[offset:offset + limit]
        if len(window) > size and len(page) < limit:
            older = self._query(
                f"SELECT w.id, {score} AS score FROM works_fts JOIN works w ON w.id = works_fts.rowid{where}"
                " AND works_fts.rowid < ? ORDER BY works_fts.rowid DESC LIMIT ? OFFSET ?",
                [match, *params, window[size - 1]["id"], limit - len(page), max(0, offset - size)])
            older_scores = {r["id"]: r["score"] for r in older} if exact else self._scores(scoring, [r["id"] for r in older])
            page += [(r["id"], older_scores[r["id"]]) for r in older]
        if not page:
            return []
        marks = ",".join("?" * len(page))
        rows = {r["id"]: r for r in self._query(
            f"SELECT {_SUMMARY_COLUMNS}, NULL AS score FROM works w WHERE w.id IN ({marks})", [i for i, _ in page])}
        return [dict(rows[i]) | {"score": score} for i, score in page]

    def _scores(self, scoring: str, ids: list[int]) -> dict[int, float]:
        """BM25 of `scoring` for each of `ids`; 0 for a work it does not match (a NOT of a NEAR group
        can exclude a work its phrase let through)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        found = self._query(
            f"SELECT rowid, -{_BM25} AS score FROM works_fts WHERE works_fts MATCH ?"
            f" AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})", [scoring, min(ids), max(ids), *ids])
        scores = {r["rowid"]: r["score"] for r in found}
        return {i: scores.get(i, 0.0) for i in ids}

    def _snippets(self, match: str, ids: list[int], mark: tuple[str, str], tokens: int) -> dict[int, str]:
        marks = ",".join("?" * len(ids))
        if "*" in match:
            # A prefix is expanded afresh for every id looked up, so make one pass over the matches
            # between the lowest and highest id instead (`+rowid` keeps SQLite from looking up each id).
            where, params = f"rowid BETWEEN ? AND ? AND +rowid IN ({marks})", [min(ids), max(ids), *ids]
        else:
            where, params = f"rowid IN ({marks})", list(ids)
        rows = self._query(
            f"SELECT rowid, snippet(works_fts, -1, ?, ?, '…', ?) AS s FROM works_fts WHERE works_fts MATCH ? AND {where}",
            [mark[0], mark[1], int(tokens), match, *params],
        )
        return {r["rowid"]: " ".join(r["s"].split()) for r in rows}

    def _add_openings(self, rows: list[dict], tokens: int) -> None:
        """Without a query a result's snippet is the opening of its summary, else of its story."""
        marks = ",".join("?" * len(rows))
        found = self._query(
            f"SELECT w.id, w.summary, substr(f.story, 1, 2000) AS head FROM works w JOIN works_fts f ON f.rowid = w.id"
            f" WHERE w.id IN ({marks})", [r["id"] for r in rows])
        heads = {r["id"]: (r["summary"] or r["head"] or "") for r in found}
        for r in rows:
            words = heads.get(r["id"], "").split()
            r["snippet"] = " ".join(words[: tokens * 2]) + ("…" if len(words) > tokens * 2 else "")

    def _search_speaker(self, match, f: q.Filters, limit, offset, sort, mark) -> list[dict]:
        speaker = q.norm(f.speaker)
        speaks = "q.speaker IN (SELECT n.label FROM names n WHERE n.work_id = q.work_id AND n.name_norm = ?)"
        if match:
            conditions, params, _ = q.where(replace(f, speaker=None))
            sql = (f"SELECT {_SUMMARY_COLUMNS}, max(-qf.rank) AS score FROM quotes_fts qf"
                   f" JOIN quotes q ON q.id = qf.rowid JOIN works w ON w.id = q.work_id"
                   f" WHERE quotes_fts MATCH ? AND {speaks}")
            params = [_spoken(match, f.speaker), speaker] + params
        else:
            conditions, params, _ = q.where(f)
            sql = f"SELECT {_SUMMARY_COLUMNS}, NULL AS score FROM works w WHERE 1"
        sql += "".join(f" AND {c}" for c in conditions)
        if match:
            sql += " GROUP BY w.id"
        order = "score DESC, w.id" if match and sort == "rank" else _ORDER.get(sort, _ORDER["added"])
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        rows = [_summary(r) for r in self._query(sql, params + [int(limit), int(offset)])]
        if not rows:
            return rows
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        columns = 'q.id, q.work_id, q.start, q."end", q.text, q.speaker, q.addressee, q.kind, q.confidence'
        if match:
            quotes = self._query(
                f"SELECT {columns}, highlight(quotes_fts, 0, ?, ?) AS marked FROM quotes_fts qf"
                f" JOIN quotes q ON q.id = qf.rowid WHERE quotes_fts MATCH ? AND q.work_id IN ({marks}) AND {speaks}"
                " ORDER BY q.work_id, q.start", [mark[0], mark[1], _spoken(match, f.speaker), *ids, speaker])
        else:
            quotes = self._query(
                f"SELECT {columns}, q.text AS marked FROM quotes q WHERE q.work_id IN ({marks}) AND {speaks}"
                " ORDER BY q.work_id, q.start", [*ids, speaker])
        by_work: dict[int, list] = {}
        for x in quotes:
            by_work.setdefault(x["work_id"], []).append(x)
        for r in rows:
            mine = by_work.get(r["id"], [])
            r["quotes"] = [{k: x[k] for k in x.keys() if k not in ("marked", "work_id")} for x in mine]
            r["snippet"] = " … ".join(f"“{x['marked']}”" for x in mine[:3])
        return rows

    def count(self, query: str | None = None, *, filters: q.Filters | dict | None = None) -> int:
        """How many works `search` would find without a limit."""
        f = q.Filters.of(filters)
        match = q.fts_query(query) if query and query.strip() else None
        sql, params = self._matching_ids(match, f)
        return self._query(f"SELECT count(*) FROM ({sql})", params)[0][0]

    def _matching_ids(self, match: str | None, f: q.Filters) -> tuple[str, list]:
        conditions, params, facets = q.where(replace(f, speaker=None) if match else f)
        if match and f.speaker:
            sql = ("SELECT DISTINCT w.id FROM quotes_fts qf JOIN quotes q ON q.id = qf.rowid"
                   " JOIN works w ON w.id = q.work_id WHERE quotes_fts MATCH ?"
                   " AND q.speaker IN (SELECT n.label FROM names n WHERE n.work_id = q.work_id AND n.name_norm = ?)")
            params = [_spoken(match, f.speaker), q.norm(f.speaker)] + params
        elif match:
            sql = "SELECT w.id FROM works_fts fts JOIN works w ON w.id = fts.rowid WHERE works_fts MATCH ?"
            params = [_searchable(match, facets)] + params
        else:
            sql = "SELECT w.id FROM works w WHERE 1"
        for c in conditions:
            sql += f" AND {c}"
        return sql, params

    def facets(self, query: str | None = None, *, filters: q.Filters | dict | None = None,
               limit: int = 20) -> dict[str, list[tuple[str, int]]]:
        """For each facet in FACETS, the most common values among matching works with their work counts."""
        f = q.Filters.of(filters)
        match = q.fts_query(query) if query and query.strip() else None
        everything = match is None and not f.active()
        if not everything:
            # The matching ids are found once, not once per facet.
            ids_sql, params = self._matching_ids(match, f)
            self._query("CREATE TEMP TABLE IF NOT EXISTS facet_hits (id INTEGER PRIMARY KEY)")
            self._query("DELETE FROM temp.facet_hits")
            self._query(f"INSERT OR IGNORE INTO temp.facet_hits (id) {ids_sql}", params)

        def within(table: str, column: str) -> str:
            return table if everything else f"{table} JOIN temp.facet_hits hits ON hits.id = {column}"

        per_facet = {
            "fandom": f"SELECT t.value, count(DISTINCT t.work_id) FROM {within('tags t', 't.work_id')}"
                      " WHERE t.kind = 'fandom' GROUP BY t.value",
            "ship": f"SELECT s.label, count(DISTINCT s.work_id) FROM {within('ships s', 's.work_id')} GROUP BY s.label",
            "character": f"SELECT c.name, count(DISTINCT c.work_id) FROM {within('characters c', 'c.work_id')}"
                         " GROUP BY c.name",
            "pov": f"SELECT p.name, count(DISTINCT p.work_id) FROM {within('pov p', 'p.work_id')} GROUP BY p.name",
            "person": f"SELECT w.person, count(*) FROM {within('works w', 'w.id')} WHERE w.person IS NOT NULL"
                      " GROUP BY w.person",
            "tense": f"SELECT w.tense, count(*) FROM {within('works w', 'w.id')} WHERE w.tense IS NOT NULL"
                     " GROUP BY w.tense",
            "rating": f"SELECT w.rating, count(*) FROM {within('works w', 'w.id')} WHERE w.rating IS NOT NULL"
                      " GROUP BY w.rating",
            "length": f"SELECT {_length_case('w.words')}, count(*) FROM {within('works w', 'w.id')} GROUP BY 1",
        }
        result = {}
        for name in FACETS:
            rows = self._query(per_facet[name] + " ORDER BY 2 DESC, 1 LIMIT ?", [int(limit)])
            result[name] = [(r[0], r[1]) for r in rows]
        order = [label for _, label in LENGTH_BUCKETS]
        result["length"].sort(key=lambda item: order.index(item[0]))
        return result

    # -- corpus-wide views -----------------------------------------------------------------------

    def characters(self, *, filters: q.Filters | dict | None = None, limit: int = 50) -> list[dict]:
        """Characters across the library by name: works they appear in, mentions, quotes, works as POV."""
        ids_sql, params = self._matching_ids(None, q.Filters.of(filters))
        rows = self._query(
            f"WITH hits(id) AS ({ids_sql}) SELECT c.name, count(DISTINCT c.work_id) AS works,"
            " sum(c.mentions) AS mentions, sum(c.quotes) AS quotes,"
            " count(DISTINCT CASE WHEN c.pov_rank IS NOT NULL THEN c.work_id END) AS pov_works"
            " FROM characters c JOIN hits ON hits.id = c.work_id GROUP BY c.name"
            " ORDER BY works DESC, quotes DESC, c.name LIMIT ?", params + [int(limit)])
        return [dict(r) for r in rows]

    def ships(self, *, filters: q.Filters | dict | None = None, limit: int = 50) -> list[dict]:
        """Pairings across the library: works that have each (inferred or tagged)."""
        ids_sql, params = self._matching_ids(None, q.Filters.of(filters))
        rows = self._query(
            f"WITH hits(id) AS ({ids_sql}) SELECT s.label AS ship, count(DISTINCT s.work_id) AS works,"
            " count(DISTINCT CASE WHEN s.origin = 'inferred' THEN s.work_id END) AS inferred,"
            " count(DISTINCT CASE WHEN s.origin = 'tagged' THEN s.work_id END) AS tagged"
            " FROM ships s JOIN hits ON hits.id = s.work_id GROUP BY s.label ORDER BY works DESC, ship LIMIT ?",
            params + [int(limit)])
        return [dict(r) for r in rows]

    def fandoms(self, *, limit: int = 50) -> list[dict]:
        rows = self._query(
            "SELECT t.value AS fandom, count(DISTINCT t.work_id) AS works, sum(w.words) AS words FROM tags t"
            " JOIN works w ON w.id = t.work_id WHERE t.kind = 'fandom' GROUP BY t.value"
            " ORDER BY works DESC, fandom LIMIT ?", (int(limit),))
        return [dict(r) for r in rows]

    def words_over_time(self, *, by: str = "month", filters: q.Filters | dict | None = None) -> list[dict]:
        """Works and words per publication period (works without a published date are left out)."""
        width = {"year": 4, "month": 7, "day": 10}.get(by)
        if width is None:
            raise q.QueryError(f"period must be year, month or day, not {by!r}")
        ids_sql, params = self._matching_ids(None, q.Filters.of(filters))
        rows = self._query(
            f"WITH hits(id) AS ({ids_sql}) SELECT substr(w.published, 1, {width}) AS period, count(*) AS works,"
            " sum(w.words) AS words FROM works w JOIN hits ON hits.id = w.id"
            " WHERE w.published IS NOT NULL AND w.published <> '' GROUP BY period ORDER BY period", params)
        return [dict(r) for r in rows]

    def runs(self) -> list[dict]:
        """Stage versions that produced the stored works, with how many works each produced."""
        rows = self._query(
            "SELECT r.id, r.versions, r.ficlens_version, r.created_at, count(w.id) AS works FROM runs r"
            " LEFT JOIN works w ON w.run_id = r.id GROUP BY r.id ORDER BY r.id")
        return [dict(r) | {"versions": json.loads(r["versions"])} for r in rows]

    def stats(self, *, top: int = 10) -> dict:
        """A summary of the library: sizes, top characters, ships, fandoms, narration distributions."""
        totals = self._query(
            "SELECT count(*) AS works, coalesce(sum(words), 0) AS words, coalesce(sum(chapter_count), 0) AS chapters"
            " FROM works")[0]
        counts = {
            key: self._query(f"SELECT count(*) FROM {table}")[0][0]
            for key, table in (("character_rows", "characters"), ("quotes", "quotes"), ("paragraphs", "paragraphs"))
        }
        distribution = {}
        for column in ("person", "tense"):
            rows = self._query(f"SELECT coalesce({column}, 'unknown'), count(*) FROM works GROUP BY 1 ORDER BY 2 DESC, 1")
            distribution[column] = {r[0]: r[1] for r in rows}
        rows = self._query("SELECT count(DISTINCT work_id) FROM pov")
        distribution["pov_known"] = rows[0][0]
        lengths = self._query(f"SELECT {_length_case('words')}, count(*) FROM works GROUP BY 1")
        order = [label for _, label in LENGTH_BUCKETS]
        size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        return {
            "path": self.path,
            "works": totals["works"],
            "words": totals["words"],
            "chapters": totals["chapters"],
            **counts,
            "person": distribution["person"],
            "tense": distribution["tense"],
            "works_with_pov": distribution["pov_known"],
            "length": {label: n for label, n in sorted(((r[0], r[1]) for r in lengths), key=lambda x: order.index(x[0]))},
            "top_fandoms": self.fandoms(limit=top),
            "top_characters": self.characters(limit=top),
            "top_pov": [dict(r) for r in self._query(
                "SELECT name, count(*) AS works FROM pov WHERE rank = 0 GROUP BY name ORDER BY works DESC, name LIMIT ?",
                (top,))],
            "top_ships": self.ships(limit=top),
            "runs": self.runs(),
            "bytes": size,
        }


def _facet_text(db: sqlite3.Connection, work_id: int) -> str:
    rows = db.execute(_FACETS, {"id": work_id}).fetchall()
    return " ".join(q.facet_token(kind, *(v for v in values if v is not None)) for kind, *values in rows)


def _speaker_forms(forms) -> str | None:
    return " ".join(sorted(q.facet_token("speaker", f) for f in forms)) or None


def _upgrade_from_2(db: sqlite3.Connection) -> None:
    """Schema 2 -> 3: lookup forms in the newer `search.norm`; works_fts again, with the facets
    column and the prefix index (re-reads every text); quotes get their speaker's facet words,
    and quotes_fts indexes them."""
    db.create_function("norm", 1, q.norm, deterministic=True)
    db.create_function("base_form", 1, q.base_form, deterministic=True)
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == 2:
            db.execute("UPDATE names SET name_norm = norm(name_norm)")
            db.execute("UPDATE tags SET value_norm = norm(value), base_norm = base_form(value)")
            db.execute("UPDATE OR REPLACE pov_names SET name_norm = norm(name_norm)")
            db.execute("UPDATE OR REPLACE ship_names SET a = norm(a), b = norm(b)")
            for statement in _statements(_WORKS_FTS.format(name="works_fts_3")):
                db.execute(statement)
            ids = [r[0] for r in db.execute("SELECT rowid FROM works_fts")]
            db.executemany(
                "INSERT INTO works_fts_3 (rowid, story, title, summary, notes, tags, facets)"
                " SELECT rowid, story, title, summary, notes, tags, ? FROM works_fts WHERE rowid = ?",
                ((_facet_text(db, i), i) for i in ids))
            db.execute("DROP TABLE works_fts")
            db.execute("ALTER TABLE works_fts_3 RENAME TO works_fts")
            db.execute("ALTER TABLE quotes ADD COLUMN speaker_forms TEXT")
            for work_id in ids:
                forms: dict[str, set[str]] = {}
                for label, form in db.execute("SELECT label, name_norm FROM names WHERE work_id = ?", (work_id,)):
                    forms.setdefault(label, set()).add(form)
                db.executemany("UPDATE quotes SET speaker_forms = ? WHERE work_id = ? AND speaker = ?",
                               [(_speaker_forms(f), work_id, label) for label, f in forms.items()])
            db.execute("DROP TABLE quotes_fts")
            for statement in _statements(_QUOTES_FTS):
                db.execute(statement)
            db.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')")
            db.execute("PRAGMA user_version = 3")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _searchable(match: str, facets: list[str] = ()) -> str:
    """A reader's expression over the five searchable columns, never the hidden facets one, and
    the facet words the filters imply (they narrow the FTS scan; the SQL conditions decide)."""
    expression = f"- facets : ({match})"
    return " AND ".join([f"({expression})", *(f'facets : "{t}"' for t in facets)]) if facets else expression


def _spoken(match: str, speaker: str) -> str:
    """A reader's expression over quote text, said by a character going by `speaker`: FTS5 then
    only checks the lines of that speaker (the SQL condition on names still decides)."""
    return f'text : ({match}) AND speaker_forms : "{q.facet_token("speaker", speaker)}"'


def _quote_json(row: sqlite3.Row) -> dict:
    """A stored quote as `analyze --json` renders it: the Quote's fields in order, without paragraph."""
    values = {k: row[k] for k in _QUOTE_COLUMNS}
    if row["extra"]:
        values.update(json.loads(row["extra"]))
    return {f: values[f] for f in _QUOTE_FIELDS if f in values}


def _summary(row: sqlite3.Row) -> dict:
    out = dict(row)
    for key in _JSON_COLUMNS:
        if key in out:
            out[key] = json.loads(out[key])
    return out


def _pov_text(pov) -> str | None:
    """A paragraph or chapter POV as one string: a name, or names joined by "; "."""
    if pov is None or isinstance(pov, str):
        return pov
    return "; ".join(str(p) for p in pov) or None


def _story_text(analysis: Analysis) -> str:
    """The prose a reader searches: story paragraphs without notes or headings."""
    work = analysis.work
    if work.paragraphs:
        return "\n\n".join(work.text[p.start:p.end] for _, p in work.story_paragraphs())
    text, cut = work.text, 0
    parts = []
    for note in sorted(work.notes, key=lambda n: n.start):
        parts.append(text[cut:note.start])
        cut = max(cut, note.end)
    parts.append(text[cut:])
    return "".join(parts)
