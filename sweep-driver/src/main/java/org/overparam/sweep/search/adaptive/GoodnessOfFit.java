package org.overparam.sweep.search.adaptive;

import java.util.List;

/**
 * Says when the joint power-law fit does not fit. A likelihood-ratio test against the free-threshold model
 * (each n its own location a_n, shared s and λ): deviance {@code 2 (ℓ_free − ℓ_joint)} on {@code K − 2}
 * degrees of freedom (K distinct n) gives {@code powerLawP}; a small value flags thresholds that are not
 * a power law in n.
 */
public record GoodnessOfFit(double deviance, int degreesOfFreedom, double powerLawP) {

    /** Flag level: a fit whose power-law p-value is below it is reported as a misfit. */
    public static final double MISFIT_LEVEL = 0.01;

    public boolean misfit() {
        return powerLawP < MISFIT_LEVEL;
    }

    public static GoodnessOfFit of(ThresholdFit joint, List<Outcome> outcomes) {
        int[] ns = outcomes.stream().mapToInt(Outcome::n).distinct().sorted().toArray();
        int k = ns.length;
        if (k < 3) {
            return new GoodnessOfFit(0.0, 0, 1.0);
        }
        ThresholdModel jm = joint.model();
        double[] start = new double[k + 2];
        for (int i = 0; i < k; i++) {
            start[i] = jm.a() + jm.p() * Math.log(ns[i]);
        }
        start[k] = jm.logS();
        start[k + 1] = jm.logitLambda();
        java.util.function.ToDoubleFunction<double[]> nll = x -> -freeLogLikelihood(x, ns, outcomes);
        double[] x = ThresholdFitter.minimize(ThresholdFitter.minimize(start, nll), nll);
        double llFree = Math.max(-nll.applyAsDouble(x), jm.logLikelihood(outcomes));
        double dev = 2 * (llFree - jm.logLikelihood(outcomes));
        int df = k - 2;
        return new GoodnessOfFit(dev, df, chiSquareSurvival(dev, df));
    }

    private static double freeLogLikelihood(double[] x, int[] ns, List<Outcome> outcomes) {
        int k = ns.length;
        double s = Math.exp(x[k]);
        double lam = 1.0 / (1.0 + Math.exp(-x[k + 1]));
        double ll = 0;
        for (Outcome o : outcomes) {
            int i = java.util.Arrays.binarySearch(ns, o.n());
            double q = (1 - lam) * ThresholdModel.logistic((Math.log(o.m()) - x[i]) / s);
            q = Math.min(Math.max(q, 1e-300), 1.0 - 1e-15);
            ll += o.success() ? Math.log(q) : Math.log1p(-q);
        }
        return ll;
    }

    /** P(χ²_df > x): the regularized upper incomplete gamma Q(df/2, x/2). */
    static double chiSquareSurvival(double x, int df) {
        if (x <= 0) {
            return 1.0;
        }
        double a = df / 2.0;
        double z = x / 2.0;
        double lnPre = -z + a * Math.log(z) - logGamma(a);
        if (z < a + 1) {
            double sum = 1.0 / a;
            double term = sum;
            for (int n = 1; n < 1000; n++) {
                term *= z / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            return Math.max(0.0, 1.0 - sum * Math.exp(lnPre));
        }
        double b = z + 1 - a;
        double c = 1.0 / 1e-300;
        double d = 1.0 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) {
                d = 1e-300;
            }
            c = b + an / c;
            if (Math.abs(c) < 1e-300) {
                c = 1e-300;
            }
            d = 1.0 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1.0) < 1e-15) {
                break;
            }
        }
        return Math.exp(lnPre) * h;
    }

    /** Lanczos log-gamma (g = 7, n = 9), relative error below 1e-13 for positive arguments. */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

}
