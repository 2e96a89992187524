package org.overparam.trainer.gd;

import java.util.Locale;

/**
 * How the {@code bn} classifier is trained (theory.md §3): {@code gd} takes full-batch steps on the
 * empirical risk, {@code sgd} one example a step ({@code W ← W − η ∂ℓ_i(W)}, paper 001 Sec. 1.3) in an
 * order fixed by the trial seed.
 */
public enum Optimizer {
    GD, SGD;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static Optimizer parse(String s) {
        for (Optimizer o : values()) {
            if (o.key().equals(s)) {
                return o;
            }
        }
        return null;
    }
}
