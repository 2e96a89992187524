package org.overparam.trainer.gd;

import java.util.Locale;

/**
 * How a trial ended (theory.md §6, §8); the lower-case names are the {@code status} column's values.
 * <ul>
 *   <li>{@code CONVERGED}: the loss reached the tolerance ({@link StopRule});</li>
 *   <li>{@code CENSORED}: the step budget ran out before either convergence or divergence: no verdict on the
 *       width, only "not converged by this budget" (right-censored at {@code steps}; written {@code max_steps}
 *       by versions before issue 26, which readers treat as {@code censored});</li>
 *   <li>{@code STUCK}: the dynamics certify that the trial would not converge within its stuck horizon
 *       ({@link StuckRule}), so it stopped there;</li>
 *   <li>{@code DIVERGED}: a non-finite loss or a blow-up: a step-size event, not a width one;</li>
 *   <li>{@code FAILED}: an error; {@code TIMEOUT}: stopped by {@code train.time_limit} ({@link Deadline})
 *       before any other rule decided.</li>
 * </ul>
 */
public enum Outcome {
    CONVERGED, CENSORED, STUCK, DIVERGED, FAILED, TIMEOUT;

    /** The status written by versions before issue 26 for what is now {@link #CENSORED}. */
    public static final String LEGACY_CENSORED = "max_steps";

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a {@code status} value, reading the legacy {@code max_steps} as {@link #CENSORED}; null when unknown. */
    public static Outcome parse(String status) {
        if (LEGACY_CENSORED.equals(status)) {
            return CENSORED;
        }
        for (Outcome o : values()) {
            if (o.key().equals(status)) {
                return o;
            }
        }
        return null;
    }
}
