/* jixiao search page: a small interface over Pagefind's search API (pagefind/pagefind.js, a chunked index: no
 * request leaves the site). Pagefind's ready-made UI is not used: it downloads every filter's index when it starts,
 * and those grow with the number of pages (≈ 4 bytes a page each, 80 KB for two filters at 20,000 units), while a
 * reader opens the filters rarely. Here the filters load when the reader opens them; a search loads only the index
 * chunks its words need and the fragments of the results shown. A query in the address (?q=…, from the header
 * form) is searched at once. Every text from the index is set as text (excerpts keep only Pagefind's <mark>). */
(function () {
  "use strict";
  var root = document.getElementById("jx-search");
  var script = document.currentScript;
  if (!root || !script) return;
  var SHOWN = 5; // results drawn at a time: each one downloads its page's fragment
  var MISSING = "搜索索引缺失：请把生成的 site/ 文件夹完整复制到服务器（含 pagefind/ 文件夹）。";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // --- The form, the filters (empty until opened), the status line and the results. ---
  var form = el("form", "jx-search-form");
  form.setAttribute("role", "search");
  var label = el("label", "jx-search-label", "搜索单位、指标或任意文字");
  label.htmlFor = "jx-search-q";
  var input = el("input", "jx-search-input");
  input.id = "jx-search-q";
  input.type = "search";
  input.name = "q";
  input.autocomplete = "off";
  input.setAttribute("enterkeyhint", "search");
  var submit = el("button", "jx-search-submit md-button md-button--primary", "搜索");
  submit.type = "submit";
  var row = el("div", "jx-search-row");
  row.append(input, submit);
  form.append(label, row);
  var panel = el("details", "jx-search-filters");
  panel.append(el("summary", null, "筛选结果（年度、单位类型等）"));
  var choices = el("div", "jx-search-choices");
  panel.append(choices);
  var status = el("p", "jx-search-status");
  status.setAttribute("role", "status");
  var list = el("ol", "jx-search-results");
  var more = el("button", "jx-search-more md-button", "显示更多结果");
  more.type = "button";
  more.hidden = true;
  root.replaceChildren(form, panel, status, list, more);

  // --- Pagefind, loaded on the first need (a query in the address, a focus in the box). init() fetches its
  // WebAssembly and the index's meta at once, while the reader is still typing, not after they press Enter. ---
  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(new URL(script.dataset.pagefind, document.baseURI).href).then(function (api) {
        return api.options({ excerptLength: 40 }).then(function () {
          api.init();
          // A big site's index comes in parts (each a folder of its own): searched as one. Their pages' addresses
          // are relative to the site, as the first part's are.
          var parts = (script.dataset.parts || "").split(" ").filter(Boolean);
          return Promise.all(
            parts.map(function (part) {
              return api.mergeIndex(new URL(part, document.baseURI).pathname, { excerptLength: 40 });
            })
          ).then(function () {
            return api;
          });
        });
      });
      loading.catch(function () {
        status.textContent = MISSING;
      });
    }
    return loading;
  }

  var chosen = {}; // filter name → values ticked
  var totals = null; // filter name → value → page count, once the reader has opened the filters
  var current = null; // the last search: its results, how many are drawn
  var asked = 0; // each search's number: a late answer to an older query is dropped

  function filters() {
    var out = {};
    Object.keys(chosen).forEach(function (name) {
      if (chosen[name].length) out[name] = { any: chosen[name] };
    });
    return out;
  }

  function search() {
    var term = input.value.trim();
    var mine = ++asked;
    var url = new URL(location.href);
    if (term) url.searchParams.set("q", term);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!term) {
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = "正在搜索“" + term + "”……";
    return pagefind()
      .then(function (api) {
        return api.search(term, { filters: filters() });
      })
      .then(function (found) {
        if (mine !== asked || !found) return;
        current = { results: found.results, shown: 0 };
        list.replaceChildren();
        if (totals) counts(found.filters);
        return draw(mine).then(function () {
          if (mine !== asked) return;
          var n = found.results.length;
          status.textContent = n ? "找到 " + n + " 个结果" : "没有找到“" + term + "”";
        });
      });
  }

  function draw(mine) {
    var next = current.results.slice(current.shown, current.shown + SHOWN);
    return Promise.all(
      next.map(function (r) {
        return r.data();
      })
    ).then(function (pages) {
      if (mine !== asked) return;
      pages.forEach(function (page) {
        list.append(result(page));
      });
      current.shown += next.length;
      more.hidden = current.shown >= current.results.length;
    });
  }

  // Pagefind's excerpt is the page's text (escaped) with the query's words in <mark>: rebuilt from text nodes.
  function excerpt(html, cls) {
    var p = el("p", cls);
    var body = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    body.childNodes.forEach(function (node) {
      var text = node.textContent.replace(/\u200b/g, "");
      p.append(node.nodeName === "MARK" ? el("mark", null, text) : document.createTextNode(text));
    });
    return p;
  }

  function result(page) {
    var item = el("li", "jx-result");
    var title = el("p", "jx-result-title");
    var link = el("a", "jx-result-link", (page.meta && page.meta.title) || page.url);
    link.href = page.url;
    title.append(link);
    item.append(title);
    var tags = [];
    var f = page.filters || {};
    if (page.meta && page.meta["单位"]) tags.push("单位：" + page.meta["单位"]);
    (f["年度"] || []).forEach(function (y) {
      tags.push(y + " 年度");
    });
    (f["单位类型"] || []).forEach(function (k) {
      tags.push(k);
    });
    if (tags.length) {
      var line = el("p", "jx-result-tags");
      tags.forEach(function (t) {
        line.append(el("span", "jx-result-tag", t));
      });
      item.append(line);
    }
    // The words in the page's top (before its first section), then the sections that hold them (Pagefind's
    // sub-results), each with its excerpt. Pagefind's page excerpt is one of these: shown alone only when the page
    // has no sections, so the same text never shows twice.
    var all = page.sub_results || [];
    var subs = all.filter(function (s) {
      return s.url !== page.url && s.title && s.title !== (page.meta && page.meta.title);
    });
    var top = all.filter(function (s) {
      return subs.indexOf(s) < 0;
    })[0];
    if (top || !subs.length) item.append(excerpt((top || page).excerpt || "", "jx-result-excerpt"));
    if (subs.length) {
      var ul = el("ul", "jx-result-subs");
      subs.slice(0, 3).forEach(function (s) {
        var li = el("li");
        var a = el("a", "jx-result-sub", s.title);
        a.href = s.url;
        li.append(a, excerpt(s.excerpt || "", "jx-result-excerpt"));
        ul.append(li);
      });
      item.append(ul);
    }
    return item;
  }

  // --- Filters: loaded when the reader opens the panel; ticking one searches again. ---
  function openFilters() {
    if (totals || !panel.open) return;
    choices.textContent = "正在载入筛选项……";
    pagefind()
      .then(function (api) {
        return api.filters();
      })
      .then(function (all) {
        totals = all;
        choices.replaceChildren();
        Object.keys(all)
          .sort()
          .forEach(function (name) {
            var set = el("fieldset", "jx-search-filter");
            set.dataset.filter = name;
            set.append(el("legend", null, name));
            Object.keys(all[name])
              .sort()
              .forEach(function (value) {
                var lab = el("label", "jx-search-choice");
                var box = el("input");
                box.type = "checkbox";
                box.value = value;
                box.addEventListener("change", function () {
                  var now = chosen[name] || [];
                  chosen[name] = box.checked
                    ? now.concat([value])
                    : now.filter(function (v) {
                        return v !== value;
                      });
                  search();
                });
                var count = el("span", "jx-search-count", "（" + all[name][value] + "）");
                lab.append(box, document.createTextNode(" " + value), count);
                set.append(lab);
              });
            choices.append(set);
          });
        if (input.value.trim()) search(); // the counts among this query's results
      });
  }

  // How many of this query's results each value keeps (Pagefind counts them once the filters are loaded).
  function counts(remaining) {
    choices.querySelectorAll(".jx-search-filter").forEach(function (set) {
      var name = set.dataset.filter;
      set.querySelectorAll(".jx-search-choice").forEach(function (lab) {
        var value = lab.querySelector("input").value;
        var n = remaining && remaining[name] ? remaining[name][value] || 0 : 0;
        lab.querySelector(".jx-search-count").textContent = "（" + n + "）";
      });
    });
  }

  var timer = null;
  input.addEventListener("focus", function () {
    pagefind();
  });
  input.addEventListener("input", function (event) {
    // While an input method composes a word, the box holds its pinyin: search once the word is committed.
    if (event.isComposing) return;
    clearTimeout(timer);
    var term = input.value.trim();
    if (term)
      pagefind().then(function (api) {
        api.preload(term, { filters: filters() });
      });
    timer = setTimeout(search, 300); // searched as the reader types, once they pause
  });
  input.addEventListener("compositionend", function () {
    input.dispatchEvent(new Event("input"));
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  more.addEventListener("click", function () {
    draw(asked);
  });
  panel.addEventListener("toggle", openFilters);

  var q = new URLSearchParams(location.search).get("q");
  var header = document.getElementById("jx-header-q");
  if (q) {
    input.value = q;
    if (header) header.value = q;
    search();
  }
})();
