"""Bad input: each problem is one line on stderr naming the file, the rest are still written, exit 1.

Every case from the issue: an empty file, an image, a zip that is not an EPUB, a truncated EPUB, a zip
bomb, HTML that is not a story, an unreadable file, a symlink loop, a 200 MB text file; plus a FIFO,
OS clutter (skipped silently) and an unexpected crash inside one file.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficlens import ingest
from ficlens.cli import main

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><dc:language>en</dc:language>
    <dc:identifier id="id">test-{title}</dc:identifier>
  </metadata>
  <manifest><item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="c1"/></spine>
</package>"""

CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>
<body><h1>{title}</h1>{paragraphs}</body></html>"""


def epub_bytes(title: str, paragraphs: list[str], *, author: str = "quietmoth", padding: int = 0) -> bytes:
    """A minimal EPUB 2; `padding` adds that many zero bytes to a member (a zip bomb when large)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", OPF.format(title=escape(title), author=escape(author)),
                   compress_type=zipfile.ZIP_DEFLATED)
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        z.writestr("OEBPS/chapter1.xhtml", CHAPTER.format(title=escape(title), paragraphs=body),
                   compress_type=zipfile.ZIP_DEFLATED)
        if padding:
            with z.open("OEBPS/padding.bin", "w", force_zip64=padding > 2**31) as member:
                block = bytes(1 << 20)
                for _ in range(padding // len(block)):
                    member.write(block)
    return buf.getvalue()


def zip_bytes(files: dict[str, str]) -> bytes:
    """A plain zip archive (not an EPUB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


GOOD = [
    "Snow had been falling since noon, and by the time Clarke reached the cabin it was up to her knees.",
    "“You made it,” Bellamy said from the doorway, and he stepped aside to let her in out of the cold.",
    "“Barely.” She stamped her boots on the mat and shook the snow out of her hair. “Move over.”",
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
NOT_A_STORY_HTML = (
    "<!doctype html><html><head><title>Log in</title></head><body><nav><a href='/'>Home</a></nav>"
    "<form><label>User</label><input name=u></form><p>Forgot password?</p></body></html>"
)


def _write_good(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("\n\n".join(GOOD) + "\n", encoding="utf-8")
    return path


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result, [line for line in result.stderr.splitlines() if line]


@pytest.fixture
def bad_folder(tmp_path) -> tuple[Path, dict[str, str]]:
    """A folder of stories with every kind of bad input among them: {bad file: the words its line must say}."""
    root = tmp_path / "fics"
    (root / "nested" / "deeper").mkdir(parents=True)
    _write_good(root, "a_good.txt")
    _write_good(root / "nested", "b_good.txt")
    (root / "nested" / "c_good.epub").write_bytes(epub_bytes("Snow", GOOD))
    bad = {}
    (root / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty file"
    (root / "blank.txt").write_bytes(b"  \r\n\r\n\t\n")
    bad["blank.txt"] = "empty file"
    (root / "cover.png").write_bytes(PNG)
    bad["cover.png"] = "PNG image"
    (root / "photos.zip").write_bytes(zip_bytes({"img001.txt": "not a story"}))
    bad["photos.zip"] = "not an EPUB"
    good_epub = epub_bytes("Snow", GOOD)
    (root / "truncated.epub").write_bytes(good_epub[: len(good_epub) // 2])
    bad["truncated.epub"] = "corrupt EPUB"
    (root / "bomb.epub").write_bytes(epub_bytes("Bomb", GOOD, padding=30 << 20))
    bad["bomb.epub"] = "zip bomb"
    (root / "login.html").write_text(NOT_A_STORY_HTML, encoding="utf-8")
    bad["login.html"] = "no story text"
    with open(root / "huge.txt", "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk, never read
    bad["huge.txt"] = f"larger than the {ingest.MAX_MB} MB limit"
    os.symlink("..", root / "nested" / "deeper" / "loop")
    bad[os.path.join("nested", "deeper", "loop")] = "symlink loop"
    os.mkfifo(root / "pipe")
    bad["pipe"] = "not a regular file"
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / "Thumbs.db").write_bytes(PNG)
    (root / "nested" / ".hidden.txt").write_bytes(PNG)
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._a_good.txt").write_bytes(PNG)
    return root, bad


def test_every_bad_input_is_one_line_and_the_rest_are_written(bad_folder):
    root, bad = bad_folder
    result, errors = _run("analyze", str(root), "--json")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(errors) == len(bad), errors
    for name, words in bad.items():
        [line] = [e for e in errors if e.startswith(f"ficlens: {root / name}: ")]
        assert words in line, line
    works = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(w["source"]).name for w in works] == ["a_good.txt", "b_good.txt", "c_good.epub"]
    assert all(w["words"] > 40 for w in works)


def test_files_are_found_in_a_stable_sorted_order_without_clutter(bad_folder):
    root, _ = bad_folder
    found = [x for x in ingest.find_files([str(root)]) if isinstance(x, str)]
    names = [Path(p).relative_to(root).as_posix() for p in found]
    # a folder's files by name, then its subfolders by name; no clutter, no hidden files, no __MACOSX
    assert names == [
        "a_good.txt", "blank.txt", "bomb.epub", "cover.png", "empty.txt", "huge.txt", "login.html",
        "photos.zip", "pipe", "truncated.epub", "nested/b_good.txt", "nested/c_good.epub",
    ]
    assert found == [x for x in ingest.find_files([str(root)]) if isinstance(x, str)]


def test_a_link_loop_between_two_files(tmp_path):
    _write_good(tmp_path, "story.txt")
    os.symlink("two", tmp_path / "one")
    os.symlink("one", tmp_path / "two")
    result, errors = _run("analyze", str(tmp_path), "--json")
    assert result.exit_code == 1
    assert sorted(errors) == [f"ficlens: {tmp_path / 'one'}: symlink loop, not followed",
                              f"ficlens: {tmp_path / 'two'}: symlink loop, not followed"]
    assert len(result.stdout.splitlines()) == 1


def test_a_large_file_is_refused_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(ingest.MAX_BYTES + 1)

    def no_open(*args, **kwargs):
        raise AssertionError("a file over the limit was opened")

    monkeypatch.setattr(ingest, "open", no_open, raising=False)
    with pytest.raises(ingest.InputError, match=f"larger than the {ingest.MAX_MB} MB limit for one story"):
        ingest.read(path)


def test_an_unreadable_file(tmp_path, monkeypatch):
    _write_good(tmp_path, "a.txt")
    secret = _write_good(tmp_path, "secret.txt")
    _write_good(tmp_path, "z.txt")
    if os.geteuid() == 0:  # root reads anything: make the file system refuse, as it would for a user
        real_open = open

        def refusing_open(file, *args, **kwargs):
            if os.fspath(file) == str(secret):
                raise PermissionError(13, "Permission denied", str(secret))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(ingest, "open", refusing_open, raising=False)
    else:
        secret.chmod(0)
    result, errors = _run("analyze", str(tmp_path), "--json")
    assert result.exit_code == 1
    assert errors == [f"ficlens: {secret}: permission denied (cannot be read)"]
    assert [Path(json.loads(x)["source"]).name for x in result.stdout.splitlines()] == ["a.txt", "z.txt"]


def test_missing_paths_are_reported(tmp_path):
    good = _write_good(tmp_path, "a.txt")
    result, errors = _run("analyze", str(tmp_path / "nope.txt"), str(good), "--json")
    assert result.exit_code == 1
    assert errors == [f"ficlens: {tmp_path / 'nope.txt'}: no such file or folder"]
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unexpected_crash_costs_one_file(tmp_path, monkeypatch, workers):
    from ficlens.engines import local

    paths = [_write_good(tmp_path, f"{n}.txt") for n in "abcd"]
    real = local.analyze

    def crashing(work, **kwargs):
        if work.source.endswith("b.txt"):
            raise ValueError("stage blew up\nsecond line")
        return real(work, **kwargs)

    monkeypatch.setattr(local, "analyze", crashing)
    result, errors = _run("analyze", *map(str, paths), "--json", "--workers", workers)
    assert result.exit_code == 1
    assert errors == [f"ficlens: {paths[1]}: unexpected error (ValueError: stage blew up); run with --debug for details"]
    assert [Path(json.loads(x)["source"]).name for x in result.stdout.splitlines()] == ["a.txt", "c.txt", "d.txt"]
    assert "Traceback" not in result.output

    debug = CliRunner().invoke(main, ["--debug", "analyze", *map(str, paths), "--json"])
    assert isinstance(debug.exception, ValueError)


def test_no_traceback_from_a_real_process(bad_folder):
    import subprocess
    import sys

    root, bad = bad_folder
    proc = subprocess.run([sys.executable, "-m", "ficlens", "analyze", str(root), "--json", "--workers", "2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == len(bad)
    assert len(proc.stdout.splitlines()) == 3


def test_a_folder_that_cannot_be_listed(tmp_path, monkeypatch):
    _write_good(tmp_path, "a.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    _write_good(locked, "b.txt")
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    result, errors = _run("analyze", str(tmp_path), "--json")
    assert result.exit_code == 1
    assert errors == [f"ficlens: {locked}: permission denied (cannot be read)"]
    assert [Path(json.loads(x)["source"]).name for x in result.stdout.splitlines()] == ["a.txt"]


def test_an_empty_folder_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result, errors = _run("analyze", str(tmp_path / "empty"), "--json")
    assert result.exit_code == 1
    assert errors == [f"ficlens: {tmp_path / 'empty'}: folder has no files to read"]


def test_a_result_that_cannot_be_written_costs_one_file(tmp_path, monkeypatch):
    from ficlens.model import Analysis

    paths = [_write_good(tmp_path, f"{n}.txt") for n in "ab"]
    real = Analysis.to_json

    def unserialisable(self):
        data = real(self)
        if self.work.source.endswith("a.txt"):
            data["words"] = object()
        return data

    monkeypatch.setattr(Analysis, "to_json", unserialisable)
    result, errors = _run("analyze", *map(str, paths), "--json")
    assert result.exit_code == 1
    assert len(errors) == 1 and errors[0].startswith(f"ficlens: {paths[0]}: unexpected error (TypeError: ")
    assert [Path(json.loads(x)["source"]).name for x in result.stdout.splitlines()] == ["b.txt"]
