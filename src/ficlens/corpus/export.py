"""Tidy tables for research: one Parquet (or CSV) file per kind of thing, one row per thing.

`TABLES` is the one description of every table: each column's name, Arrow type and meaning feed
the Parquet schema (with the meaning kept as field metadata), the CSV header and the README.
Every table carries `work_id`, which joins it to `works`. Offsets (`start`, `end`) are character
offsets into the work's text as in `ficlens analyze --json`.

List-valued columns (authors, fandoms, pov, ships...) are Arrow lists in Parquet and JSON arrays
in CSV, so both load as is in pandas, polars and DuckDB.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .store import Library

BATCH_ROWS = 20_000
FORMATS = ("parquet", "csv")

_str, _int, _float = pa.string(), pa.int64(), pa.float64()
_strings = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    about: str
    sql: str  # the expression that reads it from the library
    json: bool = False  # stored as JSON text in the library


@dataclass(frozen=True)
class Table:
    name: str
    about: str
    columns: tuple[Column, ...]
    source: str  # FROM ... ORDER BY ...

    def schema(self, *, csv: bool = False) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, _str if csv and _is_list(c.type) else c.type, metadata={"description": c.about})
             for c in self.columns],
            metadata={"description": self.about},
        )

    def query(self) -> str:
        return f"SELECT {', '.join(c.sql for c in self.columns)} {self.source}"


def _is_list(t: pa.DataType) -> bool:
    return pa.types.is_list(t) or pa.types.is_large_list(t)


def _c(name, type_, about, sql=None, json_=False) -> Column:
    return Column(name, type_, about, sql or name, json_)


_WORK_ID = _c("work_id", _int, "the work (works.work_id)")

TABLES: tuple[Table, ...] = (
    Table("works", "one row per work", (
        _c("work_id", _int, "library id of the work", "w.id"),
        _c("key", _str, "stable id: hash of source and text (Work.id)", "w.key"),
        _c("source", _str, "absolute path of the file", "w.source"),
        _c("content_hash", _str, "sha1 of the file's bytes", "w.content_hash"),
        _c("format", _str, "format the file was read as", "w.format"),
        _c("title", _str, "title", "w.title"),
        _c("authors", _strings, "authors", "w.authors", True),
        _c("fandoms", _strings, "fandom tags", "w.fandoms", True),
        _c("relationships", _strings, "relationship tags", "w.relationships", True),
        _c("characters_tagged", _strings, "character tags", "w.characters_tagged", True),
        _c("tags", _strings, "freeform tags", "w.tags", True),
        _c("warnings", _strings, "archive warnings", "w.warnings", True),
        _c("categories", _strings, "categories (F/M, M/M, Gen...)", "w.categories", True),
        _c("rating", _str, "rating as the archive states it", "w.rating"),
        _c("language", _str, "language", "w.language"),
        _c("series", _str, 'series as JSON: [{"name", "part"}]', "w.series"),
        _c("published", _str, "publication date (ISO)", "w.published"),
        _c("updated", _str, "last update date (ISO)", "w.updated"),
        _c("summary", _str, "summary", "w.summary"),
        _c("url", _str, "where the work was published", "w.url"),
        _c("words", _int, "words of story text (notes and headings excluded)", "w.words"),
        _c("chapters", _int, "number of chapters found", "w.chapter_count"),
        _c("person", _str, "narrative person: first, second, third", "w.person"),
        _c("tense", _str, "narrative tense: past, present", "w.tense"),
        _c("pov", _strings, "point-of-view characters, main first", "w.pov", True),
        _c("ships", pa.list_(_strings), "pairings inferred by the analysis", "w.ships", True),
        _c("versions", _str, "analysis stage versions that produced the row, as JSON", "r.versions"),
        _c("indexed_at", _str, "when the work was stored (UTC)", "w.indexed_at"),
    ), "FROM works w JOIN runs r ON r.id = w.run_id ORDER BY w.id"),
    Table("chapters", "one row per chapter", (
        _WORK_ID,
        _c("chapter", _int, "chapter index, from 0", "idx"),
        _c("title", _str, "chapter title"),
        _c("start", _int, "offset of the chapter's first character"),
        _c("end", _int, "offset after its last character", '"end"'),
        _c("person", _str, "narrative person in this chapter"),
        _c("tense", _str, "narrative tense in this chapter"),
        _c("pov", _str, "point-of-view character(s) of the chapter, joined by '; '"),
    ), "FROM chapters ORDER BY work_id, idx"),
    Table("notes", "one row per author's note, summary or chapter note", (
        _WORK_ID,
        _c("note", _int, "note index within the work", "idx"),
        _c("kind", _str, "summary, front, end, chapter-front, chapter-end"),
        _c("chapter", _int, "chapter index for chapter notes"),
        _c("start", _int, "offset of the note"),
        _c("end", _int, "offset after the note", '"end"'),
        _c("text", _str, "the note's text"),
    ), "FROM notes ORDER BY work_id, idx"),
    Table("characters", "one row per character per work", (
        _WORK_ID,
        _c("character_id", _int, "library id of the character (aliases.character_id)", "id"),
        _c("character", _str, "id within the work, as in analyze --json (c1, c2...)", "key"),
        _c("name", _str, "fullest name the story gives"),
        _c("mentions", _int, "times the text names the character"),
        _c("quotes", _int, "quotes attributed to the character"),
        _c("gender", _str, "female, male, nonbinary, or empty when the text does not show it"),
        _c("pov_rank", _int, "0 for the main point-of-view character, 1 for the next; empty if not a POV"),
    ), "FROM characters ORDER BY work_id, id"),
    Table("aliases", "one row per other name a character goes by", (
        _WORK_ID,
        _c("character_id", _int, "the character (characters.character_id)"),
        _c("alias", _str, "a name, nickname or title the text uses"),
    ), "FROM aliases ORDER BY work_id, character_id, rowid"),
    Table("quotes", "one row per quotation", (
        _WORK_ID,
        _c("quote", _int, "quote index within the work, in text order", "idx"),
        _c("start", _int, "offset of the first quoted character"),
        _c("end", _int, "offset after the last quoted character", '"end"'),
        _c("text", _str, "the words between the quote marks"),
        _c("kind", _str, "speech, thought, written, other"),
        _c("speaker", _str, "name of the speaker (characters.name), empty when unknown"),
        _c("addressee", _str, "name of the character spoken to, empty when unknown"),
        _c("confidence", _float, "confidence of the attribution, 0-1"),
        _c("method", _str, "how the speaker was found: explicit, anaphoric, implicit"),
        _c("paragraph", _int, "paragraph index (paragraphs.paragraph)"),
    ), "FROM quotes ORDER BY work_id, idx"),
    Table("interactions", "one row per (speaker, addressee) pair per work", (
        _WORK_ID,
        _c("speaker", _str, "who speaks"),
        _c("addressee", _str, "to whom"),
        _c("quotes", _int, "how many quotes"),
    ), "FROM interactions ORDER BY work_id, quotes DESC, speaker, addressee"),
    Table("paragraphs", "one row per paragraph", (
        _WORK_ID,
        _c("paragraph", _int, "paragraph index within the work", "idx"),
        _c("start", _int, "offset of the paragraph"),
        _c("end", _int, "offset after the paragraph", '"end"'),
        _c("chapter", _int, "chapter index"),
        _c("kind", _str, "text, break (scene break) or heading"),
        _c("tense", _str, "tense of the paragraph's narration"),
        _c("pov", _str, "point-of-view character(s) of the paragraph, joined by '; '"),
    ), "FROM paragraphs ORDER BY work_id, idx"),
    Table("ships", "one row per pairing per work", (
        _WORK_ID,
        _c("ship", _str, "members sorted and joined by '/'", "s.label"),
        _c("members", _strings, "the members, as the analysis or tag gives them",
           "(SELECT json_group_array(name) FROM (SELECT name FROM ship_members m WHERE m.ship_id = s.id"
           " ORDER BY position))", True),
        _c("origin", _str, "inferred (by the analysis) or tagged (relationship tag)", "s.origin"),
    ), "FROM ships s ORDER BY s.work_id, s.id"),
)
TEXTS = Table("texts", "one row per work: the text every offset points into", (
    _WORK_ID,
    _c("text", _str, "the work's text"),
), "FROM contents ORDER BY work_id")


def export(library: Library, directory: str | os.PathLike, *, fmt: str = "parquet",
           with_text: bool = False) -> dict[str, int]:
    """Write every table to `directory` as `<table>.parquet` or `<table>.csv`; returns rows per table.

    All tables are read in one snapshot, so an index running meanwhile cannot make them disagree.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    os.makedirs(directory, exist_ok=True)
    tables = TABLES + ((TEXTS,) if with_text else ())
    counts = {}
    with library.snapshot() as rows:
        for table in tables:
            path = os.path.join(directory, f"{table.name}.{fmt}")
            counts[table.name] = _write(table, _batches(table, rows(table.query()), csv=fmt == "csv"), path,
                                        csv=fmt == "csv")
    return counts


def _batches(table: Table, cursor, *, csv: bool) -> Iterator[pa.RecordBatch]:
    schema = table.schema(csv=csv)
    decode = [c.json and not csv for c in table.columns]
    while True:
        chunk = cursor.fetchmany(BATCH_ROWS)
        if not chunk:
            return
        columns = list(zip(*chunk))
        arrays = [
            pa.array([json.loads(v) if v is not None else None for v in col] if dec else list(col), type=field.type)
            for col, dec, field in zip(columns, decode, schema)
        ]
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _write(table: Table, batches: Iterator[pa.RecordBatch], path: str, *, csv: bool) -> int:
    schema = table.schema(csv=csv)
    total = 0
    tmp = path + ".part"
    if csv:
        with pacsv.CSVWriter(tmp, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
                total += batch.num_rows
    else:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for batch in batches:
                writer.write_batch(batch)
                total += batch.num_rows
    os.replace(tmp, path)
    return total
