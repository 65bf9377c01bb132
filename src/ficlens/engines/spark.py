"""The Spark engine: the same plain functions as the local engine, run inside Spark tasks.

`analyze_files` maps `ficlens.engines.local.analyze_one` over a parallelised list of paths and
brings each result back as a JSON row, rebuilt into an Analysis on the driver, in input order.

`reuse` runs the reuse stages of corpus/reuse.py as DataFrame transforms with Parquet between
them (texts → shingles/lines → candidates → passages), each written under a work folder and
skipped on a rerun when its output exists, so a killed job resumes. Works are sharded by a hash of
their id. Candidate pairs come from a group-by on n-gram hashes, never from all pairs. The
passages found (the edges of the reuse graph, small next to the corpus) are collected to the
driver with the lines more than one work says, where `reuse.assemble` merges them and finds connected components with union-find: the
same code as the local engine, so both engines give the same clusters.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict
from typing import Callable, Iterator

import numpy as np
from tqdm import tqdm

from ..corpus import reuse as reuse_stages
from ..corpus.lines import Line
from ..errors import InputError
from ..model import Analysis, Chapter, Character, Mention, Metadata, Narration, Note, Paragraph, Quote, Work



def session(master: str | None = None):
    """A Spark session that needs no network: no UI, driver bound to localhost, few shuffle partitions."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if not master or master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master or "local[*]")
        .appName("ficlens")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if not master or master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.conf.set("spark.sql.shuffle.partitions", str(_partitions(spark)))
    return spark


def _partitions(spark, items: int | None = None) -> int:
    """Two tasks per core: small corpora in local mode stay quick, a cluster gets all its cores busy."""
    wanted = max(2, 2 * spark.sparkContext.defaultParallelism)
    return wanted if items is None else max(1, min(wanted, items))


def _analysis_json(path: str, cast: list[dict] | None, debug: bool) -> str:
    from .local import analyze_one

    result = analyze_one(path, cast=cast, debug=debug)
    if isinstance(result, InputError):
        return json.dumps({"error": result.problem})
    return json.dumps(asdict(result))


def analysis_from_dict(d: dict) -> Analysis:
    """Rebuild an Analysis from `dataclasses.asdict` of one (what a Spark task sends back)."""
    w = d["work"]
    work = Work(
        source=w["source"],
        format=w["format"],
        text=w["text"],
        chapters=[Chapter(**c) for c in w["chapters"]],
        paragraphs=[Paragraph(**p) for p in w["paragraphs"]],
        notes=[Note(**n) for n in w["notes"]],
        meta=Metadata(**w["meta"]),
    )
    return Analysis(
        work=work,
        characters=[Character(**c) for c in d["characters"]],
        mentions=[Mention(**m) for m in d["mentions"]],
        quotes=[Quote(**q) for q in d["quotes"]],
        narration=Narration(**d["narration"]),
        ships=d["ships"],
        versions=d["versions"],
    )


def analyze_files(
    paths: list[str],
    *,
    cast: list[dict] | None = None,
    master: str | None = None,
    progress: bool = True,
    debug: bool = False,
) -> Iterator[tuple[str, Analysis | InputError]]:
    """Analyse files in Spark tasks; yields (path, Analysis | InputError) in input order."""
    if not paths:
        return
    spark = session(master)
    rdd = spark.sparkContext.parallelize(list(enumerate(paths)), _partitions(spark, len(paths)))
    rows = rdd.map(lambda item: (item[0], _analysis_json(item[1], cast, debug)))
    bar = tqdm(total=len(paths), unit="work", disable=not (progress and sys.stderr.isatty()), file=sys.stderr)
    try:
        for index, payload in rows.toLocalIterator():
            d = json.loads(payload)
            path = paths[index]
            yield path, InputError(path, d["error"]) if "error" in d else analysis_from_dict(d)
            bar.update()
    finally:
        bar.close()


def _text_row(t: reuse_stages.Text) -> dict:
    return {
        "id": t.id, "source": t.source, "text": t.text, "title": t.title,
        "excluded": [list(s) for s in t.excluded], "url": t.url, "inspired_by": list(t.inspired_by),
        "series": list(t.series), "speakers": [[str(s), str(e), name] for s, e, name in t.speakers], "error": None,
    }


