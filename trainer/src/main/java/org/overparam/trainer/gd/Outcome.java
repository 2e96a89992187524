package org.overparam.trainer.gd;

import java.util.Locale;

/**
 * How a trial ended (theory.md §6); the lower-case names are the {@code status} column's values.
 * {@code TIMEOUT}: stopped by {@code train.time_limit} ({@link Deadline}) before any other rule decided.
 */
public enum Outcome {
    CONVERGED, MAX_STEPS, DIVERGED, FAILED, TIMEOUT;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
