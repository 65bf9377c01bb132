"""EPUBs that are broken or hostile: each is refused with one line, before anything big is inflated."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from ficlens import ingest
from ficlens.errors import InputError
from ficlens.ingest import epub, formats
from ficlens.examples import paths

CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles>'
             "</container>")
OPF = ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
       '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Bomb</dc:title></metadata>'
       '<manifest><item id="c" href="chapter.xhtml" media-type="application/xhtml+xml"/></manifest>'
       '<spine><itemref idref="c"/></spine></package>')


def epub_with_chapter(write_chapter, *, container: str | None = CONTAINER, opf: str | None = OPF) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        if container is not None:
            z.writestr("META-INF/container.xml", container, zipfile.ZIP_DEFLATED)
        if opf is not None:
            z.writestr("content.opf", opf, zipfile.ZIP_DEFLATED)
        write_chapter(z)
    return buf.getvalue()


def zeros(megabytes: int):
    """A chapter of `megabytes` MB of zeros, streamed into the zip (small on disk, huge inflated)."""
    def write(z: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("chapter.xhtml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return write


def prose_chapter(z: zipfile.ZipFile) -> None:
    z.writestr("chapter.xhtml", "<html><body><p>" + "She went down to the water and waited. " * 20 + "</p></body></html>",
               zipfile.ZIP_DEFLATED)


def set_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for `name`, in its local header and central directory."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = out.find(signature)
        while pos != -1:
            length = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + name_at:pos + name_at + length]) == encoded:
                struct.pack_into("<I", out, pos + size_at, size)
            pos = out.find(signature, pos + 4)
    return bytes(out)


def refuse(tmp_path, data: bytes, name: str = "book.epub") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        ingest.read(str(path))
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return err.value.problem


def no_inflating(monkeypatch):
    """Fail the test if any member is inflated."""
    def forbidden(self, *args, **kwargs):
        raise AssertionError("a member was inflated before the EPUB was refused")
    monkeypatch.setattr(zipfile.ZipExtFile, "read", forbidden)


def test_zip_bomb_by_ratio_refused_before_inflating(tmp_path, monkeypatch):
    data = epub_with_chapter(zeros(24))
    assert len(data) < 200_000, "small on disk"
    no_inflating(monkeypatch)
    problem = refuse(tmp_path, data)
    assert "zip bomb" in problem and "chapter.xhtml" in problem and "limit 100x" in problem


def test_zip_bomb_by_declared_total_refused_before_inflating(tmp_path, monkeypatch):
    data = set_declared_size(epub_with_chapter(prose_chapter), "chapter.xhtml", 3_000_000_000)
    no_inflating(monkeypatch)
    problem = refuse(tmp_path, data)
    assert "zip bomb" in problem and "limit 200 MB" in problem


def test_member_inflating_past_what_it_declares_is_cut_off(tmp_path):
    """A central directory that understates a member's size: inflation stops at the declared size."""
    data = set_declared_size(epub_with_chapter(zeros(8)), "chapter.xhtml", 4096)
    assert refuse(tmp_path, data).startswith("corrupt EPUB")


@pytest.mark.parametrize("limit", ["MAX_MEMBER_BYTES", "MAX_READ_BYTES"])
def test_actual_inflation_is_capped(tmp_path, monkeypatch, limit):
    monkeypatch.setattr(epub, limit, 500)
    problem = refuse(tmp_path, epub_with_chapter(prose_chapter))
    assert "size limit" in problem and "zip bomb" in problem


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.05])
def test_truncated_epub(tmp_path, cut):
    data = open(paths()[4], "rb").read()
    assert refuse(tmp_path, data[:int(len(data) * cut)]).startswith("corrupt EPUB")


def test_damaged_member(tmp_path):
    data = bytearray(epub_with_chapter(prose_chapter))
    start = data.find(b"PK\x03\x04", data.find(b"chapter.xhtml") - 40)
    data[start + 60:start + 90] = b"\xff" * 30
    assert refuse(tmp_path, bytes(data)).startswith("corrupt EPUB")


