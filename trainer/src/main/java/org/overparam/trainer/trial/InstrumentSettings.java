package org.overparam.trainer.trial;

import java.io.Serializable;

/**
 * What a trial measures besides its loss (config key {@code instruments}).
 *
 * @param kernels whether to form the kernels {@code H, V, G, Λ} at init, at logged steps and at the end,
 *                and the infinite-width kernels and the theorems' predictions (costly: {@code O(n²m)} a time)
 * @param every   which steps are instrumented besides init and the end: 0 for log-spaced steps (those of
 *                the stored curves), a positive {@code k} for every k-th step, {@link #NONE} for none
 * @param delta   the failure probability δ in the width predictions
 */
public record InstrumentSettings(boolean kernels, int every, double delta) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final double DEFAULT_DELTA = 0.1;
    /** {@code every} value for "init and end only". */
    public static final int NONE = -1;
    /** The default: no kernels, nothing between init and the end (movement, flips, norm growth at the end). */
    public static final InstrumentSettings OFF = new InstrumentSettings(false, NONE, DEFAULT_DELTA);

    public InstrumentSettings {
        if (every < NONE) {
            throw new IllegalArgumentException("instruments.every must be 'log', 'none' or a positive integer, got " + every);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("instruments.delta must be in (0, 1), got " + delta);
        }
    }

    /** Whether step {@code s} (besides init and end) is instrumented, given the log-spaced steps. */
    public boolean instruments(int step, java.util.function.IntPredicate logSpaced) {
        if (every == NONE) {
            return false;
        }
        return every == 0 ? logSpaced.test(step) : step % every == 0;
    }

    /** The canonical text that enters trial ids when kernels are on. */
    public String canonical() {
        return "kernels=" + kernels + ",every=" + (every == 0 ? "log" : every == NONE ? "none" : Integer.toString(every)) + ",delta=" + delta;
    }
}
