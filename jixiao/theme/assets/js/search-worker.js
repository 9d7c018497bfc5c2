/* jixiao search worker: runs Pagefind (pagefind/pagefind-jixiao.js, Pagefind's own pagefind.js that also exports
 * its Pagefind class, written by search_index.py) off the page's thread, and answers a search index by index.
 *
 * Why not Pagefind's own worker: it answers a search once every index has been searched, and Pagefind's search costs
 * grow with the square of the pages of one index that hold a word (it scans every matching page's entry for each
 * matching page). A word on almost every unit page of a 20,000-unit site took ≈ 10 s on a phone-speed CPU, with
 * nothing shown meanwhile. The site's index comes in parts of ≈ 2,000 units (search_index.PART_UNITS); here each
 * part is one of the merged Pagefind's indexes (one WebAssembly memory), searched in turn as the chunks its words
 * need come, and its answer is sent at once: the page draws the first results while the other parts are searched,
 * and a newer query stops the older one between parts. The answer of each index is Pagefind's own, and so is the
 * way the page merges them (in index order, sorted by score), so the final list is the one Pagefind gives when it
 * merges the parts itself.
 *
 * Messages in: init {module, base, parts: [{path, slot}], hubs, language, term, entries, given: [address]},
 * given {url, buffer}, search {id, term, filters}, preload {term, filters}, data {req, id, slot, k}, filters {req}.
 * Out: ready, failed {message, why}, found {id, slot, results: [[page, score]…], filters}, lost {id, why, message},
 * data {req, page, why}, filters {req, each, why}. why: "missing", "network" or "error". */
"use strict";

var engine = null; // Pagefind, once the module is loaded
var slots = []; // [slot, Pagefind's index] searched here, in the site's order
var asked = 0; // the newest search's id: an older one stops between indexes
var searched = false; // a search has been asked
var kept = { id: 0, found: {} }; // the newest search's results by slot, for their pages' data
var fetching = {}; // search id → how many of its results' pages are being made: its search waits for them
var idle = []; // what waits for them (woken when one is made, and by a newer query)

function wake() {
  idle.splice(0).forEach(function (resume) {
    resume();
  });
}

// Pagefind logs a chunk it could not load and searches on without it, so a site copied to the portal without some of
// its index would answer short without a word. A file of the index that does not come makes the search say so, and
// why: "missing" (the server answered without it) or "network" (no answer: a phone's line dropped). Pagefind keeps
// what it failed to load as loaded; those files are forgotten before the next search, which asks for them again.
var missing = null;
var failed = []; // the files that did not come: [address, why]

function fail(url, why) {
  missing = missing || why;
  failed.push([url, why]);
}

