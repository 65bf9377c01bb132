"""Read files into Works. The format is chosen by content, never by file extension.

`read(path)` returns a Work or raises InputError with one line saying what is wrong.
`find_files(paths)` expands folders recursively (symlink loops are reported, not followed).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..model import Work
from . import text

MAX_BYTES = 64 * 1024 * 1024


def read(path: str | os.PathLike) -> Work:
    source = os.fspath(path)
    try:
        data = Path(source).read_bytes()
    except IsADirectoryError:
        raise InputError(source, "is a folder")
    except PermissionError:
        raise InputError(source, "permission denied")
    except OSError as exc:
        raise InputError(source, exc.strerror or str(exc))
    if not data.strip():
        raise InputError(source, "empty file")
    return text.read(source, data)


def find_files(paths: list[str]) -> Iterator[str | InputError]:
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    yield os.path.join(root, f)
        elif os.path.exists(p):
            yield p
        else:
            yield InputError(p, "no such file or folder")
