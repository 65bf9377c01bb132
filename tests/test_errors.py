"""Errors: one line each, and an error — even a bug — costs only its own file, never the batch."""

from __future__ import annotations

import pickle

import pytest

from ficlens import examples
from ficlens.engines import analyze_files, local
from ficlens.errors import InputError
from ficlens.model import Analysis


def test_input_error_survives_a_process_boundary():
    error = pickle.loads(pickle.dumps(InputError("fic.txt", "empty file")))
    assert (type(error), error.path, error.problem, str(error)) == (InputError, "fic.txt", "empty file", "fic.txt: empty file")


@pytest.fixture
def buggy_second_example(monkeypatch):
    """Analysis raises a plain bug on the second example fic only."""
    paths = examples.paths()
    real = local.analyze

    def analyze(work, *, cast=None):
        if work.source == paths[1]:
            raise KeyError("speaker")
        return real(work, cast=cast)

    monkeypatch.setattr(local, "analyze", analyze)
    return paths


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bug_costs_only_its_file(buggy_second_example, workers):
    paths = buggy_second_example
    results = list(analyze_files(paths, workers=workers, progress=False))
    assert [path for path, _ in results] == paths
    error = results[1][1]
    assert isinstance(error, InputError)
    assert error.path == paths[1]
    assert error.problem == "unexpected error (KeyError: 'speaker'); run with --debug for details"
    assert all(isinstance(result, Analysis) for _, result in results[:1] + results[2:])


def test_debug_lets_the_bug_through(buggy_second_example):
    with pytest.raises(KeyError):
        list(analyze_files(buggy_second_example, progress=False, debug=True))


def test_the_cli_turns_an_unhandled_bug_into_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from ficlens.cli import main, stats
    from ficlens.corpus.store import Library

    db = tmp_path / "lib.db"
    Library(str(db)).close()
    monkeypatch.setattr(stats, "render", lambda _stats: {}["works"])
    result = CliRunner().invoke(main, ["stats", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "ficlens: unexpected error (KeyError: 'works'); run with --debug for details"
    debug = CliRunner().invoke(main, ["--debug", "stats", "--db", str(db)])
    assert isinstance(debug.exception, KeyError)


def test_a_closed_pipe_ends_the_output_quietly(tmp_path):
    import subprocess
    import sys

    script = "ficlens analyze --example --json | head -c 10 > /dev/null; exit ${PIPESTATUS[0]}"
    run = subprocess.run(["bash", "-c", script.replace("ficlens", f"{sys.executable} -m ficlens")],
                         capture_output=True, text=True, timeout=120)
    assert "unexpected error" not in run.stderr and "Traceback" not in run.stderr
