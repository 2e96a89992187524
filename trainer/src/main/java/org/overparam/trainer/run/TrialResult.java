package org.overparam.trainer.run;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.trial.TrialSpec;

/**
 * One trial's measurements: one row of the {@code trials} table plus its stored loss curve
 * ({@code curveLosses[j]} is the loss after {@code curveSteps[j]} updates). Double fields are NaN
 * where a value is undefined (e.g. the rate of a failed trial). {@code metrics} holds the instruments
 * measured (absent keys were not); {@code curveMetrics} their values at {@code curveSteps} (NaN where
 * not instrumented). {@code backend}, {@code device} and {@code precision} say where and how it was
 * trained ({@code cpu}, {@code cpu}, {@code float64} for the CPU trainer); {@code dynamics} what its dynamics
 * say ({@link Dynamics}: hitting times, PL ratio, log-slope, unfitted counts).
 */
public record TrialResult(String trialId, TrialSpec spec, Outcome status, String message, int steps,
                          double loss0, double lossFinal, double rate, double rateR2, long wallMs,
                          String backend, String blas, int[] curveSteps, double[] curveLosses,
                          Map<TrialMetric, Double> metrics, Map<CurveMetric, double[]> curveMetrics,
                          String device, String precision, Dynamics dynamics)
        implements Serializable {
    private static final long serialVersionUID = 4L;
    /** The {@code device} of rows trained by the CPU trainer. */
    public static final String CPU_DEVICE = "cpu";
    /** The {@code precision} of rows trained in double. */
    public static final String FLOAT64 = "float64";

    public TrialResult {
        metrics = metrics.isEmpty() ? new EnumMap<>(TrialMetric.class) : new EnumMap<>(metrics);
        curveMetrics = curveMetrics.isEmpty() ? new EnumMap<>(CurveMetric.class) : new EnumMap<>(curveMetrics);
        java.util.Objects.requireNonNull(dynamics, "dynamics");
    }

    /** A result without dynamics ({@link Dynamics#NONE}). */
    public TrialResult(String trialId, TrialSpec spec, Outcome status, String message, int steps, double loss0,
                       double lossFinal, double rate, double rateR2, long wallMs, String backend, String blas,
                       int[] curveSteps, double[] curveLosses, Map<TrialMetric, Double> metrics,
                       Map<CurveMetric, double[]> curveMetrics, String device, String precision) {
        this(trialId, spec, status, message, steps, loss0, lossFinal, rate, rateR2, wallMs, backend, blas, curveSteps,
                curveLosses, metrics, curveMetrics, device, precision, Dynamics.NONE);
    }

    /** A result of the CPU trainer (device {@code cpu}, precision {@code float64}). */
    public TrialResult(String trialId, TrialSpec spec, Outcome status, String message, int steps, double loss0,
                       double lossFinal, double rate, double rateR2, long wallMs, String backend, String blas,
                       int[] curveSteps, double[] curveLosses, Map<TrialMetric, Double> metrics,
                       Map<CurveMetric, double[]> curveMetrics) {
        this(trialId, spec, status, message, steps, loss0, lossFinal, rate, rateR2, wallMs, backend, blas,
                curveSteps, curveLosses, metrics, curveMetrics, CPU_DEVICE, FLOAT64);
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
