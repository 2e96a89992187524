package org.overparam.trainer.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tolerance ladder of a run (theory.md §8): for each level {@code τ} of {@code 1e−1, 1e−2, …} down to
 * the configured tolerance (and the tolerance itself when it is not a decade), the first step whose loss is
 * {@code ≤ τ·loss0}. A converged trial's hitting step at a level is its outcome at every smaller budget: it
 * converged by a budget {@code T} at level {@code τ} iff its hitting step is {@code ≤ T}, so one run gives the
 * verdicts of all budgets up to its own.
 *
 * @param tolerances the levels {@code τ}, descending
 * @param steps      the first step reaching each level, {@code −1} where the run never did (a null in the table)
 */
public record HittingTimes(double[] tolerances, int[] steps) {
    /** Not reached. */
    public static final int NEVER = -1;

    /** The ladder for {@code tolerance}: the decades {@code 1e−k > tolerance}, then {@code tolerance}. */
    public static double[] ladder(double tolerance) {
        List<Double> out = new ArrayList<>();
        for (int k = 1; k <= 320; k++) {
            // The decimal literal, so that a config's 1.0e-4 and the ladder's 1e-4 are the same double.
            double decade = Double.parseDouble("1e-" + k);
            if (!(decade > tolerance)) {
                break;
            }
            out.add(decade);
        }
        out.add(tolerance);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The hitting steps of {@code losses} ({@code losses[s]} after {@code s} updates; NaN where not evaluated,
     * as an SGD record has it, and such steps are skipped). The first hit of a lower level is never before
     * that of a higher one, so one pass finds them all.
     */
    public static HittingTimes of(double[] losses, double tolerance) {
        double[] levels = ladder(tolerance);
        int[] steps = new int[levels.length];
        Arrays.fill(steps, NEVER);
        if (losses.length == 0 || !(losses[0] >= 0) || !Double.isFinite(losses[0])) {
            return new HittingTimes(levels, steps);
        }
        double loss0 = losses[0];
        int k = 0;
        for (int s = 0; s < losses.length && k < levels.length; s++) {
            double l = losses[s];
            while (k < levels.length && l <= levels[k] * loss0) {
                steps[k++] = s;
            }
        }
        return new HittingTimes(levels, steps);
    }
}
