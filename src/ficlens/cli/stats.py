"""`ficlens stats` (interim: being built)."""

import click


@click.command("stats")
def stats_command():
    """Summarise a library."""
    raise click.ClickException("ficlens stats is not built yet")
