package org.overparam.sweep.threshold;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a fitted threshold is about the width or about the step budget. A sample of trials near the fitted
 * thresholds is rerun with k × the steps; their outcomes are fitted with the main fit's shape (p, s, λ) held
 * and the location shifted by b: {@code P_b(m, n) = (1 − λ) F((ln m − a − b − p ln n)/s)}. The ratio of
 * thresholds with the larger budget to those with the configured one is {@code exp(b)} at every n and δ.
 * Its 95 % interval ({@link #ratio}) combines the shift's profile interval with the main fit's uncertainty
 * of ln m* at the sample's geometric centre in n, the uncertainty of the reference it is measured from. A ratio near 1 says the threshold is the width's; well below 1 says more steps fit narrower nets.
 */
public final class BudgetCheck {
    private static final double HALF_CHI2_95 = 3.841458820694124 / 2;
    /** The fitted success chances at which the sample is taken, at each n. */
    private static final double[] LEVELS = {0.25, 0.5, 0.75};
    /** The largest shift |b| considered (a factor e^4 ≈ 55 either way). */
    private static final double MAX_SHIFT = 4.0;

    /** The ratio and its 95 % interval, from {@code trials} outcomes. */
    public record Ratio(double ratio, double low, double high, int trials) {
        /** Outside [0.8, 1.25]: the threshold moves with the budget. */
        public boolean flagged() {
            return ratio < 0.8 || ratio > 1.25;
        }
    }

    private BudgetCheck() {
    }

    /**
     * The sample: at each n, the widths where the fit gives success {@link #LEVELS} (rounded, clamped to
     * [lo, hi]), repeated until {@code size} points (the k-th repeat of a point is the k-th seed).
     */
    public static List<Outcome> sample(ThresholdFit fit, int[] ns, int lo, int hi, int size) {
        ThresholdModel model = fit.model();
        List<Outcome> points = new ArrayList<>();
        for (int round = 0; points.size() < size; round++) {
            for (double level : LEVELS) {
                for (int n : ns) {
                    if (points.size() < size) {
                        points.add(new Outcome(n, widthAt(model, n, level, lo, hi), false));
                    }
                }
            }
            if (round > size) {
                break;
            }
        }
        return points;
    }

    /** The width at which {@code model} gives success {@code level} at n (of the curve without lapse). */
    static int widthAt(ThresholdModel model, int n, double level, int lo, int hi) {
        double z = Math.log(level / (1 - level));
        double m = Math.exp(model.a() + model.p() * Math.log(n) + model.s() * z);
        return (int) Math.max(lo, Math.min(hi, Math.round(m)));
    }

    /**
     * The threshold ratio from the outcomes of the sample, against the main fit. The shift's own interval is
     * its profile: where the log-likelihood falls 1.92 below its maximum (an end that does not within the
     * search range |b| ≤ 4 is unbounded: the ratio's interval reaches 0 or ∞, shown as such). Each end is
     * then widened, in quadrature, by the main fit's uncertainty of ln m* at the sample's centre.
     */
    public static Ratio ratio(ThresholdFit fit, List<Outcome> checks) {
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("no budget-check outcomes");
        }
        ThresholdModel m = fit.model();
        double b = maximize(m, checks);
        double top = logLikelihood(m, checks, b);
        double lowB = profileEnd(m, checks, b, top, -1);
        double highB = profileEnd(m, checks, b, top, +1);
        double logNCentre = checks.stream().mapToDouble(o -> Math.log(o.n())).average().orElseThrow();
        double[] ref = fit.thresholdInterval(Math.exp(logNCentre), 0.5);
        double refHalf = (Math.log(ref[1]) - Math.log(ref[0])) / 2;
        double widen = Double.isFinite(refHalf) ? refHalf : 0.0;
        double lo = Double.isInfinite(lowB) ? 0.0 : Math.exp(b - Math.hypot(b - lowB, widen));
        double hi = Double.isInfinite(highB) ? Double.POSITIVE_INFINITY : Math.exp(b + Math.hypot(highB - b, widen));
        return new Ratio(Math.exp(b), lo, hi, checks.size());
    }

    /** Where the log-likelihood of b falls 1.92 below {@code top}, in direction dir; ±∞ when not within the range. */
    private static double profileEnd(ThresholdModel m, List<Outcome> checks, double b, double top, int dir) {
        double edge = dir * MAX_SHIFT;
        if (top - logLikelihood(m, checks, edge) <= HALF_CHI2_95) {
            return dir * Double.POSITIVE_INFINITY;
        }
        double inside = b;
        double outside = edge;
        for (int i = 0; i < 60 && Math.abs(outside - inside) > 1e-9; i++) {
            double mid = (inside + outside) / 2;
            if (top - logLikelihood(m, checks, mid) > HALF_CHI2_95) {
                outside = mid;
            } else {
                inside = mid;
            }
        }
        return (inside + outside) / 2;
    }

    /** The log-likelihood of the shift b. */
    static double logLikelihood(ThresholdModel m, List<Outcome> checks, double b) {
        return new ThresholdModel(m.a() + b, m.p(), m.logS(), m.logitLambda()).logLikelihood(checks);
    }

    /** The maximum-likelihood shift in [−MAX_SHIFT, MAX_SHIFT]: golden-section search on a concave function. */
    static double maximize(ThresholdModel m, List<Outcome> checks) {
        double lo = -MAX_SHIFT;
        double hi = MAX_SHIFT;
        double g = (Math.sqrt(5) - 1) / 2;
        double x1 = hi - g * (hi - lo);
        double x2 = lo + g * (hi - lo);
        double f1 = logLikelihood(m, checks, x1);
        double f2 = logLikelihood(m, checks, x2);
        while (hi - lo > 1e-9) {
            if (f1 < f2) {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + g * (hi - lo);
                f2 = logLikelihood(m, checks, x2);
            } else {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - g * (hi - lo);
                f1 = logLikelihood(m, checks, x1);
            }
        }
        return (lo + hi) / 2;
    }
}
