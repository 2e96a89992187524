package org.overparam.sweep.threshold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Says when the joint power-law fit does not fit, by two likelihood-ratio tests of the fitted model against
 * richer ones, each flagged below {@link #MISFIT_LEVEL}:
 * <ul>
 * <li><b>power law</b> ({@link #powerLawP}): against the free-threshold model (each n its own location
 * a_n, shared s and λ); deviance {@code 2 (ℓ_free − ℓ_joint)} on {@code K − 2} degrees of freedom (K
 * distinct n). Small when the thresholds are not a power law in n.</li>
 * <li><b>curve shape</b> ({@link #shapeP}): against Stukel's generalized logistic (Stukel 1988, JASA 83:426),
 * {@code P = (1 − λ) F(h_{α1,α2}(z))} with z the model's {@code (ln m − a − p ln n)/s} and h a monotone
 * stretch of the upper (α1) and lower (α2) half of the curve, {@code h = z} at α = 0; deviance on 2
 * degrees of freedom. Small when the success curve is not the logistic the search fits.</li>
 * </ul>
 * Why Stukel's family rather than a Hosmer–Lemeshow table of observed against fitted success: an adaptive
 * search repeats few (n, m) points many times, so groups by fitted probability are lumpy and the χ²(G − 2)
 * reference of such tables is not reliable there, while a likelihood-ratio test keeps its asymptotic χ²
 * reference (Wilks) under adaptive designs too (the likelihood does not depend on how the points were
 * chosen). Measured on 100 simulated 400-trial adaptive studies of the true model in each of three
 * settings: 0, 1 and 3 shape flags and 0, 1 and 1 power-law flags at the 1 % level. The family spans the departures that matter for a threshold: a skewed curve (α1 ≠ α2), and
 * a curve flatter in the middle with steeper sides (α1 = α2 > 0: a plateau, e.g. a mixture of two
 * sub-populations of seeds with different thresholds) or the reverse (α < 0: heavier tails). Both sides are
 * fitted with the same weak priors on s and λ as {@link ThresholdFitter}, so the shape deviance compares
 * penalized optima (no prior on α).
 *
 * @param deviance              power-law deviance {@code 2 (ℓ_free − ℓ_joint)}
 * @param degreesOfFreedom      its degrees of freedom, {@code K − 2} (0 with fewer than 3 distinct n)
 * @param powerLawP             its p-value (1 when there is nothing to test)
 * @param shapeDeviance         curve-shape deviance against Stukel's family
 * @param shapeDegreesOfFreedom its degrees of freedom, 2
 * @param shapeP                its p-value
 */
public record GoodnessOfFit(double deviance, int degreesOfFreedom, double powerLawP,
                            double shapeDeviance, int shapeDegreesOfFreedom, double shapeP) {

    /** Flag level: a fit with either p-value below it is reported as a misfit. */
    public static final double MISFIT_LEVEL = 0.01;

    /** The misfit kind of thresholds that are not a power law in n. */
    public static final String POWER_LAW = "power_law";
    /** The misfit kind of a success curve that is not the fitted shape. */
    public static final String SHAPE = "shape";

    /** Whether either test rejects at {@link #MISFIT_LEVEL}. */
    public boolean misfit() {
        return powerLawMisfit() || shapeMisfit();
    }

    public boolean powerLawMisfit() {
        return powerLawP < MISFIT_LEVEL;
    }

    public boolean shapeMisfit() {
        return shapeP < MISFIT_LEVEL;
    }

    /** "" when the fit fits; else the comma list of {@link #POWER_LAW} and {@link #SHAPE}, in that order. */
    public String misfitKinds() {
        List<String> kinds = new ArrayList<>(2);
        if (powerLawMisfit()) {
            kinds.add(POWER_LAW);
        }
        if (shapeMisfit()) {
            kinds.add(SHAPE);
        }
        return String.join(",", kinds);
    }

    public static GoodnessOfFit of(ThresholdFit joint, List<Outcome> outcomes) {
        double[] power = powerLaw(joint, outcomes);
        double shapeDev = shapeDeviance(joint.model(), outcomes);
        return new GoodnessOfFit(power[0], (int) power[1], power[2], shapeDev, 2, chiSquareSurvival(shapeDev, 2));
    }

    /** {deviance, df, p} of the power-law test. */
    private static double[] powerLaw(ThresholdFit joint, List<Outcome> outcomes) {
        int[] ns = outcomes.stream().mapToInt(Outcome::n).distinct().sorted().toArray();
        int k = ns.length;
        if (k < 3) {
            return new double[] {0.0, 0, 1.0};
        }
        ThresholdModel jm = joint.model();
        double[] start = new double[k + 2];
        for (int i = 0; i < k; i++) {
            start[i] = jm.a() + jm.p() * Math.log(ns[i]);
        }
        start[k] = jm.logS();
        start[k + 1] = jm.logitLambda();
        ToDoubleFunction<double[]> nll = x -> -freeLogLikelihood(x, ns, outcomes);
        double[] x = ThresholdFitter.minimize(ThresholdFitter.minimize(start, nll), nll);
        double llFree = Math.max(-nll.applyAsDouble(x), jm.logLikelihood(outcomes));
        double dev = 2 * (llFree - jm.logLikelihood(outcomes));
        int df = k - 2;
        return new double[] {dev, df, chiSquareSurvival(dev, df)};
    }

    private static double freeLogLikelihood(double[] x, int[] ns, List<Outcome> outcomes) {
        int k = ns.length;
        double s = Math.exp(x[k]);
        double lam = 1.0 / (1.0 + Math.exp(-x[k + 1]));
        double ll = 0;
        for (Outcome o : outcomes) {
            int i = Arrays.binarySearch(ns, o.n());
            double q = (1 - lam) * ThresholdModel.logistic((Math.log(o.m()) - x[i]) / s);
            q = Math.min(Math.max(q, 1e-300), 1.0 - 1e-15);
            ll += o.success() ? Math.log(q) : Math.log1p(-q);
        }
        return ll;
    }

    /**
     * {@code 2 (ℓ̃_Stukel − ℓ̃_joint)}, ℓ̃ the penalized log-likelihood of {@link ThresholdFitter#objective}: the
     * Stukel model is fitted from the joint estimate at α = (0, 0) and from a flattened and a sharpened
     * start, so its optimum is never below the joint one.
     */
    static double shapeDeviance(ThresholdModel joint, List<Outcome> outcomes) {
        // The joint optimum, polished: a warm-started fit a little short of it would inflate the deviance.
        ThresholdFitter fitter = new ThresholdFitter();
        ToDoubleFunction<double[]> g = x -> -fitter.objective(ThresholdModel.of(x), outcomes);
        double base = Math.max(fitter.objective(joint, outcomes), -g.applyAsDouble(ThresholdFitter.minimize(joint.toArray(), g)));
        ToDoubleFunction<double[]> f = x -> -stukelObjective(x, outcomes);
        double best = base;
        for (double[] alpha : new double[][] {{0.0, 0.0}, {1.0, 1.0}, {-0.5, -0.5}}) {
            double[] start = {joint.a(), joint.p(), joint.logS(), joint.logitLambda(), alpha[0], alpha[1]};
            double[] x = ThresholdFitter.minimize(ThresholdFitter.minimize(start, f), f);
            best = Math.max(best, -f.applyAsDouble(x));
        }
        return 2 * (best - base);
    }

    /** Penalized log-likelihood of Stukel's model at x = (a, p, ln s, logit λ, α1, α2). */
    static double stukelObjective(double[] x, List<Outcome> outcomes) {
        double s = Math.exp(x[2]);
        double lam = 1.0 / (1.0 + Math.exp(-x[3]));
        double ll = 0;
        for (Outcome o : outcomes) {
            double z = (Math.log(o.m()) - x[0] - x[1] * Math.log(o.n())) / s;
            double q = (1 - lam) * ThresholdModel.logistic(stukel(z, x[4], x[5]));
            q = Math.min(Math.max(q, 1e-300), 1.0 - 1e-15);
            ll += o.success() ? Math.log(q) : Math.log1p(-q);
        }
        double dl = (x[3] - ThresholdFitter.LAPSE_MEAN) / ThresholdFitter.LAPSE_SD;
        double ds = (x[2] - ThresholdFitter.LOG_S_MEAN) / ThresholdFitter.LOG_S_SD;
        double dp = (x[1] - ThresholdFitter.P_MEAN) / ThresholdFitter.P_SD;
        return ll - 0.5 * (dl * dl + ds * ds + dp * dp);
    }

    /**
     * Stukel's stretch h_{α1,α2}(z): for z ≥ 0, {@code (e^{α1 z} − 1)/α1} (α1 > 0), {@code −ln(1 − α1 z)/α1}
     * (α1 < 0), z (α1 = 0); for z &lt; 0 the mirror image with α2. Increasing in z, h(0) = 0, h'(0) = 1.
     */
    static double stukel(double z, double a1, double a2) {
        double alpha = z >= 0 ? a1 : a2;
        double u = Math.abs(z);
        double h;
        if (Math.abs(alpha) < 1e-12) {
            h = u;
        } else if (alpha > 0) {
            h = Math.expm1(alpha * u) / alpha;
        } else {
            h = -Math.log1p(-alpha * u) / alpha;
        }
        return z >= 0 ? h : -h;
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
