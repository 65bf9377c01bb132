"""Search: query syntax (phrases, booleans, prefixes, fields), ranking, snippets, every filter,
speaker search, and hostile input. The library is built from hand-made analyses (see test_store)."""

from __future__ import annotations

import pytest
from test_store import story

from ficlens.corpus.search import QueryError, fts_query
from ficlens.corpus.store import Library
from ficlens.errors import LibraryError


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "library.db"
    with Library(path) as library:
        library.add(story(0, title="Meet Again"), source_path="/fics/bellamy.txt", content_hash="1")
        library.add(story(
            1, title="The Wedding",
            paragraphs=[
                "I walk through Polis and I am leaving everything behind.",
                ('"Stay," Lexa says. "Stay with me until the wedding."', "Lexa", "Clarke Griffin"),
                ('"I can\'t," I tell her. We may meet, one day, again.', "Clarke Griffin", "Lexa"),
            ] + ["The city is quiet and the torches burn low along the wall."] * 40,
            characters=[("Clarke Griffin", ["Clarke", "Wanheda"]), ("Lexa", ["Heda", "Commander"])],
            pov=["Clarke Griffin"], person="first", tense="present", ships=[["Clarke Griffin", "Lexa"]],
            fandoms=["The 100 (TV)"], rating="Explicit", tags=["Angst", "Canon Divergence"],
            published="2017-01-01", summary="Clarke leaves Polis.", end_note="Kudos welcome.",
        ), source_path="/fics/wedding.txt", content_hash="1")
        library.add(story(
            2, title="Forest",
            paragraphs=[
                "You run through the forest, and the leaves fall around you like rain.",
                ('"Run faster," Octavia shouts at you, laughing.', "Octavia Blake", None),
                "You do not stop until the dropship is far behind.",
            ],
            characters=[("Octavia Blake", ["Octavia", "O"])], pov=["Octavia Blake"], person="second",
            tense="past", ships=[], relationships=["Octavia Blake/Lincoln"], fandoms=["Star Wars"],
            rating="General Audiences", tags=["Fluff"], published="2018-06-30", summary=None, end_note=None,
        ), source_path="/fics/forest.txt", content_hash="1")
        library.add(story(
            3, title="Chloé à Paris",
            paragraphs=["Chloé smiled at the café; nothing here was meet or again or may."],
            characters=[], pov=[], person=None, tense=None, ships=[], fandoms=["Miraculous Ladybug"], rating=None,
            summary=None, end_note="This note mentions the wedding.",
        ), source_path="/fics/paris.txt", content_hash="1")
        yield library


def titles(results) -> list[str]:
    return [r["title"] for r in results]


class TestQuerySyntax:
    def test_phrase_needs_the_words_in_order(self, lib):
        assert titles(lib.search('"may we meet again"')) == ["Meet Again"]
        assert set(titles(lib.search("may meet again"))) == {"Meet Again", "The Wedding", "Chloé à Paris"}

    def test_boolean_operators(self, lib):
        assert set(titles(lib.search("dropship AND rain"))) == {"Meet Again", "Forest"}
        assert set(titles(lib.search("Octavia OR Lexa"))) == {"Forest", "The Wedding"}
        assert titles(lib.search("dropship NOT forest")) == ["Meet Again"]
        assert set(titles(lib.search("(Octavia OR Lexa) NOT wedding"))) == {"Forest"}

    def test_prefix(self, lib):
        assert lib.search("dropsh") == []
        assert set(titles(lib.search("dropsh*"))) == {"Meet Again", "Forest"}
        assert titles(lib.search('"torches bu"*')) == ["The Wedding"]

    def test_stemming_and_diacritics(self, lib):
        assert set(titles(lib.search("leave"))) == {"The Wedding", "Forest"}  # leaving, leaves
        assert titles(lib.search("chloe cafe")) == ["Chloé à Paris"]

    def test_fields(self, lib):
        assert titles(lib.search("title:wedding")) == ["The Wedding"]
        assert titles(lib.search("notes:wedding")) == ["Chloé à Paris"]
        assert titles(lib.search("summary:polis")) == ["The Wedding"]
        assert titles(lib.search("tags:angst")) == ["The Wedding"]
        assert set(titles(lib.search("wedding"))) == {"The Wedding", "Chloé à Paris"}

    def test_apostrophes_and_punctuation_are_words_not_syntax(self, lib):
        assert titles(lib.search("can't")) == ["The Wedding"]
        assert titles(lib.search("I'm going")) == ["Meet Again"]

    def test_bm25_ranks_title_matches_first(self, lib):
        results = lib.search("wedding")
        assert titles(results) == ["The Wedding", "Chloé à Paris"]
        assert results[0]["score"] > results[1]["score"] > 0

    def test_fts_query_quotes_every_term(self):
        assert fts_query('"may we meet" Clarke\'s OR leav* NOT title:wedding') == (
            '"may we meet" "Clarke\'s" OR "leav"* NOT title : "wedding"')
        assert fts_query("(a OR b) c") == '( "a" OR "b" ) "c"'
        assert fts_query('x "" y') == '"x" "y"'

    def test_a_phrase_is_scored_as_a_near_group_of_its_tokens(self):
        assert fts_query('"i don\'t know" OR title:"torches bu"* leav*', near=True) == (
            'NEAR("i" "don" "t" "know", 2) OR title : NEAR("torches" "bu"*, 0) "leav"*'
        )
        assert fts_query('"stay" "—"', near=True) == '"stay" "—"'


