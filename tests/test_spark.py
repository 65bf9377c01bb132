"""The Spark engine (local mode) gives what the local engine gives: analyses in order, identical reuse clusters."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

from ficlens import ingest  # noqa: E402
from ficlens.cli import main  # noqa: E402
from ficlens.corpus import reuse  # noqa: E402
from ficlens.engines import local  # noqa: E402
from ficlens.engines import spark as spark_engine  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark():
    session = spark_engine.session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(sample_paths, tmp_path_factory):
    """The samples, a name-swapped copy of 002 and a file that is not a story."""
    folder = tmp_path_factory.mktemp("corpus")
    for number, path in sample_paths.items():
        shutil.copy(path, folder / path.name)
    body = sample_paths["002"].read_text(encoding="utf-8")
    (folder / "copy.txt").write_text(body.replace("Bellamy", "Finn").replace(",", ";"), encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def both(spark, corpus, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("stages")
    paths = sorted(str(p) for p in corpus.iterdir())
    texts = [reuse.text_of(ingest.read(p)) for p in paths if not p.endswith("empty.txt")]
    on_spark, errors = spark_engine.reuse(paths=[str(corpus)], work_dir=str(work_dir))
    return reuse.find(texts), on_spark, errors, work_dir


def test_analyze_files_matches_local_in_input_order(spark, corpus):
    paths = [str(corpus / "003_d06114b488e3b5f3.txt"), str(corpus / "empty.txt"), str(corpus / "000_3ae63a64336f150c.txt")]
    on_spark = list(spark_engine.analyze_files(paths, progress=False))
    on_local = list(local.analyze_files(paths, progress=False))
    assert [p for p, _ in on_spark] == paths
    assert str(on_spark[1][1]) == str(on_local[1][1])
    for (_, a), (_, b) in zip(on_spark[::2], on_local[::2]):
        assert a.to_json() == b.to_json()


def test_spark_and_local_give_identical_results(both):
    on_local, on_spark, _, _ = both
    assert list(on_spark.records()) == list(on_local.records())
    assert any(c["kind"] == "passage" for c in on_spark.clusters)
    assert len(on_spark.duplicates) == 1


def test_may_we_meet_again_on_spark(both):
    _, on_spark, _, _ = both
    (cluster,) = [c for c in on_spark.lines if c["line"] == "may we meet again"]
    assert sorted({os.path.basename(p["source"])[:3] for p in cluster["passages"]}) == ["000", "001", "003"]


def test_bad_file_is_reported_not_fatal(both):
    _, _, errors, _ = both
    assert [os.path.basename(e.path) for e in errors] == ["empty.txt"]


def test_rerun_reads_finished_stages(spark, both, corpus):
    _, first, _, work_dir = both
    (stage_root,) = list(work_dir.iterdir())
    assert {p.name for p in stage_root.iterdir()} == {"texts", "prepared", "candidates", "passages"}
    marker = stage_root / "passages" / "_SUCCESS"
    before = marker.stat().st_mtime_ns
    again, _ = spark_engine.reuse(paths=[str(corpus)], work_dir=str(work_dir))
    assert marker.stat().st_mtime_ns == before
    assert list(again.records()) == list(first.records())


def test_cli_engine_spark_json_equals_local(both, corpus):
    _, _, _, work_dir = both
    outputs = [
        CliRunner().invoke(main, ["reuse", str(corpus), "--json", *extra])
        for extra in ([], ["--engine", "spark", "--work-dir", str(work_dir)])
    ]
    assert [o.exit_code for o in outputs] == [1, 1]
    records = [[json.loads(x) for x in o.stdout.splitlines()] for o in outputs]
    assert records[0] == records[1]
    assert any(r["type"] == "duplicate" for r in records[0])
