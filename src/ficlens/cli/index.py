"""`ficlens index`: add or update works in a library, one transaction per work.

Unchanged files (same bytes, same analysis stage versions) are skipped before anything is
analysed; changed ones are re-analysed and replace what was stored. Because every work commits
on its own, an interrupted run keeps what it finished and a rerun picks up the rest.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from .. import ingest
from ..analyze import STAGES
from ..corpus.search import QueryError
from ..corpus.store import SCHEMA_VERSION, Library, default_path
from ..engines import ENGINES, analyze_files
from ..errors import InputError, LibraryError


def db_option(command):
    """`--db LIBRARY`, shared by every command that reads or writes a library."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        help="Library file. Default: $FICLENS_DB, else $XDG_DATA_HOME/ficlens/library.db "
        "(~/.local/share/ficlens/library.db).",
    )(command)


@contextmanager
def library_errors(ctx: click.Context):
    """Library problems become one line on stderr: exit 2 for a badly written search, 1 otherwise."""
    try:
        yield
    except LibraryError as exc:
        if (ctx.obj or {}).get("debug"):
            raise
        click.echo(f"ficlens: {exc}", err=True)
        ctx.exit(2 if isinstance(exc, QueryError) else 1)


def open_library(db: str | None, *, readonly: bool) -> Library:
    return Library(db or default_path(), readonly=readonly)


def file_hash(path: str) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(functools.partial(fh.read, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@click.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Analyse in this many processes.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where the analysis runs.")
@click.option("--master", default=None, help="Spark master URL (with --engine spark), e.g. local[2].")
@click.option("--example", is_flag=True, help="Index the built-in example fics as well.")
@click.pass_context
def index_command(ctx, paths, db, workers, engine, master, example):
    """Add or update works in a library (a file or folder per PATH, folders read recursively).

    \b
    Examples:
      ficlens index ~/fics                   build or refresh the default library
      ficlens index ~/fics --db the100.db --workers 2
      ficlens index --example --db demo.db   a library of the built-in examples
      ficlens index --db old.db              only bring an older library up to date
    """
    if not paths and not example:
        path = Path(db or default_path())
        if not path.exists():
            raise click.UsageError("give at least one PATH (or --example)")
        with library_errors(ctx):
            open_library(db, readonly=False).close()
            click.echo(f"{path}: up to date (schema {SCHEMA_VERSION}); give PATHs to add works")
        return
    names = list(paths)
    if example:
        from .. import examples

        names += examples.paths()
    failed = unchanged = added = updated = 0
    with library_errors(ctx):
        library = open_library(db, readonly=False)
        todo: list[tuple[str, str, str, bool]] = []  # (path, source, hash, stored before)
        seen: set[str] = set()
        for item in ingest.find_files(names):
            if isinstance(item, InputError):
                click.echo(f"ficlens: {item}", err=True)
                failed += 1
                continue
            source = os.path.abspath(item)
            try:
                digest = file_hash(item)
            except OSError as exc:
                click.echo(f"ficlens: {item}: {exc.strerror or exc}", err=True)
                failed += 1
                continue
            if source in seen:
                continue
            seen.add(source)
            if not library.needs_update(source, digest, STAGES):
                unchanged += 1
                continue
            todo.append((item, source, digest, library.has(source)))
        by_path = {path: (source, digest, known) for path, source, digest, known in todo}
        results = analyze_files([t[0] for t in todo], engine=engine, master=master, workers=workers,
                                progress=True, debug=bool((ctx.obj or {}).get("debug")))
        for path, result in results:
            if isinstance(result, InputError):
                click.echo(f"ficlens: {result}", err=True)
                failed += 1
                continue
            source, digest, known = by_path[path]
            library.add(result, source_path=source, content_hash=digest)
            if known:
                updated += 1
            else:
                added += 1
        library.close()
    click.echo(
        f"{library.path}: {added} added, {updated} updated, {unchanged} unchanged, {failed} failed"
    )
    sys.exit(1 if failed else 0)
