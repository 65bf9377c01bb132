"""The ficlens web app: a short route table, one error handler, strict headers, read-only.

Every page has a `.json` twin with the same data (Datasette style), every chart has `.vl.json`
(its Vega-Lite spec), `.csv` and `.json` (its rows). Work ids in URLs are the work's hex key and
are checked by the URL converter, so anything else is a 404 before a view runs. Only GET exists.
"""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask, Response, abort, g, jsonify, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException, NotFound, ServiceUnavailable
from werkzeug.routing import BaseConverter

from ..corpus.search import QueryError
from ..corpus.store import Library
from ..errors import LibraryError
from . import corpus_page, library_page, recent, reuse_page, story, stored, vega, work_page
from .charts import Chart
from .titles import display_title

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class SafeJSON(DefaultJSONProvider):
    """JSON with <, > and & as \\u escapes: the same data, and inert even if something renders it as HTML."""

    sort_keys = False

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _App(Flask):
    json_provider_class = SafeJSON


class HexId(BaseConverter):
    """A work key: lower-case hex, as `Work.id` makes them."""

    regex = r"[0-9a-f]{8,64}"


class Slug(BaseConverter):
    regex = r"[a-z][a-z0-9-]{0,40}"


class ChartFormat(BaseConverter):
    regex = r"vl\.json|csv|json"


# -- views: each returns (template, JSON twin, extra HTML context) ------------------------------


def _library(lib: Library):
    data, html = library_page.build(lib, library_page.Search.from_args(request.args))
    return "library.html", data, html


def _work_doc(lib: Library, work_id: str) -> dict:
    doc = lib.work(work_id)
    if doc is None or doc.get("key") != work_id:
        raise NotFound(f"no work {work_id} in this library")
    return doc


def _work(lib: Library, work_id: str):
    doc = _work_doc(lib, work_id)
    analysis = stored.analysis(doc)
    recent.remember(work_id, doc["indexed_at"], analysis)
    html = work_page.context(analysis, whole=request.args.get("whole") == "1")
    html["charts"] = {name: _chart_urls("work_chart", name, work_id=work_id) | {"name": name, "title": title}
                      for name, title in work_page.CHARTS.items()}
    html["chunk_base"] = url_for("work", work_id=work_id) + "/story/"
    html["version"] = doc["indexed_at"]
    meta = analysis.work.meta
    html.update(title=display_title(meta.title, doc["source"]), authors=meta.authors, words=doc["words"],
                format=doc["format"], language=meta.language,
                summary=None if any(n.kind == "summary" for n in analysis.work.notes) else meta.summary)
    return "work.html", work_page.data(doc), html


def _work_chunk(work_id: str, chunk: int):
    """One later piece of a work's story, as HTML the work page inserts while the reader scrolls."""
    version = request.args.get("v", "")
    analysis = recent.recall(work_id, version)
    if analysis is None:
        doc = _work_doc(_library_for_request(), work_id)
        if doc["indexed_at"] != version:
            abort(409, "this work was indexed again since the page was opened: reload the page")
        analysis = stored.analysis(doc)
        recent.remember(work_id, version, analysis)
    pieces = story.chunks(analysis)
    if not 0 <= chunk < len(pieces):
        abort(404, f"work {work_id} has no part {chunk}")
    return Response(story.render(analysis, pieces[chunk]), mimetype="text/html")


def _corpus(lib: Library):
    data, html = corpus_page.build(lib, lambda name: _chart_urls("corpus_chart", name))
    return "corpus.html", data, html


def _reuse(lib: Library):
    data, html = reuse_page.build(lib)
    return "reuse.html", data, html


def _compare(lib: Library, work_a: str, work_b: str):
    a = stored.analysis(_work_doc(lib, work_a))
    b = stored.analysis(_work_doc(lib, work_b))
    data, html = reuse_page.compare(lib, work_a, a, work_b, b)
    return "compare.html", data, html


PAGES = [
    # (URL pattern, endpoint, view, section of the site)
    ("/", "library", _library, "library"),
    ("/work/<hex:work_id>", "work", _work, "library"),
    ("/corpus", "corpus", _corpus, "corpus"),
    ("/reuse", "reuse", _reuse, "reuse"),
    ("/reuse/<hex:work_a>/<hex:work_b>", "compare", _compare, "reuse"),
]
JSON_TWIN = {"/": "/index.json"}


def _work_charts(lib: Library, work_id: str) -> dict[str, Chart]:
    return work_page.charts(stored.analysis(_work_doc(lib, work_id)))


CHARTS = [
    # (URL pattern, endpoint, the page's charts by name)
    ("/work/<hex:work_id>/charts/<slug:chart>.<chartformat:fmt>", "work_chart", _work_charts),
    ("/corpus/charts/<slug:chart>.<chartformat:fmt>", "corpus_chart", lambda lib: corpus_page.charts(lib)),
]


