/* jixiao charts: draw the figures listed in the page's figure JSON into each .jx-chart element.
 * The page already holds a text summary and a data table for every chart; this only adds the picture. */
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
      var fallback = node.querySelector(".jx-chart-fallback");
      window.Plotly.newPlot(node, figure.data, figure.layout, config).then(function () {
        node.setAttribute("data-rendered", "true");
        if (fallback) fallback.classList.add("jx-visually-hidden");
        // The chart now shows the numbers: fold the data table away (it stays one click away).
        var details = node.parentNode.querySelector("details.jx-chart-data");
        if (details) details.removeAttribute("open");
      });
    });
  }

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
