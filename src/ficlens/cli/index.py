"""`ficlens index` (interim: being built)."""

import click


@click.command("index")
def index_command():
    """Add or update works in a library."""
    raise click.ClickException("ficlens index is not built yet")
