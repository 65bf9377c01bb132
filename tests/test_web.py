"""The web app through Flask's test client: every route and its JSON twin, errors, safety."""

from __future__ import annotations

import csv
import io
import os
import re
import stat

import pytest
from click.testing import CliRunner

from ficlens.cli import main
from ficlens.web import reuse_page
from ficlens.web.app import create_app

from test_web_data import build_library, key_of

OUR_SCRIPT = '<script src="/static/ficlens.js" defer></script>'


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return build_library(tmp_path_factory.mktemp("web") / "lib")


@pytest.fixture(scope="module")
def client(library):
    app = create_app(str(library), trusted_hosts=["localhost", "127.0.0.1"])
    return app.test_client()


@pytest.fixture(scope="module")
def keys(library):
    return {
        "dropship": key_of(library, "The Dropship at Dawn"),
        "meet": key_of(library, "May We Meet Again"),
        "evil_txt": key_of(library, "evil.txt"),
        "evil_ao3": key_of(library, "evil_ao3.html"),
        "long": key_of(library, "The Long Watch"),
    }


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:500])
    return response


def assert_harmless(html: str):
    """No markup from a fic survives: no script but ours, no handlers, no javascript: URLs, no img/iframe."""
    assert "<script" not in html.replace(OUR_SCRIPT, "")
    assert not re.search(r"<[^>]*\son\w+\s*=", html), "an event handler attribute reached the page"
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "<img" not in html and "<iframe" not in html


# -- library page ---------------------------------------------------------------------------


def test_library_lists_every_work_with_facets(client):
    html = page(client, "/").get_data(as_text=True)
    data = page(client, "/index.json").get_json()
    assert data["count"] >= 4 and len(data["results"]) == min(data["count"], 20)
    assert "The Dropship at Dawn" in html
    for facet in ("fandom", "ship", "character", "pov", "person", "tense", "rating", "length"):
        assert facet in data["facets"]
    fandoms = {f["value"]: f["works"] for f in data["facets"]["fandom"]}
    assert fandoms["The 100 (TV)"] >= 3
    assert 'data-facet="tense"' in html


def test_search_highlights_matches_inside_escaped_snippets(client):
    data = page(client, "/index.json?q=guns").get_json()
    assert [r["title"] for r in data["results"]] == ["The Dropship at Dawn"]
    assert "guns" in data["results"][0]["snippet"] and "\ue000" not in data["results"][0]["snippet"]
    html = page(client, "/?q=guns").get_data(as_text=True)
    assert "<mark>guns</mark>" in html


def test_search_uses_the_library_query_syntax(client):
    phrase = page(client, '/index.json?q="talk about the guns"').get_json()
    assert phrase["count"] == 1
    excluded = page(client, "/index.json?q=stars NOT guns").get_json()
    assert "The Dropship at Dawn" not in [r["title"] for r in excluded["results"]]
    assert "May We Meet Again" in [r["title"] for r in excluded["results"]]


def test_facet_filters_narrow_and_links_toggle(client):
    everything = page(client, "/index.json").get_json()["count"]
    present = page(client, "/index.json?tense=present").get_json()
    assert 0 < present["count"] < everything
    assert all(r["tense"] == "present" for r in present["results"])
    both = page(client, "/index.json?tense=present&person=first").get_json()
    assert "May We Meet Again" in [r["title"] for r in both["results"]]
    assert all(r["person"] == "first" and r["tense"] == "present" for r in both["results"])
    html = page(client, "/?tense=present").get_data(as_text=True)
    assert 'class="chip"' in html and "Tense: present" in html


def test_spoken_by_searches_one_characters_lines(client):
    data = page(client, "/index.json?q=asleep&speaker=Bellamy").get_json()
    assert [r["title"] for r in data["results"]] == ["The Dropship at Dawn"]
    assert [q["text"] for q in data["results"][0]["quotes"]] == ["You should be asleep, princess,"]
    assert page(client, "/index.json?q=asleep&speaker=Octavia").get_json()["count"] == 0
    html = page(client, "/?q=asleep&speaker=Bellamy").get_data(as_text=True)
    assert "Spoken by: Bellamy" in html and "<mark>asleep</mark>" in html


def test_ship_and_character_facets_filter_by_any_name(client):
    ship = page(client, "/index.json?ship=Bellamy Blake/Clarke Griffin").get_json()
    assert {"The Dropship at Dawn", "May We Meet Again"} <= {r["title"] for r in ship["results"]}
    octavia = page(client, "/index.json?character=Octavia Blake").get_json()
    assert "The Dropship at Dawn" in [r["title"] for r in octavia["results"]]
    assert "May We Meet Again" not in [r["title"] for r in octavia["results"]]


