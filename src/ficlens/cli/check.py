"""`ficlens check` (interim: being built)."""

import click


@click.command("check")
def check_command():
    """A writer's report on a story."""
    raise click.ClickException("ficlens check is not built yet")
