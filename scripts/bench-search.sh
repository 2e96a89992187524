#!/usr/bin/env bash
# Search-efficiency benchmark (docs/benchmarks.md, issue 16): the trials bisect and the adaptive search need
# for the same precision of the width exponent p, at equal delta, with a simulated oracle (outcomes drawn from
# a known P(m, n); no network trained, no Spark). Trial counts, not times: the machine's load does not change
# them, and every study has a fixed seed, so two runs print the same figures.
#   scripts/bench-search.sh                  # 20 studies per line (about 2 minutes on 2 cores)
#   BENCH_STUDIES=6 scripts/bench-search.sh  # a quick look
# Exits 1 when adaptive needs more than 1/3 of bisect's trials on any line (the issue's target).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "bench-search: $*" >&2; }

# The jars (same staleness rule as scripts/overparam).
source "$ROOT/scripts/bench-classpath.sh"
bench_classpath bench-search
OUT="$(mktemp -t overparam-bench-search.XXXXXX)"
trap 'rm -f "$OUT"' EXIT
java -Xmx2g -cp "$CP" org.overparam.sweep.bench.SearchEfficiencyBenchmark --studies "${BENCH_STUDIES:-20}" | tee "$OUT"

worst=$(sed -n 's/.*search_ratio_max=\([^ ]*\).*search_ratio_same_err95_max=\([^ ]*\).*/\1 \2/p' "$OUT" \
  | awk '{print ($1 > $2 ? $1 : $2)}')
[[ -n "$worst" ]] || { say "no summary line"; exit 1; }
if awk -v w="$worst" 'BEGIN {exit !(w > 1/3)}'; then
  say "adaptive needs more than 1/3 of bisect's trials on some line (worst ratio $worst)"
  exit 1
fi
say "adaptive/bisect at most $worst of bisect's trials on every line (target 1/3)"
