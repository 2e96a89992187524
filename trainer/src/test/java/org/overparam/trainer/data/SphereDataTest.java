package org.overparam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SphereData}: unit rows, determinism, prefix consistency, and the two targets. */
class SphereDataTest {

    @ParameterizedTest
    @EnumSource(SphereTarget.class)
    void rowsHaveUnitNorm(SphereTarget target) {
        for (int d : new int[] {1, 2, 7, 50}) {
            Dataset data = new SphereData(target, 5).load(200, d);
            assertEquals(200, data.n());
            assertEquals(d, data.d());
            for (int i = 0; i < data.n(); i++) {
                // x/‖x‖ has norm 1 up to ~d/2 ulps of accumulated rounding; 1e-12 is generous.
                assertEquals(1.0, data.rowNorm(i), 1e-12, "row " + i + " d=" + d);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SphereTarget.class)
    void loadsAreDeterministicAndPrefixConsistent(SphereTarget target) {
        SphereData source = new SphereData(target, 11);
        Dataset a = source.load(40, 13);
        Dataset b = new SphereData(target, 11).load(40, 13);
        assertArrayEquals(a.x(), b.x(), "bit for bit");
        assertArrayEquals(a.y(), b.y());
        Dataset prefix = source.load(20, 13);
        assertArrayEquals(Arrays.copyOf(a.x(), 20 * 13), prefix.x(), "load(20) is the first rows of load(40)");
        assertArrayEquals(Arrays.copyOf(a.y(), 20), prefix.y());

        Dataset otherSeed = new SphereData(target, 12).load(40, 13);
        assertFalse(Arrays.equals(a.x(), otherSeed.x()), "the seed changes the points");
        assertNotEquals(source.identity(), new SphereData(target, 12).identity());
        assertEquals(source.identity(), new SphereData(target, 11).identity());
        assertTrue(source.identity().contains(target.key()));
    }

    @Test
    void targetsAreDistinguishedInTheIdentity() {
        assertNotEquals(new SphereData(SphereTarget.SIGN, 1).identity(), new SphereData(SphereTarget.GAUSSIAN, 1).identity());
        assertThrows(NullPointerException.class, () -> new SphereData(null, 1));
        assertEquals(SphereTarget.SIGN, SphereTarget.parse("sign"));
        assertEquals(SphereTarget.GAUSSIAN, SphereTarget.parse("gaussian"));
        assertEquals(null, SphereTarget.parse("SIGN"));
    }

    @Test
    void signLabelsAreLinearlySeparableThroughTheOrigin() {
        int n = 60, d = 10;
        Dataset data = new SphereData(SphereTarget.SIGN, 3).load(n, d);
        int positives = 0;
        for (double y : data.y()) {
            assertTrue(y == 1.0 || y == -1.0, "label " + y);
            positives += y > 0 ? 1 : 0;
        }
        // Both classes present: a fair-coin count outside [10, 50] of 60 has probability < 1e-7.
        assertTrue(positives >= 10 && positives <= n - 10, "positives " + positives);
        // Perceptron through the origin: on separable data it stops making mistakes after at most (R/γ)²
        // updates (Novikoff). R = 1 here; the margin of 60 random points under a random teacher is
        // typically ≳ 1e-3, so 200 000 epochs is a generous bound.
        assertTrue(perceptronSeparates(data.x(), data.y(), n, d, 200_000), "sign labels are separable");
        // Control: the same points with labels unrelated to any direction (alternating) are not
        // separable (by Cover's counting, P(separable) ≈ 1e-8 for 60 points in d = 10): the perceptron
        // check can fail.
        double[] alternating = new double[n];
        for (int i = 0; i < n; i++) {
            alternating[i] = i % 2 == 0 ? 1.0 : -1.0;
        }
        assertFalse(perceptronSeparates(data.x(), alternating, n, d, 2_000), "control");
    }

    /** True when the perceptron reaches an epoch with zero mistakes within {@code maxEpochs}. */
    private static boolean perceptronSeparates(double[] x, double[] y, int n, int d, int maxEpochs) {
        double[] w = new double[d];
        for (int epoch = 0; epoch < maxEpochs; epoch++) {
            int mistakes = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += w[j] * x[i * d + j];
                }
                if (y[i] * s <= 0) {
                    mistakes++;
                    for (int j = 0; j < d; j++) {
                        w[j] += y[i] * x[i * d + j];
                    }
                }
            }
            if (mistakes == 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void gaussianTargetsAreStandardNormal() {
        int n = 4000;
        Dataset data = new SphereData(SphereTarget.GAUSSIAN, 8).load(n, 20);
        double mean = Arrays.stream(data.y()).average().orElseThrow();
        double var = Arrays.stream(data.y()).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        // CLT: s.e.(mean) = 1/√n ≈ 0.016, s.e.(variance) = √(2/n) ≈ 0.022 for N(0,1); 5 s.e. each.
        assertEquals(0.0, mean, 5 / Math.sqrt(n));
        assertEquals(1.0, var, 5 * Math.sqrt(2.0 / n));
        assertTrue(Arrays.stream(data.y()).distinct().count() > n / 2, "not ±1 labels");
    }

    @Test
    void pointsAreCenteredOnTheSphere() {
        // Uniform on S^{d−1}: each coordinate has mean 0 and variance 1/d, so the coordinate mean over n
        // points has s.e. 1/√(dn); 5 s.e. for each of d coordinates (P(any fails) < 1e-5).
        int n = 4000, d = 20;
        Dataset data = new SphereData(SphereTarget.SIGN, 4).load(n, d);
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += data.x()[i * d + j];
            }
            assertEquals(0.0, s / n, 5 / Math.sqrt((double) d * n), "coordinate " + j);
        }
    }

    @Test
    void randomLabelsAreBalancedSignsNoDirectionSeparates() {
        // y = ±1 with probability ½ independent of x: the share of +1 has s.e. 1/(2√n) (5 s.e.), and the
        // best linear separator through the origin found by least squares fits far fewer points than
        // the sign target's (which one direction separates exactly).
        int n = 4000, d = 4;
        Dataset data = new SphereData(SphereTarget.RANDOM, 3).load(n, d);
        long plus = Arrays.stream(data.y()).filter(v -> v == 1.0).count();
        long minus = Arrays.stream(data.y()).filter(v -> v == -1.0).count();
        assertEquals(n, plus + minus, "labels not ±1");
        assertEquals(0.5, plus / (double) n, 5 / (2 * Math.sqrt(n)));
        assertTrue(agreementOfLeastSquaresDirection(data) < 0.6, "random labels look linearly separable");
        assertEquals(1.0, agreementOfLeastSquaresDirection(new SphereData(SphereTarget.SIGN, 3).load(n, d)), 0.1);
    }

    /** The fraction of points whose sign the least-squares direction {@code w = Σ y_i x_i} predicts. */
    private static double agreementOfLeastSquaresDirection(Dataset data) {
        int n = data.n(), d = data.d();
        double[] w = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                w[j] += data.y()[i] * data.x()[i * d + j];
            }
        }
        int agree = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += w[j] * data.x()[i * d + j];
            }
            agree += (s >= 0) == (data.y()[i] > 0) ? 1 : 0;
        }
        return agree / (double) n;
    }
}
