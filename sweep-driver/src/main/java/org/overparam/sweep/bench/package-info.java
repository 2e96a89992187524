/**
 * Benchmarks of the sweep driver: what Spark adds on top of training the same trials in a plain
 * loop ({@link org.overparam.sweep.bench.SparkOverheadBenchmark}); run by {@code scripts/bench-cpu.sh},
 * results in {@code docs/benchmarks.md}.
 */
package org.overparam.sweep.bench;
