#!/usr/bin/env bash
# make test: every Go test, against one real Neo4j for the whole run. Unless NEO4J_URI names
# a database to use, an embedded Neo4j is started on a free port with a throw-away data
# directory and stopped afterwards. Test packages take turns on it (see internal/neo4jtest).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# What the console's end-to-end tests (cmd/cdpgraph/console_e2e_test.go) and the metrics test need, installed
# when missing so a fresh Debian machine (and CI, as root) can run them: Debian's Chromium
# (no browser can be downloaded here), a CJK font so Chinese renders, and the console built
# before the Go build embeds it.
need_debs() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "test: needs Debian packages ${missing[*]}: install them as root (apt-get install ${missing[*]})" >&2; return 1; }
    sudo=sudo
  fi
  echo "test: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent on a fresh machine: update only when needed.
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}
# npm ci in $1 unless node_modules already matches its lockfile.
npm_ci() {
  local stamp="$1/node_modules/.cdpgraph-lock.sha256" sum
  sum="$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]] && return 0
  (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$sum" >"$stamp"
}
# promtool (Debian's prometheus package) checks the /metrics exposition (http/observe_test.go).
# A browser named by CHROMIUM (or a chromium already installed) needs no package.
if [[ -n "${CHROMIUM:-}" && -x "${CHROMIUM}" ]]; then need_debs fonts-noto-cjk prometheus; else need_debs chromium fonts-noto-cjk prometheus; fi
npm_ci console
# The build empties console/dist; put back the file go:embed needs even when it fails.
(cd console && npm test --silent && npm run build --silent >/dev/null) || { touch console/dist/.gitkeep; exit 1; }
npm_ci console/e2e
if [[ -z "${NEO4J_URI:-}" ]]; then
  data="$(mktemp -d "${TMPDIR:-/tmp}/cdpgraph-test-neo4j.XXXXXX")"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  trap 'scripts/neo4j.sh stop "$data"; rm -rf "$data"' EXIT
  NEO4J_HEAP="${NEO4J_HEAP:-1g}" scripts/neo4j.sh start "$data" "$port"
  export NEO4J_URI="bolt://127.0.0.1:$port"
fi
go vet ./...
# The console e2e test loads a demo and drives Chromium; go test's default 10 minutes is too tight on 2 cores.
go test -count=1 -timeout 45m "$@" ./...
# The GraphQL-over-HTTP conformance audit (npm graphql-http) against a running server.
scripts/audit-http.sh
# Every fuzz target briefly (FUZZTIME each, default 2s); failing inputs land in testdata/fuzz.
scripts/fuzz.sh
