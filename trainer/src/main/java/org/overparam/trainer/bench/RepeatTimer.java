package org.overparam.trainer.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A careful wall-clock harness for operations of a millisecond to a few seconds: warm up until the
 * median of successive rounds settles, then time at least {@code minRepeats} runs (and at least
 * {@code minSeconds}), and report the median with its spread. {@code scripts/bench_cpu.py} times
 * numpy and PyTorch with the same rules, so the medians compare like for like.
 */
public final class RepeatTimer {
    /** Runs per warm-up round. */
    static final int ROUND = 5;
    /** Warm-up ends when a round's median is within this fraction of the previous round's. */
    static final double SETTLED = 0.03;

    private final int minRepeats;
    private final double minSeconds;
    private final double maxWarmupSeconds;

    /**
     * @param minRepeats       timed runs at least (≥ 1)
     * @param minSeconds       timed wall time at least; more runs are added until reached
     * @param maxWarmupSeconds warm-up stops here even if the medians have not settled
     */
    public RepeatTimer(int minRepeats, double minSeconds, double maxWarmupSeconds) {
        if (minRepeats < 1) {
            throw new IllegalArgumentException("minRepeats must be >= 1, got " + minRepeats);
        }
        this.minRepeats = minRepeats;
        this.minSeconds = minSeconds;
        this.maxWarmupSeconds = maxWarmupSeconds;
    }

    /** The summary of one measurement, in milliseconds, with every timed run ({@code samplesMs}, in order). */
    public record Timing(double medianMs, double minMs, double p25Ms, double p75Ms, double maxMs,
                         int repeats, int warmups, boolean settled, double[] samplesMs) {
        /** {@code median_ms=… min_ms=… p25_ms=… p75_ms=… max_ms=… reps=… warmup=… samples_ms=a,b,…}. */
        public String describe() {
            StringBuilder samples = new StringBuilder();
            for (double t : samplesMs) {
                samples.append(samples.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", t));
            }
            return String.format(Locale.ROOT, "median_ms=%.3f min_ms=%.3f p25_ms=%.3f p75_ms=%.3f max_ms=%.3f reps=%d warmup=%d%s samples_ms=%s",
                    medianMs, minMs, p25Ms, p75Ms, maxMs, repeats, warmups, settled ? "" : " warmup_unsettled=1", samples);
        }
    }

    /** Times {@code op} (each call is one run). */
    public Timing measure(Runnable op) {
        long warmStart = System.nanoTime();
        int warmups = 0;
        double previous = Double.NaN;
        boolean settled = false;
        while (true) {
            double[] round = new double[ROUND];
            for (int r = 0; r < ROUND; r++) {
                round[r] = timeOnce(op);
            }
            warmups += ROUND;
            double median = quantile(round, 0.5);
            if (Math.abs(median - previous) <= SETTLED * median) {
                settled = true;
                break;
            }
            previous = median;
            if ((System.nanoTime() - warmStart) * 1e-9 > maxWarmupSeconds) {
                break;
            }
        }
        List<Double> runs = new ArrayList<>();
        long start = System.nanoTime();
        while (runs.size() < minRepeats || (System.nanoTime() - start) * 1e-9 < minSeconds) {
            runs.add(timeOnce(op));
        }
        double[] ms = runs.stream().mapToDouble(Double::doubleValue).toArray();
        return new Timing(quantile(ms, 0.5), quantile(ms, 0), quantile(ms, 0.25), quantile(ms, 0.75),
                quantile(ms, 1), ms.length, warmups, settled, ms);
    }

    private static double timeOnce(Runnable op) {
        long t0 = System.nanoTime();
        op.run();
        return (System.nanoTime() - t0) * 1e-6;
    }

    /** Linear-interpolated quantile {@code q ∈ [0, 1]} (numpy's default), of a copy. */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}
