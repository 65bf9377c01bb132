"""Plain text and Markdown (interim version: UTF-8, paragraphs split at blank lines or line ends)."""

from __future__ import annotations

import re

from ..model import Chapter, Metadata, Paragraph, Work

_LINE = re.compile(r"[^\r\n]+")


def read(source: str, data: bytes) -> Work:
    content = data.decode("utf-8-sig", errors="replace")
    paragraphs = [Paragraph(m.start(), m.end()) for m in _LINE.finditer(content) if m.group().strip()]
    return Work(
        source=source,
        format="text",
        text=content,
        chapters=[Chapter(title=None, start=0, end=len(content))],
        paragraphs=paragraphs,
        meta=Metadata(),
    )
