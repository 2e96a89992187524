#!/usr/bin/env bash
# The sweep on a real Spark standalone cluster, through faults, with nothing lost.
#
# Starts a master and two workers (1 core each) on 127.0.0.1 from the Spark jars Maven resolved
# (a SPARK_HOME laid out under target/), submits conf/sweeps/quickstart-grid.yaml with the kernel instruments
# on (eigenvalues by LAPACK at every logged step, two tasks at once) with SparkSubmit, and checks, with
# scripts/CheckTables.java:
#   1. the cluster run is bit-identical (every column but wall_ms, and the curves) to local[1] and
#      local[4] runs of the same config;
#   2. an executor JVM killed with kill -9 mid-sweep: the sweep completes, one row per trial id;
#   3. the driver killed with kill -9 mid-sweep: what it committed is whole batches, each trial once;
#      `run --resume` runs only the trials without a row, and the final tables equal the others;
#   4. GPU scheduling: a worker declaring two GPUs (a stand-in discovery script) and `overparam gpus` at
#      0.5 GPU per task: every task is assigned one of them, both are used, and the task side reads it;
#   5. one writer per folder: a second driver (`run --resume`) on the folder a live driver writes is
#      refused with exit 2 naming the owner, and that sweep, run with Spark's speculation on (speculative
#      copies of slow tasks), ends with exactly one row per trial id, equal to the others.
# In 3., the resumed run takes over the lock the killed driver left (its process is gone from this host).
# Everything it starts is stopped (by pid) on every exit path. Nothing binds beyond 127.0.0.1.
# Usage: scripts/cluster-smoke.sh   (outputs and logs in target/cluster; a few minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/target/cluster"
VERSION="0.1.0-SNAPSHOT"
JAR="$ROOT/sweep-driver/target/overparam-sweep-driver-$VERSION-spark.jar"
CONFIG="$WORK/quickstart-instruments.yaml"   # written below: the quickstart with instruments: {kernels: true}
TRIALS=176          # the quickstart's trial count
BATCH=22            # batches of the fault runs: 8 commits, so a kill after the first lands mid-sweep
START_LIMIT=120     # seconds to wait for a daemon or a commit before giving up

# Workers run the trainer as the launcher does, with the kernels the bundled OpenBLAS picks itself
# (another core's kernels round differently, and every run's rows are compared bit for bit).
unset OPENBLAS_CORETYPE
export SPARK_HOME="$ROOT/target/spark-home"
export SPARK_SCALA_VERSION=2.13           # the launcher's WorkerCommandBuilder needs it without a Spark build
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
export SPARK_LOCAL_DIRS="$WORK/local"
SPARK_CP="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
JVM_OPTS=(@"$ROOT/conf/jvm-options")

PIDS=()             # every process this script started, in start order
EXTRA_CONF=()       # more SparkSubmit options for the next submit_bg (section 5: speculation)
log() { printf '== cluster-smoke [%3ds]: %s\n' "$SECONDS" "$*"; }
fail() { echo "cluster-smoke: FAILED: $*" >&2; exit 1; }

