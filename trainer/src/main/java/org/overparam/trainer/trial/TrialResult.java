package org.overparam.trainer.trial;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;

/**
 * One trial's measurements: one row of the {@code trials} table plus its stored loss curve
 * ({@code curveLosses[j]} is the loss after {@code curveSteps[j]} updates). Double fields are NaN
 * where a value is undefined (e.g. the rate of a failed trial). {@code metrics} holds the instruments
 * measured (absent keys were not); {@code curveMetrics} their values at {@code curveSteps} (NaN where
 * not instrumented).
 */
public record TrialResult(String trialId, TrialSpec spec, Outcome status, String message, int steps,
                          double loss0, double lossFinal, double rate, double rateR2, long wallMs,
                          String backend, String blas, int[] curveSteps, double[] curveLosses,
                          Map<TrialMetric, Double> metrics, Map<CurveMetric, double[]> curveMetrics)
        implements Serializable {
    private static final long serialVersionUID = 2L;

    public TrialResult {
        metrics = metrics.isEmpty() ? new EnumMap<>(TrialMetric.class) : new EnumMap<>(metrics);
        curveMetrics = curveMetrics.isEmpty() ? new EnumMap<>(CurveMetric.class) : new EnumMap<>(curveMetrics);
    }

    /** A result without instruments. */
    public TrialResult(String trialId, TrialSpec spec, Outcome status, String message, int steps, double loss0,
                       double lossFinal, double rate, double rateR2, long wallMs, String backend, String blas,
                       int[] curveSteps, double[] curveLosses) {
        this(trialId, spec, status, message, steps, loss0, lossFinal, rate, rateR2, wallMs, backend, blas,
                curveSteps, curveLosses, Map.of(), Map.of());
    }

    /** The value of a per-trial metric, NaN when it was not measured. */
    public double metric(TrialMetric metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }
}
