#!/usr/bin/env bash
# GPU benchmark of overparam's CUDA backend (docs/benchmarks.md, "GPU"), run on the GPU machine itself:
#   1. the GPU's measured matrix-product peak: torch.matmul on 8192² matrices, FP64 and FP32 (TF32 off);
#   2. overparam's CUDA backend, one wn GD step after another (JCuda, our kernels, float64);
#   3. the same wn GD step in PyTorch (float64), trials one after another;
# for one large trial (n=4096, d=256, m=65536) and 512 packed small trials (n=64, d=64, m=1024), then
# prints per-step times, achieved FLOP/s and the ratios against the issue's targets:
#   large shape  >= 50% of the measured FP64 matrix-product rate
#   512 small    >= 3x the throughput of PyTorch running them one after another
# Usage: scripts/bench-gpu.sh [--quick]     (--quick: fewer steps and small trials, for a smoke run)
# Needs: an NVIDIA GPU with its driver (nvidia-smi), Java 17+, Maven (to build), python3 with PyTorch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/sweep-driver/target"
JAR="$TARGET/overparam-sweep-driver-0.1.0-SNAPSHOT-spark.jar"
LOG="$ROOT/target/bench-gpu"
mkdir -p "$LOG"

fail() { echo "bench-gpu.sh: $*" >&2; exit 2; }

command -v nvidia-smi >/dev/null 2>&1 || fail "no NVIDIA driver here (nvidia-smi not found): run this on a GPU machine"
nvidia-smi -L > "$LOG/gpus.txt" 2>&1 || fail "nvidia-smi cannot see a GPU: $(head -1 "$LOG/gpus.txt")"
grep -q "^GPU " "$LOG/gpus.txt" || fail "nvidia-smi lists no GPU"
command -v python3 >/dev/null 2>&1 || fail "python3 not found (the PyTorch comparison needs it)"
python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null \
  || fail "PyTorch with CUDA is not importable by python3"

STEPS_LARGE=20; STEPS_SMALL=200; SMALL_TRIALS=512; TORCH_SMALL_TRIALS=32
if [[ "${1:-}" == "--quick" ]]; then
  STEPS_LARGE=3; STEPS_SMALL=20; SMALL_TRIALS=64; TORCH_SMALL_TRIALS=4
fi
# The kernel instruments' products of one wn trial (8 n² m FLOP) on the device against dsyrk on the CPU.
INSTRUMENTS="instruments:1024:256:16384"
[[ "${1:-}" == "--quick" ]] && INSTRUMENTS="instruments:256:64:4096"
LARGE="large:4096:256:65536:1:$STEPS_LARGE"
SMALL="small:64:64:1024:$SMALL_TRIALS:$STEPS_SMALL"
# PyTorch's sequential throughput per trial-step does not depend on how many trials follow each other;
# timing a subset of the 512 keeps the run short.
TORCH_SMALL="small:64:64:1024:$TORCH_SMALL_TRIALS:$STEPS_SMALL"

# OVERPARAM_JAVA and OVERPARAM_CP (scripts/device-check.sh, from .device/) replace the Maven build.
JAVA_BIN="${OVERPARAM_JAVA:-java}"
if [[ -n "${OVERPARAM_CP:-}" ]]; then
  CP="$OVERPARAM_CP"
else
  if [[ ! -f "$JAR" ]]; then
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package) || fail "build failed"
  fi
  [[ -f "$ROOT/trainer/target/classes/cuda/overparam.fatbin" ]] || fail "the build has no CUDA kernels (nvcc missing when it was built?)"
  CP="$JAR:$(cat "$TARGET/classpath.txt")"
fi

echo "== $(head -1 "$LOG/gpus.txt")"
echo "== matrix-product peak (torch.matmul)"
python3 "$ROOT/scripts/bench/torch_wn_step.py" --peak | tee "$LOG/peak.txt"
echo "== overparam CUDA backend (float64)"
"$JAVA_BIN" @"$ROOT/conf/jvm-options" -Xmx16g -cp "$CP" org.overparam.trainer.backend.cuda.CudaBenchmark \
  "$LARGE" "$SMALL" --instruments "$INSTRUMENTS" | tee "$LOG/overparam.txt"
echo "== PyTorch, trials one after another (float64)"
python3 "$ROOT/scripts/bench/torch_wn_step.py" "$LARGE" "$TORCH_SMALL" | tee "$LOG/torch.txt"

python3 - "$LOG" <<'PY'
import re, sys, pathlib
log = pathlib.Path(sys.argv[1])
def results(name):
    out = {}
    for line in (log / name).read_text().splitlines():
        if line.startswith("RESULT "):
            parts = line.split()
            fields = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
            out[(parts[1], parts[2])] = fields
    return out
peak = results("peak.txt"); ours = results("overparam.txt"); torch = results("torch.txt")
fp64 = float(peak[("peak", "fp64")]["tflops"]); fp32 = float(peak[("peak", "fp32")]["tflops"])
large = ours[("overparam", "large")]; small = ours[("overparam", "small")]
t_large = torch[("torch", "large")]; t_small = torch[("torch", "small")]
share = float(large["tflops"]) / fp64
speedup = float(small["trial_steps_per_s"]) / float(t_small["trial_steps_per_s"])
print("== summary")
print(f"peak matmul: fp64 {fp64:.2f} TFLOP/s, fp32 {fp32:.2f} TFLOP/s")
print(f"large (n=4096, d=256, m=65536): overparam {float(large['step_ms']):.2f} ms/step, {float(large['tflops']):.2f} TFLOP/s"
      f" = {100 * share:.1f}% of fp64 peak (target >= 50%: {'met' if share >= 0.5 else 'NOT met'});"
      f" PyTorch {float(t_large['trial_step_ms']):.2f} ms/step, {float(t_large['tflops']):.2f} TFLOP/s")
print(f"small x{small['trials']} (n=64, d=64, m=1024): overparam {float(small['step_ms']):.3f} ms per packed step,"
      f" {float(small['trial_steps_per_s']):.0f} trial-steps/s; PyTorch one after another {float(t_small['trial_step_ms']):.3f} ms"
      f" per trial-step, {float(t_small['trial_steps_per_s']):.0f} trial-steps/s;"
      f" ratio {speedup:.1f}x (target >= 3x: {'met' if speedup >= 3 else 'NOT met'})")
inst = ours.get(("overparam-instruments", "instruments"))
if inst:
    print(f"instruments' products (n={inst['n']}, m={inst['m']}): device {float(inst['device_ms']):.1f} ms"
          f" ({float(inst['device_tflops']):.2f} TFLOP/s), CPU dsyrk {float(inst['cpu_ms']):.0f} ms, {float(inst['speedup']):.0f}x;"
          f" largest relative difference {inst['max_rel_diff']}")
PY
echo "(raw output: $LOG)"
