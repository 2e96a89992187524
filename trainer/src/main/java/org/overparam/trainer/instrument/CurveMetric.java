package org.overparam.trainer.instrument;

/**
 * Instrument values stored beside the loss in the {@code curves} table, at the instrumented steps
 * (null elsewhere). Meanings in {@code docs/tables.md}.
 */
public enum CurveMetric {
    /** {@code λmin(Λ(s))}: needs {@code instruments.kernels}. */
    LAMBDA_MIN_LAMBDA,
    /** Fraction of activation indicators {@code 1_ik} flipped since init. */
    ACT_FLIP_FRAC,
    /** {@code max_k ‖w_k(s) − w_k(0)‖} of the effective weights. */
    MAX_MOVE_W;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
