#!/usr/bin/env bash
# make bench: the figures of BENCHMARKS.md, measured side by side in one run
# on the reference dataset (335 units × 150 indicators × quarters 2015–2030).
# Results and raw outputs land in artifacts/bench/; results.md is the table.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=20s scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-20s}
out=artifacts/bench
mkdir -p "$out/static-root"
command -v wrk >/dev/null 2>&1 || ./scripts/install-test-deps.sh wrk
command -v curl >/dev/null 2>&1 || ./scripts/install-test-deps.sh curl
command -v sqlite3 >/dev/null 2>&1 || ./scripts/install-test-deps.sh sqlite3  # the export's yardstick

$GO build -o "$out/tiendo" .
$GO build -o "$out/static" ./bench/static
$GO build -o "$out/loadtest" ./cmd/loadtest
ref=$PWD/$out/ref.db
rows=${BENCH_ROWS:-2412000}  # observations the insert benchmarks write: the reference city's
# BENCH_DB=postgres://… (with BENCH_ONLY=load) runs the load part on
# PostgreSQL: the reference city is generated there unless present.
if [ -n "${BENCH_DB:-}" ]; then
  ref=$BENCH_DB
  "$out/tiendo" demo -db "$ref" --units 335 --indicators 150 --from 2015 --to 2030 --period quarter --seed 1 2>&1 | tee "$out/generate-pg.txt" || true
  /usr/bin/time -f '%e s, peak RSS %M KB' "$out/tiendo" reassess -db "$ref" 2>&1 | tee "$out/reassess-pg.txt"
elif [ ! -f "$ref" ]; then
  rm -f "$ref"-wal "$ref"-shm
  "$out/tiendo" demo -db "$ref" --units 335 --indicators 150 --from 2015 --to 2030 --period quarter --seed 1 2>/dev/null | tee "$out/generate.txt"
fi
# A reference file from before the stored assessments: built once here, so
# the start-up figures measure a start, not the one-off build.
"$out/tiendo" user list -db "$ref" >/dev/null  # migrates an older file (a migration marks the assessments out of date)
if [ -z "${BENCH_DB:-}" ] && [ "$(sqlite3 "$ref" 'SELECT built FROM assessment_state' 2>/dev/null)" != 1 ]; then
  /usr/bin/time -f '%e s, peak RSS %M KB' "$out/tiendo" reassess -db "$ref" 2>&1 | tee "$out/reassess.txt"
fi
# The planners of the load test (the account stays in the file).
planner=bench-planner; planner_pw="bench planner password 2026"
"$out/tiendo" user add -db "$ref" -username "$planner" -role planner -password "$planner_pw" >/dev/null 2>&1 || true

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
m() { median <"$out/$1.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
waitfor() { for _ in $(seq 1 1000); do curl -sf -o /dev/null "$1" && return 0; sleep 0.005; done; echo "no answer from $1" >&2; exit 1; }

# BENCH_ONLY=io runs only the import and export part; BENCH_ONLY=load only
# the pages and API, quiet and with planners writing, and the Go
# benchmarks of a write.
if [ "${BENCH_ONLY:-}" != io ]; then
echo "== start-up (exec to first 200 from /healthz), 5 times"
: >"$out/startup.txt"
[ "${BENCH_ONLY:-}" = load ] || for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  "$out/tiendo" serve -db "$ref" -addr 127.0.0.1:18090 2>/dev/null & p=$!
  waitfor http://127.0.0.1:18090/healthz
  echo $((($(date +%s%N) - t0) / 1000000)) >>"$out/startup.txt"
  kill "$p"; wait "$p" 2>/dev/null || true
done
startup=$(median <"$out/startup.txt")

"$out/tiendo" serve -db "$ref" -addr 127.0.0.1:18090 2>/dev/null & app=$!; pids+=("$app")
waitfor http://127.0.0.1:18090/healthz
overview="/?unit=VN-DEMO"
api="/api/v1/assessments?unit=VN-DEMO"
first_overview=$(curl -s -o "$out/static-root/overview.html" -w '%{time_total}' "http://127.0.0.1:18090$overview")
first_api=$(curl -s -o "$out/static-root/assessments.json" -w '%{time_total}' "http://127.0.0.1:18090$api")
"$out/static" -dir "$out/static-root" -addr 127.0.0.1:18091 2>/dev/null & st=$!; pids+=("$st")
waitfor http://127.0.0.1:18091/overview.html
cmp -s "$out/static-root/overview.html" <(curl -s "http://127.0.0.1:18091/overview.html") || { echo "static copy differs" >&2; exit 1; }

# rps and p99 (ms) of one wrk run
wrkrun() {
  local name=$1 url=$2 r=$3
  wrk -t2 -c16 -d"$duration" --latency "$url" >"$out/wrk-$name-$r.txt"
  awk '/Requests\/sec/ {print $2}' "$out/wrk-$name-$r.txt" >>"$out/rps-$name.txt"
  awk '$1=="99%" {v=$2; u=v; sub(/[0-9.]+/,"",u); sub(/[a-z]+$/,"",v);
       f=(u=="us")?0.001:(u=="s")?1000:1; print v*f}' "$out/wrk-$name-$r.txt" >>"$out/p99-$name.txt"
}
# busy NAME: 4 planners write through the API (8 writes/s in all, random
# wards of the city, indicators and quarters) for two wrk runs; the load
# test checks each write is stored and shown on the writer's next view of
# the indicator page, and reports the writes' latencies.
busy() {
  "$out/loadtest" -url http://127.0.0.1:18090 -db "$ref" -user "$planner" -password "$planner_pw" \
    -c 0 -w 4 -rate 8 -under VN-DEMO -d "$1" -o "$out/planners-$2.md" >/dev/null 2>&1 &
}
wait_busy() { wait "$1" && echo ok >>"$out/planners-ok.txt" || echo failed >>"$out/planners-ok.txt"; }
secs=${duration%s}
rm -f "$out"/rps-*.txt "$out"/p99-*.txt "$out"/export-csv.txt "$out"/import-csv.txt "$out"/go-insert-io.txt "$out"/planners-*
for r in $(seq 1 "$rounds"); do
  echo "== wrk round $r of $rounds (quiet and with 4 planners writing, alternating)"
  wrkrun static-overview http://127.0.0.1:18091/overview.html "$r"
  wrkrun app-overview "http://127.0.0.1:18090$overview" "$r"
  busy "$((2 * secs + 3))s" "$r"; lt=$!; sleep 1
  wrkrun busy-overview "http://127.0.0.1:18090$overview" "$r"
  wrkrun busy-api "http://127.0.0.1:18090$api" "$r"
  wait_busy "$lt"
  wrkrun app-api "http://127.0.0.1:18090$api" "$r"
  wrkrun static-api http://127.0.0.1:18091/assessments.json "$r"
  # the writes' p95 (ms) and the checks, from the load test's report
  awk -F'|' '$2 ~ /write/ {gsub(/ /,"",$7); print $7}' "$out/planners-$r.md" >>"$out/p95-write.txt"
