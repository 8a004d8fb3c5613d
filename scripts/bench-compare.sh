#!/usr/bin/env bash
# make bench-compare: the read path side by side. cdpgraph (`cdpgraph serve`, rate limit and
# background jobs off), @neo4j/graphql 7.6.3 on Apollo Server 5 (bench/compare/neo4j-graphql,
# installed with npm ci from its lockfile) and the raw Go-driver baseline
# (`cdpgraph bench compare raw`) over the same Neo4j and the same demo company; one system
# loaded at a time, the order rotated each round, every answer checked against a truth
# computed separately. Prints a Markdown report (also in $OUT/report.md). Method:
# docs/benchmarks.md, "The read path side by side".
#
# Without NEO4J_URI a throw-away embedded Neo4j is started, the demo company loaded into it
# (about 100 s) and an admin key created. With NEO4J_URI:
#   - and CDP_KEY (an admin key) or CDP_KEYS_FILE (a demo-keys.env): nothing is written to
#     that database: no demo load, no key, no schema migration (serve --skip-migrate);
#   - else the demo is loaded if the graph is empty, and an admin key created (and revoked
#     at the end).
# Settings: DURATION (10s), WARMUP (2s), ROUNDS (3), CONC (1,50), WORKLOADS (w1,...,w7),
# SAMPLE (400), SEED (42), OUT (data/bench-compare/<UTC time>), NEO4J_PID (found from the
# Bolt port when NEO4J_URI is given), NEO4J_HEAP (2g) and NEO4J_PAGE_CACHE (1g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
: "${DURATION:=10s}" "${WARMUP:=2s}" "${ROUNDS:=3}" "${CONC:=1,50}" "${WORKLOADS:=w1,w2,w3,w4,w5,w6,w7}"
: "${SAMPLE:=400}" "${SEED:=42}"
: "${OUT:=$root/data/bench-compare/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== build" >&2
go build -o bin/cdpgraph ./cmd/cdpgraph
ngql_dir="$root/bench/compare/neo4j-graphql"
# npm ci when node_modules is missing or was installed from another package-lock.json.
stamp="$ngql_dir/node_modules/.cdpgraph-lock"
if ! cmp -s "$ngql_dir/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$ngql_dir" && npm ci --silent --no-audit --no-fund)
  cp "$ngql_dir/package-lock.json" "$stamp"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cdpgraph-bench-compare.XXXXXX")"
