#!/usr/bin/env bash
# Runs one test class RUNS times, each in a fresh JVM (a fresh surefire fork), to hunt an intermittent
# failure; stops at the first failing run and keeps its reports (with a thread dump, jstack, of a run that
# is still going after LIMIT seconds). Found with it: OutputLockTest's concurrent acquire, whose loser read
# the lock file between its exclusive create and its write ("owner unknown"), once in a CI run.
# Usage: scripts/hunt-test.sh MODULE TEST_CLASS [RUNS] [LIMIT_SECONDS]
#   e.g. scripts/hunt-test.sh sweep-driver OutputLockTest 30
# Output: target/hunt-test/<class>/run-N/ (surefire reports and log of every run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="${1:?usage: scripts/hunt-test.sh MODULE TEST_CLASS [RUNS] [LIMIT_SECONDS]}"
CLASS="${2:?usage: scripts/hunt-test.sh MODULE TEST_CLASS [RUNS] [LIMIT_SECONDS]}"
RUNS="${3:-30}"
LIMIT="${4:-300}"
WORK="$ROOT/target/hunt-test/$CLASS"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$ROOT"
echo "hunt-test: compiling $MODULE and what it needs"
mvn -B -q -ntp -pl "$MODULE" -am -DskipTests test-compile >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
for i in $(seq 1 "$RUNS"); do
  out="$WORK/run-$i"
  mkdir -p "$out"
  start=$(date +%s)
  mvn -B -q -ntp -o -pl "$MODULE" -am -Dtest="$CLASS" -Dsurefire.failIfNoSpecifiedTests=false test >"$out/log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s) - start > LIMIT )); then
      for fork in $(pgrep -f surefirebooter || true); do jstack "$fork" >"$out/jstack-$fork.txt" 2>&1 || true; done
      pkill -9 -P "$pid" 2>/dev/null || true
      kill -9 "$pid" 2>/dev/null || true
      echo "hunt-test: run $i still going after ${LIMIT}s; thread dumps in $out"
      exit 1
    fi
    sleep 1
  done
  status=0
  wait "$pid" || status=$?
  cp "$MODULE"/target/surefire-reports/*"$CLASS"* "$out"/ 2>/dev/null || true
  if (( status != 0 )); then
    echo "hunt-test: run $i of $RUNS FAILED after $(( $(date +%s) - start )) s; reports in $out"
    grep -h -A 3 "<<< FAIL" "$out"/*.txt | head -40 || tail -40 "$out/log"
    exit 1
  fi
  echo "hunt-test: run $i of $RUNS passed in $(( $(date +%s) - start )) s"
done
echo "hunt-test: $RUNS fresh runs of $CLASS passed"
