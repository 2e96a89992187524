package org.overparam.sweep.threshold;

/**
 * The psychometric model of convergence: {@code P(m, n) = (1 - λ) F((ln m - a - p ln n) / s)} with F the
 * logistic function and λ the lapse rate (seeds that fail at any width). Parameters are kept in the
 * unconstrained form used by the fit: {@code logS = ln s}, {@code logitLambda = ln(λ / (1 - λ))}.
 */
public record ThresholdModel(double a, double p, double logS, double logitLambda) {

    public double s() {
        return Math.exp(logS);
    }

    public double lambda() {
        return 1.0 / (1.0 + Math.exp(-logitLambda));
    }

    /** Chance that a seed of width m at sample size n converges. */
    public double probability(double m, double n) {
        double z = (Math.log(m) - a - p * Math.log(n)) / s();
        return (1.0 - lambda()) * logistic(z);
    }

    /**
     * The width m*(n) at which the chance of convergence reaches {@code 1 - delta}; NaN when the lapse
     * makes that level unreachable ({@code λ >= delta}).
     */
    public double threshold(double n, double delta) {
        double target = (1.0 - delta) / (1.0 - lambda());
        if (target >= 1.0 || target <= 0.0) {
            return Double.NaN;
        }
        double z = Math.log(target / (1.0 - target));
        return Math.exp(a + p * Math.log(n) + s() * z);
    }

    /** Log-likelihood of the outcomes under this model. */
    public double logLikelihood(Iterable<Outcome> outcomes) {
        double ll = 0.0;
        for (Outcome o : outcomes) {
            double q = probability(o.m(), o.n());
            q = Math.min(Math.max(q, 1e-300), 1.0 - 1e-15);
            ll += o.success() ? Math.log(q) : Math.log1p(-q);
        }
        return ll;
    }

    double[] toArray() {
        return new double[] {a, p, logS, logitLambda};
    }

    public static ThresholdModel of(double[] x) {
        return new ThresholdModel(x[0], x[1], x[2], x[3]);
    }

    public static double logistic(double z) {
        return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
    }
}
