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
# The demo partner "acme" and its contract; CDP_PARTNERS names your own contracts instead.
export CDP_PARTNERS="${CDP_PARTNERS:-config/partners.example.json}"
bin/cdpgraph demo --if-empty
echo "GraphiQL: http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/   API: http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/graphql" >&2
if [[ -f data/demo-keys.env ]]; then
  admin="$(sed -n 's/^CDP_ADMIN_KEY=\([^ ]*\).*/\1/p' data/demo-keys.env)"
  echo "Every request needs a key; the demo's keys (one per role) are in data/demo-keys.env." >&2
  # The key rides in the fragment (#), which browsers never send to the server, so it stays out
  # of access logs and Referer headers; the console removes it from the address bar at once.
  analyst="$(sed -n 's/^CDP_ANALYST_KEY=\([^ ]*\).*/\1/p' data/demo-keys.env)"
  echo "Console as admin:   http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/console/#key=$admin" >&2
  [[ -n "$analyst" ]] && echo "Console as analyst: http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/console/#key=$analyst" >&2
  echo "  (the frontend and partner keys are in data/demo-keys.env: sign out and paste one)" >&2
  echo "GraphiQL as admin:  http://${CDP_HTTP_ADDR:-127.0.0.1:8080}/#key=$admin" >&2
  echo "  (the tour's examples are its tabs; elsewhere put {\"Authorization\": \"Bearer KEY\"} in its Headers tab)" >&2
else
  echo "No data/demo-keys.env: create a key with 'bin/cdpgraph keys create --role admin --name me'." >&2
fi
bin/cdpgraph serve
