package org.overparam.trainer.instrument;

/**
 * The per-trial instrument values, one {@code trials} column each ({@link #column()}; meanings in
 * {@code docs/tables.md}). "Kernel" metrics need {@code instruments.kernels}; the others are measured
 * on every trial. {@code Λ} is {@code V/α² + G} for wn and {@code H} for relu.
 */
public enum TrialMetric {
    LAMBDA_MIN_H0(true), LAMBDA_MIN_V0(true), LAMBDA_MIN_G0(true), LAMBDA_MIN_LAMBDA0(true), LAMBDA_MAX_LAMBDA0(true),
    LAMBDA_MIN_H_INF(true), LAMBDA0_INF(true), MU0_INF(true), LAMBDA_MAX_V_INF(true), LAMBDA_MAX_H_INF(true),
    LAMBDA_MIN_LAMBDA_FINAL(true),
    RATE_PRED_V(true), RATE_PRED_G(true), RATE_PRED_H(true),
    WIDTH_PRED_V(true), WIDTH_PRED_G(true), WIDTH_PRED_H(true), ETA_MAX_V(true),
    MAX_REL_MOVE_V(false), MAX_MOVE_G(false), MAX_MOVE_W(false), ACT_FLIP_FRAC(false), NORM_GROWTH_ERR(false);

    private final boolean needsKernels;

    TrialMetric(boolean needsKernels) {
        this.needsKernels = needsKernels;
    }

    /** Whether the metric is measured only with {@code instruments.kernels}. */
    public boolean needsKernels() {
        return needsKernels;
    }

    /** The column name: the constant's name in lower case. */
    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
