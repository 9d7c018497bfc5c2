#!/usr/bin/env bash
# Build jixiao/theme/assets/js/plotly-jixiao.min.js: plotly.js with only the trace types jixiao draws (scatter, bar,
# waterfall) and the zh-CN locale, from the npm versions pinned in scripts/plotly/package-lock.json.
# The bundle and its licence file are committed; run this only to change the plotly.js version or trace types.
set -euo pipefail
here="$(cd "$(dirname "$0")/plotly" && pwd)"
out="$(cd "$here/../../jixiao/theme/assets/js" && pwd)"
cd "$here"
npm ci --no-audit --no-fund
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --legal-comments=none --loader:.css=empty --outfile="$out/plotly-jixiao.min.js"
node licences.js > "$out/plotly-jixiao.LICENSE.txt"
ls -l "$out/plotly-jixiao.min.js" "$out/plotly-jixiao.LICENSE.txt"
