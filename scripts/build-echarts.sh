#!/bin/sh
# Builds the ECharts bundle of scripts/echarts.js with the pinned esbuild and
# writes it as static/vendor/echarts.<content hash>.js, removing older builds.
# The hash in the name lets the app serve it with a year's immutable caching.
set -eu
out=static/vendor
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
node_modules/.bin/esbuild scripts/echarts.js --bundle --minify --format=iife \
  --target=es2017 --legal-comments=eof --log-level=warning --outfile="$tmp"
hash=$(sha256sum "$tmp" | cut -c1-12)
name="echarts.$hash.js"
if [ ! -f "$out/$name" ]; then
  rm -f "$out"/echarts.*.js "$out/echarts.min.js"
  cp "$tmp" "$out/$name"
fi
echo "$out/$name: $(wc -c <"$out/$name") bytes"
