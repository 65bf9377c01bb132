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
    story.addEventListener("focusin", function (event) {
      var quote = event.target.closest(".q");
      if (quote) {
        var box = quote.getBoundingClientRect();
        show(quote, box.left, box.bottom - 8);
      }
    });
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

  document.addEventListener("DOMContentLoaded", function () { tooltip(); charts(); });
})();
