#!/usr/bin/env bash
# CPU benchmark (docs/benchmarks.md): one wn GD step (forward, backward, update; float64) of our
# trainer against numpy and PyTorch doing the same math on the same numbers, the machine's float64
# matrix-product rate, the kernel instruments (when built), one smooth GD step (gelu net and its
# linearization) against PyTorch and against the trainer before its fast gelu, relu and wn steps at the atlas's small shapes
# against PyTorch (one trial and 64 batched) and packed (many trials side by side, as the CPU trainer packs them), a
# sweep of small nets with packing off and on, and the cost of Spark over a plain loop.
#   scripts/bench-cpu.sh                 # everything (about 10 minutes on 2 cores; BENCH_SKIP_PACKED=1 skips the sweeps)
#   BENCH_SKIP_SPARK=1 BENCH_ROUNDS=1 scripts/bench-cpu.sh   # GD steps only, one round
#   BENCH_ONLY=smooth scripts/bench-cpu.sh                   # the smooth step only (about 1 minute)
#   BENCH_ONLY=wn scripts/bench-cpu.sh                       # the wn step, instruments and Spark only
#   BENCH_ONLY=bn scripts/bench-cpu.sh                       # the bn step only: SIMD rows against bn's scalar loops
#   BENCH_ONLY=small scripts/bench-cpu.sh                    # relu and wn at the atlas's small shapes, one thread, with
#                                                            # PyTorch on one trial and on 64 batched, ours alone and
#                                                            # packed, and where packing pays (about 3 minutes)
#   BENCH_ONLY=packed scripts/bench-cpu.sh                   # a grid of small nets swept with packing on and off:
#                                                            # tables bit-identical, trials' core time (about 2 minutes)
# Installs what it needs (Debian: python3-numpy python3-torch libopenblas0, for numpy and torch) and builds
# the jars. Ours runs the OpenBLAS bundled with the trainer (Maven; it never loads the system's libblas.so.3,
# so its figures are those of a fresh machine without it: the 'java blas' line lists what it mapped);
# numpy and torch run Debian's OpenBLAS. Every side gets all cores and the best kernels its OpenBLAS has for the CPU.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3            # Debian's Python: its numpy and torch come from apt (a pyenv python3 may lack them)
WORK="$(mktemp -d -t overparam-bench.XXXXXX)"
ONLY="${BENCH_ONLY:-}"
[[ -z "$ONLY" || "$ONLY" == wn || "$ONLY" == smooth || "$ONLY" == bn || "$ONLY" == small || "$ONLY" == packed ]] \
  || { echo "bench-cpu: BENCH_ONLY is wn, smooth, bn, small or packed, got $ONLY" >&2; exit 2; }
# The trainer before the fast gelu (issue 27): its smooth nets, compiled from git, time 'today' in the same run.
SMOOTH_BASELINE="${BENCH_SMOOTH_BASELINE:-f9e7a74465b13687fb64ee2627262c9aa97c74de}"
trap 'rm -rf "$WORK"' EXIT
say() { echo "bench-cpu: $*" >&2; }

# 1. Packages: numpy, torch and OpenBLAS from Debian.
if ! "$PY" -c 'import numpy, torch' 2>/dev/null || [[ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]]; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  say "installing python3-numpy python3-torch libopenblas0 (apt-get)..."
  $SUDO apt-get install -y -q python3-numpy python3-torch libopenblas0 >"$WORK/apt.log" 2>&1 \
    || { $SUDO apt-get update -q >>"$WORK/apt.log" 2>&1 && $SUDO apt-get install -y -q python3-numpy python3-torch libopenblas0 >>"$WORK/apt.log" 2>&1; } \
    || { cat "$WORK/apt.log" >&2; say "apt-get failed"; exit 1; }
fi

# 2. The jars (same staleness rule as scripts/overparam).
source "$ROOT/scripts/bench-classpath.sh"
bench_classpath bench-cpu
JAVA=(java @"$ROOT/conf/jvm-options" -Xmx8g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties"
      -Djava.util.logging.config.file="$ROOT/conf/logging.properties")

