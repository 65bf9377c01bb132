"""Bytes to text the way users' files actually come: UTF-8 (with or without BOM), UTF-16/32 with a
BOM, Windows-1252 and other legacy code pages, and UTF-8 that was once mis-decoded (mojibake).

Line endings are never touched: offsets into plain text index the decoded file exactly as stored.
Mojibake repair (`Iâ€™m` → `I’m`) is the one change to the characters: to the whole file when all
of it was mis-decoded, else only to the lines that show the tell-tale pattern.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy
import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Single-byte code pages that charset-normalizer confuses with Windows-1252 on short English text
# (it often answers cp1250 for "café"): when the bytes are valid Windows-1252, that is what they are.
_WESTERN = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland",
    "mac_turkish", "cp437", "cp850", "cp858", "ascii",
}


def _mojibake_pattern() -> re.Pattern:
    """A UTF-8 lead byte followed by a continuation byte, both as Windows-1252/Latin-1 show them."""

    def shown(byte: int) -> str:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(byte)

    lead = "".join(shown(b) for b in range(0xC2, 0xF5))
    cont = "".join(shown(b) for b in range(0x80, 0xC0))
    return re.compile(f"[{re.escape(lead)}][{re.escape(cont)}]")


_MOJIBAKE = _mojibake_pattern()
_MOJIBAKE_LEADS = "ÂÃâÄÅÐÑ"  # how the commonest UTF-8 lead bytes look when mis-decoded: a cheap first test
_ASCII = bytes(range(128))


class NotText(ValueError):
    """The bytes are not text in any encoding ficlens knows (an image, an archive, ...)."""


def decode(data: bytes) -> str:
    """Decode a text file's bytes; a BOM is dropped, everything else (CRLF included) is kept."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return repair_mojibake(data[len(bom):].decode(encoding, errors="replace"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_mostly_utf8(data) or _decode_legacy(data)
    else:
        if "\x00" in text:
            text = utf16_without_bom(data)
    return repair_mojibake(text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252/Latin-1, only on the lines that show it (ftfy's encoding fixer only).

    A file mis-decoded as a whole round-trips in one step through ftfy's sloppy Windows-1252 codec
    (legitimate Latin-1 text such as "café" cannot: its bytes are not UTF-8); otherwise each line
    that shows the pattern is fixed on its own.
    """
    if text.isascii() or not any(c in text for c in _MOJIBAKE_LEADS) or not _MOJIBAKE.search(text):
        return text
    try:  # "â€" + U+FFFD is a right double quote whose last byte (0x9D) a strict decoder dropped
        return text.replace("â€\ufffd", "â€\x9d").encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        pass
    out = []
    for line in text.splitlines(keepends=True):
        if _MOJIBAKE.search(line):
            body = line.rstrip("\r\n")
            line = ftfy.fix_encoding(body) + line[len(body):]
        out.append(line)
    return "".join(out)


def _stray_bytes_as_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("ficlens-cp1252", _stray_bytes_as_cp1252)


def _decode_mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few Windows-1252 bytes pasted in (`didn\x92t` among `don’t`): more valid UTF-8
    sequences than invalid bytes. Pure Windows-1252 text has almost no valid UTF-8 sequences."""
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    valid = len(lossy) - len(lossy.encode("ascii", errors="ignore")) - bad
    if valid <= bad:
        return None
    return data.decode("utf-8", errors="ficlens-cp1252")


def _decode_legacy(data: bytes) -> str:
    if b"\x00" in data:
        return utf16_without_bom(data)
    if len(data.translate(None, _ASCII)) < 0.05 * len(data):
        try:  # English with a few curly quotes and accents: Windows-1252, without the slow detector
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise NotText("not text in any known encoding")
    if best.encoding in _WESTERN:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def utf16_without_bom(data: bytes) -> str:
    """UTF-16 text that lost its byte-order mark (raises NotText otherwise). Text with NUL bytes is UTF-16 only if every other byte is NUL (English-heavy text); else binary."""
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even_nul = sample[0::2].count(0) / half
    odd_nul = sample[1::2].count(0) / half
    if odd_nul > 0.3 and even_nul < 0.05:
        encoding = "utf-16-le"
    elif even_nul > 0.3 and odd_nul < 0.05:
        encoding = "utf-16-be"
    else:
        raise NotText("binary data, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise NotText("binary data, not text")
    if sum(1 for c in text[:2000] if c < " " and c not in "\r\n\t\f") > 5:
        raise NotText("binary data, not text")
    return text
