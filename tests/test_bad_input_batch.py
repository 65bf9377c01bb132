"""A batch of 1,000 files with 50 corrupt ones: exactly those 50 are reported, the 950 others are written."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner
from test_bad_input import NOT_A_STORY_HTML, PNG, epub_bytes, zip_bytes

from ficlens.cli import main

NAMES = [("Clarke", "she"), ("Bellamy", "he"), ("Raven", "she"), ("Murphy", "he"), ("Octavia", "she"), ("Lincoln", "he")]
PLACES = ["the dropship", "the Ark", "the river", "Mount Weather", "the clearing", "the wall"]
FRONT = [
    "A/N: Ok so this is my first fic for this fandom, be gentle!!",
    "Disclaimer: I don't own the show or the characters.",
    "Written for a prompt on tumblr. Unbeta'd, all mistakes are mine.",
]
END = ["Thanks for reading! Comments are love <3", "Let me know what you think!", ""]


def _fic(rng: random.Random, n: int) -> str:
    """A short fic in one of the shapes fans post: notes or not, blank lines or one paragraph per line, CRLF or not."""
    (a, pa), (b, pb) = rng.sample(NAMES, 2)
    place = rng.choice(PLACES)
    paragraphs = [
        f"{a} found {b} at {place} just before the sun went down, and for a while neither of them spoke.",
        f"“You shouldn't be out here,” {a} said at last.",
        f"{b} didn't look up. “Neither should you.”",
        f"The wind came off the water and {pa} pulled {'her' if pa == 'she' else 'his'} jacket tighter. "
        f"Somewhere behind them the camp was waking up for the night watch, number {n}.",
        f"“Come back with me,” {a} said, and this time {b} did.",
    ]
    if rng.random() < 0.5:
        paragraphs.insert(0, rng.choice(FRONT))
    end = rng.choice(END)
    if end:
        paragraphs.append(end)
    joiner = "\n" if rng.random() < 0.3 else "\n\n"
    text = joiner.join(paragraphs) + "\n"
    return text.replace("\n", "\r\n") if rng.random() < 0.3 else text


def test_a_thousand_files_with_fifty_corrupt(tmp_path):
    rng = random.Random(20260)
    root = tmp_path / "batch"
    root.mkdir()
    good_epub = epub_bytes("Snow", [_fic(rng, 0).replace("\n", " ")] * 3)
    corrupt_kinds = [
        ("txt", b""),  # empty
        ("png", PNG),  # an image
        ("zip", zip_bytes({"notes.txt": "not a story"})),  # a zip that is not an EPUB
        ("epub", good_epub[: len(good_epub) // 3]),  # truncated EPUB
        ("html", NOT_A_STORY_HTML.encode("utf-8")),  # HTML that is not a story
    ]
    corrupt_at = set(rng.sample(range(1000), 50))
    corrupt: set[str] = set()
    for i in range(1000):
        if i in corrupt_at:
            ext, data = corrupt_kinds[len(corrupt) % len(corrupt_kinds)]
            path = root / f"{i:04d}.{ext}"
            path.write_bytes(data)
            corrupt.add(str(path))
        else:
            text = _fic(rng, i)
            encoding = "cp1252" if rng.random() < 0.1 else "utf-8"
            (root / f"{i:04d}.txt").write_bytes(text.encode(encoding))
    out = tmp_path / "works.jsonl"

    result = CliRunner().invoke(main, ["analyze", str(root), "--json", "--workers", "2", "--out", str(out)])

    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 50
    assert {line.split(": ")[1] for line in errors} == corrupt
    works = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(works) == 950
    assert [w["source"] for w in works] == sorted(str(p) for p in root.iterdir() if str(p) not in corrupt)
    assert all(w["words"] >= 60 for w in works)
    assert all(not any(n["text"].startswith("“") for n in w["notes"]) for w in works)
    assert "Traceback" not in result.output
