#!/usr/bin/env bash
# An adaptive width search killed (SIGKILL) in the middle of a stage and resumed with --resume runs only
# the trials that had not committed and ends with the same tables as the same search run without a
# break. Usage: scripts/search-resume-check.sh [WORKDIR]   (about 3 minutes on 2 cores; CI runs it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/overparam-search-resume.XXXXXX)}"
mkdir -p "$WORK"
unset OPENBLAS_CORETYPE   # the rows are compared: both runs on the same (detected) kernels
CONFIG="$WORK/search.yaml"
cat > "$CONFIG" <<'YAML'
name: search-resume
model: wn
data: {kind: sphere, target: gaussian}
grid: {alpha: [1.0], n: [6, 12, 24], d: [4], eta: [0.5]}
search: {m: adaptive, lo: 2, hi: 64, target: 0.01, max_trials: 72, batch: 12, budget_check: 3}
seeds: 6
train: {steps: 1500, tolerance: 1.0e-4}
thresholds: {delta: 0.25, bootstrap: 0}
YAML
run() { "$ROOT/scripts/overparam" run "$CONFIG" --batch-size 4 --master 'local[2]' --no-report "$@"; }

echo "== search-resume: the uninterrupted search"
run --out "$WORK/whole" --overwrite > "$WORK/whole.log" 2>&1
TOTAL=$(grep -oE '^ran [0-9]+ trials' "$WORK/whole.log" | grep -oE '[0-9]+')
STAGES=$(grep -oE 'over [0-9]+ search stages' "$WORK/whole.log" | grep -oE '[0-9]+')
echo "search-resume: $TOTAL trials over $STAGES stages"

echo "== search-resume: the same search, killed with SIGKILL once stage 3 has committed a batch"
setsid "$ROOT/scripts/overparam" run "$CONFIG" --batch-size 4 --master 'local[2]' --no-report --out "$WORK/killed" --overwrite \
    > "$WORK/killed.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  if ls "$WORK/killed/trials" 2>/dev/null | grep -q -- '-s3-b00000-.*\.parquet$'; then
    break
  fi
  kill -0 "$PID" 2>/dev/null || { echo "search-resume: the run ended before stage 3 committed" >&2; exit 1; }
  sleep 0.2
done
kill -9 -- "-$PID"
wait "$PID" 2>/dev/null || true
COMMITTED=$(ls "$WORK/killed/trials" | grep -c '\.parquet$')
echo "search-resume: killed with $COMMITTED batch files committed"

echo "== search-resume: --resume"
run --out "$WORK/killed" --resume > "$WORK/resumed.log" 2>&1
grep -E '^ran ' "$WORK/resumed.log"
RAN_LINE=$(grep -E '^ran [0-9]+ trials \([0-9]+ already done\)' "$WORK/resumed.log" | head -1)
RAN=$(sed -E 's/^ran ([0-9]+) trials.*/\1/' <<<"$RAN_LINE")
DONE=$(sed -E 's/^ran [0-9]+ trials \(([0-9]+) already done\).*/\1/' <<<"$RAN_LINE")
[[ $((RAN + DONE)) -eq $TOTAL && $DONE -gt 0 && $RAN -gt 0 ]] \
  || { echo "search-resume: expected the $TOTAL trials split into run and already done, got $RAN + $DONE" >&2; exit 1; }

echo "== search-resume: the same tables"
"$ROOT/scripts/overparam" aggregate "$WORK/whole" 2>/dev/null | grep -v '^tables:' > "$WORK/whole.tables"
"$ROOT/scripts/overparam" aggregate "$WORK/killed" 2>/dev/null | grep -v '^tables:' > "$WORK/killed.tables"
grep -q '^adaptive fits' "$WORK/whole.tables" || { echo "search-resume: no adaptive fit printed" >&2; exit 1; }
diff "$WORK/whole.tables" "$WORK/killed.tables" || { echo "search-resume: the resumed search's tables differ" >&2; exit 1; }
# Every trial row (stage included) and every curve bit for bit.
java @"$ROOT/conf/jvm-options" -cp "$(cat "$ROOT/sweep-driver/target/classpath.txt")" "$ROOT/scripts/CheckTables.java" \
  --trials "$TOTAL" --reference "$WORK/whole" --same "$WORK/killed" 2>/dev/null
echo "search-resume: ok ($RAN trials rerun, $DONE kept; tables identical)"