def test_length_facet_and_sorting(client):
    short = page(client, "/index.json?length=under 1k").get_json()
    assert short["count"] >= 2 and all(r["words"] < 1000 for r in short["results"])
    longest = page(client, "/index.json?sort=-words").get_json()["results"]
    assert [r["words"] for r in longest] == sorted((r["words"] for r in longest), reverse=True)
    titles = [(r["title"] or "").casefold() for r in page(client, "/index.json?sort=title").get_json()["results"]]
    assert titles == sorted(titles)


@pytest.mark.parametrize("url", ['/index.json?q="unbalanced', "/index.json?sort=sideways",
                                 "/index.json?length=enormous", "/index.json?tense=future", "/index.json?page=two"])
def test_bad_search_requests_are_400_with_a_reason(client, url):
    data = page(client, url, 400).get_json()
    assert data["ok"] is False and data["error"]


# -- work page ------------------------------------------------------------------------------


def test_work_page_marks_dialogue_by_speaker(client, keys):
    html = page(client, f"/work/{keys['dropship']}").get_data(as_text=True)
    assert 'data-speaker="Bellamy Blake" data-addressee="Clarke Griffin" data-confidence="0.90"' in html
    assert re.search(r'<span class="q sp\d k-speech"[^>]*>You should be asleep, princess,</span>', html)
    clarke = re.search(r'class="q (sp\d) k-speech" data-kind="speech" data-speaker="Clarke Griffin"', html).group(1)
    bellamy = re.search(r'class="q (sp\d) k-speech" data-kind="speech" data-speaker="Bellamy Blake"', html).group(1)
    assert clarke != bellamy


def test_work_page_sets_notes_apart_and_shows_tags(client, keys):
    html = page(client, f"/work/{keys['dropship']}").get_data(as_text=True)
    note = re.search(r'<aside class="note note-front">.*?</aside>', html, re.S).group(0)
    assert "written for a prompt" in note
    for tag in ("The 100 (TV)", "Teen And Up Audiences", "Angst", "Slow Burn", "quietreader"):
        assert tag in html


def test_work_page_character_panel_and_network(client, keys):
    html = page(client, f"/work/{keys['dropship']}").get_data(as_text=True)
    panel = html[html.index('class="panel"'):]
    assert "also Clarke, princess" in panel
    network = re.search(r'<svg class="network".*?</svg>', html, re.S).group(0)
    assert network.count("<circle") == 3
    assert "Bellamy Blake → Clarke Griffin: 2 lines" in network


def test_work_page_strip_shows_the_tense_slip_and_pov_hop(client, keys):
    html = page(client, f"/work/{keys['dropship']}").get_data(as_text=True)
    strip = re.search(r'<svg class="strip".*?</svg>', html, re.S).group(0)
    assert strip.count('class="seg-present"') == 1 and strip.count('class="seg-past"') == 2
    assert "Tense: present (1 paragraph from ¶4)" in strip
    assert "POV: Bellamy Blake (1 paragraph" in strip


def test_chapter_list_points_at_each_chapter_heading(client, library):
    from ficlens.corpus.store import Library

    with Library(library, readonly=True) as lib:
        multi = [w for w in lib.works(limit=100) if lib.work(w["id"])["chapters"].__len__() > 1]
    if not multi:
        pytest.skip("no multi-chapter work among the fixtures")
    html = page(client, f"/work/{multi[0]['key']}").get_data(as_text=True)
    links = re.findall(r'<li><a href="#p(\d+)">([^<]+)</a></li>', html[html.index('class="toc"'):])
    assert len(links) > 1
    for para, title in links:
        assert title.strip() and f'<h2 id="p{para}" class="chapter-heading">' in html, title


def test_work_json_twin_is_the_analysis_and_its_text(client, keys):
    work = page(client, f"/work/{keys['dropship']}.json").get_json()
    text = work["text"]
    assert work["title"] == "The Dropship at Dawn" and work["key"] == keys["dropship"]
    assert [p["tense"] for p in work["paragraphs"]].count("present") == 1
    assert all(text[q["start"]:q["end"]] == q["text"] for q in work["quotes"])
    assert {c["name"] for c in work["characters"]} == {"Clarke Griffin", "Bellamy Blake", "Octavia Blake"}