# 3. Threads and OpenBLAS kernels: each side at the best kernels its OpenBLAS runs on this CPU.
#    Ours: the bundled 0.3.31 detects the CPU itself; an inherited OPENBLAS_CORETYPE (set for older
#    builds) would hold it to older kernels, so it runs without one, as a fresh machine and our launcher do.
#    numpy/torch: Debian's 0.3.21 detection, unless it falls back to generic kernels on a CPU newer than
#    its tables (Prescott): then the newest kernels the CPU runs (BENCH_PY_CORETYPE overrides).
CORES=$(nproc)
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$CORES}"
INHERITED="${OPENBLAS_CORETYPE:-unset}"
unset OPENBLAS_CORETYPE
DETECTED=$(OPENBLAS_VERBOSE=2 "$PY" -c 'import numpy' 2>&1 | sed -n 's/^Core: //p')
PY_CORETYPE="${BENCH_PY_CORETYPE:-}"
if [[ -z "$PY_CORETYPE" && "$DETECTED" == "Prescott" ]]; then
  if grep -qw avx512f /proc/cpuinfo; then PY_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then PY_CORETYPE=Haswell; fi
fi
PY_ENV=(env); [[ -n "$PY_CORETYPE" ]] && PY_ENV=(env OPENBLAS_CORETYPE="$PY_CORETYPE")
USED=$("${PY_ENV[@]}" OPENBLAS_VERBOSE=2 "$PY" -c 'import numpy' 2>&1 | sed -n 's/^Core: //p')
echo "machine cpu=\"$(lscpu | sed -n 's/^Model name: *//p')\" cores=$CORES mem=$(free -g | awk '/^Mem:/{print $2}')GiB" \
     "libblas.so.3=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo none)" \
     "py_openblas_core_detected=${DETECTED:-?} py_openblas_core_used=${USED:-?} py_OPENBLAS_CORETYPE=${PY_CORETYPE:-unset}" \
     "inherited_OPENBLAS_CORETYPE=$INHERITED OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS"
echo "load before=\"$(cut -d' ' -f1-3 /proc/loadavg)\""

# 4. The wn GD step: ours, then numpy and torch on the numbers ours exported (checked against ours in
#    round 1); rounds alternate Java and Python so that a burst of load elsewhere hits both sides.
ROUNDS="${BENCH_ROUNDS:-2}"
if [[ -z "$ONLY" || "$ONLY" == wn ]]; then
  for r in $(seq 1 "$ROUNDS"); do
    EXPORT=(); CHECK=(); [[ $r -eq 1 ]] && EXPORT=(--export "$WORK/shapes") && CHECK=(--check)
    OPENBLAS_VERBOSE=2 "${JAVA[@]}" -cp "$CP" org.overparam.trainer.bench.WnStepBenchmark "${EXPORT[@]}" 2>"$WORK/java.err" \
      >"$WORK/java.$r.txt" || { cat "$WORK/java.err" >&2; exit 1; }
    [[ $r -eq 1 ]] && echo "java openblas_core_used=$(sed -n 's/^Core: //p' "$WORK/java.err" | head -1)" \
      "system_blas_mapped=$(grep -c 'libblas.so.3' "$WORK/java.1.txt" || true)"
    sed 's/ samples_ms=[^ ]*//' "$WORK/java.$r.txt"
    OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" "${PY_ENV[@]}" "$PY" "$ROOT/scripts/bench_cpu.py" measure --export "$WORK/shapes" \
      --java "$WORK/java.1.txt" --threads "$CORES" "${CHECK[@]}" >"$WORK/py.$r.txt"
    sed 's/ samples_ms=[^ ]*//' "$WORK/py.$r.txt"
    echo "load after_round_$r=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  done
  grep -q MISMATCH "$WORK/py.1.txt" && { say "numpy/torch do not reproduce our losses: not the same math"; exit 1; }
  "$PY" "$ROOT/scripts/bench_cpu.py" summarize "$WORK"/java.[0-9]*.txt "$WORK"/py.[0-9]*.txt >"$WORK/summary.txt"
fi

