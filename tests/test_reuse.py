"""Reuse: shared lines, passages with edits, retellings, near-duplicates, boilerplate, the CLI."""

from __future__ import annotations

import json
import random
import re

import numpy as np
import pytest
from click.testing import CliRunner

from ficlens import ingest
from ficlens.cli import main
from ficlens.corpus import align, lines, ngrams, reuse, tokens

FOOTER = (
    "\n\nPosted originally on the Archive of Our Own at https://archiveofourown.org/works/1.\n"
    "Please drop by the Archive and comment to let the creator know if you enjoyed their work!\n"
)


def text(source: str, body: str, **kw) -> reuse.Text:
    return reuse.Text(id=f"id-{source}", source=source, text=body, **kw)


def swap_and_edit(body: str, *, seed: int = 7) -> str:
    """A copy as plagiarists make them: names swapped, punctuation changed, one word in ten replaced."""
    out = body.replace("Bellamy", "Finn").replace("Clarke", "Raven").replace(",", ";")
    rnd = random.Random(seed)
    pieces = out.split(" ")
    for start in range(0, len(pieces), 10):
        k = start + rnd.randrange(10)
        if k < len(pieces) and pieces[k].isalpha():
            pieces[k] = "zebra"
    return " ".join(pieces)


@pytest.fixture(scope="module")
def sample_report(sample_paths):
    return reuse.find([reuse.text_of(ingest.read(str(p))) for p in sample_paths.values()])


def _line(report, key):
    found = [c for c in report.lines if c["line"] == key]
    return found[0] if found else None


def _numbers(cluster):
    return sorted({re.search(r"(\d{3})_", p["source"]).group(1) for p in cluster["passages"]})


class TestSamples:
    def test_may_we_meet_again_is_shared_by_exactly_000_001_003(self, sample_report):
        cluster = _line(sample_report, "may we meet again")
        assert cluster is not None
        assert cluster["works"] == 3
        assert _numbers(cluster) == ["000", "001", "003"]

    def test_we_will_meet_again_is_not_the_same_line(self, sample_report):
        cluster = _line(sample_report, "may we meet again")
        assert all("will" not in p["text"] for p in cluster["passages"])

    @pytest.mark.parametrize("key", ["have one for me", "youre forgiven"])
    def test_goodbye_lines_link_001_and_003(self, sample_report, key):
        assert _numbers(_line(sample_report, key)) == ["001", "003"]

    def test_season_2_goodbye_is_one_retelling_group(self, sample_report):
        groups = [g for g in sample_report.retellings if any("001_" in s for s in g["sources"])]
        assert len(groups) == 1
        assert [re.search(r"(\d{3})_", s).group(1) for s in groups[0]["sources"]] == ["001", "003"]
        said = {ln["line"] for ln in groups[0]["lines"]}
        assert {"Have one for me", "You're forgiven", "May we meet again"} <= said
        assert "Clarke" in groups[0]["characters"]

    def test_no_copies_among_the_samples(self, sample_report):
        assert sample_report.duplicates == []
        assert [c for c in sample_report.clusters if c["kind"] == "passage"] == []

    def test_offsets_point_into_the_file(self, sample_report):
        for cluster in sample_report.clusters:
            for p in cluster["passages"]:
                with open(p["source"], encoding="utf-8", newline="") as f:
                    assert f.read()[p["start"] : p["end"]] == p["text"]


class TestWords:
    def test_quotes_dashes_case_and_punctuation_do_not_matter(self):
        a = tokens.words("“You’re forgiven,” she said—quietly.")
        b = tokens.words('"YOU\'RE forgiven." She said -- quietly!')
        assert a.ids.tolist() == b.ids.tolist()

    def test_names_become_one_placeholder(self):
        a = tokens.words("Then Bellamy looked at Clarke. Bellamy smiled.")
        b = tokens.words("Then Finn looked at Raven. Finn smiled.")
        assert a.ids.tolist() == b.ids.tolist()
        assert a.names.tolist() == [False, True, False, False, True, True, False]

    def test_a_word_also_written_in_lower_case_is_no_name(self):
        body = "The Ark was quiet. Then Hope rose. They had hope."
        w = tokens.words(body)
        assert [body[s:e] for s, e, n in zip(w.starts, w.ends, w.names) if n] == ["Ark"]

    def test_boilerplate_and_excluded_spans_are_masked(self):
        body = "I don't own The 100. The story starts here and goes on." + FOOTER
        w = tokens.words(body, excluded=[(body.index("The story"), body.index("The story") + 9)])
        masked = {body[s:e] for s, e, m in zip(w.starts, w.ends, w.masked) if m}
        assert {"own", "100", "Archive", "comment", "story"} <= masked
        assert "starts" not in masked


class TestLines:
    def test_a_quote_split_by_a_speech_tag_is_one_line(self):
        body = '"I bear it," Clarke says with tears in her eyes; "so they don\'t have to."'
        found = lines.find(body, tokens.words(body), min_words=3, min_chars=12)
        assert [ln.key for ln in found] == ["i bear it so they dont have to"]

    def test_names_at_the_ends_are_dropped_and_short_lines_ignored(self):
        body = 'He said, "May we meet again, Clarke Griffin?" and "I know."'
        found = lines.find(body, tokens.words(body), min_words=3, min_chars=12)
        assert [ln.key for ln in found] == ["may we meet again"]
        assert body[found[0].start : found[0].end] == "May we meet again, Clarke Griffin"


