// ficlens pages: the dialogue tooltip and lazily drawn charts. No inline scripts; no network beyond this site.
"use strict";

(function () {
  function tooltip() {
    var story = document.getElementById("story");
    if (!story) return;
    var tip = document.createElement("div");
    tip.id = "tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);

    function line(label, value) {
      var row = document.createElement("div");
      var key = document.createElement("span");
      key.className = "tip-key";
      key.textContent = label;
      var val = document.createElement("span");
      val.textContent = value;
      row.appendChild(key);
      row.appendChild(val);
      return row;
    }

    function show(quote, x, y) {
      tip.replaceChildren(
        line("speaker", quote.dataset.speaker || "unknown"),
        line("to", quote.dataset.addressee || "unknown"),
        line("confidence", quote.dataset.confidence || "–")
      );
      if (quote.dataset.kind && quote.dataset.kind !== "speech") tip.appendChild(line("kind", quote.dataset.kind));
      tip.hidden = false;
      var left = Math.min(x + 12, window.innerWidth - tip.offsetWidth - 8);
      tip.style.left = Math.max(8, left) + "px";
      tip.style.top = (y + 16) + "px";
    }

    story.addEventListener("mouseover", function (event) {
      var quote = event.target.closest(".q");
      if (quote) show(quote, event.clientX, event.clientY);
    });
    story.addEventListener("mouseout", function (event) {
      var quote = event.target.closest(".q");
      if (quote && !quote.contains(event.relatedTarget)) tip.hidden = true;
    });
  }

  // Clicking a name in the character panel keeps only that character's lines marked.
  function speakerFocus() {
    var story = document.getElementById("story");
    if (!story) return;
    function apply() {
      var name = story.dataset.focus || "";
      story.classList.toggle("focusing", !!name);
      story.querySelectorAll(".q").forEach(function (q) {
        q.classList.toggle("dim", !!name && q.dataset.speaker !== name);
      });
      document.querySelectorAll(".who button.name").forEach(function (b) {
        b.setAttribute("aria-pressed", String(!!name && b.dataset.speaker === name));
      });
    }
    document.querySelectorAll(".who button.name").forEach(function (button) {
      button.addEventListener("click", function () {
        story.dataset.focus = story.dataset.focus === button.dataset.speaker ? "" : button.dataset.speaker;
        apply();
      });
    });
    story.addEventListener("ficlens:chunk", apply);
  }

  var vegaLoading = null;
  function loadVega() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!vegaLoading) {
      vegaLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = document.body.dataset.vega;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return vegaLoading;
  }

  function draw(el) {
    if (el.dataset.state) return;
    el.dataset.state = "loading";
    Promise.all([loadVega(), fetch(el.dataset.spec).then(function (r) { return r.json(); })])
      .then(function (done) {
        // ast + the bundled interpreter: Vega evaluates expressions without eval, so the CSP holds.
        return window.vegaEmbed(el.querySelector(".chart-view"), done[1],
          { renderer: "svg", actions: false, ast: true, defaultStyle: false,
            tooltip: { disableDefaultStyle: true } });
      })
      .then(function () { el.dataset.state = "drawn"; })
      .catch(function (err) {
        el.dataset.state = "failed";
        el.querySelector(".chart-view").textContent = "The chart could not be drawn: " + err;
      });
  }

  function charts() {
    var els = document.querySelectorAll(".chart[data-spec]");
    if (!els.length) return;
    if (!("IntersectionObserver" in window)) { els.forEach(draw); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { seen.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "200px" });
    els.forEach(function (el) { seen.observe(el); });
  }

  // A long story arrives in pieces: each placeholder keeps roughly its room and is filled as the
  // reader comes near it, or at once when a link (the narration strip) points into it.
  function storyChunks() {
    var story = document.getElementById("story");
    if (!story || !story.dataset.chunkBase) return;
    var pending = Array.prototype.slice.call(story.querySelectorAll(".chunk.pending"));
    if (!pending.length) return;
    pending.forEach(function (el) { el.style.minHeight = Math.round(el.dataset.words * 2.4) + "px"; });

    function load(el) {
      if (el.loading) return el.loading;
      el.dataset.state = "loading";
      var url = story.dataset.chunkBase + el.dataset.chunk + "?v=" + encodeURIComponent(story.dataset.version);
      el.loading = fetch(url)
        .then(function (r) {
          if (!r.ok) throw new Error(r.status === 409 ? "this work changed since the page was opened; reload it" : "HTTP " + r.status);
          return r.text();
        })
        .then(function (html) {
          el.innerHTML = html;  // ficlens's own markup: escaped and sanitised on the server
          el.classList.remove("pending");
          el.style.minHeight = "";
          el.dataset.state = "loaded";
          story.dispatchEvent(new Event("ficlens:chunk"));
        })
        .catch(function (err) {
          el.dataset.state = "failed";
          el.textContent = "This part of the story could not be loaded: " + err.message;
        });
      return el.loading;
    }

    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { near.unobserve(entry.target); load(entry.target); }
      });
    }, { rootMargin: "1500px 0px" });
    pending.forEach(function (el) { near.observe(el); });

    function goTo(n) {
      var el = pending.find(function (c) { return n >= +c.dataset.first && n < +c.dataset.last; });
      if (!el) return false;
      load(el).then(function () {
        var target = document.getElementById("p" + n);
        if (target) { target.scrollIntoView(); history.replaceState(null, "", "#p" + n); }
      });
      return true;
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#p"]');
      if (!link) return;
      var n = parseInt(link.getAttribute("href").slice(2), 10);
      if (!document.getElementById("p" + n) && goTo(n)) event.preventDefault();
    });
    var wanted = /^#p(\d+)$/.exec(location.hash);
    if (wanted && !document.getElementById("p" + wanted[1])) goTo(parseInt(wanted[1], 10));
  }

  document.addEventListener("DOMContentLoaded", function () { tooltip(); speakerFocus(); storyChunks(); });
  // Charts wait for the page itself: the Vega bundle is large and the story comes first.
  window.addEventListener("load", charts);
})();
