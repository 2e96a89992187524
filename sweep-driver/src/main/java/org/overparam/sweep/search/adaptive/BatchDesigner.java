package org.overparam.sweep.search.adaptive;

import java.util.ArrayList;
import java.util.List;
import org.overparam.sweep.threshold.GoodnessOfFit;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdModel;

/**
 * Chooses the next batch of (n, m) trials of an adaptive search. Under the Laplace approximation of the
 * posterior (precision = inverse of the fit's covariance), a trial at (n, m) adds the Fisher information
 * {@code g gᵀ / (q (1 - q))}, g the gradient of q = P(m, n) in (a, p, ln s, logit λ). The batch is built
 * greedily: each pick is the candidate that most reduces the expected posterior variance of the exponent
 * p (a c-optimal design, the Gaussian counterpart of QUEST+'s expected entropy). Candidates: every n of
 * the grid and log-spaced integer widths in [lo, hi]. Deterministic: ties go to the first candidate.
 *
 * <p>A c-optimal design for p puts nearly every trial at the smallest and the largest n, where nothing can
 * be learnt about whether the thresholds between them lie on the power law, nor much about the curve's
 * shape. So, given the trials so far ({@link #nextBatch(ThresholdFit, int, List)}), one pick in
 * {@value #CHECK_EVERY} is a <em>check</em>: at the n with the fewest trials, at the width where the fitted
 * curve reaches the next of the levels {@link #CHECK_LEVELS} (of its ceiling 1 − λ). These trials give
 * {@link GoodnessOfFit} its power against thresholds that are not a power law and curves that are not the
 * fitted shape; they cost the exponent's precision about one trial in {@value #CHECK_EVERY}.
 */
public final class BatchDesigner {

    /** Prior standard deviations of (a, p, ln s, logit λ), the design's covariance when a fit has none. */
    private static final double[] PRIOR_SD = {3.0, 3.0, 2.0, 2.0};

    /** One pick in this many is a check (see the class comment). */
    public static final int CHECK_EVERY = 4;
    /** Success levels, as fractions of the fitted ceiling 1 − λ, that checks at one n cycle through. */
    static final double[] CHECK_LEVELS = {0.5, 0.2, 0.8, 0.35, 0.65, 0.1, 0.9};

    private final int[] ns;
    private final int lo;
    private final int hi;
    private final int widthsPerDecade;

    public BatchDesigner(int[] ns, int lo, int hi, int widthsPerDecade) {
        if (lo < 1 || hi < lo) {
            throw new IllegalArgumentException("need 1 <= lo <= hi, got lo=" + lo + " hi=" + hi);
        }
        this.ns = ns.clone();
        this.lo = lo;
        this.hi = hi;
        this.widthsPerDecade = widthsPerDecade;
    }

    /** Integer candidate widths, log-spaced, distinct, including lo and hi. */
    public List<Integer> candidateWidths() {
        List<Integer> ms = new ArrayList<>();
        double decades = Math.log10((double) hi / lo);
        int count = Math.max(2, (int) Math.ceil(decades * widthsPerDecade) + 1);
        for (int i = 0; i < count; i++) {
            int m = (int) Math.round(lo * Math.pow((double) hi / lo, i / (double) (count - 1)));
            if (ms.isEmpty() || ms.get(ms.size() - 1) != m) {
                ms.add(m);
            }
        }
        return ms;
    }

    /**
     * The next {@code size} trials by the c-optimal criterion alone, without checks (repeats allowed: distinct
     * seeds run at one point). Each pick updates the posterior covariance by Sherman–Morrison, so a candidate
     * costs O(16).
     */
    public List<Outcome> nextBatch(ThresholdFit fit, int size) {
        return design(fit, size, null);
    }

    /**
     * The next {@code size} trials given every trial so far ({@code history}: only their n count): as
     * {@link #nextBatch(ThresholdFit, int)}, except that picks {@code CHECK_EVERY − 1, 2·CHECK_EVERY − 1, …}
     * of the batch are checks (class comment). Deterministic in the fit and the history's n counts.
     */
    public List<Outcome> nextBatch(ThresholdFit fit, int size, List<Outcome> history) {
        return design(fit, size, history);
    }

