"""`ficlens eval` (interim: being built)."""

import click


@click.command("eval")
def eval_command():
    """Measure accuracy on annotated data."""
    raise click.ClickException("ficlens eval is not built yet")
