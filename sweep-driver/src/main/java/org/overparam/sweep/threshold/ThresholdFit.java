package org.overparam.sweep.threshold;

/**
 * A maximum-likelihood fit of {@link ThresholdModel} to a fit group's outcomes: the estimate, the
 * covariance of (a, p, ln s, logit λ) from the observed information, and the 95 % interval of the width
 * exponent p: the profile-likelihood interval when {@link ThresholdFitter#withProfile} computed it (what the
 * search and the tables use: the Wald interval undercovers at the few hundred trials of a search), else Wald.
 */
public record ThresholdFit(ThresholdModel model, double[][] covariance, double logLikelihood, int trials,
                           double profileLow, double profileHigh) {

    private static final double Z95 = 1.959963984540054;

    /** A fit with the Wald interval only (no profile computed). */
    public ThresholdFit(ThresholdModel model, double[][] covariance, double logLikelihood, int trials) {
        this(model, covariance, logLikelihood, trials, Double.NaN, Double.NaN);
    }

    /** Whether p's interval is the profile-likelihood one ({@link ThresholdFitter#withProfile}). */
    public boolean hasProfile() {
        return !Double.isNaN(profileLow) || !Double.isNaN(profileHigh);
    }

    /** The 95 % interval of p: the profile-likelihood one when computed, else the Wald one. */
    public double pLow() {
        return hasProfile() ? profileLow : waldLow();
    }

    /** See {@link #pLow()}. */
    public double pHigh() {
        return hasProfile() ? profileHigh : waldHigh();
    }

    /** The standard error of p; NaN when the fit has no covariance (not a proper maximum). */
    public double pStdErr() {
        double v = covariance[1][1];
        return v > 0 ? Math.sqrt(v) : Double.NaN;
    }

    /** The Wald interval p ∓ 1.96 SE (NaN without a covariance). */
    public double waldLow() {
        return model.p() - Z95 * pStdErr();
    }

    /** See {@link #waldLow()}. */
    public double waldHigh() {
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
