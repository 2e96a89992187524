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
    MAX_MOVE_W,
    /** bn: fraction of training examples misclassified. */
    TRAIN_ERROR,
    /** grelu, deep-relu: {@code ‖g_t − g_{t−1}‖} between successive gradients (paper 002 Sec. 6.3). */
    GRAD_CHANGE,
    /** deep-relu: fraction of gates changed since the previous step (paper 002 Sec. 6.3). */
    PATTERN_HAMMING,
    /** smooth: {@code ‖Φ(Θ_s) − Φ̂(Θ̃_s)‖_F}, the net against its linearization (paper 004 Sec. 6). */
    LAZY_DISTANCE;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