def test_missing_container_and_package(tmp_path):
    data = epub_with_chapter(prose_chapter, container=None, opf=None)
    assert refuse(tmp_path, data) == "EPUB without a package file (no META-INF/container.xml and no .opf)"


def test_container_names_a_missing_package(tmp_path):
    data = epub_with_chapter(prose_chapter, opf=None)
    assert refuse(tmp_path, data) == "EPUB package file content.opf is missing"


def test_package_file_that_is_not_xml(tmp_path):
    data = epub_with_chapter(prose_chapter, opf="\x00\x01 this is not xml")
    assert refuse(tmp_path, data).startswith("corrupt EPUB: content.opf is not XML")


def test_epub_without_a_story(tmp_path):
    def picture(z):
        z.writestr("chapter.xhtml", '<html><body><div><img src="cover.jpg"/></div></body></html>')
    assert refuse(tmp_path, epub_with_chapter(picture)) == "EPUB with no story text"


def test_epub_without_container_finds_the_package(tmp_path):
    """Lenient where it is safe: a missing container.xml with one .opf in the zip still reads."""
    path = tmp_path / "book.epub"
    path.write_bytes(epub_with_chapter(prose_chapter, container=None))
    work = ingest.read(str(path))
    assert work.format == "epub" and work.meta.title == "Bomb"


def test_zip_without_epub_signature_or_container(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    assert refuse(tmp_path, buf.getvalue(), "notes.zip") == "zip archive that is not an EPUB (no META-INF/container.xml)"
    assert refuse(tmp_path, buf.getvalue()[:40], "notes.zip") == "corrupt zip archive, not an EPUB"


def test_deeply_nested_html_is_read_without_recursion(tmp_path):
    prose = "<p>" + "She walked down to the harbour and looked at the boats for a long time. " * 3 + "</p>"
    page = "<html><body>" + "<div><em>" * 6000 + prose + "</em></div>" * 6000 + "</body></html>"
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    work = ingest.read(str(path))
    assert work.text.startswith("She walked down to the harbour")


_SNIPPETS = [b"<p>", b"</p>", b"<div class='userstuff'>", b"</div>", b"<h2 class='heading'>", b"</h2>", b"<blockquote>",
             b"<b>Notes:</b>", b"<br/>", b"<hr/>", b"&#0;", b"<!--", b"<![CDATA[", b"\xff\xfe", b"<p>Summary</p>",
             b"<dl class='tags'><dt>Stats:</dt><dd>Chapters: /</dd></dl>", b"<dt>Series:</dt><dd>Part x of</dd>",
             b"<a name='section0003'>", b"TABLE OF CONTENTS", b"\r\n\tChapter\r\n", b"End file.", b"Summary:",
             b"<rootfile full-path='../../etc/passwd'/>", b"<itemref idref='nope'/>"]


def _damage(rng, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.4 and len(out) > 10:
            at = rng.randrange(len(out))
            del out[at:at + rng.randint(1, 200)]
        elif roll < 0.8 or not out:
            at = rng.randrange(len(out) + 1)
            out[at:at] = rng.choice(_SNIPPETS)
        else:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def test_damaged_examples_never_raise_anything_else():
    """Whatever damage is done to the examples' markup (inside the EPUBs too), reading them ends in a Work
    whose spans hold, or in a one-line refusal."""
    import random
    rng = random.Random(7)
    originals = [open(p, "rb").read() for p in paths()]
    for n in range(200):
        data = rng.choice(originals)
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                members = {name: z.read(name) for name in z.namelist()}
            victim = rng.choice([name for name in members if name != "mimetype"])
            members[victim] = _damage(rng, members[victim])
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                for name, content in members.items():
                    z.writestr(name, content)
            data = buf.getvalue()
        else:
            data = _damage(rng, data)
        try:
            work = formats.read("fuzz", data, formats.detect(data))
        except formats.UnsupportedFormat:
            continue
        except Exception as exc:  # the text decoder's NotText is the other clean refusal
            assert type(exc).__name__ == "NotText", f"case {n}: {type(exc).__name__}: {exc}"
            continue
        assert all(work.text[note.start:note.end] == note.text for note in work.notes), n
        assert all(0 <= p.start < p.end <= len(work.text) for p in work.paragraphs), n
