package org.overparam.trainer.instrument;

/**
 * The per-trial instrument values, one {@code trials} column each ({@link #column()}; meanings in
 * {@code docs/tables.md}). "Kernel" metrics need {@code instruments.kernels}; the others are measured
 * on every trial of the models they apply to. {@code Λ} is {@code V/α² + G} for wn and {@code H} for relu.
 */
public enum TrialMetric {
    LAMBDA_MIN_H0(true), LAMBDA_MIN_V0(true), LAMBDA_MIN_G0(true), LAMBDA_MIN_LAMBDA0(true), LAMBDA_MAX_LAMBDA0(true),
    LAMBDA_MIN_H_INF(true), LAMBDA0_INF(true), MU0_INF(true), LAMBDA_MAX_V_INF(true), LAMBDA_MAX_H_INF(true),
    LAMBDA_MIN_LAMBDA_FINAL(true),
    RATE_PRED_V(true), RATE_PRED_G(true), RATE_PRED_H(true),
    WIDTH_PRED_V(true), WIDTH_PRED_G(true), WIDTH_PRED_H(true), ETA_MAX_V(true),
    MAX_REL_MOVE_V(false), MAX_MOVE_G(false), MAX_MOVE_W(false), ACT_FLIP_FRAC(false), NORM_GROWTH_ERR(false),
    // bn (theory.md §3, paper 001)
    TRAIN_ERROR(false), TEST_ERROR(false), U_MOVE(false), V_MOVE(false), GAMMA_A(false), GAMMA_C(false), GAMMA(false),
    GAMMA_LINEAR(false), EPS_N(false),
    // grelu, deep-relu (theory.md §4, paper 002); mse and test_mse also for smooth (with train/test error)
    MSE(false), TEST_MSE(false), GRAD_CHANGE(false), PATTERN_HAMMING(false), GRELU_RELU_MAX_ABS_DIFF(false), GRELU_RELU_RANK(false),
    SWITCH_LOSS_BEFORE(false), SWITCH_LOSS_AFTER(false), SWITCH_TEST_MSE(false), SWITCH_TEST_MSE_AFTER(false),
    // smooth (theory.md §5, paper 004)
    SIGMA_MIN_PHI0(false), SIGMA_MAX_PHI0(false), NU_PHI(false), RATE_PRED_SMOOTH(false), WIDTH_PRED_SMOOTH(false),
    LAZY_DISTANCE(false), LAZY_DISTANCE_REL(false);

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
