package org.overparam.trainer.models;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/** The {@code unfitted} count recorded at observed steps, read back at the stored curve's steps (−1 where unobserved). */
final class UnfittedTrace {
    private final TreeMap<Integer, Integer> counts = new TreeMap<>();
    private double loss0 = Double.NaN;

    /**
     * Records the count at {@code step} ({@code loss} the loss there; step 0 fixes {@code loss0}, which the count
     * function receives).
     */
    void record(int step, double loss, ToIntFunction<Double> count) {
        if (step == 0) {
            loss0 = loss;
        }
        counts.put(step, count.applyAsInt(loss0));
    }

    /** The initial loss recorded at step 0 (NaN before). */
    double loss0() {
        return loss0;
    }

    int[] at(int[] steps) {
        int[] out = new int[steps.length];
        Arrays.fill(out, -1);
        for (int j = 0; j < steps.length; j++) {
            Integer c = counts.get(steps[j]);
            if (c != null) {
                out[j] = c;
            }
        }
        return out;
    }
}
