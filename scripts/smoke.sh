#!/usr/bin/env bash
# End-to-end smoke test through the user's own entry point: runs the quickstart (an adaptive search with its
# budget ladder) with scripts/overparam on local[*] (building the jar if needed; the run aggregates and reports
# at the end) and checks that its exponent is budget-converged; runs the grid quickstart, again with --resume
# (nothing left to do), and reads its tables back with DuckDB, an independent Parquet reader.
# Usage: scripts/smoke.sh [OUT_DIR]   (default: target/smoke)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/target/smoke}"
READERS="$ROOT/target/readers"
GRID="$ROOT/conf/sweeps/quickstart-grid.yaml"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"   # Spark binds to the loopback address only

rm -rf "$OUT" "$OUT.search"
mkdir -p "$(dirname "$OUT")"   # the logs go beside the outputs (target/ on a fresh clone is made here)
echo "== smoke: the quickstart (adaptive search, budget ladder) -> $OUT.search"
"$ROOT/scripts/overparam" run "$ROOT/conf/sweeps/quickstart.yaml" --out "$OUT.search" | tee "$OUT.search.log"
[[ -s "$OUT.search/report/index.html" && -d "$OUT.search/ladder" ]] || { echo "smoke: no report or ladder table in $OUT.search" >&2; exit 1; }
grep -q "budget-converged from [0-9]* steps: p = " "$OUT.search.log" \
  || { echo "smoke: the quickstart's exponent is not budget-converged (its ladder: $OUT.search.log)" >&2; exit 1; }
echo "== smoke: the rows say which commit ran them"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  WANT="git-$(git -C "$ROOT" rev-parse --short=12 HEAD)"
  git -C "$ROOT" diff --quiet HEAD -- || WANT="$WANT-dirty"
  grep -q "\"codeVersion\" : \"$WANT\"" "$OUT.search/manifest.json" \
    || { echo "smoke: $OUT.search/manifest.json does not name $WANT: $(grep codeVersion "$OUT.search/manifest.json")" >&2; exit 1; }
  [[ "$("$ROOT/scripts/overparam" --version)" == "overparam $WANT" ]] || { echo "smoke: --version does not say $WANT" >&2; exit 1; }
  echo "smoke: code_version $WANT"
fi
echo "== smoke: grid quickstart -> $OUT"
"$ROOT/scripts/overparam" run "$GRID" --out "$OUT"
echo "== smoke: the run aggregated its trials and wrote a report"
[[ -s "$OUT/report/index.html" && -s "$OUT/report/summary.md" && -d "$OUT/thresholds" && -d "$OUT/scaling" ]] \
  || { echo "smoke: no report or derived tables in $OUT" >&2; exit 1; }
echo "== smoke: --resume on a finished sweep runs nothing"
"$ROOT/scripts/overparam" run "$GRID" --out "$OUT" --resume --no-report | tee "$OUT.resume.log"
grep -q "ran 0 trials (176 already done)" "$OUT.resume.log"
echo "== smoke: a bad config exits with 2 and writes nothing"
set +e
"$ROOT/scripts/overparam" run <(sed 's/eta: \[0.5\]/eta: [0]/' "$GRID") --out "$OUT.bad" 2>"$OUT.bad.log"
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
  # JCuda 12.6's driver JNI binds libcuda.so.1 lazily: every driver function it references must still be
  # declared by the CUDA headers installed here (13.x), or a call to it would end the JVM on a CUDA 13 driver.
  CUDA_INCLUDE="${CUDA_HOME:-/usr/local/cuda}/include"
  if [[ -f "$CUDA_INCLUDE/cuda.h" ]] && command -v nm >/dev/null && command -v readelf >/dev/null; then
    JNI_DIR="$(mktemp -d)"
    (cd "$JNI_DIR" && unzip -q "$SPARK_JAR" 'lib/libJCudaDriver-*')
    JNI_LIB="$(ls "$JNI_DIR"/lib/libJCudaDriver-*.so)"
    ! readelf -d "$JNI_LIB" | grep -qE 'BIND_NOW|FLAGS_1.*NOW' || { echo "smoke: $JNI_LIB binds its symbols at load time" >&2; exit 1; }
    MISSING=""; COUNT=0
    for sym in $(nm -D --undefined-only "$JNI_LIB" | awk '$2 ~ /^cu/ {print $2}' | sort -u); do
      COUNT=$((COUNT + 1))
      grep -rqw "$sym" "$CUDA_INCLUDE"/cuda*.h || MISSING="$MISSING $sym"
    done
    rm -rf "$JNI_DIR"
    [[ -z "$MISSING" ]] || { echo "smoke: JCuda's driver JNI references driver functions $CUDA_INCLUDE does not declare:$MISSING" >&2; exit 1; }
    echo "smoke: JCuda's driver JNI references $COUNT driver functions, all declared by $(grep -m1 -oE 'CUDA_VERSION [0-9]+' "$CUDA_INCLUDE/cuda.h"), bound lazily"
  else
    echo "smoke: no $CUDA_INCLUDE/cuda.h, nm or readelf: skipping the check of JCuda's driver JNI against the CUDA headers"
  fi
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