def _text_from_row(r) -> reuse_stages.Text:
    return reuse_stages.Text(
        id=r["id"], source=r["source"], text=r["text"] or "", title=r["title"],
        excluded=[(int(s), int(e)) for s, e in r["excluded"] or []], url=r["url"],
        inspired_by=list(r["inspired_by"] or []), series=list(r["series"] or []),
        speakers=[(int(s), int(e), name) for s, e, name in r["speakers"] or []],
    )


def _read_paths(paths: Iterator[str]) -> Iterator[dict]:
    from .. import ingest

    for path in paths:
        try:
            yield _text_row(reuse_stages.text_of(ingest.read(path)))
        except InputError as exc:
            yield {"id": None, "source": path, "text": None, "title": None, "excluded": [], "url": None,
                   "inspired_by": [], "series": [], "speakers": [], "error": exc.problem}


def _text_schema():
    from pyspark.sql.types import ArrayType, LongType, StringType, StructField, StructType

    return StructType([
        StructField("id", StringType()), StructField("source", StringType()), StructField("text", StringType()),
        StructField("title", StringType()), StructField("excluded", ArrayType(ArrayType(LongType()))),
        StructField("url", StringType()), StructField("inspired_by", ArrayType(StringType())),
        StructField("series", ArrayType(StringType())), StructField("speakers", ArrayType(ArrayType(StringType()))),
        StructField("error", StringType()),
    ])


def _stage(spark, folder: str, build: Callable):
    """Read a stage's Parquet if a previous run finished it, else build it and write it first."""
    if not os.path.exists(os.path.join(folder, "_SUCCESS")):
        build().write.mode("overwrite").parquet(folder)
    return spark.read.parquet(folder)


def _prepare_rows(rows, options: reuse_stages.Options) -> Iterator[tuple]:
    for r in rows:
        p = reuse_stages.prepare(_text_from_row(r), options=options)
        yield (
            p.id, p.story_words,
            p.shingles.hashes.view(np.int64).tolist(), p.shingles.positions.tolist(),
            [(ln.key, ln.start, ln.end, list(ln.people)) for ln in p.lines],
        )


def _align_rows(rows, options: reuse_stages.Options) -> Iterator[tuple]:
    for r in rows:
        anchors = np.array(sorted((int(x["pa"]), int(x["pb"])) for x in r["anchors"]), dtype=np.int64)
        a, b = _text_from_row(r["ta"]), _text_from_row(r["tb"])
        for p in reuse_stages.align_pair(a, b, anchors, options=options):
            yield tuple(asdict(p).values())


