package org.overparam.sweep.threshold;

import java.util.List;

/**
 * Fits {@link ThresholdModel} to binary outcomes by penalized maximum likelihood: the log-likelihood plus
 * weak Gaussian priors on the lapse ({@code logit λ ~ N(-4, 2²)}), the slope ({@code ln s ~ N(-1, 2²)}) and
 * the exponent ({@code p ~ N(1, 3²)}) that keep the optimum finite when the data are separable or show no
 * lapse. Where the curvature at the optimum is not positive definite the covariance is unknown (NaN): no
 * interval, so a search never stops on a spurious one. Nelder–Mead from several
 * deterministic starts; the covariance is the inverse of the finite-difference Hessian at the optimum.
 * Deterministic: no randomness at all.
 */
public final class ThresholdFitter {

    static final double LAPSE_MEAN = -4.0;
    static final double LAPSE_SD = 2.0;
    static final double LOG_S_MEAN = -1.0;
    static final double LOG_S_SD = 2.0;

    static final double P_MEAN = 1.0;
    static final double P_SD = 3.0;

    /** The penalized log-likelihood (the fit's objective, to be maximized). */
    public double objective(ThresholdModel model, List<Outcome> outcomes) {
        return objective(model, Tally.of(outcomes));
    }

    private static double objective(ThresholdModel model, Tally tally) {
        double dl = (model.logitLambda() - LAPSE_MEAN) / LAPSE_SD;
        double ds = (model.logS() - LOG_S_MEAN) / LOG_S_SD;
        double dp = (model.p() - P_MEAN) / P_SD;
        return tally.logLikelihood(model) - 0.5 * (dl * dl + ds * ds + dp * dp);
    }

