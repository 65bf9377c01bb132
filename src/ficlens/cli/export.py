"""`ficlens export`: the library as tidy tables (Parquet or CSV) for pandas, polars, DuckDB, R."""

from __future__ import annotations

import click

from ..corpus.export import export
from .index import db_option, library_errors, open_library


@click.command("export")
@db_option
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False), help="Write <table>.parquet files here.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Write <table>.csv files here.")
@click.option("--text", "with_text", is_flag=True, help="Also write a texts table with each work's full text.")
@click.pass_context
def export_command(ctx, db, parquet_dir, csv_dir, with_text):
    """Export a library as tidy tables: works, chapters, notes, characters, aliases, quotes,
    interactions, paragraphs, ships (schema in the README; column meanings in the Parquet metadata).

    \b
    Examples:
      ficlens export --parquet tables/
      ficlens export --db the100.db --csv tables/ --text
      duckdb -c "SELECT speaker, count(*) FROM 'tables/quotes.parquet' GROUP BY 1 ORDER BY 2 DESC"
    """
    if bool(parquet_dir) == bool(csv_dir):
        raise click.UsageError("give one of --parquet DIR or --csv DIR")
    fmt, directory = ("parquet", parquet_dir) if parquet_dir else ("csv", csv_dir)
    with library_errors(ctx):
        with open_library(db, readonly=True) as library:
            counts = export(library, directory, fmt=fmt, with_text=with_text)
    for name, rows in counts.items():
        click.echo(f"{directory.rstrip('/')}/{name}.{fmt}  {rows:,} rows")
