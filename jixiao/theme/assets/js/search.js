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
  // WebAssembly and the index's meta at once, while the reader is still typing, not after they press Enter.
  // A big site's index comes in parts (search_index.py): the hubs in the first, the unit pages in the others. Merged
  // into one Pagefind, every part is searched in Pagefind's one web worker, one after another, and nothing shows
  // until the last has answered (2.3 s for a word on every unit page at 20,000 units on a throttled phone). So each
  // part is searched by a Pagefind instance of its own, and its results are drawn as it answers. Pagefind runs all
  // the instances of one import in one worker; pagefind.js imported under another fragment (#worker-N) is another
  // module, with a worker of its own (the file comes from the browser's cache: a fragment is never sent). The hubs
  // have a worker of their own (small, they answer at once, not after a part's index has loaded); the parts are
  // spread over as many other workers as the phone has cores to spare, all searched at once: a phone of one or two
  // cores searches them all in one Pagefind, as before (see below). (One instance per worker: several in
  // one share Pagefind's one WebAssembly memory, and searching them broke it, "memory access out of bounds" for
  // 满意度 培训; parts merged into one instance are Pagefind's own way.) A worker's instance holds the hubs too
  // (Pagefind's own index is always the first): its answer is taken without the hubs' pages, which the first
  // instance answers alone. Scores are each index's own, as when Pagefind merges the parts itself. ---
  var DEADLINE = 300; // ms: a query all of whose parts answer by then is drawn once, so the list does not jump
  var loading = null;
  function pagefind() {
    if (!loading) {
      var href = new URL(script.dataset.pagefind, document.baseURI).href;
      var parts = (script.dataset.parts || "").split(" ").filter(Boolean);
      var workers = Math.max(1, Math.min(parts.length, (navigator.hardwareConcurrency || 2) - 1));
      var groups = [];
      parts.forEach(function (part, i) {
        (groups[i % workers] = groups[i % workers] || []).push(part);
      });
      var hubs = import(href).then(function (api) {
        return api.options({ excerptLength: 40 }).then(function () {
          api.init();
          return api;
        });
      });
      // A phone with no core to spare gains no time from more workers, and each costs its own WebAssembly and the
      // hubs' index again (≈ 100 KB): there every part is merged into the one Pagefind, as Pagefind does itself.
      if (workers < 2 || groups.length < 2) {
        loading = hubs.then(function (api) {
          return Promise.all(
            parts.map(function (part) {
              return api.mergeIndex(new URL(part, document.baseURI).pathname, { excerptLength: 40 });
            })
          ).then(function () {
            return [api];
          });
        });
      }
      loading = loading || Promise.all(
        [hubs].concat(
          groups.map(function (group, i) {
            return import(href + "#worker-" + (i + 1)).then(function (module) {
              var api = module.createInstance({ excerptLength: 40 });
              // The parts' pages' addresses are relative to the site, as the first part's are.
              return Promise.all(
                group.map(function (part) {
                  return api.mergeIndex(new URL(part, document.baseURI).pathname, { excerptLength: 40 });
                })
              ).then(function () {
                return api;
              });
            });
          })
        )
      );
      loading.catch(function () {
        status.textContent = MISSING;
      });
    }
    return loading;
  }

  var chosen = {}; // filter name → values ticked
  var totals = null; // filter name → value → page count, once the reader has opened the filters
  var current = null; // the search whose results are shown (see ask())
  var asked = 0; // each search's number: a late answer to an older query is dropped

  function filters() {
    var out = {};
    Object.keys(chosen).forEach(function (name) {
      if (chosen[name].length) out[name] = { any: chosen[name] };
    });
    return out;
  }

  // Filter counts (name → value → pages) added into `into`, times `sign` (−1: the hubs a part's answer repeats).
  function addCounts(into, from, sign) {
    Object.keys(from || {}).forEach(function (name) {
      var row = (into[name] = into[name] || {});
      Object.keys(from[name]).forEach(function (value) {
        row[value] = (row[value] || 0) + sign * from[name][value];
      });
    });
    return into;
  }

  // The counts of several Pagefinds as one: every instance after the first holds the hubs again (Pagefind's own
  // index is always the first), so the first's counts are taken once. An instance not answered yet is null.
  function countsOf(each) {
    var all = addCounts({}, each[0], 1);
    each.slice(1).forEach(function (part) {
      if (!part) return;
      addCounts(all, part, 1);
      addCounts(all, each[0], -1);
    });
    return all;
  }

  // The answers so far as one: the hubs' results and every answered part's without the hubs, in score order (parts
  // in their order, the sort stable: the order Pagefind gives when it merges them itself), and the filter counts.
  function merged(query) {
    var hubs = query.answers[0];
    var seen = {};
    hubs.results.forEach(function (r) {
      seen[r.id] = true;
    });
    var results = hubs.results.slice();
    query.answers.slice(1).forEach(function (found) {
      if (!found) return;
      found.results.forEach(function (r) {
        if (!seen[r.id]) results.push(r);
      });
    });
    results.sort(function (a, b) {
      return b.score - a.score;
    });
    var counts = countsOf(
      query.answers.map(function (found) {
        return found ? found.filters || {} : null;
      })
    );
    return { results: results, filters: counts };
  }

  function search() {
    var term = input.value.trim();
    var mine = ++asked;
    var url = new URL(location.href);
    if (term) url.searchParams.set("q", term);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!term) {
      current = null;
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = "正在搜索“" + term + "”……";
    return pagefind().then(function (searchers) {
      if (mine !== asked) return;
      var query = {
        mine: mine,
        term: term,
        answers: searchers.map(function () {
          return null;
        }),
        left: searchers.length,
        late: false, // the deadline has passed: what is known is drawn as it comes
        results: [],
        drawn: [], // the results drawn, in the list's order
        nodes: {}, // result id → its list item
        touched: false, // the reader has used the list: what is drawn stays where it is
        chain: Promise.resolve(), // drawing, one step after another
      };
      var opts = { filters: filters() };
      return new Promise(function (resolve) {
        var timer = setTimeout(function () {
          query.late = true;
          if (mine === asked && query.answers[0]) show(query, false);
        }, DEADLINE);
        // After each answer: the parts' answers wait for the hubs', which they repeat.
        var progress = function () {
          if (!query.answers[0]) return;
          if (!query.left) {
            clearTimeout(timer);
            show(query, true).then(resolve);
          } else if (query.late) show(query, false);
        };
        searchers.forEach(function (api, i) {
          api.search(term, opts).then(function (found) {
            if (mine !== asked) return resolve(); // a newer query is asked: this late answer is nobody's
            query.answers[i] = found || { results: [], filters: {} };
            query.left -= 1;
            progress();
          });
        });
      });
    });
  }

  // Draws the answers known so far. Until the reader uses the list, the first SHOWN results are kept in score order
  // as better ones arrive (items moved, added or dropped: none has the reader's focus); after, what is drawn stays
  // and later results come after it. The status line says whether the search goes on.
  function show(query, final) {
    query.chain = query.chain.then(function () {
      if (query.mine !== asked) return;
      var now = merged(query);
      query.results = now.results;
      if (current !== query) {
        current = query;
        list.replaceChildren();
      }
      if (totals) counts(now.filters);
      var want = query.touched ? query.drawn : now.results.slice(0, Math.max(SHOWN, query.drawn.length));
      return place(query, want).then(function () {
        if (query.mine !== asked) return;
        var n = query.results.length;
        if (final) status.textContent = n ? "找到 " + n + " 个结果" : "没有找到“" + query.term + "”";
        else if (n) status.textContent = "已找到 " + n + " 个结果，仍在搜索……";
      });
    });
    return query.chain;
  }

  // Makes the list show `want` (results) in that order, fetching the fragments of those not drawn yet. A list the
  // reader has started to use in the meantime is only appended to.
  function place(query, want) {
    var fresh = want.filter(function (r) {
      return !query.nodes[r.id];
    });
    return Promise.all(
      fresh.map(function (r) {
        return r.data();
      })
    ).then(function (pages) {
      if (query.mine !== asked) return;
      fresh.forEach(function (r, i) {
        query.nodes[r.id] = result(pages[i]);
      });
      if (query.touched) {
        want = query.drawn.concat(
          fresh.filter(function (r) {
            return query.drawn.indexOf(r) < 0;
          })
        );
      }
      var nodes = want.map(function (r) {
        return query.nodes[r.id];
      });
      var same =
        nodes.length === list.children.length &&
        nodes.every(function (node, i) {
          return list.children[i] === node;
        });
      if (!same) list.replaceChildren.apply(list, nodes);
      query.drawn = want;
      more.hidden = want.length >= query.results.length;
    });
  }

  // "显示更多结果": the next SHOWN results not drawn yet, after those drawn.
  function drawMore() {
    var query = current;
    if (!query) return;
    query.touched = true;
    query.chain = query.chain.then(function () {
      if (query.mine !== asked) return;
      var rest = query.results.filter(function (r) {
        return query.drawn.indexOf(r) < 0;
      });
      return place(query, query.drawn.concat(rest.slice(0, SHOWN)));
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
      .then(function (searchers) {
        return Promise.all(
          searchers.map(function (api) {
            return api.filters();
          })
        );
      })
      .then(function (each) {
        var all = countsOf(
          each.map(function (found) {
            return found || {};
          })
        );
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
      pagefind().then(function (searchers) {
        searchers.forEach(function (api) {
          api.preload(term, { filters: filters() });
        });
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
  more.addEventListener("click", drawMore);
  // A reader who clicks, taps or tabs into the list is using it: from then on the drawn results stay in place.
  ["focusin", "pointerdown", "keydown"].forEach(function (type) {
    list.addEventListener(type, function () {
      if (current) current.touched = true;
    });
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