def _chart_urls(endpoint: str, name: str, **ids) -> dict:
    return {fmt_key: url_for(endpoint, chart=name, fmt=fmt, **ids)
            for fmt_key, fmt in (("spec", "vl.json"), ("csv", "csv"), ("json", "json"))}


# -- plumbing ---------------------------------------------------------------------------------


def _library_for_request() -> Library:
    """One read-only connection per request: SQLite connections are cheap and never shared across threads."""
    if "library" not in g:
        try:
            g.library = Library(g.library_path, readonly=True)
        except LibraryError as exc:
            raise ServiceUnavailable(str(exc)) from None
    return g.library


def _page(view, section: str, as_json: bool):
    def handler(**ids):
        template, data, html = view(_library_for_request(), **ids)
        if as_json:
            return jsonify(data)
        json_url = request.path.rstrip("/") + ".json" if request.path != "/" else "/index.json"
        if request.query_string:
            json_url += "?" + request.query_string.decode("latin-1")
        return render_template(template, **{**data, **html, "section": section, "json_url": json_url})

    return handler


def _chart(charts_of):
    def handler(chart: str, fmt: str, **ids):
        found = charts_of(_library_for_request(), **ids)
        if chart not in found:
            abort(404, f"no chart {chart!r} here")
        c = found[chart]
        if fmt == "csv":
            return Response(c.csv(), mimetype="text/csv",
                            headers={"Content-Disposition": f'attachment; filename="{chart}.csv"'})
        if fmt == "json":
            response = jsonify(c.rows)
            response.headers["Content-Disposition"] = f'attachment; filename="{chart}.json"'
            return response
        if c.draw is None:
            abort(404, f"chart {chart!r} is offered as data only")
        return jsonify(c.spec())

    return handler


def _status(exc: Exception) -> tuple[int, str]:
    """The one place that decides what an exception means to the browser."""
    if isinstance(exc, HTTPException):
        return exc.code or 500, exc.description or exc.name
    if isinstance(exc, QueryError):
        return 400, str(exc)
    if isinstance(exc, LibraryError):
        return 503, str(exc)
    return 500, "ficlens could not build this page (see the server's log)."


def create_app(library_path: str, *, trusted_hosts: list[str] | None = None) -> Flask:
    """The app for one library file, opened read-only on every request."""
    Library(library_path, readonly=True).close()  # fail now, with one line, if it is not a library
    app = _App(__name__)
    app.url_map.converters.update(hex=HexId, slug=Slug, chartformat=ChartFormat)
    app.config.update(TRUSTED_HOSTS=trusted_hosts)
    app.jinja_env.globals["display_title"] = display_title

    @app.before_request
    def _bind_library():
        g.library_path = library_path

    @app.teardown_request
    def _close_library(exc):
        lib = g.pop("library", None)
        if lib is not None:
            lib.close()

    for pattern, endpoint, view, section in PAGES:
        app.add_url_rule(pattern, endpoint, _page(view, section, False), methods=["GET"])
        app.add_url_rule(JSON_TWIN.get(pattern, pattern + ".json"), endpoint + "_json", _page(view, section, True),
                         methods=["GET"])
    for pattern, endpoint, charts_of in CHARTS:
        app.add_url_rule(pattern, endpoint, _chart(charts_of), methods=["GET"])
    for pattern, endpoint, view in PARTS:
        app.add_url_rule(pattern, endpoint, view, methods=["GET"])

    @app.errorhandler(Exception)
    def _error(exc: Exception):
        status, message = _status(exc)
        if status >= 500 and not isinstance(exc, (HTTPException, LibraryError)):
            app.logger.exception("error while serving %s", request.path)
        reason = _reason(status)
        if request.path.endswith(".json"):
            response = jsonify({"ok": False, "status": status, "error": message})
        elif request.url_rule is None and status == 400:  # refused before routing (a foreign Host name)
            response = Response(f"{status} {reason}: {message}", mimetype="text/plain")
        else:
            response = Response(render_template("error.html", status=status, reason=reason, message=message,
                                                section=None, json_url=None), mimetype="text/html")
        response.status_code = status
        return response

    @app.after_request
    def _headers(response: Response):
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    return app


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _vega_bundle():
    code, etag = vega.bundle()
    response = Response(code, mimetype="text/javascript")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)


PARTS = [
    # (URL pattern, endpoint, view) of what pages fetch for themselves
    ("/work/<hex:work_id>/story/<int:chunk>", "work_chunk", _work_chunk),
    ("/static/vendor/vega.js", "vega_bundle", _vega_bundle),
]


def trusted_hosts_for(host: str) -> list[str] | None:
    """Bound to loopback, answer only to loopback names: a web page cannot rebind its DNS to read the library."""
    return list(LOOPBACK) if host in LOOPBACK else None

