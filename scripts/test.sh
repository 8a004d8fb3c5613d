#!/usr/bin/env bash
# make test: every Go test, against one real Neo4j for the whole run. Unless NEO4J_URI names
# a database to use, an embedded Neo4j is started on a free port with a throw-away data
# directory and stopped afterwards. Test packages take turns on it (see internal/neo4jtest).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ -z "${NEO4J_URI:-}" ]]; then
  data="$(mktemp -d "${TMPDIR:-/tmp}/cdpgraph-test-neo4j.XXXXXX")"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  trap 'scripts/neo4j.sh stop "$data"; rm -rf "$data"' EXIT
  NEO4J_HEAP="${NEO4J_HEAP:-1g}" scripts/neo4j.sh start "$data" "$port"
  export NEO4J_URI="bolt://127.0.0.1:$port"
fi
go vet ./...
go test -count=1 "$@" ./...
# The GraphQL-over-HTTP conformance audit (npm graphql-http) against a running server.
scripts/audit-http.sh
# Every fuzz target briefly (FUZZTIME each, default 2s); failing inputs land in testdata/fuzz.
scripts/fuzz.sh