class TestSnippets:
    def test_matches_are_marked(self, lib):
        [hit] = lib.search('"may we meet again"', mark=("<<", ">>"))
        assert "<<May we meet again>>" in hit["snippet"] or "<<May>> <<we>> <<meet>> <<again>>" in hit["snippet"]
        [hit] = lib.search("dropship", filters={"pov": "Bellamy"})
        assert "**dropship**" in hit["snippet"]

    def test_without_query_the_snippet_is_the_summary(self, lib):
        [hit] = lib.works(filters={"tense": "present"})
        assert hit["snippet"] == "Clarke leaves Polis." and hit["score"] is None


class TestFilters:
    @pytest.mark.parametrize("name", ["Bellamy", "bellamy blake", "BELL", "Blake"])
    def test_pov_matches_any_name(self, lib, name):
        assert "Meet Again" in titles(lib.search(None, filters={"pov": name}))

    def test_pov_excludes_other_narrators(self, lib):
        assert titles(lib.search("dropship", filters={"pov": "Clarke"})) == []
        assert titles(lib.works(filters={"pov": "Clarke"})) == ["The Wedding"]

    def test_tense_and_person(self, lib):
        assert titles(lib.works(filters={"tense": "present"})) == ["The Wedding"]
        assert titles(lib.works(filters={"tense": "past"}, sort="title")) == ["Forest", "Meet Again"]
        assert titles(lib.works(filters={"person": "second"})) == ["Forest"]
        assert titles(lib.works(filters={"person": "first", "tense": "past"})) == []

    def test_character_by_name_or_alias(self, lib):
        assert titles(lib.works(filters={"character": "Lexa"})) == ["The Wedding"]
        assert titles(lib.works(filters={"character": "heda"})) == ["The Wedding"]
        assert titles(lib.works(filters={"character": "princess"})) == ["Meet Again"]
        assert titles(lib.works(filters={"character": ["Clarke", "Bellamy"]})) == ["Meet Again"]
        assert lib.works(filters={"character": "Raven"}) == []

    @pytest.mark.parametrize("ship", ["Clarke/Bellamy", "Bellamy/Clarke", "bellamy blake/clarke griffin",
                                      "Bell & Clarke", "Clarke x Bellamy"])
    def test_ship_in_either_order_by_any_name(self, lib, ship):
        assert titles(lib.works(filters={"ship": ship})) == ["Meet Again"]

    def test_ship_needs_both_members_in_one_pairing(self, lib):
        assert titles(lib.works(filters={"ship": "Clarke/Lexa"})) == ["The Wedding"]
        assert lib.works(filters={"ship": "Bellamy/Lexa"}) == []
        assert lib.works(filters={"ship": "Clarke/Clarke"}) == []
        assert titles(lib.works(filters={"ship": "Octavia/Lincoln"})) == ["Forest"]  # from a relationship tag
        with pytest.raises(QueryError, match="two names"):
            lib.works(filters={"ship": "Clarke"})

    def test_fandom_with_or_without_disambiguation(self, lib):
        assert titles(lib.works(filters={"fandom": "The 100"}, sort="title")) == ["Meet Again", "The Wedding"]
        assert titles(lib.works(filters={"fandom": "the 100 (tv)"}, sort="title")) == ["Meet Again", "The Wedding"]
        assert titles(lib.works(filters={"fandom": "Star Wars"})) == ["Forest"]

    def test_words_range(self, lib):
        words = {w["title"]: w["words"] for w in lib.works()}
        assert words["The Wedding"] > 400 > words["Meet Again"]
        assert titles(lib.works(filters={"words_min": 400})) == ["The Wedding"]
        small = lib.works(filters={"words_max": words["Meet Again"]})
        assert "The Wedding" not in titles(small) and "Meet Again" in titles(small)
        assert lib.works(filters={"words_min": 401, "words_max": 400}) == []

    @pytest.mark.parametrize("rating", ["E", "explicit", "Explicit"])
    def test_rating_by_name_or_letter(self, lib, rating):
        assert titles(lib.works(filters={"rating": rating})) == ["The Wedding"]

    def test_tag(self, lib):
        assert titles(lib.works(filters={"tag": "angst"})) == ["The Wedding"]
        assert titles(lib.works(filters={"tag": ["Angst", "Canon Divergence"]})) == ["The Wedding"]
        assert lib.works(filters={"tag": ["Angst", "Fluff"]}) == []

    def test_filters_combine_with_text(self, lib):
        assert titles(lib.search("dropship", filters={"person": "second"})) == ["Forest"]
        assert lib.count("dropship", filters={"person": "second"}) == 1
        assert lib.count("dropship") == 2

    @pytest.mark.parametrize("filters", [
        {"pov": "zoë o'brien-smith"}, {"pov": "ZOË"}, {"character": "Zoe\u0308 O’Brien-Smith"},
        {"ship": "Zoë/Ōkami Amaterasu"}, {"fandom": "僕のヒーローアカデミア | boku no hero academia"},
        {"tag": "alternate universe - coffee shops & cafés"}, {"character": "ｚｏë"},
    ])
    def test_a_query_with_filters_finds_names_in_any_script_and_spelling(self, tmp_path, filters):
        """A query with filters also asks FTS5 for the filters' facet words: they must match
        whenever the SQL condition does, or works would silently go missing."""
        with Library(tmp_path / "names.db") as library:
            analysis = story(0, title="Café", paragraphs=['"Stay," Zoë said in the café by the dropship.'],
                             characters=[("Zoë O'Brien-Smith", ["Zoë"]), ("Ōkami Amaterasu", ["Ōkami"])],
                             pov=["Zoë O'Brien-Smith"], ships=[["Zoë O'Brien-Smith", "Ōkami Amaterasu"]],
                             fandoms=["僕のヒーローアカデミア | Boku no Hero Academia"],
                             tags=["Alternate Universe - Coffee Shops & Cafés"])
            library.add(analysis, source_path="/cafe.txt", content_hash="1")
            assert titles(library.works(filters=filters)) == ["Café"]
            assert titles(library.search("dropship", filters=filters)) == ["Café"]
            assert titles(library.search('"the café"', filters=filters)) == ["Café"]

    def test_the_hidden_facet_words_are_never_found_by_a_reader(self, lib):
        assert lib.search("dropship", filters={"pov": "Bellamy"})
        for query in ("xpovbellamy", "xpov*", "xtensepast OR xpersonthird"):
            assert lib.count(query) == 0, query
        with pytest.raises(QueryError, match="unknown field 'facets'"):
            lib.search('facets:"xpovbellamy"')
        assert lib.search("xspeaker*", filters={"speaker": "Bellamy"}) == []

    def test_bad_values_are_query_errors(self, lib):
        with pytest.raises(QueryError, match="tense must be one of past, present"):
            lib.works(filters={"tense": "future"})
        with pytest.raises(QueryError, match="unknown search filter"):
            lib.works(filters={"colour": "blue"})
        with pytest.raises(QueryError, match="sort must be"):
            lib.works(sort="title; DROP TABLE works")


