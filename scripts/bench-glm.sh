#!/usr/bin/env bash
# MLlib's GLM against the custom fitter (docs/benchmarks.md, "MLlib's GLM against the custom fitter", issue 30):
# the wall time of both fits on one fit group of 10^3, 10^4 and 10^5 simulated trials, side by side in one run
# (median of the repeats after a warm-up), with both p and their 95 % intervals; then, given output folders of
# adaptive searches, the agreement of the two on their real fit groups and the time of both over each folder.
#   scripts/bench-glm.sh                          # sizes 1000,10000,100000, 3 repeats (a few minutes on 2 cores)
#   GLM_SIZES=1000,10000 scripts/bench-glm.sh     # a quick look
#   scripts/bench-glm.sh out/quickstart …         # agreement and times on real searches
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "bench-glm: $*" >&2; }

# The jars (same staleness rule as scripts/overparam).
source "$ROOT/scripts/bench-classpath.sh"
bench_classpath bench-glm
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
JAVA=(java @"$ROOT/conf/jvm-options" -Xmx4g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$CP")
if [[ $# -gt 0 ]]; then
  "${JAVA[@]}" org.overparam.sweep.bench.GlmBenchmark --agreement "$@"
else
  "${JAVA[@]}" org.overparam.sweep.bench.GlmBenchmark --sizes "${GLM_SIZES:-1000,10000,100000}" --repeats "${GLM_REPEATS:-3}"
fi
