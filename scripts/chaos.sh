#!/usr/bin/env bash
# Chaos: faults injected at random moments into real sweeps, each healed, and every sweep must end with tables
# bit-identical to an uninterrupted run (scripts/CheckTables.java: every column but wall_ms, and the curves; one
# row per trial, none lost, none twice).
#
# Two sweeps, each first run once without a fault as the reference: a grid sweep, and an adaptive width search
# with its budget-check stage. Then sweep after sweep (grid and search in turn) gets 1 to 6 faults, each of a kind
# drawn in turn (a random start) with random parameters, then `run --resume` to the end:
#   kill-driver    SIGKILL the driver at a random moment of its run (whatever the stage: a kill does not know
#                  which stage is running, so a new stage kind is covered as it is);
#   kill-executor  SIGKILL an executor JVM at a random moment (on a two-worker standalone cluster on 127.0.0.1;
#                  the sweeps of every third group run there): the driver must finish by itself;
#   disk-full      the sweep's folder is on its own tmpfs, shrunk to a random size short of what the run needs, so
#                  the disk fills mid-commit: the run must end with exit 3 and one line, no stack trace; then the
#                  space is given back (remount) and the next run goes on;
#   truncate       between runs, a random committed part file (trials or curves) truncated to a random size or
#                  one byte altered: `overparam verify` must exit 6 naming it; `run --resume` quarantines it.
# A kill that comes after its run has finished, or a disk that did not fill, is not counted as a fault.
#
# Usage: scripts/chaos.sh [FAULTS] [WORKDIR]   (default 200 faults, target/chaos; CI runs 6 faults, local only:
#        a couple of minutes). CHAOS_SEED fixes the draws; CHAOS_CLUSTER=0 leaves out the cluster (and
#        kill-executor); CHAOS_MINUTES=M injects no new fault after M minutes (the summary says how many ran).
#        disk-full needs root (a tmpfs mount); without it that kind is left out, saying so.
# Everything it starts is stopped (by pid) and every tmpfs unmounted on every exit path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FAULTS="${1:-200}"
WORK="${2:-$ROOT/target/chaos}"
SEED="${CHAOS_SEED:-$(date +%s)}"
CLUSTER="${CHAOS_CLUSTER:-1}"
MINUTES="${CHAOS_MINUTES:-0}"   # > 0: no new fault after this many minutes; the summary says how many ran
RANDOM=$((SEED % 32768))
VERSION="0.1.0-SNAPSHOT"
JAR="$ROOT/sweep-driver/target/overparam-sweep-driver-$VERSION-spark.jar"
unset OPENBLAS_CORETYPE   # rows are compared bit for bit: every run on the kernels the bundled OpenBLAS picks
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1

PIDS=()      # daemons and runs this script started
MOUNTS=()    # tmpfs mounts it made
say() { printf 'chaos [%4ds]: %s\n' "$SECONDS" "$*"; }
fail() { echo "chaos: FAILED: $*" >&2; exit 1; }

