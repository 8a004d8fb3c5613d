#!/usr/bin/env bash
# make run: start the embedded Neo4j (unless NEO4J_URI names another), load the demo company
# the first time, and serve. Ctrl-C stops the server and the Neo4j this script started.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
data="${NEO4J_DATA:-data/neo4j}"
port="${NEO4J_PORT:-7687}"
started=""
if [[ -z "${NEO4J_URI:-}" ]]; then
  if ! scripts/neo4j.sh status "$data" >/dev/null 2>&1; then
    scripts/neo4j.sh start "$data" "$port"
    started=1
  fi
  export NEO4J_URI="bolt://127.0.0.1:$port"
fi
cleanup() { if [[ -n "$started" ]]; then scripts/neo4j.sh stop "$data"; fi; }
trap cleanup EXIT
bin/cdpgraph demo --if-empty
echo "GraphiQL: http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/   API: http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/graphql" >&2
bin/cdpgraph serve
