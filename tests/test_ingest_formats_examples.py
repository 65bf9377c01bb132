"""The built-in example library: the files exist, are what they claim to be, read as their answer key
says, and are exactly what scripts/make_examples.py builds."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from dataclasses import asdict
from pathlib import Path

import pytest
from lxml import etree

from ficlens import examples, ingest
from ficlens.ingest import formats
from test_ingest_formats import check_offsets

ROOT = Path(__file__).resolve().parent.parent
KEY = examples.expected()
FILES = KEY["files"]
BY_NAME = {Path(p).name: p for p in examples.paths()}
MARKUP = [name for name, key in FILES.items() if key["format"] != "text"]


def test_six_examples_in_every_shape():
    assert sorted(BY_NAME) == sorted(FILES)
    formats_found = {formats.detect(Path(p).read_bytes()) for p in examples.paths()}
    assert formats_found == {"text", "ao3-html", "epub", "fff-txt"}
    works = {name: ingest.read(path) for name, path in BY_NAME.items()}
    assert sorted(w.format for w in works.values()) == sorted(k["format"] for k in FILES.values())
    people = {k["narration"]["person"] for k in FILES.values()}
    tenses = {k["narration"]["tense"] for k in FILES.values()}
    assert people == {"first", "second", "third"} and tenses == {"past", "present"}
    assert {k["quotes"] for k in FILES.values()} == {"curly", "straight"}


@pytest.mark.parametrize("name", MARKUP)
def test_markup_examples_match_the_answer_key(name):
    key = FILES[name]
    work = ingest.read(BY_NAME[name])
    check_offsets(work)
    assert work.format == key["format"]
    meta = asdict(work.meta)
    for field in meta:
        assert meta[field] == key[field], field
    assert [c.title for c in work.chapters] == key["chapter_titles"]
    assert [{"kind": n.kind, "text": n.text, "chapter": n.chapter} for n in work.notes] == key["notes"]


@pytest.mark.parametrize("name", sorted(FILES))
def test_answer_key_quotes_are_in_the_story(name):
    work = ingest.read(BY_NAME[name])
    for line in FILES[name]["speakers"]:
        assert line["quote"] in work.text, line["quote"]
    if FILES[name]["format"] == "text":
        assert work.meta.authors == FILES[name]["authors"]
        raw = Path(BY_NAME[name]).read_text(encoding="utf-8")
        assert raw.startswith(FILES[name]["front_matter"])
        assert raw.rstrip("\n").endswith(FILES[name]["end_matter"])
        assert FILES[name]["story_first_words"] in raw and FILES[name]["story_last_words"] in raw


def test_shared_line_and_retelling_for_reuse():
    def plain(text: str) -> str:
        return re.sub(r"[’']", "'", text).lower()
    line = plain(KEY["shared_line"]).rstrip(".")
    sharing = [n for n, p in BY_NAME.items() if line in plain(ingest.read(p).text)]
    assert sharing == ["01_last_light.txt", "02_salt_and_static.txt", "03_charting_the_dark.html",
                       "06_cartographers_ledger.txt"]
    first, retold = (plain(ingest.read(BY_NAME[n]).text) for n in ("01_last_light.txt", "02_salt_and_static.txt"))
    assert "then i'll keep it for the one that is" in first and "then i'll keep it for the one that is" in retold


@pytest.mark.parametrize("name", [n for n in FILES if n.endswith(".epub")])
def test_examples_are_valid_epub2(name):
    with zipfile.ZipFile(BY_NAME[name]) as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert z.read("mimetype") == b"application/epub+zip"
        assert z.testzip() is None
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        package = etree.fromstring(z.read(opf_path))
        assert package.get("version") == "2.0"
        base = str(Path(opf_path).parent).replace(".", "")
        hrefs = {i.get("id"): i.get("href") for i in package.iter("{*}item")}
        for href in hrefs.values():
            member = f"{base}/{href}" if base else href
            data = z.read(member)
            if member.endswith(("html", "ncx", "opf")):
                etree.fromstring(data)  # well-formed XML, as EPUB 2 requires
        assert all(ref.get("idref") in hrefs for ref in package.iter("{*}itemref"))
        assert package.find("{*}spine").get("toc") in hrefs


def test_script_rebuilds_the_committed_examples(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUT", tmp_path / "src" / "ficlens" / "examples")
    script.main()
    built = {p.name: p.read_bytes() for p in script.OUT.iterdir()}
    for name in list(FILES) + ["expected.json"]:
        assert built[name] == (Path(examples.__file__).parent / name).read_bytes(), name


def test_story_lengths():
    for name, path in BY_NAME.items():
        words = ingest.read(path).story_text_words()
        assert 550 <= words <= 1500, (name, words)
