package org.overparam.trainer.nets;

import java.util.Locale;

/**
 * The smooth activations of the {@code smooth} model (theory.md §5, paper 004 Remark 2), with their
 * first and second derivatives. Evaluated with {@link StrictMath}, so a trial's numbers are the same on
 * every JVM.
 *
 * <p>{@code gelu} is the exact {@code s Φ(s)} (Φ the standard normal CDF, by {@link #erfc}); {@code sigmoid}
 * and {@code softplus} are the usual functions, so {@code φ(0) = ½} and {@code ln 2} respectively: paper
 * 004's Assumption 2 asks {@code φ(0) = 0}, which {@code gelu} and {@code tanh} satisfy.
 */
public enum Activation {
    GELU, TANH, SIGMOID, SOFTPLUS;

    private static final double INV_SQRT_2 = 1.0 / StrictMath.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / StrictMath.sqrt(2.0 * StrictMath.PI);
    private static final double INV_SQRT_PI = 1.0 / StrictMath.sqrt(StrictMath.PI);

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
            case GELU -> s * normalCdf(s);
            case TANH -> StrictMath.tanh(s);
            case SIGMOID -> sigmoid(s);
            case SOFTPLUS -> s > 0 ? s + StrictMath.log1p(StrictMath.exp(-s)) : StrictMath.log1p(StrictMath.exp(s));
        };
    }

    /** {@code φ'(s)}. */
    public double derivative(double s) {
        return switch (this) {
            case GELU -> normalCdf(s) + s * INV_SQRT_2PI * StrictMath.exp(-0.5 * s * s);
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
            case GELU -> INV_SQRT_2PI * StrictMath.exp(-0.5 * s * s) * (2.0 - s * s);
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

    /** The standard normal CDF {@code Φ(s) = ½ erfc(−s/√2)}. */
    static double normalCdf(double s) {
        double z = s * INV_SQRT_2;
        return z >= 0 ? 1.0 - 0.5 * erfc(z) : 0.5 * erfc(-z);
    }

    /**
     * The complementary error function for {@code z ≥ 0}, to a few 1e−15 relative: for {@code z < 1.5}
     * {@code 1 − erf z} with the all-positive series {@code erf z = 2/√π e^{−z²} Σ_k (2z²)^k z/(1·3⋯(2k+1))};
     * beyond, the continued fraction {@code erfc z = e^{−z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + ⋯))))}
     * evaluated backwards from a fixed depth.
     */
    static double erfc(double z) {
        if (z < 0) {
            throw new IllegalArgumentException("erfc here takes z >= 0, got " + z);
        }
        if (z < 1.5) {
            double z2 = 2.0 * z * z;
            double term = z;
            double sum = z;
            for (int k = 1; k < 200; k++) {
                term *= z2 / (2 * k + 1);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return 1.0 - 2.0 * INV_SQRT_PI * StrictMath.exp(-z * z) * sum;
        }
        if (z > 27) {
            return 0.0;
        }
        double f = z;
        int depth = z < 2 ? 100 : z < 3 ? 60 : 40;        // enough for double precision (checked against tables)
        for (int k = depth; k >= 1; k--) {
            f = z + 0.5 * k / f;
        }
        return StrictMath.exp(-z * z) * INV_SQRT_PI / f;
    }
}
