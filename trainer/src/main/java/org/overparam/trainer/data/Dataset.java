package org.overparam.trainer.data;

import java.util.Objects;

/**
 * A training set: {@code n} inputs in {@code R^d} stored row-major in {@code x} (row i is
 * {@code x[i*d .. i*d+d)}) and one real target per input.
 */
public record Dataset(int n, int d, double[] x, double[] y) {
    public Dataset {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("dataset needs n >= 1 and d >= 1, got n=" + n + ", d=" + d);
        }
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x has " + x.length + " entries, expected n*d = " + ((long) n * d));
        }
        if (y.length != n) {
            throw new IllegalArgumentException("y has " + y.length + " entries, expected n = " + n);
        }
    }

    /** Euclidean norm of input row {@code i}. */
    public double rowNorm(int i) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double v = x[i * d + j];
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
