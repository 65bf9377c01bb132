"""The Vega, Vega-Lite and vega-embed JavaScript, served from this site so pages never reach a CDN.

vl-convert-python ships the libraries; building the bundle takes a few seconds, so it is built once
per process (in the background when the server starts) and kept in memory.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _build() -> tuple[bytes, str]:
    import vl_convert

    code = vl_convert.javascript_bundle().encode("utf-8")
    return code, hashlib.sha1(code).hexdigest()[:16]


def bundle() -> tuple[bytes, str]:
    """(JavaScript, etag) of the bundle that defines window.vegaEmbed, window.vega and window.vegaLite."""
    with _lock:
        return _build()


def warm() -> None:
    """Build the bundle in a background thread so the first chart a reader opens does not wait."""
    threading.Thread(target=bundle, name="vega-bundle", daemon=True).start()
