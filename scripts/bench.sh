#!/usr/bin/env bash
# make bench: load the demo company into a throw-away embedded Neo4j and print import
# throughput and query latency as Markdown (paste into docs/benchmarks.md). Set NEO4J_URI to
# measure another database instead; it must be empty or you must pass --reset.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
go build -o bin/cdpgraph ./cmd/cdpgraph
if [[ -z "${NEO4J_URI:-}" ]]; then
  data="$(mktemp -d "${TMPDIR:-/tmp}/cdpgraph-bench-neo4j.XXXXXX")"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  trap 'scripts/neo4j.sh stop "$data"; rm -rf "$data"' EXIT
  NEO4J_HEAP="${NEO4J_HEAP:-2g}" NEO4J_PAGE_CACHE="${NEO4J_PAGE_CACHE:-1g}" scripts/neo4j.sh start "$data" "$port"
  export NEO4J_URI="bolt://127.0.0.1:$port"
fi
bin/cdpgraph bench "$@"
