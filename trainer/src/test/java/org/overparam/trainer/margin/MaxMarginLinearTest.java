package org.overparam.trainer.margin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.DyadicData;

/** The max-margin solver against paper 001 Prop. 1.1 and against a brute-force search in the plane. */
class MaxMarginLinearTest {

    @ParameterizedTest(name = "dyadic d={0}")
    @ValueSource(ints = {1, 2, 3, 5, 8, 12, 20})
    void dyadicMarginIsTheClosedForm(int d) {
        Dataset data = new DyadicData().load(2 * d, d);
        MaxMarginLinear.Solution s = MaxMarginLinear.solve(data.x(), data.y(), data.n(), d);
        assertTrue(s.converged());
        double expected = Math.sqrt(3.0 / (Math.pow(4, d + 1) - 4));
        assertEquals(expected, s.margin(), 1e-9 * expected, "d=" + d);
        assertEquals(expected, DyadicData.closedFormMargin(d), 1e-15 * expected);
    }

    @Test
    void dyadicMarginSurvivesARotation() {
        // A random rotation keeps the margin; the coordinates are then no longer aligned with the axes.
        int d = 6;
        Dataset data = new DyadicData().load(2 * d, d);
        double[][] q = randomOrthogonal(d, new Random(3));
        double[] z = new double[data.x().length];
        for (int i = 0; i < data.n(); i++) {
            for (int r = 0; r < d; r++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += q[r][k] * data.x()[i * d + k];
                }
                z[i * d + r] = s;
            }
        }
        double expected = DyadicData.closedFormMargin(d);
        assertEquals(expected, MaxMarginLinear.solve(z, data.y(), data.n(), d).margin(), 1e-9 * expected);
    }

    @Test
    void planeMarginMatchesABruteForceSearch() {
        Random r = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            int n = 12;
            double angle = 2 * Math.PI * r.nextDouble();
            double[] u = {Math.cos(angle), Math.sin(angle)};
            double[] z = new double[2 * n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double a;
                double b;
                do {
                    a = 2 * r.nextDouble() - 1;
                    b = 2 * r.nextDouble() - 1;
                } while (Math.abs(a * u[0] + b * u[1]) < 0.05);
                z[2 * i] = a;
                z[2 * i + 1] = b;
                y[i] = a * u[0] + b * u[1] > 0 ? 1 : -1;
            }
            double best = -1;
            double bestT = 0;
            for (int k = 0; k < 100_000; k++) {
                double t = 2 * Math.PI * k / 100_000;
                double g = minMargin(z, y, n, t);
                if (g > best) {
                    best = g;
                    bestT = t;
                }
            }
            for (double step = 2 * Math.PI / 100_000; step > 1e-15; step /= 2) {     // refine by bisection-like climbing
                for (double t : new double[] {bestT - step, bestT + step}) {
                    double g = minMargin(z, y, n, t);
                    if (g > best) {
                        best = g;
                        bestT = t;
                    }
                }
            }
            assertEquals(best, MaxMarginLinear.solve(z, y, n, 2).margin(), 1e-9, "trial " + trial);
        }
    }

    @Test
    void inseparableLabelsGiveNaN() {
        double[] z = {1, 0, -1, 0, 0, 1, 0, -1};
        double[] y = {1, 1, -1, -1};
        assertTrue(Double.isNaN(MaxMarginLinear.solve(z, y, 4, 2).margin()));
        double[] xor = {1, 1, -1, -1, 1, -1, -1, 1};
        assertTrue(Double.isNaN(MaxMarginLinear.solve(xor, new double[] {1, 1, -1, -1}, 4, 2).margin()));
    }

    private static double minMargin(double[] z, double[] y, int n, double t) {
        double c = Math.cos(t);
        double s = Math.sin(t);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, y[i] * (c * z[2 * i] + s * z[2 * i + 1]));
        }
        return min;
    }

    private static double[][] randomOrthogonal(int d, Random r) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = r.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < d; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < d; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    @Test
    void twoProblemsSideBySideGiveEachItsOwnSolveBitForBit() {
        Random r = new Random(99);
        int n = 24;
        int p = 6;
        double[] y = new double[n];
        double[] separable = new double[n * p];
        double[] scrambled = new double[n * p];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int k = 0; k < p; k++) {
                separable[i * p + k] = r.nextGaussian();
                scrambled[i * p + k] = r.nextGaussian();
                dot += (k + 1) * separable[i * p + k];
            }
            y[i] = dot >= 0 ? 1 : -1;
        }
        double[] other = separable.clone();
        for (int i = 0; i < other.length; i++) {
            other[i] += 0.3 * r.nextGaussian();
        }
        double[] zeroRow = separable.clone();
        java.util.Arrays.fill(zeroRow, 5 * p, 6 * p, 0.0);
        // Both converge (at different sweeps); one converges while the other spends its budget; a zero point.
        double[][][] pairs = {{separable, other}, {separable, scrambled}, {scrambled, separable}, {zeroRow, separable}};
        for (double[][] pair : pairs) {
            MaxMarginLinear.Solution[] both = MaxMarginLinear.solveTwo(pair[0], pair[1], y, n, p);
            for (int j = 0; j < 2; j++) {
                MaxMarginLinear.Solution alone = MaxMarginLinear.solve(pair[j], y, n, p);
                assertEquals(Double.doubleToRawLongBits(alone.margin()), Double.doubleToRawLongBits(both[j].margin()), "margin " + j);
                assertEquals(alone.sweeps(), both[j].sweeps(), "sweeps " + j);
                assertEquals(alone.converged(), both[j].converged(), "converged " + j);
                for (int k = 0; k < p; k++) {
                    assertEquals(Double.doubleToRawLongBits(alone.w()[k]), Double.doubleToRawLongBits(both[j].w()[k]), "w " + j);
                }
            }
        }
        assertTrue(MaxMarginLinear.solve(separable, y, n, p).converged() && !MaxMarginLinear.solve(scrambled, y, n, p).converged(),
                "the pairs cover a converging and a budget-spending problem");
    }
}
