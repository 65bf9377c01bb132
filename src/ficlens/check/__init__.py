"""`ficlens check`: a writer's report on one story — tense drift, point-of-view slips, dialogue, names.

`check(analysis)` is pure: it reads an Analysis (the same one `ficlens analyze` makes) and returns
a Report of findings in file order plus the counts writers compare. Rendering lives in `render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analyze import narration
from ..model import Analysis
from .counts import count
from .dialogue import quote_mark_findings, self_address_findings, untagged_run_findings
from .drift import pov_findings, tense_findings
from .findings import KINDS, Finding, Locator
from .names import name_findings

__all__ = ["KINDS", "Finding", "Report", "check"]


@dataclass
class Report:
    source: str
    findings: list[Finding]
    counts: dict
    narration: dict = field(default_factory=dict)


def _name_words(analysis: Analysis) -> frozenset[str]:
    return frozenset(w.lower() for c in analysis.characters for n in (c.name, *c.aliases) for w in n.split())


def check(analysis: Analysis) -> Report:
    work = analysis.work
    text = work.text
    locate = Locator(text)
    story = narration.read_story(work, analysis.quotes, analysis.characters, genders_given=analysis.cast is not None)
    told = analysis.narration
    findings = [
        *tense_findings(story, told.tense, text=text, locate=locate, names=_name_words(analysis)),
        *pov_findings(story, told.scenes, text=text, locate=locate),
        *quote_mark_findings(work, locate=locate),
        *untagged_run_findings(work, analysis.quotes, locate=locate),
        *self_address_findings(work, analysis.quotes, analysis.characters, locate=locate),
        *name_findings(work, analysis.characters, locate=locate),
    ]
    findings.sort(key=lambda f: (f.start, KINDS.index(f.kind)))
    return Report(
        source=work.source,
        findings=findings,
        counts=count(work, analysis.quotes),
        narration={"person": told.person, "tense": told.tense, "pov": told.pov},
    )
