package org.overparam.sweep.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many parameters gradient descent trains in a net of width m on d inputs (theory.md §1–5): the N of the
 * jamming anchor's law N* ∝ n (Geiger, Spigler et al. 2019), so that thresholds of models whose parameter count
 * grows differently with m (m·d for relu, m² for one trained m × m layer) can be set side by side.
 * <ul>
 *   <li>relu: W, m·d (the output signs are fixed);</li>
 *   <li>wn: V and g, m·(d + 1);</li>
 *   <li>bn: a, c and V, m·(d + 2);</li>
 *   <li>grelu, deep-relu: the L trained m × m layers, L·m² (C, Ψ and B are fixed);</li>
 *   <li>smooth: both layers, m·(d + d_y).</li>
 * </ul>
 * {@code TrainedParametersTest} checks each count against the trainer's nets ({@code parameters().length}).
 */
public final class TrainedParameters {
    private TrainedParameters() {
    }

    /**
     * The trained parameters of {@code model} (its config name) with the {@link ModelVariant} string
     * {@code variant} (its {@code L} and {@code d_y}; defaults 1), at width {@code m} (a model threshold may be
     * fractional) and input dimension {@code d}; NaN for a model not listed above.
     */
    public static double count(String model, String variant, int d, double m) {
        Map<String, String> parts = parts(variant);
        int depth = Integer.parseInt(parts.getOrDefault("L", "1"));
        int dy = Integer.parseInt(parts.getOrDefault("d_y", "1"));
        return switch (model) {
            case "relu" -> m * d;
            case "wn" -> m * (d + 1);
            case "bn" -> m * (d + 2);
            case "grelu", "deep-relu" -> depth * m * m;
            case "smooth" -> m * (d + dy);
            default -> Double.NaN;
        };
    }

    /**
     * How N grows with m: 2 for the models that train m × m layers, else 1 — so an exponent p of m*(n) is an
     * exponent {@code p · degree} of N*(n). NaN for an unknown model.
     */
    public static double degree(String model) {
        return switch (model) {
            case "relu", "wn", "bn", "smooth" -> 1;
            case "grelu", "deep-relu" -> 2;
            default -> Double.NaN;
        };
    }

    private static Map<String, String> parts(String variant) {
        Map<String, String> out = new LinkedHashMap<>();
        if (variant != null) {
            for (String p : variant.split(",")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }
}
