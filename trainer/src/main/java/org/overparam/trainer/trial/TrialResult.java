package org.overparam.trainer.trial;

import java.io.Serializable;
import org.overparam.trainer.gd.Outcome;

/**
 * One trial's measurements: one row of the {@code trials} table plus its stored loss curve
 * ({@code curveLosses[j]} is the loss after {@code curveSteps[j]} updates). Double fields are NaN
 * where a value is undefined (e.g. the rate of a failed trial).
 */
public record TrialResult(String trialId, TrialSpec spec, Outcome status, String message, int steps,
                          double loss0, double lossFinal, double rate, double rateR2, long wallMs,
                          String backend, String blas, int[] curveSteps, double[] curveLosses)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
