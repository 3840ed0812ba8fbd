// The breakdown explorer: without this script it is a plain form (tick
// values, press "Show"). With it, "select all" appears for each dimension
// and every tick redraws the chart and the table at once: the page is
// fetched again with the new choice, the parts marked data-explorer-swap
// are replaced, and the address changes to it, so a link still reproduces
// the view. Focus stays on the box just ticked.
(function () {
  "use strict";

  function boxes(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input[name=bd]"));
  }

  // "Select all" is ticked when every value is, half-ticked when some are.
  function syncAll(fieldset) {
    var all = fieldset.querySelector("[data-select-all]");
    if (!all) { return; }
    var list = boxes(fieldset);
    var n = list.filter(function (b) { return b.checked; }).length;
    all.checked = n === list.length;
    all.indeterminate = n > 0 && n < list.length;
  }

  function url(form) {
    var params = new URLSearchParams(new FormData(form));
    var q = params.toString();
    return form.getAttribute("action") + (q ? "?" + q : "");
  }

  // Forms that keep the choice (the unit picker) carry it as hidden fields.
  function keepChoice(form) {
    var chosen = Array.prototype.slice.call(form.querySelectorAll("input[name=bd]:checked")).map(function (b) { return b.value; });
    document.querySelectorAll("form[data-explorer-keeps]").forEach(function (f) {
      f.querySelectorAll("[data-explorer-keep]").forEach(function (i) { i.remove(); });
      chosen.forEach(function (v) {
        var i = document.createElement("input");
        i.type = "hidden";
        i.name = "bd";
        i.value = v;
        i.setAttribute("data-explorer-keep", "");
        f.appendChild(i);
      });
    });
  }

  function enhance(form) {
    var latest = 0;
    form.querySelectorAll(".explorer-all").forEach(function (l) { l.hidden = false; });
    var submit = form.querySelector("[data-explorer-submit]");
    if (submit) { submit.hidden = true; }

    function apply() {
      var to = url(form);
      var mine = ++latest;
      var swapped = document.querySelectorAll("[data-explorer-swap]");
      swapped.forEach(function (el) { el.setAttribute("aria-busy", "true"); });
      fetch(to, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.text();
        })
        .then(function (html) {
          if (mine !== latest) { return; } // a later choice is on its way
          var doc = new DOMParser().parseFromString(html, "text/html");
          swapped.forEach(function (el) {
            var fresh = el.id && doc.getElementById(el.id);
            if (fresh && el.getAttribute("role") === "status") {
              // A live region is told, not replaced, so it is read out.
              el.textContent = fresh.textContent;
              el.removeAttribute("aria-busy");
            } else if (fresh) {
              el.replaceWith(document.importNode(fresh, true));
            } else {
              el.removeAttribute("aria-busy");
            }
          });
          history.replaceState(null, "", to);
          keepChoice(form);
          document.dispatchEvent(new CustomEvent("tiendo:swapped"));
        })
        .catch(function () {
          // The page could not be fetched: go there the ordinary way.
          if (mine === latest) { window.location.href = to; }
        });
    }

    form.querySelectorAll("fieldset").forEach(function (fs) {
      var all = fs.querySelector("[data-select-all]");
      syncAll(fs);
      if (all) {
        all.addEventListener("change", function () {
          boxes(fs).forEach(function (b) { b.checked = all.checked; });
          all.indeterminate = false;
          apply();
        });
      }
      boxes(fs).forEach(function (b) {
        b.addEventListener("change", function () {
          syncAll(fs);
          apply();
        });
      });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      apply();
    });
  }

  function start() {
    if (!window.fetch || !window.DOMParser || !window.URLSearchParams) { return; }
    document.querySelectorAll("form[data-explorer]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
