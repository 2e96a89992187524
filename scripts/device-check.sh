#!/usr/bin/env bash
# The GPU checks of issue 5 in one command, on a GPU machine without Java or Maven, from the repository
# root with .device/ (scripts/device-bundle.sh) beside it: the environment, the trainer's gpu-tagged
# tests (CudaTrajectoryGpuTest: CUDA against the CPU trainer, 1e-9 after 200 steps; the instruments'
# products) and KernelAbiTest with JUnit's console launcher, then scripts/bench-gpu.sh. Each phase has
# its own time limit; logs go to $OUT (the device tool's folder) or target/device-check.
# Usage: bash scripts/device-check.sh [--quick]     (exit 1 when a test failed)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEV="$ROOT/.device"
LOGS="${OUT:-$ROOT/target/device-check}"
mkdir -p "$LOGS"
JAVA="$DEV/jre/bin/java"
[[ -x "$JAVA" ]] || { echo "device-check.sh: no $JAVA: run scripts/device-bundle.sh on the build machine and carry .device" >&2; exit 2; }
CP="$DEV/lib/*"
{
  echo "== $(date -u)"; uname -a
  nvidia-smi || echo "nvidia-smi: not found or failed"
  "$JAVA" -version 2>&1
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())' 2>&1
} > "$LOGS/env.txt" 2>&1
cat "$LOGS/env.txt"

# The tests read the PTX at trainer/target/cuda (KernelAbiTest) with the trainer as working directory.
mkdir -p "$ROOT/trainer/target/cuda"
cp "$DEV/cuda/overparam.ptx" "$ROOT/trainer/target/cuda/"
echo "== tests (gpu tag + KernelAbiTest)"
(cd "$ROOT/trainer" && OPENBLAS_NUM_THREADS=1 timeout 420 "$JAVA" @"$ROOT/conf/jvm-options" -Xmx24g -cp "$CP" \
  org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --details=tree \
  --select-class org.overparam.trainer.backend.cuda.CudaTrajectoryGpuTest \
  --select-class org.overparam.trainer.backend.cuda.KernelAbiTest) > "$LOGS/tests.txt" 2>&1
TESTS_RC=$?
tail -n 25 "$LOGS/tests.txt"

echo "== benchmark"
OVERPARAM_JAVA="$JAVA" OVERPARAM_CP="$CP" timeout 420 bash "$ROOT/scripts/bench-gpu.sh" "$@" > "$LOGS/bench.txt" 2>&1
BENCH_RC=$?
tail -n 12 "$LOGS/bench.txt"

{
  echo "tests: exit $TESTS_RC; $(grep -E 'tests (successful|failed|skipped|aborted)' "$LOGS/tests.txt" | tr -s ' ' | paste -sd ';' -)"
  echo "benchmark: exit $BENCH_RC"
  sed -n '/^== summary/,$p' "$LOGS/bench.txt"
} > "$LOGS/summary.txt"
cat "$LOGS/summary.txt"
((TESTS_RC == 0)) || exit 1
exit "$BENCH_RC"