    private List<Outcome> design(ThresholdFit fit, int size, List<Outcome> history) {
        double[][] cov = new double[4][];
        boolean known = java.util.Arrays.stream(fit.covariance()).flatMapToDouble(java.util.Arrays::stream).allMatch(Double::isFinite);
        for (int i = 0; i < 4; i++) {
            // A fit without covariance (separable outcomes): design from a broad prior around its estimate,
            // which puts the trials where the fitted boundary is, the way a bisection would.
            cov[i] = known ? fit.covariance()[i].clone() : new double[4];
            if (!known) {
                cov[i][i] = PRIOR_SD[i] * PRIOR_SD[i];
            }
        }
        int[] counts = new int[ns.length];
        if (history != null) {
            for (Outcome o : history) {
                for (int i = 0; i < ns.length; i++) {
                    if (ns[i] == o.n()) {
                        counts[i]++;
                    }
                }
            }
        }
        List<Integer> ms = candidateWidths();
        List<Outcome> batch = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            Outcome pick = history != null && k % CHECK_EVERY == CHECK_EVERY - 1
                    ? check(fit.model(), ms, counts)
                    : bestForP(fit.model(), ms, cov);
            double[] g = gradient(fit.model(), pick.m(), pick.n());
            double w = weight(fit.model(), pick.m(), pick.n());
            double[] u = times(cov, g);
            double denom = 1 + w * dot(g, u);
            if (denom > 0 && Double.isFinite(denom)) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        cov[i][j] -= w / denom * u[i] * u[j];
                    }
                }
            }
            for (int i = 0; i < ns.length; i++) {
                if (ns[i] == pick.n()) {
                    counts[i]++;
                }
            }
            batch.add(pick);
        }
        return batch;
    }

    /** The candidate that leaves the smallest posterior variance of p. */
    private Outcome bestForP(ThresholdModel model, List<Integer> ms, double[][] cov) {
        double bestVar = Double.POSITIVE_INFINITY;
        Outcome best = null;
        for (int n : ns) {
            for (int m : ms) {
                double[] g = gradient(model, m, n);
                double w = weight(model, m, n);
                double[] u = times(cov, g);
                double denom = 1 + w * dot(g, u);
                double var = cov[1][1] - w * u[1] * u[1] / denom;
                if (var < bestVar || best == null) {
                    bestVar = var;
                    best = new Outcome(n, m, false);
                }
            }
        }
        return best;
    }

    /** A check: the n with the fewest trials (first on ties), at the width nearest the next check level. */
    private Outcome check(ThresholdModel model, List<Integer> ms, int[] counts) {
        int at = 0;
        for (int i = 1; i < ns.length; i++) {
            if (counts[i] < counts[at]) {
                at = i;
            }
        }
        double level = (1 - model.lambda()) * CHECK_LEVELS[counts[at] % CHECK_LEVELS.length];
        int best = ms.get(0);
        double gap = Double.POSITIVE_INFINITY;
        for (int m : ms) {
            double d = Math.abs(model.probability(m, ns[at]) - level);
            if (d < gap) {
                gap = d;
                best = m;
            }
        }
        return new Outcome(ns[at], best, false);
    }

    private static double[] times(double[][] a, double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = dot(a[i], v);
        }
        return r;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Gradient of q = P(m, n) in (a, p, ln s, logit λ). */
    static double[] gradient(ThresholdModel model, double m, double n) {
        double s = model.s();
        double lam = model.lambda();
        double z = (Math.log(m) - model.a() - model.p() * Math.log(n)) / s;
        double fz = ThresholdModel.logistic(z);
        double dens = fz * (1 - fz);
        return new double[] {
            -(1 - lam) * dens / s,
            -(1 - lam) * dens * Math.log(n) / s,
            -(1 - lam) * dens * z,
            -fz * lam * (1 - lam)
        };
    }

    static double weight(ThresholdModel model, double m, double n) {
        double q = model.probability(m, n);
        return 1.0 / Math.max(q * (1 - q), 1e-12);
    }

    /** Fisher information of one Bernoulli trial at (m, n). */
    static double[][] information(ThresholdModel model, double m, double n) {
        double[] g = gradient(model, m, n);
        double w = weight(model, m, n);
        double[][] info = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                info[i][j] = w * g[i] * g[j];
            }
        }
        return info;
    }
}
