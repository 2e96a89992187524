package org.overparam.trainer.models;

import org.overparam.trainer.instrument.TrialMetric;

/**
 * A theorem's predicted per-step rate for a model's trials (theory.md §1–2, hidden constants 1), compared with
 * the fitted rate in the {@code rates} table, the summary and the report (kernels on: the prediction needs
 * the infinite-width kernels).
 *
 * @param key        the {@code prediction} value in the {@code rates} table ({@code thm4.1}, {@code du})
 * @param name       the theorem, as the summary names it
 * @param alpha      the init scales it is stated for
 * @param condition  its α and step-size conditions, in words
 * @param rate       the trials column with the predicted rate
 * @param width      the trials column with the width it asks for
 * @param stepLimit  the trials column bounding the step it is stated for
 * @param reciprocal whether the step bound is {@code 1/stepLimit} (a largest eigenvalue) rather than {@code stepLimit}
 */
public record RatePrediction(String key, String name, AlphaRange alpha, String condition, TrialMetric rate, TrialMetric width,
                             TrialMetric stepLimit, boolean reciprocal) {
    /** The step bound of a trial whose {@code stepLimit} column holds {@code value}. */
    public double stepBound(double value) {
        return reciprocal ? 1.0 / value : value;
    }
}
