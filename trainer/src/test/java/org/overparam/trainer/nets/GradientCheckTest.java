package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@code gradient()} of both nets against central finite differences of {@code forward()}, at the
 * initialization and at a random point away from it, plus the homogeneity/orthogonality identities of
 * theory.md §2 (the wn gradient wrt v_k is ⊥ v_k).
 */
class GradientCheckTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final double EPS = Math.ulp(1.0);
    /** Finite-difference step. */
    private static final double H = 1e-6;
    /**
     * A neuron is "near a kink" when some input has |v_k·x_i| < KINK · ‖v_k‖‖x_i‖. A step of H in one
     * coordinate moves v_k·x_i by at most H‖x_i‖ ≤ 2e-6, and ‖v_k‖ ≥ ~0.1 for every shape/α here, so
     * KINK = 1e-4 keeps every finite-difference stencil of a checked coordinate on one linear piece.
     */
    private static final double KINK = 1e-4;
    /**
     * Per-coordinate relative tolerance. relu: L is piecewise quadratic in W, so the central
     * difference is exact on a linear piece up to rounding. wn: the truncation error is
     * H²/6·|∂³L| ≈ 1e-13 for these O(1..100) third derivatives. Either way 1e-5 only has to absorb
     * rounding, handled by the absolute floor below; any formula error is O(1) relative.
     */
    private static final double REL = 1e-5;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(7, 5, 13),
                Arguments.of(1, 3, 4),
                Arguments.of(12, 2, 9),
                Arguments.of(20, 10, 40),
                Arguments.of(5, 17, 3));
    }

    static Stream<Arguments> shapesAndAlphas() {
        List<Arguments> out = new ArrayList<>();
        shapes().forEach(s -> {
            for (double alpha : new double[] {0.3, 1.0, 3.0}) {
                Object[] a = s.get();
                out.add(Arguments.of(a[0], a[1], a[2], alpha));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "relu n={0} d={1} m={2}")
    @MethodSource("shapes")
    void reluGradientMatchesFiniteDifferences(int n, int d, int m) {
        Dataset data = Fixtures.randomData(n, d, 1000L * n + 10L * d + m);
        InitialDraws init = InitialDraws.draw(11, m, d);
        ReluNet net = new ReluNet(data, init, BLAS);
        checkAgainstFiniteDifferences(net, data, init, false);

        // Away from the init: W + N(0, 0.5²) per entry.
        Random r = new Random(5);
        double[] theta = net.parameters();
        for (int j = 0; j < theta.length; j++) {
            theta[j] += 0.5 * r.nextGaussian();
        }
        net.setParameters(theta);
        checkAgainstFiniteDifferences(net, data, init, false);
    }

    @ParameterizedTest(name = "wn n={0} d={1} m={2} alpha={3}")
    @MethodSource("shapesAndAlphas")
    void wnGradientMatchesFiniteDifferences(int n, int d, int m, double alpha) {
        Dataset data = Fixtures.randomData(n, d, 1000L * n + 10L * d + m);
        InitialDraws init = InitialDraws.draw(12, m, d);
        WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
        checkAgainstFiniteDifferences(net, data, init, true);

        // Away from the init: V + α N(0, 0.5²) per entry, g_k · e^{0.3 N(0,1)} (so g ≠ ‖v‖/α).
        Random r = new Random(6);
        double[] theta = net.parameters();
        for (int j = 0; j < m * d; j++) {
            theta[j] += 0.5 * alpha * r.nextGaussian();
        }
        for (int k = 0; k < m; k++) {
            theta[m * d + k] *= Math.exp(0.3 * r.nextGaussian());
        }
        net.setParameters(theta);
        checkAgainstFiniteDifferences(net, data, init, true);
    }

    /** Checks every coordinate whose neuron is not near a kink; requires most coordinates to be checked. */
    private static void checkAgainstFiniteDifferences(TrainableNet net, Dataset data, InitialDraws init, boolean wn) {
        int n = data.n();
        int d = data.d();
        int m = init.m();
        double[] theta = net.parameters();
        double loss = net.forward();
        double[] grad = net.gradient();
        assertEquals(theta.length, grad.length, "gradient is flattened like parameters()");
        assertEquals(wn ? m * d + m : m * d, theta.length);

        // Kink guard and the magnitude scale of the loss's floating-point terms.
        boolean[] nearKink = new boolean[m];
        double[] absOut = new double[n]; // Σ_k |s_k σ(u_ik)|: the scale of the sum giving f_i
        for (int k = 0; k < m; k++) {
            double nv = Fixtures.norm(theta, k * d, d);
            double sk = (wn ? Math.abs(theta[m * d + k]) / nv : 1.0) / Math.sqrt(m);
            for (int i = 0; i < n; i++) {
                double u = Fixtures.dot(theta, k * d, data.x(), i * d, d);
                if (Math.abs(u) < KINK * nv * data.rowNorm(i)) {
                    nearKink[k] = true;
                }
                absOut[i] += sk * Math.max(u, 0);
            }
        }
        double[] f = net.outputs();
        double scale = 0; // Σ_i |e_i|·(Σ_k|terms| + |y_i|): what rounding in L is relative to
        for (int i = 0; i < n; i++) {
            scale += (Math.abs(f[i]) + Math.abs(data.y()[i])) * (absOut[i] + Math.abs(data.y()[i])) + absOut[i];
        }
        // Rounding: each forward() returns L with absolute error ≲ (few·d)·ε·scale (dot products of length
        // d, then sums over k and i); the central difference divides the difference of two such errors by
        // 2H. 100·d·ε·scale/H bounds that generously and stays far below the gradient entries (O(0.1..1)).
        double floor = 100 * d * EPS * scale / H;

        int checked = 0;
        double errSq = 0;
        double refSq = 0;
        double worst = 0;
        double[] probe = theta.clone();
        for (int j = 0; j < theta.length; j++) {
            int neuron = j < m * d ? j / d : j - m * d;
            if (nearKink[neuron]) {
                continue;
            }
            double plus = theta[j] + H;
            double minus = theta[j] - H;
            probe[j] = plus;
            net.setParameters(probe);
            double lp = net.forward();
            probe[j] = minus;
            net.setParameters(probe);
            double lm = net.forward();
            probe[j] = theta[j];
            double fd = (lp - lm) / (plus - minus);
            double err = Math.abs(fd - grad[j]);
            worst = Math.max(worst, err / (REL * Math.abs(grad[j]) + floor));
            errSq += err * err;
            refSq += grad[j] * grad[j];
            checked++;
        }
        net.setParameters(theta);
        assertEquals(loss, net.forward(), 0.0, "restoring the parameters restores the loss");

        assertTrue(checked >= 0.75 * theta.length,
                "kink guard skipped too much: checked " + checked + " of " + theta.length);
        assertTrue(refSq > 0, "gradient is not identically zero");
        assertTrue(worst <= 1.0, "worst coordinate error / tolerance = " + worst);
        // Whole vector: the rounding noise is ~floor/100 per coordinate (the floor has a 100× margin);
        // 1e-6 of ‖∇L‖ is above √P·floor/100 for every shape here and far below any formula error.
        assertTrue(Math.sqrt(errSq) <= 1e-6 * Math.sqrt(refSq),
                "relative norm error " + Math.sqrt(errSq / refSq));
    }

    @ParameterizedTest(name = "wn n={0} d={1} m={2} alpha={3}")
    @MethodSource("shapesAndAlphas")
    void wnDirectionGradientIsOrthogonalToDirection(int n, int d, int m, double alpha) {
        Dataset data = new SphereData(SphereTarget.GAUSSIAN, 3).load(n, d);
        InitialDraws init = InitialDraws.draw(13, m, d);
        WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
        for (int round = 0; round < 3; round++) { // at init, then after 1 and 2 GD steps
            double loss = net.forward();
            double[] theta = net.parameters();
            double[] grad = net.gradient();
            double[] f = net.outputs();
            int nonzero = 0;
            for (int k = 0; k < m; k++) {
                double gv = Fixtures.norm(grad, k * d, d);
                double nv = Fixtures.norm(theta, k * d, d);
                double inner = Fixtures.dot(grad, k * d, theta, k * d, d);
                // ⟨∇_v L, v⟩ = s_k(Q_k·v_k − h_k) with Q_k·v_k = h_k exactly; rounding is ~ε‖Q_k‖‖v_k‖|s_k|,
                // i.e. ε‖Q_k‖/‖Q_k⊥‖ relative to ‖∇_v L‖‖v_k‖: 1e-10 allows ‖Q_k‖/‖Q_k⊥‖ up to ~1e5.
                assertTrue(Math.abs(inner) <= 1e-10 * gv * nv + Double.MIN_NORMAL,
                        "neuron " + k + ": <grad_v, v> = " + inner + " vs |grad_v||v| = " + gv * nv);
                if (gv > 0) {
                    nonzero++;
                }
                // Homogeneity in g: g_k ∂L/∂g_k = Σ_i e_i c_k g_k σ(v_k·x_i)/(√m ‖v_k‖), computed naively.
                double gk = theta[m * d + k];
                double expected = 0;
                double size = 0;
                for (int i = 0; i < n; i++) {
                    double term = (f[i] - data.y()[i]) * init.c()[k] * gk
                            * Math.max(Fixtures.dot(theta, k * d, data.x(), i * d, d), 0) / (Math.sqrt(m) * nv);
                    expected += term;
                    size += Math.abs(term);
                }
                // n terms of O(1) each computed in a different order: 1e-12 of Σ|terms| is ~1e3 ulps.
                assertEquals(expected, gk * grad[m * d + k], 1e-12 * size + Double.MIN_NORMAL, "g homogeneity, neuron " + k);
            }
            assertTrue(nonzero > 0, "some neuron has a nonzero direction gradient (test is not vacuous)");
            assertTrue(loss > 0);
            net.step(0.5);
        }
    }

    @ParameterizedTest(name = "relu n={0} d={1} m={2}")
    @MethodSource("shapes")
    void reluGradientSatisfiesEulerHomogeneity(int n, int d, int m) {
        // σ is positively homogeneous, so ⟨∇_{w_k} L, w_k⟩ = (c_k/√m) Σ_i e_i σ(w_k·x_i): unlike wn's
        // direction gradient, relu's is generally NOT orthogonal to w_k.
        Dataset data = Fixtures.randomData(n, d, 77);
        InitialDraws init = InitialDraws.draw(14, m, d);
        ReluNet net = new ReluNet(data, init, BLAS);
        net.forward();
        double[] grad = net.gradient();
        double[] w = net.weights();
        double[] f = net.outputs();
        for (int k = 0; k < m; k++) {
            double expected = 0;
            double size = 0;
            for (int i = 0; i < n; i++) {
                double term = (f[i] - data.y()[i]) * init.c()[k]
                        * Math.max(Fixtures.dot(w, k * d, data.x(), i * d, d), 0) / Math.sqrt(m);
                expected += term;
                size += Math.abs(term);
            }
            double gradNormTimesW = Fixtures.norm(grad, k * d, d) * Fixtures.norm(w, k * d, d);
            // Same rounding reasoning as for wn's g identity: 1e-12 of the size of the inputs to the sum.
            assertEquals(expected, Fixtures.dot(grad, k * d, w, k * d, d),
                    1e-12 * (size + gradNormTimesW) + Double.MIN_NORMAL, "neuron " + k);
        }
    }
}