class TestSpeaker:
    def test_only_the_speakers_lines_are_searched(self, lib):
        [hit] = lib.search("meet", filters={"speaker": "Bellamy"})
        assert hit["title"] == "Meet Again"
        [quote] = hit["quotes"]
        assert quote["speaker"] == "Bellamy Blake" and quote["text"] == "May we meet again,"
        text = lib.work(hit["id"])["text"]
        assert text[quote["start"]:quote["end"]] == quote["text"]
        assert lib.search("meet", filters={"speaker": "Clarke"}) == []  # Clarke never says "meet"
        assert lib.search("dropship", filters={"speaker": "Bellamy"}) == []  # narration is not a line

    def test_speaker_without_query_lists_their_lines(self, lib):
        results = lib.search(None, filters={"speaker": "wanheda"})
        assert titles(results) == ["The Wedding"]
        assert [q["text"] for q in results[0]["quotes"]] == ["I can't,"]

    def test_speaker_and_filters(self, lib):
        assert titles(lib.search("stay", filters={"speaker": "Clarke", "tense": "past"})) == ["Meet Again"]
        assert titles(lib.search("stay", filters={"speaker": "Lexa"})) == ["The Wedding"]
        assert lib.count("stay", filters={"speaker": "Lexa"}) == 1


class TestFacets:
    def test_counts_over_matching_works(self, lib):
        facets = lib.facets()
        assert dict(facets["fandom"]) == {"The 100 (TV)": 2, "Star Wars": 1, "Miraculous Ladybug": 1}
        assert dict(facets["tense"]) == {"past": 2, "present": 1}
        assert dict(facets["person"]) == {"third": 1, "first": 1, "second": 1}
        assert dict(facets["pov"])["Clarke Griffin"] == 1
        assert dict(facets["ship"]) == {"Bellamy Blake/Clarke Griffin": 1, "Clarke Griffin/Lexa": 1,
                                        "Lincoln/Octavia Blake": 1}
        assert [v for v, _ in facets["length"]] == ["under 1k"]
        narrowed = lib.facets("dropship")
        assert dict(narrowed["fandom"]) == {"The 100 (TV)": 1, "Star Wars": 1}
        assert dict(lib.facets(filters={"fandom": "Star Wars"})["character"]) == {"Octavia Blake": 1}


