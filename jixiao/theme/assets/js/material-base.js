// Material for MkDocs defines these helpers in an inline <script> (partials/javascripts/base.html). The site's
// Content-Security-Policy allows no inline script, so the same code lives here, loaded by the theme override.
(function () {
  // This file runs in <head>, before the first paint (Material's bundle says "js" only at the end of <body>): the
  // class lets the style sheet show the controls scripts fill in and reserve the room their output will take, so
  // nothing on screen moves when it arrives (no layout shift). With JavaScript off the class never appears.
  var root = document.documentElement;
  root.classList.add("jx-js");
  // The comparison page draws the units named in its address (?u=…&u=…) above the table of all units.
  if (new URLSearchParams(location.search).getAll("u").filter(Boolean).length >= 2) {
    root.classList.add("jx-compare-chosen");
  }
  var script = document.currentScript;
  var scope = (script && script.getAttribute("data-scope")) || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (e) {
      // Storage full or disabled: Material works without it.
    }
  };
})();
