# govreports: `make help` lists the targets.
SHELL       := /bin/bash
GO          ?= go
BIN         := bin/govreports
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
FUZZTIME    ?= 3s
BENCH_N     ?= 2000
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

bench: build ## reports/s and memory: extract+transform per format, decoder worst case, workbook 1k/10k, a run over BENCH_N reports
	$(GO) test -run='^$$' -bench=ExtractTransform -benchtime=2s -cpu=1 ./pipeline/
	$(GO) test -run='^$$' -bench=DecodeWorstCase -benchtime=5x ./transform/
	$(GO) test -run='^$$' -bench=Workbook -benchtime=1x ./load/
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(BIN) gen --n $(BENCH_N) --out "$$tmp/in"; \
	$(BIN) run --in "$$tmp/in" --out "$$tmp/out" --log-level warn --progress never; \
	rps=$$(sed -n 's/^  "reports_per_second": \([0-9.]*\).*/\1/p' "$$tmp/out/run.json"); \
	rss=$$(sed -n 's/^  "peak_rss_bytes": \([0-9]*\).*/\1/p' "$$tmp/out/run.json"); \
	printf 'run over %s synthetic reports: %.0f reports/s, peak RSS %d MiB\n' $(BENCH_N) "$$rps" $$((rss / 1048576))

lint: ## gofmt -l must print nothing; go vet
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

clean: ## remove bin/ and out/
	rm -rf bin out