class TestHostileInput:
    @pytest.mark.parametrize("query", ["AND", "meet AND", "OR OR", "NOT", "(meet", "meet)", "meet NOT", "()"])
    def test_fts_syntax_errors_are_one_clear_message(self, lib, query):
        with pytest.raises(QueryError) as exc:
            lib.search(query)
        message = str(exc.value)
        assert message.startswith("search query") and "\n" not in message

    def test_unbalanced_quote_and_unknown_field(self, lib):
        with pytest.raises(QueryError, match="unbalanced quote"):
            lib.search('"may we meet')
        with pytest.raises(QueryError, match="unknown field 'author'"):
            lib.search("author:tester")

    @pytest.mark.parametrize("text", [
        "'; DROP TABLE works; --",
        '"; DROP TABLE works; --',
        "x' OR '1'='1",
        "meet) OR 1=1 --",
        "rowid:1",
        "* OR works_fts MATCH '*'",
        "\x00\x1a\u202e",
    ])
    def test_injection_attempts_change_nothing(self, lib, text):
        before = lib.stats()["works"]
        for call in (
            lambda: lib.search(text),
            lambda: lib.search(None, filters={"pov": text, "character": text, "fandom": text, "tag": text,
                                              "rating": text}),
            lambda: lib.search(text, filters={"speaker": text}),
            lambda: lib.facets(text),
        ):
            try:
                results = call()
            except LibraryError as exc:
                assert "\n" not in str(exc)
            else:
                assert not isinstance(results, list) or len(results) <= 1
        assert lib.stats()["works"] == before == 4
        assert lib._query("SELECT count(*) FROM works_fts")[0][0] == 4

    def test_limit_and_offset_page_through_results(self, lib):
        everything = titles(lib.works(sort="title"))
        assert everything == ["Chloé à Paris", "Forest", "Meet Again", "The Wedding"]
        assert titles(lib.works(sort="title", limit=2, offset=1)) == everything[1:3]
        assert titles(lib.works(sort="-words"))[0] == "The Wedding"


