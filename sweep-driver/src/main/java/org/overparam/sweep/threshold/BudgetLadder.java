package org.overparam.sweep.threshold;

import java.util.ArrayList;
import java.util.List;

/**
 * The budget ladder of a fit group (theory.md §8): the joint fit of {@link ThresholdModel} at the step budgets
 * T, T/2, T/4, … from one set of trials — free, since a trial that converged at step t converged by every
 * T ≥ t — and the verdict whether the fitted exponent has stopped moving with the budget.
 * <p>A fit is <b>budget-converged</b> when p changes by at most {@link #P_STEP} per doubling of the budget over
 * its last two doublings and the model's m*(n) by at most {@link #M_STEP} (relative) at every n over the last
 * one. Near a transition the time to converge diverges (critical slowing down), so a fixed budget shifts the
 * apparent threshold up, most where convergence is slowest; the shift shrinks geometrically as T doubles, and
 * the ladder's answer extrapolates what is left: with Δ1, Δ2 the last two changes of p, of one sign and
 * shrinking, the remaining drift is {@code Δ1·r/(1 − r)}, {@code r = Δ1/Δ2} (the sum of the geometric tail).
 * The reported p adds it to the top rung's p, and its interval is the top rung's profile interval shifted by it
 * and widened on both sides by its size or by the last doubling's change, whichever is larger (the
 * extrapolation's own uncertainty: a change that did not shrink may well repeat).
 * <p>At a rung T, a trial censored at a budget below T (a stuck one: whose rule certified less than T,
 * {@link TimedOutcome#certified()}) counts as not converged by T. The ladder stages rerun
 * with the larger budget every censored trial whose chance of converging by it is not negligible
 * ({@link #worthRerunning}), so the trials counted that way are those the fit puts far below the threshold.
 */
public final class BudgetLadder {
    /** The largest change of p per doubling of the budget of a budget-converged fit. */
    public static final double P_STEP = 0.05;
    /** The largest relative change of m*(n) over the last doubling of a budget-converged fit. */
    public static final double M_STEP = 0.10;
    /** A censored trial is rerun with the next budget when its fitted chance of converging by it is at least this. */
    public static final double RERUN_CHANCE = 0.005;
    /** The cap on the ratio of successive changes in the extrapolation (beyond it, the tail would be 9× the last change or more). */
    private static final double MAX_RATIO = 0.9;

    private final ThresholdFitter fitter = new ThresholdFitter();
    private final double delta;
    private final int[] ns;
    private final int rungs;

    /**
     * @param delta  the threshold level is 1 − delta
     * @param ns     the group's n, for the m*(n) criterion
     * @param rungs  the rungs fitted below the top budget (each half the one above), at least 2
     */
    public BudgetLadder(double delta, int[] ns, int rungs) {
        if (rungs < 2) {
            throw new IllegalArgumentException("a ladder needs the top and two rungs below it, got " + rungs + " below");
        }
        this.delta = delta;
        this.ns = ns.clone();
        this.rungs = rungs;
    }

    /**
     * One rung: the budget, its estimate of p with its 95 % interval (NaN where there is none; the interval at the
     * top rung only), the thresholds m*(n) at the ladder's n (NaN where unknown), the trials and how many were
     * imputed, and the joint fit behind it (null for rungs estimated otherwise, e.g. by least squares over per-n
     * thresholds, or when the outcomes allow no fit).
     */
    public record Rung(long budget, double p, double pLow, double pHigh, double[] thresholds, int trials, int imputed,
                       ThresholdFit fit) {
        /** Whether the rung has an estimate of p. */
        public boolean estimated() {
            return !Double.isNaN(p);
        }
    }

    /**
     * The ladder's verdict.
     *
     * @param rungs     the rungs from the lowest budget to the top
     * @param converged whether the fit is budget-converged
     * @param settled   the lowest budget from which every later doubling met the criteria; -1 when not converged
     * @param drift     the extrapolated change of p beyond the top budget (0 when the changes do not shrink)
     * @param p         the budget-free estimate: the top rung's p plus the drift
     * @param pLow      its 95 % interval's lower end: the top rung's profile interval, shifted and widened by the drift
     * @param pHigh     the upper end
     * @param reason    why the fit is not budget-converged, or "" when it is
     */
    public record Result(List<Rung> rungs, boolean converged, long settled, double drift, double p, double pLow,
                         double pHigh, String reason) {
        /** The top rung. */
        public Rung top() {
            return rungs.get(rungs.size() - 1);
        }
    }

