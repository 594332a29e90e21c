# Everything a fresh machine with only Go needs: `make demo` and `make test`.
GO          ?= go
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck
# Pinned; the Makefile installs it, nobody installs it by hand.
STATICCHECK_VERSION := v0.8.2

.PHONY: all build test git lint unit browser test-browser demo bench fuzz readme clean

all: build

build:
	$(GO) build -o $(BIN)/cases ./cmd/cases
	$(GO) build -o $(BIN)/casegen ./cmd/casegen

## test: vet, gofmt, staticcheck, the domain-boundary check, unit tests and
## the testscript end-to-end tests of the real binary; the HTML report is
## checked in headless Chromium when it is installed or can be (browser).
test: git lint browser unit

## git: the tests use the real git to judge what cases writes (fsck, log,
## status, merge); cases itself and make demo never need it. Installed
## through apt-get (as root) when missing; elsewhere make test stops and
## says so.
git:
	@if command -v git >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "git: installing Debian's git, which the tests use as a judge"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null; \
	else \
	  echo "make test needs git: the tests use it to judge what cases writes (install git and run make test again)"; exit 1; \
	fi

unit:
	$(GO) test ./...

lint: $(STATICCHECK)
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(STATICCHECK) ./...
	@leaks=$$($(GO) list -deps ./casefile/... | grep -E 'spf13/(cobra|viper)|olekukonko/tablewriter|golang.org/x/term' || true); \
	  if [ -n "$$leaks" ]; then echo "casefile/ (the domain) must not import CLI packages:"; echo "$$leaks"; exit 1; fi

## browser: install Debian's chromium for the HTML report's browser test
## (TestReportHTMLInChromium) when it is missing: as root, through apt-get.
## Where that cannot be done it says so, and the test is skipped.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: installing Debian's chromium for the HTML report's browser test"; \
	  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then \
	    echo "SKIP: apt-get could not install chromium; TestReportHTMLInChromium will be skipped"; fi; \
	else \
	  echo "SKIP: chromium is missing and cannot be installed here (needs root and apt-get); TestReportHTMLInChromium will be skipped"; \
	fi

## test-browser: only the browser test, which must run (it fails when
## chromium is missing instead of skipping).
test-browser: browser
	CASES_REQUIRE_BROWSER=1 $(GO) test -count=1 -run TestReportHTMLInChromium -v ./cmd/cases

$(STATICCHECK):
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## demo: build, generate the demo repository (fixed seed) in a temporary
## folder and run the main job on it.
demo: build
	@sh examples/demo.sh $(BIN)

## bench: Go benchmarks on generated caseloads of 1,000 and 10,000 cases,
## each beside its floor measured in the same run. Caseloads are cached in
## .bench/ so the generator is not what is timed.
bench:
	CASES_BENCH_CACHE=$(CURDIR)/.bench $(GO) test -run '^$$' -bench . -benchmem -timeout 2h ./...

## fuzz: run the fuzz targets for a while each (not part of make test):
## the strict reader, the whole document loader as every kind, and every
## rule over a case and the configuration holding a fuzzed document.
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./casefile/yamlx
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime $(FUZZTIME) -fuzzminimizetime 100x ./casefile
	$(GO) test -run '^$$' -fuzz FuzzFolder -fuzztime $(FUZZTIME) -fuzzminimizetime 100x ./casefile/check

## readme: regenerate the README sections made from code tables.
readme:
	$(GO) run ./cmd/cases/internal/readmegen README.md

clean:
	rm -rf $(BIN)
