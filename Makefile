# scalebook: the two commands a newcomer needs are `make serve` and `make test`.
GO ?= go
SCALEBOOK = $(GO) run ./cmd/scalebook

.PHONY: build serve test check bench wasm-size fuzz clean

## build: build the site into public/
build:
	$(SCALEBOOK) build

## serve: build and serve the site with live reload on http://127.0.0.1:1313/
serve:
	$(SCALEBOOK) serve

BIN = .cache/bin/scalebook

## test: vet, run every test, then build the real site (at / and under a
## GitHub Pages sub-path) and check every link of both
test:
	$(GO) vet ./...
	$(GO) test -timeout 20m ./...
	$(GO) build -o $(BIN) ./cmd/scalebook
	$(BIN) build -out public
	$(BIN) check public
	$(BIN) build -base-url /scalebook/ -out .cache/subpath
	$(BIN) check -base-url /scalebook/ .cache/subpath

## bench: benchmarks, then the 1,000-page comparison with Hugo, printed as
## issue 16's table (cold, warm, peak memory, output size; medians of 3
## rounds, with the goals); apt-get install -y hugo first
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...
	@if [ -f bench/compare/main.go ]; then $(GO) run ./bench/compare; fi

## wasm-size: where the calculator engine's WebAssembly bytes go, by
## package and by function (a twiggy-style report)
wasm-size:
	$(GO) run ./bench/wasmsize

## fuzz: run each fuzz target for a while (FUZZTIME=2m by default)
FUZZTIME ?= 2m
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## clean: remove the output and the build caches
clean:
	rm -rf public .cache
