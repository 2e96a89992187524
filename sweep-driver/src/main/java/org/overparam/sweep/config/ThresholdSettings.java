package org.overparam.sweep.config;

/**
 * {@code thresholds: {delta: 0.1, bootstrap: 200}}: how {@code DIR/thresholds} is estimated (and, for a
 * width search, when a width counts as succeeding). Not part of any trial id: changing it re-aggregates
 * the same trials.
 *
 * @param delta     a width succeeds when at least a fraction {@code 1 − delta} of its seeds converged; in (0, 1)
 * @param bootstrap bootstrap replicates over seeds for {@code m_star_lo, m_star_hi}; 0 for none
 */
public record ThresholdSettings(double delta, int bootstrap) {
    public static final double DEFAULT_DELTA = 0.1;
    public static final int DEFAULT_BOOTSTRAP = 200;
    public static final int MAX_BOOTSTRAP = 100_000;
    public static final ThresholdSettings DEFAULT = new ThresholdSettings(DEFAULT_DELTA, DEFAULT_BOOTSTRAP);

    public ThresholdSettings {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("thresholds.delta must be in (0, 1), got " + delta);
        }
        if (bootstrap < 0 || bootstrap > MAX_BOOTSTRAP) {
            throw new IllegalArgumentException("thresholds.bootstrap must be in 0.." + MAX_BOOTSTRAP + ", got " + bootstrap);
        }
    }

    /** The success level {@code 1 − delta}. */
    public double level() {
        return 1 - delta;
    }
}
