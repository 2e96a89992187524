package org.overparam.sweep.threshold;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The budget ladder of a fit group whose thresholds are estimated per n (a grid or a bisect search, theory.md §8):
 * at each rung T (the largest budget its trials ran with, halved {@code rungsBelow} times), each n's threshold
 * m*(n; T) from the outcomes at T by the bracket estimator ({@link ThresholdEstimator}, no bootstrap), and p(T) the
 * least-squares slope of ln m*(n; T) on ln n over the n where it is bracketed, with its Student-t 95 % interval (as
 * the {@code scaling} table's {@code ols} rows at the configured budget); then {@link BudgetLadder#verdict}.
 */
public final class LeastSquaresLadder {
    private LeastSquaresLadder() {
    }

    /** The ladder of {@code timed} (one per trial, its largest budget) over the group's {@code ns}. */
    public static BudgetLadder.Result of(List<TimedOutcome> timed, int[] ns, double delta, int rungsBelow) {
        long top = timed.stream().mapToLong(TimedOutcome::budget).max().orElse(0);
        ThresholdEstimator estimator = new ThresholdEstimator(delta, 0);
        List<BudgetLadder.Rung> rungs = new ArrayList<>();
        for (int k = rungsBelow; k >= 0; k--) {
            long t = top >> k;
            if (t < 1) {
                continue;
            }
            double[] thresholds = new double[ns.length];
            int imputed = 0;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            double syy = 0;
            int points = 0;
            for (int i = 0; i < ns.length; i++) {
                List<ThresholdEstimator.Observation> obs = new ArrayList<>();
                for (TimedOutcome o : timed) {
                    if (o.n() == ns[i]) {
                        obs.add(new ThresholdEstimator.Observation(o.m(), o.repeat(), o.at(t).success(), 0));
                        imputed += o.imputedAt(t) ? 1 : 0;
                    }
                }
                thresholds[i] = Double.NaN;
                if (obs.isEmpty()) {
                    continue;
                }
                ThresholdEstimator.Estimate est = estimator.estimate(obs, "ladder");
                if (est.status() == ThresholdEstimator.Status.BRACKETED && Double.isFinite(est.mStar())) {
                    thresholds[i] = est.mStar();
                    double x = Math.log(ns[i]);
                    double y = Math.log(est.mStar());
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    sxy += x * y;
                    syy += y * y;
                    points++;
                }
            }
            double p = Double.NaN;
            double lo = Double.NaN;
            double hi = Double.NaN;
            if (points >= 2) {
                double cxx = sxx - sx * sx / points;
                double cxy = sxy - sx * sy / points;
                double cyy = syy - sy * sy / points;
                if (cxx > 0) {
                    p = cxy / cxx;
                    if (points > 2) {
                        double se = Math.sqrt(Math.max(0, cyy - cxy * cxy / cxx) / ((points - 2) * cxx));
                        double t975 = new TDistribution(null, points - 2, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY)
                                .inverseCumulativeProbability(0.975);
                        lo = p - t975 * se;
                        hi = p + t975 * se;
                    }
                }
            }
            rungs.add(new BudgetLadder.Rung(t, p, lo, hi, thresholds, timed.size(), imputed, null));
        }
        return BudgetLadder.verdict(rungs);
    }

}
