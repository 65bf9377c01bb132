"""Search input made safe: the user's query rewritten as an FTS5 expression, filters as bound SQL.

A reader types `"may we meet again" Bellamy OR Clarke NOT wedding leav*`; FTS5 would reject
barewords such as `don't` or `Clarke's`, so every word and phrase is re-quoted here and only
the operators (AND, OR, NOT, parentheses, `*` for a prefix, `title:` for a column) pass through.
Whatever the user types ends up as one bound parameter of MATCH, never as SQL text.

Filters are matched against every name a character goes by, case-insensitively: `--pov Bellamy`
finds works told by "Bellamy Blake", `--ship Clarke/Bellamy` finds "Bellamy Blake/Clarke Griffin".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields

from ..errors import LibraryError

COLUMNS = ("story", "title", "summary", "notes", "tags")
TENSES = ("past", "present")
PERSONS = ("first", "second", "third")
SORTS = ("rank", "title", "words", "-words", "published", "-published", "added")

# AO3's ratings, and the short forms readers type for them.
RATINGS = {
    "g": "general", "general": "general", "general audiences": "general",
    "t": "teen", "teen": "teen", "teen and up": "teen", "teen and up audiences": "teen",
    "m": "mature", "mature": "mature",
    "e": "explicit", "explicit": "explicit",
    "nr": "not rated", "not rated": "not rated", "unrated": "not rated",
}

_TOKEN = re.compile(
    r"""\s+
      | (?P<open>\()
      | (?P<close>\))
      | (?:(?P<column>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"(?P<phrase_star>\*)?|(?P<word>[^\s()"]+))
    """,
    re.VERBOSE,
)
_OPERATORS = {"AND", "OR", "NOT"}
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ′", "'"))
_WORD = re.compile(r"[^\W_]+")  # a token as FTS5's unicode61 tokenizer cuts them


class QueryError(LibraryError):
    """A search the user wrote wrongly (bad query syntax, unknown filter value): a usage error."""


def norm(name: str) -> str:
    """The form names and tags are compared in: NFKC, curly apostrophes straight, case-folded,
    spaces collapsed, so "D'Artagnan" finds the "D’Artagnan" of a story's text."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold().split())


def base_form(tag: str) -> str:
    """A tag without AO3's disambiguation: "The 100 (TV)" -> "the 100"."""
    return norm(re.sub(r"\s*\([^)]*\)\s*$", "", tag).removesuffix(" - All Media Types"))


def rating_code(rating: str | None) -> str | None:
    if rating is None:
        return None
    key = norm(rating)
    return RATINGS.get(key, key)


def name_forms(name: str, aliases: list[str] = ()) -> set[str]:
    """Every normalised form a character can be looked up by: full name, aliases, each part of the name."""
    forms = {norm(name)} | {norm(a) for a in aliases}
    forms |= {norm(part) for part in re.split(r"[\s.]+", name) if len(part) > 1 and part[:1].isupper()}
    return {f for f in forms if f}


def fts_query(query: str, *, near: bool = False) -> str:
    """Rewrite a reader's query as an FTS5 expression in which every term is a quoted string.

    >>> fts_query('"may we meet" Clarke\\'s OR leav* NOT title:wedding')
    '"may we meet" "Clarke\\'s" OR "leav"* NOT title : "wedding"'

    `near=True` gives the expression a phrase query is scored by (see `near_group`).
    """
    out: list[str] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            raise QueryError(f"search query {query!r}: unbalanced quote mark")
        pos = m.end()
        if m["open"]:
            out.append("(")
        elif m["close"]:
            out.append(")")
        elif m["phrase"] is not None or m["word"] is not None:
            column = m["column"]
            if column and column.lower() not in COLUMNS:
                raise QueryError(
                    f"search query {query!r}: unknown field {column!r} (fields: {', '.join(COLUMNS)})"
                )
            if m["word"] in _OPERATORS and not column:
                out.append(m["word"])
                continue
            text, star = (m["phrase"], m["phrase_star"]) if m["phrase"] is not None else _split_star(m["word"])
            if not text.strip():
                continue
            term = near_group(text, star) if near else _quoted(text) + ("*" if star else "")
            out.append(f"{column.lower()} : {term}" if column else term)
    return " ".join(out)


def near_group(text: str, star: bool = False) -> str:
    """A phrase as a NEAR group of its words, each next to the others in any order.

    FTS5's BM25 weighs a phrase by how many works contain it and counts them by checking word
    positions in every work of the library; a NEAR group is weighed by its words' counts instead,
    which FTS5 reads straight from its index, as Lucene scores phrases. Its frequency in a work is
    still that of the words side by side, so a work saying "i love you" ten times ranks first.

    >>> near_group("i don't know")
    'NEAR("i" "don" "t" "know", 2)'
    """
    words = _WORD.findall(text)
    if len(words) < 2:
        return _quoted(text) + ("*" if star else "")
    terms = [_quoted(w) for w in words]
    terms[-1] += "*" if star else ""
    return f"NEAR({' '.join(terms)}, {len(words) - 2})"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _split_star(word: str) -> tuple[str, bool]:
    return (word[:-1], True) if word.endswith("*") and len(word) > 1 else (word, False)


