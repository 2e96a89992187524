package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * Outputs and loss at initialization against a naive triple loop written from theory.md §1–2, the
 * α = 1 equivalence of wn and relu, α-independence of wn at init (Observation 1 by construction), and
 * the shape of {@link InitialDraws}.
 */
class NaiveForwardTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    /**
     * Naive and BLAS evaluations differ only in summation order: with d ≤ 20, m ≤ 64 terms of O(1) the
     * difference is ≲ 1e3 ulps of Σ|terms|, i.e. ≲ 1e-13 relative; 1e-12 leaves a 10× margin.
     */
    private static final double TOL = 1e-12;

    /** relu: f(x) = m^{-1/2} Σ_k c_k σ(z_k·x). */
    static double[] naiveRelu(Dataset data, InitialDraws init) {
        int n = data.n(), d = data.d(), m = init.m();
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                double u = 0;
                for (int j = 0; j < d; j++) {
                    u += init.z()[k * d + j] * data.x()[i * d + j];
                }
                s += init.c()[k] * Math.max(u, 0.0);
            }
            f[i] = s / Math.sqrt(m);
        }
        return f;
    }

    /** wn: f(x) = m^{-1/2} Σ_k c_k σ(g_k v_k·x/‖v_k‖), v = αz, g = ‖v‖/α (eq. 1.2, 2.4). */
    static double[] naiveWn(Dataset data, InitialDraws init, double alpha) {
        int n = data.n(), d = data.d(), m = init.m();
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                double vv = 0;
                double vx = 0;
                for (int j = 0; j < d; j++) {
                    double v = alpha * init.z()[k * d + j];
                    vv += v * v;
                    vx += v * data.x()[i * d + j];
                }
                double g = Math.sqrt(vv) / alpha;
                s += init.c()[k] * Math.max(g * vx / Math.sqrt(vv), 0.0);
            }
            f[i] = s / Math.sqrt(m);
        }
        return f;
    }

    /** Σ_k |z_k·x_i|/√m: the magnitude of the terms summed into f_i. */
    static double[] termScale(Dataset data, InitialDraws init) {
        int n = data.n(), d = data.d(), m = init.m();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                out[i] += Math.abs(Fixtures.dot(init.z(), k * d, data.x(), i * d, d)) / Math.sqrt(m);
            }
        }
        return out;
    }

    static double halfSquaredError(double[] f, double[] y) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += (f[i] - y[i]) * (f[i] - y[i]);
        }
        return 0.5 * s;
    }

    private static void assertOutputsClose(double[] expected, double[] actual, double[] scale, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL * (scale[i] + Math.abs(expected[i])) + Double.MIN_NORMAL,
                    what + " output " + i);
        }
    }

    @ParameterizedTest(name = "n={0} d={1} m={2}")
    @CsvSource({"3, 2, 4", "7, 5, 13", "16, 20, 64"})
    void reluForwardMatchesNaiveLoop(int n, int d, int m) {
        Dataset data = Fixtures.randomData(n, d, 21);
        InitialDraws init = InitialDraws.draw(4, m, d);
        ReluNet net = new ReluNet(data, init, BLAS);
        double loss = net.forward();
        double[] f = naiveRelu(data, init);
        assertOutputsClose(f, net.outputs(), termScale(data, init), "relu");
        double expected = halfSquaredError(f, data.y());
        assertEquals(expected, loss, TOL * expected, "relu loss ½‖f−y‖²");
        assertTrue(expected > 0);
    }

    @ParameterizedTest(name = "n={0} d={1} m={2} alpha={3}")
    @CsvSource({"3, 2, 4, 0.3", "7, 5, 13, 1.0", "7, 5, 13, 3.0", "16, 20, 64, 0.3", "16, 20, 64, 3.0"})
    void wnForwardMatchesNaiveLoop(int n, int d, int m, double alpha) {
        Dataset data = Fixtures.randomData(n, d, 22);
        InitialDraws init = InitialDraws.draw(5, m, d);
        WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
        assertEquals(alpha, net.alpha());
        double loss = net.forward();
        double[] f = naiveWn(data, init, alpha);
        assertOutputsClose(f, net.outputs(), termScale(data, init), "wn");
        double expected = halfSquaredError(f, data.y());
        assertEquals(expected, loss, TOL * expected, "wn loss ½‖f−y‖²");
    }

    @Test
    void wnInitialParametersFollowEq24() {
        int m = 9, d = 4;
        double alpha = 0.3;
        InitialDraws init = InitialDraws.draw(8, m, d);
        WeightNormNet net = new WeightNormNet(Fixtures.randomData(3, d, 1), init, alpha, BLAS);
        double[] theta = net.parameters();
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < d; j++) {
                assertEquals(alpha * init.z()[k * d + j], theta[k * d + j], 0.0, "v = α z (one rounding, same op)");
            }
            // g = ‖αz‖/α = ‖z‖ up to a few roundings.
            assertEquals(Fixtures.norm(init.z(), k * d, d), theta[m * d + k], 1e-14 * theta[m * d + k], "g_k");
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3})
    void wnAtAlphaOneStartsAsRelu(long seed) {
        Dataset data = new SphereData(SphereTarget.GAUSSIAN, seed).load(12, 9);
        InitialDraws init = InitialDraws.draw(seed, 33, 9);
        ReluNet relu = new ReluNet(data, init, BLAS);
        WeightNormNet wn = new WeightNormNet(data, init, 1.0, BLAS);
        double lr = relu.forward();
        double lw = wn.forward();
        // Same pre-activations bit for bit (v = 1.0·z); scales differ by ‖z‖/‖z‖ = 1 ± 2ulp.
        assertOutputsClose(relu.outputs(), wn.outputs(), termScale(data, init), "wn(α=1) vs relu");
        assertEquals(lr, lw, TOL * lr);
    }

    @Test
    void wnOutputsAtInitDoNotDependOnAlpha() {
        Dataset data = new SphereData(SphereTarget.SIGN, 9).load(15, 11);
        InitialDraws init = InitialDraws.draw(10, 40, 11);
        double[] scale = termScale(data, init);
        double[] ref = naiveRelu(data, init); // g v/‖v‖ = z, so every α gives relu's function
        for (double alpha : new double[] {1e-3, 0.3, 1.0, 3.0, 1e3}) {
            WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
            net.forward();
            assertOutputsClose(ref, net.outputs(), scale, "alpha=" + alpha);
        }
        // The parameters themselves do depend on α (the test above is not comparing identical nets).
        double[] p1 = new WeightNormNet(data, init, 1.0, BLAS).parameters();
        double[] p3 = new WeightNormNet(data, init, 3.0, BLAS).parameters();
        assertFalse(Arrays.equals(p1, p3));
    }

    @Test
    void initialDrawsAreDeterministicPrefixConsistentAndSigned() {
        int d = 6;
        InitialDraws a = InitialDraws.draw(42, 20, d);
        InitialDraws b = InitialDraws.draw(42, 20, d);
        InitialDraws narrow = InitialDraws.draw(42, 7, d);
        assertEquals(20, a.m());
        assertEquals(d, a.d());
        assertEquals(20 * d, a.z().length);
        assertEquals(20, a.c().length);
        assertArrayEquals(a.z(), b.z());
        assertArrayEquals(a.c(), b.c());
        // The first m neurons of a wider net are the neurons of the narrower one.
        assertArrayEquals(narrow.z(), Arrays.copyOf(a.z(), 7 * d));
        assertArrayEquals(narrow.c(), Arrays.copyOf(a.c(), 7));
        for (double c : a.c()) {
            assertTrue(c == 1.0 || c == -1.0, "c_k in {±1}: " + c);
        }
        assertFalse(Arrays.equals(a.z(), InitialDraws.draw(43, 20, d).z()), "seed changes the draws");
        assertFalse(Arrays.equals(Arrays.copyOf(InitialDraws.draw(42, 20, d + 1).z(), 20 * d), a.z()),
                "dimension keys the stream");
    }

    @Test
    void constructorsRejectMismatchedOrInvalidArguments() {
        Dataset data = Fixtures.randomData(3, 4, 1);
        InitialDraws wrongD = InitialDraws.draw(1, 5, 3);
        InitialDraws ok = InitialDraws.draw(1, 5, 4);
        assertThrows(IllegalArgumentException.class, () -> new ReluNet(data, wrongD, BLAS));
        assertThrows(IllegalArgumentException.class, () -> new WeightNormNet(data, wrongD, 1.0, BLAS));
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new WeightNormNet(data, ok, bad, BLAS), "alpha=" + bad);
        }
    }
}
