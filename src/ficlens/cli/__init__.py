"""The `ficlens` command line: one module per subcommand, each a thin layer over the library.

Exit status: 0 all inputs done, 1 some inputs failed (one line each on stderr), 2 usage error.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import FiclensError, unexpected
from .analyze import analyze_command
from .check import check_command
from .eval import eval_command
from .export import export_command
from .index import index_command
from .reuse import reuse_command
from .search import search_command
from .serve import serve_command
from .stats import stats_command


class _Ficlens(click.Group):
    """The last line of defence: an error no command handled still becomes one line, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise  # click reports these itself; a closed pipe (`| head`) ends the output quietly
        except Exception as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(f"ficlens: {exc if isinstance(exc, FiclensError) else unexpected(exc)}", err=True)
            sys.exit(1)


@click.group(cls=_Ficlens, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


for _command in (
    analyze_command,
    index_command,
    search_command,
    stats_command,
    export_command,
    reuse_command,
    serve_command,
    eval_command,
    check_command,
):
    main.add_command(_command)
