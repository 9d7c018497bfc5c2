/* jixiao comparison: 2–4 units side by side. The selection lives in the URL (?u=2024/示例镇01&u=…), so a link
 * reproduces it. Without JavaScript the page shows the pre-rendered table of every unit instead. */
(function () {
  "use strict";
  var COLORS = ["#1f4e79", "#a64d00", "#2e7d32", "#6a1b9a"];
  var PATTERNS = ["", "/", ".", "x"];
  var SYMBOLS = ["circle", "diamond", "square", "triangle-up"];
  var FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  // The table of every unit comes as the text of a <noscript> (compare.md.j2): without JavaScript the browser shows
  // it; with it, the table is built only when the reader opens its section (or prints the page), so a phone does not
  // lay out a table of a province's units to show a comparison of three.
  var all = document.querySelector("details.jx-all");
  var held = all && all.querySelector("noscript.jx-all-table");
  function unfold() {
    if (!held || !held.parentNode) return;
    var html = held.textContent;
    held.parentNode.removeChild(held);
    all.insertAdjacentHTML("beforeend", html);
    if (window.jixiaoTables) window.jixiaoTables(all);
  }
  if (held) {
    all.addEventListener("toggle", function () { if (all.open) unfold(); });
    window.addEventListener("beforeprint", unfold);
    if (all.open) unfold();
  }

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

  // ---- The picker: one search box per slot, a WAI-ARIA combobox with a listbox popup. A province lists 80,000
  // unit-years: a <select> of every one would cost the phone seconds to build, so the box filters the list as the
  // reader types and shows only the best few matches.
  var MAX_SHOWN = 8;
  var status = form.querySelector("[role=status]");
  var slots = Array.prototype.map.call(form.querySelectorAll(".jx-picker"), function (node, i) {
    return { n: i + 1, node: node, input: node.querySelector("[role=combobox]"), pop: node.querySelector(".jx-picker-pop"),
      list: node.querySelector("[role=listbox]"), note: node.querySelector(".jx-picker-note"),
      value: node.querySelector("input[name=u]"), clear: node.querySelector(".jx-picker-clear"),
      slug: "", label: "", shown: [], active: -1 };
  });
  var units = null, haystack = null, loading = null;

  function say(text) { status.textContent = text; }
  // The list of every unit is fetched when a reader first reaches a box, not with the page: a comparison opened
  // from a link never needs it, and at province scale it is the largest file the page could ask for.
  function load() {
    if (!loading) {
      loading = fetch("units.json").then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (list) {
        units = list;
        haystack = list.map(function (u) { return u[1].toLowerCase(); });
        return list;
      });
      loading.catch(function () { loading = null; say("单位列表未能载入，请检查网络后再试。"); });
    }
    return loading;
  }
  // A slot's choice: the box shows its name, the hidden field carries its address (the form's ?u=…).
  function commit(slot, slug, label) {
    // A choice changes what every other box may offer: their narrowed matches start again from every unit.
    slots.forEach(function (s) { s.typed = ""; s.hits = null; });
    slot.slug = slug || "";
    slot.label = slug ? label : "";
    slot.value.value = slot.slug;
    slot.input.value = slot.label;
    slot.clear.hidden = !slot.slug;
  }
  function guess(slug) {  // "2024/示例镇01" → "示例镇01（2024）" until the unit's own record names its kind
    var cut = slug.indexOf("/");
    return cut > 0 ? slug.slice(cut + 1) + "（" + slug.slice(0, cut) + "）" : slug;
  }
  function optionLabel(u) { return u.short + "（" + u.year + "，" + u.kind + "）"; }

  // The matches for a box: every word typed must occur in "name（year，kind）"; names that start with the first word
  // come first. An empty box offers the units of the kind and year of the first unit chosen in another box.
  function search(slot, text) {
    var taken = {};
    slots.forEach(function (s) { if (s !== slot && s.slug) taken[s.slug] = true; });
    var lower = text.toLowerCase();
    var words = lower.split(/\s+/).filter(Boolean);
    var anchor = null;
    if (!words.length) {
      var other = slots.filter(function (s) { return s !== slot && s.slug; })[0];
      for (var a = 0; other && a < units.length; a++) if (units[a][0] === other.slug) { anchor = units[a]; break; }
    }
    // Typing on narrows the last matches instead of scanning every unit again (each word typed before is still
    // inside a word typed now, so nothing outside the last matches can match).
    var narrowing = words.length && slot.typed && lower.lastIndexOf(slot.typed, 0) === 0;
    var pool = narrowing ? slot.hits : null;
    var total = pool ? pool.length : units.length;
    var starts = [], rest = [], hits = [];
    for (var n = 0; n < total; n++) {
      var i = pool ? pool[n] : n;
      var u = units[i];
      if (taken[u[0]]) continue;
      if (anchor && (u[2] !== anchor[2] || u[3] !== anchor[3])) continue;
      var hay = haystack[i], ok = true;
      for (var w = 0; w < words.length; w++) if (hay.indexOf(words[w]) < 0) { ok = false; break; }
      if (!ok) continue;
      hits.push(i);
      if (words.length && hay.lastIndexOf(words[0], 0) === 0) { if (starts.length < MAX_SHOWN) starts.push(i); }
      else if (rest.length < MAX_SHOWN) rest.push(i);
    }
    slot.typed = words.length ? lower : "";
    slot.hits = hits;
    return { shown: starts.concat(rest).slice(0, MAX_SHOWN), count: hits.length, word: words[0] || "" };
  }
  // The option's text, with the first typed word in bold (built node by node: names are data, never markup).
  function optionText(li, label, word) {
    var at = word ? label.toLowerCase().indexOf(word) : -1;
    if (at < 0) { li.textContent = label; return; }
    li.appendChild(document.createTextNode(label.slice(0, at)));
    li.appendChild(el("mark", {}, label.slice(at, at + word.length)));
    li.appendChild(document.createTextNode(label.slice(at + word.length)));
  }
  function open(slot, found, text) {
    slot.list.textContent = "";
    slot.shown = found.shown;
    slot.active = -1;
    slot.input.removeAttribute("aria-activedescendant");
    found.shown.forEach(function (k, j) {
      var li = el("li", { id: slot.input.id + "-" + j, role: "option", "aria-selected": "false", "data-k": String(k) });
      optionText(li, units[k][1], found.word);
      slot.list.appendChild(li);
    });
    slot.list.hidden = !found.shown.length;
    var more = found.count - found.shown.length;
    slot.note.textContent = !found.count ? (text ? "没有名称含“" + text + "”的单位。" : "没有可选的单位。")
      : more > 0 ? "另有 " + more + " 个，多输入几个字可以缩小范围。" : "";
    slot.note.hidden = !slot.note.textContent;
    slot.pop.hidden = false;
    slot.input.setAttribute("aria-expanded", found.shown.length ? "true" : "false");
    say(found.count ? "找到 " + found.count + " 个单位" + (more > 0 ? "，列出前 " + found.shown.length + " 个" : "") + "，用上下方向键选择。"
      : slot.note.textContent);
  }
  function close(slot) {
    slot.pop.hidden = true;
    slot.active = -1;
    slot.input.setAttribute("aria-expanded", "false");
    slot.input.removeAttribute("aria-activedescendant");
  }
  function suggest(slot) {
    if (!units) say("正在载入单位列表……");
    return load().then(function () {
      if (document.activeElement !== slot.input) return;
      // A box that still shows its unit offers the alternatives to it, not the unit itself.
      var text = slot.input.value.trim();
      if (slot.slug && text === slot.label) text = "";
      open(slot, search(slot, text), text);
    });
  }
  function move(slot, to) {
    var items = slot.list.children;
    if (!items.length) return;
    if (slot.active >= 0) items[slot.active].setAttribute("aria-selected", "false");
    slot.active = (to + items.length) % items.length;
    var item = items[slot.active];
    item.setAttribute("aria-selected", "true");
    slot.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }
  function choose(slot, k) {
    commit(slot, units[k][0], units[k][1]);
    close(slot);
    say("单位 " + slot.n + "：已选 " + units[k][1] + "。");
  }
  // Leaving a box: an emptied box lets its unit go; text that names exactly one unit chooses it; other half-typed
  // text gives way to the unit the box held, so a box always shows what the form will send.
  function settle(slot) {
    close(slot);
    var text = slot.input.value.trim();
    if (!text) { if (slot.slug) { commit(slot, "", ""); say("已移除单位 " + slot.n + "。"); } return; }
    if (text === slot.label) return;
    if (units) {
      var found = search(slot, text);
      if (found.count === 1) { choose(slot, found.shown[0]); return; }
    }
    commit(slot, slot.slug, slot.label);
  }

  slots.forEach(function (slot) {
    slot.input.addEventListener("input", function (e) { if (!e.isComposing) suggest(slot); });
    // Chinese is typed through an input method: the pinyin in between is not a name, the chosen characters are.
    slot.input.addEventListener("compositionend", function () { suggest(slot); });
    slot.input.addEventListener("keydown", function (e) {
      var shown = !slot.pop.hidden;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var down = e.key === "ArrowDown";
        if (!shown) {
          suggest(slot).then(function () { if (!e.altKey) move(slot, down ? 0 : -1); });
        } else {
          move(slot, slot.active < 0 ? (down ? 0 : -1) : slot.active + (down ? 1 : -1));
        }
      } else if (e.key === "Enter" && !e.isComposing) {
        if (shown && slot.active >= 0) { e.preventDefault(); choose(slot, slot.shown[slot.active]); return; }
        var text = slot.input.value.trim();
        var found = text && text !== slot.label && units ? search(slot, text) : null;
        if (found && found.count !== 1) {
          // Text that names no unit, or several, is not sent in place of the box's unit: the reader picks one first.
          e.preventDefault();
          open(slot, found, text);
          if (found.count) say("“" + text + "”对应 " + found.count + " 个单位，请用上下方向键选定一个，再按回车。");
        } else {
          settle(slot);  // the form is sent next, with what the box names
        }
      } else if (e.key === "Escape") {
        if (shown) { e.preventDefault(); close(slot); }
        else if (slot.input.value) { e.preventDefault(); commit(slot, "", ""); say("已清空单位 " + slot.n + "。"); }
      }
    });
    // A press on an option must not take the focus from the box (its blur would close the list first).
    slot.list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    slot.list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li) choose(slot, Number(li.getAttribute("data-k")));
    });
    slot.node.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !slot.node.contains(e.relatedTarget)) settle(slot);
    });
    slot.clear.addEventListener("click", function () {
      commit(slot, "", "");
      slot.input.focus();
      say("已移除单位 " + slot.n + "。");
    });
  });
  form.addEventListener("focusin", load);
  // The address carries only the chosen units, once each: ?u=2024/示例镇01&u=…
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    slots.forEach(function (slot) { if (slot.input.value.trim() !== slot.label) settle(slot); });
    var query = new URLSearchParams(), seen = {};
    slots.forEach(function (slot) { if (slot.slug && !seen[slot.slug]) { seen[slot.slug] = true; query.append("u", slot.slug); } });
    location.search = query.toString();
  });

  // ---- What the boxes hold when the page opens: the units in the address, or same-kind peers chosen at build. ----
  chosen.forEach(function (slug, i) { commit(slots[i], slug, guess(slug)); });
  if (!chosen.length) {
    JSON.parse(form.getAttribute("data-defaults") || "[]").forEach(function (d, i) { commit(slots[i], d[0], d[1]); });
  } else if (chosen.length === 1) {
    // One unit named: the boxes beside it start from units of its kind and year.
    load().then(function () {
      var first = units.filter(function (u) { return u[0] === chosen[0]; })[0];
      if (!first) return;
      commit(slots[0], first[0], first[1]);
      units.filter(function (u) { return u[2] === first[2] && u[3] === first[3] && u[0] !== first[0]; })
        .slice(0, 2).forEach(function (u, i) { commit(slots[i + 1], u[0], u[1]); });
    });
  }
  form.hidden = false;
  if (chosen.length < 2) {
    out.appendChild(el("p", {}, chosen.length ? "请再选至少一个单位，然后点“比较”。" : "上方已预选同类单位，可以改选，然后点“比较”。"));
    return;
  }
  Promise.all(chosen.map(function (slug) {
    return fetch("../" + encodeURI(slug) + "/summary.json").then(function (r) { return r.ok ? r.json() : null; }, function () { return null; });
  })).then(function (found) {
    var missing = chosen.filter(function (slug, i) { return !found[i]; });
    found.forEach(function (u, i) {
      // A box keeps what the reader may have typed meanwhile.
      if (slots[i].input.value === slots[i].label) commit(slots[i], u ? u.slug : "", u ? optionLabel(u) : "");
    });
    if (missing.length) {
      out.textContent = "找不到所选单位：" + missing.join("、") + "。请重新选择。";
      return;
    }
    render(found);
  });
})();
