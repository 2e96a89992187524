package org.overparam.sweep.search.adaptive;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the next batch of (n, m) trials of an adaptive search. Under the Laplace approximation of the
 * posterior (precision = inverse of the fit's covariance), a trial at (n, m) adds the Fisher information
 * {@code g gᵀ / (q (1 - q))}, g the gradient of q = P(m, n) in (a, p, ln s, logit λ). The batch is built
 * greedily: each pick is the candidate that most reduces the expected posterior variance of the exponent
 * p (a c-optimal design, the Gaussian counterpart of QUEST+'s expected entropy). Candidates: every n of
 * the grid and log-spaced integer widths in [lo, hi]. Deterministic: ties go to the first candidate.
 */
public final class BatchDesigner {

    /** Prior standard deviations of (a, p, ln s, logit λ), the design's covariance when a fit has none. */
    private static final double[] PRIOR_SD = {3.0, 3.0, 2.0, 2.0};

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
     * The next {@code size} trials (repeats allowed: distinct seeds run at one point). Each pick updates the
     * posterior covariance by Sherman–Morrison, so a candidate costs O(16).
     */
    public List<Outcome> nextBatch(ThresholdFit fit, int size) {
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
        List<Integer> ms = candidateWidths();
        List<Outcome> batch = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            double bestVar = Double.POSITIVE_INFINITY;
            double[] bestU = null;
            double bestW = 0;
            Outcome bestPoint = null;
            for (int n : ns) {
                for (int m : ms) {
                    double[] g = gradient(fit.model(), m, n);
                    double w = weight(fit.model(), m, n);
                    double[] u = times(cov, g);
                    double denom = 1 + w * dot(g, u);
                    double var = cov[1][1] - w * u[1] * u[1] / denom;
                    if (var < bestVar) {
                        bestVar = var;
                        bestU = u;
                        bestW = w / denom;
                        bestPoint = new Outcome(n, m, false);
                    }
                }
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    cov[i][j] -= bestW * bestU[i] * bestU[j];
                }
            }
            batch.add(bestPoint);
        }
        return batch;
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
