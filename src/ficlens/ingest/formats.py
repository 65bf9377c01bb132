"""Which format a file is in, judged by its content, never by its name.

`detect(data)` names the format or raises `UnsupportedFormat` saying what the file is instead
(a MOBI, a PDF, an image, a zip that is not an EPUB ...); `read(source, data, fmt)` hands the bytes
to the reader of that format. `ingest.read` turns `UnsupportedFormat` into an InputError.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

from ..model import Work
from . import decode

FORMATS = ("epub", "ao3-html", "fff-html", "html", "fff-txt", "text")

_SNIFF_BYTES = 64 * 1024
_CONVERT = "not supported, convert to EPUB (e.g. with Calibre)"


class UnsupportedFormat(Exception):
    """The file is not a story ficlens can read; `problem` is the one-line reason."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


# (magic bytes, offset, what the file is)
_MAGIC = (
    (b"%PDF-", 0, f"PDF document: {_CONVERT}"),
    (b"BOOKMOBI", 60, f"MOBI/AZW3 e-book: {_CONVERT}"),
    (b"TEXtREAd", 60, f"PalmDOC e-book: {_CONVERT}"),
    (b"TPZ", 0, f"Topaz (AZW) e-book: {_CONVERT}"),
    (b"\xeaDRMION\xee", 0, f"KFX e-book (Kindle): {_CONVERT}"),
    (b"CONT\x02\x00", 0, f"KFX e-book (Kindle): {_CONVERT}"),
    (b"ITOLITLS", 0, f"Microsoft LIT e-book: {_CONVERT}"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image, not a story"),
    (b"\xff\xd8\xff", 0, "JPEG image, not a story"),
    (b"GIF87a", 0, "GIF image, not a story"),
    (b"GIF89a", 0, "GIF image, not a story"),
    (b"II*\x00", 0, "TIFF image, not a story"),
    (b"MM\x00*", 0, "TIFF image, not a story"),
    (b"\x1f\x8b", 0, "gzip archive, not a story (unpack it first)"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive, not a story (unpack it first)"),
    (b"Rar!\x1a\x07", 0, "RAR archive, not a story (unpack it first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "old Microsoft Office document, not supported: save it as text or EPUB"),
    (b"{\\rtf", 0, "RTF document, not supported: save it as text or EPUB"),
    (b"\x7fELF", 0, "executable program, not a story"),
    (b"MZ", 0, "Windows program, not a story"),
    (b"ID3", 0, "MP3 audio, not a story"),
    (b"OggS", 0, "Ogg audio, not a story"),
    (b"SQLite format 3\x00", 0, "SQLite database, not a story"),
)
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_RIFF = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body)",
    re.I | re.S,
)
_FB2 = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<FictionBook\b", re.S)
_HTML_FRAGMENT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(?:p|div|h[1-6]|center|blockquote|span|b|i|em|strong)\b", re.I)
_HTML_BLOCK_TAG = re.compile(rb"</p\s*>|<br\s*/?>|</div\s*>", re.I)
_AO3_HTML = re.compile(rb"<div\s[^>]*id=[\"']?preface[\"'\s>]", re.I)  # a download; a saved work page has none
_AO3_SIGN = re.compile(rb"Archive of Our Own|class=[\"']?tags[\"'\s>]", re.I)
_FFF_HTML = re.compile(rb"<h1>\s*<a\s+href=[^>]*>.*?</a>\s*by\b", re.I | re.S)
_FFF_HTML_TABLE = re.compile(rb"<table\s+class=[\"']?full|<a\s+name=[\"']?section\d{4}", re.I)
_FFF_TXT_TOC = re.compile(rb"^\s*TABLE OF CONTENTS\s*$", re.M)
_FFF_TXT_END = re.compile(rb"(?:^|\n)End file\.[ \t]*\r?\n?\s*\Z")


def detect(data: bytes) -> str:
    """Name the format of `data`, one of FORMATS, or raise UnsupportedFormat."""
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _detect_zip(data)
    for magic, offset, problem in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            if magic == b"MZ" and not _is_binary(head):
                continue
            raise UnsupportedFormat(problem)
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        raise UnsupportedFormat(f"{_RIFF[head[8:12]]}, not a story")
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):  # UTF-16/32 text: judge its content as UTF-8; the readers decode it themselves
            return _detect_text(data.decode(codec, errors="ignore").encode("utf-8"))
    if b"\x00" in head:
        try:  # UTF-16 that lost its byte-order mark, or binary
            return _detect_text(decode.utf16_without_bom(data).encode("utf-8"))
        except decode.NotText:
            raise UnsupportedFormat("binary file, not text, HTML or EPUB") from None
    if _is_binary(head):
        raise UnsupportedFormat("binary file, not text, HTML or EPUB")
    return _detect_text(data)


def _detect_text(data: bytes) -> str:
    head = data[:_SNIFF_BYTES]
    if _FB2.match(head):
        raise UnsupportedFormat(f"FictionBook (FB2) e-book: {_CONVERT}")
    if _HTML_START.match(head) or (_HTML_FRAGMENT.match(head) and _HTML_BLOCK_TAG.search(head)):
        if _AO3_HTML.search(head) and _AO3_SIGN.search(head):
            return "ao3-html"
        if _FFF_HTML.search(head) and _FFF_HTML_TABLE.search(data):
            return "fff-html"
        return "html"
    if _FFF_TXT_TOC.search(head) and _FFF_TXT_END.search(data[-256:]):
        return "fff-txt"
    return "text"


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _is_binary(head: bytes) -> bool:
    """NUL bytes, or many control characters, mean the bytes are not text in any 8-bit encoding."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    return len(head) - len(head.translate(None, _CONTROL_BYTES)) > 0.05 * len(head)


def _detect_zip(data: bytes) -> str:
    if data[30:38] == b"mimetype" and data[38:58].startswith(b"application/epub+zip"):
        return "epub"  # the EPUB signature; a damaged EPUB is then reported by the EPUB reader
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsupportedFormat("corrupt zip archive, not an EPUB") from None
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        raise UnsupportedFormat("OpenDocument file (.odt), not supported: save it as text or EPUB")
    if "META-INF/container.xml" in names or "mimetype" in names:
        return "epub"
    if "word/document.xml" in names:
        raise UnsupportedFormat("Word document (.docx), not supported: save it as text or EPUB")
    raise UnsupportedFormat("zip archive that is not an EPUB (no META-INF/container.xml)")


def read(source: str, data: bytes, fmt: str) -> Work:
    """Read `data` as `fmt` (a name from FORMATS); raises UnsupportedFormat for unreadable content."""
    try:
        return reader(fmt)(source, data)
    except RecursionError:
        raise UnsupportedFormat("markup nested too deeply to be a story") from None


def reader(fmt: str):
    """The function `(source, data) -> Work` that reads `fmt`."""
    from . import ao3, epub, fanficfare, html, text

    return {
        "epub": epub.read,
        "ao3-html": ao3.read_html,
        "fff-html": fanficfare.read_html,
        "html": html.read,
        "fff-txt": fanficfare.read_txt,
        "text": text.read,
    }[fmt]