def test_work_charts_offer_spec_csv_and_json(client, keys):
    base = f"/work/{keys['dropship']}/charts"
    spec = page(client, f"{base}/dialogue.vl.json").get_json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    shares = {row["character"]: row["lines"] for row in spec["datasets"][next(iter(spec["datasets"]))]} \
        if "datasets" in spec else {row["character"]: row["lines"] for row in spec["data"]["values"]}
    assert shares["Bellamy Blake"] == 3
    rows = list(csv.DictReader(io.StringIO(page(client, f"{base}/dialogue.csv").get_data(as_text=True))))
    assert {r["character"] for r in rows} == {"Clarke Griffin", "Bellamy Blake", "Octavia Blake"}
    assert page(client, f"{base}/conversations.json").get_json()[0] == {
        "speaker": "Bellamy Blake", "addressee": "Clarke Griffin", "lines": 2}
    narration = page(client, f"{base}/narration.csv")
    assert "attachment" in narration.headers["Content-Disposition"]
    page(client, f"{base}/narration.vl.json", 404)  # drawn as SVG on the page; offered as data only


def test_csv_downloads_keep_formulas_as_text():
    from ficlens.web.charts import Chart

    rows = [{"character": "=HYPERLINK(\"http://x\")", "lines": -3, "aliases": ["@cmd", "Bo"]}]
    text = Chart("t", rows, None).csv()
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-3,'@cmd; Bo"


def test_every_chart_link_on_the_pages_resolves(client, keys):
    for url in (f"/work/{keys['dropship']}", "/corpus"):
        html = page(client, url).get_data(as_text=True)
        links = set(re.findall(r'(?:href|data-spec)="(/[^"]*/charts/[^"]+)"', html))
        assert links
        for link in links:
            page(client, link)


def test_a_long_work_arrives_in_chunks_that_cover_every_paragraph_once(client, keys):
    html = page(client, f"/work/{keys['long']}").get_data(as_text=True)
    pending = re.findall(r'<section class="chunk pending" data-chunk="(\d+)" data-first="(\d+)" data-last="(\d+)"', html)
    assert len(pending) >= 1
    version = re.search(r'data-version="([^"]+)"', html).group(1)
    base = re.search(r'data-chunk-base="([^"]+)"', html).group(1)
    seen = [int(n) for n in re.findall(r'<p id="p(\d+)"', html)]
    assert seen and max(seen) < int(pending[0][1])
    for chunk, first, last in pending:
        fragment = page(client, f"{base}{chunk}?v={version}").get_data(as_text=True)
        ids = [int(n) for n in re.findall(r'<p id="p(\d+)"', fragment)]
        assert ids == list(range(int(first), int(last)))
        assert "<html" not in fragment and 'data-speaker="Clarke Griffin"' in fragment
        seen += ids
    assert seen == list(range(300))
    strip = re.search(r'<svg class="strip".*?</svg>', html, re.S).group(0)
    assert '<a href="#p250"><rect class="seg-present"' in strip  # the slip points into a later chunk


def test_whole_story_at_once_and_chunk_errors(client, keys):
    whole = page(client, f"/work/{keys['long']}?whole=1").get_data(as_text=True)
    assert len(re.findall(r'<p id="p\d+"', whole)) == 300 and "chunk pending" not in whole
    html = page(client, f"/work/{keys['long']}").get_data(as_text=True)
    version = re.search(r'data-version="([^"]+)"', html).group(1)
    page(client, f"/work/{keys['long']}/story/99?v={version}", 404)
    page(client, f"/work/{keys['long']}/story/1?v=2001-01-01T00:00:00Z", 409)
    page(client, f"/work/0000000000000000/story/1?v={version}", 404)


# -- corpus and reuse -----------------------------------------------------------------------


def test_corpus_page_counts_characters_ships_and_narration(client):
    data = page(client, "/corpus.json").get_json()
    charts = data["charts"]
    ships = {r["ship"]: r["works"] for r in charts["ships"]["rows"]}
    assert ships["Bellamy Blake/Clarke Griffin"] >= 2
    assert {"person", "tense", "pov", "characters", "words-over-time", "length", "fandoms"} <= set(charts)
    periods = [r["period"] for r in charts["words-over-time"]["rows"]]
    assert "2015-03" in periods and "2016-07" in periods
    html = page(client, "/corpus").get_data(as_text=True)
    assert html.count('class="chart"') >= 5