    /** The ladder of {@code runs} (one per trial; a trial run twice appears once, with its largest budget). */
    public Result analyse(List<TimedOutcome> runs) {
        long top = runs.stream().mapToLong(TimedOutcome::budget).max().orElseThrow();
        List<Rung> out = new ArrayList<>();
        ThresholdFit above = null;
        for (int k = 0; k <= rungs; k++) {
            long t = top >> k;
            if (t < 1) {
                break;
            }
            List<Outcome> outcomes = new ArrayList<>(runs.size());
            int imputed = 0;
            for (TimedOutcome r : runs) {
                outcomes.add(r.at(t));
                imputed += r.imputedAt(t) ? 1 : 0;
            }
            // Only the top rung's interval is reported: the rungs below need their estimates only.
            ThresholdFit fit = fit(outcomes, above, k == 0);
            out.add(0, rungOf(t, fit, outcomes.size(), imputed));
            above = fit != null ? fit : above;
        }
        return verdict(out);
    }

    private Rung rungOf(long budget, ThresholdFit fit, int trials, int imputed) {
        double[] m = new double[ns.length];
        java.util.Arrays.fill(m, Double.NaN);
        if (fit == null) {
            return new Rung(budget, Double.NaN, Double.NaN, Double.NaN, m, trials, imputed, null);
        }
        for (int i = 0; i < ns.length; i++) {
            m[i] = fit.model().threshold(ns[i], delta);
        }
        double low = fit.hasProfile() ? fit.pLow() : Double.NaN;
        double high = fit.hasProfile() ? fit.pHigh() : Double.NaN;
        return new Rung(budget, fit.model().p(), low, high, m, trials, imputed, fit);
    }

