"""`ficlens search` (interim: being built)."""

import click


@click.command("search")
def search_command():
    """Search a library."""
    raise click.ClickException("ficlens search is not built yet")
