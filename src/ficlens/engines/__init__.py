"""Where analysis runs. An engine decides where a function runs, never what it computes.

`analyze_files(paths, engine=...)` yields `(path, Analysis | InputError)` in input order, whatever
the engine: "local" (in-process or a process pool, the default) or "spark". Any error, even a bug,
costs only its own file unless `debug` asks for the traceback.
"""

from __future__ import annotations

from typing import Iterator

from ..errors import InputError
from ..model import Analysis

ENGINES = ("local", "spark")


def analyze_files(
    paths: list[str],
    *,
    engine: str = "local",
    master: str | None = None,
    cast: list[dict] | None = None,
    workers: int = 1,
    progress: bool = True,
    debug: bool = False,
) -> Iterator[tuple[str, Analysis | InputError]]:
    if engine == "local":
        from . import local

        return local.analyze_files(paths, cast=cast, workers=workers, progress=progress, debug=debug)
    if engine == "spark":
        from . import spark

        return spark.analyze_files(paths, cast=cast, master=master, progress=progress, debug=debug)
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
