"""`ficlens serve` (interim: being built)."""

import click


@click.command("serve")
def serve_command():
    """Open a library in the browser."""
    raise click.ClickException("ficlens serve is not built yet")
