/* jixiao search page: Pagefind's UI over the chunked index built into pagefind/ (no request leaves the site).
 * A query in the address (?q=…, from the header form) is searched at once. */
(function () {
  "use strict";
  var node = document.getElementById("jx-search");
  if (!node) return;
  if (!window.PagefindUI) {
    // `jixiao serve` previews without the index: only `jixiao build` runs Pagefind.
    node.textContent = "搜索索引尚未生成：预览时没有搜索，用 jixiao build 生成的网站才有。";
    return;
  }
  var ui = new window.PagefindUI({
    element: "#jx-search",
    showSubResults: true,
    showImages: false,
    excerptLength: 40,
    resetStyles: false,
    translations: { placeholder: "搜索单位、指标、文字", zero_results: "没有找到“[SEARCH_TERM]”", many_results: "找到 [COUNT] 个结果", one_result: "找到 1 个结果" }
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
  var header = document.getElementById("jx-header-q");
  if (header && q) header.value = q;
})();
