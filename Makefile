# Tiến độ — `make run` starts the dashboard, `make test` runs every test.
# Both fetch what they need themselves (npm packages, Go modules, Debian packages for tests).

GO       ?= go
ADDR     ?= 127.0.0.1:8080
DB       ?= data/tiendo.db
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
VENDOR   := static/vendor/axe.min.js static/vendor/common-passwords.txt
space    := $(subst ,, )

.PHONY: run demo build assets test test-pg test-deps vet lint clean bench check-xlsx fuzz race loadtest

run: build
	./tiendo serve -addr $(ADDR) -db $(DB)

demo: build
	./tiendo serve -addr $(ADDR) -db $(DB) -demo

build: assets
	$(GO) build -ldflags "$(LDFLAGS)" -o tiendo .

# ECharts (and axe-core for the accessibility tests) come from the npm
# registry, pinned by package-lock.json, and are served by the app itself.
# ECharts is bundled with only what the pages draw (scripts/echarts.js) by
# the pinned esbuild, into a file named by its content hash; the script
# rebuilds only when the bundle changes.
assets: $(VENDOR) node_modules/.package-lock.json
	./scripts/build-echarts.sh

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/axe.min.js: node_modules/.package-lock.json
	cp node_modules/axe-core/axe.min.js $@

# The common passwords refused (models/passwords.go), from zxcvbn's list.
static/vendor/common-passwords.txt: node_modules/.package-lock.json scripts/common-passwords.js
	node scripts/common-passwords.js $@

test-deps:
	./scripts/install-test-deps.sh

# The fast packages run under the race detector, the slow ones (browser,
# real-binary and load tests) once without it, to keep CI short; then the
# whole suite again against a throwaway PostgreSQL server
# (scripts/postgres-test.sh installs and starts it).
RACE_PKGS := models importer locale charts seed
# handlers is too slow under the race detector on 2 cores: only its tests
# of concurrent readers, writers and instances run with it.
RACE_HANDLERS := Cache|Stored|TwoInstances|WriteThrough|Junk|Changes|Patched|Concurrent
# Browser, real-binary load and benchmark suites run once, on SQLite only.
ONCE_PKGS := e2e cmd/loadtest bench

test: assets test-deps
	$(GO) vet ./...
	$(GO) test -race -count=1 $(addprefix ./,$(RACE_PKGS))
	$(GO) test -race -count=1 -run '$(RACE_HANDLERS)' ./handlers
	$(GO) test -count=1 -timeout 30m $$($(GO) list ./... | grep -v -E '^tiendo/($(subst $(space),|,$(RACE_PKGS)))$$')
	$(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./bench/
	./scripts/postgres-test.sh $(GO) test -count=1 -timeout 20m $$($(GO) list ./... | grep -v -E '^tiendo/($(subst $(space),|,$(ONCE_PKGS)))$$')

# The figures of BENCHMARKS.md (about 15 minutes); `make test` only runs
# each Go benchmark once on a small city.
bench: assets
	./scripts/bench.sh

# Only the PostgreSQL half of `make test`.
test-pg: assets test-deps
	./scripts/postgres-test.sh $(GO) test -count=1 -timeout 20m $$($(GO) list ./... | grep -v -E '^tiendo/($(subst $(space),|,$(ONCE_PKGS)))$$')

race: assets
	$(GO) test -race -count=1 ./...
# 64 connections for 60 s against the real binary; the report goes to
# artifacts/loadtest.md (copy the figures into BENCHMARKS.md).
loadtest: build
	mkdir -p artifacts
	$(GO) run ./cmd/loadtest -bin ./tiendo -c 64 -w 4 -d 60s -o artifacts/loadtest.md

lint: assets
	./scripts/install-lint.sh
	./bin/golangci-lint run ./...

# Each fuzz target explores for FUZZTIME; `make test` always runs their
# committed seeds (testdata/fuzz/…) as ordinary tests.
FUZZTIME ?= 15s
FUZZ     := models:FuzzParsePeriod locale:FuzzParseNumber handlers:FuzzFormDecoding importer:FuzzParse importer:FuzzImport importer:FuzzCSVReaderReadsAsEncodingCSV

fuzz: assets
	@set -e; for t in $(FUZZ); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
	  $(GO) test ./$$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME); \
	done

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

clean:
	rm -rf tiendo node_modules artifacts $(VENDOR) static/vendor/echarts.*.js

# A person's check that LibreOffice opens the exported workbook and draws
# its native chart: converts it to PDF and renders PNGs to look at.
# LibreOffice is installed here only, not in the test dependencies.
check-xlsx: build
	@command -v libreoffice >/dev/null 2>&1 || ./scripts/install-test-deps.sh libreoffice-calc
	@command -v pdftoppm >/dev/null 2>&1 || ./scripts/install-test-deps.sh
	mkdir -p artifacts/check-xlsx
	rm -f artifacts/check-xlsx/*
	./tiendo demo -db artifacts/check-xlsx/demo.db >/dev/null
	./tiendo export -db artifacts/check-xlsx/demo.db --format xlsx --lang vi --out artifacts/check-xlsx/tiendo.xlsx
	./tiendo export -db artifacts/check-xlsx/demo.db --format pdf --lang vi --unit VN-SG --year 2030 --out artifacts/check-xlsx/briefing.pdf
	libreoffice --headless --convert-to pdf --outdir artifacts/check-xlsx artifacts/check-xlsx/tiendo.xlsx >/dev/null
	pdftoppm -r 70 -png -f 1 -l 1 artifacts/check-xlsx/tiendo.pdf artifacts/check-xlsx/xlsx
	pdftoppm -r 70 -png artifacts/check-xlsx/briefing.pdf artifacts/check-xlsx/briefing
	./tiendo export -db artifacts/check-xlsx/demo.db --format csv --excel --lang vi --unit VN-SG --out artifacts/check-xlsx/excel-vi.csv
	# LibreOffice with Vietnamese settings: the Excel CSV's numbers are numbers, every table keeps its filter.
	CHECK_XLSX_OUT=$(CURDIR)/artifacts/check-xlsx go test -tags libreoffice -count=1 -v -run 'LibreOffice|VietnameseSettings' ./reports
	pdftoppm -r 70 -png -f 2 -l 2 artifacts/check-xlsx/tiendo-libreoffice.pdf artifacts/check-xlsx/assessments
	@echo "look at artifacts/check-xlsx/xlsx-*.png (the summary and its chart), assessments-*.png and briefing-*.png"
