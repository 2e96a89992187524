#!/usr/bin/env bash
# End-to-end smoke test through the user's own entry point: runs the quickstart sweep with
# scripts/overparam on local[*] (building the jar if needed; the run aggregates and reports at the end),
# runs it again with --resume (nothing left to do), and reads the tables back with DuckDB, an
# independent Parquet reader.
# Usage: scripts/smoke.sh [OUT_DIR]   (default: target/smoke)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/target/smoke}"
READERS="$ROOT/target/readers"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"   # Spark binds to the loopback address only

rm -rf "$OUT"
echo "== smoke: quickstart sweep -> $OUT"
"$ROOT/scripts/overparam" run "$ROOT/conf/sweeps/quickstart.yaml" --out "$OUT"
echo "== smoke: the run aggregated its trials and wrote a report"
[[ -s "$OUT/report/index.html" && -s "$OUT/report/summary.md" && -d "$OUT/thresholds" && -d "$OUT/scaling" ]] \
  || { echo "smoke: no report or derived tables in $OUT" >&2; exit 1; }
echo "== smoke: --resume on a finished sweep runs nothing"
"$ROOT/scripts/overparam" run "$ROOT/conf/sweeps/quickstart.yaml" --out "$OUT" --resume --no-report | tee "$OUT.resume.log"
grep -q "ran 0 trials (108 already done)" "$OUT.resume.log"
echo "== smoke: a bad config exits with 2 and writes nothing"
set +e
"$ROOT/scripts/overparam" run <(sed 's/eta: \[0.5\]/eta: [0]/' "$ROOT/conf/sweeps/quickstart.yaml") --out "$OUT.bad" 2>"$OUT.bad.log"
rc=$?
set -e
cat "$OUT.bad.log"
[[ $rc -eq 2 && ! -e "$OUT.bad" ]] || { echo "smoke: expected exit 2 and no output, got $rc" >&2; exit 1; }

echo "== smoke: the CUDA kernels are in the jar when the build found nvcc"
if [[ -f "$ROOT/trainer/target/cuda/SKIPPED" ]]; then
  echo "smoke: this build compiled no CUDA kernels ($(cat "$ROOT/trainer/target/cuda/SKIPPED")); the CUDA backend reports itself unavailable"
else
  SPARK_JAR="$(ls "$ROOT"/sweep-driver/target/overparam-sweep-driver-*-spark.jar | head -1)"
  jar tf "$SPARK_JAR" | grep -qx "cuda/overparam.fatbin" || { echo "smoke: cuda/overparam.fatbin missing from $SPARK_JAR" >&2; exit 1; }
  java -cp "$ROOT/trainer/target/classes" org.overparam.trainer.backend.cuda.Fatbin
fi

echo "== smoke: read the tables with DuckDB"
if ! command -v node >/dev/null; then
  echo "smoke: node is not installed; skipping the DuckDB check" >&2
  exit 0
fi
if [[ ! -d "$READERS/node_modules/@duckdb/node-api" ]]; then
  mkdir -p "$READERS"
  (cd "$READERS" && npm install --no-audit --no-fund --silent --no-save @duckdb/node-api@1.5.6-r.1 >/dev/null 2>&1)
fi
cp "$ROOT/scripts/read-tables.mjs" "$READERS/"
node "$READERS/read-tables.mjs" "$OUT"
echo "smoke: ok"
