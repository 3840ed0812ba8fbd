#!/usr/bin/env bash
# Exports the seeded data in every format and language with two tiendo
# binaries (from copies of one database the first seeds, so stored times
# agree) and compares them: CSV byte for
# byte; JSON, XLSX content (scripts/xlsxdump: excelize's bytes vary from run
# to run) and PDF text apart from the generation time.
# Usage: scripts/compare-exports.sh BEFORE-BINARY AFTER-BINARY
set -euo pipefail
before=$1 after=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$(dirname "$0")/.." && go build -o "$work/xlsxdump" ./scripts/xlsxdump)
export_all() { # binary dir
  mkdir -p "$2"
  for lang in vi en; do
    for f in csv xlsx pdf json; do
      "$1" export -db "$2/db.sqlite" --format "$f" --unit VN-SG --year 2030 --lang "$lang" --out "$2/$lang.$f" 2>/dev/null
    done
    "$1" export -db "$2/db.sqlite" --format csv --excel --unit VN-SG --lang "$lang" --out "$2/$lang.excel.csv" 2>/dev/null
    "$1" export -db "$2/db.sqlite" --format csv --out "$2/$lang.all.csv" 2>/dev/null
  done
}
times='s/[0-9]{2}\/[0-9]{2}\/[0-9]{4}( [0-9]{2}:[0-9]{2})?|[0-9]{1,2} [A-Z][a-z]{2} [0-9]{4}( [0-9]{2}:[0-9]{2})?/TIME/g'
normalise() { # dir: files without their generation time, beside the originals
  local d=$1
  for j in "$d"/*.json; do sed -E 's/"generated":"[^"]*"/"generated":""/' "$j" > "$j.norm"; done
  for x in "$d"/*.xlsx; do "$work/xlsxdump" "$x" | sed -E "$times" > "$x.txt"; done
  for p in "$d"/*.pdf; do
    pdftotext -layout "$p" - | sed -E "$times" > "$p.txt"
  done
}
mkdir -p "$work/before" "$work/after"
"$before" export -db "$work/before/db.sqlite" --format json --out /dev/null 2>/dev/null # seeds it
for f in "$work"/before/db.sqlite*; do cp "$f" "$work/after/"; done
export_all "$before" "$work/before"
export_all "$after" "$work/after"
normalise "$work/before"
normalise "$work/after"
status=0
for f in "$work"/before/*.csv "$work"/before/*.json.norm "$work"/before/*.pdf.txt "$work"/before/*.xlsx.txt; do
  g="$work/after/${f##*/}"
  if cmp -s "$f" "$g"; then echo "same: ${f##*/}"; else echo "DIFFERENT: ${f##*/}"; diff <(head -c 200000 "$f") <(head -c 200000 "$g") | cut -c1-300 | head -20; status=1; fi
done
exit $status
