package org.overparam.sweep.threshold;

/** One binary trial result of a fit group: width {@code m} at sample size {@code n} converged or not. */
public record Outcome(int n, int m, boolean success) {
    public Outcome {
        if (n <= 0 || m <= 0) {
            throw new IllegalArgumentException("n and m must be positive, got n=" + n + " m=" + m);
        }
    }
}
