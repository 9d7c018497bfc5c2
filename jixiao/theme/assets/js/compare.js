/* jixiao comparison: 2–4 units side by side. The selection lives in the URL (?u=2024/示例镇01&u=…), so a link
 * reproduces it. Without JavaScript the page shows the pre-rendered table of every unit instead. */
(function () {
  "use strict";
  var COLORS = ["#1f4e79", "#a64d00", "#2e7d32", "#6a1b9a"];
  var PATTERNS = ["", "/", ".", "x"];
  var SYMBOLS = ["circle", "diamond", "square", "triangle-up"];
  var FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var form = document.querySelector(".jx-compare-form");
  var out = document.getElementById("jx-compare");
  if (!form || !out || !window.fetch) return;
  var chosen = new URLSearchParams(location.search).getAll("u").filter(Boolean).slice(0, 4);

  // Plotly reads <b>, <br>, <a href> in labels: text from data loses its angle brackets before it gets there.
  function plain(text) { return String(text).replace(/</g, "＜").replace(/>/g, "＞"); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    // A style goes through the CSSOM: the site's Content-Security-Policy refuses inline style attributes.
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "style") node.style.cssText = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // One formatter per number of decimals: toLocaleString builds a new one on every call (~1 ms each on a slow
  // phone), and a comparison formats a hundred figures before the page can answer a tap.
  var formats = {};
  function fmt(v, digits, suffix) {
    if (v === null || v === undefined) return "—";
    if (!formats[digits]) {
      formats[digits] = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    return formats[digits].format(Number(v)) + (suffix || "");
  }
  function layout(extra) {
    // Every text at least 12 px on a 390-px phone; the legend runs in the order of the bars.
    var base = { height: 320, margin: { l: 8, r: 16, t: 8, b: 8 }, font: { family: FONT, size: 12 },
      dragmode: false, showlegend: true, legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", traceorder: "normal", font: { size: 12 } },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { fixedrange: true, automargin: true }, yaxis: { fixedrange: true, automargin: true, rangemode: "tozero" } };
    Object.keys(extra || {}).forEach(function (k) {
      if ((k === "xaxis" || k === "yaxis") && typeof extra[k] === "object") {
        Object.keys(extra[k]).forEach(function (key) { base[k][key] = extra[k][key]; });
      } else {
        base[k] = extra[k];
      }
    });
    return base;
  }
  // Labels are never shrunk or rotated, and sit beyond their bar (a patterned bar cannot carry text): each axis
  // keeps room for them.
  function barText() {
    return { textposition: "outside", constraintext: "none", textangle: 0, cliponaxis: false,
      textfont: { size: 12, color: "#1a1a1a" }, outsidetextfont: { size: 12, color: "#1a1a1a" } };
  }
  function merge(a, b) { Object.keys(b).forEach(function (k) { a[k] = b[k]; }); return a; }
  function label(u) { return u.short + "（" + u.year + "）"; }

  function figure(id, caption, summary, headers, rows, draw) {
    var fig = el("figure", { "class": "jx-figure", id: "fig-compare-" + id });
    fig.appendChild(el("figcaption", {}, caption));
    var chart = el("div", { "class": "jx-chart", role: "img", "aria-label": caption + "：" + summary });
    fig.appendChild(chart);
    var details = el("details", { "class": "jx-chart-data" });
    details.appendChild(el("summary", {}, "图表数据（文字表格）"));
    var wrap = el("div", { "class": "jx-scroll", tabindex: "0" });
    var table = el("table", { "class": "jx-table" });
    var head = el("tr");
    headers.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (cell, i) { tr.appendChild(el(i ? "td" : "th", i ? {} : { scope: "row" }, cell)); });
      body.appendChild(tr);
    });
    wrap.appendChild(table);
    details.appendChild(wrap);
    fig.appendChild(details);
    out.appendChild(fig);
    // Drawn by charts.js when it nears the screen, one chart at a time (Plotly is fetched then).
    if (window.jixiaoCharts) window.jixiaoCharts.watch(chart, draw());
  }

  function render(units) {
    out.textContent = "";
    var cards = el("div", { "class": "jx-cards jx-compare-cards" });
    units.forEach(function (u, i) {
      var card = el("div", { "class": "jx-card jx-unit-" + i });
      var link = el("a", { href: "../" + encodeURI(u.slug) + "/" }, u.short + "（" + u.year + "）");
      card.appendChild(el("span", { "class": "jx-card-label" })).appendChild(link);
      card.appendChild(el("span", { "class": "jx-card-value" }, u.score === null ? "无打分表" : fmt(u.score, 1, " 分")));
      card.appendChild(el("span", { "class": "jx-card-note" },
        u.kind + " · 预算 " + fmt(u.budget, 2, " 万元") + " · 执行率 " + fmt(u.execution, 1, "%") +
        " · 指标达成 " + u.met + "/" + u.total + " · 人均支出 " + fmt(u.per_person, 2, " 万元")));
      cards.appendChild(card);
    });
    out.appendChild(cards);

    var dims = [];
    units.forEach(function (u) { u.short = plain(u.short); u.dims.forEach(function (d) { d.name = plain(d.name); if (dims.indexOf(d.name) < 0) dims.push(d.name); }); });
    function share(u, name) { var d = u.dims.filter(function (x) { return x.name === name; })[0]; return d ? d.share : null; }
    if (dims.length) {
      figure("dims", "各二级指标得分占满分的比例", units.length + " 个单位的自评得分率",
        ["二级指标"].concat(units.map(function (u) { return u.short + "（" + u.year + "）"; })),
        dims.map(function (name) { return [name].concat(units.map(function (u) { return fmt(share(u, name), 1, "%"); })); }),
        function () {
          return { data: units.map(function (u, i) {
            var xs = dims.map(function (n) { return share(u, n); });
            // Patterned bars cannot carry text: every label sits beyond its bar, with room kept on the axis.
            return merge(merge({ type: "bar", orientation: "h", name: label(u), y: dims, x: xs,
              text: xs.map(function (v) { return v === null ? "" : Math.round(v) + "%"; }),
              marker: { color: COLORS[i], pattern: { shape: PATTERNS[i] } } }, barText()), {});
          }), layout: layout({ barmode: "group", height: 90 + dims.length * (units.length * 16 + 12),
            yaxis: { autorange: "reversed" }, xaxis: { range: [0, 120], tickvals: [0, 25, 50, 75, 100], ticktext: ["0%", "25%", "50%", "75%", "100%"] } }) };
        });
    }
    var parts = ["人员经费", "公用经费", "项目支出"];
    figure("structure", "支出结构（占支出的比例）", "人员经费、公用经费与项目支出的占比",
      ["单位"].concat(parts),
      units.map(function (u) {
        var total = parts.reduce(function (s, p) { return s + (u.structure[p] || 0); }, 0);
        return [u.short + "（" + u.year + "）"].concat(parts.map(function (p) { return total ? fmt((u.structure[p] || 0) / total * 100, 1, "%") : "—"; }));
      }),
      function () {
        var names = units.map(function (u) { return u.short + "（" + u.year + "）"; });
        return { data: parts.map(function (p, j) {
          var xs = units.map(function (u) {
            var total = parts.reduce(function (s, q) { return s + (u.structure[q] || 0); }, 0);
            return total ? Math.round((u.structure[p] || 0) / total * 1000) / 10 : 0;
          });
          // A segment too narrow for its number stays unlabelled (the table below has every figure).
          return { type: "bar", orientation: "h", name: p, y: names, x: xs, text: xs.map(function (v) { return v >= 12 ? Math.round(v) + "%" : ""; }),
            textposition: "inside", insidetextanchor: "middle", constraintext: "none", textangle: 0,
            textfont: { size: 12, color: ["#ffffff", "#1a1a1a", "#ffffff"][j] },
            marker: { color: ["#1f4e79", "#a9c4dd", "#a64d00"][j], line: { color: "#ffffff", width: 1 } } };
        }), layout: layout({ barmode: "stack", height: 120 + 44 * units.length, yaxis: { autorange: "reversed" }, xaxis: { range: [0, 100], ticksuffix: "%" } }) };
      });
    figure("per-person", "人均支出（决算支出 ÷ 财政供养人数）", "每位财政供养人员对应的支出",
      ["单位", "人均支出（万元/人）"], units.map(function (u) { return [u.short + "（" + u.year + "）", fmt(u.per_person, 2)]; }),
      function () {
        var xs = units.map(function (u) { return u.per_person; });
        var max = Math.max.apply(null, xs.map(function (v) { return v || 0; })) * 1.25 || 1;
        return { data: [merge({ type: "bar", orientation: "h", y: units.map(label), x: xs, text: xs.map(function (v) { return fmt(v, 2); }),
          marker: { color: COLORS.slice(0, units.length), pattern: { shape: PATTERNS.slice(0, units.length) } } }, barText())],
          layout: layout({ showlegend: false, height: 90 + 44 * units.length, yaxis: { autorange: "reversed" }, xaxis: { title: { text: "万元/人" }, range: [0, max] } }) };
      });
    var months = [];
    units.forEach(function (u) { u.progress.forEach(function (p) { if (months.indexOf(p.month) < 0) months.push(p.month); }); });
    months.sort(function (a, b) { return a - b; });
    function rate(u, m) { var p = u.progress.filter(function (x) { return x.month === m; })[0]; return p ? p.rate : null; }
    if (months.length) {
      figure("progress", "累计支出执行进度", "各单位 1—6 月、1—10 月、全年累计执行率",
        ["期间"].concat(units.map(function (u) { return u.short + "（" + u.year + "）"; })),
        months.map(function (m) { return ["1—" + m + "月"].concat(units.map(function (u) { return fmt(rate(u, m), 1, "%"); })); }),
        function () {
          return { data: units.map(function (u, i) {
            return { type: "scatter", mode: "lines+markers", name: u.short + "（" + u.year + "）",
              x: months.map(function (m) { return "1—" + m + "月"; }), y: months.map(function (m) { return rate(u, m); }),
              marker: { color: COLORS[i], symbol: SYMBOLS[i], size: 10 }, line: { color: COLORS[i] } };
          }), layout: layout({ yaxis: { range: [0, 110], ticksuffix: "%" } }) };
        });
    }
    figure("met", "绩效指标达成率", "达成的指标占全部指标的比例",
      ["单位", "达成", "全部", "达成率"],
      units.map(function (u) { return [u.short + "（" + u.year + "）", String(u.met), String(u.total), fmt(u.met_share, 1, "%")]; }),
      function () {
        var xs = units.map(function (u) { return u.met_share; });
        return { data: [merge({ type: "bar", orientation: "h", y: units.map(label), x: xs, text: units.map(function (u) { return u.met + "/" + u.total; }),
          marker: { color: COLORS.slice(0, units.length), pattern: { shape: PATTERNS.slice(0, units.length) } } }, barText())],
          layout: layout({ showlegend: false, height: 90 + 44 * units.length, yaxis: { autorange: "reversed" }, xaxis: { range: [0, 125], tickvals: [0, 25, 50, 75, 100], ticktext: ["0%", "25%", "50%", "75%", "100%"] } }) };
      });
  }

  // The picker starts from same-kind peers: the chosen unit's (or the first listed unit's) kind and year.
  function defaults(units) {
    if (chosen.length >= 2 || !units.length) return chosen;
    var first = units.filter(function (u) { return u[0] === chosen[0]; })[0] || units[0];
    var peers = units.filter(function (u) { return u[2] === first[2] && u[3] === first[3] && u[0] !== first[0]; });
    return [first[0]].concat(peers.slice(0, 2).map(function (u) { return u[0]; }));
  }
  fetch("units.json").then(function (r) { return r.json(); }).then(function (units) {
    var picked = defaults(units);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select, i) {
      units.forEach(function (u) {
        var option = el("option", { value: u[0] }, u[1]);
        if (picked[i] === u[0]) option.selected = true;
        select.appendChild(option);
      });
    });
    form.hidden = false;
  });
  if (chosen.length < 2) {
    out.appendChild(el("p", {}, chosen.length ? "请再选至少一个单位，然后点“比较”。" : "上方已预选同类单位，可以改选，然后点“比较”。"));
    return;
  }
  Promise.all(chosen.map(function (slug) {
    return fetch("../" + encodeURI(slug) + "/summary.json").then(function (r) {
      if (!r.ok) throw new Error(slug);
      return r.json();
    });
  })).then(render).catch(function (err) {
    out.textContent = "找不到所选单位：" + err.message + "。请重新选择。";
  });
})();
