#!/usr/bin/env bash
# Builds, starts, waits for and stops the embedded Neo4j (neo4j/launcher) used for development,
# tests and the demo. Usage:
#   scripts/neo4j.sh build               # mvn package + copy dependencies (skipped when up to date)
#   scripts/neo4j.sh start DATA_DIR PORT # start in the background and wait until Bolt answers
#   scripts/neo4j.sh stop DATA_DIR       # SIGTERM and wait for a clean shutdown
#   scripts/neo4j.sh status DATA_DIR
# Memory: NEO4J_HEAP (default 1g), NEO4J_PAGE_CACHE (256m), NEO4J_TX_MEMORY (1g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher="$root/neo4j/launcher"
jar="$launcher/target/neo4j-launcher-1.0.0.jar"

build() {
  if [[ -f "$jar" && -d "$launcher/target/lib" && "$jar" -nt "$launcher/pom.xml" \
        && -z "$(find "$launcher/src" -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  echo "building the embedded Neo4j launcher (first time downloads Neo4j from Maven Central)..." >&2
  (cd "$launcher" && mvn -q -B package dependency:copy-dependencies -DoutputDirectory=target/lib -DincludeScope=runtime)
}

pid_of() {
  local pidfile="$1/launcher.pid"
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

start() {
  local data="$1" port="$2"
  mkdir -p "$data"
  data="$(cd "$data" && pwd)"
  if pid="$(pid_of "$data")"; then
    echo "neo4j already running (pid $pid) on $(cat "$data/ready" 2>/dev/null || echo "port $port")" >&2
    return 0
  fi
  build
  rm -f "$data/ready"
  # The --add-opens flags are the ones Neo4j's own server scripts pass on JDK 17.
  nohup java -Xms256m -Xmx"${NEO4J_HEAP:-1g}" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.disable.jmx=true \
    -cp "$jar:$launcher/target/lib/*" dev.cdpgraph.launcher.Main \
    --host 127.0.0.1 --port "$port" --data "$data" \
    --page-cache "${NEO4J_PAGE_CACHE:-256m}" --tx-memory "${NEO4J_TX_MEMORY:-1g}" \
    >"$data/launcher.log" 2>&1 &
  echo $! >"$data/launcher.pid"
  local pid=$!
  for _ in $(seq 1 240); do
    if [[ -f "$data/ready" ]]; then
      echo "neo4j ready at $(cat "$data/ready") (pid $pid, data $data)" >&2
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "neo4j failed to start; last lines of $data/launcher.log:" >&2
      tail -n 30 "$data/launcher.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "neo4j did not become ready within 120 s; see $data/launcher.log" >&2
  return 1
}

stop() {
  local data="$1" pid
  if ! pid="$(pid_of "$data")"; then
    rm -f "$data/launcher.pid" "$data/ready"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$data/launcher.pid"; echo "neo4j stopped" >&2; return 0; }
    sleep 0.5
  done
  echo "neo4j did not stop within 60 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$data/launcher.pid" "$data/ready"
}

cmd="${1:-}"
case "$cmd" in
  build) build ;;
  start) start "${2:-$root/data/neo4j}" "${3:-7687}" ;;
  stop) stop "${2:-$root/data/neo4j}" ;;
  status) if pid="$(pid_of "${2:-$root/data/neo4j}")"; then echo "running (pid $pid)"; else echo "stopped"; exit 1; fi ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
