package org.overparam.trainer.data;

import java.util.Locale;

/** Preprocessing of file inputs. The theory (theory.md §2, Assumption 1) wants {@code ‖x_i‖ ≤ 1}. */
public enum Normalization {
    /** Scale every input to unit Euclidean norm (a zero row stays zero). */
    UNIT,
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
