package org.overparam.trainer.ntk;

/**
 * A dense symmetric {@code n×n} matrix stored in full, row-major (so also column-major): a Gram or
 * kernel matrix over the training examples.
 */
public record SymmetricMatrix(int n, double[] values) {
    public SymmetricMatrix {
        if (values.length != (long) n * n) {
            throw new IllegalArgumentException("expected " + ((long) n * n) + " values for n=" + n + ", got " + values.length);
        }
    }

    public double get(int i, int j) {
        return values[i * n + j];
    }

    /** {@code a·this + b·other}, elementwise. */
    public SymmetricMatrix combine(double a, SymmetricMatrix other, double b) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a * values[i] + b * other.values[i];
        }
        return new SymmetricMatrix(n, out);
    }

    /** The largest {@code |a_ij − b_ij|}. */
    public double maxAbsDifference(SymmetricMatrix other) {
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            worst = Math.max(worst, Math.abs(values[i] - other.values[i]));
        }
        return worst;
    }
}
