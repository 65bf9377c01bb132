"""Dialogue a reader stumbles on: unbalanced quote marks, long untagged runs, self-addressed names."""

from __future__ import annotations

import re

from ..model import Character, Quote, Work
from .findings import Finding, Locator, make

_OPEN, _CLOSE = "“", "”"
_STRAIGHT = '"'
_UNTAGGED_RUN = 4  # lines of dialogue in a row without a tag before the speaker may be lost
_LOW_CONFIDENCE = 0.6


def _line_span(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The sentence-ish stretch around `pos`: from the previous sentence end to the next, within the paragraph."""
    left = max(text.rfind(". ", start, pos), text.rfind("! ", start, pos), text.rfind("? ", start, pos))
    left = start if left < 0 else left + 2
    m = re.compile(r"[.!?…][”\"]?(?=\s|$)").search(text, pos + 1, end)
    right = end if m is None else m.end()
    return left, right


def quote_mark_findings(work: Work, *, locate: Locator) -> list[Finding]:
    """Curly marks out of order or left open, and odd counts of straight marks, paragraph by paragraph.

    A paragraph of speech left open is fine when the next paragraph opens again (the convention for a
    speech running over several paragraphs).
    """
    text = work.text
    out = []
    paragraphs = list(work.story_paragraphs())
    for n, (i, p) in enumerate(paragraphs):
        body = text[p.start:p.end]
        next_opens = n + 1 < len(paragraphs) and text[paragraphs[n + 1][1].start:paragraphs[n + 1][1].end].lstrip()[:1] in (_OPEN, _STRAIGHT)
        depth = 0
        open_at = None
        last_close = -1
        for k, ch in enumerate(body):
            if ch == _OPEN:
                if depth == 1 and open_at is not None:
                    pos = p.start + open_at
                    out.append(make("dialogue", pos, pos + 1, _line_span(text, p.start, p.end, pos),
                                    "opening quote mark never closed before the next one opens", text=text, locate=locate))
                depth, open_at = 1, k
            elif ch == _CLOSE:
                if depth == 0 and not (k + 1 < len(body) and body[k + 1].isalpha()):
                    pos = p.start + k
                    begin = p.start + last_close + 1
                    while begin < pos and text[begin].isspace():
                        begin += 1
                    out.append(make("dialogue", begin, pos + 1, (begin, pos + 1),
                                    "closing quote mark without an opening one: the line's opening mark is missing",
                                    text=text, locate=locate))
                depth, open_at = 0, None
                last_close = k
        if depth == 1 and open_at is not None and not next_opens:
            pos = p.start + open_at
            out.append(make("dialogue", pos, pos + 1, _line_span(text, p.start, p.end, pos),
                            "quote mark opened and never closed", text=text, locate=locate))
        straight = [k for k, ch in enumerate(body) if ch == _STRAIGHT]
        if len(straight) % 2 == 1 and not (body.lstrip().startswith(_STRAIGHT) and next_opens):
            pos = p.start + straight[-1]
            out.append(make("dialogue", pos, pos + 1, _line_span(text, p.start, p.end, pos),
                            "odd number of straight quote marks in this paragraph", text=text, locate=locate))
    return out


def untagged_run_findings(work: Work, quotes: list[Quote], *, locate: Locator) -> list[Finding]:
    """Runs of speech with no tag, long enough that ficlens' own attribution confidence drops."""
    text = work.text
    speech = [q for q in quotes if q.kind == "speech"]
    out = []
    run: list[Quote] = []
    last_paragraph = None

    def flush():
        paragraphs = {q.paragraph for q in run}
        if len(paragraphs) >= _UNTAGGED_RUN:
            weakest = min(run, key=lambda q: q.confidence)
            if weakest.confidence < _LOW_CONFIDENCE:
                who = f"ficlens guesses {weakest.speaker}" if weakest.speaker else "ficlens cannot tell who speaks"
                out.append(make(
                    "dialogue", weakest.start, weakest.end, (weakest.start, weakest.end),
                    f"{len(paragraphs)} lines of dialogue in a row without a speech tag; {who} "
                    f"(confidence {weakest.confidence:.2f})", text=text, locate=locate))

    if not any(q.method for q in speech):
        return []  # no speaker attribution to judge by
    for q in speech:
        untagged = q.method == "implicit"
        adjacent = last_paragraph is None or q.paragraph is None or q.paragraph - last_paragraph <= 1
        if untagged and adjacent:
            run.append(q)
        else:
            flush()
            run = [q] if untagged else []
        last_paragraph = q.paragraph
    flush()
    return out


def self_address_findings(work: Work, quotes: list[Quote], people: list[Character], *, locate: Locator) -> list[Finding]:
    """A speaker calling themself by name ("Clarke, wait," Clarke said): usually a wrong tag."""
    text = work.text
    by_name = {c.name: c for c in people}
    out = []
    for q in quotes:
        if q.kind != "speech" or q.method != "explicit" or q.speaker not in by_name:
            continue
        c = by_name[q.speaker]
        names = sorted({c.name, *c.aliases, c.name.split()[0]}, key=len, reverse=True)
        for n in names:
            m = re.search(r"(?:^|,\s*)" + re.escape(n) + r"(?=\s*[,.!?]|$)", q.text)
            if m:
                start = q.start + m.start() + len(m.group()) - len(n)
                out.append(make("dialogue", start, start + len(n), (q.start, q.end),
                                f"{q.speaker} is tagged as the speaker but is addressed by name in the line",
                                text=text, locate=locate))
                break
    return out