// The files that did not come (those of the filters alone with `filtersOnly`) forgotten, so they are asked for again.
function retry(filtersOnly) {
  if (!missing || !engine) return;
  var left = [];
  var hashes = [];
  failed.forEach(function (file) {
    if (filtersOnly && !FILTER.test(file[0])) left.push(file);
    else hashes.push(file[0].replace(/^.*\//, "").replace(/\.pf_[a-z]+$/, ""));
  });
  engine.instances.forEach(function (instance) {
    [instance.loaded_chunks, instance.loaded_fragments, instance.loaded_filters].forEach(function (loaded) {
      hashes.forEach(function (hash) {
        delete loaded[hash];
      });
    });
  });
  failed = left;
  missing = left.length ? left[0][1] : null;
}

var FILTER = /\/filter\/[^/]*$/; // a filter's file (Pagefind's filter/<hash>.pf_filter)

var fetchFile = self.fetch.bind(self);
self.fetch = function (input, init) {
  var url = new URL(typeof input === "string" ? input : input.url, self.location.href).href;
  return taken(url)
    .then(function (response) {
      return (
        response ||
        waits(url).then(function () {
          return fetchFile(input, init);
        })
      );
    })
    .then(
      function (response) {
        if (!response.ok) fail(url, "missing");
        return response;
      },
      function (error) {
        fail(url, "network");
        throw error;
      }
    );
};

// --- The first files asked for at once. Pagefind asks for an index's entry (pagefind-entry.json, which names its
// meta), then for its meta, and for a merged part's only once its WebAssembly has come: on a phone's line, three round
// trips one after the other before the first part can be searched. The build gathers every index's entry in one file
// (search_index.ENTRIES). The page fetches it and the WebAssembly as it starts this worker (they come while this
// script and Pagefind's load) and hands them over (`given`); the metas of the indexes searched first are asked for as
// soon as the entries are in, and Pagefind's requests for entries are answered from them. The other parts' files wait
// until the pages of the first results shown have come, or the first indexes are searched (or, before any search,
// until the first indexes have loaded): on a slow line they would share it with the files the first results need.
// Without the file (a copy on the portal that lost it), Pagefind loads each index as it would. ---
var early = {}; // address → its response (a promise), until Pagefind's request takes it
var giving = {}; // address → gives early[address] the bytes the page fetched (null: it could not)
var entries = Promise.resolve(null); // folder under pagefind/ ("" for the hubs', "part-1/", …) → its entry
var home = ""; // the address of pagefind/
var later = []; // the addresses of the parts whose files wait
var open = null; // lets them load
var opened = new Promise(function (resolve) {
  open = resolve;
});

// A file asked for early, handed to the first request for it (once: a response is read once), or undefined.
function take(url) {
  var response = early[url];
  delete early[url];
  return response;
}

// What answers a request from here: a file asked for early, or an index's entry from the entries file; else null.
function taken(url) {
  var response = take(url);
  if (response) return response;
  var entry = /^(.*\/)pagefind-entry\.json(\?.*)?$/.exec(url);
  if (!entry || entry[1].indexOf(home) !== 0) return Promise.resolve(null);
  return entries.then(function (all) {
    var known = all && all[entry[1].slice(home.length)];
    return known ? new Response(JSON.stringify(known), { headers: { "Content-Type": "application/json" } }) : null;
  });
}

function waits(url) {
  return later.some(function (part) {
    return url.indexOf(part) === 0;
  })
    ? opened
    : Promise.resolve();
}

// A file the page fetches for this worker: its bytes come in a `given` message.
function given(url) {
  early[url] = new Promise(function (resolve) {
    giving[url] = resolve;
  }).then(function (bytes) {
    return bytes ? new Response(bytes) : fetchFile(url); // (the page could not fetch it: asked again, from here)
  });
}

// The index Pagefind loads for the page's language (as its findIndex picks it).
function indexFor(entry, language) {
  var all = (entry && entry.languages) || {};
  var top = Object.keys(all).sort(function (a, b) {
    return all[b].page_count - all[a].page_count;
  })[0];
  return all[language] || all[language.split("-")[0]] || all[top];
}

function loadEarly(m) {
  home = new URL(m.base, self.location.href).href;
  var first = m.parts.slice(0, m.hubs ? AHEAD - 1 : AHEAD);
  later = m.parts.slice(first.length).map(function (part) {
    return new URL(part.path, self.location.href).href;
  });
  (m.given || []).forEach(given);
  if (!m.entries) return open();
  entries = (take(m.entries) || fetchFile(m.entries))
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .catch(function () {
      return null;
    });
  entries.then(function (all) {
    var hubs = all && indexFor(all[""], m.language);
    if (!hubs) return open();
    var ask = function (url) {
      if (!early[url]) early[url] = fetchFile(url);
      return early[url].catch(function () {});
    };
    var asked = [
      ask(home + "wasm." + (hubs.wasm || "unknown") + ".pagefind"),
      ask(home + "pagefind." + hubs.hash + ".pf_meta"),
    ];
    first.forEach(function (part) {
      var url = new URL(part.path, self.location.href).href;
      var index = indexFor(all[url.slice(home.length)], m.language);
      if (index) asked.push(ask(url + "pagefind." + index.hash + ".pf_meta"));
    });
    // Before any search (the reader is typing), the rest load once the first have come.
    Promise.all(asked).then(function () {
      if (!searched) open();
    });
  });
}

function post(message) {
  self.postMessage(message);
}

function answer(found) {
  return {
    results: found.results.map(function (r) {
      return [r.id, r.score];
    }),
    filters: found.filters || {},
  };
}

async function start(m) {
  searched = Boolean(m.term);
  loadEarly(m);
  try {
    var api = await import(m.module);
    engine = new api.JixiaoPagefind({ basePath: m.base, excerptLength: 40, language: m.language });
  } catch (error) {
    return post({ type: "failed", message: String((error && error.message) || error) });
  }
  try {
    await engine.instances[0].getPtr(); // its WebAssembly and meta loaded, or why not
    await engine.options({ excerptLength: 40 });
    // mergeIndex adds each index at once, in the order asked; its files load meanwhile, and a search of an index
    // waits for them (one that fails to load fails its search: see search()).
    m.parts.forEach(function (part) {
      engine.mergeIndex(part.path, { excerptLength: 40, language: m.language }).catch(function () {});
    });
    slots = (m.hubs ? [[0, engine.instances[0]]] : []).concat(
      m.parts.map(function (part, i) {
        return [part.slot, engine.instances[i + 1]];
      })
    );
    post({ type: "ready" });
    // The query that started this worker: its first indexes' chunks are asked for now, not once the page (busy with
    // its own scripts as it loads) has sent the search.
    if (m.term) preload(m.term, {});
  } catch (error) {
    post({ type: "failed", why: missing || "missing", message: String((error && error.message) || error) });
  }
}

// The indexes are searched in the site's order, one at a time, so the first answers come after one part's work, not
// after all parts' (each chunk a part's query needs is unpacked as it comes, and that is most of the work). The
// chunks of the next AHEAD indexes are asked for meanwhile, and of those the first whose chunks have come is searched
// first: a slow part does not hold back the others. A newer query stops this one between indexes.
var AHEAD = 3;

async function search(m) {
  var options = { filters: m.filters || {} };
  var queue = slots.slice();
  var waiting = new Map();
  var fill = function () {
    while (waiting.size < AHEAD && queue.length) loaded(queue.shift());
  };
  var loaded = function (entry) {
    var settled = function () {
      return entry; // loaded or not: a failed load fails the search of it (below)
    };
    waiting.set(entry[0], entry[1].preload(m.term, options).then(settled, settled));
  };
  var done = 0;
  var first = slots.length - later.length;
  retry();
  kept = { id: m.id, found: {} };
  fill();
  while (waiting.size) {
    var entry = await Promise.race(waiting.values());
    // A task's turn for what waits (the page's requests for the first results' pages, a newer query, the chunks
    // that have come): chunks already here would otherwise be searched one after another without a pause.
    await new Promise(function (resolve) {
      setTimeout(resolve, 0);
    });
    // The reader waits for the pages of the results shown: they come before the next index is searched.
    while (fetching[m.id] && m.id === asked) {
      await new Promise(function (resolve) {
        idle.push(resolve);
      });
    }
    if (m.id !== asked) return;
    waiting.delete(entry[0]);
    fill();
    try {
      if (missing || entry[1].raw_ptr === null) throw new Error("a file of index " + entry[0] + " did not load");
      var found = (await entry[1].search(m.term, options)) || { results: [], filters: {} };
    } catch (error) {
      var why = missing || (entry[1].raw_ptr === null ? "missing" : "error");
      post({ type: "lost", id: m.id, why: why, message: String((error && error.message) || error) });
      return open();
    }
    if (m.id !== asked) return;
    kept.found[entry[0]] = found.results;
    post(Object.assign({ type: "found", id: m.id, slot: entry[0] }, answer(found)));
    if (++done >= first) open(); // the indexes loaded first are searched: the others' files may load
  }
}

async function data(m) {
  var results = m.id === kept.id ? kept.found[m.slot] : null;
  var page = null;
  var why = null;
  fetching[m.id] = (fetching[m.id] || 0) + 1;
  if (results && results[m.k]) {
    try {
      page = await results[m.k].data();
    } catch (error) {
      why = missing || "error"; // (its fragment did not come, or could not be read)
    }
  }
  post({ type: "data", req: m.req, page: page, why: why });
  if (!(fetching[m.id] -= 1)) {
    delete fetching[m.id];
    open(); // the first results' pages are drawn: the other parts' files may load
  }
  wake();
}

// Every index's filter counts. Pagefind logs a filter's file that did not come and counts without it: here the answer
// says why instead (the page shows no counts rather than short ones), and the next time the filters are asked for,
// those files are asked for again. (Files of a search that did not come are left to the next search.)
async function filters(m) {
  open();
  retry(true);
  var each = [];
  var why = null;
  try {
    each = await Promise.all(
      slots.map(function (entry) {
        return entry[1].filters().then(function (counts) {
          return [entry[0], counts];
        });
      })
    );
  } catch (error) {
    why = "error";
  }
  var lost = failed.filter(function (file) {
    return FILTER.test(file[0]);
  });
  why = lost.length ? lost[0][1] : why;
  post({ type: "filters", req: m.req, each: why ? [] : each, why: why });
}

// The first indexes' chunks for a query (the reader is typing it), which its search would ask for first.
function preload(term, filters) {
  slots.slice(0, AHEAD).forEach(function (entry) {
    entry[1].preload(term, { filters: filters }).catch(function () {});
  });
}

self.addEventListener("message", function (event) {
  var m = event.data;
  if (m.type === "init") start(m);
  else if (m.type === "search") {
    asked = m.id;
    searched = true;
    wake(); // an older search waiting for its pages' data stops
    search(m);
  } else if (m.type === "preload") preload(m.term, m.filters || {});
  else if (m.type === "given") giving[m.url](m.buffer);
  else if (m.type === "data") data(m);
  else if (m.type === "filters") filters(m);
});