@dataclass
class Filters:
    """What a search is narrowed to. List-valued filters take one value or several (all must hold)."""

    pov: str | list[str] | None = None
    tense: str | None = None
    person: str | None = None
    character: str | list[str] | None = None
    ship: str | list[str] | None = None
    fandom: str | list[str] | None = None
    words_min: int | None = None
    words_max: int | None = None
    rating: str | None = None
    tag: str | list[str] | None = None
    speaker: str | None = None

    @classmethod
    def of(cls, value: Filters | dict | None) -> Filters:
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        known = {f.name for f in fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise QueryError(f"unknown search filter(s): {', '.join(sorted(unknown))}")
        return cls(**{k: v for k, v in value.items() if v not in (None, "", [], ())})

    def active(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "", [], ())}


def _values(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def facet_token(kind: str, *values: str) -> str:
    """The one word a filter value is indexed as in the FTS table's hidden `facets` column.

    ("pov", "Bellamy Blake") -> "xpovbellamyblake". A search with filters asks FTS5 for these
    words too, so it intersects its index with the few works a filter keeps instead of checking a
    phrase in every work; the SQL conditions still decide, so two values that differ only in
    punctuation ("O'Brien", "OBrien") share a word and cost a little time, never a result.
    """
    return "x" + kind + "x".join("".join(ch for ch in norm(v) if ch.isalnum()) for v in values)


def where(filters: Filters) -> tuple[list[str], list, list[str]]:
    """SQL conditions over the works table (aliased `w`), their parameters in order, and the
    facet words (see `facet_token`) every work they keep has."""
    sql: list[str] = []
    params: list = []
    facets: list[str] = []
    # Tense, person and rating split a library into a few large parts: their indexes would make SQLite
    # fetch half the library and sort it, where a newest-first scan stops at the first page ("+" = no index).
    if filters.tense:
        if filters.tense not in TENSES:
            raise QueryError(f"tense must be one of {', '.join(TENSES)}, not {filters.tense!r}")
        sql.append("+w.tense = ?")
        params.append(filters.tense)
        facets.append(facet_token("tense", filters.tense))
    if filters.person:
        if filters.person not in PERSONS:
            raise QueryError(f"person must be one of {', '.join(PERSONS)}, not {filters.person!r}")
        sql.append("+w.person = ?")
        params.append(filters.person)
        facets.append(facet_token("person", filters.person))
    if filters.words_min is not None:
        sql.append("w.words >= ?")
        params.append(int(filters.words_min))
    if filters.words_max is not None:
        sql.append("w.words <= ?")
        params.append(int(filters.words_max))
    if filters.rating:
        sql.append("+w.rating_code = ?")
        params.append(rating_code(filters.rating))
        facets.append(facet_token("rating", rating_code(filters.rating)))
    # Each name or tag filter is one uncorrelated set of work ids, found through an index once.
    for name in _values(filters.pov):
        sql.append("w.id IN (SELECT work_id FROM pov_names WHERE name_norm = ?)")
        params.append(norm(name))
        facets.append(facet_token("pov", name))
    for name in _values(filters.character):
        sql.append("w.id IN (SELECT n.work_id FROM names n WHERE n.name_norm = ? AND n.character_id IS NOT NULL)")
        params.append(norm(name))
        facets.append(facet_token("character", name))
    for ship in _values(filters.ship):
        a, b = _ship_pair(ship)
        sql.append("w.id IN (SELECT work_id FROM ship_names WHERE a = ? AND b = ?)")
        params += [norm(a), norm(b)]
        facets.append(facet_token("ship", a, b))
    for fandom in _values(filters.fandom):
        # a UNION, not an OR: SQLite answers each half from its own index (tags_value, tags_base)
        sql.append("w.id IN (SELECT work_id FROM tags WHERE value_norm = ? AND kind = 'fandom'"
                   " UNION SELECT work_id FROM tags WHERE base_norm = ? AND kind = 'fandom')")
        params += [norm(fandom), norm(fandom)]
        facets.append(facet_token("fandom", fandom))
    for tag in _values(filters.tag):
        sql.append("w.id IN (SELECT work_id FROM tags WHERE value_norm = ? UNION SELECT work_id FROM tags WHERE base_norm = ?)")
        params += [norm(tag), norm(tag)]
        facets.append(facet_token("tag", tag))
    if filters.speaker:
        sql.append(
            "w.id IN (SELECT q.work_id FROM names n JOIN quotes q ON q.work_id = n.work_id AND q.speaker = n.label"
            " WHERE n.name_norm = ?)"
        )
        params.append(norm(filters.speaker))
    return sql, params, facets


def _ship_pair(ship: str) -> tuple[str, str]:
    parts = [p.strip() for p in re.split(r"\s*[/&]\s*|\s+x\s+", ship) if p.strip()]
    if len(parts) != 2:
        raise QueryError(f"ship {ship!r}: give two names as A/B")
    return parts[0], parts[1]
