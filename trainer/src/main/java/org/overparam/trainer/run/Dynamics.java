package org.overparam.trainer.run;

import java.io.Serializable;
import org.overparam.trainer.fit.HittingTimes;
import org.overparam.trainer.fit.LogSlope;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.TrainingRun;

/**
 * What a trial's dynamics say beyond its status (theory.md §8), the {@code trials} columns of issue 26:
 * the tolerance ladder's hitting steps ({@link HittingTimes}), the PL ratio {@code ‖∇L‖²/(2L)} at the final
 * parameters, the log-slope of the loss over the last half of the run ({@link LogSlope}), the steps that slope
 * would still need to the tolerance, and the {@code unfitted} count at the end and at the curve's steps.
 *
 * @param hitTolerances  the ladder's levels τ, descending ({@code hit_tolerance})
 * @param hitSteps       the first step with {@code loss ≤ τ·loss0} per level, −1 where never ({@code hit_step})
 * @param plRatio        {@code ‖∇L‖²/(2L)} at the end; NaN where undefined
 * @param logSlope       least-squares slope of {@code ln L} per step over steps {@code ⌊s/2⌋..s}; NaN where undefined
 * @param projectedSteps {@code ln(τ L_0/L_s)/logSlope} (at least 0): NaN when the slope is not negative or
 *                       undefined, or the trial converged
 * @param unfitted       the unfitted count at the end, −1 where undefined
 * @param curveUnfitted  the unfitted count at each curve step (−1 where not measured), or null for none
 */
public record Dynamics(double[] hitTolerances, int[] hitSteps, double plRatio, double logSlope, double projectedSteps,
                       int unfitted, int[] curveUnfitted) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Nothing measured (a failed trial). */
    public static final Dynamics NONE = new Dynamics(new double[0], new int[0], Double.NaN, Double.NaN, Double.NaN, -1, null);

    /** The dynamics of {@code run} at {@code tolerance}, with the PL ratio and unfitted counts measured on the net. */
    public static Dynamics of(TrainingRun run, double tolerance, double plRatio, int unfitted, int[] curveUnfitted) {
        HittingTimes hits = HittingTimes.of(run.losses(), tolerance);
        double slope = LogSlope.lastHalf(run.losses(), run.steps());
        double projected = Double.NaN;
        if (run.outcome() != Outcome.CONVERGED) {
            double p = LogSlope.stepsTo(run.finalLoss(), tolerance * run.initialLoss(), slope);
            projected = p < Double.POSITIVE_INFINITY ? Math.max(0.0, p) : Double.NaN;
        }
        return new Dynamics(hits.tolerances(), hits.steps(), plRatio, slope, projected, unfitted, curveUnfitted);
    }
}
