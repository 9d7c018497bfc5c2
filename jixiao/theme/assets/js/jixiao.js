/* jixiao tables: sort by any column (Chinese collation, numbers numerically) and filter rows.
 * The tables are complete HTML without this script; it only adds sorting and filtering. */
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return { number: null, text: "" };
    var raw = cell.getAttribute("data-sort-value");
    var number = raw === null || raw === "" ? null : Number(raw);
    return { number: isNaN(number) ? null : number, text: cell.textContent.trim() };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) return a.number - b.number;
    return collator.compare(a.text, b.text);
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "jx-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var mark = document.createElement("span");
      mark.className = "jx-sort-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "↕";
      button.appendChild(mark);
      button.title = "按此列排序";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute("aria-sort");
          var m = other.querySelector(".jx-sort-mark");
          if (m) m.textContent = "↕";
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        mark.textContent = ascending ? "↑" : "↓";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = cellValue(r1, index), b = cellValue(r2, index);
          // Numbers before words, and empty cells last, whichever the direction.
          var rankA = a.number !== null ? 0 : a.text ? 1 : 2, rankB = b.number !== null ? 0 : b.text ? 1 : 2;
          if (rankA !== rankB) return rankA - rankB;
          var order = compare(a, b);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilter(panel) {
    var table = document.getElementById(panel.getAttribute("data-table"));
    if (!table) return;
    var text = panel.querySelector(".jx-filter-text");
    var selects = panel.querySelectorAll(".jx-filter-select");
    var count = panel.querySelector(".jx-filter-count");
    var rows = table.tBodies[0].rows;

    function apply() {
      var query = (text && text.value || "").trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var visible = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        Array.prototype.forEach.call(selects, function (select) {
          if (!visible || !select.value) return;
          var cell = row.cells[Number(select.getAttribute("data-column"))];
          var value = cell ? (cell.getAttribute("data-filter-value") || cell.textContent.trim()) : "";
          visible = value === select.value;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }

    panel.hidden = false;
    if (text) text.addEventListener("input", apply);
    Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", apply); });
    apply();
  }

  // A table wider than the screen says so above it (the first column stays in place while it scrolls).
  // Writes, then reads, then writes: measuring a table right after adding a hint would make the browser lay the
  // whole page out again for every table (a unit page has ten), a long pause on a slow phone.
  function hintWide() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".jx-scroll"));
    var hints = boxes.map(function (box) {
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("jx-scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "jx-scroll-hint";
        hint.hidden = true;
        hint.textContent = "⇄ 表格较宽，可左右滑动查看其余各列";
        box.parentNode.insertBefore(hint, box);
      }
      return hint;
    });
    var wide = boxes.map(function (box) { return box.scrollWidth > box.clientWidth + 1 && !!box.offsetParent; });
    hints.forEach(function (hint, i) { hint.hidden = !wide[i]; });
  }

  // Every printed sheet names the page and the data's date in its bottom margin (CSS @page reads this variable).
  function printAddress() {
    var head = document.querySelector(".jx-print-head");
    if (!head) return;
    var canonical = document.querySelector("link[rel=canonical]");
    var address = canonical ? canonical.href : location.href.split("#")[0].split("?")[0];
    var text = decodeURI(address) + " · 数据更新于 " + head.getAttribute("data-date");
    document.documentElement.style.setProperty("--jx-print-address", JSON.stringify(text));
  }

  // The header's search box leads to the search page: a reader in it is about to search. What that page needs before
  // any of the index's words (its scripts, Pagefind's script and WebAssembly, ≈ 90 KB; then the metas of the indexes
  // it searches first, ≈ 20 KB, named in the index's entries: search_index.ENTRIES) is fetched while they type, into
  // the browser's cache. The search page takes them from there as the portal's server lets it: a file dated (as every
  // static server dates it) is reused without asking for a tenth of its age, so not in the first minutes after the
  // site is published. Not before the reader taps or clicks the box or types in it (a reader who does not search
  // downloads nothing, nor one who only passes the box with the Tab key), not on the search page (its own script has
  // them), and not where the phone asks to save data.
  function prefetchSearch() {
    var box = document.getElementById("jx-header-q");
    var form = box && box.form;
    if (!form || !form.dataset.prefetch || document.querySelector("script[data-pagefind]")) return;
    var done = false;
    var prefetch = function () {
      if (done) return;
      done = true;
      if (navigator.connection && navigator.connection.saveData) return;
      var root = new URL("..", form.action); // the form leads to the search page, …/search/
      var add = function (path) {
        var link = document.createElement("link");
        link.rel = "prefetch";
        link.href = new URL(path, root).href;
        document.head.appendChild(link);
      };
      form.dataset.prefetch.split(" ").filter(Boolean).forEach(add);
      // The entries change with every build (asked for afresh, as the search page asks); the metas they name do not.
      // The search page takes the entries from this tab's session storage for a short while (search.js, ENTRIES_AGE)
      // rather than asking for them again, a round trip before its first search.
      var language = (document.documentElement.getAttribute("lang") || "").toLowerCase();
      var address = new URL("pagefind/jixiao-entries.json", root).href;
      fetch(address + "?ts=" + Date.now())
        .then(function (response) {
          if (!response.ok) throw new Error("no entries"); // (nothing stored: the search page asks for itself)
          return response.text();
        })
        .then(function (text) {
          var entries = JSON.parse(text);
          try {
            sessionStorage.setItem("jixiao-entries " + address, JSON.stringify({ at: Date.now(), text: text }));
          } catch (error) {} // (storage refused: the search page asks for them)
          // the hubs' and the first two parts' (search_index.PART_FOLDER), as search-worker.js asks for them first
          ["", "part-1/", "part-2/"].forEach(function (folder) {
            var all = (entries[folder] && entries[folder].languages) || {};
            var index = all[language] || all[language.split("-")[0]];
            if (index && /^[\w-]+$/.test(index.hash)) add("pagefind/" + folder + "pagefind." + index.hash + ".pf_meta");
          });
        })
        .catch(function () {});
    };
    ["pointerdown", "compositionstart", "input"].forEach(function (type) {
      box.addEventListener(type, prefetch);
    });
    if (box.value) prefetch(); // (the reader was quicker than this script)
  }

  function init() {
    printAddress();
    prefetchSearch();
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), makeSortable);
    hintWide();
    window.addEventListener("resize", hintWide);
    document.addEventListener("toggle", hintWide, true);
    Array.prototype.forEach.call(document.querySelectorAll(".jx-filter[data-table]"), makeFilter);
  }

  // Tables a page adds later (the comparison page builds its table of every unit only when it is opened).
  window.jixiaoTables = function (root) {
    Array.prototype.forEach.call(root.querySelectorAll("table[data-sortable]"), makeSortable);
    Array.prototype.forEach.call(root.querySelectorAll(".jx-filter[data-table]"), makeFilter);
    hintWide();
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
