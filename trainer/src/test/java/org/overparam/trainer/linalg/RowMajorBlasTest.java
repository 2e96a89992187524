package org.overparam.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The row-major products against triple loops, and the two forms of {@code Aᵀ B} against each other. */
class RowMajorBlasTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    private static double[] random(Random r, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    @ParameterizedTest(name = "n={0} m={1} k={2}")
    @CsvSource({"7, 33, 3", "5, 2, 9", "40, 1024, 50", "1, 1, 1", "3, 64, 64", "17, 100, 37"})
    void productsMatchTripleLoops(int n, int m, int k) {
        Random r = new Random(n * 1000L + m * 10L + k);
        double[] a = random(r, n * k);
        double[] b = random(r, m * k);
        double[] p = new double[n * m];
        BLAS.timesTransposed(n, m, k, a, b, p);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += a[i * k + t] * b[j * k + t];
                }
                assertEquals(s, p[i * m + j], 1e-12 * (1 + Math.abs(s)), "P[" + i + "," + j + "]");
            }
        }

        double[] d = random(r, n * m);
        double[] x = random(r, n * k);
        double[] direct = new double[m * k];
        double[] viaTranspose = new double[m * k];
        BLAS.transposedTimes(n, m, k, d, x, direct);
        BLAS.transposedTimes(n, m, k, d, x, viaTranspose, new double[m * k]);
        for (int j = 0; j < m; j++) {
            for (int t = 0; t < k; t++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += d[i * m + j] * x[i * k + t];
                }
                assertEquals(s, direct[j * k + t], 1e-12 * (1 + Math.abs(s)), "Q[" + j + "," + t + "]");
            }
        }
        assertArrayEquals(direct, viaTranspose, 1e-12 * n);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "3, 70", "70, 3", "32, 32", "33, 65"})
    void transposeIsExact(int rows, int cols) {
        double[] in = random(new Random(rows * 31L + cols), rows * cols);
        double[] out = new double[rows * cols];
        RowMajorBlas.transpose(rows, cols, in, out);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(in[i * cols + j], out[j * rows + i]);
            }
        }
    }
}
