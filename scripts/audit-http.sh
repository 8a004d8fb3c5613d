#!/usr/bin/env bash
# GraphQL-over-HTTP conformance: builds and starts `cdpgraph serve` on a free port against
# the Neo4j at NEO4J_URI, runs the graphql-http audit (tools/graphql-http-audit) on
# /graphql and stops the server. Fails if any audit is an error (a failed MUST).
# Run by scripts/test.sh after the Go tests; by hand:
#   NEO4J_URI=bolt://127.0.0.1:7687 scripts/audit-http.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
: "${NEO4J_URI:?NEO4J_URI must name the Neo4j to serve from (scripts/test.sh sets it)}"
export NEO4J_URI

audit_dir="$root/tools/graphql-http-audit"
# npm ci when node_modules is missing or was installed from another package-lock.json.
stamp="$audit_dir/node_modules/.cdpgraph-lock"
if ! cmp -s "$audit_dir/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$audit_dir" && npm ci --silent --no-audit --no-fund)
  cp "$audit_dir/package-lock.json" "$stamp"
fi

go build -o bin/cdpgraph ./cmd/cdpgraph

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
log="$(mktemp "${TMPDIR:-/tmp}/cdpgraph-audit-server.XXXXXX")"
server=""
key_id=""
cleanup() {
  local status=$?
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  # The audit's key must not outlive the run (NEO4J_URI may name a database that stays).
  if [[ -n "$key_id" ]]; then
    bin/cdpgraph keys revoke "$key_id" >/dev/null 2>&1 || echo "audit-http: could not revoke API key $key_id" >&2
  fi
  if [[ $status -ne 0 ]]; then
    echo "audit-http: failed; last lines of the server log:" >&2
    tail -n 30 "$log" >&2 || true
  fi
  rm -f "$log" "$log.keys"
  exit "$status"
}
trap cleanup EXIT

# API keys: once `cdpgraph keys` exists the server requires credentials on /graphql. Go's
# flag package exits 2 on -h both for a known command and for an unknown one, so the
# command is detected by its help naming the --role flag rather than by exit status.
# (Captured first: under pipefail, `cmd -h | grep -q` would fail on cmd's exit 2.)
keys_help="$(bin/cdpgraph keys create --help 2>&1 || true)"
if grep -q -- '-role' <<<"$keys_help"; then
  if ! CDP_AUDIT_KEY="$(bin/cdpgraph keys create --role admin --name audit 2>"$log.keys" | tail -n 1)" \
      || [[ -z "$CDP_AUDIT_KEY" ]]; then
    echo "audit-http: 'cdpgraph keys create' gave no key:" >&2
    cat "$log.keys" >&2
    exit 1
  fi
  # "created KEY_ID (role, name); ..." on stderr names the key to revoke afterwards.
  key_id="$(sed -n 's/^created \([^ ]*\) .*/\1/p' "$log.keys" | head -n 1)"
  export CDP_AUDIT_KEY
else
  unset CDP_AUDIT_KEY
fi

# Background jobs off: the audit only needs the HTTP endpoint. No rate limit: the audit
# sends all its requests at once.
CDP_RATE_LIMIT=0 bin/cdpgraph serve --http-addr "127.0.0.1:$port" --graphiql=false \
  --score-interval 0 --influence-interval 0 --segment-interval 0 >"$log" 2>&1 &
server=$!

ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "audit-http: cdpgraph serve exited before it was ready" >&2
    exit 1
  fi
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/readyz" || true)" == 200 ]]; then
    ready=1
    break
  fi
  sleep 0.5
done
if [[ -z "$ready" ]]; then
  echo "audit-http: $base/readyz did not answer 200 within 60 s" >&2
  exit 1
fi

node "$audit_dir/audit.mjs" "$base/graphql"
