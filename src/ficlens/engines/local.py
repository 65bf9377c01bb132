"""The local engine: in-process, or a process pool with `workers > 1`; a progress bar on a terminal."""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Iterator

from tqdm import tqdm

from .. import ingest
from ..analyze import analyze
from ..errors import InputError, unexpected
from ..model import Analysis


def analyze_one(path: str, *, cast: list[dict] | None = None, debug: bool = False) -> Analysis | InputError:
    """Read and analyse one file; a bad file becomes an InputError value, never an exception.

    Even a bug costs only the file it happened on: in a process pool or on Spark an exception
    would take the rest of the batch with it. `debug` lets unexpected errors through, with their
    traceback, for the CLI's --debug.
    """
    try:
        return analyze(ingest.read(path), cast=cast)
    except InputError as exc:
        return exc
    except RecursionError:
        return InputError(path, "too deeply nested to read")
    except MemoryError:
        return InputError(path, "too large to analyse in memory")
    except Exception as exc:
        if debug:
            raise
        return InputError(path, unexpected(exc))


def analyze_files(
    paths: list[str],
    *,
    cast: list[dict] | None = None,
    workers: int = 1,
    progress: bool = True,
    debug: bool = False,
) -> Iterator[tuple[str, Analysis | InputError]]:
    task = partial(analyze_one, cast=cast, debug=debug)
    bar = tqdm(total=len(paths), unit="work", disable=not (progress and sys.stderr.isatty()), file=sys.stderr)
    try:
        if workers <= 1:
            for path in paths:
                yield path, task(path)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for path, result in zip(paths, pool.map(task, paths, chunksize=4)):
                    yield path, result
                    bar.update()
    finally:
        bar.close()
