#!/usr/bin/env bash
# The hunt for the intermittent hang and the nondeterminism of concurrent LAPACK calls (issue 14): runs
# conf/hunt/smooth-race.yaml and conf/hunt/instruments-race.yaml RUNS times each, every run a fresh JVM with
# two tasks at once (local[2]), through the launcher. A run still going after LIMIT seconds is a hang: its
# thread dump (jstack) is saved and printed, and the hunt fails. At the end every run's tables are compared
# bit for bit (all columns but wall_ms) with a local[1] run of the same config (scripts/CheckTables.java).
# Usage: scripts/hunt-hang.sh [RUNS] [LIMIT_SECONDS]   (default 50 runs, 180 s; CI runs a short version)
# Output and dumps: target/hunt/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-50}"
LIMIT="${2:-180}"
WORK="$ROOT/target/hunt"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
unset OPENBLAS_CORETYPE   # as the launcher does: every run with the kernels the bundled OpenBLAS picks (rows compared bit for bit)
rm -rf "$WORK"
mkdir -p "$WORK"
say() { echo "hunt: $*"; }

# run_once LABEL CONFIG MASTER OUT: one sweep in a fresh JVM; a hang past LIMIT is dumped and fails the hunt.
run_once() {
  local label="$1" config="$2" master="$3" out="$4" start pid elapsed
  start=$(date +%s)
  "$ROOT/scripts/overparam" run "$config" --out "$out" --master "$master" --no-report >"$out.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    elapsed=$(( $(date +%s) - start ))
    if (( elapsed > LIMIT )); then
      jstack "$pid" >"$out.jstack" 2>&1 || true
      kill -9 "$pid" 2>/dev/null || true
      say "HANG: $label still running after ${LIMIT}s; thread dump in $out.jstack:"
      grep -A 12 '"Executor task launch worker' "$out.jstack" | head -60 || true
      exit 1
    fi
    sleep 1
  done
  wait "$pid" || { say "$label failed (exit $?), log: $out.log"; tail -20 "$out.log"; exit 1; }
  echo "$(( $(date +%s) - start ))"
}

say "building the jar if needed"
"$ROOT/scripts/overparam" --help >/dev/null
CP="$(cat "$ROOT/sweep-driver/target/classpath.txt")"
for name in smooth-race instruments-race; do
  config="$ROOT/conf/hunt/$name.yaml"
  trials="$("$ROOT/scripts/overparam" validate "$config" | grep -oE '[0-9]+ trials' | head -1 | grep -oE '[0-9]+')"
  say "$name: $trials trials; reference on local[1]"
  run_once "$name reference" "$config" "local[1]" "$WORK/$name-ref" >/dev/null
  same=()
  for i in $(seq 1 "$RUNS"); do
    secs="$(run_once "$name run $i" "$config" "local[2]" "$WORK/$name-$i")"
    say "$name run $i/$RUNS on local[2] finished in ${secs}s"
    same+=(--same "$WORK/$name-$i")
  done
  say "$name: comparing $RUNS runs with the local[1] reference"
  java @"$ROOT/conf/jvm-options" -Xmx2g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$CP" \
    "$ROOT/scripts/CheckTables.java" --trials "$trials" --reference "$WORK/$name-ref" "${same[@]}" \
    2> >(grep -v -e '^WARNING: Using incubator' -e 'incubating module' -e '^1 warning' >&2) | tail -3
done
say "ok: $RUNS runs of each config finished within ${LIMIT}s, rows bit-identical to local[1]"
