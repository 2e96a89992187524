package org.overparam.trainer.nets;

import java.util.Locale;

/**
 * The smooth activations of the {@code smooth} model (theory.md §5, paper 004 Remark 2), with their
 * first and second derivatives. Evaluated with {@link StrictMath} and {@link Erf}, so a trial's numbers are
 * the same on every JVM.
 *
 * <p>{@code gelu} is the exact {@code s Φ(s)} (Φ the standard normal CDF, {@link Erf#normalCdf}, a few ulp;
 * {@link GeluKernel} computes it and its slope over whole arrays with the same bits); {@code sigmoid}
 * and {@code softplus} are the usual functions, so {@code φ(0) = ½} and {@code ln 2} respectively: paper
 * 004's Assumption 2 asks {@code φ(0) = 0}, which {@code gelu} and {@code tanh} satisfy.
 */
public enum Activation {
    GELU, TANH, SIGMOID, SOFTPLUS;

    /** The config and table name. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static Activation parse(String s) {
        for (Activation a : values()) {
            if (a.key().equals(s)) {
                return a;
            }
        }
        return null;
    }

    /** The config names of all activations, comma-separated. */
    public static String knownKeys() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Activation::key).toList());
    }

    /** {@code φ(s)}. */
    public double value(double s) {
        return switch (this) {
            case GELU -> s * Erf.cdf(s, Erf.gaussian(s));
            case TANH -> StrictMath.tanh(s);
            case SIGMOID -> sigmoid(s);
            case SOFTPLUS -> s > 0 ? s + StrictMath.log1p(StrictMath.exp(-s)) : StrictMath.log1p(StrictMath.exp(s));
        };
    }

    /** {@code φ'(s)}. */
    public double derivative(double s) {
        return switch (this) {
            case GELU -> {
                double g = Erf.gaussian(s);
                yield ScalarGeluKernel.slope(s, g, Erf.cdf(s, g));
            }
            case TANH -> {
                double t = StrictMath.tanh(s);
                yield 1.0 - t * t;
            }
            case SIGMOID -> {
                double p = sigmoid(s);
                yield p * (1.0 - p);
            }
            case SOFTPLUS -> sigmoid(s);
        };
    }

    /** {@code φ''(s)}. */
    public double secondDerivative(double s) {
        return switch (this) {
            case GELU -> Erf.normalPdf(s) * (2.0 - s * s);
            case TANH -> {
                double t = StrictMath.tanh(s);
                yield -2.0 * t * (1.0 - t * t);
            }
            case SIGMOID -> {
                double p = sigmoid(s);
                yield p * (1.0 - p) * (1.0 - 2.0 * p);
            }
            case SOFTPLUS -> {
                double p = sigmoid(s);
                yield p * (1.0 - p);
            }
        };
    }

    /**
     * {@code φ̇max = sup_s |φ'(s)|} (paper 004 Assumption 2): 1 for tanh and softplus, ¼ for sigmoid, and
     * {@code φ'(√2) = Φ(√2) + √2 pdf(√2) ≈ 1.1289} for gelu (where {@code φ'' = pdf·(2 − s²)} vanishes).
     */
    public double maxDerivative() {
        return switch (this) {
            case GELU -> derivative(StrictMath.sqrt(2.0));
            case TANH, SOFTPLUS -> 1.0;
            case SIGMOID -> 0.25;
        };
    }

    private static double sigmoid(double s) {
        if (s >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-s));
        }
        double e = StrictMath.exp(s);
        return e / (1.0 + e);
    }
}