class TestAlignment:
    def test_edits_inside_a_passage_do_not_break_it(self):
        a = list(range(100, 140))
        b = [7, 8] + a[:10] + [999] + a[11:20] + a[21:] + [5, 6]
        found = align.align(a, b, np.array([[0, 2]]), n=5, min_words=8)
        assert len(found) == 1
        f = found[0]
        assert (f.a0, f.a1, f.b0, f.b1) == (0, 40, 2, 41)
        assert f.matched == 38

    def test_masked_words_never_match(self):
        body = "one two three four five six seven eight nine ten eleven twelve thirteen"
        masked = reuse.comparable(tokens.words(body, excluded=[(0, 3)]), side=0)
        plain = reuse.comparable(tokens.words(body), side=1)
        (found,) = align.align(masked, plain, np.array([[1, 1]]), n=5, min_words=8)
        assert (found.a0, found.a1, found.matched) == (1, 13, 12)
        both = reuse.comparable(tokens.words(body, excluded=[(0, 3)]), side=1)
        assert align.align(masked, both, np.array([[1, 1]]), n=5, min_words=8)[0].a0 == 1


class TestCandidates:
    def test_unrelated_works_are_never_paired(self):
        rnd = random.Random(3)
        vocab = [f"w{i}" for i in range(5000)]
        texts = [" ".join(rnd.choice(vocab) for _ in range(200)) for _ in range(60)]
        shingled = [ngrams.shingles(tokens.words(t), n=5) for t in texts]
        assert ngrams.candidate_anchors(shingled, max_df=100, min_shared=1) == {}

    def test_ngrams_in_too_many_works_are_ignored(self):
        common = "and then they all went home together at last"
        texts = [f"w{i}a w{i}b w{i}c {common} w{i}d" for i in range(5)]
        shingled = [ngrams.shingles(tokens.words(t), n=5) for t in texts]
        assert len(ngrams.candidate_anchors(shingled, max_df=5, min_shared=1)) == 10
        assert ngrams.candidate_anchors(shingled, max_df=4, min_shared=1) == {}


class TestCorpus:
    def test_copy_with_names_swapped_is_a_near_duplicate(self, sample_paths):
        body = sample_paths["002"].read_text(encoding="utf-8")
        report = reuse.find([text("orig.txt", body), text("copy.txt", swap_and_edit(body)),
                             text("other.txt", sample_paths["004"].read_text(encoding="utf-8"))])
        assert len(report.duplicates) == 1
        dup = report.duplicates[0]
        assert dup["sources"] == ["copy.txt", "orig.txt"]
        assert 0.75 < dup["score"] < 0.97
        passages = [c for c in report.clusters if c["kind"] == "passage"]
        assert len(passages) == 1 and passages[0]["works"] == 2
        assert report.retellings == []

    def test_shared_boilerplate_links_nothing(self):
        a = "I don't own The 100, sadly.\n\nBellamy walked to the river and sat down by the water." + FOOTER
        b = "Disclaimer: I don't own The 100, sadly.\n\nOctavia sang a song nobody had heard before." + FOOTER
        report = reuse.find([text("a.txt", a), text("b.txt", b)])
        assert report.clusters == []

    def test_lines_inside_notes_are_not_story(self):
        note = 'A/N: the title comes from "Knockin on Heaven\'s Door by Raign". Enjoy!\n'
        story = 'She said, "Knockin on Heaven\'s Door by Raign" and left.'
        works = [text("a.txt", note + "Story one."), text("b.txt", story)]
        assert reuse.find(works).clusters == []
        works = [text("a.txt", note + 'He hummed "Knockin on Heaven\'s Door by Raign".'), text("b.txt", story)]
        assert [c["works"] for c in reuse.find(works).clusters] == [2]

    def test_planted_passage_with_edits_is_found_once(self):
        rnd = random.Random(5)
        vocab = [f"w{i}" for i in range(3000)]
        passage = "the rain came down over the old bridge while nobody watched the water rise".split()
        edited = list(passage)
        edited[6] = "stone"
        works = []
        for i, words_ in enumerate((passage, edited)):
            filler = [rnd.choice(vocab) for _ in range(80)]
            works.append(text(f"{i}.txt", " ".join(filler[:40] + words_ + filler[40:])))
        report = reuse.find(works)
        (cluster,) = report.clusters
        assert cluster["kind"] == "passage"
        assert [p["text"].split()[0] for p in cluster["passages"]] == ["the", "the"]
        assert [p["text"].split()[-1] for p in cluster["passages"]] == ["rise", "rise"]

    def test_min_works_keeps_only_widely_shared_lines(self, sample_paths):
        texts = [reuse.text_of(ingest.read(str(p))) for p in sample_paths.values()]
        report = reuse.find(texts, options=reuse.Options(min_works=3))
        assert [c["line"] for c in report.clusters] == ["may we meet again"]

    def test_inspired_by_and_series_link_works(self):
        works = [
            text("a.txt", "One story.", title="The Ark Falls", series=["Skybox"]),
            text("b.txt", "Another story.", inspired_by=["the ark falls"], series=["Skybox"]),
        ]
        links = reuse.find(works).links
        assert {(x["kind"], tuple(x["sources"])) for x in links} == {
            ("inspired_by", ("b.txt", "a.txt")), ("series", ("a.txt", "b.txt"))}

    def test_same_result_with_a_process_pool(self, sample_paths):
        texts = [reuse.text_of(ingest.read(str(p))) for p in sample_paths.values()]
        assert list(reuse.find(texts, workers=2).records()) == list(reuse.find(texts).records())


