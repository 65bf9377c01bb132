"""Read files into Works. The format is chosen by content (`formats.detect`), never by file extension.

`read(path)` returns a Work or raises InputError with one line saying what is wrong with the file.
`find_files(paths)` expands folders recursively, in a stable sorted order, skipping hidden files and
operating-system clutter; a symlink loop is reported once and the walk carries on.

Files over MAX_MB are refused from their size alone, before a byte is read: the longest fan works
(a few million words) are a few tens of MB of text, so anything larger is not one story.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Iterator

from ..errors import InputError
from ..model import Work
from . import formats
from .decode import NotText

MAX_MB = 64
MAX_BYTES = MAX_MB * 1024 * 1024


JUNK_FILES = frozenset({"Thumbs.db", "ehthumbs.db", "desktop.ini", "Icon\r"})
JUNK_FOLDERS = frozenset({"__MACOSX", "$RECYCLE.BIN", "System Volume Information"})


def read(path: str | os.PathLike) -> Work:
    """Read one file as a story; every problem becomes an InputError naming the file."""
    source = os.fspath(path)
    data = read_bytes(source)
    try:
        fmt = formats.detect(data)
        work = formats.read(source, data, fmt)
    except formats.UnsupportedFormat as exc:
        raise InputError(source, exc.problem) from None
    except NotText as exc:
        raise InputError(source, str(exc)) from None
    if not any(work.text[p.start:p.end].strip() for p in work.paragraphs):
        raise InputError(source, "no story text in it")
    return work


def read_bytes(source: str) -> bytes:
    """The file's bytes, after checking what it is and how big, so nothing huge is ever read."""
    try:
        info = os.stat(source)
    except OSError as exc:
        raise InputError(source, _os_problem(source, exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(source, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(source, "not a regular file (a pipe, socket or device)")
    if info.st_size > MAX_BYTES:
        raise InputError(source, f"{_size(info.st_size)} is larger than the {MAX_MB} MB limit for one story")
    try:
        with open(source, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(source, _os_problem(source, exc)) from None
    if len(data) > MAX_BYTES:
        raise InputError(source, f"larger than the {MAX_MB} MB limit for one story")
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def find_files(paths: list[str]) -> Iterator[str | InputError]:
    """Every file under `paths` (files as given, folders recursively), or an InputError per problem."""
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            found = False
            for item in _walk(p):
                found = True
                yield item
            if not found:
                yield InputError(p, "folder has no files to read")
        elif os.path.lexists(p):
            yield p
        else:
            yield InputError(p, "no such file or folder")


def is_junk(name: str) -> bool:
    """Hidden files and what operating systems leave in folders (.DS_Store, Thumbs.db, ~$ lock files)."""
    return name.startswith((".", "~$")) or name in JUNK_FILES


def _walk(top: str) -> Iterator[str | InputError]:
    """os.walk following links, with a seen set of (device, inode) so a link back up is not followed."""
    problems: list[InputError] = []

    def unreadable(exc: OSError) -> None:
        problems.append(InputError(exc.filename or top, _os_problem(exc.filename or top, exc)))

    seen = {_key(top)}
    for root, dirs, files in os.walk(top, followlinks=True, onerror=unreadable):
        yield from problems
        problems.clear()
        kept = []
        for d in sorted(dirs):
            if is_junk(d) or d in JUNK_FOLDERS:
                continue
            full = os.path.join(root, d)
            try:
                key = _key(full)
            except OSError as exc:
                yield InputError(full, _os_problem(full, exc))
                continue
            if key in seen:
                if _leads_back(full, root):
                    yield InputError(full, "symlink loop (links back to a folder it is in), not followed")
                continue  # a second way into a folder already read: read once
            seen.add(key)
            kept.append(d)
        dirs[:] = kept
        for f in sorted(files):
            if not is_junk(f):
                yield os.path.join(root, f)
    yield from problems


def _key(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _leads_back(link: str, root: str) -> bool:
    target = os.path.realpath(link)
    here = os.path.realpath(root)
    return here == target or here.startswith(target.rstrip(os.sep) + os.sep)


def _os_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop, not followed"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied (cannot be read)"
    return f"cannot be read ({exc.strerror or exc})"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"
