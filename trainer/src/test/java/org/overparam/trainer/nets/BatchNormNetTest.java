package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@code bn} (paper 001 Sec. 1.3): the forward pass against a naive implementation with an explicit
 * {@code Σ}, and the full-batch and one-example gradients against central finite differences of that
 * naive risk, for {@code a}, {@code c} and {@code V}.
 */
class BatchNormNetTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final double H = 1e-6;

    /** Binary data with an offset mean (so centring matters) and labels ±1 from a random direction. */
    static Dataset binaryData(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        double[] u = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = 0.3 + 0.5 * r.nextGaussian();
                s += u[j] * x[i * d + j];
            }
            y[i] = s >= 0.3 ? 1 : -1;
        }
        return new Dataset(n, d, x, y);
    }

    /** The naive risk (or one example's loss when {@code only >= 0}) at parameters θ = (a, c, V). */
    static double naiveRisk(Dataset data, double[] theta, int m, double eps, int only) {
        int n = data.n();
        int d = data.d();
        double[] mu = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mu[j] += data.x()[i * d + j] / n;
            }
        }
        double[][] sigma = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    sigma[j][k] += (data.x()[i * d + j] - mu[j]) * (data.x()[i * d + k] - mu[k]) / n;
                }
            }
        }
        double[] norm = new double[m];
        for (int q = 0; q < m; q++) {
            double s = eps;
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    s += theta[2 * m + q * d + j] * sigma[j][k] * theta[2 * m + q * d + k];
                }
            }
            norm[q] = Math.sqrt(s);
        }
        double risk = 0;
        for (int i = 0; i < n; i++) {
            if (only >= 0 && i != only) {
                continue;
            }
            double f = 0;
            for (int q = 0; q < m; q++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += theta[2 * m + q * d + j] * (data.x()[i * d + j] - mu[j]);
                }
                f += theta[q] * Math.max(0, theta[m + q] * dot / norm[q]);
            }
            risk += Math.log1p(Math.exp(-data.y()[i] * f));
        }
        return only >= 0 ? risk : risk / n;
    }

    @ParameterizedTest(name = "n={0} d={1} m={2} eps={3}")
    @CsvSource({"12, 4, 7, 1e-5", "20, 3, 16, 0.1", "9, 12, 5, 0.0", "30, 8, 20, 1e-3"})
    void forwardMatchesNaiveRisk(int n, int d, int m, double eps) {
        Dataset data = binaryData(n, d, 7L * n + d);
        BatchNormNet net = new BatchNormNet(data, 3, m, eps, BLAS);
        assertEquals(naiveRisk(data, net.parameters(), m, eps, -1), net.forward(), 1e-13);
        perturb(net, new Random(1));
        assertEquals(naiveRisk(data, net.parameters(), m, eps, -1), net.forward(), 1e-13);
        double[] f = net.outputs();
        double[] again = net.predict(data.x(), n);
        for (int i = 0; i < n; i++) {
            assertEquals(f[i], again[i], 1e-13, "predict on the training set");
        }
    }

    @ParameterizedTest(name = "n={0} d={1} m={2} eps={3}")
    @CsvSource({"12, 4, 7, 1e-5", "20, 3, 16, 0.1", "9, 12, 5, 0.0", "30, 8, 20, 1e-3"})
    void fullGradientMatchesFiniteDifferences(int n, int d, int m, double eps) {
        Dataset data = binaryData(n, d, 7L * n + d);
        BatchNormNet net = new BatchNormNet(data, 3, m, eps, BLAS);
        perturb(net, new Random(2));
        net.forward();
        double[] grad = net.gradient();
        checkCoordinates(net, grad, theta -> naiveRisk(data, theta, m, eps, -1), m, d);
    }

    @ParameterizedTest(name = "n={0} d={1} m={2} eps={3}")
    @CsvSource({"12, 4, 7, 1e-5", "9, 12, 5, 0.0", "30, 8, 20, 1e-3"})
    void exampleGradientMatchesFiniteDifferencesAndAveragesToTheFullGradient(int n, int d, int m, double eps) {
        Dataset data = binaryData(n, d, 7L * n + d);
        BatchNormNet net = new BatchNormNet(data, 5, m, eps, BLAS);
        perturb(net, new Random(4));
        double[] mean = new double[2 * m + m * d];
        for (int i = 0; i < n; i++) {
            double[] g = net.exampleGradient(i);
            for (int k = 0; k < g.length; k++) {
                mean[k] += g[k] / n;
            }
            if (i % 4 == 0) {
                int only = i;
                checkCoordinates(net, g, theta -> naiveRisk(data, theta, m, eps, only), m, d);
            }
        }
        net.forward();
        double[] full = net.gradient();
        for (int k = 0; k < full.length; k++) {
            assertEquals(full[k], mean[k], 1e-12 * (1 + Math.abs(full[k])), "mean of example gradients, coordinate " + k);
        }
    }

    @Test
    void sgdStepMovesAgainstTheExampleGradient() {
        Dataset data = binaryData(10, 4, 9);
        BatchNormNet net = new BatchNormNet(data, 1, 6, 1e-5, BLAS);
        double[] before = net.parameters();
        double[] g = net.exampleGradient(3);
        net.sgdStep(3, 0.25);
        double[] after = net.parameters();
        for (int k = 0; k < before.length; k++) {
            assertEquals(before[k] - 0.25 * g[k], after[k], 1e-15);
        }
    }

    @Test
    void initializationFollowsThePaper() {
        Dataset data = binaryData(40, 50, 3);
        int m = 4000;
        BatchNormNet net = new BatchNormNet(data, 8, m, 1e-5, BLAS);
        double[] theta = net.parameters();
        double sa = 0;
        double sv = 0;
        for (int j = 0; j < m; j++) {
            sa += theta[j] * theta[j];
            assertEquals(1.0, theta[m + j], 0.0, "c = 1");
        }
        for (int k = 2 * m; k < theta.length; k++) {
            sv += theta[k] * theta[k];
        }
        assertEquals(1.0 / m, sa / m, 0.05 / m, "var a = 1/m");
        assertEquals(1.0 / 50, sv / (m * 50.0), 0.05 / 50, "var V = 1/d");
        // A wider net extends a narrower one.
        BatchNormNet narrow = new BatchNormNet(data, 8, 10, 1e-5, BLAS);
        double[] t10 = narrow.parameters();
        for (int k = 0; k < 10 * 50; k++) {
            assertEquals(theta[2 * m + k], t10[20 + k], 0.0);
        }
    }

    @Test
    void refusesLabelsOtherThanPlusMinusOne() {
        Dataset data = new Dataset(3, 2, new double[] {1, 0, 0, 1, 1, 1}, new double[] {1, 0.5, -1});
        assertThrows(IllegalArgumentException.class, () -> new BatchNormNet(data, 1, 4, 1e-5, BLAS));
    }

    private static void perturb(BatchNormNet net, Random r) {
        double[] theta = net.parameters();
        for (int k = 0; k < theta.length; k++) {
            theta[k] += 0.3 * r.nextGaussian();
        }
        net.setParameters(theta);
    }

    /**
     * Central differences coordinate by coordinate; coordinates of a neuron with some {@code |c_j u_ij|}
     * near the ReLU kink are skipped (the risk is not differentiable there), and at least 80% must be checked.
     */
    private static void checkCoordinates(BatchNormNet net, double[] grad, java.util.function.ToDoubleFunction<double[]> risk,
                                         int m, int d) {
        double[] theta = net.parameters();
        double[] u = net.normalizedPreActivations();
        int n = u.length / m;
        boolean[] nearKink = new boolean[m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                nearKink[j] |= Math.abs(theta[m + j] * u[i * m + j]) < 1e-3;
            }
        }
        int checked = 0;
        for (int k = 0; k < theta.length; k++) {
            int neuron = k < m ? k : k < 2 * m ? k - m : (k - 2 * m) / d;
            if (nearKink[neuron]) {
                continue;
            }
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += H;
            minus[k] -= H;
            double fd = (risk.applyAsDouble(plus) - risk.applyAsDouble(minus)) / (2 * H);
            assertEquals(fd, grad[k], 1e-6 * (1 + Math.abs(fd)), "coordinate " + k + " (neuron " + neuron + ")");
            checked++;
        }
        assertTrue(checked >= 0.8 * theta.length, "checked only " + checked + " of " + theta.length);
    }
}