# 4b. The smooth GD step (gelu net beside its linearization, n = 256, d = 16, m = 512): ours; 'today', the same
#     benchmark with the smooth nets of $SMOOTH_BASELINE compiled from git in front of the classpath; and torch
#     on the numbers ours exported (checked against ours in round 1), alternating in each round.
if [[ -z "$ONLY" || "$ONLY" == smooth ]]; then
  TODAY=()
  if git -C "$ROOT" cat-file -e "$SMOOTH_BASELINE^{commit}" 2>/dev/null; then
    mkdir -p "$WORK/today/src" "$WORK/today/classes"
    for f in Activation SmoothNet SmoothTwoLayer LinearizedSmoothNet; do
      git -C "$ROOT" show "$SMOOTH_BASELINE:trainer/src/main/java/org/overparam/trainer/nets/$f.java" >"$WORK/today/src/$f.java"
    done
    javac -nowarn -d "$WORK/today/classes" -cp "$CP" "$WORK/today/src/"*.java >&2
    TODAY=("${JAVA[@]}" -cp "$WORK/today/classes:$CP" org.overparam.trainer.bench.SmoothStepBenchmark --label today)
  else
    say "no git history with $SMOOTH_BASELINE: the smooth step is not timed as it was ('today')"
  fi
  # Twice per round: one thread a side (a sweep trains one trial per core) and all cores a side.
  SMOOTH_THREADS=(1); [[ $CORES -gt 1 ]] && SMOOTH_THREADS+=("$CORES")
  for r in $(seq 1 "$ROUNDS"); do
    for t in "${SMOOTH_THREADS[@]}"; do
      EXPORT=(); CHECK=(); [[ $r -eq 1 && $t -eq 1 ]] && EXPORT=(--export "$WORK/shapes") && CHECK=(--check)
      OPENBLAS_NUM_THREADS=$t "${JAVA[@]}" -cp "$CP" org.overparam.trainer.bench.SmoothStepBenchmark "${EXPORT[@]}" \
        2>"$WORK/java.err" >"$WORK/java.smooth.$r.$t.txt" || { cat "$WORK/java.err" >&2; exit 1; }
      grep smooth_step "$WORK/java.smooth.$r.$t.txt" | sed 's/ samples_ms=[^ ]*//'
      if [[ ${#TODAY[@]} -gt 0 ]]; then
        OPENBLAS_NUM_THREADS=$t "${TODAY[@]}" 2>"$WORK/java.err" >"$WORK/java.today.$r.$t.txt" || { cat "$WORK/java.err" >&2; exit 1; }
        grep smooth_step "$WORK/java.today.$r.$t.txt" | sed 's/ samples_ms=[^ ]*//'
      fi
      OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" "$PY" "$ROOT/scripts/bench/torch_smooth_step.py" measure --export "$WORK/shapes" \
        --java "$WORK/java.smooth.1.1.txt" --threads "$t" "${CHECK[@]}" >"$WORK/py.smooth.$r.$t.txt"
      sed 's/ samples_ms=[^ ]*//' "$WORK/py.smooth.$r.$t.txt"
    done
    echo "load after_smooth_round_$r=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  done
  grep -q MISMATCH "$WORK/py.smooth.1.1.txt" && { say "torch does not reproduce our smooth losses: not the same math"; exit 1; }
  "$PY" "$ROOT/scripts/bench/torch_smooth_step.py" summarize "$WORK"/java.smooth.*.txt "$WORK"/py.smooth.*.txt \
    $(ls "$WORK"/java.today.*.txt 2>/dev/null) >>"$WORK/summary.txt"
fi

# 4c. The bn GD step at the atlas's shapes: its SIMD row work against bn's scalar row loops, one thread, side by side
#     in each round (both take the same path: the benchmark checks the risk's bits first).
if [[ -z "$ONLY" || "$ONLY" == bn ]]; then
  for r in $(seq 1 "$ROUNDS"); do
    OPENBLAS_NUM_THREADS=1 "${JAVA[@]}" -cp "$CP" org.overparam.trainer.bench.BnStepBenchmark 2>"$WORK/java.err" | tee -a "$WORK/bn.txt" \
      || { cat "$WORK/java.err" >&2; exit 1; }
  done
  awk '/bn_step/ {for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } s[v["shape"]] = s[v["shape"]] " " v["speedup"]}
       END {for (k in s) print "bn_step " k " speedup_by_round=" substr(s[k], 2)}' "$WORK/bn.txt" | sort >>"$WORK/summary.txt"
fi

# 4d. relu and wn steps at the atlas's small shapes, one thread a side (a sweep trains one trial per core): ours per
#     trial, PyTorch on one trial and 64 batched (on the numbers ours exported, checked in round 1), and the fraction
#     of the single-thread float64 product rate ours reaches; rounds alternate the two sides.
if [[ -z "$ONLY" || "$ONLY" == small ]]; then
  for r in $(seq 1 "$ROUNDS"); do
    EXPORT=(); CHECK=(); [[ $r -eq 1 ]] && EXPORT=(--export "$WORK/small") && CHECK=(--check)
    OPENBLAS_NUM_THREADS=1 "${JAVA[@]}" -cp "$CP" org.overparam.trainer.bench.SmallStepBenchmark "${EXPORT[@]}" 2>"$WORK/java.err" \
      | tee -a "$WORK/small.txt" || { cat "$WORK/java.err" >&2; exit 1; }
    OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPENBLAS_NUM_THREADS=1 "${PY_ENV[@]}" "$PY" "$ROOT/scripts/bench/torch_small_step.py" \
      --export "$WORK/small" --threads 1 "${CHECK[@]}" | tee -a "$WORK/small.txt"
    echo "load after_small_round_$r=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  done
  # Where packing pays: a lone relu step against packs of 2, 4, 8 and 64 at the atlas's small shapes (d = 8).
  OPENBLAS_NUM_THREADS=1 "${JAVA[@]}" -cp "$CP" org.overparam.trainer.bench.SmallStepBenchmark --peak 0 --shapes none \
    --map 16,32,64,128,256:2,4,8,16,32:8:2,4,8,64 2>"$WORK/java.err" | tee -a "$WORK/small.txt" || { cat "$WORK/java.err" >&2; exit 1; }
  grep -q MISMATCH "$WORK/small.txt" && { say "torch does not reproduce our relu/wn losses: not the same math"; exit 1; }
  "$PY" - "$WORK/small.txt" >>"$WORK/summary.txt" <<'PYEOF'
import re, statistics, sys
kv = lambda line: dict(re.findall(r"(\S+)=(\S+)", line))
ours, torch, peaks, packed, maps = {}, {}, [], {}, []
for line in open(sys.argv[1]):
    f = kv(line)
    if line.startswith("small java peak"):
        peaks.append(float(f["best_gflops"]))
    elif line.startswith("small java packed") and "us_per_trial_step" in f:
        packed.setdefault((f["model"], int(f["n"]), int(f["d"]), int(f["m"])), []).append(float(f["us_per_trial_step"]))
    elif line.startswith("small java map"):
        maps.append(f)
    elif line.startswith("small java model"):
        ours.setdefault((f["model"], int(f["n"]), int(f["d"]), int(f["m"])), []).append(float(f["us_per_step"]))
    elif line.startswith("small torch model"):
        k = (f["model"], int(f["n"]), int(f["d"]), int(f["m"]))
        torch.setdefault(k, []).append((float(f["one_best_us"]), float(f["batched64_us_per_trial"])))
peak = max(peaks)
for k in sorted(ours, key=lambda k: (k[1], k[0])):
    model, n, d, m = k
    us = statistics.median(ours[k])
    one = statistics.median(t[0] for t in torch[k])
    batched = statistics.median(t[1] for t in torch[k])
    of_peak = 4.0 * n * d * m / (us * 1e3) / peak
    pk = statistics.median(packed[k]) if k in packed else None
    target = "us_per_step<=1" if n * d * m <= 64 * 4 * 16 else "of_peak>=0.60"
    # The smallest shape's target allows packing trials: the better of alone and 64 packed counts.
    best = min(us, pk) if pk is not None else us
    met = best <= 1.0 if target.startswith("us") else of_peak >= 0.60
    pk_text = f"packed64_us={pk:.3f} packed_over_alone={pk / us:.3f}" if pk is not None else "packed64_us=none"
    print(f"small model={model} n={n} d={d} m={m} ours_us={us:.3f} {pk_text} torch_one_us={one:.3f} torch_batched64_us={batched:.3f} "
          f"ratio_torch_one={us / one:.3f} ratio_torch_batched={us / batched:.3f} of_single_core_peak={of_peak:.2f} "
          f"single_core_peak_gflops={peak:.1f} target={target} {'met' if met else 'missed'}")
for f in maps:
    print(f"small map n={f['n']} d={f['d']} m={f['m']} lanes={f['lanes']} lone_us={f['lone_us']} packed_us={f['packed_us']} "
          f"packed_over_lone={f['packed_over_lone']} packed_by_trainer={f['packed_by_trainer']}")
PYEOF
fi

# 4e. Packing end to end: conf/sweeps/bench-packed.yaml (384 small relu and wn trials, 16 seeds a shape) swept by
#     scripts/overparam with packing off (-Doverparam.cpu_pack=false) and on, in turn; the tables must be bit-identical
#     (scripts/CheckTables.java) and the trials' core time (the sum of wall_ms) is compared.
if [[ "$ONLY" == packed || ( -z "$ONLY" && -z "${BENCH_SKIP_PACKED:-}" ) ]]; then
  for mode in off on; do
    opts=""; [[ $mode == off ]] && opts="-Doverparam.cpu_pack=false"
    start=$(date +%s%N)
    JAVA_OPTS="$opts" "$ROOT/scripts/overparam" run "$ROOT/conf/sweeps/bench-packed.yaml" --out "$WORK/packed-$mode" \
      >"$WORK/packed-$mode.log" 2>&1 || { tail -30 "$WORK/packed-$mode.log" >&2; say "the packed sweep ($mode) failed"; exit 1; }
    echo "packed sweep mode=$mode wall_s=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" \
      | tee -a "$WORK/packed.txt"
  done
  "${JAVA[@]}" -cp "$(cat "$ROOT/sweep-driver/target/classpath.txt")" "$ROOT/scripts/CheckTables.java" --trials 288 \
    --reference "$WORK/packed-off" --same "$WORK/packed-on" --derived true 2>"$WORK/check.err" | tee "$WORK/packed-check.txt" \
    || { tail -20 "$WORK/check.err" >&2; say "packing changed the tables"; exit 1; }
  "${JAVA[@]}" -cp "$(cat "$ROOT/sweep-driver/target/classpath.txt")" "$ROOT/scripts/CoreTime.java" "$WORK/packed-off" "$WORK/packed-on" \
    2>"$WORK/core.err" | tee -a "$WORK/packed.txt" || { tail -20 "$WORK/core.err" >&2; exit 1; }
  "$PY" - "$WORK/packed.txt" >>"$WORK/summary.txt" <<'PYEOF'
import re, sys
kv = lambda line: dict(re.findall(r"(\S+)=(\S+)", line))
wall, core = {}, {}
for line in open(sys.argv[1]):
    f = kv(line)
    if line.startswith("packed sweep"):
        wall[f["mode"]] = float(f["wall_s"])
    elif line.startswith("core_time"):
        core[f["mode"]] = (float(f["core_s"]), int(f["trials"]), int(f["steps"]))
print(f"packed sweep=bench-packed trials={core['on'][1]} steps={core['on'][2]} tables=bit-identical "
      f"core_s_off={core['off'][0]:.2f} core_s_on={core['on'][0]:.2f} core_ratio={core['off'][0] / core['on'][0]:.2f} "
      f"wall_s_off={wall['off']:.1f} wall_s_on={wall['on']:.1f}")
PYEOF
fi

# 5. Spark local[*] against a plain loop on the same cores: one trial per core, single-threaded BLAS
#    in each (as conf/spark-defaults.conf sets for executors), same JVM, warm.
if [[ -z "${BENCH_SKIP_SPARK:-}" && ( -z "$ONLY" || "$ONLY" == wn ) ]]; then
  OPENBLAS_NUM_THREADS=1 "${JAVA[@]}" -cp "$CP" org.overparam.sweep.bench.SparkOverheadBenchmark \
    "$ROOT/conf/sweeps/bench-spark-overhead.yaml" --repeats 3 2>"$WORK/spark.err" | tee "$WORK/spark.txt" \
    || { tail -50 "$WORK/spark.err" >&2; exit 1; }
fi
echo "load end=\"$(cut -d' ' -f1-3 /proc/loadavg)\""

# 6. The summary.
echo
echo "== summary (ratio = ours/theirs, lower is better; torch = autograd; speedup = today/ours; median over $ROUNDS rounds of each round's median) =="
cat "$WORK/summary.txt"
[[ -f "$WORK/spark.txt" ]] && sed -n 's/^spark \(.*\) \(spark_overhead=[^ ]*\)$/\2 \1/p' "$WORK/spark.txt" || true
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
