/* jixiao charts: draw the figures listed in the page's figure JSON into each .jx-chart element.
 * The page already holds a visible text summary and a data table for every chart; this only adds the picture. */
(function () {
  "use strict";
  var script = document.currentScript;
  var source = script && script.getAttribute("data-figures");
  var config = { displayModeBar: false, responsive: true, locale: "zh-CN", scrollZoom: false };

  function draw(figures) {
    var nodes = document.querySelectorAll(".jx-chart[data-figure]");
    Array.prototype.forEach.call(nodes, function (node) {
      var figure = figures[node.getAttribute("data-figure")];
      if (!figure || node.getAttribute("data-rendered")) return;
      window.Plotly.newPlot(node, figure.data, figure.layout, config).then(function () {
        node.setAttribute("data-rendered", "true");
        // The chart now shows the numbers: fold the data table away (it stays one click away).
        var details = node.parentNode.querySelector("details.jx-chart-data");
        if (details) details.removeAttribute("open");
      });
    });
  }

  // Paper is narrower than most screens: redraw the charts at the sheet's width before printing, and back after.
  var PRINT_WIDTH = 640;
  function resize(width) {
    Array.prototype.forEach.call(document.querySelectorAll(".jx-chart[data-rendered]"), function (node) {
      window.Plotly.relayout(node, width ? { width: Math.min(width, node.clientWidth || width), autosize: false } : { autosize: true, width: null });
    });
  }
  window.addEventListener("beforeprint", function () { resize(PRINT_WIDTH); });
  window.addEventListener("afterprint", function () { resize(null); });

  if (!source || !window.Plotly || !window.fetch) return;
  fetch(source, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("figures " + response.status);
      return response.json();
    })
    .then(draw)
    .catch(function () {
      /* Keep the text and table alternatives: they say everything the chart would. */
    });
})();
