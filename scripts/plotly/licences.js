// Print the licence of plotly.js and the name, version and licence of every package the bundle includes.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "node_modules");
const plotly = path.join(root, "plotly.js");
const lines = [];
lines.push("plotly-jixiao.min.js: a partial build of plotly.js (scatter, bar, waterfall, zh-CN locale).");
lines.push("Built by scripts/build_plotly_bundle.sh from the versions in scripts/plotly/package-lock.json.");
lines.push("");
lines.push(fs.readFileSync(path.join(plotly, "LICENSE"), "utf8").trim());
lines.push("");
lines.push("Packages installed with plotly.js, a superset of those the bundle includes (name version licence):");
const lock = JSON.parse(fs.readFileSync(path.join(__dirname, "package-lock.json"), "utf8"));
for (const [key, info] of Object.entries(lock.packages || {}).sort()) {
  if (!key || info.dev || key.includes("esbuild")) continue;
  lines.push(`  ${key.replace(/^.*node_modules\//, "")} ${info.version || ""} ${info.license || "see package"}`);
}
console.log(lines.join("\n"));
