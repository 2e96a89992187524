package org.overparam.trainer.models;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.overparam.trainer.instrument.CurveMetric;

/** Curve-metric values recorded at observed steps, read back at the stored curve's steps (NaN where unobserved). */
final class TracedCurves {
    private final List<CurveMetric> metrics;
    private final Map<Integer, double[]> trace = new TreeMap<>();

    TracedCurves(List<CurveMetric> metrics) {
        this.metrics = metrics;
    }

    /** Records the values of the metrics, in their order, at {@code step}. */
    void put(int step, double... values) {
        trace.put(step, values);
    }

    Map<CurveMetric, double[]> at(int[] steps) {
        Map<CurveMetric, double[]> out = new EnumMap<>(CurveMetric.class);
        for (int k = 0; k < metrics.size(); k++) {
            double[] column = new double[steps.length];
            for (int j = 0; j < steps.length; j++) {
                double[] t = trace.get(steps[j]);
                column[j] = t == null ? Double.NaN : t[k];
            }
            out.put(metrics.get(k), column);
        }
        return out;
    }
}