    private ThresholdFit fit(List<Outcome> outcomes, ThresholdFit start, boolean profile) {
        long successes = outcomes.stream().filter(Outcome::success).count();
        if (successes == 0 || successes == outcomes.size()) {
            return null;
        }
        try {
            ThresholdFit fit = start == null ? fitter.fit(outcomes) : fitter.fitFrom(start.model(), outcomes);
            return profile ? fitter.withProfile(fit, outcomes) : fit;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The verdict on rungs from the lowest budget to the top, each a doubling of the one below: budget-converged or
     * not, the settled budget, and the budget-free p with its interval (see the class comment).
     */
    public static Result verdict(List<Rung> rungs) {
        int k = rungs.size() - 1;
        Rung top = rungs.get(k);
        if (!top.estimated()) {
            return new Result(rungs, false, -1, 0, Double.NaN, Double.NaN, Double.NaN, "no estimate at the top budget");
        }
        if (k < 2 || !rungs.get(k - 1).estimated() || !rungs.get(k - 2).estimated()) {
            return new Result(rungs, false, -1, 0, top.p(), top.pLow(), top.pHigh(), "fewer than two doublings with an estimate");
        }
        double d1 = top.p() - rungs.get(k - 1).p();
        double d2 = rungs.get(k - 1).p() - rungs.get(k - 2).p();
        double drift = extrapolatedDrift(rungs);
        double mChange = thresholdChange(rungs.get(k - 1), top);
        boolean converged = Math.abs(d1) <= P_STEP && Math.abs(d2) <= P_STEP && mChange <= M_STEP;
        String reason = converged ? "" : String.format(java.util.Locale.ROOT,
                "p moved %+.3f and %+.3f over the last two doublings, m*(n) up to %.0f %% over the last (criteria %.2f, %.0f %%)",
                d2, d1, 100 * mChange, P_STEP, 100 * M_STEP);
        long settled = -1;
        if (converged) {
            settled = rungs.get(k - 2).budget();
            for (int j = k - 2; j >= 1; j--) {
                Rung lower = rungs.get(j - 1);
                if (!lower.estimated() || Math.abs(rungs.get(j).p() - lower.p()) > P_STEP
                        || thresholdChange(lower, rungs.get(j)) > M_STEP) {
                    break;
                }
                settled = lower.budget();
            }
        }
        // The ladder's own uncertainty: the extrapolated drift, and never less than the last doubling's change
        // (a change that did not shrink may well repeat); on the side the ladder has been moving to, also the
        // average change per doubling over its rungs (the tail of a slow geometric decay, which rung-to-rung noise
        // can hide from the extrapolation).
        double ladderUncertainty = Math.max(Math.abs(drift), Math.abs(d1));
        double trend = trend(rungs);
        double p = top.p() + drift;
        double low = top.pLow() + drift - ladderUncertainty - (trend < 0 ? -trend : 0);
        double high = top.pHigh() + drift + ladderUncertainty + (trend > 0 ? trend : 0);
        return new Result(List.copyOf(rungs), converged, settled, drift, p, low, high, reason);
    }

    /**
     * The change of p still to come beyond the top budget, from the geometric decay of the changes: with
     * per-doubling changes δ_k = δ_0 r^k, the last two doublings' change D1 and the two before D2 give
     * r² = D1/D2 and the tail {@code D1 r²/(1 − r²)} (spans of two doublings average the rung-to-rung noise);
     * with fewer rungs, the last two single changes give r = Δ1/Δ2 and the tail {@code Δ1 r/(1 − r)}. Zero when
     * the changes do not shrink with one sign (no geometric tail to sum), and r is capped at {@value #MAX_RATIO}.
     */
    static double extrapolatedDrift(List<Rung> rungs) {
        int k = rungs.size() - 1;
        if (k >= 4 && rungs.subList(k - 4, k + 1).stream().allMatch(Rung::estimated)) {
            double recent = rungs.get(k).p() - rungs.get(k - 2).p();
            double earlier = rungs.get(k - 2).p() - rungs.get(k - 4).p();
            if (recent * earlier > 0 && Math.abs(recent) < Math.abs(earlier)) {
                double r2 = Math.min(recent / earlier, MAX_RATIO * MAX_RATIO);
                return recent * r2 / (1 - r2);
            }
            return 0;
        }
        double d1 = rungs.get(k).p() - rungs.get(k - 1).p();
        double d2 = rungs.get(k - 1).p() - rungs.get(k - 2).p();
        if (d1 * d2 > 0 && Math.abs(d1) < Math.abs(d2)) {
            double r = Math.min(d1 / d2, MAX_RATIO);
            return d1 * r / (1 - r);
        }
        return 0;
    }

    /** The average change of p per doubling over the last (up to four) doublings with fits; 0 with fewer than two rungs. */
    static double trend(List<Rung> rungs) {
        int k = rungs.size() - 1;
        int j = k;
        while (j > 0 && k - j < 4 && rungs.get(j - 1).estimated()) {
            j--;
        }
        return j == k ? 0 : (rungs.get(k).p() - rungs.get(j).p()) / (k - j);
    }

    /**
     * The largest relative change of m*(n) between two rungs over the n where both know it; infinite when they share
     * none (a rung that lost its thresholds has not settled).
     */
    static double thresholdChange(Rung lower, Rung upper) {
        double worst = 0;
        int both = 0;
        for (int i = 0; i < lower.thresholds().length; i++) {
            double a = lower.thresholds()[i];
            double b = upper.thresholds()[i];
            if (Double.isFinite(a) && Double.isFinite(b)) {
                worst = Math.max(worst, Math.abs(a / b - 1));
                both++;
            }
        }
        return both == 0 ? Double.POSITIVE_INFINITY : worst;
    }

    /**
     * The censored trials of {@code runs} (and the stuck ones whose rule certified less than {@code next}) worth
     * rerunning with budget {@code next}: those whose chance of
     * converging by {@code next} is at least {@link #RERUN_CHANCE} under the top rung's fit with its threshold
     * moved down, at each n, by the largest shift one doubling of the ladder moved it there (the shift shrinks as
     * the budget grows, so the largest bounds the next; it is larger where convergence is slower, at larger n).
     * A generous choice on purpose: a trial left out counts as failing at the larger budget, and a fit whose
     * threshold moved where no trial was rerun would not move at all — a spurious convergence.
     */
    public List<TimedOutcome> worthRerunning(Result ladder, List<TimedOutcome> runs, long next) {
        List<Rung> rs = ladder.rungs();
        Rung top = ladder.top();
        if (top.fit() == null) {
            return List.of();
        }
        ThresholdModel m = top.fit().model();
        List<ThresholdModel> fits = rs.stream().filter(g -> g.fit() != null).map(g -> g.fit().model()).toList();
        List<TimedOutcome> out = new ArrayList<>();
        for (TimedOutcome r : runs) {
            if (r.converged() || r.certified() >= next) {
                continue;
            }
            double logN = Math.log(r.n());
            double shift = 0;
            for (int j = 1; j < fits.size(); j++) {
                ThresholdModel lower = fits.get(j - 1);
                ThresholdModel upper = fits.get(j);
                shift = Math.max(shift, (lower.a() + lower.p() * logN) - (upper.a() + upper.p() * logN));
            }
            double z = (Math.log(r.m()) - m.a() - m.p() * logN + shift) / m.s();
            if ((1 - m.lambda()) * ThresholdModel.logistic(z) >= RERUN_CHANCE) {
                out.add(r);
            }
        }
        return out;
    }
}
