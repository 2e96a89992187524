#!/usr/bin/env bash
# Packs what the GPU checks need into the git-ignored folder .device/, for a GPU machine that has the
# NVIDIA driver, python3 and PyTorch but no Java and no Maven (a lent machine gets the working tree and
# the folders it is told to carry, 64 MiB in all): a jlinked Java runtime, the trainer jar (with the
# fatbin), the trainer's test classes and dependencies, JUnit's console launcher and the kernels' PTX.
# Then, there, from the repository root: bash scripts/device-check.sh (README "GPUs").
# Usage: scripts/device-bundle.sh     (needs Java 17 with jlink, Maven, nvcc; a few minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.device"
LIMIT_MB=56                     # the working tree travels too
JUNIT_PLATFORM=1.11.4           # the platform of the project's junit-jupiter 5.11.4
fail() { echo "device-bundle.sh: $*" >&2; exit 1; }
command -v jlink >/dev/null || fail "jlink not found (a full JDK 17 is needed)"
command -v mvn >/dev/null || fail "mvn not found"
cd "$ROOT"
echo "== building the trainer with its kernels and tests"
mvn -B -ntp -q -pl trainer install -DskipTests
mvn -B -ntp -q -pl trainer test-compile
[[ -f trainer/target/classes/cuda/overparam.fatbin ]] || fail "the build has no CUDA kernels (nvcc missing?): $(cat trainer/target/cuda/SKIPPED 2>/dev/null)"
rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/cuda"
mvn -B -ntp -q -pl trainer dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$OUT/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
mvn -B -ntp -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_PLATFORM" \
  -DoutputDirectory="$OUT/lib"
# Only the driver API's JNI library of JCuda's natives (the others need CUDA 12 and are never loaded).
NATIVES="$(ls "$OUT"/lib/jcuda-natives-*-linux-x86_64.jar)"
(mkdir -p "$OUT/natives" && cd "$OUT/natives" && unzip -q "$NATIVES" 'lib/libJCudaDriver-*' 'META-INF/*' \
  && rm "$NATIVES" && jar cf "$NATIVES" .)
rm -rf "$OUT/natives"
# Not the bundled OpenBLAS (16 MB even trimmed: the bundle would pass the 64 MiB a device call carries): the
# GPU machine's CPU side (references, instruments' spectra) runs the trainer's pure-Java fallback there.
rm -f "$OUT"/lib/openblas-*.jar "$OUT"/lib/javacpp-*.jar
cp trainer/target/overparam-trainer-*.jar "$OUT/lib/"
(cd trainer/target/test-classes && jar cf "$OUT/lib/overparam-trainer-tests.jar" .)
cp trainer/target/cuda/overparam.ptx "$OUT/cuda/"
MODULES="$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$OUT"/lib/*.jar 2>/dev/null || true)"
MODULES="${MODULES:+$MODULES,}java.logging,java.management,java.naming,jdk.unsupported,jdk.incubator.vector,java.security.jgss,jdk.zipfs"
echo "== jlink: $MODULES"
jlink --add-modules "$MODULES" --strip-debug --strip-native-debug-symbols=exclude-debuginfo-files --no-man-pages --no-header-files --compress=2 --output "$OUT/jre"
"$OUT/jre/bin/java" -version 2>&1 | head -1
# What the bundle was built from, so that device-check.sh refuses a bundle older than the sources beside it.
{
  echo "commit $(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (uncommitted changes)')"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n)"
  echo "glibc $(ldd --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+$') here; the runtime needs $(objdump -T "$OUT"/jre/lib/server/libjvm.so "$OUT"/jre/bin/java 2>/dev/null \
    | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sort -t. -k2 -n -u | tail -1 || echo 'GLIBC_?')"
  echo "sources $(bash "$ROOT/scripts/device-check.sh" --source-hash)"
} > "$OUT/BUILD-INFO.txt"
cat "$OUT/BUILD-INFO.txt"
SIZE_MB=$(du -sm "$OUT" | cut -f1)
echo "== .device: ${SIZE_MB} MiB (jre $(du -sm "$OUT/jre" | cut -f1), lib $(du -sm "$OUT/lib" | cut -f1), cuda $(du -sm "$OUT/cuda" | cut -f1))"
((SIZE_MB <= LIMIT_MB)) || fail ".device is ${SIZE_MB} MiB, over ${LIMIT_MB} MiB: it will not travel with the working tree"
echo "ok: carry .device and run: bash scripts/device-check.sh [--quick]"
