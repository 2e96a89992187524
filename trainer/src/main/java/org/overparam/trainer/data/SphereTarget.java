package org.overparam.trainer.data;

import java.util.Locale;

/** Targets for inputs drawn on the unit sphere. */
public enum SphereTarget {
    /** {@code y = sign(u·x)} (+1 at 0) for a teacher direction {@code u} uniform on the sphere. */
    SIGN,
    /** {@code y ~ N(0, 1)} independent of {@code x}, as in Du et al.'s Figure 1. */
    GAUSSIAN,
    /**
     * {@code y = ±1} with probability ½ each, independent of {@code x}: random labels, the task of the jamming
     * transition (theory.md §8), which a net must memorize point by point (unlike {@link #SIGN}'s, which one
     * direction separates).
     */
    RANDOM;

    /** The name used in configs and tables. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static SphereTarget parse(String s) {
        for (SphereTarget t : values()) {
            if (t.key().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
