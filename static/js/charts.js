// Draws every element marked data-chart with the locally served ECharts.
// Options come as JSON in data-options and the height in data-height, so
// pages need neither inline script nor inline style (the CSP forbids both).
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var fmt = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US", { maximumFractionDigits: 2 });
  var charts = [];

  function draw(el) {
    var options;
    var height = parseInt(el.getAttribute("data-height"), 10);
    if (height > 0) {
      el.style.height = height + "px";
    }
    try {
      options = JSON.parse(el.getAttribute("data-options"));
    } catch (e) {
      el.textContent = "";
      return;
    }
    if (options.tooltip) {
      options.tooltip.valueFormatter = function (v) { return typeof v === "number" ? fmt.format(v) : v; };
    }
    [].concat(options.yAxis || [], options.xAxis || []).forEach(function (axis) {
      // A value axis, named or by default (no type and no categories).
      if (axis && (axis.type === "value" || (!axis.type && !axis.data))) {
        axis.axisLabel = axis.axisLabel || {};
        axis.axisLabel.formatter = function (v) { return fmt.format(v); };
      }
    });
    [].concat(options.series || []).forEach(function (s) {
      if (s.detail && typeof s.detail.formatter === "string" && s.detail.formatter.indexOf("{value}") >= 0) {
        var pattern = s.detail.formatter;
        s.detail.formatter = function (v) { return pattern.replace("{value}", fmt.format(v)); };
      }
      if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = function (p) { return typeof p.value === "number" ? fmt.format(p.value) : p.value; };
      }
    });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(options);
    el.setAttribute("data-drawn", "true");
    // The time to the first chart, for the first-visit benchmark (e2e).
    if (charts.length === 0 && window.performance && performance.mark) {
      performance.mark("tiendo:first-chart");
    }
    var link = el.getAttribute("data-link");
    if (link) {
      chart.on("click", function (p) {
        var to = link.replace("{name}", encodeURIComponent(p.name || "")).replace("{series}", encodeURIComponent(p.seriesName || ""));
        window.location.href = to;
      });
    }
    var links = el.getAttribute("data-links");
    if (links) {
      var byName = JSON.parse(links);
      chart.on("click", function (p) {
        if (byName[p.name]) { window.location.href = byName[p.name]; }
      });
    }
    charts.push(chart);
  }

  // A button marked data-print opens the print dialog (the briefing page).
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
  }

  // On a phone the filters start folded, so the figures come first.
  function collapseOnPhones() {
    if (window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      document.querySelectorAll("details[data-collapse-phone]").forEach(function (d) { d.open = false; });
    }
  }

  // Parts of a page replaced in place (the breakdown explorer) fire
  // "tiendo:swapped": their charts are drawn, and those removed let go.
  function redraw(e) {
    charts = charts.filter(function (c) {
      if (c.getDom().isConnected) { return true; }
      c.dispose();
      return false;
    });
    if (typeof echarts !== "undefined") {
      e.target.querySelectorAll("[data-chart]:not([data-drawn])").forEach(draw);
    }
  }

  function start() {
    collapseOnPhones();
    if (typeof echarts !== "undefined") {
      document.querySelectorAll("[data-chart]").forEach(draw);
    }
    document.addEventListener("tiendo:swapped", redraw);
    autosubmit();
    printButtons();
    var resize = function () { charts.forEach(function (c) { c.resize(); }); };
    window.addEventListener("resize", resize);
    // Paper is narrower than the screen: fit the charts before printing.
    window.addEventListener("beforeprint", resize);
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      if (print.addEventListener) { print.addEventListener("change", resize); }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