class TestCli:
    def test_json_lines_keep_the_cluster_contract(self, samples_dir):
        result = CliRunner().invoke(main, ["reuse", str(samples_dir), "--json"])
        assert result.exit_code == 0, result.output
        records = [json.loads(x) for x in result.output.splitlines()]
        clusters = [r for r in records if r["type"] == "cluster"]
        assert [c["cluster"] for c in clusters] == list(range(1, len(clusters) + 1))
        for c in clusters:
            assert c["works"] == len({p["source"] for p in c["passages"]}) >= 2
            assert all({"source", "start", "end", "text"} <= set(p) for p in c["passages"])
        assert {r["type"] for r in records} == {"cluster", "retelling"}

    def test_report_lists_lines_by_number_of_works(self, samples_dir):
        result = CliRunner().invoke(main, ["reuse", str(samples_dir)])
        assert result.exit_code == 0
        shared = result.output.split("Shared lines, by number of works\n")[1].splitlines()
        assert shared[0].lstrip().startswith('3 works  "May we meet again"')
        assert "Retellings" in result.output

    def test_min_works_option(self, samples_dir):
        result = CliRunner().invoke(main, ["reuse", str(samples_dir), "--json", "--min-works", "3"])
        clusters = [json.loads(x) for x in result.output.splitlines() if '"cluster"' in x]
        assert [c["works"] for c in clusters if c["type"] == "cluster"] == [3]

    def test_show_puts_a_copy_beside_its_source(self, sample_paths, tmp_path):
        copy = tmp_path / "copy.txt"
        copy.write_text(swap_and_edit(sample_paths["002"].read_text(encoding="utf-8")), encoding="utf-8")
        result = CliRunner().invoke(main, ["reuse", "--show", str(sample_paths["002"]), str(copy)])
        assert result.exit_code == 0, result.output
        assert "passage 1:" in result.output
        row = next(x for x in result.output.splitlines() if "[Bellamy]" in x)
        left, right = row.split(" | ")
        assert "[Finn]" in right and "[Finn]" not in left

    def test_a_missing_file_is_one_line_and_exit_1(self, samples_dir, tmp_path):
        result = CliRunner().invoke(main, ["reuse", str(samples_dir), str(tmp_path / "nope.txt")])
        assert result.exit_code == 1
        assert "nope.txt" in result.output
        assert "Traceback" not in result.output

    def test_no_input_is_a_usage_error(self):
        assert CliRunner().invoke(main, ["reuse"]).exit_code == 2


class TestLibrary:
    @pytest.fixture(scope="class")
    def library(self, sample_paths, tmp_path_factory):
        from ficlens.analyze import analyze
        from ficlens.corpus.store import Library

        path = tmp_path_factory.mktemp("lib") / "library.db"
        with Library(path) as lib:
            for p in sample_paths.values():
                work = ingest.read(str(p))
                lib.add(analyze(work), source_path=str(p), content_hash=work.content_hash)
        return str(path)

    def test_db_gives_the_same_clusters_as_paths(self, library, samples_dir):
        from_db = CliRunner().invoke(main, ["reuse", "--db", library, "--json"])
        from_paths = CliRunner().invoke(main, ["reuse", str(samples_dir), "--json"])
        assert from_db.exit_code == 0, from_db.output
        clusters = lambda out: [x for x in map(json.loads, out.splitlines()) if x["type"] == "cluster"]  # noqa: E731
        assert clusters(from_db.output) == clusters(from_paths.output)

    def test_show_finds_library_works_by_title_and_key(self, library, sample_paths):
        from ficlens.corpus.store import Library

        with Library(library, readonly=True) as lib:
            titles = {w["source"]: w["title"] for w in lib.works(limit=10)}
        title = titles[str(sample_paths["004"])]
        if not title:
            pytest.skip("ingest found no title in 004")
        key = ingest.read(str(sample_paths["003"])).id
        result = CliRunner().invoke(main, ["reuse", "--db", library, "--show", title.upper(), key])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[:2] == [f"A: {sample_paths['004']}", f"B: {sample_paths['003']}"]
        assert "No shared passages or lines." in result.output

    def test_show_unknown_work_is_one_line(self, library):
        result = CliRunner().invoke(main, ["reuse", "--db", library, "--show", "nothing-like-this", "x"])
        assert result.exit_code == 1
        assert result.output.strip().count("\n") == 0
