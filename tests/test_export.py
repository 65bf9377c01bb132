"""Export: every table read back (pyarrow, pandas, polars, DuckDB) equals what the library holds."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from test_store import story

from ficlens.cli import main
from ficlens.corpus.export import TABLES, export
from ficlens.corpus.store import Library
from ficlens.model import Quote

TABLE_NAMES = [t.name for t in TABLES]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "library.db"
    with Library(path) as lib:
        lib.add(story(0), source_path="/fics/a.txt", content_hash="1")
        second = story(1, title="Ünïcode, \"quotes\" and, commas", tags=["Angst", "Hurt/Comfort"],
                       relationships=["Clarke Griffin/Lexa", "Raven & Octavia"], pov=["Clarke Griffin", "Bellamy Blake"])
        second.quotes.append(Quote(0, 4, second.work.text[0:4], kind="other", confidence=0.1))
        lib.add(second, source_path="/fics/b.txt", content_hash="1")
        lib.add(story(2, characters=[], pov=[], ships=[], fandoms=[], relationships=[], rating=None, person=None,
                      tense=None, published=None, summary=None, end_note=None,
                      paragraphs=["Nobody speaks in this one."]), source_path="/fics/c.txt", content_hash="1")
    return path


@pytest.fixture(scope="module")
def parquet_dir(library, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    with Library(library, readonly=True) as lib:
        counts = export(lib, out, fmt="parquet", with_text=True)
    assert counts["works"] == 3
    return out


@pytest.fixture(scope="module")
def csv_dir(library, tmp_path_factory):
    out = tmp_path_factory.mktemp("csv")
    with Library(library, readonly=True) as lib:
        export(lib, out, fmt="csv")
    return out


def expected_rows(library) -> dict[str, list[dict]]:
    """What each table must hold, rebuilt from `Library.work()` rather than from the SQL export uses."""
    out = {name: [] for name in TABLE_NAMES}
    with Library(library, readonly=True) as lib:
        for summary in lib.works(sort="added", limit=100)[::-1]:
            doc = lib.work(summary["id"])
            wid = doc["id"]
            out["works"].append({"work_id": wid, "title": doc["title"], "fandoms": doc["fandoms"],
                                 "relationships": doc["relationships"], "tags": doc["tags"], "words": doc["words"],
                                 "pov": doc["narration"]["pov"], "ships": doc["ships"],
                                 "person": doc["narration"]["person"], "tense": doc["narration"]["tense"],
                                 "versions": json.dumps(doc["versions"], sort_keys=True, separators=(",", ":"))})
            out["chapters"] += [{"work_id": wid, "chapter": i, "start": c["start"], "end": c["end"]}
                                for i, c in enumerate(doc["chapters"])]
            out["notes"] += [{"work_id": wid, "note": i, "kind": n["kind"], "text": n["text"], "start": n["start"]}
                             for i, n in enumerate(doc["notes"])]
            out["characters"] += [{"work_id": wid, "character": c["id"], "name": c["name"], "quotes": c["quotes"]}
                                  for c in doc["characters"]]
            out["aliases"] += [{"work_id": wid, "alias": a} for c in doc["characters"] for a in c["aliases"]]
            out["quotes"] += [{"work_id": wid, "quote": i, "start": q["start"], "end": q["end"], "text": q["text"],
                               "kind": q["kind"], "speaker": q["speaker"], "addressee": q["addressee"],
                               "confidence": q["confidence"]} for i, q in enumerate(doc["quotes"])]
            out["interactions"] += [{"work_id": wid, **i} for i in doc["interactions"]]
            out["paragraphs"] += [{"work_id": wid, "paragraph": p["paragraph"], "start": p["start"],
                                   "end": p["end"], "kind": p["kind"], "tense": p["tense"], "pov": p["pov"]}
                                  for p in doc["paragraphs"]]
            out["ships"] += [{"work_id": wid, "ship": "/".join(sorted(s))} for s in doc["ships"]]
            out["ships"] += [{"work_id": wid, "ship": "/".join(sorted(r.split("/")))} for r in doc["relationships"]
                             if "/" in r and sorted(r.split("/")) not in [sorted(s) for s in doc["ships"]]]
    return out


def _subset(rows: list[dict], keys) -> list[dict]:
    return [{k: r[k] for k in keys} for r in rows]


def test_parquet_round_trip_equals_the_library(library, parquet_dir):
    expected = expected_rows(library)
    for name in TABLE_NAMES:
        table = pq.read_table(parquet_dir / f"{name}.parquet")
        assert table.schema.names == [c.name for c in next(t for t in TABLES if t.name == name).columns]
        rows = table.to_pylist()
        want = expected[name]
        assert len(rows) == len(want), name
        if want:
            key_order = sorted(rows, key=lambda r: json.dumps(_subset([r], want[0])[0], sort_keys=True))
            want_order = sorted(want, key=lambda r: json.dumps(r, sort_keys=True))
            assert _subset(key_order, want[0]) == want_order, name
    assert sum(len(expected[t]) for t in ("quotes", "paragraphs", "characters", "aliases", "notes")) > 30


def test_parquet_schema_is_explicit_and_documented(parquet_dir):
    schema = pq.read_schema(parquet_dir / "works.parquet")
    assert pa.types.is_list(schema.field("fandoms").type) and schema.field("fandoms").type.value_type == pa.string()
    ships = schema.field("ships").type
    assert pa.types.is_list(ships) and pa.types.is_list(ships.value_type) and ships.value_type.value_type == pa.string()
    assert schema.field("words").type == pa.int64()
    for table in TABLES:
        for field in pq.read_schema(parquet_dir / f"{table.name}.parquet"):
            assert field.metadata and field.metadata[b"description"], (table.name, field.name)


def test_text_table_matches_offsets(library, parquet_dir):
    texts = {r["work_id"]: r["text"] for r in pq.read_table(parquet_dir / "texts.parquet").to_pylist()}
    quotes = pq.read_table(parquet_dir / "quotes.parquet").to_pylist()
    assert quotes
    for q in quotes:
        assert texts[q["work_id"]][q["start"]:q["end"]] == q["text"]


def test_pandas_polars_duckdb_read_parquet_as_is(parquet_dir):
    works_pd = pd.read_parquet(parquet_dir / "works.parquet")
    assert list(works_pd["title"])[1] == 'Ünïcode, "quotes" and, commas'
    assert list(works_pd.loc[1, "pov"]) == ["Clarke Griffin", "Bellamy Blake"]
    quotes_pl = pl.read_parquet(parquet_dir / "quotes.parquet")
    by_speaker = dict(quotes_pl.group_by("speaker").len().iter_rows())
    assert by_speaker["Clarke Griffin"] == 2 and by_speaker["Bellamy Blake"] == 2 and by_speaker[None] == 1
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT w.title, count(*) FROM '{parquet_dir}/quotes.parquet' q JOIN '{parquet_dir}/works.parquet' w"
        " USING (work_id) WHERE q.speaker = 'Bellamy Blake' GROUP BY 1 ORDER BY 1").fetchall()
    assert rows == [("Story 0", 1), ('Ünïcode, "quotes" and, commas', 1)]
    unnested = con.execute(f"SELECT count(*) FROM (SELECT unnest(tags) FROM '{parquet_dir}/works.parquet')").fetchone()
    assert unnested == (2,)
    empty = pl.read_parquet(parquet_dir / "interactions.parquet").filter(pl.col("work_id") == 3)
    assert empty.height == 0


def test_csv_loads_as_is_with_lists_as_json(library, csv_dir, parquet_dir):
    for name in TABLE_NAMES:
        via_pd = pd.read_csv(csv_dir / f"{name}.csv")
        via_pl = pl.read_csv(csv_dir / f"{name}.csv")
        [(via_duck,)] = duckdb.sql(f"SELECT count(*) FROM read_csv_auto('{csv_dir}/{name}.csv')").fetchall()
        parquet_rows = pq.read_table(parquet_dir / f"{name}.parquet").num_rows
        assert len(via_pd) == via_pl.height == via_duck == parquet_rows, name
    titles = duckdb.sql(f"SELECT title FROM read_csv_auto('{csv_dir}/works.csv') ORDER BY work_id").fetchall()
    assert titles[1] == ('Ünïcode, "quotes" and, commas',)
    works = pd.read_csv(csv_dir / "works.csv")
    assert [json.loads(v) for v in works["fandoms"]] == [["The 100 (TV)"]] * 2 + [[]]
    assert json.loads(works.loc[1, "relationships"]) == ["Clarke Griffin/Lexa", "Raven & Octavia"]
    assert works.loc[1, "title"] == 'Ünïcode, "quotes" and, commas'
    quotes = pl.read_csv(csv_dir / "quotes.csv")
    assert quotes["text"].to_list() == pq.read_table(parquet_dir / "quotes.parquet").column("text").to_pylist()


def test_export_cli(library, tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(library), "--parquet", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "works.parquet  3 rows" in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{n}.parquet" for n in TABLE_NAMES)
    both = CliRunner().invoke(main, ["export", "--db", str(library), "--parquet", "a", "--csv", "b"])
    assert both.exit_code == 2
