/* jixiao indicator explorer: filter every indicator of every unit; group indicators that share a name.
 * Without JavaScript the page shows the pre-rendered table of shared indicators. */
(function () {
  "use strict";
  var script = document.currentScript;
  var source = script && script.getAttribute("data-source");
  var form = document.querySelector(".jx-explorer-form");
  var out = document.getElementById("jx-explorer-results");
  var count = document.querySelector(".jx-explorer-count");
  if (!source || !form || !out || !window.fetch) return;
  var PAGE = 100;
  var MARK = { "达成": "✔", "未达成": "✘", "定性": "◇", "无法判定": "？" };
  var CLASS = { "达成": "jx-met", "未达成": "jx-not-met", "定性": "jx-qualitative", "无法判定": "jx-undetermined" };
  var data = null, shown = PAGE;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  // Figures as on the unit pages: thousands separators, the unit right after a number ("≤2,944.51万元", "≥90%").
  // One formatter for every figure: toLocaleString builds a new one on each call (~1 ms on a slow phone, and a
  // page of results formats 200 figures on every keystroke).
  var figures = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 4 });
  function value(v, unit) {
    if (v === null || v === undefined) return "";
    if (typeof v !== "number") return String(v);
    return figures.format(v) + (unit || "");
  }

  function matches(row, f) {
    var unit = data.units[row[0]];
    if (f.year && String(unit[2]) !== f.year) return false;
    if (f.kind && unit[3] !== f.kind) return false;
    if (f.level1 && row[1] !== f.level1) return false;
    if (f.level2 && row[2] !== f.level2) return false;
    if (f.status && row[8] !== f.status) return false;
    if (f.q && (unit[1] + row[1] + row[2] + row[3]).toLowerCase().indexOf(f.q) === -1) return false;
    return true;
  }

  // On a phone each row becomes a card whose cells say what they are (data-label), as on the unit pages.
  function table(caption, headers) {
    var wrap = el("div", { "class": "jx-results" });
    var t = wrap.appendChild(el("table", { "class": "jx-table jx-stack" }));
    t.appendChild(el("caption", {}, caption));
    var tr = t.appendChild(el("thead")).appendChild(el("tr"));
    headers.forEach(function (h) { tr.appendChild(el("th", { scope: "col" }, h)); });
    return { wrap: wrap, body: t.appendChild(el("tbody")) };
  }

  function apply() {
    var f = {};
    Array.prototype.forEach.call(form.elements, function (e) {
      if (e.name) f[e.name] = e.type === "checkbox" ? e.checked : e.value.trim().toLowerCase();
    });
    ["year", "kind", "level1", "level2", "status"].forEach(function (k) { f[k] = form.elements[k].value; });
    var rows = data.rows.filter(function (r) { return matches(r, f); });
    out.textContent = "";
    if (f.group) {
      var groups = {}, order = [];
      rows.forEach(function (r) {
        if (!groups[r[9]]) { groups[r[9]] = { name: r[3], units: {}, met: 0, miss: 0, other: 0 }; order.push(r[9]); }
        var g = groups[r[9]];
        g.units[r[0]] = true;
        if (r[8] === "达成") g.met += 1; else if (r[8] === "未达成") g.miss += 1; else g.other += 1;
      });
      order.sort(function (a, b) { return Object.keys(groups[b].units).length - Object.keys(groups[a].units).length; });
      count.textContent = "符合条件的指标 " + rows.length + " 项，按名称分为 " + order.length + " 组";
      var tg = table("按名称分组（点名称查看各单位明细）", ["指标", "单位数", "达成", "未达成", "定性或无法判定"]);
      order.slice(0, shown).forEach(function (key) {
        var g = groups[key], tr = el("tr"), th = el("th", { scope: "row" });
        var button = el("button", { type: "button", "class": "jx-link" }, g.name);
        button.addEventListener("click", function () {
          form.elements.q.value = g.name; form.elements.group.checked = false; shown = PAGE; apply();
        });
        th.appendChild(button);
        tr.appendChild(th);
        [Object.keys(g.units).length, g.met, g.miss, g.other].forEach(function (n, i) {
          tr.appendChild(el("td", { "data-label": ["单位数", "达成", "未达成", "定性或无法判定"][i] }, String(n)));
        });
        tg.body.appendChild(tr);
      });
      out.appendChild(tg.wrap);
      more(order.length);
      return;
    }
    count.textContent = "符合条件的指标 " + rows.length + " 项" + (rows.length > shown ? "，先显示 " + shown + " 项" : "");
    var t = table("绩效指标", ["单位", "年度", "三级指标", "状态", "指标值", "实际完成值", "一级指标", "二级指标"]);
    rows.slice(0, shown).forEach(function (r) {
      var unit = data.units[r[0]], tr = el("tr");
      var th = el("th", { scope: "row" });
      th.appendChild(el("a", { href: "../" + encodeURI(unit[0]) + "/#indicators" }, unit[1]));
      tr.appendChild(th);
      tr.appendChild(el("td", { "data-label": "年度" }, String(unit[2])));
      tr.appendChild(el("td", { "data-label": "三级指标" }, r[3]));
      var status = el("td", { "data-label": "状态" });
      status.appendChild(el("span", { "class": "jx-status " + CLASS[r[8]] }, MARK[r[8]] + " " + r[8]));
      tr.appendChild(status);
      tr.appendChild(el("td", { "data-label": "指标值" }, (r[4] && r[4] !== "定性" ? r[4] : "") + value(r[5], r[6])));
      tr.appendChild(el("td", { "data-label": "实际完成值" }, value(r[7], r[6])));
      tr.appendChild(el("td", { "data-label": "一级指标" }, r[1]));
      tr.appendChild(el("td", { "data-label": "二级指标" }, r[2]));
      t.body.appendChild(tr);
    });
    out.appendChild(t.wrap);
    more(rows.length);
  }

  function more(total) {
    if (total <= shown) return;
    var button = el("button", { type: "button", "class": "md-button" }, "再显示 " + Math.min(PAGE, total - shown) + " 项");
    button.addEventListener("click", function () { shown += PAGE; apply(); });
    out.appendChild(button);
  }

  // Each row's text columns are numbers into one list of texts; the grouping key is left out where it is the name
  // (jixiao/render/explorer_page.py): restored here, once, to the row the filters read.
  var TEXT = [1, 2, 3, 4, 6, 8, 9];
  function expand(json) {
    var texts = json.texts;
    json.rows.forEach(function (r) {
      if (r.length < 10) r.push(r[3]);
      TEXT.forEach(function (c) { r[c] = r[c] === null ? null : texts[r[c]]; });
    });
    return json;
  }

  fetch(source).then(function (r) { return r.json(); }).then(function (json) {
    data = expand(json);
    form.hidden = false;
    form.addEventListener("input", function () { shown = PAGE; apply(); });
    form.addEventListener("change", function () { shown = PAGE; apply(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) form.elements.q.value = q;
    apply();
  }).catch(function () {
    // The area keeps its room until filled (jixiao.css): say why it stays empty rather than leave a blank screen.
    out.textContent = "指标数据加载失败，请刷新页面重试；下表列出多个单位共有的指标。";
  });
})();