servers=()
neo4j_data=""
key_id=""
cleanup() {
  local status=$?
  for p in "${servers[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${servers[@]}"; do wait "$p" 2>/dev/null || true; done
  # A key made for this run must not outlive it in a database that stays.
  if [[ -n "$key_id" && -z "$neo4j_data" ]]; then
    bin/cdpgraph keys revoke "$key_id" >/dev/null 2>&1 || echo "bench-compare: could not revoke API key $key_id" >&2
  fi
  if [[ -n "$neo4j_data" ]]; then scripts/neo4j.sh stop "$neo4j_data" || true; fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${NEO4J_URI:-}" ]]; then
  echo "== start a throw-away Neo4j" >&2
  neo4j_data="$tmp/neo4j"
  port="$(free_port)"
  NEO4J_HEAP="${NEO4J_HEAP:-2g}" NEO4J_PAGE_CACHE="${NEO4J_PAGE_CACHE:-1g}" scripts/neo4j.sh start "$neo4j_data" "$port"
  export NEO4J_URI="bolt://127.0.0.1:$port"
  neo4j_pid="$(cat "$neo4j_data/launcher.pid")"
else
  export NEO4J_URI
  neo4j_pid="${NEO4J_PID:-}"
  if [[ -z "$neo4j_pid" ]] && command -v ss >/dev/null; then
    port="${NEO4J_URI##*:}"
    neo4j_pid="$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
  fi
fi

if [[ -z "${CDP_KEY:-}" && -n "${CDP_KEYS_FILE:-}" ]]; then
  CDP_KEY="$(sed -n 's/^CDP_ADMIN_KEY=\([^ ]*\).*/\1/p' "$CDP_KEYS_FILE")"
  [[ -n "$CDP_KEY" ]] || { echo "bench-compare: no CDP_ADMIN_KEY in $CDP_KEYS_FILE" >&2; exit 2; }
fi
if [[ -n "${CDP_KEY:-}" ]]; then
  echo "== using the given admin key: nothing is written to $NEO4J_URI" >&2
else
  echo "== load the demo company (if the graph is empty) and create an admin key" >&2
  bin/cdpgraph demo --if-empty --dir "$tmp/demo" --keys-file ""
  CDP_KEY="$(bin/cdpgraph keys create --role admin --name bench-compare 2>"$tmp/key.log" | tail -n 1)"
  key_id="$(sed -n 's/^created \([^ ]*\) .*/\1/p' "$tmp/key.log" | head -n 1)"
  [[ -n "$CDP_KEY" ]] || { echo "bench-compare: 'cdpgraph keys create' gave no key:" >&2; cat "$tmp/key.log" >&2; exit 1; }
fi
export CDP_KEY

echo "== start the three servers" >&2
start() { # name, log, command...
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  servers+=($!)
  printf -v "pid_$name" '%s' "$!"
}
wait_http() { # name, pid, url
  for _ in $(seq 1 120); do
    kill -0 "$2" 2>/dev/null || { echo "bench-compare: $1 exited; see $OUT/$1.log" >&2; tail -n 20 "$OUT/$1.log" >&2; return 1; }
    curl -s -o /dev/null --max-time 2 "$3" && return 0
    sleep 0.5
  done
  echo "bench-compare: no answer from $1 at $3" >&2
  return 1
}
raw_addr="127.0.0.1:$(free_port)"
ngql_port="$(free_port)"
cdp_addr="127.0.0.1:$(free_port)"
start raw "$OUT/raw.log" bin/cdpgraph bench compare raw --addr "$raw_addr"
start ngql "$OUT/ngql.log" env PORT="$ngql_port" HOST=127.0.0.1 node "$ngql_dir/server.mjs"
# The real server with its defaults but: no per-key rate limit (at concurrency 50 it would
# measure the limiter), no background jobs (they would compete for the CPU being measured),
# no schema migration (the demo load applied it, or the database is someone else's).
start cdpgraph "$OUT/cdpgraph.log" bin/cdpgraph serve --http-addr "$cdp_addr" --graphiql=false --skip-migrate \
  --rate-limit 0 --score-interval 0 --influence-interval 0 --segment-interval 0 --recommend-interval 0
wait_http raw "$pid_raw" "http://$raw_addr/healthz"
wait_http ngql "$pid_ngql" "http://127.0.0.1:$ngql_port/graphql?query=%7B__typename%7D"
wait_http cdpgraph "$pid_cdpgraph" "http://$cdp_addr/readyz"

systems="cdpgraph=cdp@http://$cdp_addr/graphql,ngql=ngql@http://127.0.0.1:$ngql_port/graphql,raw=raw@http://$raw_addr"
pidspec="cdpgraph=$pid_cdpgraph,ngql=$pid_ngql,raw=$pid_raw${neo4j_pid:+,neo4j=$neo4j_pid}"
flags=(-workloads "$WORKLOADS" -systems "$systems" -sample "$SAMPLE" -seed "$SEED")

echo "== verify: every system against the truth" >&2
bin/cdpgraph bench compare load -verify "${flags[@]}" | tee "$OUT/verify.txt"

background=""
if [[ -n "$neo4j_pid" && -r "/proc/$neo4j_pid/stat" ]]; then
  t0="$(awk '{print $14+$15}' "/proc/$neo4j_pid/stat")"; sleep 5; t1="$(awk '{print $14+$15}' "/proc/$neo4j_pid/stat")"
  background="Neo4j's own CPU with no load: $(( (t1 - t0) * 10 / 5 )) ms per second."
fi

echo "== run: $ROUNDS rounds x $WORKLOADS x concurrency $CONC x 3 systems, $DURATION each" >&2
bin/cdpgraph bench compare load "${flags[@]}" -conc "$CONC" -duration "$DURATION" -warmup "$WARMUP" -rounds "$ROUNDS" \
  -pids "$pidspec" -out "$OUT/cells.jsonl" 2>&1 | tee "$OUT/load.log"

{
  echo "## The read path side by side ($(date -u +%Y-%m-%d))"
  echo
  bin/cdpgraph bench compare report -in "$OUT/cells.jsonl"
  if [[ -n "$background" ]]; then echo; echo "$background"; fi
} >"$OUT/report.md"
cat "$OUT/report.md"
echo "report: $OUT/report.md" >&2
