"""`ficlens reuse` (interim: being built)."""

import click


@click.command("reuse")
def reuse_command():
    """Find passages works share."""
    raise click.ClickException("ficlens reuse is not built yet")
