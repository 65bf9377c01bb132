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


_SPAN = 15  # paragraphs a quotation may run over (a letter, a verse, text wrapped into lines)


def quote_mark_findings(work: Work, *, locate: Locator) -> list[Finding]:
    """Curly marks out of order or left open, and odd counts of straight marks, paragraph by paragraph.

    A quotation may run over several paragraphs: left open in one, closed in a later one (with or
    without the convention of reopening each paragraph). A mark is reported only when no paragraph
    within `_SPAN` completes it.
    """
    text = work.text
    out = []
    paragraphs = [p for _, p in work.story_paragraphs()]
    open_curly: tuple[int, int] | None = None  # (paragraph number, offset) of a quotation left open
    open_straight: tuple[int, int] | None = None

    def report(pos: int, p, message: str) -> None:
        out.append(make("dialogue", pos, pos + 1, _line_span(text, p.start, p.end, pos), message, text=text, locate=locate))

    for n, p in enumerate(paragraphs):
        body = text[p.start:p.end]
        if open_curly is not None and n - open_curly[0] > _SPAN:
            report(open_curly[1], paragraphs[open_curly[0]], "quote mark opened and never closed")
            open_curly = None
        if open_straight is not None and n - open_straight[0] > _SPAN:
            report(open_straight[1], paragraphs[open_straight[0]], "odd number of straight quote marks: one is never closed")
            open_straight = None
        depth = 1 if open_curly is not None else 0
        open_at = None
        last_close = -1
        for k, ch in enumerate(body):
            if ch == _OPEN:
                if depth == 1 and open_at is not None:
                    report(p.start + open_at, p, "opening quote mark never closed before the next one opens")
                depth, open_at = 1, k
                open_curly = None  # reopening a quotation continued from an earlier paragraph
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
                open_curly = None
                last_close = k
        if depth == 1 and open_at is not None:
            open_curly = (n, p.start + open_at)
        straight = [k for k, ch in enumerate(body) if ch == _STRAIGHT]
        if len(straight) % 2 == 1:
            if open_straight is not None:
                open_straight = None  # this one closes the quotation the earlier paragraph left open
            else:
                open_straight = (n, p.start + straight[-1])
        elif straight and open_straight is not None and body.lstrip().startswith(_STRAIGHT):
            open_straight = (n, p.start + straight[-1]) if body.rstrip()[-1:] != _STRAIGHT else None
    if open_curly is not None:
        report(open_curly[1], paragraphs[open_curly[0]], "quote mark opened and never closed")
    if open_straight is not None:
        report(open_straight[1], paragraphs[open_straight[0]], "odd number of straight quote marks: one is never closed")
    return sorted(out, key=lambda f: f.start)


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
