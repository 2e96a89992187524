package org.overparam.trainer.nets;

/** {@link GeluKernel} in plain Java, one element at a time. */
final class ScalarGeluKernel implements GeluKernel {
    static final ScalarGeluKernel INSTANCE = new ScalarGeluKernel();

    private ScalarGeluKernel() {
    }

    @Override
    public void valuesAndSlopes(double[] pre, double[] values, double[] slopes, int from, int to) {
        for (int t = from; t < to; t++) {
            double s = pre[t];
            double g = Erf.gaussian(s);
            double phi = Erf.cdf(s, g);
            values[t] = s * phi;
            slopes[t] = slope(s, g, phi);
        }
    }

    /** {@code φ'(s) = Φ(s) + s·pdf(s)} given {@code g = exp(−s²/2)} and {@code phi = Φ(s)}. */
    static double slope(double s, double g, double phi) {
        return phi + s * (g * Erf.INV_SQRT_2PI);
    }
}
