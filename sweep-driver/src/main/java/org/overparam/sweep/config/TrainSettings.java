package org.overparam.sweep.config;

import java.time.Duration;

/**
 * {@code train:}: the GD step budget, the relative loss at which a trial counts as converged, and the
 * wall-clock limit of one trial ({@code time_limit}, null for none). The limit is not part of a trial's
 * id: a trial that finishes within it has the same row under any limit; one that does not is recorded
 * {@code timeout} (docs/tables.md).
 */
public record TrainSettings(int steps, double tolerance, Duration timeLimit) {
    public static final int DEFAULT_STEPS = 2000;
    public static final double DEFAULT_TOLERANCE = 1e-8;

    /** Settings without a time limit. */
    public TrainSettings(int steps, double tolerance) {
        this(steps, tolerance, null);
    }
}
