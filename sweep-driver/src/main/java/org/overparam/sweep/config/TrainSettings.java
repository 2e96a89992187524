package org.overparam.sweep.config;

/** {@code train:}: the GD step budget and the relative loss at which a trial counts as converged. */
public record TrainSettings(int steps, double tolerance) {
    public static final int DEFAULT_STEPS = 2000;
    public static final double DEFAULT_TOLERANCE = 1e-8;
}