def test_reuse_page_shows_shared_lines_or_says_why_not(client):
    data = page(client, "/reuse.json").get_json()
    if reuse_page.reuse_engine is None:
        assert "not been computed" in data["message"]
        return
    for _ in range(60):
        if data["status"] != "computing":
            break
        import time

        time.sleep(0.5)
        data = page(client, "/reuse.json").get_json()
    assert data["status"] == "ready", data
    shared = [p for c in data["passages"] + data["lines"] for p in c["passages"]]
    assert {"The Dropship at Dawn", "May We Meet Again"} <= {p["title"] for p in shared}
    html = page(client, "/reuse").get_data(as_text=True)
    assert "side by side" in html


def test_reuse_page_says_so_when_reuse_is_unavailable(client, monkeypatch):
    monkeypatch.setattr(reuse_page, "reuse_engine", None)
    html = page(client, "/reuse").get_data(as_text=True)
    assert "Reuse has not been computed" in html


def test_reuse_is_left_to_the_command_line_for_a_huge_library(library, monkeypatch):
    monkeypatch.setattr(reuse_page, "MAX_WORKS", 3)
    monkeypatch.setattr(reuse_page, "_states", {})
    html = create_app(str(library)).test_client().get("/reuse").get_data(as_text=True)
    assert "Reuse has not been computed" in html and "ficlens reuse --db" in html


def test_side_by_side_aligns_the_shared_passage(client, keys):
    if reuse_page.reuse_engine is None:
        pytest.skip("no reuse module in this build")
    data = page(client, f"/reuse/{keys['dropship']}/{keys['meet']}.json").get_json()
    assert data["pairs"], data
    left = " ".join(p["text"] for pair in data["pairs"] for p in pair["a"])
    assert "find my way home again" in left
    html = page(client, f"/reuse/{keys['dropship']}/{keys['meet']}").get_data(as_text=True)
    assert 'class="side-by-side"' in html and "find my way home again" in html


# -- errors, ids, traversal -----------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/work/0000000000000000", "/work/0000000000000000.json", "/work/XYZ", "/work/ABCDEF0123456789",
    "/work/1", "/work/12345678901234567890123456789012345678901234567890123456789012345",
    "/work/<script>", "/work/0000000000000000/charts/dialogue.csv", "/corpus/charts/nothing.csv",
    "/corpus/charts/characters.exe", "/reuse/0000000000000000/1111111111111111", "/nowhere",
])
def test_unknown_or_malformed_ids_are_404(client, url):
    response = page(client, url, 404)
    if url.endswith(".json"):
        assert response.get_json()["status"] == 404


def test_a_hex_key_outside_the_library_is_404_even_when_numeric_like(client, keys):
    page(client, f"/work/{keys['dropship']}")
    page(client, f"/work/{keys['dropship'][:-1]}0" if keys["dropship"][-1] != "0" else
         f"/work/{keys['dropship'][:-1]}1", 404)


@pytest.mark.parametrize("url", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/..%2f..%2fcorpus%2fstore.py",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/vendor/../../app.py", "/static/....//app.py",
    "/static/..\\app.py", "/static/%5c..%5capp.py", "/work/..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
    "/static/templates/base.html", "/templates/base.html",
])
def test_no_file_outside_the_static_folder_is_served(client, library, url):
    response = client.get(url)
    assert response.status_code in (404, 400, 308), url
    body = response.get_data(as_text=True)
    assert "root:" not in body and "import" not in body and "{%" not in body
    assert "SQLite format" not in body


def test_the_library_file_itself_is_never_served(client, library):
    for url in (f"/static/{library.name}", "/library.db", f"/{library.name}"):
        assert client.get(url).status_code == 404


def test_only_get_exists(client, keys):
    for url in ("/", "/index.json", f"/work/{keys['dropship']}", "/corpus", "/reuse"):
        for method in (client.post, client.put, client.delete, client.patch):
            assert method(url).status_code == 405


