# cdpgraph: the two commands a newcomer needs are `make run` and `make test`.
# Neither needs Docker: an embedded Neo4j 5.26 (neo4j/launcher) runs on the machine's JDK 17.
# Set NEO4J_URI to use another Neo4j instead; then nothing is launched.

SHELL := /bin/bash
GO ?= go
BIN := bin/cdpgraph
NEO4J_DATA ?= data/neo4j
NEO4J_PORT ?= 7687

# The console's sources: rebuilt only when one is newer than its build (src/gql is generated).
CONSOLE_SRC := $(shell find console/src -path console/src/gql -prune -o -type f -print 2>/dev/null) \
	console/index.html console/package.json console/vite.config.ts console/codegen.ts console/tsconfig.json $(wildcard schema/*.graphqls)

.PHONY: run test build console neo4j-build neo4j-start neo4j-stop demo generate bench bench-compare fmt vet clean

## run: build everything, start Neo4j, load the demo company once, serve on http://127.0.0.1:8080
run: build
	@scripts/run.sh

## test: every test, against one real Neo4j started for the whole run
test:
	@scripts/test.sh

build: neo4j-build console
	$(GO) build -o $(BIN) ./cmd/cdpgraph

## console: the analyst console's front end into console/dist (embedded by the binary); needs Node 20.19+
console: console/dist/index.html

console/dist/index.html: console/node_modules/.package-lock.json $(CONSOLE_SRC)
	cd console && npm run build || { touch dist/.gitkeep; exit 1; }

# npm ci rewrites node_modules/.package-lock.json, so it runs again only when the lockfile changes.
console/node_modules/.package-lock.json: console/package-lock.json
	cd console && npm ci --no-audit --no-fund

neo4j-build:
	@scripts/neo4j.sh build

neo4j-start: neo4j-build
	@scripts/neo4j.sh start $(NEO4J_DATA) $(NEO4J_PORT)

neo4j-stop:
	@scripts/neo4j.sh stop $(NEO4J_DATA)

## demo: reload the demo company from scratch (deletes the graph's data)
demo: build
	CDP_PARTNERS=$${CDP_PARTNERS:-config/partners.example.json} $(BIN) demo --reset

## generate: regenerate gqlgen code after a schema change
generate:
	$(GO) run github.com/99designs/gqlgen generate
	$(GO) run ./tools/inlineslices -dir graph

## bench: the benchmarks behind docs/benchmarks.md
bench:
	@scripts/bench.sh

## bench-compare: the read path beside @neo4j/graphql and the raw driver, on a throw-away Neo4j unless NEO4J_URI is set (docs/benchmarks.md)
bench-compare:
	@scripts/bench-compare.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

clean:
	rm -rf bin

.PHONY: bench-console
## bench-console: the console's bundle size and time to first render in headless Chromium, against `make run`'s server (console/e2e/measure.mjs)
bench-console:
	@cd console/e2e && { test -d node_modules/playwright-core || npm ci --no-audit --no-fund --loglevel=error; } && node measure.mjs