    public ThresholdFit fit(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("no outcomes to fit");
        }
        return fit(outcomes, Tally.of(outcomes));
    }

    private ThresholdFit fit(List<Outcome> outcomes, Tally tally) {
        double meanLogM = outcomes.stream().mapToDouble(o -> Math.log(o.m())).average().orElse(0);
        double meanLogN = outcomes.stream().mapToDouble(o -> Math.log(o.n())).average().orElse(0);
        double best = Double.NEGATIVE_INFINITY;
        double[] bestX = null;
        for (double p0 : new double[] {0.0, 0.5, 1.0, 1.5, 2.0}) {
            double[] start = {meanLogM - p0 * meanLogN, p0, -1.0, LAPSE_MEAN};
            double[] x = nelderMead(start, tally);
            double v = objective(ThresholdModel.of(x), tally);
            if (v > best) {
                best = v;
                bestX = x;
            }
        }
        return finish(nelderMead(bestX, tally), tally);
    }

    /** Fits from a given start (a previous stage's estimate), one Nelder–Mead run plus a restart. */
    public ThresholdFit fitFrom(ThresholdModel start, List<Outcome> outcomes) {
        Tally tally = Tally.of(outcomes);
        double[] x = nelderMead(nelderMead(start.toArray(), tally), tally);
        return finish(x, tally);
    }

    private ThresholdFit finish(double[] bestX, Tally tally) {
        ThresholdModel model = ThresholdModel.of(bestX);
        double[][] info = negHessian(bestX, tally);
        // Not a proper maximum (separable outcomes leave directions flat or curved the wrong way): no
        // covariance, so no interval, rather than a spurious zero or negative variance.
        double[][] cov = positiveDefinite(info) ? invert(info) : unknownCovariance(info.length);
        return new ThresholdFit(model, cov, tally.logLikelihood(model), tally.size);
    }

    private static double f(double[] x, Tally tally) {
        return -objective(ThresholdModel.of(x), tally);
    }

    private static double[] nelderMead(double[] start, Tally tally) {
        return minimize(start, x -> f(x, tally));
    }

    /** Nelder–Mead minimization of {@code fn} from {@code start} (deterministic, unit-half initial simplex). */
    static double[] minimize(double[] start, java.util.function.ToDoubleFunction<double[]> fn) {
        int d = start.length;
        double[][] simplex = new double[d + 1][];
        double[] values = new double[d + 1];
        simplex[0] = start.clone();
        for (int i = 0; i < d; i++) {
            simplex[i + 1] = start.clone();
            simplex[i + 1][i] += 0.5;
        }
        for (int i = 0; i <= d; i++) {
            values[i] = fn.applyAsDouble(simplex[i]);
        }
        for (int iter = 0; iter < 1000 * d; iter++) {
            // order
            for (int i = 1; i <= d; i++) {
                for (int j = i; j > 0 && values[j] < values[j - 1]; j--) {
                    double tv = values[j]; values[j] = values[j - 1]; values[j - 1] = tv;
                    double[] tx = simplex[j]; simplex[j] = simplex[j - 1]; simplex[j - 1] = tx;
                }
            }
            if (Math.abs(values[d] - values[0]) < 1e-10 * (1 + Math.abs(values[0])) && iter > 50) {
                break;
            }
            double[] centroid = new double[d];
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) {
                    centroid[k] += simplex[i][k] / d;
                }
            }
            double[] xr = along(centroid, simplex[d], -1.0);
            double fr = fn.applyAsDouble(xr);
            if (fr < values[0]) {
                double[] xe = along(centroid, simplex[d], -2.0);
                double fe = fn.applyAsDouble(xe);
                if (fe < fr) {
                    simplex[d] = xe; values[d] = fe;
                } else {
                    simplex[d] = xr; values[d] = fr;
                }
            } else if (fr < values[d - 1]) {
                simplex[d] = xr; values[d] = fr;
            } else {
                double[] xc = fr < values[d] ? along(centroid, simplex[d], -0.5) : along(centroid, simplex[d], 0.5);
                double fc = fn.applyAsDouble(xc);
                if (fc < Math.min(fr, values[d])) {
                    simplex[d] = xc; values[d] = fc;
                } else {
                    for (int i = 1; i <= d; i++) {
                        for (int k = 0; k < d; k++) {
                            simplex[i][k] = simplex[0][k] + 0.5 * (simplex[i][k] - simplex[0][k]);
                        }
                        values[i] = fn.applyAsDouble(simplex[i]);
                    }
                }
            }
        }
        int arg = 0;
        for (int i = 1; i <= d; i++) {
            if (values[i] < values[arg]) {
                arg = i;
            }
        }
        return simplex[arg];
    }

    private static double[] along(double[] c, double[] worst, double t) {
        double[] x = new double[c.length];
        for (int k = 0; k < c.length; k++) {
            x[k] = c[k] + t * (worst[k] - c[k]);
        }
        return x;
    }

    private static double[][] negHessian(double[] x, Tally outcomes) {
        int d = x.length;
        double[][] h = new double[d][d];
        double[] step = new double[d];
        for (int i = 0; i < d; i++) {
            step[i] = 1e-4 * Math.max(1.0, Math.abs(x[i]));
        }
        double f0 = f(x, outcomes);
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v;
                if (i == j) {
                    v = (f(shift(x, i, step[i], i, 0), outcomes) - 2 * f0 + f(shift(x, i, -step[i], i, 0), outcomes))
                            / (step[i] * step[i]);
                } else {
                    v = (f(shift(x, i, step[i], j, step[j]), outcomes) - f(shift(x, i, step[i], j, -step[j]), outcomes)
                            - f(shift(x, i, -step[i], j, step[j]), outcomes) + f(shift(x, i, -step[i], j, -step[j]), outcomes))
                            / (4 * step[i] * step[j]);
                }
                h[i][j] = v;
                h[j][i] = v;
            }
        }
        return h;
    }

    private static double[] shift(double[] x, int i, double di, int j, double dj) {
        double[] y = x.clone();
        y[i] += di;
        y[j] += dj;
        return y;
    }

    /** Half the 95 % point of χ² with one degree of freedom: the drop of the log-likelihood at the interval's ends. */
    private static final double HALF_CHI2_95 = 3.841458820694124 / 2;

    /**
     * The fit with the 95 % profile-likelihood interval of p: the values of p at which the penalized
     * log-likelihood, maximized over (a, ln s, logit λ) with p held, falls {@code χ²₁(0.95)/2} below its
     * maximum. Each end is bracketed by steps doubling from the standard error and then bisected; an end
     * not reached within |Δp| ≤ 20 is infinite. Better calibrated than Wald at small samples and sharp
     * curves, where the likelihood is far from quadratic.
     */
    public ThresholdFit withProfile(ThresholdFit fit, List<Outcome> list) {
        Tally outcomes = Tally.of(list);
        double[] x = fit.model().toArray();
        double top = objective(fit.model(), outcomes);
        double meanLogN = list.stream().mapToDouble(o -> Math.log(o.n())).average().orElse(0);
        double se = fit.pStdErr();
        double h = Double.isFinite(se) && se > 1e-3 ? se : 0.1;
        double low = end(x, -1, h, top, meanLogN, outcomes);
        double high = end(x, +1, h, top, meanLogN, outcomes);
        return new ThresholdFit(fit.model(), fit.covariance(), fit.logLikelihood(), fit.trials(), low, high);
    }

    /** One end of the profile interval, in direction {@code dir} from the estimate. */
    private static double end(double[] x, int dir, double h, double top, double meanLogN, Tally outcomes) {
        double p0 = x[1];
        double[] inner = {x[0], x[2], x[3]};
        double inside = 0;
        double outside = Double.NaN;
        double[] innerAtInside = inner;
        for (double step = h; step <= 20; step *= 2) {
            double[] at = profileInner(innerAtInside, p0, inside, dir * step, meanLogN, outcomes);
            if (top - profileValue(at, p0 + dir * step, outcomes) > HALF_CHI2_95) {
                outside = step;
                break;
            }
            inside = step;
            innerAtInside = at;
        }
        if (Double.isNaN(outside)) {
            return dir * Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < 30 && outside - inside > 1e-4; i++) {
            double mid = (inside + outside) / 2;
            double[] at = profileInner(innerAtInside, p0, inside, dir * mid, meanLogN, outcomes);
            if (top - profileValue(at, p0 + dir * mid, outcomes) > HALF_CHI2_95) {
                outside = mid;
            } else {
                inside = mid;
                innerAtInside = at;
            }
        }
        return p0 + dir * (inside + outside) / 2;
    }

    /**
     * The maximizer of (a, ln s, logit λ) at p = p0 + delta, started from the one at p0 + (dir·from) with a
     * moved so that the threshold at the mean ln n stays put.
     */
    private static double[] profileInner(double[] start, double p0, double from, double delta, double meanLogN, Tally outcomes) {
        double p = p0 + delta;
        double[] s0 = start.clone();
        s0[0] -= (delta - Math.signum(delta) * from) * meanLogN;
        java.util.function.ToDoubleFunction<double[]> fn = y -> -profileValue(y, p, outcomes);
        return minimize(minimize(s0, fn), fn);
    }

    private static double profileValue(double[] inner, double p, Tally outcomes) {
        return objective(new ThresholdModel(inner[0], p, inner[1], inner[2]), outcomes);
    }

    /** Whether a symmetric matrix is positive definite (its Cholesky factorization succeeds). */
    static boolean positiveDefinite(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 1e-12 * Math.max(1.0, Math.abs(a[i][i])))) {
                        return false;
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return true;
    }

    private static double[][] unknownCovariance(int d) {
        double[][] c = new double[d][d];
        for (double[] row : c) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        return c;
    }

    /** Gauss–Jordan inverse with partial pivoting. */
    public static double[][] invert(double[][] m) {
        int d = m.length;
        double[][] a = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(m[i], 0, a[i], 0, d);
            a[i][d + i] = 1.0;
        }
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            double pv = a[c][c];
            if (pv == 0.0) {
                throw new ArithmeticException("singular information matrix");
            }
            for (int k = 0; k < 2 * d; k++) {
                a[c][k] /= pv;
            }
            for (int r = 0; r < d; r++) {
                if (r != c && a[r][c] != 0.0) {
                    double fct = a[r][c];
                    for (int k = 0; k < 2 * d; k++) {
                        a[r][k] -= fct * a[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a[i], d, inv[i], 0, d);
        }
        return inv;
    }
}
