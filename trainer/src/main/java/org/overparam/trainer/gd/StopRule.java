package org.overparam.trainer.gd;

/**
 * When full-batch GD stops: converged once {@code loss ≤ tolerance · loss0} (for every loss: a squared hinge
 * that reaches exactly 0 is converged, but GD brings the last margins to 1 only asymptotically, see
 * {@link org.overparam.trainer.nets.Loss}); diverged on a non-finite loss or
 * {@code loss > divergenceFactor · loss0}; stuck when the {@link StuckRule} says so at a checkpoint;
 * otherwise censored after {@code maxSteps} updates (or stuck, when the stuck rule holds at that last step).
 */
public record StopRule(int maxSteps, double tolerance, double divergenceFactor, StuckRule stuck) {
    /** The divergence factor of the product brief: a loss a million times the initial one. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 1e6;

    public StopRule {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("train.steps must be >= 0, got " + maxSteps);
        }
        if (!(tolerance > 0) || !(tolerance < 1)) {
            throw new IllegalArgumentException("train.tolerance must be in (0, 1), got " + tolerance);
        }
        if (!(divergenceFactor > 1)) {
            throw new IllegalArgumentException("divergence factor must be > 1, got " + divergenceFactor);
        }
        java.util.Objects.requireNonNull(stuck, "stuck");
    }

    /** Without the stuck rule. */
    public StopRule(int maxSteps, double tolerance, double divergenceFactor) {
        this(maxSteps, tolerance, divergenceFactor, StuckRule.OFF);
    }

    /** The default divergence factor, without the stuck rule. */
    public StopRule(int maxSteps, double tolerance) {
        this(maxSteps, tolerance, DEFAULT_DIVERGENCE_FACTOR);
    }

    /**
     * The outcome that ends a run whose loss after {@code step} updates is {@code loss} (initial loss
     * {@code loss0}), in the order converged, diverged, out of steps ({@link Outcome#CENSORED}); null while
     * it goes on. The stuck rule needs the loss record: {@link #stuck}.
     */
    public Outcome verdict(double loss, int step, double loss0) {
        if (loss <= tolerance * loss0) {
            return Outcome.CONVERGED;
        }
        if (!Double.isFinite(loss) || loss > divergenceFactor * loss0) {
            return Outcome.DIVERGED;
        }
        return step == maxSteps ? Outcome.CENSORED : null;
    }

    /** The stuck rule's evidence at step {@code s} of {@code losses} ({@link StuckRule#verdict}), or null. */
    public String stuckAt(double[] losses, int s) {
        return stuck.verdict(losses, s, tolerance, maxSteps);
    }
}