# Stops what we started: drivers, workers (and the executors they launched), master; TERM first,
# KILL after 15 s. Runs on every exit (INT and TERM exit through it too).
cleanup() {
  local rc=$? pid children=() all=() deadline
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || continue
    all+=("$pid")
    while read -r child; do [[ -n "$child" ]] && children+=("$child"); done < <(pgrep -P "$pid" || true)
  done
  all+=("${children[@]}")
  if ((${#all[@]})); then
    kill -TERM "${all[@]}" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    for pid in "${all[@]}"; do
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
  fi
  ((rc == 0)) || echo "cluster-smoke: logs are in $WORK" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_until DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.2 s, fails after SECONDS.
wait_until() {
  local what=$1 limit=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null; do
    ((SECONDS < deadline)) || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

alive() { kill -0 "$1" 2>/dev/null; }
# A batch is committed when its manifest _commits/<batch>.json is renamed into place, after its part files: a
# trials part without one is a commit under way (or an interrupted one, which --resume runs again).
committed_batches() { find "$1/_commits" -maxdepth 1 -name '*.json' ! -name '_*' ! -name '.*' 2>/dev/null | wc -l; }
# has_commits DIR N DRIVER_PID: DIR has N committed batches; fails at once if the driver exited.
has_commits() {
  alive "$3" || fail "the driver exited before $2 batch(es) of $1 were committed (see $1.log)"
  (($(committed_batches "$1") >= $2))
}

# --- build and lay out SPARK_HOME -----------------------------------------------------------------
"$ROOT/scripts/overparam" --version >/dev/null   # builds the jar and classpath.txt when stale
command -v java >/dev/null || fail "java (17 or newer) is needed"
rm -rf "$SPARK_HOME" "$WORK"
mkdir -p "$WORK"
{ grep -v '^instruments:' "$ROOT/conf/sweeps/quickstart-grid.yaml"; echo 'instruments: {kernels: true}'; } >"$CONFIG"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" "$SPARK_LOCAL_DIRS"
# Spark and its dependencies, as in a Spark distribution: not our jars nor what ours relocates.
# (|| [[ -n ... ]]: classpath.txt ends without a newline; its last jar counts too.)
tr ':' '\n' < "$ROOT/sweep-driver/target/classpath.txt" | while read -r jar || [[ -n "$jar" ]]; do
  case "$jar" in
    "$ROOT"/* | */info/picocli/* | */org/yaml/snakeyaml/* | "") ;;
    *) ln -s "$jar" "$SPARK_HOME/jars/" ;;
  esac
done
[[ -n "$(find "$SPARK_HOME/jars" -name 'spark-core_*.jar')" ]] || fail "no spark-core in the classpath"
# Daemons and executors log at INFO to their own files (the port discovery reads them).
cat > "$SPARK_HOME/conf/log4j2.properties" <<'EOF'
rootLogger.level = info
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
EOF

# --- the cluster ----------------------------------------------------------------------------------
daemon() { # NAME CLASS ARGS...: starts a Spark daemon in the background; its pid is last in PIDS
  local name=$1 class=$2
  shift 2
  java "${JVM_OPTS[@]}" -Xmx256m -cp "$SPARK_CP" "$class" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
log "starting a master and two workers on 127.0.0.1"
daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
MASTER_PID=${PIDS[-1]}
master_url() { grep -o 'Starting Spark master at spark://127\.0\.0\.1:[0-9]*' "$WORK/master.log" | grep -o 'spark://.*'; }
wait_until "the master to start (master.log)" "$START_LIMIT" master_url
MASTER=$(master_url)
WORKER_PIDS=()
for i in 1 2; do
  daemon "worker$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores 1 --memory 1536m --work-dir "$WORK/worker$i" "$MASTER"
  WORKER_PIDS+=("${PIDS[-1]}")
done
workers_registered() { alive "$MASTER_PID" && (($(grep -c 'Registering worker 127\.0\.0\.1:' "$WORK/master.log") >= 2)); }
wait_until "two workers to register (worker*.log)" "$START_LIMIT" workers_registered
log "cluster up: $MASTER (master pid $MASTER_PID, worker pids ${WORKER_PIDS[*]})"

# submit_bg LOG OUT MASTER ARGS...: submits the quickstart with SparkSubmit (client deploy mode, so
# this JVM is the driver) in the background, writing to $WORK/OUT, logging to $WORK/LOG.log; its pid
# is last in PIDS. The driver waits for both executors before it schedules a task.
submit_bg() {
  local name=$1 out=$2 master=$3
  shift 3
  java "${JVM_OPTS[@]}" -Xmx1g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -Doverparam.log="$WORK/$name.spark.log" -cp "$SPARK_CP" \
    org.apache.spark.deploy.SparkSubmit --master "$master" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --conf spark.executor.memory=1g \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
    "${EXTRA_CONF[@]}" \
    --class org.overparam.cli.OverparamCli "$JAR" \
    run "$CONFIG" --out "$WORK/$out" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
# submit NAME MASTER ARGS...: the same in the foreground into $WORK/NAME; fails unless it exits
# with 0 having run every trial.
submit() {
  local rc=0
  submit_bg "$1" "$@"
  wait "${PIDS[-1]}" || rc=$?
  ((rc == 0)) || { tail -n 20 "$WORK/$1.log" >&2; fail "$1 exited with $rc (see $WORK/$1.log)"; }
  grep -q "ran $TRIALS trials (0 already done)" "$WORK/$1.log" || fail "$1 did not run all $TRIALS trials"
}

# --- 1. the same sweep on local[1], local[4] and the cluster ------------------------------------
log "quickstart on local[1], local[4] and the two-worker cluster"
submit local1 'local[1]'
submit local4 'local[4]'
submit cluster "$MASTER"
for i in 1 2; do
  grep -q 'Finished task' "$WORK"/worker$i/app-*/*/stderr || fail "no task of the cluster run ran on worker $i"
done

# --- 2. an executor JVM killed mid-sweep -----------------------------------------------------------
log "fault: kill -9 an executor JVM mid-sweep (batches of $BATCH)"
submit_bg executor-killed executor-killed "$MASTER" --batch-size "$BATCH"
DRIVER=${PIDS[-1]}
executor_of_worker1() { pgrep -P "${WORKER_PIDS[0]}" -f CoarseGrainedExecutorBackend | head -n 1 || true; }
wait_until "a first committed batch with an executor on worker 1" "$START_LIMIT" \
  eval 'has_commits "$WORK/executor-killed" 1 "$DRIVER" && [[ -n "$(executor_of_worker1)" ]]'
EXECUTOR=$(executor_of_worker1)
kill -9 "$EXECUTOR"
AT_KILL=$(committed_batches "$WORK/executor-killed")
log "killed executor pid $EXECUTOR after $AT_KILL of $((TRIALS / BATCH)) batches"
((AT_KILL < TRIALS / BATCH)) || fail "the sweep had finished before the executor was killed"
rc=0
wait "$DRIVER" || rc=$?
((rc == 0)) || fail "the sweep did not survive a lost executor: exit $rc (see $WORK/executor-killed.log)"
grep -q "Lost executor .*code 137" "$WORK/executor-killed.log" || fail "the driver did not see its executor die"
log "the driver lost the executor and $(grep -c 'Lost task' "$WORK/executor-killed.spark.log") running task(s), and finished"
grep -q "ran $TRIALS trials (0 already done)" "$WORK/executor-killed.log" || fail "executor-killed did not finish"

# --- 3. the driver killed mid-sweep, then --resume ------------------------------------------------
log "fault: kill -9 the driver mid-sweep, then run --resume"
submit_bg driver-killed driver-killed "$MASTER" --batch-size "$BATCH"
DRIVER=${PIDS[-1]}
wait_until "a first committed batch of driver-killed" "$START_LIMIT" has_commits "$WORK/driver-killed" 1 "$DRIVER"
kill -9 "$DRIVER"
rc=0
wait "$DRIVER" 2>/dev/null || rc=$?
((rc == 137)) || fail "the driver was not killed mid-sweep (exit $rc)"
AT_KILL=$(committed_batches "$WORK/driver-killed")
DONE=$((AT_KILL * BATCH))
log "killed the driver after $AT_KILL of $((TRIALS / BATCH)) batches ($DONE trials committed)"
((DONE > 0 && DONE < TRIALS)) || fail "the driver was not killed mid-sweep ($DONE trials committed)"
# What a reader sees of the interrupted output (only the driver writes into trials/ and curves/).
mkdir -p "$WORK/at-driver-kill"
cp -r "$WORK/driver-killed/trials" "$WORK/driver-killed/curves" "$WORK/driver-killed/_commits" "$WORK/at-driver-kill/"
rc=0
submit_bg driver-resumed driver-killed "$MASTER" --batch-size "$BATCH" --resume
wait "${PIDS[-1]}" || rc=$?
((rc == 0)) || fail "run --resume exited with $rc (see $WORK/driver-resumed.log)"
grep -q "resuming: $DONE of $TRIALS trials already done, $((TRIALS - DONE)) to run" "$WORK/driver-resumed.log" \
  || fail "--resume did not skip exactly the $DONE committed trials (see $WORK/driver-resumed.log)"
grep -q "ran $((TRIALS - DONE)) trials ($DONE already done)" "$WORK/driver-resumed.log" \
  || fail "--resume did not run exactly the $((TRIALS - DONE)) missing trials"
grep -q "taking over the stale lock of .*no longer running" "$WORK/driver-resumed.log" \
  || fail "--resume did not say it took over the killed driver's lock (see $WORK/driver-resumed.log)"

# --- 5. a second driver on a live folder; speculation on --------------------------------------------
log "one writer per folder: a second driver on a live folder, the first with speculation on"
EXTRA_CONF=(--conf spark.speculation=true --conf spark.speculation.interval=100ms --conf spark.speculation.multiplier=1.2
  --conf spark.speculation.quantile=0.5 --conf spark.speculation.minTaskRuntime=200ms)
submit_bg speculative speculative "$MASTER" --batch-size "$BATCH"
EXTRA_CONF=()
DRIVER=${PIDS[-1]}
wait_until "a first committed batch of speculative" "$START_LIMIT" has_commits "$WORK/speculative" 1 "$DRIVER"
rc=0
submit_bg second-driver speculative "$MASTER" --batch-size "$BATCH" --resume
wait "${PIDS[-1]}" || rc=$?
((rc == 2)) || fail "a second driver on a live folder exited with $rc, expected 2 (see $WORK/second-driver.log)"
grep -q "is being written by another driver (host .*, pid [0-9]*, since " "$WORK/second-driver.log" \
  || fail "the refusal does not name the owner (see $WORK/second-driver.log)"
log "$(grep -o 'is being written by another driver.*' "$WORK/second-driver.log" | head -n 1)"
rc=0
wait "$DRIVER" || rc=$?
((rc == 0)) || fail "the speculative sweep exited with $rc (see $WORK/speculative.log)"
grep -q "ran $TRIALS trials (0 already done)" "$WORK/speculative.log" || fail "speculative did not run all $TRIALS trials"

# --- 4. GPU scheduling: Spark's gpu resource reaches the tasks ------------------------------------
# A third worker declares two GPUs through a stand-in for conf/get-gpus.sh (this machine has none);
# `overparam gpus`, submitted with 2 GPUs per executor and 0.5 GPU per task (conf/spark-gpu.conf's
# settings, scaled down), shows what each task was assigned and what TaskDevices made of it: the
# assigned address, refused here because the executor has no usable CUDA device.
log "GPU scheduling: a worker with two (stand-in) GPUs, overparam gpus at 0.5 GPU per task"
printf '%s\n' '#!/usr/bin/env bash' \
  '# A stand-in for conf/get-gpus.sh on a machine without GPUs: two addresses, as nvidia-smi indexes them.' \
  "echo '{\"name\": \"gpu\", \"addresses\": [\"0\",\"1\"]}'" > "$WORK/stand-in-gpus.sh"
chmod +x "$WORK/stand-in-gpus.sh"
java "${JVM_OPTS[@]}" -Xmx256m -Dspark.worker.resource.gpu.amount=2 \
  -Dspark.worker.resource.gpu.discoveryScript="$WORK/stand-in-gpus.sh" -cp "$SPARK_CP" \
  org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
  --cores 4 --memory 1536m --work-dir "$WORK/worker3" "$MASTER" >"$WORK/worker3.log" 2>&1 &
PIDS+=($!)
three_workers() { alive "$MASTER_PID" && (($(grep -c 'Registering worker 127\.0\.0\.1:' "$WORK/master.log") >= 3)); }
wait_until "the GPU worker to register (worker3.log)" "$START_LIMIT" three_workers
rc=0
java "${JVM_OPTS[@]}" -Xmx1g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$SPARK_CP" \
  org.apache.spark.deploy.SparkSubmit --master "$MASTER" --deploy-mode client \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.ui.enabled=false --conf spark.executor.memory=1g --conf spark.executor.cores=4 \
  --conf spark.executor.resource.gpu.amount=2 --conf spark.executor.resource.gpu.discoveryScript="$WORK/stand-in-gpus.sh" \
  --conf spark.task.resource.gpu.amount=0.5 --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
  --class org.overparam.cli.OverparamCli "$JAR" gpus >"$WORK/gpus.log" 2>&1 || rc=$?
((rc == 1)) || { tail -n 20 "$WORK/gpus.log" >&2; fail "overparam gpus exited with $rc, expected 1 (no usable GPU here; see $WORK/gpus.log)"; }
# Four task slots (2 GPUs / 0.5): each task was assigned one address, both addresses were used, and
# TaskDevices read the assignment (its refusal names the address).
TASK_LINES=$(grep -cE '^[0-9]+ +[0-9]+ ' "$WORK/gpus.log" || true)
((TASK_LINES == 4)) || fail "overparam gpus reported $TASK_LINES tasks, expected 4 (see $WORK/gpus.log)"
for a in 0 1; do
  grep -qE "^[0-9]+ +[0-9]+ +[^ ]+ +$a +error: Spark assigned GPU $a, but this executor's usable CUDA devices are \[\]" "$WORK/gpus.log" \
    || fail "no task was assigned GPU $a and bound to it (see $WORK/gpus.log)"
done
grep -E '^[0-9]+ +[0-9]+ ' "$WORK/gpus.log" | awk '$4 != "0" && $4 != "1" { bad = 1 } END { exit bad }' \
  || fail "a task was assigned something other than one of the two GPUs (see $WORK/gpus.log)"
grep -q "GPU addresses Spark assigned" "$WORK/gpus.log" || fail "overparam gpus printed no assignment summary"
log "$(grep 'GPU addresses Spark assigned' "$WORK/gpus.log")"

# --- the checks on the tables ---------------------------------------------------------------------
log "comparing the tables (scripts/CheckTables.java)"
java "${JVM_OPTS[@]}" -Xmx1g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$SPARK_HOME/jars/*" \
  "$ROOT/scripts/CheckTables.java" --trials "$TRIALS" --reference "$WORK/local1" \
  --same "$WORK/local4" --same "$WORK/cluster" --same "$WORK/executor-killed" --same "$WORK/driver-killed" \
  --same "$WORK/speculative" \
  --partial "$WORK/at-driver-kill" 2> >(grep -v -e '^WARNING: Using incubator' -e 'incubating module' -e '^1 warning' >&2)
log "ok"
