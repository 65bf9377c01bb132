"""A stored work (`Library.work(key)`) turned back into the shared document model.

The page code renders `Analysis` objects, the same ones the pipeline produces, so a work looks the
same whether it came from the library or straight from `analyze`.
"""

from __future__ import annotations

from ..model import Analysis, Chapter, Character, Metadata, Narration, Note, Paragraph, Quote, Work

_META_FIELDS = {
    "title": "title", "authors": "authors", "fandoms": "fandoms", "relationships": "relationships",
    "characters_tagged": "characters", "tags": "tags", "rating": "rating", "warnings": "warnings",
    "categories": "categories", "language": "language", "series": "series", "published": "published",
    "updated": "updated", "summary": "summary", "url": "url", "publisher": "publisher",
}


def _pov(value):
    """Stored paragraph POV is one name or names joined by "; "; the model keeps a list."""
    if not value:
        return []
    return value if isinstance(value, list) else [v.strip() for v in str(value).split(";") if v.strip()]


def analysis(doc: dict) -> Analysis:
    """The Analysis behind a stored work; `doc` is what `Library.work` returns."""
    meta = Metadata(**{field: doc[key] for key, field in _META_FIELDS.items() if doc.get(key) is not None})
    paragraphs = doc.get("paragraphs", [])
    work = Work(
        source=doc["source"],
        format=doc.get("format") or "text",
        text=doc["text"],
        chapters=[Chapter(c.get("title"), c["start"], c["end"]) for c in doc.get("chapters", [])],
        paragraphs=[Paragraph(p["start"], p["end"], p.get("chapter") or 0, p.get("kind") or "text") for p in paragraphs],
        notes=[Note(n["kind"], n["text"], n["start"], n["end"], n.get("chapter")) for n in doc.get("notes", [])],
        meta=meta,
    )
    told = doc.get("narration") or {}
    narration = Narration(
        person=told.get("person"),
        tense=told.get("tense"),
        pov=list(told.get("pov") or []),
        chapters=list(told.get("chapters") or []),
        scenes=list(told.get("scenes") or []),
        paragraphs=[
            {"paragraph": p["paragraph"], "start": p["start"], "end": p["end"], "tense": p.get("tense"),
             "pov": _pov(p.get("pov"))}
            for p in paragraphs
            if p.get("kind", "text") == "text" and (p.get("tense") or p.get("pov"))
        ],
    )
    people = [
        Character(c["id"], c["name"], list(c.get("aliases") or []), c.get("mentions", 0), c.get("quotes", 0),
                  c.get("gender"))
        for c in doc.get("characters", [])
    ]
    quotes = [
        Quote(q["start"], q["end"], q["text"], q.get("kind") or "speech", q.get("speaker"), q.get("addressee"),
              float(q.get("confidence") or 0.0), q.get("method"))
        for q in doc.get("quotes", [])
    ]
    return Analysis(work=work, characters=people, quotes=quotes, narration=narration,
                    ships=[list(s) for s in doc.get("ships", [])], versions=dict(doc.get("versions") or {}))