done
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$app/status")
cleanup; pids=()

echo "== Go benchmarks on the reference database (write visibility, recompute, start-up)"
TIENDO_BENCH_DB=$ref $GO test -run '^$' -bench 'Startup|AfterWrite|WriteVisible' -count 5 -benchtime 3x -timeout 30m ./bench/ | tee "$out/go-app.txt"
benchms() { awk -v n="$1" '$1 ~ "^Benchmark"n"(-[0-9]+)?$" {print $3/1e6}' "$out/go-app.txt" | median; }

load_rows() {
  echo "| overview while 4 planners write 8 values/s: req/s, p99 | $(m rps-busy-overview) req/s, $(m p99-busy-overview) ms; $(ratio "$(m rps-busy-overview)" "$(m rps-app-overview)")× quiet ($(m rps-app-overview) req/s, p99 $(m p99-app-overview) ms) | ≥ 0.5× quiet, p99 ≤ 150 ms |"
  echo "| assessments while they write: req/s, p99 | $(m rps-busy-api) req/s, $(m p99-busy-api) ms; $(ratio "$(m rps-busy-api)" "$(m rps-app-api)")× quiet ($(m rps-app-api) req/s, p99 $(m p99-app-api) ms) | ≥ 0.5× quiet, p99 ≤ 150 ms |"
  echo "| the planners' writes: p95; load test verdicts (every write stored, the writer's next view shows it, no error) | $(m p95-write) ms; $(sort "$out/planners-ok.txt" | uniq -c | tr '\n' ' ') | ≤ 150 ms; all ok |"
  errs=$(cat "$out"/wrk-busy-*.txt | grep -E 'Non-2xx|Socket errors' | tr '\n' ';' || true)
  echo "| wrk errors while they write | ${errs:-none} | none |"
  echo "| write one observation + next assessments request (WriteVisible) | $(benchms WriteVisible) ms | within one request |"
  echo "| first overview after a ward's write (OverviewAfterWrite) | $(benchms OverviewAfterWrite) ms | ≤ 200 ms |"
  echo "| assessments after a ward's write (AssessmentsAfterWrite) | $(benchms AssessmentsAfterWrite) ms | |"
}
if [ "${BENCH_ONLY:-}" = load ]; then
  { echo "| measure | median | goal |"; echo "|---|---|---|"; load_rows
    echo; echo "Load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."; } | tee "$out/results-load${BENCH_DB:+-pg}.md"
  exit 0
fi

