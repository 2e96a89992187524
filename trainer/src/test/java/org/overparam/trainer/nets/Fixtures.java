package org.overparam.trainer.nets;

import java.util.Random;
import org.overparam.trainer.data.Dataset;

/** Test inputs for the model tests, drawn with java.util.Random (independent of the code under test). */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * {@code n} Gaussian inputs in {@code R^d} with row norms spread over [0.5, 2] (the formulas hold for
     * any nonzero x, not only the sphere) and Gaussian targets.
     */
    static Dataset randomData(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = r.nextGaussian();
                s += x[i * d + j] * x[i * d + j];
            }
            double target = 0.5 + 1.5 * r.nextDouble();
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= target / Math.sqrt(s);
            }
            y[i] = r.nextGaussian();
        }
        return new Dataset(n, d, x, y);
    }

    static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += a[aOff + j] * b[bOff + j];
        }
        return s;
    }

    static double norm(double[] a, int off, int len) {
        return Math.sqrt(dot(a, off, a, off, len));
    }

    static double norm(double[] a) {
        return norm(a, 0, a.length);
    }
}
