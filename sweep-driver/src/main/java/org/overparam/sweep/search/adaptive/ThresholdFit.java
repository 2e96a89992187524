package org.overparam.sweep.search.adaptive;

/**
 * A maximum-likelihood fit of {@link ThresholdModel} to a fit group's outcomes: the estimate, the
 * covariance of (a, p, ln s, logit λ) from the observed information, and the 95 % (Wald) interval of the
 * width exponent p.
 */
public record ThresholdFit(ThresholdModel model, double[][] covariance, double logLikelihood, int trials) {

    private static final double Z95 = 1.959963984540054;

    /** The standard error of p; NaN when the fit has no covariance (not a proper maximum). */
    public double pStdErr() {
        double v = covariance[1][1];
        return v > 0 ? Math.sqrt(v) : Double.NaN;
    }

    public double pLow() {
        return model.p() - Z95 * pStdErr();
    }

    public double pHigh() {
        return model.p() + Z95 * pStdErr();
    }

    /** 95 % interval of ln m*(n) at level 1 - δ by the delta method, returned as {low, high} of m*. */
    public double[] thresholdInterval(double n, double delta) {
        double[] x = model.toArray();
        double centre = Math.log(model.threshold(n, delta));
        double[] g = new double[4];
        for (int i = 0; i < 4; i++) {
            double h = 1e-5 * Math.max(1.0, Math.abs(x[i]));
            double[] up = x.clone();
            double[] dn = x.clone();
            up[i] += h;
            dn[i] -= h;
            g[i] = (Math.log(ThresholdModel.of(up).threshold(n, delta))
                    - Math.log(ThresholdModel.of(dn).threshold(n, delta))) / (2 * h);
        }
        double var = 0.0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                var += g[i] * covariance[i][j] * g[j];
            }
        }
        double half = Z95 * Math.sqrt(Math.max(var, 0.0));
        return new double[] {Math.exp(centre - half), Math.exp(centre + half)};
    }
}
