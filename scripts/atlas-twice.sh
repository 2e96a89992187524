#!/usr/bin/env bash
# The atlas's determinism check (issue 26; docs/validation.md §5): runs conf/sweeps/atlas.yaml twice, the second
# time with the other core busy (a spinning process per core but one), and checks that both give the same tables
# bit for bit — every trials row but wall_ms, every curve, and the derived thresholds, scaling and rates
# (scripts/CheckTables.java --derived true). Budgets are in steps and the time limit is only a safety net, so the
# machine's load must not change a single row. By hand, not CI: about twice the atlas's time.
#   scripts/atlas-twice.sh [WORKDIR]        (outputs WORKDIR/quiet and WORKDIR/busy, logs beside them)
#   ATLAS_QUIET=DIR scripts/atlas-twice.sh  (reuse a finished quiet run as the first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/overparam-atlas-twice.XXXXXX)}"
mkdir -p "$WORK"
CONFIG="${ATLAS_CONFIG:-$ROOT/conf/sweeps/atlas.yaml}"
QUIET="${ATLAS_QUIET:-$WORK/quiet}"
if [[ -z "${ATLAS_QUIET:-}" ]]; then
  echo "== atlas-twice: the first run, machine otherwise quiet"
  /usr/bin/time -f "%e s wall" "$ROOT/scripts/overparam" run "$CONFIG" --out "$QUIET" --overwrite > "$WORK/quiet.log" 2>&1
  tail -1 "$WORK/quiet.log"
fi
CORES=$(nproc)
echo "== atlas-twice: the second run, with $((CORES > 1 ? CORES - 1 : 1)) core(s) kept busy"
SPIN=()
for _ in $(seq 1 $((CORES > 1 ? CORES - 1 : 1))); do
  ( while :; do :; done ) &
  SPIN+=($!)
done
trap 'kill "${SPIN[@]}" 2>/dev/null || true' EXIT
/usr/bin/time -f "%e s wall" "$ROOT/scripts/overparam" run "$CONFIG" --out "$WORK/busy" --overwrite > "$WORK/busy.log" 2>&1
kill "${SPIN[@]}" 2>/dev/null || true
tail -1 "$WORK/busy.log"
echo "== atlas-twice: the same tables"
TRIALS=$(grep -oE '^ran [0-9]+ trials' "$WORK/busy.log" | grep -oE '[0-9]+')
java @"$ROOT/conf/jvm-options" -cp "$(cat "$ROOT/sweep-driver/target/classpath.txt")" "$ROOT/scripts/CheckTables.java" \
  --trials "$TRIALS" --reference "$QUIET" --same "$WORK/busy" --derived true 2>/dev/null
echo "atlas-twice: ok ($TRIALS trials; tables identical)"
