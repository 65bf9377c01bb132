"""The library page: search, facets with counts, sorted results with highlighted snippets.

The query and filters mean exactly what they mean to `ficlens search`: they go to
`Library.search`/`count`/`facets` unchanged. Facet values become links that add or remove one
filter, so the page works without JavaScript and every state has a shareable URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from ..corpus import store
from ..corpus.store import Library

PAGE_SIZE = 20
# Private-use characters: they never meet the page unescaped, and become <mark> only after escaping.
MARK = ("\ue000", "\ue001")
MULTI = ("fandom", "ship", "character", "pov")
SINGLE = ("person", "tense", "rating", "length", "speaker")
FACET_TITLES = {
    "fandom": "Fandom", "ship": "Ship", "character": "Character", "pov": "Point of view",
    "person": "Person", "tense": "Tense", "rating": "Rating", "length": "Length", "speaker": "Spoken by",
}
SORT_TITLES = {
    "rank": "best match", "title": "title", "-words": "longest", "words": "shortest",
    "-published": "newest", "published": "oldest", "added": "recently added",
}


def _lengths() -> dict[str, tuple[int, int | None]]:
    """Length facet label -> (fewest words, word limit or None), from the library's buckets."""
    out, lower = {}, 0
    for limit, label in store.LENGTH_BUCKETS:
        out[label] = (lower, limit)
        lower = limit
    return out


LENGTHS = _lengths()


@dataclass
class Search:
    query: str = ""
    chosen: dict[str, list[str]] = field(default_factory=dict)  # facet -> values, as in the URL
    sort: str = "rank"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> Search:
        chosen = {}
        for name in MULTI:
            values = [v for v in args.getlist(name) if v.strip()]
            if values:
                chosen[name] = list(dict.fromkeys(values))
        for name in SINGLE:
            value = args.get(name, "").strip()
            if value:
                chosen[name] = [value]
        if "length" in chosen and chosen["length"][0] not in LENGTHS:
            raise BadRequest(f"length must be one of: {', '.join(LENGTHS)}")
        query = args.get("q", "").strip()
        sort = args.get("sort") or ("rank" if query else "title")
        if sort not in SORT_TITLES:
            raise BadRequest(f"sort must be one of: {', '.join(SORT_TITLES)}")
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            raise BadRequest("page must be a number") from None
        return cls(query=query, chosen=chosen, sort=sort, page=page)

    def filters(self) -> dict:
        """The chosen facets as `Library.search` filters."""
        out: dict = {}
        for name, values in self.chosen.items():
            if name == "length":
                lower, limit = LENGTHS[values[0]]
                out["words_min"] = lower or None
                out["words_max"] = None if limit is None else limit - 1
            elif name in MULTI:
                out[name] = values
            else:
                out[name] = values[0]
        return {k: v for k, v in out.items() if v is not None}

    def url(self, **changes) -> str:
        """This search's URL with some parameters changed (a list value replaces that facet's values)."""
        params: list[tuple[str, str]] = []
        state = {"q": self.query, **{k: list(v) for k, v in self.chosen.items()}, "sort": self.sort}
        state.update(changes)
        for key, value in state.items():
            for v in value if isinstance(value, list) else [value]:
                if v not in (None, ""):
                    params.append((key, str(v)))
        default_sort = "rank" if state.get("q") else "title"
        params = [(k, v) for k, v in params if not (k == "sort" and v == default_sort)]
        return "?" + urlencode(params) if params else "?"

    def toggled(self, facet: str, value: str) -> str:
        current = self.chosen.get(facet, [])
        if value in current:
            values = [v for v in current if v != value]
        elif facet in MULTI:
            values = current + [value]
        else:
            values = [value]
        return self.url(**{facet: values, "page": None})


def highlight(snippet: str) -> Markup:
    """Escape a snippet, then turn the search's own markers (and only those) into <mark>."""
    safe = str(escape(snippet))
    return Markup(safe.replace(MARK[0], "<mark>").replace(MARK[1], "</mark>"))


def plain(snippet: str) -> str:
    return snippet.replace(MARK[0], "").replace(MARK[1], "")


def linkable(facet: str, value: str) -> bool:
    """Ship filters take two names (A/B); a threesome's facet row is shown without a link."""
    return facet != "ship" or value.count("/") == 1


def build(lib: Library, search: Search) -> tuple[dict, dict]:
    """(JSON twin, extra HTML context) for one search."""
    filters = search.filters()
    offset = (search.page - 1) * PAGE_SIZE
    results = lib.search(search.query or None, filters=filters, limit=PAGE_SIZE, offset=offset,
                         sort=search.sort, mark=MARK)
    total = lib.count(search.query or None, filters=filters)
    facets = lib.facets(search.query or None, filters=filters)
    data = {
        "query": search.query,
        "filters": search.chosen,
        "sort": search.sort,
        "page": search.page,
        "page_size": PAGE_SIZE,
        "count": total,
        "results": [{**r, "snippet": plain(r.get("snippet") or "")} for r in results],
        "facets": {name: [{"value": v, "works": n} for v, n in facets.get(name, [])]
                   for name in FACET_TITLES if name != "speaker"},
    }
    html = {
        "search": search,
        "snippets": {r["id"]: highlight(r.get("snippet") or "") for r in results},
        "facet_titles": FACET_TITLES,
        "sort_titles": {k: v for k, v in SORT_TITLES.items() if k != "rank" or search.query},
        "linkable": linkable,
        "pages": (total + PAGE_SIZE - 1) // PAGE_SIZE,
    }
    return data, html
