"""How fast the work page of a 200,000-word work is: on the server, and loaded in a browser.

The work is Jane Austen's *Emma* followed by the opening of *Pride and Prejudice* (from PDNC in
../shared/data/pdnc) up to 200,000 words, read and analysed by the real pipeline and stored in a
temporary library. The server-side figure is the time Flask takes to answer GET /work/<id>
(library read, page build, template); the browser figure is Chromium's first byte, DOMContentLoaded and
load events for the same page served over loopback (Playwright, Debian's
/usr/bin/chromium), with `ficlens serve` in its own process. Only the opening of the story is in the
page; the rest, and the charts, are fetched after load and are not part of either figure.

    python benchmarks/web_page.py [--words 200000] [--runs 7] [--no-browser]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ficlens import ingest
from ficlens.analyze import analyze
from ficlens.corpus.store import Library
from ficlens.web import stored, work_page
from ficlens.web.app import create_app

PDNC = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "pdnc"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def long_text(words: int) -> str:
    parts, count = [], 0
    for novel in ("Emma", "PrideAndPrejudice", "NightAndDay"):
        for para in (PDNC / novel / "novel_text.txt").read_text(encoding="utf-8").split("\n\n"):
            if count >= words:
                return "\n\n".join(parts)
            parts.append(para)
            count += len(para.split())
    return "\n\n".join(parts)


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true")
    opts = parser.parse_args()
    if not PDNC.is_dir():
        print(f"needs PDNC at {PDNC}", file=sys.stderr)
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="ficlens-web-bench-"))
    source = scratch / "long.txt"
    source.write_text(long_text(opts.words), encoding="utf-8")
    started = time.perf_counter()
    analysis = analyze(ingest.read(source))
    print(f"work: {analysis.work.story_text_words():,} words, {len(analysis.work.paragraphs):,} paragraphs, "
          f"{len(analysis.quotes):,} quotes, {len(analysis.characters)} characters "
          f"(read + analysed in {time.perf_counter() - started:.1f} s)")
    db = scratch / "library.db"
    with Library(db) as lib:
        lib.add(analysis, source_path=str(source), content_hash=hashlib.sha1(source.read_bytes()).hexdigest())
        key = lib.works(limit=1)[0]["key"]

    client = create_app(str(db)).test_client()
    url = f"/work/{key}"
    size = len(client.get(url).data)
    server, cpu = [], []
    for _ in range(opts.runs):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        server.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert response.status_code == 200
    print(f"server: GET {url} {median_ms(server)} wall, {median_ms(cpu)} CPU, {size / 1e6:.2f} MB of HTML")

    page_html = response.get_data(as_text=True)
    version = re.search(r'data-version="([^"]+)"', page_html).group(1)
    pieces = re.findall(r'data-chunk="(\d+)"', page_html)
    chunk_times = []
    for n in pieces:
        t = time.perf_counter()
        assert client.get(f"{url}/story/{n}?v={version}").status_code == 200
        chunk_times.append(time.perf_counter() - t)
    print(f"  then {len(pieces)} later pieces of the story, fetched as the reader scrolls: {median_ms(chunk_times)} each")
    with Library(db, readonly=True) as lib:
        t = time.perf_counter()
        doc = lib.work(key)
        loaded = time.perf_counter() - t
    t = time.perf_counter()
    rebuilt = stored.analysis(doc)
    model = time.perf_counter() - t
    t = time.perf_counter()
    work_page.context(rebuilt)
    built = time.perf_counter() - t
    print(f"  of which: Library.work {loaded * 1000:.0f} ms, model {model * 1000:.0f} ms, "
          f"story + figures {built * 1000:.0f} ms")

    if opts.no_browser or not Path(CHROMIUM).exists():
        return 0
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-m", "ficlens", "serve", "--db", str(db), "--port", "0",
                               "--no-browser"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    base = None
    for line in server.stderr:
        found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        if found:
            base = found.group(1)
            break
    threading.Thread(target=server.stderr.read, daemon=True).start()  # keep its log from filling the pipe
    first_byte, ready, loaded_ms = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(opts.runs):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + url, wait_until="load")
            timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
            first_byte.append(timing["responseStart"] / 1000)
            ready.append(timing["domContentLoadedEventEnd"] / 1000)
            loaded_ms.append(timing["loadEventEnd"] / 1000)
            page.close()
        browser.close()
    server.terminate()
    server.wait()
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"browser: first byte {median_ms(first_byte)}, DOMContentLoaded {median_ms(ready)}, "
          f"load {median_ms(loaded_ms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
