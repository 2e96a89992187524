package org.overparam.trainer.gd;

/**
 * When full-batch GD stops: converged once {@code loss ≤ tolerance · loss0}; diverged on a
 * non-finite loss or {@code loss > divergenceFactor · loss0}; otherwise after {@code maxSteps} updates.
 */
public record StopRule(int maxSteps, double tolerance, double divergenceFactor) {
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
    }

    public StopRule(int maxSteps, double tolerance) {
        this(maxSteps, tolerance, DEFAULT_DIVERGENCE_FACTOR);
    }

    /**
     * The outcome that ends a run whose loss after {@code step} updates is {@code loss} (initial loss
     * {@code loss0}), in the order converged, diverged, out of steps; null while it goes on.
     */
    public Outcome verdict(double loss, int step, double loss0) {
        if (loss <= tolerance * loss0) {
            return Outcome.CONVERGED;
        }
        if (!Double.isFinite(loss) || loss > divergenceFactor * loss0) {
            return Outcome.DIVERGED;
        }
        return step == maxSteps ? Outcome.MAX_STEPS : null;
    }
}
