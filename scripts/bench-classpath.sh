# Sourced by the benchmark scripts: sets CP to the sweep driver's jar and its dependencies, building them first
# (mvn package -DskipTests) when missing or older than a pom or a main source — the staleness rule of scripts/overparam.
# Usage: ROOT=… ; source "$ROOT/scripts/bench-classpath.sh"; bench_classpath NAME   (NAME prefixes the build message)
bench_classpath() {
  local target="$ROOT/sweep-driver/target"
  local jar="$target/overparam-sweep-driver-0.1.0-SNAPSHOT.jar"
  local classpath_file="$target/classpath.txt"
  if [[ ! -f "$jar" || ! -f "$classpath_file" || -n "$(find "$ROOT/pom.xml" "$ROOT/trainer/pom.xml" "$ROOT/sweep-driver/pom.xml" \
        "$ROOT/trainer/src/main" "$ROOT/sweep-driver/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    echo "$1: building (mvn package -DskipTests)..." >&2
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package >&2)
  fi
  CP="$jar:$(cat "$classpath_file")"
}
