#!/usr/bin/env bash
# Prints the figures the project tracks: compile time and peak memory of the
# program, cold (empty build cache) and warm, and wall time of preview, up
# and destroy of the example stack through the engine, offline.
# The cold build takes about 4 minutes and 3.5 GB on 2 cores.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$repo_root"

command -v /usr/bin/time >/dev/null || { echo "==> Installing GNU time (apt)"; apt-get update -qq && apt-get install -y -qq time >/dev/null; }
ensure_pulumi

measure() { # label, command...
  local label=$1 log
  shift
  log=$(mktemp)
  /usr/bin/time -v "$@" 2>"$log" >/dev/null
  printf '%-34s %8s s  %6d MiB peak\n' "$label" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); s = 0; for (i = 1; i <= length(t); i++) s = s * 60 + t[i]; printf "%.1f", s}' "$log")" \
    "$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$log")"
  rm -f "$log"
}

cold_cache=$(mktemp -d)
trap 'rm -rf "$cold_cache"' EXIT
echo "== compile the program (go build .)"
measure "cold (empty GOCACHE)" env GOCACHE="$cold_cache" go build -o /dev/null .
measure "warm (cached packages, relink)" env GOCACHE="$cold_cache" go build -o /dev/null .

echo "== the dev stack through the engine, offline (one run each)"
go test -run '^$' -bench BenchmarkDevStack -benchtime 1x ./tests/e2e | grep -E 'Benchmark|ok'
