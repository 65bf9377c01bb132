"""A finding of `ficlens check`: what kind, where in the file, the sentence, and why."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

KINDS = ("tense", "pov", "dialogue", "name")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    start: int  # offsets into Work.text of the words the finding points at
    end: int
    line: int  # 1-based, in the file's text
    column: int  # 1-based
    text: str  # the sentence (or line) it is in
    message: str

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "line": self.line, "column": self.column, "start": self.start,
            "end": self.end, "text": self.text, "message": self.message,
        }


class Locator:
    """Line and column (both 1-based) of an offset; a "\\r\\n" ends one line, as an editor shows it."""

    def __init__(self, text: str):
        self._starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n" or (ch == "\r" and text[i + 1:i + 2] != "\n"):
                self._starts.append(i + 1)

    def __call__(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self._starts, offset) - 1
        return k + 1, offset - self._starts[k] + 1


def make(kind: str, start: int, end: int, sentence: tuple[int, int], message: str, *, text: str,
         locate: Locator) -> Finding:
    line, column = locate(start)
    return Finding(kind, start, end, line, column, " ".join(text[sentence[0]:sentence[1]].split()), message)