cleanup() {
  local rc=$? pid m
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  for m in "${MOUNTS[@]}"; do
    mountpoint -q "$m" && umount "$m" 2>/dev/null || true
  done
  ((rc == 0)) || echo "chaos: logs are in $WORK/logs (seed $SEED)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/mnt"
"$ROOT/scripts/overparam" --version >/dev/null 2>&1 || fail "cannot build the jar"
CP="$(cat "$ROOT/sweep-driver/target/classpath.txt")"

# --- the two sweeps ---------------------------------------------------------------------------------
cat > "$WORK/grid.yaml" <<'YAML'
name: chaos-grid
model: wn
data: {kind: sphere, target: gaussian}
grid: {alpha: [1.0], m: [8, 32], n: [6, 10], d: [10], eta: [0.5]}
seeds: 4
train: {steps: 300, tolerance: 1.0e-6}
YAML
cat > "$WORK/search.yaml" <<'YAML'
name: chaos-search
model: wn
data: {kind: sphere, target: gaussian}
grid: {alpha: [1.0], n: [6, 12], d: [4], eta: [0.5]}
search: {m: adaptive, lo: 2, hi: 32, target: 0.02, max_trials: 24, batch: 6, budget_check: 2}
seeds: 4
train: {steps: 500, tolerance: 1.0e-4}
thresholds: {delta: 0.25, bootstrap: 0}
YAML
declare -A BATCH=([grid]=2 [search]=3) TOTAL=() SECS=() BYTES=()

# --- the cluster (kill-executor) --------------------------------------------------------------------
MASTER=""
WORKER_PIDS=()
if [[ "$CLUSTER" == 1 ]]; then
  SPARK_HOME="$WORK/spark-home"
  export SPARK_HOME SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_DIRS="$WORK/spark-local"
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" "$SPARK_LOCAL_DIRS"
  # Spark and its dependencies, as in a distribution (not our jars, nor what ours relocates).
  tr ':' '\n' < "$ROOT/sweep-driver/target/classpath.txt" | while read -r jar || [[ -n "$jar" ]]; do
    case "$jar" in "$ROOT"/* | */info/picocli/* | */org/yaml/snakeyaml/* | "") ;; *) ln -s "$jar" "$SPARK_HOME/jars/" ;; esac
  done
  printf '%s\n' 'rootLogger.level = info' 'rootLogger.appenderRef.stderr.ref = console' 'appender.console.type = Console' \
    'appender.console.name = console' 'appender.console.target = SYSTEM_ERR' 'appender.console.layout.type = PatternLayout' \
    'appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex' > "$SPARK_HOME/conf/log4j2.properties"
  daemon() { # NAME CLASS ARGS...
    local name=$1 class=$2
    shift 2
    java @"$ROOT/conf/jvm-options" -Xmx256m -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" "$class" "$@" >"$WORK/logs/$name.log" 2>&1 &
    PIDS+=($!)
  }
  daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
  for _ in $(seq 1 600); do
    MASTER=$(grep -o 'Starting Spark master at spark://127\.0\.0\.1:[0-9]*' "$WORK/logs/master.log" | grep -o 'spark://.*' || true)
    [[ -n "$MASTER" ]] && break
    sleep 0.2
  done
  [[ -n "$MASTER" ]] || fail "the Spark master did not start (logs/master.log)"
  for i in 1 2; do
    daemon "worker$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 --cores 1 \
      --memory 1536m --work-dir "$WORK/worker$i" "$MASTER"
    WORKER_PIDS+=("${PIDS[-1]}")
  done
  for _ in $(seq 1 600); do
    (($(grep -c 'Registering worker' "$WORK/logs/master.log" || true) >= 2)) && break
    sleep 0.2
  done
  say "cluster up: $MASTER (workers ${WORKER_PIDS[*]})"
fi

# --- runs ---------------------------------------------------------------------------------------------
# start_run SWEEP DIR WHERE LOG: `run --resume` of SWEEP into DIR in the background (local[2], or the cluster
# when WHERE is cluster), in a process group of its own; its pid in RUN_PID.
start_run() {
  local sweep=$1 dir=$2 where=$3 log=$4
  if [[ "$where" == cluster ]]; then
    setsid java @"$ROOT/conf/jvm-options" -Xmx1g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
      -Doverparam.log="$log.spark" -Doverparam.launcher=overparam -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" \
      org.apache.spark.deploy.SparkSubmit --master "$MASTER" --deploy-mode client \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
      --conf spark.executor.memory=1g --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
      --class org.overparam.cli.OverparamCli "$JAR" \
      run "$WORK/$sweep.yaml" --out "$dir" --resume --batch-size "${BATCH[$sweep]}" --no-report >"$log" 2>&1 &
  else
    OVERPARAM_LOG="$log.spark" setsid "$ROOT/scripts/overparam" run "$WORK/$sweep.yaml" --out "$dir" --resume \
      --batch-size "${BATCH[$sweep]}" --master 'local[2]' --no-report >"$log" 2>&1 &
  fi
  RUN_PID=$!
  PIDS+=("$RUN_PID")
}

# finish SWEEP DIR WHERE: runs to the end; fails unless it exits 0.
N_RUN=0
finish() {
  local log="$WORK/logs/run-$((++N_RUN)).log" rc=0
  start_run "$1" "$2" "$3" "$log"
  wait "$RUN_PID" || rc=$?
  ((rc == 0)) || { tail -n 5 "$log" >&2; fail "run --resume of $2 exited with $rc (see $log)"; }
}

# Check that a failure said one line and no stack trace: the last line starts with "overparam: ".
one_line() { # LOG EXPECTED-WORDS
  local log=$1 words=$2 lines
  lines=$(grep -c '^overparam: ' "$log" || true)
  ((lines == 1)) || fail "$log: expected one 'overparam:' line, found $lines"
  grep -q "^overparam: .*$words" "$log" || fail "$log: the line does not say '$words': $(grep '^overparam: ' "$log")"
  ! grep -qE '^\s+at |^Caused by' "$log" || fail "$log: a stack trace on the terminal"
}

# --- the references -----------------------------------------------------------------------------------
for sweep in grid search; do
  start=$SECONDS
  finish "$sweep" "$WORK/ref-$sweep" local
  SECS[$sweep]=$((SECONDS - start))
  TOTAL[$sweep]=$(grep -oE '^ran [0-9]+ trials' "$WORK/logs/run-$N_RUN.log" | grep -oE '[0-9]+')
  BYTES[$sweep]=$(du -sb "$WORK/ref-$sweep/trials" "$WORK/ref-$sweep/curves" | awk '{s += $1} END {print s}')
  say "reference $sweep: ${TOTAL[$sweep]} trials, ${SECS[$sweep]} s, ${BYTES[$sweep]} bytes of tables"
done

# Can we mount a tmpfs (root)?
TMPFS=0
mkdir -p "$WORK/mnt/probe"
if mount -t tmpfs -o size=1m tmpfs "$WORK/mnt/probe" 2>/dev/null; then
  umount "$WORK/mnt/probe"
  TMPFS=1
else
  say "disk-full: left out (mounting a tmpfs needs root; FaultLinesCliTest covers a full disk with an injected FileSystem)"
fi
KINDS=(kill-driver truncate)
((TMPFS)) && KINDS+=(disk-full)

# --- the faults ---------------------------------------------------------------------------------------
declare -A INJECTED=() SURVIVED=()
injected=0
survived=0
pending=()          # "sweep dir faults kind..." of sweeps finished but not yet compared
group=0

# The executor JVMs the workers run now, one pid a line.
executors() {
  local w
  for w in "${WORKER_PIDS[@]}"; do pgrep -P "$w" -f CoarseGrainedExecutorBackend || true; done
}

# inject KIND SWEEP DIR WHERE MNT: one fault; sets GOT (1 when it really happened).
inject() {
  local kind=$1 sweep=$2 dir=$3 where=$4 mnt=$5 log delay rc=0 files file size cut used need
  GOT=0
  log="$WORK/logs/run-$((++N_RUN)).log"
  case "$kind" in
    kill-driver | kill-executor)
      # A random moment within the first 80 % of a run as long as the reference's (JVM start included); for an
      # executor, counted from when the run has executors.
      delay="$((RANDOM % (SECS[$sweep] * 4 / 5 + 1))).$((RANDOM % 1000))"
      start_run "$sweep" "$dir" "$where" "$log"
      if [[ "$kind" == kill-executor ]]; then
        while kill -0 "$RUN_PID" 2>/dev/null && [[ -z "$(executors)" ]]; do sleep 0.2; done
        delay="$((RANDOM % (SECS[$sweep] / 2 + 1))).$((RANDOM % 1000))"
      fi
      sleep "$delay"
      if ! kill -0 "$RUN_PID" 2>/dev/null; then
        wait "$RUN_PID" || rc=$?
        ((rc == 0)) || fail "a run ended with $rc before the $kind (see $log)"
        return
      fi
      if [[ "$kind" == kill-driver ]]; then
        kill -KILL -- "-$RUN_PID" 2>/dev/null || true
        wait "$RUN_PID" 2>/dev/null || true
        GOT=1
      else
        local running=()
        mapfile -t running < <(executors)
        if ((${#running[@]})); then
          kill -KILL "${running[$((RANDOM % ${#running[@]}))]}" 2>/dev/null && GOT=1
        fi
        wait "$RUN_PID" || rc=$?
        ((rc == 0)) || fail "the driver did not survive a lost executor: exit $rc (see $log)"
      fi
      ;;
    truncate)
      # A committed part (named by a manifest), truncated to a random size or with one byte altered.
      mapfile -t files < <(cd "$dir" 2>/dev/null && for f in trials/*.parquet curves/*.parquet; do
        [[ -s "$f" && " ${DAMAGED[*]} " != *" $f "* ]] && grep -lqF "\"$f\"" _commits/*.json 2>/dev/null && echo "$f"; done)
      ((${#files[@]})) || return 0
      file=${files[$((RANDOM % ${#files[@]}))]}
      size=$(stat -c %s "$dir/$file")
      cut=$(( (RANDOM * 32768 + RANDOM) % size ))
      if ((RANDOM % 2)); then
        truncate -s "$cut" "$dir/$file"
      else
        printf "\\x$(printf %02x $(( ($(od -An -tu1 -j "$cut" -N1 "$dir/$file") + 1) % 256 )))" \
          | dd of="$dir/$file" bs=1 seek="$cut" count=1 conv=notrunc status=none
      fi
      "$ROOT/scripts/overparam" verify "$dir" >"$log" 2>&1 || rc=$?
      ((rc == 6)) || fail "verify after damaging $file exited with $rc, expected 6 (see $log)"
      grep -q "^damaged: $file is \(truncated\|altered\|missing\)" "$log" || fail "verify did not name $file (see $log)"
      DAMAGED+=("$file")
      GOT=1
      ;;
    disk-full)
      # Shrink the sweep's tmpfs to what is used plus a random part of what the rest of the run needs.
      used=$(df --output=used -B1 "$mnt" | tail -1)
      need=$((BYTES[$sweep] * 3 / 2))
      size=$(( (used + 8192 + (RANDOM * 32768 + RANDOM) % need + 4095) / 4096 * 4096 ))
      mount -o remount,size="$size" "$mnt"
      start_run "$sweep" "$dir" "$where" "$log"
      wait "$RUN_PID" || rc=$?
      mount -o remount,size=256m "$mnt"
      if ((rc == 0)); then
        return   # the space sufficed: no fault
      fi
      ((rc == 3)) || { tail -n 5 "$log" >&2; fail "a run on a full disk exited with $rc, expected 3 (see $log)"; }
      one_line "$log" "no space left on device.*; free space and continue with: "
      GOT=1
      ;;
  esac
}

# compare: the pending sweeps against their references (one CheckTables per sweep kind), then counted survived.
compare() {
  local sweep same=() entry parts dir k
  for sweep in grid search; do
    same=()
    for entry in "${pending[@]}"; do
      read -r -a parts <<<"$entry"
      [[ "${parts[0]}" == "$sweep" ]] && same+=(--same "${parts[1]}")
    done
    ((${#same[@]})) || continue
    java @"$ROOT/conf/jvm-options" -Xmx1g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
      -Doverparam.log="$WORK/logs/check-tables.spark" -cp "$CP" "$ROOT/scripts/CheckTables.java" \
      --trials "${TOTAL[$sweep]}" --reference "$WORK/ref-$sweep" "${same[@]}" >"$WORK/logs/check-$sweep.log" 2>&1 \
      || { tail -n 3 "$WORK/logs/check-$sweep.log" >&2; fail "tables differ from the uninterrupted $sweep (logs/check-$sweep.log)"; }
  done
  for entry in "${pending[@]}"; do
    read -r -a parts <<<"$entry"
    for k in "${parts[@]:2}"; do
      SURVIVED[$k]=$((${SURVIVED[$k]:-0} + 1))
      survived=$((survived + 1))
    done
    dir=${parts[1]}
    mountpoint -q "$(dirname "$dir")" && umount "$(dirname "$dir")"
    rm -rf "$(dirname "$dir")"
  done
  pending=()
}

# 1 to 6 faults a sweep (fewer when few are asked for, so that both sweeps get some).
PER_SWEEP=6
if ((FAULTS < 24)); then
  PER_SWEEP=$(( (FAULTS + 1) / 2 ))
  ((PER_SWEEP <= 3)) || PER_SWEEP=3
  ((PER_SWEEP >= 1)) || PER_SWEEP=1
fi
say "injecting $FAULTS faults (seed $SEED; kinds ${KINDS[*]}$([[ "$CLUSTER" == 1 ]] && echo ' kill-executor'))"
next=$((RANDOM % ${#KINDS[@]}))
n=0
while ((injected < FAULTS)) && ((MINUTES == 0 || SECONDS < MINUTES * 60)); do
  n=$((n + 1))
  sweep=$([[ $((n % 2)) == 1 ]] && echo grid || echo search)
  where=local
  kinds=("${KINDS[@]}")
  if [[ "$CLUSTER" == 1 && $((n % 3)) == 0 ]]; then
    where=cluster
    kinds=(kill-driver kill-executor truncate)
  fi
  mnt="$WORK/mnt/$n"
  mkdir -p "$mnt"
  if ((TMPFS)); then
    mount -t tmpfs -o size=256m tmpfs "$mnt"
    MOUNTS+=("$mnt")
  fi
  dir="$mnt/out"
  DAMAGED=()        # files damaged in this sweep (not damaged twice)
  want=$((1 + RANDOM % PER_SWEEP))
  got=()
  for _ in $(seq 1 "$want"); do
    kind=${kinds[$((next % ${#kinds[@]}))]}
    next=$((next + 1))
    inject "$kind" "$sweep" "$dir" "$where" "$mnt"
    if ((GOT)); then
      got+=("$kind")
      injected=$((injected + 1))
      INJECTED[$kind]=$((${INJECTED[$kind]:-0} + 1))
    fi
    ((injected < FAULTS)) && ((MINUTES == 0 || SECONDS < MINUTES * 60)) || break
  done
  finish "$sweep" "$dir" "$where"
  "$ROOT/scripts/overparam" verify "$dir" >"$WORK/logs/verify-$n.log" 2>&1 || fail "$dir is not intact after its last run (logs/verify-$n.log)"
  say "$sweep #$n ($where): ${#got[@]} fault(s) [${got[*]}], healed, finished"
  pending+=("$sweep $dir ${got[*]}")
  if ((${#pending[@]} >= 8)); then
    compare
    say "$survived of $injected faults survived so far (tables identical)"
  fi
done
compare
summary=""
for k in kill-driver kill-executor disk-full truncate; do
  [[ -n "${INJECTED[$k]:-}" ]] && summary+=" $k ${SURVIVED[$k]:-0}/${INJECTED[$k]}"
done
((injected >= FAULTS)) || summary+=" (stopped by the $MINUTES-minute limit before $FAULTS faults)"
say "ok: $injected faults injected, $survived survived:$summary; $n sweeps, every one ending with tables identical to the uninterrupted run ($((SECONDS / 60)) min, seed $SEED)"