echo "== loading $rows observations: raw prepared single-row INSERTs vs the bulk loader, alternating"
: >"$out/go-insert.txt"
for r in $(seq 1 "$rounds"); do
  TIENDO_BENCH_ROWS=$rows $GO test -run '^$' -bench 'RawInsert|Generate' -benchtime 1x -timeout 30m ./bench/ | tee -a "$out/go-insert.txt"
done
rowsps() { awk -v n="$1" '$1 ~ "^Benchmark"n"(-[0-9]+)?$" {for (i=1;i<=NF;i++) if ($i=="rows/s") print $(i-1)}' "$out/go-insert.txt" | median; }

fi

echo "== imports and exports, each alternating with its sqlite3 shell yardstick"
io_rows=()
rm -f "$out"/export-csv.txt "$out"/import-csv.txt "$out"/sqlite-dump.txt "$out"/sqlite-import.txt
if "$out/tiendo" export -h 2>&1 | grep -q -- '-format'; then
  # wall seconds and peak RSS (MB) of a command, from GNU time
  timed() { local f=$1; shift; /usr/bin/time -f '%e %M' -o "$f" "$@" >/dev/null; awk '{printf "%s %d\n", $1, $2/1024}' "$f"; }
  # an empty database: migrated and seeded, the reference city's rows not in it
  empty=$PWD/$out/empty.db; rm -f "$empty" "$empty"-wal "$empty"-shm
  "$out/tiendo" demo -db "$empty" -remove >/dev/null 2>&1
  sqlite3 "$empty" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null  # copied as one file below
  nobs=$(sqlite3 "$ref" "SELECT count(*) FROM observations")
  # every observation by its codes, sorted: what a round trip must keep
  values() { sqlite3 -csv "$1" "SELECT i.code, u.code, o.period, o.year, o.value, o.note, o.source, o.demo FROM observations o
    JOIN indicators i ON i.id = o.indicator_id JOIN units u ON u.id = o.unit_id ORDER BY 1, 2, 3"; }
  for r in $(seq 1 "$rounds"); do
    # Export: the sqlite3 shell dumping the observations table, then tiendo.
    read -r secs mb < <(timed "$out/time-dump.txt" sh -c "sqlite3 -csv '$ref' 'SELECT * FROM observations' >'$out/dump.csv'")
    echo "$(wc -l <"$out/dump.csv") $secs $mb" | awk '{print $1/$2, $3}' >>"$out/sqlite-dump.txt"
    read -r secs mb < <(timed "$out/time-export.txt" "$out/tiendo" export -db "$ref" --format csv --out "$out/all.csv")
    lines=$(($(wc -l <"$out/all.csv") - 1))
    echo "$lines $secs $mb" | awk '{print $1/$2, $3}' >>"$out/export-csv.txt"
    # Import: the shell's .import of the same rows into the same table of
    # an empty database, then tiendo importing the whole export.
    shell=$PWD/$out/shell.db; rm -f "$shell" "$shell"-wal "$shell"-shm; cp "$empty" "$shell"
    sqlite3 "$shell" "DELETE FROM observations"
    read -r secs mb < <(timed "$out/time-shell-import.txt" sqlite3 "$shell" ".import --csv '$out/dump.csv' observations")
    echo "$nobs $secs $mb" | awk '{print $1/$2, $3}' >>"$out/sqlite-import.txt"
    fresh=$PWD/$out/import.db; rm -f "$fresh" "$fresh"-wal "$fresh"-shm; cp "$empty" "$fresh"
    read -r secs mb < <(timed "$out/time-import.txt" "$out/tiendo" import -db "$fresh" "$out/all.csv")
    echo "$nobs $secs $mb" | awk '{print $1/$2, $3}' >>"$out/import-csv.txt"
    if [ "$r" = 1 ]; then
      values "$ref" >"$out/values-exported.csv"; values "$fresh" >"$out/values-imported.csv"
      if cmp -s "$out/values-exported.csv" "$out/values-imported.csv"; then same="the same $(wc -l <"$out/values-imported.csv") observations"
      else same="**DIFFERENT observations** (see values-*.csv)"; echo "round trip: the observations differ" >&2; fi
    fi
  done
  # XLSX of at least one million observations: the demo indicators in code
  # order (demo-001, …) until their observations reach a million.
  inds=$(sqlite3 "$ref" "SELECT i.code, count(*) FROM observations o JOIN indicators i ON i.id = o.indicator_id
    WHERE i.code LIKE 'demo-%' GROUP BY i.code ORDER BY i.code" | awk -F'|' 'n < 1000000 {n += $2; printf "%s%s", sep, $1; sep = ","}')
  xlsx_rows=$(sqlite3 "$ref" "SELECT count(*) FROM observations o JOIN indicators i ON i.id = o.indicator_id WHERE i.code IN ('$(echo "$inds" | sed "s/,/','/g")')")
  read -r secs mb < <(timed "$out/time-xlsx.txt" "$out/tiendo" export -db "$ref" --format xlsx --indicators "$inds" --out "$out/million.xlsx")
  imp=$(cut -d' ' -f1 "$out/import-csv.txt" | median); shimp=$(cut -d' ' -f1 "$out/sqlite-import.txt" | median)
  exp=$(cut -d' ' -f1 "$out/export-csv.txt" | median); dump=$(cut -d' ' -f1 "$out/sqlite-dump.txt" | median)
  io_rows+=("| CSV export of every record ($lines rows): rows/s, peak RSS | $exp rows/s, $(cut -d' ' -f2 "$out/export-csv.txt" | median) MB | ≤ 150 MB |")
  io_rows+=("| sqlite3 shell dumping the observations table, same rounds | $dump rows/s; export = $(ratio "$exp" "$dump")× the shell | ≥ 0.5× |")
  io_rows+=("| CSV import of that file into an empty database ($nobs observations): observations/s, peak RSS | $imp /s, $(cut -d' ' -f2 "$out/import-csv.txt" | median) MB | ≤ 256 MB |")
  io_rows+=("| sqlite3 shell's .import of the same rows into the same table, same rounds | $shimp rows/s; import = $(ratio "$imp" "$shimp")× the shell | ≥ 0.5× |")
  io_rows+=("| the re-imported city, observations sorted by codes (\`cmp\`) | $same as exported | identical |")
  io_rows+=("| XLSX export of $xlsx_rows observations: seconds, peak RSS | $secs s, $mb MB | ≤ 256 MB |")
  # The reduced run on PostgreSQL, beside SQLite (BENCH_PG=0 leaves it out).
  if [ "${BENCH_PG:-1}" != 0 ]; then
    while read -r line; do io_rows+=("$line"); done < <(./scripts/postgres-test.sh scripts/bench-io-pg.sh "$out" | grep '^|')
  fi
else
  io_rows+=("| CSV import / CSV and XLSX export | not in this build | |")
fi

if [ "${BENCH_ONLY:-}" = io ]; then
  { echo "| measure | median | goal |"; echo "|---|---|---|"; for line in "${io_rows[@]}"; do echo "$line"; done
    echo; echo "Load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."; } | tee "$out/results-io.md"
  exit 0
fi
{
  echo "| measure | median | goal |"
  echo "|---|---|---|"
  echo "| static file, overview bytes ($(stat -c %s "$out/static-root/overview.html") B): req/s, p99 | $(m rps-static-overview) req/s, $(m p99-static-overview) ms | |"
  echo "| app, city overview \`$overview\`: req/s, p99 | $(m rps-app-overview) req/s, $(m p99-app-overview) ms | |"
  echo "| overview ÷ static | $(ratio "$(m rps-app-overview)" "$(m rps-static-overview)")× | ≥ 0.5×, p99 ≤ 100 ms |"
  echo "| static file, assessments bytes ($(stat -c %s "$out/static-root/assessments.json") B): req/s, p99 | $(m rps-static-api) req/s, $(m p99-static-api) ms | |"
  echo "| app, \`$api\`: req/s, p99 | $(m rps-app-api) req/s, $(m p99-app-api) ms | |"
  echo "| assessments ÷ static | $(ratio "$(m rps-app-api)" "$(m rps-static-api)")× | ≥ 0.5×, p99 ≤ 100 ms |"
  load_rows
  echo "| first request after start: overview, assessments | $(awk -v t="$first_overview" 'BEGIN{print t*1000}') ms, $(awk -v t="$first_api" 'BEGIN{print t*1000}') ms | |"
  echo "| start-up: exec to first /healthz 200 | $startup ms | < 2 000 ms |"
  echo "| start-up in process (open, migrate, build app) | $(benchms Startup) ms | |"
  echo "| server peak RSS during the wrk runs | $rss MB | |"
  echo "| database file (reference dataset, $(sqlite3 "$ref" 'SELECT COUNT(*) FROM observations') observations) | $(du -m "$ref" | cut -f1) MB | |"
  echo "| raw prepared INSERTs, one transaction | $(rowsps RawInsert) rows/s | yardstick |"
  echo "| bulk loader (tiendo demo) | $(rowsps Generate) rows/s, $(ratio "$(rowsps Generate)" "$(rowsps RawInsert)")× raw | |"
  for line in "${io_rows[@]}"; do echo "$line"; done
  echo
  echo "Load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg). $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB."
} | tee "$out/results.md"

# The same load test on PostgreSQL (a throwaway server; BENCH_PG=0 skips it).
if [ "${BENCH_PG:-1}" != 0 ]; then
  BENCH_ONLY=load BENCH_ROUNDS=1 ./scripts/postgres-test.sh bash -c 'BENCH_DB=$TIENDO_TEST_PG ./scripts/bench.sh'
fi
