/* jixiao charts: draw each chart of the page when it comes near the screen, once the reader is using the page.
 * The page already holds a visible text summary and a data table for every chart; the picture only adds to them.
 * Plotly (about 400 KB compressed) is fetched when the first chart is about to be seen, never before the page has
 * painted, and charts are drawn one at a time, giving the browser back between two charts (a phone stays
 * responsive while a long page fills in). The comparison page draws through the same queue (jixiaoCharts.watch). */
(function () {
  "use strict";
  var script = document.currentScript;
  var source = script && script.getAttribute("data-figures");
  var plotlySource = script && script.getAttribute("data-plotly");
  var config = { displayModeBar: false, responsive: true, locale: "zh-CN", scrollZoom: false };
  var plotly = null, figures = null, queue = [], busy = false;

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        if (window.Plotly) return resolve(window.Plotly);
        var tag = document.createElement("script");
        tag.src = plotlySource;
        tag.onload = function () { return window.Plotly ? resolve(window.Plotly) : reject(new Error("Plotly")); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return plotly;
  }

  function loadFigures() {
    if (!figures) {
      figures = !source ? Promise.resolve({}) : fetch(source, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("figures " + response.status);
        return response.json();
      });
    }
    return figures;
  }

  function draw(job) {
    var wanted = job.figure ? Promise.resolve(job.figure)
      : loadFigures().then(function (all) { return all[job.node.getAttribute("data-figure")]; });
    return Promise.all([loadPlotly(), wanted]).then(function (loaded) {
      var figure = loaded[1];
      if (!figure || job.node.getAttribute("data-rendered")) return;
      return loaded[0].newPlot(job.node, figure.data, figure.layout, config).then(function () {
        job.node.setAttribute("data-rendered", "true");
        // The chart now shows the numbers: fold the data table away (it stays one click away).
        var details = job.node.parentNode.querySelector("details.jx-chart-data");
        if (details) details.removeAttribute("open");
      });
    });
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    draw(queue.shift())
      .catch(function () { /* Keep the text and table alternatives: they say everything the chart would. */ })
      .then(function () {
        busy = false;
        setTimeout(next, 0);
      });
  }

  function want(node, figure) {
    queue.push({ node: node, figure: figure });
    next();
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      want(entry.target, entry.target.jxFigure);
    });
  }, { rootMargin: "200px 0px" }) : null;

  // Nothing is fetched before the reader does something (scrolls, touches, moves the mouse, presses a key): the
  // first view is the text, the numbers and the tables, and a phone's first seconds go to them, not to a library.
  var waiting = [], GESTURES = ["scroll", "wheel", "touchstart", "pointermove", "pointerdown", "keydown"];
  function begin() {
    GESTURES.forEach(function (name) { window.removeEventListener(name, begin, { passive: true }); });
    var nodes = waiting;
    waiting = null;
    nodes.forEach(function (node) { watch(node); });
  }
  GESTURES.forEach(function (name) { window.addEventListener(name, begin, { passive: true }); });

  // Draw ``node`` once it nears the screen: from the page's figure JSON, or from ``figure`` ({data, layout}).
  function watch(node, figure) {
    if (figure) node.jxFigure = figure;
    if (watched.indexOf(node) === -1) watched.push(node);
    if (waiting) waiting.push(node);
    else if (observer && !eager) observer.observe(node);
    else want(node, node.jxFigure);
  }

  // Paper is narrower than most screens: redraw the charts at the sheet's width before printing, and back after.
  var PRINT_WIDTH = 640;
  function resize(width) {
    if (!window.Plotly) return;
    Array.prototype.forEach.call(document.querySelectorAll(".jx-chart[data-rendered]"), function (node) {
      window.Plotly.relayout(node, width ? { width: Math.min(width, node.clientWidth || width), autosize: false } : { autosize: true, width: null });
    });
  }
  window.addEventListener("beforeprint", function () { resize(PRINT_WIDTH); });
  window.addEventListener("afterprint", function () { resize(null); });

  // Every chart now, wherever it is (before printing; tests that look at all charts at once).
  var watched = [], eager = false;
  function drawAll() {
    eager = true;  // and any chart added from now on (the comparison's, built after its data arrives)
    if (waiting) begin();
    watched.forEach(function (node) {
      if (observer) observer.unobserve(node);
      if (!node.getAttribute("data-rendered") && queue.every(function (job) { return job.node !== node; })) want(node, node.jxFigure);
    });
  }

  if (!plotlySource || !window.fetch || !window.Promise) return;
  window.jixiaoCharts = { watch: watch, drawAll: drawAll };
  window.addEventListener("beforeprint", drawAll);
  Array.prototype.forEach.call(document.querySelectorAll(".jx-chart[data-figure]"), function (node) { watch(node); });
})();
