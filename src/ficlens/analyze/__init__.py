"""The analysis pipeline: small pure stages over one Work, in order.

Each stage is a function of the Work and the annotations of the stages before it; none does I/O.
`STAGES` names every stage with its version, recorded with each stored result so a library knows
what to recompute after an upgrade.
"""

from __future__ import annotations

from ..model import Analysis, Work
from . import characters, narration, quotes, ships, speakers

STAGES = {
    "quotes": quotes.VERSION,
    "characters": characters.VERSION,
    "speakers": speakers.VERSION,
    "narration": narration.VERSION,
    "ships": ships.VERSION,
}


def analyze(work: Work, *, cast: list[dict] | None = None) -> Analysis:
    """Run every stage on `work`; `cast` is a known character list (see `ficlens analyze --cast`)."""
    found = quotes.find(work)
    people, mentions = characters.find(work, found, cast=cast)
    attributed = speakers.attribute(work, found, people, mentions)
    people = characters.count_quotes(people, attributed)
    told = narration.describe(work, attributed, people, mentions, genders_given=cast is not None)
    pairs = ships.infer(work, people, attributed, mentions)
    return Analysis(
        work=work,
        characters=people,
        mentions=mentions,
        quotes=attributed,
        narration=told,
        ships=pairs,
        versions=dict(STAGES),
        cast=cast,
    )
