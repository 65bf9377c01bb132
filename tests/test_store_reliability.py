"""A real `ficlens index` process killed with SIGKILL, searched while it writes, and raced by another.

What must hold after any kill: the library opens, passes SQLite's and FTS5's integrity checks,
holds no half-written work (every work has its text, its FTS row and only its own child rows),
and a rerun finishes the job without duplicates.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from test_search_cli import write_corpus

from ficlens.corpus.store import Library
from ficlens.errors import LibraryError

WORKS = 200
CHILD_TABLES = ("contents", "chapters", "notes", "characters", "aliases", "names", "mentions", "quotes",
                "paragraphs", "pov", "pov_names", "ships", "ship_members", "ship_names", "interactions", "tags")


def start_index(folder, db) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ficlens", "index", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def stored(db) -> int:
    """Works committed so far, read by an independent connection; -1 before the library exists."""
    try:
        with Library(db, readonly=True) as lib:
            return lib.count()
    except LibraryError:
        return -1


def wait_for(proc: subprocess.Popen, db, at_least: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while stored(db) < at_least:
        assert proc.poll() is None, "the index finished before the moment of the kill"
        assert time.monotonic() < deadline, "indexing made no progress"
        time.sleep(0.01)


def check_sound(db, folder) -> int:
    """Every integrity property a killed index must keep; returns how many works are stored."""
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        raw.execute("INSERT INTO works_fts(works_fts) VALUES ('integrity-check')")
        raw.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")
        works = raw.execute("SELECT count(*) FROM works").fetchone()[0]
        assert raw.execute("SELECT count(*) FROM contents").fetchone()[0] == works
        assert raw.execute("SELECT count(*) FROM works_fts").fetchone()[0] == works
        assert raw.execute(
            "SELECT count(*) FROM works w WHERE NOT EXISTS (SELECT 1 FROM works_fts f WHERE f.rowid = w.id)"
        ).fetchone()[0] == 0
        for table in CHILD_TABLES:
            orphans = raw.execute(
                f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM works w WHERE w.id = t.work_id)"
            ).fetchone()[0]
            assert orphans == 0, table
        assert raw.execute("SELECT count(DISTINCT source) FROM works").fetchone()[0] == works
        for source, content_hash, text in raw.execute(
                "SELECT w.source, w.content_hash, c.text FROM works w JOIN contents c ON c.work_id = w.id"):
            assert hashlib.sha1(open(source, "rb").read()).hexdigest() == content_hash
            assert text == open(source, encoding="utf-8", newline="").read()
    with Library(db) as lib:
        assert lib.stats()["works"] == works
    return works


def test_sigkill_at_any_moment_then_rerun(tmp_path):
    folder = tmp_path / "fics"
    write_corpus(folder, WORKS)
    db = tmp_path / "library.db"
    done = 0
    # Moments: while the library is being created, early on, and well into the run.
    for moment in ("startup", 3, 60):
        proc = start_index(folder, db)
        if moment == "startup":  # as soon as the file exists: while the schema is being written
            while not os.path.exists(db) and proc.poll() is None:
                time.sleep(0.001)
        else:
            wait_for(proc, db, done + moment)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
        Library(db).close()  # opens (and finishes creating) whatever the kill left
        done = check_sound(db, folder)
    assert 0 < done < WORKS
    rerun = subprocess.run([sys.executable, "-m", "ficlens", "index", str(folder), "--db", str(db)],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.strip().endswith(f"{WORKS - done} added, 0 updated, {done} unchanged, 0 failed")
    assert check_sound(db, folder) == WORKS


def test_search_while_indexing(tmp_path):
    folder = tmp_path / "fics"
    write_corpus(folder, 100)
    db = tmp_path / "library.db"
    proc = start_index(folder, db)
    wait_for(proc, db, 1)
    seen, searches = [], 0
    while proc.poll() is None:
        with Library(db, readonly=True) as lib, lib.snapshot():  # one read transaction: counts agree
            hits = lib.count("dropship OR forest")
            results = lib.search("dropship", filters={"words_min": 1}, limit=5)
            seen.append(lib.count())
            assert hits >= len(results)
            searches += 1
    assert proc.wait() == 0, proc.stderr.read()
    assert seen == sorted(seen), "a reader saw works disappear"
    assert any(0 < n < 100 for n in seen), "no search ran while the index was writing"
    assert stored(db) == 100


def test_two_indexers_racing_do_not_duplicate(tmp_path):
    folder = tmp_path / "fics"
    write_corpus(folder, 30)
    db = tmp_path / "library.db"
    procs = [start_index(folder, db) for _ in range(2)]
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert check_sound(db, folder) == 30


def test_a_library_locked_while_another_process_creates_it_is_retried(tmp_path, monkeypatch):
    """SQLite can answer "database is locked" at once while another process switches a new file
    to WAL; opening waits and tries again instead of calling the library corrupt."""
    real = Library._open
    calls = []

    def flaky(self, path):
        calls.append(path)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return real(self, path)

    monkeypatch.setattr(Library, "_open", flaky)
    with Library(tmp_path / "library.db") as lib:
        assert lib.count() == 0
    assert len(calls) == 3

    def broken(self, path):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Library, "_open", broken)
    with pytest.raises(LibraryError, match="corrupt or unreadable library"):
        Library(tmp_path / "other.db")
