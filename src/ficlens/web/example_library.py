"""A throwaway library of the built-in example fics, for `ficlens serve --example`."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .. import examples
from ..corpus.store import Library
from ..engines import analyze_files
from ..errors import InputError


def build(path: str | os.PathLike, *, progress: bool = False) -> tuple[int, list[InputError]]:
    """Analyse the examples into a new library at `path`; (works stored, files that failed)."""
    stored, failed = 0, []
    with Library(path) as lib:
        for source, result in analyze_files(examples.paths(), progress=progress):
            if isinstance(result, InputError):
                failed.append(result)
                continue
            digest = hashlib.sha1(Path(source).read_bytes()).hexdigest()
            lib.add(result, source_path=os.path.abspath(source), content_hash=digest)
            stored += 1
    return stored, failed
