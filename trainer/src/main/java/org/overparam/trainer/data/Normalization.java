package org.overparam.trainer.data;

import java.util.Locale;

/** Preprocessing of file inputs. The theory (theory.md §2, Assumption 1) wants {@code ‖x_i‖ ≤ 1}. */
public enum Normalization {
    /** Scale every input to unit Euclidean norm (a zero row stays zero). */
    UNIT,
    /**
     * Divide every input by the largest training-input norm, so {@code max ‖x_i‖ = 1} while the inputs keep
     * their relative sizes (paper 001 App. A.2: "normalized such that all the data points satisfied ‖x_i‖ ≤ 1").
     */
    BALL,
    /** Use the features as they are in the file. */
    NONE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static Normalization parse(String s) {
        for (Normalization v : values()) {
            if (v.key().equals(s)) {
                return v;
            }
        }
        return null;
    }
}
