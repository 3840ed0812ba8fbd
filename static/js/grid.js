// The data-entry grid behaves like the spreadsheet it replaces: a block
// pasted from Excel fills the cells from the one pasted into, arrow keys and
// Enter move between cells (Tab moves right, as browsers do), changed cells
// are marked, and clearing a stored value asks for confirmation. Numbers are
// sent as typed: the server reads them with the one number parser.
(function () {
  "use strict";

  function setup(form) {
    var rows = [].map.call(form.querySelectorAll("table.grid tbody tr"), function (tr) {
      return [].slice.call(tr.querySelectorAll("input[data-stored]"));
    });
    var status = form.querySelector("[data-changed-status]");

    function mark(input) {
      var td = input.parentNode;
      var stored = input.getAttribute("data-stored");
      var value = input.value.trim();
      td.classList.toggle("changed", value !== stored && value !== "");
      td.classList.toggle("cleared", value === "" && stored !== "");
    }

    function count() {
      var n = form.querySelectorAll("td.changed, td.cleared").length;
      if (status) {
        status.textContent = n ? form.getAttribute("data-changed-count").replace("%d", n) : "";
      }
    }

    function place(input) {
      for (var r = 0; r < rows.length; r++) {
        var c = rows[r].indexOf(input);
        if (c >= 0) {
          return [r, c];
        }
      }
      return null;
    }

    function go(r, c) {
      if (r < 0 || r >= rows.length || c < 0 || c >= rows[r].length) {
        return;
      }
      rows[r][c].focus();
      rows[r][c].select();
    }

    form.addEventListener("input", function (e) {
      if (e.target.hasAttribute("data-stored")) {
        mark(e.target);
        count();
      }
    });

    form.addEventListener("keydown", function (e) {
      var at = e.target.hasAttribute && e.target.hasAttribute("data-stored") ? place(e.target) : null;
      if (!at || e.altKey || e.ctrlKey || e.metaKey) {
        return;
      }
      var input = e.target, len = input.value.length;
      var whole = input.selectionStart === 0 && input.selectionEnd === len;
      switch (e.key) {
        case "ArrowUp": go(at[0] - 1, at[1]); break;
        case "ArrowDown": go(at[0] + 1, at[1]); break;
        case "Enter": go(at[0] + (e.shiftKey ? -1 : 1), at[1]); break;
        case "ArrowLeft":
          if (!whole && input.selectionStart > 0) { return; }
          go(at[0], at[1] - 1); break;
        case "ArrowRight":
          if (!whole && input.selectionEnd < len) { return; }
          go(at[0], at[1] + 1); break;
        default: return;
      }
      e.preventDefault(); // Enter moves down, as in a spreadsheet, and never submits the grid
    });

    // Some input methods deliver Enter as a separate keypress: it must not
    // submit the grid either.
    form.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && e.target.hasAttribute && e.target.hasAttribute("data-stored")) {
        e.preventDefault();
      }
    });

    // A block (tab-separated columns, one line per row) fills the cells from
    // the one pasted into; a single value is an ordinary paste.
    form.addEventListener("paste", function (e) {
      var at = e.target.hasAttribute && e.target.hasAttribute("data-stored") ? place(e.target) : null;
      var data = e.clipboardData || window.clipboardData;
      if (!at || !data) {
        return;
      }
      var text = data.getData("text/plain").replace(/\r\n?/g, "\n").replace(/\n$/, "");
      if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) {
        return;
      }
      e.preventDefault();
      text.split("\n").forEach(function (line, i) {
        line.split("\t").forEach(function (cell, j) {
          var row = rows[at[0] + i];
          var input = row && row[at[1] + j];
          if (input) {
            input.value = cell.trim();
            mark(input);
          }
        });
      });
      count();
    });

    // Clearing a stored value deletes it: ask first, naming each one.
    form.addEventListener("submit", function (e) {
      var cleared = [].filter.call(form.querySelectorAll("td.cleared input"), function () { return true; });
      var box = form.querySelector("#confirm-delete");
      if (!cleared.length || !box) {
        return;
      }
      var names = cleared.map(function (i) {
        return i.getAttribute("aria-label") + " (" + i.getAttribute("data-stored") + ")";
      }).join("; ");
      var question = form.getAttribute("data-confirm-delete").replace("%d", cleared.length).replace("%s", names);
      if (window.confirm(question)) {
        box.checked = true;
      } else {
        e.preventDefault();
      }
    });

    rows.forEach(function (row) { row.forEach(mark); });
    count();
  }

  function start() {
    document.querySelectorAll("form[data-grid]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
