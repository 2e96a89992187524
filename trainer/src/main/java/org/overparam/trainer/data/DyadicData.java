package org.overparam.trainer.data;

/**
 * The dyadic data set of paper 001 Definition 1.1: {@code x_j = 2^{−j} e_j} with {@code y_j = +1} and
 * {@code x_{d+j} = −2^{−j} e_j} with {@code y_{d+j} = −1}, {@code j = 1..d}; so {@code n = 2d} always.
 * Every {@code ‖x_i‖ ≤ ½} and the mean is 0 (centring changes nothing). Its max-margin linear predictor
 * has margin {@link #closedFormMargin} (Proposition 1.1); the trials compute it themselves
 * ({@code MaxMarginLinear}) and tests compare the two.
 */
public record DyadicData() implements DataSource {
    private static final long serialVersionUID = 1L;

    @Override
    public Dataset load(int n, int d) {
        if (n != 2 * d) {
            throw new IllegalArgumentException("the dyadic data set has n = 2d examples: d=" + d + " needs n=" + (2 * d) + ", got n=" + n);
        }
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int j = 1; j <= d; j++) {
            double scale = StrictMath.scalb(1.0, -j);
            x[(j - 1) * d + (j - 1)] = scale;
            y[j - 1] = 1.0;
            x[(d + j - 1) * d + (j - 1)] = -scale;
            y[d + j - 1] = -1.0;
        }
        return new Dataset(n, d, x, y);
    }

    @Override
    public String identity() {
        return "dyadic";
    }

    /** Proposition 1.1: {@code γ_linear = sqrt(3/(4^{d+1} − 4))}. */
    public static double closedFormMargin(int d) {
        return Math.sqrt(3.0 / (Math.pow(4.0, d + 1) - 4.0));
    }
}
