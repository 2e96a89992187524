package org.overparam.sweep.config;

import java.util.List;

/**
 * The expanded axes of {@code grid:}, each non-empty, sorted ascending and free of duplicates.
 * {@code alpha} is empty when no model of the sweep uses α; {@code d} is empty for file data
 * (the file fixes it).
 */
public record Grid(List<Double> alpha, List<Integer> m, List<Integer> n, List<Integer> d, List<Double> eta) {
    public Grid {
        alpha = List.copyOf(alpha);
        m = List.copyOf(m);
        n = List.copyOf(n);
        d = List.copyOf(d);
        eta = List.copyOf(eta);
    }
}
