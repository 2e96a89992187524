#!/usr/bin/env bash
# The atlas's trial core time by model, with the trainer as it is and as it was before issue 27's faster steps
# (docs/benchmarks.md, "The atlas's core time by model, before and after"), from an atlas output's own tables:
#   scripts/bench-atlas-models.sh OUT/atlas        # about 8 minutes on 2 cores
# Runs conf/sweeps/bench-atlas-models.yaml (bn and smooth at the atlas's settings over its shapes) at 1,000 and at
# 200 steps, each on local[*] as 'after', this checkout, and as 'before', the same jars with smooth's nets and
# activations of $BEFORE_SMOOTH (the commit before the fast gelu) and bn's model and margin solver of $BEFORE_BN (before
# its margins were remembered and paired) compiled from git in front of the classpath, without the JDK's vector module
# (so bn's rows take its scalar loops; its row-wise norms, also issue 27's, stay: 'before' is a lower bound).
# scripts/AtlasCoreTime.java splits each grid point's trial time into a fixed part and a part per step, times each
# atlas trial of bn and smooth by the before/after ratio at its own steps at the nearest grid point (no other model's
# code changed) and prints the core minutes by model, before and after, and whether the grid runs' rows agree (bn's
# bit for bit; smooth's final losses within the erf's rounding, amplified by GD).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ATLAS="${1:?usage: scripts/bench-atlas-models.sh ATLAS_OUTPUT_DIR (the --out folder of an atlas run)}"
[[ -d "$ATLAS/trials" ]] || { echo "bench-atlas-models: $ATLAS/trials is not a trials table" >&2; exit 2; }
BEFORE_SMOOTH="${BEFORE_SMOOTH:-f9e7a74465b13687fb64ee2627262c9aa97c74de}"
BEFORE_BN="${BEFORE_BN:-55ad6d0}"
for c in "$BEFORE_SMOOTH" "$BEFORE_BN"; do
  git -C "$ROOT" cat-file -e "$c^{commit}" 2>/dev/null \
    || { echo "bench-atlas-models: needs the git history with $c (a full clone)" >&2; exit 2; }
done
WORK="$(mktemp -d -t overparam-atlas-models.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
source "$ROOT/scripts/bench-classpath.sh"
bench_classpath bench-atlas-models
export OPENBLAS_NUM_THREADS=1 SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
mkdir -p "$WORK/old/src" "$WORK/old/classes"
for f in Activation SmoothNet SmoothTwoLayer LinearizedSmoothNet; do
  git -C "$ROOT" show "$BEFORE_SMOOTH:trainer/src/main/java/org/overparam/trainer/nets/$f.java" >"$WORK/old/src/$f.java"
done
for f in models/BatchNormModel margin/BnMargins margin/MaxMarginLinear; do
  git -C "$ROOT" show "$BEFORE_BN:trainer/src/main/java/org/overparam/trainer/$f.java" >"$WORK/old/src/${f#*/}.java"
done
javac -nowarn -d "$WORK/old/classes" -cp "$CP" "$WORK/old/src/"*.java
# The trainer that ran the atlas given (ATLAS_CODE, default $BEFORE_BN: its bn margins unpaired and unremembered, all else
# as now): its times are the atlas's recorded ones, so both estimates are scaled from it.
ATLAS_CODE="${ATLAS_CODE:-$BEFORE_BN}"
mkdir -p "$WORK/rec/src" "$WORK/rec/classes"
for f in models/BatchNormModel margin/BnMargins margin/MaxMarginLinear; do
  git -C "$ROOT" show "$ATLAS_CODE:trainer/src/main/java/org/overparam/trainer/$f.java" >"$WORK/rec/src/${f#*/}.java"
done
javac -nowarn -d "$WORK/rec/classes" -cp "$CP" "$WORK/rec/src/"*.java
grep -v -- '--add-modules=jdk.incubator.vector' "$ROOT/conf/jvm-options" >"$WORK/jvm-options-before"
LOGS=(-Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -Djava.util.logging.config.file="$ROOT/conf/logging.properties")
sed 's/steps: 1000,/steps: 200,/' "$ROOT/conf/sweeps/bench-atlas-models.yaml" >"$WORK/short.yaml"
grep -q 'steps: 200,' "$WORK/short.yaml" || { echo "bench-atlas-models: the config's budget is not 1000 steps" >&2; exit 1; }
run() {  # run LABEL CONFIG OPTIONS_FILE CLASSPATH
  echo "bench-atlas-models: $1" >&2
  java @"$3" "${LOGS[@]}" -Doverparam.log="$WORK/$1.log" -cp "$4" org.overparam.cli.OverparamCli run \
    "$2" --out "$WORK/$1" --no-report >"$WORK/$1.out" 2>&1 || { tail -30 "$WORK/$1.out" >&2; exit 1; }
}
run after "$ROOT/conf/sweeps/bench-atlas-models.yaml" "$ROOT/conf/jvm-options" "$CP"
run before "$ROOT/conf/sweeps/bench-atlas-models.yaml" "$WORK/jvm-options-before" "$WORK/old/classes:$CP"
run after-short "$WORK/short.yaml" "$ROOT/conf/jvm-options" "$CP"
run before-short "$WORK/short.yaml" "$WORK/jvm-options-before" "$WORK/old/classes:$CP"
run recorded "$ROOT/conf/sweeps/bench-atlas-models.yaml" "$ROOT/conf/jvm-options" "$WORK/rec/classes:$CP"
run recorded-short "$WORK/short.yaml" "$ROOT/conf/jvm-options" "$WORK/rec/classes:$CP"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
java @"$ROOT/conf/jvm-options" "${LOGS[@]}" -cp "$CP" "$ROOT/scripts/AtlasCoreTime.java" \
  --atlas "$ATLAS" --before "$WORK/before" --after "$WORK/after" --before-short "$WORK/before-short" --after-short "$WORK/after-short" \
  --recorded "$WORK/recorded" --recorded-short "$WORK/recorded-short" 2> "$WORK/analysis.err" || { tail -30 "$WORK/analysis.err" >&2; exit 1; }
