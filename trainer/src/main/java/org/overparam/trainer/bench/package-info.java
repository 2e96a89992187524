/**
 * CPU benchmarks of the trainer: one {@code wn} GD step against numpy and PyTorch
 * ({@link org.overparam.trainer.bench.WnStepBenchmark}, with the careful harness
 * {@link org.overparam.trainer.bench.RepeatTimer}), one {@code smooth} GD step against PyTorch and against the
 * trainer before its fast gelu ({@link org.overparam.trainer.bench.SmoothStepBenchmark}), and the hook for
 * timing the kernel instruments
 * ({@link org.overparam.trainer.bench.InstrumentBenchmark}). Run by {@code scripts/bench-cpu.sh};
 * results in {@code docs/benchmarks.md}.
 */
package org.overparam.trainer.bench;
