package org.overparam.sweep.config;

import java.util.List;
import org.overparam.trainer.trial.models.ModelAxes;

/**
 * The expanded axes of {@code grid:}, each non-empty, sorted ascending and free of duplicates.
 * {@code alpha} is empty when no model of the sweep uses α; {@code d} is empty for file data
 * (the file fixes it); {@code n} is empty for the dyadic data ({@code n = 2d}); {@code model} holds the
 * model-specific axes.
 */
public record Grid(List<Double> alpha, List<Integer> m, List<Integer> n, List<Integer> d, List<Double> eta,
                   ModelAxes model) {
    /** A grid without model-specific axes. */
    public Grid(List<Double> alpha, List<Integer> m, List<Integer> n, List<Integer> d, List<Double> eta) {
        this(alpha, m, n, d, eta, ModelAxes.NONE);
    }

    public Grid {
        java.util.Objects.requireNonNull(model, "model");
        alpha = List.copyOf(alpha);
        m = List.copyOf(m);
        n = List.copyOf(n);
        d = List.copyOf(d);
        eta = List.copyOf(eta);
    }
}