def _fingerprint(items: list, options: reuse_stages.Options) -> str:
    digest = hashlib.sha1(json.dumps([items, asdict(options)], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def reuse(
    *,
    texts: list[reuse_stages.Text] | None = None,
    paths: list[str] | None = None,
    options: reuse_stages.Options = reuse_stages.Options(),
    master: str | None = None,
    work_dir: str | None = None,
) -> tuple[reuse_stages.Report, list[InputError]]:
    """Reuse over `texts` (already read) or `paths` (read inside Spark tasks); same Report as reuse.find."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import (ArrayType, IntegerType, LongType, StringType, StructField, StructType)

    spark = session(master)
    if paths is not None:
        from .. import ingest

        found = list(ingest.find_files(paths))
        errors = [f for f in found if isinstance(f, InputError)]
        files = sorted(f for f in found if not isinstance(f, InputError))
        key = _fingerprint([(f, os.path.getsize(f), os.path.getmtime(f)) for f in files], options)
    else:
        errors, files = [], []
        texts = reuse_stages.unique_texts(texts or [])
        key = _fingerprint([t.id for t in texts], options)
    with tempfile.TemporaryDirectory(prefix="ficlens-spark-") as scratch:
        root = os.path.join(work_dir or scratch, key)
        parts = _partitions(spark, len(files or texts or [0]))

        def build_texts():
            if paths is not None:
                rdd = spark.sparkContext.parallelize(files, parts).mapPartitions(_read_paths)
            else:
                rdd = spark.sparkContext.parallelize([_text_row(t) for t in texts], parts)
            df = spark.createDataFrame(rdd.map(lambda d: tuple(d[f] for f in _text_schema().fieldNames())),
                                       _text_schema())
            return df.repartition(parts, "id")

        all_texts = _stage(spark, f"{root}/texts", build_texts)
        errors += [InputError(r["source"], r["error"]) for r in all_texts.where("error IS NOT NULL").collect()]
        good = all_texts.where("error IS NULL").dropDuplicates(["id"])

        prepared_schema = StructType([
            StructField("id", StringType()), StructField("story_words", LongType()),
            StructField("hashes", ArrayType(LongType())), StructField("positions", ArrayType(IntegerType())),
            StructField("lines", ArrayType(StructType([
                StructField("key", StringType()), StructField("start", LongType()), StructField("end", LongType()),
                StructField("people", ArrayType(StringType()))]))),
        ])
        prepared = _stage(spark, f"{root}/prepared", lambda: spark.createDataFrame(
            good.rdd.mapPartitions(lambda rows: _prepare_rows(rows, options)), prepared_schema))

        def build_candidates():
            shingles = prepared.select("id", F.posexplode(F.arrays_zip("hashes", "positions")).alias("i", "s")).select(
                "id", F.col("s.hashes").alias("h"), F.col("s.positions").alias("pos"))
            df = shingles.groupBy("h").agg(F.count("*").alias("df"))
            kept = shingles.join(df.where((F.col("df") >= 2) & (F.col("df") <= options.max_df)), "h")
            a, b = kept.alias("a"), kept.alias("b")
            pairs = a.join(b, (F.col("a.h") == F.col("b.h")) & (F.col("a.id") < F.col("b.id"))).select(
                F.col("a.id").alias("a"), F.col("b.id").alias("b"),
                F.struct(F.col("a.pos").alias("pa"), F.col("b.pos").alias("pb")).alias("anchor"))
            grouped = pairs.groupBy("a", "b").agg(F.collect_list("anchor").alias("anchors"))
            return grouped.where(F.size("anchors") >= options.min_shared)

        candidates = _stage(spark, f"{root}/candidates", build_candidates)
        passage_schema = StructType(
            [StructField(n, StringType()) for n in ("a", "b")]
            + [StructField(n, LongType()) for n in ("a_start", "a_end", "b_start", "b_end", "a0", "a1", "b0", "b1", "matched")]
        )

        def build_passages():
            ta = good.select(F.col("id").alias("a"), F.struct(*good.columns).alias("ta"))
            tb = good.select(F.col("id").alias("b"), F.struct(*good.columns).alias("tb"))
            jobs = candidates.join(ta, "a").join(tb, "b").repartition(parts, "a")
            return spark.createDataFrame(jobs.rdd.mapPartitions(lambda rows: _align_rows(rows, options)), passage_schema)

        passages_df = _stage(spark, f"{root}/passages", build_passages)
        passages = [reuse_stages.SharedPassage(**{k: (int(v) if k not in ("a", "b") else v) for k, v in r.asDict().items()})
                    for r in passages_df.collect()]
        story_words = {r["id"]: int(r["story_words"]) for r in prepared.select("id", "story_words").collect()}
        said = prepared.select("id", F.explode("lines").alias("line"))
        shared_keys = said.groupBy(F.col("line.key").alias("key")).agg(F.countDistinct("id").alias("works")).where(
            "works >= 2")
        lines = {doc: [] for doc in story_words}
        for r in said.join(shared_keys, F.col("line.key") == F.col("key")).select("id", "line").collect():
            x = r["line"]
            lines[r["id"]].append(Line(x["key"], int(x["start"]), int(x["end"]), tuple(x["people"])))
        for found in lines.values():
            found.sort(key=lambda ln: (ln.start, ln.end, ln.key))
        involved = {p.a for p in passages} | {p.b for p in passages} | {d for d, found in lines.items() if found}
        wanted = spark.createDataFrame([(d, True) for d in sorted(involved)], "id string, wanted boolean")
        texts_by_id = {}
        for r in good.join(wanted, "id", "left").select(
            "id", "source", "title", "url", "inspired_by", "series", "excluded", "speakers",
            F.when(F.col("wanted"), F.col("text")).alias("text"),
        ).collect():
            texts_by_id[r["id"]] = _text_from_row(r)
    report = reuse_stages.assemble(texts_by_id, lines, story_words, passages, options=options)
    return report, sorted(errors, key=lambda e: e.path)
