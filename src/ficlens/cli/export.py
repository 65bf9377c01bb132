"""`ficlens export` (interim: being built)."""

import click


@click.command("export")
def export_command():
    """Export a library as tidy tables."""
    raise click.ClickException("ficlens export is not built yet")
