#!/usr/bin/env bash
# The GPU checks of issue 5 in one command, on a GPU machine without Java or Maven, from the repository
# root with .device/ (scripts/device-bundle.sh) beside it: the environment, the trainer's gpu-tagged
# tests (CudaTrajectoryGpuTest: CUDA against the CPU trainer, 1e-9 after 200 steps; the instruments'
# products) and KernelAbiTest with JUnit's console launcher, then scripts/bench-gpu.sh. Each phase has
# its own time limit (200 s + 330 s: one device call of 600 s); logs go to $OUT (the device tool's folder) or target/device-check.
# Usage: bash scripts/device-check.sh [--quick]
# Exit: 0 the gpu tests passed on a GPU and the benchmark ran; 1 a test failed, or a GPU is listed but
# the gpu tests were skipped (the JVM did not reach it); 2 no GPU, or the benchmark failed; 3 no bundle,
# or a bundle built from other sources than the ones beside it.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEV="$ROOT/.device"
# The trainer's sources, the kernels and these scripts, hashed the same way here and where the bundle
# was built (no git needed): a bundle from other sources would test code that is not the tree's.
source_hash() {
  (cd "$ROOT" && find trainer/src trainer/build-kernels.sh trainer/pom.xml pom.xml conf/jvm-options scripts/bench-gpu.sh \
     scripts/bench -type f 2>/dev/null | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
}
if [[ "${1:-}" == "--source-hash" ]]; then source_hash; exit 0; fi
LOGS="${OUT:-$ROOT/target/device-check}"
mkdir -p "$LOGS"
JAVA="$DEV/jre/bin/java"
[[ -x "$JAVA" ]] || { echo "device-check.sh: no $JAVA: run scripts/device-bundle.sh on the build machine and carry .device" >&2; exit 3; }
[[ -f "$DEV/BUILD-INFO.txt" ]] || { echo "device-check.sh: .device has no BUILD-INFO.txt (an older bundle): run scripts/device-bundle.sh again" >&2; exit 3; }
BUILT_FROM="$(sed -n 's/^sources //p' "$DEV/BUILD-INFO.txt")"
HERE="$(source_hash)"
[[ "$BUILT_FROM" == "$HERE" ]] || { echo "device-check.sh: .device was built from sources $BUILT_FROM, the tree here is $HERE: run scripts/device-bundle.sh again" >&2; exit 3; }
CP="$DEV/lib/*"
# JCuda's driver JNI library opens libcuda.so.1; containers often keep it outside the loader's path.
if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then
  for dir in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/cuda/compat /usr/lib/wsl/lib; do
    if [[ -e "$dir/libcuda.so.1" ]]; then
      export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      echo "libcuda.so.1 found in $dir (added to LD_LIBRARY_PATH)"
      break
    fi
  done
fi
{
  echo "== $(date -u)"; uname -a
  cat "$DEV/BUILD-INFO.txt"
  ldd --version 2>/dev/null | head -1
  nvidia-smi || echo "nvidia-smi: not found or failed"
  "$JAVA" -version 2>&1
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())' 2>&1
} > "$LOGS/env.txt" 2>&1
cat "$LOGS/env.txt"

# The tests read the PTX at trainer/target/cuda (KernelAbiTest) with the trainer as working directory.
mkdir -p "$ROOT/trainer/target/cuda"
cp "$DEV/cuda/overparam.ptx" "$ROOT/trainer/target/cuda/"
echo "== tests (gpu tag + KernelAbiTest)"
(cd "$ROOT/trainer" && timeout 200 "$JAVA" @"$ROOT/conf/jvm-options" -Xmx24g -cp "$CP" \
  org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --details=tree \
  --select-class org.overparam.trainer.backend.cuda.CudaTrajectoryGpuTest \
  --select-class org.overparam.trainer.backend.cuda.KernelAbiTest) > "$LOGS/tests.txt" 2>&1
TESTS_RC=$?
tail -n 25 "$LOGS/tests.txt"

echo "== benchmark"
OVERPARAM_JAVA="$JAVA" OVERPARAM_CP="$CP" timeout 330 bash "$ROOT/scripts/bench-gpu.sh" "$@" > "$LOGS/bench.txt" 2>&1
BENCH_RC=$?
tail -n 12 "$LOGS/bench.txt"

count() { grep -E "tests $1" "$LOGS/tests.txt" | grep -oE '[0-9]+' | head -1; }
ABORTED="$(count aborted)"; PASSED="$(count successful)"
GPU_LISTED=0
nvidia-smi -L 2>/dev/null | grep -q '^GPU ' && GPU_LISTED=1
if ((TESTS_RC != 0)) || [[ -z "$PASSED" ]]; then
  VERDICT=1; WHY="a test failed or the tests did not run (exit $TESTS_RC): $LOGS/tests.txt"
elif ((GPU_LISTED == 1)) && [[ "${ABORTED:-0}" != 0 ]]; then
  VERDICT=1; WHY="nvidia-smi lists a GPU but $ABORTED gpu tests were skipped: $(grep -m1 -oE 'Assumption failed: .*' "$LOGS/tests.txt")"
elif ((GPU_LISTED == 0)); then
  VERDICT=2; WHY="no GPU here: the gpu tests were skipped"
elif ((BENCH_RC != 0)); then
  VERDICT=2; WHY="the gpu tests passed; the benchmark failed (exit $BENCH_RC): $LOGS/bench.txt"
else
  VERDICT=0; WHY="the gpu tests passed on $(nvidia-smi -L | head -1) and the benchmark ran"
fi
{
  echo "tests: exit $TESTS_RC; $(grep -E 'tests (successful|failed|skipped|aborted)' "$LOGS/tests.txt" | tr -s ' ' | paste -sd ';' -)"
  echo "benchmark: exit $BENCH_RC"
  sed -n '/^== summary/,$p' "$LOGS/bench.txt"
  echo "verdict: $VERDICT ($WHY)"
} > "$LOGS/summary.txt"
cat "$LOGS/summary.txt"
exit "$VERDICT"