class TestBroadQueries:
    """A query matching more than RANK_WINDOW works (after filters) ranks the newest RANK_WINDOW of them
    and lists the rest after, newest first."""

    @pytest.fixture
    def broad(self, tmp_path, monkeypatch):
        monkeypatch.setattr("ficlens.corpus.store.RANK_WINDOW", 4)
        with Library(tmp_path / "broad.db") as library:
            for n in range(11):
                rain = " ".join(["rain"] * (n % 4 + 1))
                library.add(story(n, title=f"Work {n}", paragraphs=[f"The {rain} fell on camp {n}.", "Then quiet."],
                                  tense="present" if n % 2 else "past"),
                            source_path=f"/fics/{n}.txt", content_hash="1")
            yield library

    def test_every_match_appears_once_across_pages(self, broad):
        pages = [broad.search("rain", limit=3, offset=o) for o in range(0, 12, 3)]
        seen = [r["title"] for page in pages for r in page]
        assert sorted(seen) == sorted(f"Work {n}" for n in range(11))
        assert broad.count("rain") == 11

    def test_a_phrase_ranks_a_smaller_window(self, broad, monkeypatch):
        monkeypatch.setattr("ficlens.corpus.store.PHRASE_RANK_WINDOW", 3)
        first = broad.search('"rain fell"', limit=3)
        assert {r["title"] for r in first} == {"Work 8", "Work 9", "Work 10"}
        assert [r["score"] for r in first] == sorted((r["score"] for r in first), reverse=True)
        pages = [broad.search('"rain fell"', limit=3, offset=o) for o in range(0, 12, 3)]
        assert sorted(r["title"] for page in pages for r in page) == sorted(f"Work {n}" for n in range(11))

    def test_the_newest_window_is_ranked_by_bm25(self, broad):
        first = broad.search("rain", limit=4)
        assert {r["title"] for r in first} == {"Work 7", "Work 8", "Work 9", "Work 10"}
        assert [r["score"] for r in first] == sorted((r["score"] for r in first), reverse=True)
        assert first[0]["title"] == "Work 7"  # four times "rain" in the newest four
        rest = broad.search("rain", limit=20, offset=4)
        assert [r["title"] for r in rest] == [f"Work {n}" for n in range(6, -1, -1)]

    def test_filters_apply_in_both_parts(self, broad):
        present = broad.search("rain", filters={"tense": "present"}, limit=20)
        assert sorted(r["title"] for r in present) == sorted(f"Work {n}" for n in range(1, 11, 2))
        assert broad.count("rain", filters={"tense": "present"}) == 5

    def test_a_phrase_ranks_by_how_often_its_words_stand_together(self, tmp_path):
        with Library(tmp_path / "phrase.db") as library:
            texts = {
                "Often": ["I love you. I love you, she said. I love you."],
                "Scattered": ["You love the sea and I love the hills; you say I do, I love you, and you love me."],
                "Reversed": ["You love I, said the parrot, you love I, you love I."],
                "Words only": ["You and I, and love."],
            }
            for n, (title, paragraphs) in enumerate(texts.items()):
                library.add(story(n, title=title, paragraphs=paragraphs), source_path=f"/{n}.txt", content_hash="1")
            results = library.search('"i love you"')
            assert titles(results) == ["Often", "Scattered"]
            assert results[0]["score"] > results[1]["score"] > 0
            # a NOT of a phrase: "Reversed" has no "i love you" and is listed, though its words stand together
            assert set(titles(library.search('love NOT "i love you"'))) == {"Reversed", "Words only"}

    def test_narrow_queries_are_ranked_exactly(self, broad):
        results = broad.search('"rain rain rain rain"', limit=20)
        assert [r["title"] for r in results] == ["Work 3", "Work 7"]  # equal scores: older first
        results = broad.search("rain", filters={"words_min": 0, "tense": "past"}, limit=20)
        # the window is the newest four *filtered* matches (10, 8, 6, 4), ranked: 6 and 10 say "rain"
        # three times, 4 and 8 once (ties: older first); then the older ones, newest first
        assert [r["title"] for r in results] == ["Work 6", "Work 10", "Work 4", "Work 8", "Work 2", "Work 0"]


class TestQueryPlans:
    """Filters must stay fast on a large library: checked on SQLite's plan, never on a stopwatch."""

    def plan(self, lib, filters):
        from ficlens.corpus import search as q

        conditions, params, _ = q.where(q.Filters.of(filters))
        sql = "SELECT w.id FROM works w WHERE 1" + "".join(f" AND {c}" for c in conditions) + " ORDER BY w.id DESC LIMIT 20"
        return " | ".join(row[3] for row in lib._query("EXPLAIN QUERY PLAN " + sql, params))

    def test_a_fandom_is_looked_up_through_both_tag_indexes(self, lib):
        plan = self.plan(lib, {"fandom": "The 100"})
        assert "INDEX tags_value" in plan and "INDEX tags_base" in plan

    def test_tense_person_and_rating_scan_newest_first_instead_of_sorting_half_the_library(self, lib):
        plan = self.plan(lib, {"tense": "past", "person": "third", "rating": "T"})
        assert "TEMP B-TREE" not in plan and "works_narration" not in plan
