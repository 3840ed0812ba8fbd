#!/usr/bin/env bash
# The reduced import/export run of make bench, on SQLite and on PostgreSQL
# side by side: a smaller synthetic city exported to CSV, and that file
# imported into an empty database, timed with peak RSS. Run inside
# scripts/postgres-test.sh (which sets TIENDO_TEST_PG); prints Markdown rows.
#
#   scripts/postgres-test.sh scripts/bench-io-pg.sh artifacts/bench
set -euo pipefail
out=$1
bin=$out/tiendo
units=${BENCH_PG_UNITS:-60} indicators=${BENCH_PG_INDICATORS:-50}
base=${TIENDO_TEST_PG%/*}
timed() { local f=$1; shift; /usr/bin/time -f '%e %M' -o "$f" "$@" >/dev/null 2>&1; awk '{printf "%s %d\n", $1, $2/1024}' "$f"; }
fresh_pg() { psql -q "$TIENDO_TEST_PG" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; echo "$base/$1?sslmode=disable"; }
for db in sqlite postgres; do
  if [ $db = sqlite ]; then
    ref=$PWD/$out/pg-ref.db empty=$PWD/$out/pg-empty.db
    rm -f "$ref" "$ref"-wal "$ref"-shm "$empty" "$empty"-wal "$empty"-shm
  else
    ref=$(fresh_pg bench_ref) empty=$(fresh_pg bench_empty)
  fi
  "$bin" demo -db "$ref" --units "$units" --indicators "$indicators" --from 2015 --to 2030 --period quarter --seed 1 >/dev/null 2>&1
  "$bin" demo -db "$empty" -remove >/dev/null 2>&1
  read -r esecs emb < <(timed "$out/time-pg-export.txt" "$bin" export -db "$ref" --format csv --out "$out/pg-all.csv")
  lines=$(($(wc -l <"$out/pg-all.csv") - 1))
  obs=$(grep -c '^observation,' "$out/pg-all.csv")
  read -r isecs imb < <(timed "$out/time-pg-import.txt" "$bin" import -db "$empty" "$out/pg-all.csv")
  echo "| $db, city of $units units × $indicators indicators: CSV export ($lines rows), CSV import into an empty database ($obs observations) | export $esecs s ($(awk -v n="$lines" -v s="$esecs" 'BEGIN{printf "%d", n/s}') rows/s), $emb MB; import $isecs s ($(awk -v n="$obs" -v s="$isecs" 'BEGIN{printf "%d", n/s}') observations/s), $imb MB | |"
done
