"""The real pages in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

`ficlens serve` runs as a subprocess on a free loopback port; the tests search, filter, open a
work, hover a quote, draw charts, and open the hostile fics while listening for any dialog. Each
page is photographed; with FICLENS_SCREENSHOTS=docs/screenshots the photographs refresh the README's,
otherwise they go to a temporary folder so a test run leaves the checkout untouched.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from test_web_data import build_library, key_of

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

playwright_api = pytest.importorskip("playwright.sync_api")
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return build_library(tmp_path_factory.mktemp("browser") / "lib")


@contextmanager
def serving(*options: str):
    """`ficlens serve` on 127.0.0.1, any free port; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ficlens", "serve", "--port", "0", "--no-browser", *options],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        url = None
        for line in proc.stderr:
            found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
            if found:
                url = found.group(1)
                break
        assert url, "ficlens serve did not say where it listens"
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # drain its request log
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(library):
    with serving("--db", str(library)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    tab = context.new_page()
    tab.screenshots = screenshots
    tab.dialogs = []
    tab.problems = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.on("request", lambda r: tab.problems.append(f"off-site request {r.url}")
           if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    yield tab
    context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = os.environ.get("FICLENS_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")


def shoot(tab, name: str, **options) -> None:
    tab.screenshot(path=str(tab.screenshots / name), **options)


def test_search_then_filter_by_a_facet(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "stars")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"q=stars"))
    titles = page.locator(".result h2 a").all_inner_texts()
    assert {"The Dropship at Dawn", "May We Meet Again"} <= set(titles)
    assert page.locator(".result .snippet mark").count() >= 2
    before = page.locator(".result").count()
    page.locator('ul[data-facet="tense"] a', has_text="present").click()
    page.wait_for_url(re.compile(r"tense=present"))
    assert page.locator(".chip").inner_text().startswith("Tense: present")
    after = page.locator(".result h2 a").all_inner_texts()
    assert "May We Meet Again" in after and "The Dropship at Dawn" not in after and len(after) < before
    page.goto(server + "/?q=stars")
    shoot(page, "library.png")
    assert not page.problems, page.problems


def test_open_a_work_and_hover_a_quote(server, page):
    page.goto(server + "/?q=guns")
    page.locator(".result h2 a", has_text="The Dropship at Dawn").click()
    page.wait_for_selector("#story")
    quote = page.locator('.q[data-speaker="Bellamy Blake"]').first
    quote.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Bellamy Blake" in text and "Clarke Griffin" in text and "0.90" in text
    assert page.locator("svg.network circle").count() == 3
    assert page.locator("svg.strip rect.seg-present").count() == 1
    page.wait_for_selector('#chart-dialogue[data-state="drawn"]', timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator('.q[data-speaker="Bellamy Blake"]').first.hover()
    tip.wait_for(state="visible")
    shoot(page, "work.png", full_page=True)
    page.mouse.move(5, 5)
    tip.wait_for(state="hidden")
    page.locator('.who button.name', has_text="Octavia Blake").click()
    marked = page.locator("#story .q:not(.dim)")
    assert marked.count() == 1 and marked.first.get_attribute("data-speaker") == "Octavia Blake"
    page.locator('.who button.name', has_text="Octavia Blake").click()
    assert page.locator("#story .q.dim").count() == 0
    assert not page.problems, page.problems


def test_a_chart_draws_as_svg_from_the_local_bundle(server, page, library):
    page.goto(f"{server}/work/{key_of(library, 'The Dropship at Dawn')}")
    chart = page.locator("#chart-dialogue")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector('#chart-dialogue[data-state="drawn"]', timeout=30_000)
    bars = chart.locator("svg .mark-rect path")
    assert bars.count() == 3
    labels = chart.locator("svg text").all_text_contents()
    assert {"Clarke Griffin", "Bellamy Blake", "Octavia Blake"} <= set(labels)
    assert not page.problems, page.problems


def test_corpus_page_draws_every_chart(server, page):
    page.goto(server + "/corpus")
    charts = page.locator(".chart[data-spec]")
    count = charts.count()
    assert count >= 5
    for i in range(count):
        charts.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart[data-spec]')].every(c => c.dataset.state === 'drawn')",
        timeout=30_000)
    assert page.locator(".chart svg .mark-rect path").count() >= 10
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "corpus.png", full_page=True)
    assert not page.problems, page.problems


def test_reuse_pages_show_the_shared_passage(server, page, library):
    from ficlens.web import reuse_page

    page.goto(server + "/reuse")
    if reuse_page.reuse_engine is None:
        assert "not been computed" in page.inner_text("main")
        return
    page.wait_for_function("() => !document.getElementById('reuse-status')", timeout=60_000)
    assert "find my way home again" in page.inner_text("main")
    shoot(page, "reuse.png")
    dropship, meet = key_of(library, "The Dropship at Dawn"), key_of(library, "May We Meet Again")
    page.locator(f'a.compare[href="/reuse/{dropship}/{meet}"], a.compare[href="/reuse/{meet}/{dropship}"]').first.click()
    page.wait_for_selector(".side-by-side .passage")
    assert "find my way home again" in page.inner_text(".side-by-side .passage >> nth=0")
    shoot(page, "compare.png")
    assert not page.problems, page.problems


@pytest.mark.parametrize("name", ["evil.txt", "evil_ao3.html"])
def test_hostile_fic_runs_nothing_and_shows_its_script_as_text(server, page, library, name):
    page.goto(f"{server}/work/{key_of(library, name)}")
    story = page.inner_text("#story")
    assert "<script>alert(" in story
    assert "onerror=alert(" in story
    page.locator("#story .q").first.hover()
    page.goto(server + "/?q=alert")
    assert "<script>alert(" in page.inner_text(".results")
    page.goto(server + "/corpus")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('#story img, .results img, iframe').length") == 0
    assert not page.problems, page.problems


def test_a_long_work_fills_in_as_the_reader_scrolls_or_jumps(server, page, library):
    page.goto(f"{server}/work/{key_of(library, 'The Long Watch')}")
    assert page.locator("#p250").count() == 0
    page.locator("svg.strip rect.seg-present").click()
    page.wait_for_selector("#p250")
    page.wait_for_function("() => location.hash === '#p250'")
    assert page.locator("#p250").is_visible()
    page.keyboard.press("End")
    page.wait_for_selector("#p299", timeout=30_000)
    for step in range(60):  # a reader scrolling back up through the middle of the story
        page.mouse.wheel(0, -1500)
        page.wait_for_timeout(50)
    page.wait_for_function("() => !document.querySelector('.chunk.pending')", timeout=30_000)
    assert page.locator("#story p[id^=p]").count() == 300
    assert not page.problems, page.problems


def test_serve_example_needs_no_library():
    with serving("--example") as url:
        with urllib.request.urlopen(url + "/index.json", timeout=30) as response:
            found = json.load(response)
        assert found["count"] >= 4
        with urllib.request.urlopen(url + "/work/" + found["results"][0]["key"], timeout=30) as response:
            assert response.status == 200 and b'id="story"' in response.read()
