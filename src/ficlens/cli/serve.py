"""`ficlens serve`: open a library in the browser, read-only, on this machine by default."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import webbrowser

import click

from ..corpus.store import default_path
from ..errors import LibraryError
from .index import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1/localhost lets other machines read the library.")
@click.option("--port", type=click.IntRange(0, 65535), default=8421, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--example", is_flag=True, help="Serve a temporary library of the built-in example fics.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser tab.")
@click.pass_context
def serve_command(ctx, db, host, port, example, no_browser):
    """Open a library in the browser: search, read, see characters and narration.

    The library is opened read-only; nothing in the web app can change it.

    \b
    Examples:
      ficlens serve                        the default library on http://127.0.0.1:8421/
      ficlens serve --example              the built-in examples, no library needed
      ficlens serve --db the100.db --port 9000 --no-browser
    """
    from werkzeug.serving import make_server

    from ..web import app as web_app
    from ..web import example_library, vega

    debug = (ctx.obj or {}).get("debug")
    with tempfile.TemporaryDirectory(prefix="ficlens-example-") as scratch:
        try:
            if example:
                path = os.path.join(scratch, "examples.db")
                stored, failed = example_library.build(path, progress=True)
                for problem in failed:
                    click.echo(f"ficlens: {problem}", err=True)
                click.echo(f"built an example library of {stored} works", err=True)
            else:
                path = db or default_path()
            application = web_app.create_app(path, trusted_hosts=web_app.trusted_hosts_for(host))
        except LibraryError as exc:
            if debug:
                raise
            raise click.ClickException(str(exc)) from None
        problem = _cannot_listen(host, port)
        if problem:
            raise click.ClickException(f"cannot listen on {host}:{port}: {problem}")
        server = make_server(host, port, application, threaded=True)
        vega.warm()
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{server.server_port}/"
        click.echo(f"serving {path} read-only at {url} (Ctrl-C to stop)", err=True)
        if host not in web_app.LOOPBACK:
            click.echo("warning: listening beyond this machine; anyone who can reach it can read the library",
                       err=True)
        if not no_browser:
            threading.Timer(0.5, webbrowser.open, args=(url,)).start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not bind (port taken, unknown address), said before Werkzeug says it at length."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
