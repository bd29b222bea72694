# govreports: `make help` lists the targets.
SHELL       := /bin/bash
GO          ?= go
BIN         := bin/govreports
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
FUZZTIME    ?= 3s
BENCH_MAX   ?= 100000
# The generated corpora are kept here between invocations (generating 100,000 reports takes a while).
BENCH_DIR   ?= $(or $(TMPDIR),/tmp)/govreports-bench
# Go files to format-check: everything but fuzz corpora and other test data.
GOFILES      = $(shell find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*')

.DEFAULT_GOAL := help
.PHONY: help build run test test-property fuzz bench lint clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/govreports
	$(GO) build -ldflags '-X main.version=$(VERSION)' -o $(BIN) ./cmd/govreports

run: build ## read the bundled fixtures into out/ (fixtures/bad is rejected on purpose)
	$(BIN) run --in fixtures --out out --include 'input.*' --max-rejects 1000

# Reports per layout in the property tests of test-property (the race pass runs 200).
PROPERTY_N  ?= 1000

test: lint ## gofmt, go vet, go test -race, the property tests at full count, every fuzz target for FUZZTIME (3s)
	$(GO) test -race ./...
	@$(MAKE) --no-print-directory test-property
	@$(MAKE) --no-print-directory fuzz

test-property: ## the property tests without -race: PROPERTY_N (1000) random reports per layout of synth.AllLayouts
	GOVREPORTS_PROPERTY_N=$(PROPERTY_N) $(GO) test -count=1 -run 'Property|RoundTrip|GeneratedPDFsReadExactly' ./transform/ ./extract/pdfium/

fuzz: ## run every Fuzz target for FUZZTIME, one package at a time (fails when none is found)
	@set -e; n=0; \
	for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u); do \
	  for target in $$($(GO) test -list 'Fuzz.*' $$pkg | grep '^Fuzz'); do \
	    echo "== fuzz $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) $$pkg; \
	    n=$$((n + 1)); \
	  done; \
	done; \
	if [ $$n -eq 0 ]; then echo "no fuzz target found: the fuzz pass ran nothing" >&2; exit 1; fi; \
	echo "$$n fuzz targets ran"

bench: build ## the floor, a run over 1,000 / 10,000 / 100,000 reports (up to BENCH_MAX) against it, extract+transform per format
	@set -e; dir="$(BENCH_DIR)"; mkdir -p "$$dir"; \
	echo "machine: $$(nproc) CPUs, load average $$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"; \
	printf '%-8s %10s %9s %12s %10s %9s %9s\n' reports wall_s reports/s peak_RSS_MiB floor_s ratio worker_s; \
	for n in 1000 10000 100000; do \
	  [ $$n -le $(BENCH_MAX) ] || continue; \
	  in="$$dir/in-$$n"; \
	  if [ ! -f "$$in/.complete" ]; then rm -rf "$$in"; $(BIN) gen --n $$n --out "$$in" >/dev/null; touch "$$in/.complete"; fi; \
	  floor=$$($(BIN) bench-floor "$$in" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'); \
	  rm -rf "$$dir/out"; \
	  $(BIN) run --in "$$in" --out "$$dir/out" --log-level warn --progress never; \
	  ms=$$(sed -n 's/^    "total": \([0-9.]*\).*/\1/p' "$$dir/out/run.json"); \
	  cpu=$$(sed -n 's/^    "extract_transform": \([0-9.]*\).*/\1/p' "$$dir/out/run.json"); \
	  rss=$$(sed -n 's/^  "peak_rss_bytes": \([0-9]*\).*/\1/p' "$$dir/out/run.json"); \
	  awk -v n=$$n -v ms=$$ms -v f=$$floor -v rss=$$rss -v cpu=$$cpu 'BEGIN { \
	    printf "%-8d %10.2f %9.0f %12d %10.3f %9.1f %9.1f\n", n, ms/1000, n/(ms/1000), rss/1048576, f, (ms/1000)/f, cpu/1000 }'; \
	done; rm -rf "$$dir/out"
	$(GO) test -run='^$$' -bench=ExtractTransform -benchtime=2s -cpu=1 ./pipeline/
	$(GO) test -run='^$$' -bench=DecodeWorstCase -benchtime=5x ./transform/
	$(GO) test -run='^$$' -bench=Codec -benchtime=20000x ./transform/

lint: ## gofmt -l must print nothing; go vet
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

clean: ## remove bin/ and out/
	rm -rf bin out
