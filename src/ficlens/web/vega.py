"""The Vega, Vega-Lite and vega-embed JavaScript, served from this site so pages never reach a CDN.

vl-convert-python ships the libraries. Building the bundle takes seconds and holds Python's GIL the
whole time, which would freeze every request the server is answering; so it is built in a child
process (in the background when the server starts), kept in memory, and kept on disk under
`$XDG_CACHE_HOME/ficlens/` (`~/.cache/ficlens/`) so the next start needs no build at all.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

MARKER = b"window.vegaEmbed"
_BUILD = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle().encode('utf-8'))"
_lock = threading.Lock()


def cache_path() -> Path:
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "ficlens" / f"vega-bundle-{version('vl-convert-python')}.js"


def _store(path: Path, code: bytes) -> None:
    """Keep the bundle for the next start; a cache that cannot be written is only a slower start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
            out.write(code)
        os.replace(out.name, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def _build() -> tuple[bytes, str]:
    path = cache_path()
    try:
        code = path.read_bytes()
    except OSError:
        code = b""
    if MARKER not in code:
        code = subprocess.run([sys.executable, "-c", _BUILD], capture_output=True, check=True, timeout=600).stdout
        _store(path, code)
    return code, hashlib.sha1(code).hexdigest()[:16]


def bundle() -> tuple[bytes, str]:
    """(JavaScript, etag) of the bundle that defines window.vegaEmbed, window.vega and window.vegaLite."""
    with _lock:
        return _build()


def warm() -> None:
    """Have the bundle ready before the first chart asks for it, without holding up any request."""
    threading.Thread(target=bundle, name="vega-bundle", daemon=True).start()
