#!/usr/bin/env bash
# Runs every fuzz target of the module briefly, one at a time: FUZZTIME each (default 2s)
# with FUZZ_PARALLEL workers (default 2). Targets are found, not listed: every package with
# a `func FuzzXxx(f *testing.F)` in a test file, then `go test -list '^Fuzz'` in it.
# The first failure stops the run; Go saves the failing input under the package's
# testdata/fuzz/FuzzXxx/ (printed below), where plain `go test` replays it from then on:
# keep it with the fix. Fuzz runs need no database (see withoutDatabase in
# ingest/main_test.go). FUZZMINIMIZETIME (default 50x, i.e. 50 tries) caps the shrinking of
# each new input: with Go's default of 60s a short run spends its whole budget shrinking
# the multi-record inputs of the import fuzzers instead of fuzzing.
#
#   scripts/fuzz.sh                         # every target, 2s each
#   FUZZTIME=1m scripts/fuzz.sh             # longer, e.g. before a release
#   FUZZTIME=30s scripts/fuzz.sh ./ingest   # the targets of some packages only
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
fuzztime="${FUZZTIME:-2s}"
parallel="${FUZZ_PARALLEL:-2}"
minimize="${FUZZMINIMIZETIME:-50x}"
log="$(mktemp "${TMPDIR:-/tmp}/cdpgraph-fuzz.XXXXXX")"
trap 'rm -f "$log"' EXIT

# Packages of this module (or those named) whose tests declare a fuzz target.
pkgs=()
while read -r pkg dir; do
  if grep -qsE '^func Fuzz[A-Za-z0-9_]*\(' "$dir"/*_test.go; then
    pkgs+=("$pkg")
  fi
done < <(go list -e -f '{{.ImportPath}} {{.Dir}}' "${@:-./...}")
if [[ ${#pkgs[@]} -eq 0 ]]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi

start=$SECONDS
count=0
for pkg in "${pkgs[@]}"; do
  if ! go test -list '^Fuzz' "$pkg" >"$log" 2>&1; then
    cat "$log" >&2
    echo "fuzz: FAIL: cannot list the fuzz targets of $pkg" >&2
    exit 1
  fi
  mapfile -t targets < <(grep -E '^Fuzz[A-Za-z0-9_]*$' "$log" || true)
  dir="$(go list -f '{{.Dir}}' "$pkg")"
  for name in "${targets[@]}"; do
    t0=$SECONDS
    ok=""
    for attempt in 1 2 3; do
      if go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" -fuzzminimizetime="$minimize" \
        -parallel="$parallel" "$pkg" >"$log" 2>&1; then
        ok=1
        break
      fi
      # Go 1.26's fuzz coordinator can report "context deadline exceeded" when -fuzztime
      # runs out while a worker is mid-input (golang/go#75804, fixed in Go 1.27): no input
      # failed and none was written. That, and only that, is run again (three tries at most).
      if ! grep -q 'context deadline exceeded' "$log" || grep -qE 'Failing input written|panic:|failure while testing seed' "$log"; then
        break
      fi
      if [[ $attempt -eq 3 ]]; then
        echo "fuzz: $name: hit the deadline race three times, never a failing input; counted as passed" >&2
        ok=1
        break
      fi
      echo "fuzz: $name: the fuzz-time deadline race of Go 1.26 (golang/go#75804), no failing input; running it again" >&2
    done
    if [[ -z "$ok" ]]; then
      cat "$log" >&2
      echo >&2
      echo "fuzz: FAIL: $name in $pkg" >&2
      input="$(grep -oE 'testdata/fuzz/[^ ]+' "$log" | head -n 1 || true)"
      seed="$(grep -oE 'failure while testing seed corpus entry: [^ ]+' "$log" | head -n 1 || true)"
      if [[ -n "$input" ]]; then
        echo "fuzz: the failing input is ${dir#"$root"/}/$input; keep it once fixed, it is a regression test" >&2
        echo "fuzz: replay it with: go test -run='^${name}/${input##*/}\$' $pkg" >&2
      elif [[ -n "$seed" ]]; then
        echo "fuzz: a seed fails: ${seed##*: } (an f.Add of $name, or a file in ${dir#"$root"/}/testdata/fuzz/$name/)" >&2
      fi
      exit 1
    fi
    # How far it got: new inputs tried, or (with a large cached corpus) inputs replayed.
    done="$(grep -oE 'execs: [0-9]+' "$log" | tail -n 1 || true)"
    if [[ -n "$done" ]]; then
      done="${done#execs: } execs"
    else
      done="$(grep -oE 'baseline coverage: [0-9]+/[0-9]+' "$log" | tail -n 1 || true)"
      done="${done:+corpus ${done#baseline coverage: } replayed}"
    fi
    printf 'fuzz: ok   %-28s %-42s %3ss %s\n' "$name" "$pkg" "$((SECONDS - t0))" "${done:+($done)}"
    count=$((count + 1))
  done
done
echo "fuzz: $count targets passed in $((SECONDS - start))s (FUZZTIME=$fuzztime each)"
