#!/usr/bin/env bash
# Compiles the CUDA kernels (src/main/cuda/overparam.cu) into target/classes/cuda/overparam.fatbin:
# cubins for sm_80 (A100) and sm_90 (H100/H200) and PTX for compute_90, which later GPUs compile when
# the backend loads it. Run by Maven (generate-resources) from the trainer module.
#
# Finds nvcc in $NVCC, $CUDA_HOME/bin, PATH, /usr/local/cuda/bin (OVERPARAM_CUDA_DEFAULT_HOME overrides
# that last one, for tests). Without one it prints why and exits 0:
# the build goes on without the fatbin and the CUDA backend reports itself unavailable. With one, a
# kernel that does not compile fails the build. Skips the work when the fatbin is newer than the sources.
# Also writes target/cuda/: the PTX (for the ABI test), ptxas's resource report, the nvcc command.
set -euo pipefail
MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$MODULE/src/main/cuda"
TARGET="${OVERPARAM_KERNELS_TARGET:-$MODULE/target}"
OUT="$TARGET/classes/cuda"
WORK="$TARGET/cuda"
FATBIN="$OUT/overparam.fatbin"

if [[ "${OVERPARAM_SKIP_CUDA:-}" == "1" ]]; then
  echo "[build-kernels] OVERPARAM_SKIP_CUDA=1: CUDA kernels not built; the CUDA backend will report itself unavailable"
  exit 0
fi

find_nvcc() {
  local c
  for c in "${NVCC:-}" "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" "$(command -v nvcc 2>/dev/null || true)" \
           "${OVERPARAM_CUDA_DEFAULT_HOME:-/usr/local/cuda}/bin/nvcc"; do
    if [[ -n "$c" && -x "$c" ]]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if ! NVCC_BIN="$(find_nvcc)"; then
  echo "[build-kernels] nvcc not found (\$NVCC, \$CUDA_HOME/bin, PATH, /usr/local/cuda/bin): CUDA kernels not built;" \
       "the CUDA backend will report itself unavailable"
  mkdir -p "$WORK"
  echo "nvcc not found" > "$WORK/SKIPPED"
  exit 0
fi

if [[ -f "$FATBIN" && -z "$(find "$SRC" "$0" -newer "$FATBIN" -print -quit)" ]]; then
  exit 0
fi

mkdir -p "$OUT" "$WORK/keep"
rm -f "$WORK/SKIPPED"
CMD=("$NVCC_BIN" -std=c++17 -O3 --fatbin
     -gencode arch=compute_80,code=sm_80
     -gencode "arch=compute_90,code=[sm_90,compute_90]"
     -Xptxas -v --threads 2 --keep --keep-dir "$WORK/keep"
     -o "$FATBIN.tmp" "$SRC/overparam.cu")
echo "${CMD[*]}" > "$WORK/nvcc-command.txt"
echo "[build-kernels] $("$NVCC_BIN" --version | tail -2 | head -1): compiling src/main/cuda/overparam.cu for sm_80, sm_90 (+PTX)"
if ! "${CMD[@]}" > "$WORK/ptxas.log" 2>&1; then
  cat "$WORK/ptxas.log" >&2
  echo "[build-kernels] nvcc failed: see above" >&2
  rm -f "$FATBIN.tmp"
  exit 1
fi
mv "$FATBIN.tmp" "$FATBIN"
cp "$WORK"/keep/*compute_90*.ptx "$WORK/overparam.ptx" 2>/dev/null || cp "$(ls "$WORK"/keep/*.ptx | tail -1)" "$WORK/overparam.ptx"
grep -E "Compiling entry|Used [0-9]+ registers|spill" "$WORK/ptxas.log" > "$WORK/resources.txt" || true
echo "[build-kernels] wrote $FATBIN ($(wc -c < "$FATBIN") bytes); registers and spills: target/cuda/resources.txt"
