package org.overparam.sweep.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code search: {m: adaptive, lo, hi, target, max_trials, batch, budget_check, ladder}}: the widths of each fit
 * group (everything of a trial but n, m and seed) are chosen by a model-based search instead of listed in
 * {@code grid.m}. One model {@code P(m, n) = (1 − λ) F((ln m − a − p ln n)/s)} is fitted to every trial of
 * the group; each stage adds {@code batch} trials at the (n, m) points that most shrink the posterior
 * variance of p, until p's 95 % interval is narrower than ±{@code target} or {@code maxTrials} trials
 * ran. Then, unless {@code budgetCheck} is 0, a sample near the fitted thresholds is rerun with
 * {@code budgetCheck ×} the step budget ({@code org.overparam.sweep.search.AdaptiveWidthSearch}). Then the budget
 * ladder ({@code org.overparam.sweep.threshold.BudgetLadder}): while the exponent still moves with the budget, up
 * to {@code ladder} stages each double it, rerunning the censored trials worth it and adding a designed batch.
 * The seeds of the config are the repeats available at one (n, m) point.
 *
 * @param lo          smallest width searched, in 1..{@link BisectSettings#MAX_WIDTH}−1
 * @param hi          largest width searched, in lo+1..{@link BisectSettings#MAX_WIDTH}
 * @param target      half-width of p's 95 % interval at which a group stops, in (0, 10]
 * @param maxTrials   trials a group may spend on the search (the budget check comes on top), in 2·batch..10⁷
 * @param batch       trials per group and stage, in 1..100000
 * @param budgetCheck step-budget factor of the budget check, in 2..1000; 0 turns it off
 * @param ladder      the most doublings of the step budget the ladder may run, in 0..10; 0: the ladder's rungs are
 *                    fitted from the trials' hitting times (T, T/2, …) but no larger budget runs. With doublings
 *                    by model, the largest of them
 * @param ladderByModel doublings by model key ({@code ladder: {relu: 4, bn: 0}}), each in 0..10; empty when one
 *                    number holds for every model. Where a model's trials cost far more per step than another's,
 *                    this spends a sweep's time on the ladders that can settle in it
 */
public record AdaptiveSettings(int lo, int hi, double target, int maxTrials, int batch, int budgetCheck, int ladder,
        Map<String, Integer> ladderByModel) implements WidthPlan {
    public static final double DEFAULT_TARGET = 0.1;
    public static final int DEFAULT_MAX_TRIALS = 400;
    public static final int DEFAULT_BATCH = 16;
    public static final int DEFAULT_BUDGET_CHECK = 4;
    /** The default most doublings of the ladder: up to 16 × the configured steps. */
    public static final int DEFAULT_LADDER = 4;
    /** Trials of a group's budget check (spread over its n at the fitted 25, 50 and 75 % points). */
    public static final int BUDGET_SAMPLE = 24;
    private static final int MAX_BATCH = 100_000;
    private static final int MAX_TRIALS = 10_000_000;

    public AdaptiveSettings {
        check(lo, hi, target, maxTrials, batch, budgetCheck, ladder);
        ladderByModel = Map.copyOf(new TreeMap<>(ladderByModel));
        for (Map.Entry<String, Integer> e : ladderByModel.entrySet()) {
            BisectSettings.checkLadder("search.ladder." + e.getKey(), e.getValue());
        }
        if (!ladderByModel.isEmpty() && ladder != ladderByModel.values().stream().mapToInt(Integer::intValue).max().orElse(0)) {
            throw new InvalidSetting("search.ladder", "must be the largest of the doublings by model " + ladderByModel + ", got " + ladder);
        }
    }

    /** Settings with one ladder for every model. */
    public AdaptiveSettings(int lo, int hi, double target, int maxTrials, int batch, int budgetCheck, int ladder) {
        this(lo, hi, target, maxTrials, batch, budgetCheck, ladder, Map.of());
    }

    /** The most doublings the ladder may run for the fit groups of a model (its key, e.g. {@code relu}). */
    public int ladderFor(String model) {
        return ladderByModel.getOrDefault(model, ladder);
    }

    /** Settings without ladder stages (the rungs below the configured budget are still fitted). */
    public AdaptiveSettings(int lo, int hi, double target, int maxTrials, int batch, int budgetCheck) {
        this(lo, hi, target, maxTrials, batch, budgetCheck, 0);
    }

    /**
     * Settings from the values as written (integers before any narrowing to int, so that a value out of range
     * is reported as written).
     */
    public static AdaptiveSettings of(long lo, long hi, double target, long maxTrials, long batch, long budgetCheck, long ladder) {
        check(lo, hi, target, maxTrials, batch, budgetCheck, ladder);
        return new AdaptiveSettings((int) lo, (int) hi, target, (int) maxTrials, (int) batch, (int) budgetCheck, (int) ladder);
    }

    /** Settings from the values as written, with the ladder's doublings by model (every value already in 0..10). */
    public static AdaptiveSettings of(long lo, long hi, double target, long maxTrials, long batch, long budgetCheck,
            Map<String, Integer> ladderByModel) {
        int most = ladderByModel.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        check(lo, hi, target, maxTrials, batch, budgetCheck, most);
        return new AdaptiveSettings((int) lo, (int) hi, target, (int) maxTrials, (int) batch, (int) budgetCheck, most, ladderByModel);
    }

    private static void check(long lo, long hi, double target, long maxTrials, long batch, long budgetCheck, long ladder) {
        BisectSettings.checkRange(lo, hi);
        if (!(target > 0 && target <= 10)) {
            throw new InvalidSetting("search.target", "must be a half-width in (0, 10] for the exponent p (e.g. 0.1), got " + target);
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new InvalidSetting("search.batch", "must be in 1.." + MAX_BATCH + " (trials per group and stage), got " + batch);
        }
        if (maxTrials < 2L * batch || maxTrials > MAX_TRIALS) {
            throw new InvalidSetting("search.max_trials", "must be in " + (2 * batch) + ".." + MAX_TRIALS
                    + " (at least two batches of " + batch + "), got " + maxTrials);
        }
        if (budgetCheck != 0 && (budgetCheck < 2 || budgetCheck > 1000)) {
            throw new InvalidSetting("search.budget_check", "must be 0 (off) or a step-budget factor in 2..1000, got " + budgetCheck);
        }
        BisectSettings.checkLadder(ladder);
    }

    @Override
    public String method() {
        return "adaptive";
    }

    @Override
    public <R> R match(Cases<R> cases) {
        return cases.adaptive(this);
    }

    /** Each group's templates are planned at {@code lo}; the stages move them to the widths they choose. */
    @Override
    public List<Integer> planWidths() {
        return List.of(lo);
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
                lo, hi, Double.toString(target), maxTrials, batch, budgetCheck) + (ladder == 0 ? "" : ",ladder=" + ladder)
                + (ladderByModel.isEmpty() ? "" : ",ladder_by_model=" + new TreeMap<>(ladderByModel).entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}")));
    }

    /** The settings, the success level and the step budget: each changes which trials the stages choose. */
    @Override
    public String fingerprint(ThresholdSettings thresholds, TrainSettings train) {
        return canonical() + ";delta=" + thresholds.delta() + ";steps=" + train.steps();
    }
}