def test_security_headers_on_every_response(client, keys):
    for url in ("/", f"/work/{keys['dropship']}.json", "/static/ficlens.css", "/nowhere"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_a_foreign_host_name_is_refused(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8421"}).status_code == 200


def test_vega_is_served_locally(client):
    response = page(client, "/static/vendor/vega.js")
    assert response.mimetype == "text/javascript"
    code = response.get_data(as_text=True)
    assert "window.vegaEmbed" in code and len(code) > 100_000
    again = client.get("/static/vendor/vega.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.slow
def test_vega_bundle_is_built_aside_and_kept_for_the_next_start(tmp_path, monkeypatch):
    import threading
    import time

    from ficlens.web import vega

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    vega._build.cache_clear()
    ticks = []
    stop = time.perf_counter() + 600

    def ticking():  # a request thread: must keep running while the bundle builds
        while time.perf_counter() < stop and not built.is_set():
            start = time.perf_counter()
            sum(range(1000))
            ticks.append(time.perf_counter() - start)
            time.sleep(0.01)

    built = threading.Event()
    other = threading.Thread(target=ticking)
    other.start()
    try:
        code, _ = vega.bundle()
    finally:
        built.set()
        other.join()
    assert vega.MARKER in code and vega.cache_path().read_bytes() == code
    assert len(ticks) > 10, "the build held the GIL: nothing else ran meanwhile"
    vega._build.cache_clear()
    assert vega.bundle()[0] == code  # read back from the cache, no build


def test_pages_load_nothing_from_other_sites(client, keys):
    for url in ("/", f"/work/{keys['dropship']}", "/corpus", "/reuse"):
        html = page(client, url).get_data(as_text=True)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url


# -- hostile fics ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["evil_txt", "evil_ao3"])
def test_hostile_fic_is_shown_as_text_and_runs_nothing(client, keys, which):
    html = page(client, f"/work/{keys[which]}").get_data(as_text=True)
    assert_harmless(html)
    assert "&lt;script&gt;alert(" in html
    assert "onerror=alert(" in html.replace("&lt;img src=x ", "")  # the words are shown, inside escaped text
    story = html[html.index('id="story"'):html.index('class="panel"')]
    assert "&lt;script&gt;alert(" in story


def test_hostile_title_tags_and_notes_are_escaped_everywhere(client, keys):
    ao3 = page(client, f"/work/{keys['evil_ao3']}").get_data(as_text=True)
    title = re.search(r"<h1>(.*?)</h1>", ao3).group(1)
    assert title == "&lt;script&gt;alert(1)&lt;/script&gt; Evil Title"
    assert re.search(r'<span class="tag freeform">&lt;script&gt;alert\(3\)&lt;/script&gt;</span>', ao3)
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; Evil Title · ficlens</title>" in ao3
    for note in re.findall(r'<aside class="note[^"]*">.*?</aside>', ao3, re.S):
        assert "<script" not in note
    for url in ("/?q=alert", "/index.json?q=alert", "/corpus", "/reuse", "/?q=%3Cscript%3E",
                "/?fandom=%3Cscript%3Ealert(1)%3C/script%3E", "/nowhere%3Cscript%3E"):
        assert_harmless(client.get(url).get_data(as_text=True))


def test_hostile_search_results_highlight_without_unescaping(client):
    html = page(client, "/?q=alert").get_data(as_text=True)
    assert "&lt;script&gt;<mark>alert</mark>(" in html
    assert_harmless(html)


# -- read-only ------------------------------------------------------------------------------


def test_serving_never_writes_the_library(library, keys, tmp_path):
    copy = tmp_path / "readonly.db"
    copy.write_bytes(library.read_bytes())
    copy.chmod(stat.S_IRUSR)
    before = copy.read_bytes()
    client = create_app(str(copy)).test_client()
    for url in ("/", "/?q=stars", f"/work/{keys['dropship']}", "/corpus", "/reuse.json"):
        assert client.get(url).status_code == 200, url
    assert copy.read_bytes() == before
    assert not os.path.exists(str(copy) + "-wal") or os.path.getsize(str(copy) + "-wal") == 0


def test_an_empty_library_serves_every_page(tmp_path):
    from ficlens.corpus.store import Library

    Library(tmp_path / "empty.db").close()
    client = create_app(str(tmp_path / "empty.db")).test_client()
    assert "No work matches" in page(client, "/").get_data(as_text=True)
    assert page(client, "/index.json").get_json()["count"] == 0
    assert "no works yet" in page(client, "/corpus").get_data(as_text=True)
    assert page(client, "/corpus.json").get_json()["works"] == 0
    assert page(client, "/reuse").status_code == 200


# -- command line ---------------------------------------------------------------------------


def test_serve_reports_a_missing_library_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db"), "--no-browser"])
    assert result.exit_code == 1
    assert "no library here" in result.output and "Traceback" not in result.output


def test_serve_refuses_a_file_that_is_not_a_library(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    result = CliRunner().invoke(main, ["serve", "--db", str(bogus), "--no-browser"])
    assert result.exit_code == 1 and "not a ficlens library" in result.output


def test_serve_says_in_one_line_when_the_port_is_taken(library):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", str(library), "--port", str(port), "--no-browser"])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "in use" in result.output
