package org.overparam.sweep.config;

import java.util.Locale;

/**
 * {@code search: {m: adaptive, lo, hi, target, max_trials, batch, budget_check}}: the widths of each fit
 * group (everything of a trial but n, m and seed) are chosen by a model-based search instead of listed in
 * {@code grid.m}. One model {@code P(m, n) = (1 − λ) F((ln m − a − p ln n)/s)} is fitted to every trial of
 * the group; each stage adds {@code batch} trials at the (n, m) points that most shrink the posterior
 * variance of p, until p's 95 % interval is narrower than ±{@code target} or {@code maxTrials} trials
 * ran. Then, unless {@code budgetCheck} is 0, a sample near the fitted thresholds is rerun with
 * {@code budgetCheck ×} the step budget ({@code org.overparam.sweep.search.AdaptiveWidthSearch}).
 * The seeds of the config are the repeats available at one (n, m) point.
 *
 * @param lo          smallest width searched, ≥ 1
 * @param hi          largest width searched, > lo
 * @param target      half-width of p's 95 % interval at which a group stops, > 0
 * @param maxTrials   trials a group may spend on the search (the budget check comes on top), ≥ 2·batch
 * @param batch       trials per group and stage
 * @param budgetCheck step-budget factor of the budget check; 0 turns it off
 */
public record AdaptiveSettings(int lo, int hi, double target, int maxTrials, int batch, int budgetCheck) {
    public static final double DEFAULT_TARGET = 0.1;
    public static final int DEFAULT_MAX_TRIALS = 400;
    public static final int DEFAULT_BATCH = 16;
    public static final int DEFAULT_BUDGET_CHECK = 4;
    /** Trials of a group's budget check (spread over its n at the fitted 25, 50 and 75 % points). */
    public static final int BUDGET_SAMPLE = 24;

    public AdaptiveSettings {
        if (lo < 1 || hi <= lo || hi > SearchSettings.MAX_WIDTH) {
            throw new IllegalArgumentException("search needs 1 <= lo < hi <= " + SearchSettings.MAX_WIDTH + ", got lo " + lo + ", hi " + hi);
        }
        if (!(target > 0) || Double.isInfinite(target)) {
            throw new IllegalArgumentException("search.target must be > 0, got " + target);
        }
        if (batch < 1 || maxTrials < 2 * batch) {
            throw new IllegalArgumentException("search needs batch >= 1 and max_trials >= 2 batch, got " + batch + ", " + maxTrials);
        }
        if (budgetCheck < 0 || budgetCheck == 1) {
            throw new IllegalArgumentException("search.budget_check must be 0 or >= 2, got " + budgetCheck);
        }
    }

    /**
     * The trials a group runs before it may stop on the target: four batches (at most max_trials). The
     * intervals of p are asymptotic; on a simulated oracle, stopping at the first stage whose interval is
     * within ±0.15 covered the true p in 78–92 % of studies, four batches first in 86–92 % (docs/validation.md).
     */
    public int minTrials() {
        return Math.min(maxTrials, 4 * batch);
    }

    /** Text that enters the sweep's fingerprint: a search with other settings is another sweep. */
    public String canonical() {
        return String.format(Locale.ROOT, "search=m:adaptive,lo=%d,hi=%d,target=%s,max_trials=%d,batch=%d,budget_check=%d",
                lo, hi, Double.toString(target), maxTrials, batch, budgetCheck);
    }
}
