package org.overparam.trainer.data;

import java.util.Objects;

/**
 * A training set: {@code n} inputs in {@code R^d} stored row-major in {@code x} (row i is
 * {@code x[i*d .. i*d+d)}) and {@code dy} real targets per input, row-major in {@code y} (row i is
 * {@code y[i*dy .. i*dy+dy)}); {@code dy = 1} (one target per input) unless a multi-output model
 * (grelu, deep-relu, smooth) asks for more.
 */
public record Dataset(int n, int d, double[] x, double[] y, int dy) {
    public Dataset {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (n < 1 || d < 1 || dy < 1) {
            throw new IllegalArgumentException("dataset needs n >= 1, d >= 1 and dy >= 1, got n=" + n + ", d=" + d + ", dy=" + dy);
        }
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x has " + x.length + " entries, expected n*d = " + ((long) n * d));
        }
        if (y.length != (long) n * dy) {
            throw new IllegalArgumentException("y has " + y.length + " entries, expected n" + (dy == 1 ? "" : "*dy") + " = " + ((long) n * dy));
        }
    }

    /** One target per input. */
    public Dataset(int n, int d, double[] x, double[] y) {
        this(n, d, x, y, 1);
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
