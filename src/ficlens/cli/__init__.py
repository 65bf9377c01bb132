"""The `ficlens` command line: one module per subcommand, each a thin layer over the library.

Exit status: 0 all inputs done, 1 some inputs failed (one line each on stderr), 2 usage error.
"""

from __future__ import annotations

import click

from .. import __version__
from .analyze import analyze_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ficlens")
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Read fan fiction the way a literary scholar would.

    \b
    Examples:
      ficlens analyze --example --json      analyse the built-in example library
      ficlens analyze story.txt --json      characters, speakers, point of view of one fic
      ficlens index ~/fics                  build a searchable library
      ficlens search "may we meet again" --pov Bellamy
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


main.add_command(analyze_command)
