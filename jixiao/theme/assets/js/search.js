/* jixiao search page: Pagefind's UI over the chunked index built into pagefind/ (no request leaves the site).
 * A query in the address (?q=…, from the header form) is searched at once. */
(function () {
  "use strict";
  var node = document.getElementById("jx-search");
  if (!node) return;
  if (!window.PagefindUI) {
    // The index is built after every build (jixiao build, jixiao serve, mkdocs build/serve with the plugin):
    // missing, it was not copied with the site.
    node.textContent = "搜索索引缺失：请把生成的 site/ 文件夹完整复制到服务器（含 pagefind/ 文件夹）。";
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
