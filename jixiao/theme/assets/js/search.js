/* jixiao search page: a small interface over Pagefind (pagefind/, a chunked index: no request leaves the site),
 * which runs in jixiao's worker (search-worker.js). Pagefind's ready-made UI is not used: it downloads every
 * filter's index when it starts, and those grow with the number of pages (≈ 4 bytes a page each, 80 KB for two
 * filters at 20,000 units), while a reader opens the filters rarely. Here the filters load when the reader opens
 * them; a search loads only the index chunks its words need and the fragments of the results shown. A query in the
 * address (?q=…, from the header form) is searched at once. Every text from the index is set as text (excerpts
 * keep only Pagefind's <mark>). */
(function () {
  "use strict";
  // Loaded async from the page's head: a query in the address starts Pagefind before the page is parsed (its files
  // are the longest wait on a phone's line). The form is built at once and put in the page once it is parsed.
  var script = document.currentScript;
  if (!script) return;
  var SHOWN = 5; // results drawn at a time: each one downloads its page's fragment
  var MISSING = "搜索索引缺失：请把生成的 site/ 文件夹完整复制到服务器（含 pagefind/ 文件夹）。";
  var FAILED = "搜索没有完成：网络中断或浏览器出错，请再搜索一次。";
  var FILTERS_LOST = "筛选项没有载入：网络中断或浏览器出错。收起再展开“筛选结果”可以再试一次。";

  // What the status says when a search could not finish: why is "missing" (the server does not have a file of the
  // index), "network" (a file did not come) or another error. The next search asks again for what did not come.
  function lostText(why) {
    return why === "missing" ? MISSING : FAILED;
  }

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

  // --- Pagefind, loaded on the first need (a query in the address, a focus in the box): its WebAssembly and the
  // index's meta load while the reader is still typing, not after they press Enter.
  // A big site's index comes in parts of ≈ 2,000 units (search_index.py): the hubs in the first, the unit pages in
  // the others. Pagefind's search costs grow with the square of the pages of one index that hold a word, and its own
  // worker answers only once every index is searched: a word on almost every unit page of 20,000 took ≈ 10 s on a
  // phone-speed CPU with nothing shown. So the parts are searched in jixiao's worker (search-worker.js), which sends
  // each part's answer as it comes: what is known is drawn after DEADLINE, the rest as it arrives. A phone with cores
  // to spare gets more workers, the parts dealt among them (the first worker loads first, so the others find
  // Pagefind's files in the browser's cache). Each answer is Pagefind's own and they are merged as Pagefind merges
  // them (in index order, by score, the sort stable), so the final list is Pagefind's. Where a module worker cannot
  // run (an old browser), Pagefind's own API searches all parts on this page's behalf, and answers once. ---
  var DEADLINE = 300; // ms: a query all of whose parts answer by then is drawn once, so the list does not jump
  var loading = null;

  // `term`: the query that starts it, if one does (the worker then loads the first parts' files before the others).
  function pagefind(term) {
    if (!loading) {
      var href = new URL(script.dataset.pagefind, document.baseURI).href;
      var parts = (script.dataset.parts || "")
        .split(" ")
        .filter(Boolean)
        .map(function (part) {
          return new URL(part, document.baseURI).pathname; // the parts' pages' addresses are relative to the site
        });
      var started = inWorkers(href, parts, term).then(
        function (engine) {
          engine.broken = function () {
            if (loading === started) loading = null; // (a worker stopped: the next search starts new ones)
          };
          return engine;
        },
        function (error) {
          if (error && error.why) throw error;
          return onPage(href, parts);
        }
      );
      loading = started;
      started.catch(function (error) {
        if (loading === started) loading = null; // the next search starts again
        status.textContent = lostText(error && error.why);
      });
    }
    return loading;
  }

  // One worker, started with `init`; it settles once Pagefind and its own index are loaded (the parts' load
  // meanwhile). `ask` sends a request that has an answer (a page's data, the filters); `found` receives the search's
  // answers.
  function worker(url, init) {
    return new Promise(function (resolve, reject) {
      var w = new Worker(url, { type: "module" });
      var calls = {};
      var n = 0;
      var handle = {
        post: function (message) {
          w.postMessage(message);
        },
        ask: function (message) {
          return new Promise(function (done) {
            calls[(message.req = ++n)] = done;
            w.postMessage(message);
          });
        },
        found: null,
        broken: null,
        stop: function () {
          w.terminate();
        },
      };
      var ready = false;
      // A worker that stops (out of memory on a small phone, an error of its own): before it is ready, the page
      // searches without it; after, the search it was doing is lost, what waited for it is answered, and the next
      // search starts new workers.
      w.addEventListener("error", function (event) {
        event.preventDefault();
        w.terminate();
        reject(new Error("worker"));
        Object.keys(calls).forEach(function (req) {
          calls[req]({ page: null, each: [], why: "error" });
          delete calls[req];
        });
        if (ready && handle.broken) handle.broken();
      });
      w.addEventListener("message", function (event) {
        var m = event.data;
        if (m.type === "ready") {
          ready = true;
          resolve(handle);
        } else if (m.type === "failed") {
          w.terminate();
          reject(Object.assign(new Error(m.message), { why: m.why }));
        } else if (m.type === "data" || m.type === "filters") {
          calls[m.req](m);
          delete calls[m.req];
        } else if (handle.found) handle.found(m);
      });
      w.postMessage(init);
      // The files the worker needs first (the index's entries, Pagefind's WebAssembly), fetched from here at once and
      // handed over: the worker would ask for them only once its own script has come (search-worker.js, early).
      init.given.forEach(function (url) {
        var stored = url === init.entries && storedEntries(url);
        if (stored) return w.postMessage({ type: "given", url: url, buffer: stored }, [stored]);
        fetch(url)
          .then(function (response) {
            return response.ok ? response.arrayBuffer() : null;
          })
          .catch(function () {
            return null;
          })
          .then(function (buffer) {
            w.postMessage({ type: "given", url: url, buffer: buffer }, buffer ? [buffer] : []);
          });
      });
    });
  }

  // The index's entries as the header's search box on another page of the site fetched them a moment ago
  // (jixiao.js, prefetchSearch), taken once: an ArrayBuffer of their text, or null. Their address carries ?ts= here.
  var ENTRIES_AGE = 120000; // ms: a site published anew meanwhile names other metas (a reload asks afresh)
  function storedEntries(url) {
    try {
      var key = "jixiao-entries " + url.split("?")[0];
      var stored = JSON.parse(sessionStorage.getItem(key) || "null");
      sessionStorage.removeItem(key);
      var age = stored ? Date.now() - stored.at : Infinity;
      return age >= 0 && age < ENTRIES_AGE ? new TextEncoder().encode(stored.text).buffer : null;
    } catch (error) {
      return null; // (storage refused, or not what jixiao.js wrote)
    }
  }

  function inWorkers(href, parts, term) {
    var url = script.dataset.worker;
    if (!url || typeof Worker === "undefined") return Promise.reject(new Error("no worker"));
    var count = Math.max(1, Math.min(parts.length, (navigator.hardwareConcurrency || 2) - 1));
    var groups = [];
    for (var i = 0; i < count; i++) groups.push([]);
    parts.forEach(function (path, i) {
      groups[i % count].push({ path: path, slot: i + 1 }); // slot 0 is the hubs', Pagefind's own index
    });
    var named = script.dataset; // the page's files: entries (search_index.ENTRIES), wasm
    var entries = named.entries ? new URL(named.entries + "?ts=" + Date.now(), document.baseURI).href : null;
    var start = function (group, i) {
      return worker(new URL(url, document.baseURI).href, {
        type: "init",
        module: new URL("pagefind-jixiao.js", href).href,
        base: new URL(".", href).pathname,
        parts: group,
        hubs: i === 0,
        term: term || "",
        entries: entries,
        given: i === 0 && entries ? [entries, new URL(named.wasm, document.baseURI).href] : [],
        language: (document.documentElement.getAttribute("lang") || "unknown").toLowerCase(),
      });
    };
    return start(groups[0], 0).then(function (first) {
      return Promise.all(
        groups.slice(1).map(function (group, i) {
          return start(group, i + 1);
        })
      ).then(function (others) {
        return fromWorkers([first].concat(others), parts.length + 1);
      });
    });
  }

  // The engine the page searches with: `slots` answers to a query, each sent to `each(slot, found)` as it comes.
  function fromWorkers(workers, slots) {
    var current = null;
    var id = 0;
    var engine;
    workers.forEach(function (w) {
      w.broken = function () {
        workers.forEach(function (other) {
          other.stop();
        });
        if (current) current.lost("error");
        current = null;
        if (engine.broken) engine.broken();
      };
      w.found = function (m) {
        if (!current || m.id !== current.id) return; // an older query's answer
        if (m.type === "lost") return current.lost(m.why);
        current.each(m.slot, {
          results: m.results.map(function (r, k) {
            return {
              id: r[0],
              score: r[1],
              data: function () {
                return w.ask({ type: "data", id: m.id, slot: m.slot, k: k }).then(function (answer) {
                  if (answer.why) throw Object.assign(new Error("data"), { why: answer.why });
                  return answer.page;
                });
              },
            };
          }),
          filters: m.filters,
        });
      };
    });
    engine = {
      slots: slots,
      search: function (term, chosen, each, lost) {
        current = { id: ++id, each: each, lost: lost };
        workers.forEach(function (w) {
          w.post({ type: "search", id: current.id, term: term, filters: chosen });
        });
      },
      preload: function (term, chosen) {
        workers.forEach(function (w) {
          w.post({ type: "preload", term: term, filters: chosen });
        });
      },
      filters: function () {
        return Promise.all(
          workers.map(function (w) {
            return w.ask({ type: "filters" });
          })
        ).then(function (answers) {
          var each = [];
          var lost = answers.filter(function (answer) {
            return answer.why;
          })[0];
          if (lost) throw Object.assign(new Error("filters"), { why: lost.why });
          answers.forEach(function (answer) {
            answer.each.forEach(function (entry) {
              each[entry[0]] = entry[1];
            });
          });
          return each;
        });
      },
    };
    return engine;
  }

  function onPage(href, parts) {
    return import(href).then(function (api) {
      return api
        .options({ excerptLength: 40 })
        .then(function () {
          api.init();
          return Promise.all(
            parts.map(function (part) {
              return api.mergeIndex(part, { excerptLength: 40 });
            })
          );
        })
        .then(function () {
          var id = 0;
          return {
            slots: 1,
            search: function (term, chosen, each, lost) {
              var mine = ++id;
              api.search(term, { filters: chosen }).then(function (found) {
                if (mine === id) each(0, found || { results: [], filters: {} });
              }, lost);
            },
            preload: function (term, chosen) {
              api.preload(term, { filters: chosen });
            },
            filters: function () {
              return api.filters().then(function (counts) {
                return [counts];
              });
            },
          };
        });
    });
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

  // The filter counts (name → value → pages) of several indexes summed (one not answered yet is missing).
  function countsOf(each) {
    var all = {};
    each.forEach(function (counts) {
      Object.keys(counts || {}).forEach(function (name) {
        var row = (all[name] = all[name] || {});
        Object.keys(counts[name]).forEach(function (value) {
          row[value] = (row[value] || 0) + counts[name][value];
        });
      });
    });
    return all;
  }

  // The answers so far as one, as Pagefind merges its indexes: their results in index order, sorted by score (the
  // sort is stable), and the filter counts summed.
  function merged(query) {
    var results = [];
    query.answers.forEach(function (found) {
      if (found) results = results.concat(found.results);
    });
    results.sort(function (a, b) {
      return b.score - a.score;
    });
    return {
      results: results,
      filters: countsOf(
        query.answers.map(function (found) {
          return found && found.filters;
        })
      ),
    };
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
    return pagefind(term).then(function (engine) {
      if (mine !== asked) return;
      var query = {
        mine: mine,
        term: term,
        answers: [],
        left: engine.slots,
        late: false, // the deadline has passed: what is known is drawn as it comes
        results: [],
        drawn: [], // the results drawn, in the list's order
        nodes: {}, // result id → its list item
        touched: false, // the reader has used the list: what is drawn stays where it is
        lost: false, // the search could not finish (see lostText)
        chain: Promise.resolve(), // drawing, one step after another
      };
      return new Promise(function (resolve) {
        var timer = setTimeout(function () {
          query.late = true;
          if (mine === asked && query.answers.length) show(query, false);
        }, DEADLINE);
        engine.search(
          term,
          filters(),
          function (slot, found) {
            if (mine !== asked) return resolve(); // a newer query is asked: this late answer is nobody's
            query.answers[slot] = found;
            query.left -= 1;
            if (!query.left) {
              clearTimeout(timer);
              show(query, true).then(resolve);
            } else if (query.late) show(query, false);
          },
          function (why) {
            clearTimeout(timer);
            query.lost = true; // what is drawn stays, and the status keeps saying why the search stopped
            if (mine === asked) status.textContent = lostText(why);
            resolve();
          }
        );
      });
    });
  }

  // Draws the answers known so far. Until the reader uses the list, the first SHOWN results are kept in score order
  // as better ones arrive (items moved, added or dropped: none has the reader's focus); after, what is drawn stays
  // and later results come after it. The status line says whether the search goes on.
  function show(query, final) {
    query.chain = query.chain
      .then(function () {
        if (query.mine !== asked) return;
        var now = merged(query);
        query.results = now.results;
        if (current !== query) {
          current = query;
          list.replaceChildren();
        }
        if (totals && final) counts(now.filters); // (the counts of some parts would read as the query's)
        var want = query.touched ? query.drawn : now.results.slice(0, Math.max(SHOWN, query.drawn.length));
        return place(query, want).then(function () {
          if (query.mine !== asked || query.lost) return;
          var n = query.results.length;
          if (final) status.textContent = n ? "找到 " + n + " 个结果" : "没有找到“" + query.term + "”";
          else if (n) status.textContent = "已找到 " + n + " 个结果，仍在搜索……";
        });
      })
      .catch(unfinished(query));
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
      if (query.mine !== asked || pages.indexOf(null) >= 0) return; // (null: a newer query was asked)
      fresh.forEach(function (r, i) {
        query.nodes[r.id] = result(pages[i]);
      });
      if (query.touched) {
        // (what was asked for and is not drawn: a result drawn before better ones pushed it out has its node already)
        want = query.drawn.concat(
          want.filter(function (r) {
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
    query.chain = query.chain
      .then(function () {
        if (query.mine !== asked) return;
        var rest = query.results.filter(function (r) {
          return query.drawn.indexOf(r) < 0;
        });
        return place(query, query.drawn.concat(rest.slice(0, SHOWN)));
      })
      .catch(unfinished(query));
  }

  // A result's page that did not come (its fragment, from the index): the status says why, the list stays as drawn.
  function unfinished(query) {
    return function (error) {
      if (query.mine === asked) status.textContent = lostText(error && error.why);
    };
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
  // Filters whose files did not all come show no counts (short ones would mislead) and say why; the reader closes and
  // opens the panel to ask again.
  var filtering = false;
  function openFilters() {
    if (totals || filtering || !panel.open) return;
    filtering = true;
    choices.textContent = "正在载入筛选项……";
    pagefind()
      .then(function (engine) {
        return engine.filters();
      })
      .then(
        function (each) {
          filtering = false;
          var all = countsOf(each);
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
        },
        function (error) {
          filtering = false;
          choices.textContent = error && error.why === "missing" ? MISSING : FILTERS_LOST;
        }
      );
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
      pagefind().then(function (engine) {
        engine.preload(term, filters());
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
  if (q) {
    input.value = q;
    search();
  }

  function attach() {
    var root = document.getElementById("jx-search");
    var header = document.getElementById("jx-header-q");
    if (root) root.replaceChildren(form, panel, status, list, more);
    if (q && header) header.value = q;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attach);
  else attach();
})();
